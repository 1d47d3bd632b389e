"""One accessor for resources, the same in a source run, an installed wheel and the frozen build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "dutydesk" / "resources")
    for path in candidates:
        if (path / "profiles").is_dir():
            return path
    raise FileNotFoundError("找不到 DutyDesk 的资源文件夹 resources/(规则预设等)。请重新安装 DutyDesk。")


def resource(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def profiles_dir() -> Path:
    return resource("profiles")


def available_profiles() -> tuple[str, ...]:
    """Profile ids, the real governments first (as DESIGN.md lists them), generic last."""
    ids = sorted(p.stem for p in profiles_dir().glob("*.toml"))
    return tuple([i for i in ids if i != "generic"] + (["generic"] if "generic" in ids else []))
