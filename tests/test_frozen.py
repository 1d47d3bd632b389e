"""The frozen build (build.spec): build once per session, then run the binary like a user would.

    python -m pytest tests/test_frozen.py -q -m frozen

Slow (a PyInstaller build: ~20 s here, allow a minute on CI): give it a CI job of its own and deselect it
elsewhere with -m "not frozen". Each run of the binary gets its own data and config folders, so it never
touches the real ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop import __version__

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 1200
GUI_TIMEOUT_S = 120
CLI_TIMEOUT_S = 60
# The Linux one-folder build was 132 MB on 2026-11-21 (PySide6 6.12; ICU alone is 38 MB); alarm well before
# an accidental numpy or QtQml (+40 MB or more) would slip in unnoticed.
SIZE_BUDGET_MB = 180


@dataclass(frozen=True)
class FrozenApp:
    folder: Path
    exe: Path
    build_seconds: float

    @property
    def internal(self) -> Path:
        return self.folder / "_internal"


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory) -> FrozenApp:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.skip("PyInstaller is not installed (pip install -e '.[build]'): the frozen build cannot be tested")
    base = tmp_path_factory.mktemp("frozen")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
         "--distpath", str(base / "dist"), "--workpath", str(base / "build")],
        cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
        env={k: v for k, v in os.environ.items() if k != "DUTYDESK_CONSOLE"},
    )
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, f"PyInstaller failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
    folder = base / "dist" / "DutyDesk"
    exe = folder / ("DutyDesk.exe" if sys.platform == "win32" else "DutyDesk")
    assert exe.is_file(), f"no executable at {exe}"
    return FrozenApp(folder, exe, seconds)


def run(app: FrozenApp, tmp_path: Path, *args: str, timeout: float = CLI_TIMEOUT_S, **env: str):
    environment = {k: v for k, v in os.environ.items() if k != "DUTYDESK_SMOKE"}
    environment |= {"DUTYDESK_DATA_DIR": str(tmp_path / "data"), "DUTYDESK_CONFIG_DIR": str(tmp_path / "config"), **env}
    return subprocess.run([str(app.exe), *args], capture_output=True, timeout=timeout, env=environment,
                          cwd=tmp_path, encoding="utf-8", errors="replace")


def test_version(frozen_app, tmp_path):
    proc = run(frozen_app, tmp_path, "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"DutyDesk 值班报备台 {__version__}"


def test_init_finds_bundled_profiles(frozen_app, tmp_path):
    db = tmp_path / "x.db"
    proc = run(frozen_app, tmp_path, "init", "--profile", "panzhihua", "--db", str(db), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["profile"] == "panzhihua"
    assert result["org"].startswith("攀枝花")
    assert Path(result["db"]) == db
    assert db.is_file()


def test_gui_first_paint_offscreen(frozen_app, tmp_path):
    proc = run(frozen_app, tmp_path, "--demo", timeout=GUI_TIMEOUT_S, DUTYDESK_SMOKE="1", QT_QPA_PLATFORM="offscreen")
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert "first-paint-ms" in proc.stdout
    assert "Traceback" not in proc.stderr
    assert "Could not load the Qt platform plugin" not in proc.stderr


def test_bundle_contents(frozen_app):
    internal = frozen_app.internal
    assert sorted(p.name for p in (internal / "resources" / "profiles").glob("*.toml")) == sorted(
        p.name for p in (ROOT / "resources" / "profiles").glob("*.toml"))
    assert (internal / "resources" / "icons" / "dutydesk.png").is_file()
    # The trim in build.spec: no optional heavyweights, no unused Qt modules, Chinese Qt translations only.
    names = {p.name for p in internal.iterdir()}
    assert not names & {"numpy", "yaml", "PIL", "lxml", "tkinter"}
    qt_modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.*") if p.suffix in (".so", ".pyd")}
    assert qt_modules <= {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg"}, qt_modules
    translations = sorted(p.name for p in internal.rglob("*.qm"))
    assert translations and all("_zh_" in t for t in translations), translations
    broken = [str(p) for p in frozen_app.folder.rglob("*") if p.is_symlink() and not p.exists()]
    assert not broken, f"dangling symlinks after the trim: {broken}"


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="ldd: Linux only")
def test_qt_libraries_resolve_inside_bundle(frozen_app):
    """After the trim no bundled binary misses a Qt, PySide or ICU library (those must come from the bundle)."""
    internal = frozen_app.internal
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing = []
    for lib in sorted(p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()):
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env).stdout
        missing += [f"{lib.relative_to(internal)}: {line.strip()}" for line in out.splitlines()
                    if "not found" in line and line.strip().startswith(("libQt6", "libpyside6", "libshiboken6", "libicu"))]
    assert not missing, "\n".join(missing)


def test_bundle_size(frozen_app, capsys):
    size_mb = folder_size(frozen_app.folder) / 1e6
    with capsys.disabled():
        print(f"\nfrozen one-folder build: {size_mb:.1f} MB ({frozen_app.folder}), built in "
              f"{frozen_app.build_seconds:.0f} s")
    assert size_mb < SIZE_BUDGET_MB, f"the bundle grew to {size_mb:.0f} MB (budget {SIZE_BUDGET_MB} MB)"
