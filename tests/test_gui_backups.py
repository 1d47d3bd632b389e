"""图形界面的备份与恢复:损坏文件对话框、恢复备份对话框、撤销上次恢复、只读横幅与磁盘已满(pytest-qt)。"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop import ops
from desktop.core.clock import FixedClock
from desktop.core.people import PersonDraft
from desktop.core.roles import Role
from desktop.resources import available_profiles
from desktop.settings import Settings
from desktop.store import audit, backups, db
from desktop.store.db import backup
from desktop.store.opening import open_store
from desktop.ui import backup_dialogs
from desktop.ui.backup_dialogs import BackupsDialog, DamagedDialog
from desktop.ui.mainwindow import MainWindow
from desktop.ui.session import Session

NOW = dt.datetime(2026, 11, 21, 9, 30)
def _shot(shots: Path, widget, name: str) -> None:
    assert widget.grab().save(str(shots / name))


def _names(store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM person ORDER BY id")]


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def answers(monkeypatch):
    """Confirmations answered yes; information boxes and errors collected instead of shown."""
    seen = {"asked": [], "told": [], "errors": []}
    monkeypatch.setattr(backup_dialogs, "_ask", lambda parent, title, text: seen["asked"].append(text) or True)
    monkeypatch.setattr(backup_dialogs, "_inform", lambda parent, title, text: seen["told"].append(text))
    monkeypatch.setattr(backup_dialogs, "_error", lambda parent, text: seen["errors"].append(text))
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": seen["errors"].append(message))
    return seen


def _database(path: Path, clock, *names: str) -> None:
    s = open_store(path, clock, operator="测试员")
    ops.org.init_org(s, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    for name in names:
        ops.people.add_person(s, PersonDraft(name=name, role=Role.deputy, title="副市长" * 20))
    s.close()


def _damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle:middle + 8192] = b"\xa5" * 8192
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(db_path, clock):
    """A database with a good daily backup of 2026-11-22, then damaged in the middle."""
    _database(db_path, clock, "王一", "张二", "刘三")
    clock.moment += dt.timedelta(days=1)
    open_store(db_path, clock).close()
    _damage_middle(db_path)
    return db_path


def _when_modal(cls, act, seen: list | None = None):
    """Once a modal dialog of `cls` is shown, act on it (exec() blocks the test otherwise)."""

    def poll():
        w = QApplication.activeModalWidget()
        if isinstance(w, cls) and w.isVisible():
            if seen is not None:
                seen.append(w)
            try:
                act(w)
            except BaseException:
                w.reject()  # a failed check must not leave the test waiting on exec()
                raise
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_a_damaged_database_offers_the_newest_good_backup_and_opens_after_restoring(qtbot, damaged, clock, answers,
                                                                                     shots):
    from desktop.app import open_session

    shown: list[DamagedDialog] = []

    def restore(dialog):
        _shot(shots, dialog, "backup-damaged-dialog.png")
        dialog.restore_button.click()

    _when_modal(DamagedDialog, restore, shown)
    session = open_session(damaged, False, clock)
    assert session is not None
    assert _names(session.store) == ["王一", "张二", "刘三"]
    assert audit.history(session.store)[0].action == "restore"
    dialog = shown[0]
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "数据库文件已损坏,无法打开" in texts
    assert "最新的完好备份:2026-11-22 09:30(每日自动备份" in texts
    assert [b.text() for b in (dialog.restore_button, dialog.choose_button, dialog.quit_button)] == [
        "恢复此备份", "选择其他备份…", "退出"]
    pre = [b for b in backups.list_backups(damaged) if b.reason == "pre-restore"]
    assert len(pre) == 1  # the damaged file, kept
    session.store.close()


def test_quitting_the_damaged_dialog_opens_nothing_and_changes_nothing(qtbot, damaged, clock, answers):
    from desktop.app import open_session

    before = damaged.read_bytes()
    _when_modal(DamagedDialog, lambda d: d.quit_button.click())
    assert open_session(damaged, False, clock) is None
    assert damaged.read_bytes() == before


def test_choosing_another_backup_from_the_damaged_dialog(qtbot, damaged, clock, answers):
    from desktop.app import open_session

    def choose(dialog):
        _when_modal(BackupsDialog, pick_oldest)
        dialog.choose_button.click()

    def pick_oldest(dialog):
        assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == ["每日自动"]
        assert dialog.backup_button is None and dialog.keep_spin is None  # nothing open to back up
        dialog.table.selectRow(0)
        dialog.restore_button.click()

    _when_modal(DamagedDialog, choose)
    session = open_session(damaged, False, clock)
    assert session is not None and _names(session.store) == ["王一", "张二", "刘三"]
    assert "恢复之前,当前的数据会先自动备份" in answers["asked"][0]
    session.store.close()


@pytest.fixture
def window(qtbot, db_path, clock):
    _database(db_path, clock, "王一")
    s = open_store(db_path, clock, operator="测试员")
    saved = backup(s)
    ops.people.add_person(s, PersonDraft(name="张二", role=Role.deputy))
    w = MainWindow(Session(s), Settings())
    qtbot.addWidget(w)
    w.show()
    w.saved = saved
    yield w
    w.session.store.close()


def test_the_restore_dialog_lists_backups_and_restores_with_confirmation_then_undo(qtbot, window, answers, clock,
                                                                                    shots):
    assert not window.undo_restore_action.isEnabled()
    window.show_section("people")
    clock.moment += dt.timedelta(hours=2)
    listed: list[BackupsDialog] = []

    def restore(dialog):
        rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
        assert rows[0][:2] == ["2026-11-21 09:30:00", "手动"] and rows[0][3] == "完好"
        assert "恢复那份备份即可撤销" in dialog.help.text()
        _shot(shots, dialog, "backup-restore-dialog.png")
        dialog.restore_button.click()

    _when_modal(BackupsDialog, restore, listed)
    window.restore_action.trigger()
    assert "当前的数据会先自动备份" in answers["asked"][0] and "撤销上次恢复" in answers["asked"][0]
    assert not answers["errors"], answers["errors"]
    assert _names(window.session.store) == ["王一"]
    assert "撤销上次恢复" in answers["told"][0]
    page = window.pages["people"]
    assert window.stack.currentWidget() is page and page.session is window.session
    backup_dialogs.update_undo_action(window)
    assert window.undo_restore_action.isEnabled()
    window.undo_restore_action.trigger()
    assert _names(window.session.store) == ["王一", "张二"]
    assert audit.verify(window.session.store)[1] is None


def test_back_up_now_and_the_number_kept_from_the_dialog(qtbot, window, answers, clock):
    clock.moment += dt.timedelta(minutes=5)

    def act(dialog):
        before = dialog.table.rowCount()
        dialog.backup_button.click()
        assert dialog.table.rowCount() == before + 1
        dialog.keep_spin.setValue(7)
        dialog.keep_button.click()
        dialog.reject()

    _when_modal(BackupsDialog, act)
    window.restore_action.trigger()
    assert backups.backup_keep(window.session.store) == 7
    assert answers["told"][0].startswith("已备份到") and "保留最新 7 份" in answers["told"][1]


def test_a_read_only_database_shows_a_banner_and_refuses_writes_without_a_traceback(qtbot, db_path, clock, answers,
                                                                                    monkeypatch, shots):
    _database(db_path, clock, "王一")
    monkeypatch.setattr(db, "writable", lambda _path: False)
    s = open_store(db_path, clock)
    session = Session(s)
    w = MainWindow(session, Settings())
    qtbot.addWidget(w)
    w.show()
    holder = w.findChild(QWidget, "readOnlyBanner")
    assert holder is not None and holder.isVisible()
    banner = holder.layout().itemAt(0).widget()
    assert banner.text().startswith("只读:") and "只能查看" in banner.text()
    _shot(shots, w, "backup-read-only-window.png")
    result = session.run(w, ops.people.add_person, PersonDraft(name="张二", role=Role.deputy))
    assert result is None and "只读" in answers["errors"][0]
    assert _names(s) == ["王一"]
    s.close()


def test_a_full_disk_refuses_the_write_and_the_window_keeps_working(qtbot, window, answers):
    store = window.session.store
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    for n in range(2000):
        if window.session.run(window, ops.people.add_person,
                              PersonDraft(name=f"人员{n:04d}", role=Role.dept_head, unit="单位" * 50)) is None:
            break
    assert "磁盘已满" in answers["errors"][0]
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert window.session.run(window, ops.people.add_person, PersonDraft(name="赵六", role=Role.deputy))


def test_damaged_open_in_a_smoke_run_fails_with_the_message(damaged, clock, monkeypatch):
    from desktop.app import open_session
    from desktop.store.errors import DatabaseDamaged

    monkeypatch.setitem(os.environ, "DUTYDESK_SMOKE", "1")
    with pytest.raises(DatabaseDamaged, match="已损坏"):
        open_session(damaged, False, clock)


def test_back_up_to_a_chosen_file_restore_from_another_file_and_undo_in_the_dialog(qtbot, window, answers, clock,
                                                                                 monkeypatch, tmp_path):
    chosen = tmp_path / "U盘" / "值班备份.db"
    chosen.parent.mkdir()
    suggested: list[str] = []

    def save_name(parent, title, start, filters):
        suggested.append(start)
        return str(chosen), filters

    monkeypatch.setattr(backup_dialogs.QFileDialog, "getSaveFileName", save_name)
    window.backup()  # 文件 → 备份数据库…
    assert Path(suggested[0]).parent.name == "backups" and re.search(r"-20261121-093000-manual(\.\d+)?\.db$", suggested[0])
    assert chosen.exists() and answers["told"][0] == f"已备份到 {chosen}"
    clock.moment += dt.timedelta(hours=1)
    other = tmp_path / "other.db"
    other.write_bytes(window.saved.read_bytes())  # the backup with 王一 only, from elsewhere
    monkeypatch.setattr(backup_dialogs.QFileDialog, "getOpenFileName", lambda *a: (str(other), ""))
    _when_modal(BackupsDialog, lambda d: d.other_button.click())
    window.restore_action.trigger()
    assert _names(window.session.store) == ["王一"]
    clock.moment += dt.timedelta(hours=1)

    def undo(dialog):
        assert dialog.undo_button is not None
        dialog.undo_button.click()

    _when_modal(BackupsDialog, undo)
    window.restore_action.trigger()
    assert _names(window.session.store) == ["王一", "张二"]
    assert not answers["errors"], answers["errors"]
