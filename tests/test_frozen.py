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
from test_printouts import needs_poppler, pdf_info, pdf_text, squeezed

from desktop import __version__

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 1200
GUI_TIMEOUT_S = 120
CLI_TIMEOUT_S = 60
# The Linux one-folder build was 132 MB on 2026-11-21 (PySide6 6.12; ICU alone is 38 MB), 136 MB with the
# exports, 145 MB once QtNetwork (one window per database: +3.4 MB) and lxml.etree (python-docx: +5.4 MB)
# joined; alarm well before an accidental numpy or QtQml (+40 MB or more) would slip in unnoticed.
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
    assert not names & {"numpy", "yaml", "PIL", "tkinter"}
    # What the exports need and keeps as files: lxml's extension modules (python-docx), docx's default
    # template, the tzdata zones. Pure-Python openpyxl and icalendar live in the archive: the export tests
    # below prove them.
    assert {"lxml", "docx", "tzdata"} <= names, sorted(names)
    assert (internal / "docx" / "templates" / "default.docx").is_file()
    assert (internal / "tzdata" / "zoneinfo" / "Asia" / "Shanghai").is_file()
    qt_modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.*") if p.suffix in (".so", ".pyd")}
    assert {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtNetwork"} <= qt_modules, qt_modules
    assert qt_modules <= {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtNetwork", "QtSvg"}, qt_modules
    # QtNetwork is there for local sockets only: no TLS or network-information plugins.
    plugin_types = {p.name for p in internal.rglob("plugins/*") if p.is_dir()}
    assert not plugin_types & {"tls", "networkinformation"}, plugin_types
    translations = sorted(p.name for p in internal.rglob("*.qm"))
    assert translations and all("_zh_" in t for t in translations), translations
    # Qt's own dialogs (file, print) in Chinese: desktop/ui/qt_zh.py loads this catalog.
    assert "qtbase_zh_CN.qm" in translations, translations
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


# --------------------------------------------------------------------------------------------
# Exports from the frozen binary: resources, fonts, openpyxl, python-docx (and lxml), icalendar
# --------------------------------------------------------------------------------------------

ORG = "测试市人民政府"
LEADERS = [("王建国", "chief", "市长"), ("李志强", "executive_deputy", "常务副市长"), ("张丽华", "deputy", "副市长"),
           ("陈明", "deputy", "副市长"), ("刘海峰", "deputy", "副市长")]
OFFICERS = ["赵一", "钱二", "孙三", "李四"]
WEEK = "2026-W47"  # 2026-11-16 — 11-22; explicit, so no test depends on today's date


@dataclass(frozen=True)
class Office:
    folder: Path
    db: Path


@pytest.fixture(scope="module")
def office(frozen_app, tmp_path_factory) -> Office:
    """A database made by the frozen binary alone: init, people, a trip, the National Day duty."""
    folder = tmp_path_factory.mktemp("office")
    db = folder / "office.db"

    def ok(*args: str) -> str:
        proc = run(frozen_app, folder, *args, "--db", str(db))
        assert proc.returncode == 0, f"{args}: {proc.stderr}"
        return proc.stdout

    ok("init", "--profile", "panzhihua", "--org", ORG)
    for name, role, title in LEADERS:
        ok("people", "add", name, "--role", role, "--title", title, "--phone", "13800000000")
    for name in OFFICERS:
        ok("people", "add", name, "--role", "staff", "--title", "科员", "--phone", "13900000000")
    ok("absence", "add", "王建国", "--kind", "trip", "--from", "2026-11-17", "--to", "2026-11-18", "--dest", "北京",
       "--reported-at", "2026-11-10 09:00")
    ok("duty", "plan", "2026", "--holiday", "国庆节")
    return Office(folder, db)


def export(app: FrozenApp, office: Office, tmp_path: Path, *args: str) -> dict:
    proc = run(app, tmp_path, "export", *args, "--db", str(office.db), "--json")
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def test_frozen_weekly_xlsx(frozen_app, office, tmp_path):
    import openpyxl

    target = tmp_path / "board.xlsx"
    result = export(frozen_app, office, tmp_path, "weekly", "--format", "xlsx", "-o", str(target), "--week", WEEK)
    assert result["rows"] == len(LEADERS)
    ws = openpyxl.load_workbook(target).active
    assert ws["A1"].value == f"{ORG}一周领导在岗情况表"
    assert ws["A2"].value == "2026年11月16日—11月22日（第47周）"
    assert [ws.cell(r, 1).value for r in range(5, 5 + len(LEADERS))] == [n for n, _, _ in LEADERS]
    assert ws.cell(5, 2).value == "市长"
    assert ws.cell(5, 3).value == "在岗" and ws.cell(5, 4).value.startswith("出差 北京")
    assert ws.page_setup.orientation == "landscape"


@needs_poppler
def test_frozen_weekly_pdf_finds_fonts(frozen_app, office, tmp_path):
    target = tmp_path / "board.pdf"
    result = export(frozen_app, office, tmp_path, "weekly", "--format", "pdf", "-o", str(target), "--week", WEEK)
    assert result["rows"] == len(LEADERS)
    info = pdf_info(target)
    assert info["Pages"] == "1" and info["Page size"] == "842 x 595 pts (A4)"
    if os.name == "posix":  # readable by the user only (desktop.store.private), in the bundle too
        assert oct(target.stat().st_mode & 0o777) == "0o600"
    flat = squeezed(pdf_text(target))
    # Chinese text that reads back means Qt found a CJK font from inside the bundle (fontconfig on Linux).
    assert f"{ORG}一周领导在岗情况表" in flat and "2026年11月16日—11月22日(第47周)" in flat
    for name, _role, _title in LEADERS:
        assert name in flat
    assert "出差北京" in flat


def test_frozen_duty_docx(frozen_app, office, tmp_path):
    import docx

    target = tmp_path / "duty.docx"
    result = export(frozen_app, office, tmp_path, "duty", "--format", "docx", "-o", str(target),
                    "--from", "2026-10-01", "--to", "2026-10-08")
    assert result["rows"] > 0
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "国庆节" in text
    assert any(name in " ".join(cells) for name, _r, _t in LEADERS), cells


def test_frozen_absences_ics(frozen_app, office, tmp_path):
    import icalendar

    target = tmp_path / "absences.ics"
    result = export(frozen_app, office, tmp_path, "absences", "--format", "ics", "-o", str(target),
                    "--from", "2026-11-01", "--to", "2026-11-30")
    assert result["rows"] == 1
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == 1 and "王建国" in str(events[0]["SUMMARY"])


# --------------------------------------------------------------------------------------------
# One window per database, frozen: QtNetwork's local sockets made it into the bundle
# --------------------------------------------------------------------------------------------

def test_frozen_second_launch_raises_the_first(frozen_app, office, tmp_path):
    from PySide6.QtNetwork import QLocalServer

    from desktop.single_instance import LOG_ENV, server_name

    log = tmp_path / "single.log"
    env = {k: v for k, v in os.environ.items() if k != "DUTYDESK_SMOKE"}
    env |= {"DUTYDESK_DATA_DIR": str(tmp_path / "data"), "DUTYDESK_CONFIG_DIR": str(tmp_path / "config"),
            "QT_QPA_PLATFORM": "offscreen", LOG_ENV: str(log)}
    name = server_name(office.db)

    def lines() -> list[str]:
        return log.read_text(encoding="utf-8").splitlines() if log.exists() else []

    first = subprocess.Popen([str(frozen_app.exe), "--db", str(office.db)], env=env, cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + GUI_TIMEOUT_S
        while f"listening {name}" not in lines():
            assert first.poll() is None, first.communicate()[1].decode("utf-8", "replace")
            assert time.monotonic() < deadline, "the frozen app never started listening"
            time.sleep(0.05)
        second = subprocess.run([str(frozen_app.exe), "--db", str(office.db)], env=env, cwd=tmp_path,
                                capture_output=True, timeout=CLI_TIMEOUT_S)
        assert second.returncode == 0, second.stderr.decode("utf-8", "replace")
        deadline = time.monotonic() + GUI_TIMEOUT_S  # a guard against a hang, not a measure of speed
        while "raised" not in lines():
            assert time.monotonic() < deadline, "the first instance was never raised"
            time.sleep(0.05)
        assert first.poll() is None
    finally:
        first.terminate()
        try:
            first.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            first.kill()
            first.communicate()
        QLocalServer.removeServer(name)


# --------------------------------------------------------------------------------------------
# The Windows workflow builds this spec (no build needed to check it)
# --------------------------------------------------------------------------------------------

def test_windows_workflow_matches_the_spec():
    yaml = pytest.importorskip("yaml")
    workflow = ROOT / ".github" / "workflows" / "windows.yml"
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    job = data["jobs"]["build"]
    assert job["runs-on"] == "windows-latest"
    steps = job["steps"]
    setup = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) == "3.11"
    scripts = "\n".join(str(s.get("run", "")) for s in steps)
    assert 'pytest -m "not frozen and not gui"' in scripts
    assert "PyInstaller build.spec --noconfirm" in scripts
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'executable("dutydesk-cli", True)' in spec and "dist\\DutyDesk\\dutydesk-cli.exe" in scripts
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["name"] == "DutyDesk-windows-${{ steps.version.outputs.version }}"
    assert upload["with"]["path"] == "dist/"
