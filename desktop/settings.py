"""Typed settings in one place, with a version and a migration (Orange3's habit, not scattered QSettings).

Stored as JSON in the config folder. Unknown or damaged content falls back to defaults
instead of stopping the app.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from desktop.paths import config_dir

SETTINGS_VERSION = 1


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    last_section: str = "people"
    recent_dbs: list[str] = field(default_factory=list)

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or cls.path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        raw = migrate(raw)
        known = {f.name for f in dataclasses.fields(cls)}
        values = {}
        defaults = cls()
        for key, value in raw.items():
            if key in known and isinstance(value, type(getattr(defaults, key))):
                values[key] = value
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        path = path or self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)


def migrate(raw: dict) -> dict:
    """Bring settings written by an older version up to SETTINGS_VERSION."""
    version = raw.get("version", 0)
    if not isinstance(version, int) or version < 1:
        raw = {k: v for k, v in raw.items() if k in ("window_geometry", "window_state")}
    raw["version"] = SETTINGS_VERSION
    return raw
