"""A hostile disk and hostile input get answers, not tracebacks or silent resets (issue 16).

Control characters at every entry point; a full disk (a small tmpfs where the tests run as root,
and SQLite's own SQLITE_FULL through ``max_page_count`` everywhere); a 0-byte or truncated file
beside good backups; a read-only folder; a file changed outside the program between a clean close
and the next open; an export that cannot be written; files created readable by the user only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from desktop import ops
from desktop.cli import main
from desktop.core.absence import Absence
from desktop.core.notice import parse_notice
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.core.text import safe_text, safe_value
from desktop.settings import Settings
from desktop.store import anchors
from desktop.store.db import backup_dir
from desktop.store.errors import StoreError
from desktop.store.opening import open_store

NUL, RLO = "\x00", "\u202e"


@pytest.fixture
def run(db_path, clock, capsys):
    def _run(*argv):
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return _run


@pytest.fixture
def initialised(run):
    assert run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    return run


def _names(db_path) -> list[str]:
    return [r[0] for r in sqlite3.connect(db_path).execute("SELECT name FROM person ORDER BY id")]


# ---------------------------------------------------------------- control characters

def test_safe_text_removes_controls_and_bidi_overrides_keeps_lines():
    assert safe_text(f"陈{NUL}明{RLO}\u2066甲\u2069\u200f\x1b[31m\x7f\x85") == "陈明甲[31m"
    assert safe_text("第一行\n第二行\t甲\r\n") == "第一行\n第二行\t甲\r\n"
    assert safe_value({"a": [f"x{NUL}", ("y", f"z{RLO}")]}) == {"a": ["x", ("y", "z")]}
    same = {"a": ["x"]}
    assert safe_value(same) is same  # nothing to clean: the same object


def test_csv_import_stores_names_without_nul_and_rlo(initialised, db_path, tmp_path):
    csv = tmp_path / "名单.csv"
    csv.write_text(f"姓名,角色,职务\n王{NUL}县长,chief,县长\n甲{RLO}副县长,deputy,副县长\n", encoding="utf-8")
    code, _, err = initialised("people", "import", str(csv))
    assert code == 0, err
    assert _names(db_path) == ["王县长", "甲副县长"]


def test_cli_arguments_are_cleaned(initialised, db_path):
    code, _, err = initialised("people", "add", f"乙{RLO}副县长", "--role", "deputy", "--title", f"副{NUL}县长")
    assert code == 0, err
    row = sqlite3.connect(db_path).execute("SELECT name, title FROM person").fetchone()
    assert row == ("乙副县长", "副县长")


def test_forms_through_operations_are_cleaned(demo_store):
    """The dialogs save through operations: the operation cleans every text it is given."""
    store = demo_store
    person = ops.people.add_person(store, PersonDraft(name=f"丙{RLO}副市长", role=Role.deputy, note=f"备{NUL}注")).value
    assert (person.name, person.note) == ("丙副市长", "备注")
    profile = ops.org.profile_of(store)
    deputy = store.conn.execute("SELECT id FROM person WHERE role = 'deputy' ORDER BY rank").fetchone()[0]
    draft = Absence(id=None, person_id=deputy, kind=AbsenceKind.trip, start=dt.date(2026, 12, 1),
                    end=dt.date(2026, 12, 2), destination=f"北京{RLO}", reason=f"汇报{NUL}工作",
                    leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 20, 9))
    saved = ops.absences.add_absence(store, profile, draft).value.record
    row = store.conn.execute("SELECT destination, reason FROM absence WHERE id = :id", {"id": saved.id}).fetchone()
    assert row == ("北京", "汇报工作")


def test_notice_text_is_cleaned(tmp_path):
    text = (f"国务院办公厅关于2030年部分节假日安排的通知{RLO}\n"
            f"一、元旦:1月1日放假{NUL},共1天。\n")
    notice = parse_notice(text)
    assert notice.title == "国务院办公厅关于2030年部分节假日安排的通知"
    assert [(e.day, e.rest) for e in notice.entries] == [(dt.date(2030, 1, 1), True)]


# ---------------------------------------------------------------- a 0-byte or truncated file beside good backups

def _with_daily_backup(db_path, clock, run) -> None:
    """A database with two people and a good daily backup of the next day."""
    assert run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    assert run("people", "add", "王县长", "--role", "chief")[0] == 0
    assert run("people", "add", "甲副县长", "--role", "deputy")[0] == 0
    clock.moment += dt.timedelta(days=1)
    open_store(db_path, clock).close()  # the day's first open: the daily backup


def test_a_checkpoint_killed_half_way_is_not_taken_for_a_truncated_file(db_path, clock, run, tmp_path):
    """SIGKILL during a checkpoint can leave page 1 (the header, with the new page count) written and
    the pages after it not yet: the file is then shorter than its header says while the -wal holds
    every page. The next open finishes the checkpoint from the -wal; it is not a damaged file (seen in
    tests/test_crash.py when a kill landed there)."""
    _with_daily_backup(db_path, clock, run)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE filler (x BLOB)")
    conn.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(3000),) for _ in range(40)])
    conn.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal"):  # the state at the kill: the file as it was, the -wal with the new pages
        shutil.copy2(f"{db_path}{suffix}", f"{crashed / db_path.name}{suffix}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the finished checkpoint: its page 1
    conn.close()
    page_size = int.from_bytes(db_path.read_bytes()[16:18], "big")
    header = db_path.read_bytes()[:page_size]
    killed = crashed / db_path.name
    body = killed.read_bytes()
    killed.write_bytes(header + body[page_size:])  # page 1 written, the rest not yet
    assert killed.stat().st_size < int.from_bytes(header[28:32], "big") * page_size
    store = open_store(killed, clock)
    try:
        assert store.conn.execute("SELECT COUNT(*) FROM filler").fetchone()[0] == 40
        assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["empty", "truncated"])
def test_an_empty_or_truncated_file_beside_backups_is_refused_with_a_one_step_restore(db_path, clock, run, damage):
    _with_daily_backup(db_path, clock, run)
    if damage == "empty":
        db_path.write_bytes(b"")
    else:
        data = db_path.read_bytes()
        db_path.write_bytes(data[: len(data) // 2])
    for command in (("people", "list"), ("audit", "verify")):
        code, out, err = run(*command)
        assert code == 2 and out == ""
        assert "已损坏,无法打开" in err and ("0 字节" in err if damage == "empty" else "文件被截短" in err)
        assert "最新的完好备份是 2026-11-22" in err and "dutydesk restore --latest" in err
    assert db_path.stat().st_size == (0 if damage == "empty" else len(data) // 2)  # left as it was
    code, out, err = run("restore", "--latest")
    assert code == 0, err
    code, out, _ = run("people", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["王县长", "甲副县长"]


def test_an_empty_file_without_backups_is_a_new_database(db_path, run):
    db_path.write_bytes(b"")
    assert run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0


def _when_modal(cls, act, seen: list | None = None):
    """Once a modal dialog of `cls` is shown, act on it (exec() blocks the test otherwise)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll():
        w = QApplication.activeModalWidget()
        if isinstance(w, cls) and w.isVisible():
            if seen is not None:
                seen.append(w)
            try:
                act(w)
            except BaseException:
                w.reject()
                raise
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_an_empty_file_in_the_window_offers_the_newest_good_backup(qtbot, db_path, clock, run, shots, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from desktop.app import open_session
    from desktop.ui import backup_dialogs
    from desktop.ui.backup_dialogs import DamagedDialog

    monkeypatch.setattr(backup_dialogs, "_ask", lambda parent, title, text: True)
    monkeypatch.setattr(backup_dialogs, "_inform", lambda parent, title, text: None)
    from desktop.ui.firstrun import FirstRunDialog

    def first_setup(dialog):  # an empty file taken for a new database would ask for the first setup
        raise AssertionError("the empty file was taken for a new database")

    monkeypatch.setattr(FirstRunDialog, "exec", first_setup)
    _with_daily_backup(db_path, clock, run)
    db_path.write_bytes(b"")
    shown: list = []

    def restore(dialog):
        assert dialog.grab().save(str(shots / "empty-file-dialog.png"))
        dialog.restore_button.click()

    _when_modal(DamagedDialog, restore, shown)
    session = open_session(db_path, False, clock)
    assert session is not None
    texts = " ".join(label.text() for label in shown[0].findChildren(QLabel))
    assert "0 字节" in texts and "最新的完好备份:2026-11-22" in texts
    assert [r[0] for r in session.store.conn.execute("SELECT name FROM person ORDER BY id")] == ["王县长", "甲副县长"]
    session.store.close()


# ---------------------------------------------------------------- a full disk, a read-only folder

@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (the tests run as root in CI); skipped where it cannot be mounted — the
    SQLITE_FULL test below covers a full disk everywhere."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder) -> None:
    with (folder / "fill").open("wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    assert shutil.disk_usage(folder).free < 65536


def _cli(db, clock, capsys, *argv):
    code = main([*argv, "--db", str(db)], clock=clock)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "内部错误" not in err
    return code, out, err


def test_a_full_disk_reads_work_and_writes_say_the_disk_is_full(small_disk, clock, capsys):
    db = small_disk / "gov.db"
    assert _cli(db, clock, capsys, "init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    assert _cli(db, clock, capsys, "people", "add", "王县长", "--role", "chief")[0] == 0
    _fill(small_disk)
    before = db.read_bytes()
    for command in (("people", "list"), ("audit", "verify"), ("acting", "2026-12-01")):
        code, _out, err = _cli(db, clock, capsys, *command)
        assert code == 0 and "磁盘已满" in err, err
    assert "王县长" in _cli(db, clock, capsys, "people", "list")[1]
    code, _, err = _cli(db, clock, capsys, "people", "add", "甲副县长", "--role", "deputy")
    assert code == 2 and "磁盘已满" in err and "没有改动任何内容" in err
    code, _, err = _cli(db, clock, capsys, "backup")
    assert code == 2 and "磁盘已满" in err
    code, _, err = _cli(db, clock, capsys, "export", "absences", "--format", "csv", "-o", str(small_disk / "x.csv"))
    assert code == 2 and "磁盘已满" in err and "没有留下不完整的文件" in err
    assert db.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir() if p.name.startswith(".") or p.suffix == ".csv") == []
    (small_disk / "fill").unlink()
    assert _cli(db, clock, capsys, "people", "add", "甲副县长", "--role", "deputy")[0] == 0  # space again: writes work


def test_sqlite_full_refuses_the_write_and_keeps_the_data(store):
    """SQLite's own SQLITE_FULL (max_page_count: the file may not grow): the save is refused in
    Chinese, nothing of it is written, and reading goes on."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    before = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    drafts = [PersonDraft(name=f"人员{i}", role=Role.staff, note="备注" * 45) for i in range(400)]
    with pytest.raises(StoreError, match="磁盘已满") as caught:
        for draft in drafts:
            ops.people.add_person(store, draft)
    assert "本次修改没有保存" in str(caught.value)
    added = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0] - before
    assert store.conn.execute("SELECT count(*) FROM person").fetchone()[0] == added  # each saved write whole
    assert store.conn.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_a_read_only_mount_reads_work_writes_are_refused(small_disk, clock, capsys, tmp_path):
    db = small_disk / "gov.db"
    assert _cli(db, clock, capsys, "init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    assert _cli(db, clock, capsys, "people", "add", "王县长", "--role", "chief")[0] == 0
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    for command in (("people", "list"), ("audit", "verify"), ("acting", "2026-12-01")):
        code, _out, err = _cli(db, clock, capsys, *command)
        assert code == 0 and "只读" in err, err
    code, _, err = _cli(db, clock, capsys, "export", "absences", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert code == 0, err
    code, _, err = _cli(db, clock, capsys, "people", "add", "甲副县长", "--role", "deputy")
    assert code == 2 and "只读" in err


def test_a_read_only_folder_with_a_writable_file_reads(db_path, clock, capsys, monkeypatch):
    """The folder cannot be written (SQLite could not make its -wal there); the file itself could."""
    assert _cli(db_path, clock, capsys, "init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    assert _cli(db_path, clock, capsys, "people", "add", "王县长", "--role", "chief")[0] == 0
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == db_path.parent and mode == os.W_OK
                        else real(p, mode, **kw))
    code, out, err = _cli(db_path, clock, capsys, "people", "list")
    assert code == 0 and "王县长" in out and "只读" in err
    code, _, err = _cli(db_path, clock, capsys, "people", "add", "甲副县长", "--role", "deputy")
    assert code == 2 and "只读" in err


# ---------------------------------------------------------------- changed outside the program

def _overwrite_inside(path: Path) -> None:
    """What quick_check does not see: bytes of a record's text changed in place (same length)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"13900000001")
    assert at > 0
    data[at:at + 11] = b"13900000009"
    path.write_bytes(bytes(data))


def test_a_file_changed_after_a_clean_close_is_reported_at_the_next_open(initialised, db_path, clock, capsys):
    assert initialised("people", "add", "王县长", "--role", "chief", "--phone", "13900000001")[0] == 0
    assert anchors.close_record_path(db_path).exists()
    _overwrite_inside(db_path)
    assert sqlite3.connect(db_path).execute("PRAGMA quick_check").fetchone() == ("ok",)  # invisible to it
    code, _, err = _cli(db_path, clock, capsys, "people", "add", "甲副县长", "--role", "deputy")
    assert code == 0
    assert "文件在程序之外被修改过:数据库文件 test.db 与上次正常关闭时(2026-11-21 09:30)记下的校验和不同" in err
    code, _, err = _cli(db_path, clock, capsys, "people", "add", "乙副县长", "--role", "deputy")
    assert code == 0 and "程序之外" not in err  # the program's own writes since then are no alarm


def test_the_program_s_own_writes_and_reads_are_no_alarm(initialised, db_path, clock, capsys):
    for name in ("王县长", "甲副县长"):
        assert initialised("people", "add", name, "--role", "deputy")[0] == 0
        assert initialised("people", "list")[0] == 0
        code, _, err = initialised("audit", "verify")
        assert code == 0 and "程序之外" not in err


def test_the_window_shows_the_change_outside(qtbot, initialised, db_path, clock):
    from desktop.app import open_session
    from desktop.ui.mainwindow import MainWindow

    assert initialised("people", "add", "王县长", "--role", "chief", "--phone", "13900000001")[0] == 0
    _overwrite_inside(db_path)
    session = open_session(db_path, False, clock)
    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    banners = [w for w in window.store_banners if w.objectName() == "changedOutsideBanner"]
    assert len(banners) == 1
    session.store.close()


def test_a_backup_changed_afterwards_is_not_restored(initialised, db_path, clock, capsys):
    assert initialised("people", "add", "王县长", "--role", "chief", "--phone", "13900000001")[0] == 0
    code, out, _ = initialised("backup", "--json")
    target = Path(json.loads(out)["backup"])
    assert anchors.recorded_digest(target) == anchors.file_digest(target)
    _overwrite_inside(target)
    code, _, err = initialised("restore", str(target))
    assert code == 2 and "备份文件在程序之外被修改过(与备份时记下的校验和不同)" in err and "当前数据库没有被改动" in err


# ---------------------------------------------------------------- exports, settings, backups: private, whole

def test_an_export_to_dev_full_fails_in_chinese_and_leaves_nothing(initialised, tmp_path):
    code, out, err = initialised("export", "absences", "--format", "csv", "-o", "/dev/full")
    assert code == 2 and out == "" and "不是普通文件" in err
    assert not Path("/dev/full.csv").exists()


def test_files_are_created_for_the_user_only(initialised, db_path, tmp_path):
    assert initialised("people", "add", "王县长", "--role", "chief")[0] == 0
    assert initialised("backup")[0] == 0
    assert oct(backup_dir(db_path).stat().st_mode & 0o777) == oct(0o700)
    assert initialised("export", "absences", "--format", "csv", "-o", str(tmp_path / "外出.csv"))[0] == 0
    assert oct((tmp_path / "外出.csv").stat().st_mode & 0o777) == oct(0o600)
    settings = tmp_path / "config" / "settings.json"
    Settings().save(settings)
    assert oct(settings.stat().st_mode & 0o777) == oct(0o600)
    assert oct(anchors.close_record_path(db_path).stat().st_mode & 0o777) == oct(0o600)


def test_an_anchor_that_cannot_be_written_is_said_on_the_command_line(initialised, db_path, monkeypatch):
    def refuse(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(anchors, "_write", refuse)
    code, _, err = initialised("people", "add", "王县长", "--role", "chief")
    assert code == 0
    assert f"注意:审计日志的锚点文件 {anchors.anchor_path(db_path)} 没有写入(No space left on device),数据已保存。" in err


def test_an_anchor_that_cannot_be_written_is_shown_over_the_window_until_one_is(qtbot, demo_store, monkeypatch):
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.session import Session

    session = Session(demo_store)
    window = MainWindow(session, Settings())
    qtbot.addWidget(window)

    def kinds():
        return [w.objectName() for w in window.store_banners]

    assert "anchorBanner" not in kinds()
    real = anchors._write

    def refuse(path, data):
        if path.name.endswith(anchors.SUFFIX):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(anchors, "_write", refuse)
    session.run(window, ops.people.add_person, PersonDraft(name="新同志", role=Role.staff))
    assert "anchorBanner" in kinds()
    monkeypatch.setattr(anchors, "_write", real)
    session.run(window, ops.people.add_person, PersonDraft(name="又一位", role=Role.staff))
    assert "anchorBanner" not in kinds()


def test_a_full_disk_in_the_window_reads_and_says_the_disk_is_full(qtbot, small_disk, clock, capsys, monkeypatch, shots):
    from desktop.app import open_session
    from desktop.ui import session as session_module
    from desktop.ui.mainwindow import MainWindow

    db = small_disk / "gov.db"
    assert _cli(db, clock, capsys, "init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    assert _cli(db, clock, capsys, "people", "add", "王县长", "--role", "chief")[0] == 0
    _fill(small_disk)
    errors: list[str] = []
    monkeypatch.setattr(session_module, "show_error", lambda parent, message, title="": errors.append(message))
    session = open_session(db, False, clock)
    assert session is not None and session.store.disk_full
    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    window.resize(1100, 600)
    banner = next(w for w in window.store_banners if w.objectName() == "readOnlyBanner")
    assert window.grab().save(str(shots / "full-disk-window.png"))
    texts = " ".join(label.text() for label in banner.findChildren(QLabel))
    assert "磁盘已满" in texts
    assert session.run(window, ops.people.add_person, PersonDraft(name="甲副县长", role=Role.deputy)) is None
    assert errors and "磁盘已满" in errors[0]
    session.store.close()
