#!/usr/bin/env python3
"""The two commands of the README, on any machine with Python 3.11+ (Windows, Linux, macOS).

    python dev.py demo     install what is needed into .venv and open the app on a demo database
    python dev.py test     install what is needed (with test tools) into .venv and run the whole test suite

Only the standard library is used here; everything else is installed into ./.venv from PyPI.
Extra arguments after `test` go to pytest (e.g. `python dev.py test -m "not frozen"`).

The tests run in parallel (pytest-xdist: one worker per CPU, `--dist loadgroup`, see XDIST below);
pass `-n 0` (or any `-n`/`--dist` of your own) to choose otherwise, e.g. `python dev.py test -n 0 -x`.

Server mode's tests need a PostgreSQL server: when PostgreSQL is installed (initdb, pg_ctl) and
DUTYDESK_TEST_PG does not already name a server, `test` starts a throwaway cluster on a loopback port
for the run (scripts/pgcluster.py) and stops it afterwards; without PostgreSQL those tests are skipped.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
EXTRAS = {"demo": "", "test": "[test,build]"}
# One worker per CPU. loadgroup hands out single tests, except that tests marked with the same
# xdist_group run on one worker (tests/conftest.py puts the frozen build's tests in one group), and it
# hands out the biggest group first: the slow PyInstaller build starts at once, beside everything else.
XDIST = ["-n", "auto", "--dist", "loadgroup"]


def pytest_args(args: list[str]) -> list[str]:
    """The user's pytest arguments, with XDIST in front unless they chose workers or a mode themselves."""
    own = any(a.startswith(("-n", "--numprocesses", "--dist")) or a.endswith("no:xdist") for a in args)
    return args if own else [*XDIST, *args]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_env(extras: str) -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older Python
        sys.exit(f"需要 Python 3.11 或更新版本,当前是 {sys.version.split()[0]}。Python 3.11+ is required.")
    python = venv_python()
    if not python.exists():
        print("创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extras.replace(',', '-')}"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        print(f"安装依赖 {extras or '(运行所需)'} …", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", f".{extras}"],
                       cwd=ROOT, check=True)
        stamp.write_text(want)
    return python


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "demo"
    if command not in EXTRAS:
        print(__doc__)
        return 2
    python = ensure_env(EXTRAS[command])
    env = dict(os.environ)
    if command == "demo":
        return subprocess.call([str(python), "-m", "desktop", "--demo", *argv[1:]], cwd=ROOT, env=env)
    if os.name != "nt" and sys.platform != "darwin" and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    stop = None
    if not env.get("DUTYDESK_TEST_PG"):
        sys.path.insert(0, str(ROOT / "scripts"))
        import pgcluster

        started = pgcluster.start()
        if started is not None:
            env["DUTYDESK_TEST_PG"], stop = started
            print(f"PostgreSQL 测试服务器:{env['DUTYDESK_TEST_PG']}", flush=True)
    try:
        return subprocess.call([str(python), "-m", "pytest", *pytest_args(argv[1:])], cwd=ROOT, env=env)
    finally:
        if stop is not None:
            stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
