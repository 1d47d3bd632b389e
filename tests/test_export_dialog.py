"""文件 → 导出…: the formats offered per export, the default names and ranges, an export through the
progress helper (a worker thread on its own read-only connection), cancelling (no file left),
errors in Chinese, and the progress dialog itself (shown after half a second, 取消 stops the job)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import openpyxl
import pytest

from desktop import ops
from desktop.export import exporter
from desktop.export.exporter import FORMATS, WHAT


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "文档"
    folder.mkdir()
    return folder


@pytest.fixture
def dialog(qtbot, session, out):
    from desktop.ui.export_dialog import ExportDialog

    d = ExportDialog(session, folder=out)
    qtbot.addWidget(d)
    return d


def files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_each_export_offers_only_its_formats(dialog):
    assert [dialog.what.itemText(i) for i in range(dialog.what.count())] == [
        "一周领导在岗情况表", "值班安排", "外出报备及请假记录"]
    for what in WHAT:
        dialog.set_what(what)
        assert dialog.formats() == list(FORMATS[what])
    dialog.set_what("weekly")
    assert dialog.formats() == ["xlsx", "pdf", "csv"] and "ics" not in dialog.formats()
    with pytest.raises(ValueError):
        dialog.set_format("docx")


def test_defaults_a_week_or_this_year_and_a_name_in_the_folder(dialog, out):
    # the store clock's today is 2026-11-21 (ISO week 47)
    assert dialog.range.currentIndex() == 0 and dialog.range_label.text() == "周次:"
    assert dialog.week_label.text() == "2026年11月16日—11月22日(第47周)"
    assert dialog.path.text() == str(out / "一周领导在岗情况表-2026-W47.xlsx")
    dialog.week.setDate(dialog.week.date().addDays(7))
    assert dialog.path.text().endswith("一周领导在岗情况表-2026-W48.xlsx")
    dialog.set_format("pdf")
    assert dialog.path.text().endswith("一周领导在岗情况表-2026-W48.pdf")
    dialog.set_what("duty")
    assert dialog.range.currentIndex() == 1 and dialog.range_label.text() == "日期范围:"
    assert dialog.range_kwargs() == {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    assert dialog.path.text() == str(out / "值班安排-2026年.pdf")  # the format is kept where it fits
    dialog.set_what("absences")  # the register prints as PDF too: the format is kept
    assert dialog.current_format() == "pdf" and dialog.path.text().endswith("外出报备及请假记录-2026年.pdf")
    dialog.set_format("xlsx")
    assert dialog.path.text().endswith("外出报备及请假记录-2026年.xlsx")
    dialog.start.setDate(dialog.start.date().addMonths(9))
    assert dialog.path.text().endswith("外出报备及请假记录-2026-10-01至2026-12-31.xlsx")
    # a name the user chose is kept; only its suffix follows the format
    dialog.set_path(out / "十一月外出")
    assert dialog.path.text() == str(out / "十一月外出.xlsx")
    dialog.set_format("csv")
    dialog.end.setDate(dialog.end.date().addDays(-1))
    assert dialog.path.text() == str(out / "十一月外出.csv")


def test_a_weekly_xlsx_export_runs_in_a_worker_on_its_own_connection(dialog, session, out, monkeypatch):
    real = exporter.export
    calls = []

    def spy(store, *args, **kwargs):
        calls.append((threading.current_thread() is threading.main_thread(), store is session.store,
                      store.conn is session.store.conn))  # fmt: skip
        with pytest.raises(sqlite3.OperationalError):  # the worker's connection only reads
            store.conn.execute("DELETE FROM person")
        return real(store, *args, **kwargs)

    monkeypatch.setattr(exporter, "export", spy)
    result = dialog.run_export()
    assert calls == [(False, False, False)]
    target = out / "一周领导在岗情况表-2026-W47.xlsx"
    assert result is not None and result.path == target and result.what == "weekly" and result.format == "xlsx"
    assert files(out) == [target.name]  # no temporary file left beside it
    leaders = [p for p in __import__("desktop.store.people", fromlist=["x"]).list_people(session.store)
               if p.role.is_leader and p.active]  # fmt: skip
    assert result.rows == len(leaders) == 10
    assert dialog.message.isVisibleTo(dialog) and "共 10 位领导" in dialog.message.text()
    assert str(target) in dialog.message.text() and not dialog.warning.isVisibleTo(dialog)
    book = openpyxl.load_workbook(target)
    assert "一周领导在岗情况表" in str(book.active["A1"].value)
    assert dialog.open_folder_button.isVisibleTo(dialog)


def test_open_folder_opens_the_exports_folder(dialog, out, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    assert not dialog.open_folder()
    dialog.set_format("csv")
    dialog.run_export()
    dialog.open_folder_button.click()
    assert opened == [str(out)]


def test_cancel_before_the_job_ends_leaves_no_file(dialog, out):
    dialog.on_started = lambda progress, _dlg: progress.cancel()  # 取消 as soon as it starts
    assert dialog.run_export() is None
    assert files(out) == []
    assert dialog.message.text() == "已取消导出,没有写入文件。" and not dialog.open_folder_button.isVisibleTo(dialog)


def test_cancel_after_the_file_was_written_still_leaves_nothing(dialog, out, monkeypatch):
    """The exporter wrote its file (under the temporary name) when 取消 is pressed: it is not
    moved into place, and the temporary file is deleted."""
    real = exporter.export
    started = threading.Event()
    seen = {}

    def on_started(progress, _dlg):
        seen["progress"] = progress
        started.set()

    def export_then_cancel(*args, **kwargs):
        result = real(*args, **kwargs)
        seen["written"] = result.path.exists()
        assert started.wait(5)
        seen["progress"].cancel()  # the user presses 取消 just as the writing ends
        return result

    monkeypatch.setattr(exporter, "export", export_then_cancel)
    dialog.on_started = on_started
    dialog.set_format("pdf")
    assert dialog.run_export() is None
    assert seen["written"] and files(out) == []


def test_errors_are_shown_in_chinese(dialog, out, session):
    dialog.set_what("duty")  # no plan yet
    assert dialog.run_export() is None
    assert "还没有值班安排" in dialog.message.text() and files(out) == []
    dialog.set_path(out / "缺少的文件夹" / "值班.xlsx")
    dialog.run_export()
    assert "不存在" in dialog.message.text()
    dialog.set_format("docx")
    dialog.set_path(out / "值班.docx")
    dialog.set_format("xlsx")
    assert dialog.path.text().endswith("值班.xlsx")
    dialog.path.setText(str(out / "值班.pdf"))  # typed with another format's suffix
    dialog.run_export()
    assert "后缀" in dialog.message.text()
    dialog.path.setText(str(out / "值班.xlsx"))
    dialog.start.setDate(dialog.end.date().addDays(1))
    dialog.run_export()
    assert dialog.message.text() == "结束日期早于开始日期,请改正日期范围。"
    assert files(out) == []


def test_a_duty_export_reports_days_and_the_provisional_calendar(dialog, session, out):
    from desktop.core.duty import year_scope
    from desktop.store import duty

    ops.duty.plan(session.store, session.profile, duty.holiday_plan_scope(session.store, 2026, "国庆节"))
    dialog.set_what("duty")
    result = dialog.run_export()
    assert result is not None and result.rows == 3 and "共 3 个值班日" in dialog.message.text()
    assert not dialog.warning.isVisibleTo(dialog)
    # 2027 has no State Council notice in the calendar: provisional, and the dialog says so
    ops.duty.plan(session.store, session.profile, year_scope(2027))
    dialog.start.setDate(dialog.start.date().addYears(1))
    dialog.end.setDate(dialog.end.date().addYears(1))
    dialog.set_format("ics")
    result = dialog.run_export()
    assert result is not None and result.provisional and result.path.name == "值班安排-2027年.ics"
    assert "个日程" in dialog.message.text()
    assert dialog.warning.isVisibleTo(dialog) and "暂定日历" in dialog.warning.text()


def test_an_existing_file_is_replaced_only_when_confirmed(dialog, out, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    target = out / "一周领导在岗情况表-2026-W47.csv"
    target.write_text("旧文件", encoding="utf-8")
    dialog.set_format("csv")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert dialog.run_export() is None and target.read_text(encoding="utf-8") == "旧文件"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.run_export() is not None and "王建国,市长" in target.read_text(encoding="utf-8-sig")


def test_an_in_memory_store_exports_on_the_gui_thread(qtbot, qapp, clock, out):
    from desktop.resources import available_profiles
    from desktop.store.opening import open_store
    from desktop.ui.export_dialog import ExportDialog
    from desktop.ui.session import Session

    store = open_store(None, clock)
    ops.org.populate(store, available_profiles())
    d = ExportDialog(Session(store, demo=True), folder=out)
    qtbot.addWidget(d)
    d.set_format("csv")
    assert d.run_export().rows == 10 and files(out) == ["一周领导在岗情况表-2026-W47.csv"]
    store.close()


def test_the_file_menu_opens_the_export_dialog(qtbot, session, monkeypatch):
    from PySide6.QtGui import QKeySequence

    from desktop.settings import Settings
    from desktop.ui.export_dialog import ExportDialog
    from desktop.ui.mainwindow import MainWindow

    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    assert window.export_action.shortcut() == QKeySequence("Ctrl+Shift+E")
    shown = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    window.export_action.trigger()
    assert shown == ["导出"]


# --------------------------------------------------------------------------------------------
# The progress helper
# --------------------------------------------------------------------------------------------


def test_the_progress_dialog_appears_after_half_a_second_and_cancel_stops_the_job(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

    from desktop.ui.progress import SHOW_AFTER_MS, Cancelled, run_job

    parent = QWidget()
    qtbot.addWidget(parent)
    partial = tmp_path / "partial.xlsx"
    seen = {"checkpoints passed after 取消": 0}

    def job(progress):
        partial.write_text("写了一半")
        try:
            for _ in range(6_000):  # a long job (1 min at most: a guard against a hang): checkpoints until cancelled
                progress.check()
                if progress.cancelled:  # 取消 came between the checkpoint's look and here
                    seen["checkpoints passed after 取消"] += 1
                time.sleep(0.01)
        except Cancelled:
            seen["stopped by"] = "checkpoint"
            raise
        finally:
            partial.unlink()
            seen["stopped"] = True

    def look(at):
        dialog = parent.findChild(QProgressDialog)
        seen[at] = dialog is not None and dialog.isVisible()

    def press_cancel():
        look("late")
        dialog = parent.findChild(QProgressDialog)
        seen["label"] = dialog.labelText()
        dialog.findChild(QPushButton).click()

    QTimer.singleShot(100, lambda: look("early"))
    QTimer.singleShot(SHOW_AFTER_MS + 300, press_cancel)
    with pytest.raises(Cancelled):
        run_job(parent, "正在导出…", job)
    # 取消 stopped the job at its next checkpoint (counted, not timed): at most one checkpoint went by after it
    assert seen.pop("checkpoints passed after 取消") <= 1
    assert seen == {"early": False, "late": True, "label": "正在导出…", "stopped": True, "stopped by": "checkpoint"}
    assert not partial.exists()
    assert parent.findChild(QProgressDialog) is None or not parent.findChild(QProgressDialog).isVisible()


def test_a_short_job_shows_no_dialog_and_errors_come_back(qtbot):
    from PySide6.QtWidgets import QProgressDialog, QWidget

    from desktop.core.errors import UserError
    from desktop.ui.progress import run_job

    parent = QWidget()
    qtbot.addWidget(parent)
    assert run_job(parent, "正在导出…", lambda p: 42) == 42
    assert run_job(parent, "正在导出…", lambda p: 7, in_thread=False) == 7

    def fails(progress):
        raise UserError("无法写入")

    with pytest.raises(UserError, match="无法写入"):
        run_job(parent, "正在导出…", fails)
    assert all(not d.isVisible() for d in parent.findChildren(QProgressDialog))


def test_cancel_interrupts_a_running_query(qtbot, session):
    """取消 during a long query of the worker's read-only connection stops it at once."""
    from desktop.ui.progress import Cancelled, run_store_job

    querying = threading.Event()

    def job(reader, progress):
        progress.check()
        assert threading.current_thread() is not threading.main_thread()
        querying.set()
        # a query that never ends unless interrupted: the only way out of it is 取消
        return reader.conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                                   "SELECT COUNT(*) FROM n").fetchone()  # fmt: skip

    def cancel_once_querying(progress, _dialog):
        # after the job's last checkpoint, once it is in the query (an event, not a time); the timeout only
        # guards against a hang
        threading.Thread(target=lambda: querying.wait(300) and progress.cancel(), daemon=True).start()

    with pytest.raises(Cancelled):
        run_store_job(None, session.store, "正在导出…", job, started=cancel_once_querying)
    assert querying.is_set()  # so it was the running query that 取消 stopped


def test_escape_cancels_too(qtbot):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QProgressDialog, QWidget

    from desktop.ui.progress import SHOW_AFTER_MS, Cancelled, run_job

    parent = QWidget()
    qtbot.addWidget(parent)

    def job(progress):
        for _ in range(6_000):  # 1 min at most (a guard against a hang): checkpoints until cancelled
            progress.check()
            time.sleep(0.01)

    QTimer.singleShot(SHOW_AFTER_MS + 200, lambda: QTest.keyClick(parent.findChild(QProgressDialog), Qt.Key.Key_Escape))
    with pytest.raises(Cancelled):
        run_job(parent, "正在导出…", job)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_absences_register_exports_from_the_dialog(dialog, out, fmt):
    """外出报备及请假记录 as the register for the files (PDF laid out by Qt in the worker, or Word)."""
    dialog.set_what("absences")
    dialog.set_format(fmt)
    result = dialog.run_export()
    target = out / f"外出报备及请假记录-2026年.{fmt}"
    assert result is not None and result.path == target and result.format == fmt
    assert files(out) == [target.name] and target.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")
