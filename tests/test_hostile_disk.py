"""A hostile disk and hostile input get answers, not tracebacks or silent resets (issue 16).

Control characters at every entry point; a full disk (a small tmpfs where the tests run as root,
and SQLite's own SQLITE_FULL through ``max_page_count`` everywhere); a 0-byte or truncated file
beside good backups; a read-only folder; a file changed outside the program between a clean close
and the next open; an export that cannot be written; files created readable by the user only.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.absence import Absence
from desktop.core.notice import parse_notice
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.core.text import safe_text, safe_value
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
