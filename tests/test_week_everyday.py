"""每天:日期可直接输入;一周领导在岗情况表可打印任意一周(周四起默认下周)。

Issue 13, "Every day": date fields accept typing, and the weekly board's print preview has a week picker.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from desktop.core.cndate import parse_typed_date
from desktop.ui.widgets import date_edit, pydate

REF = dt.date(2026, 11, 21)


@pytest.mark.parametrize(("text", "expected"), [
    ("28", dt.date(2026, 11, 28)),
    ("28日", dt.date(2026, 11, 28)),
    ("12-8", dt.date(2026, 12, 8)),
    ("12/8", dt.date(2026, 12, 8)),
    ("12.8", dt.date(2026, 12, 8)),
    ("12月8日", dt.date(2026, 12, 8)),
    ("12月8日 星期二", dt.date(2026, 12, 8)),
    ("2026-12-08", dt.date(2026, 12, 8)),
    ("2026/12/8", dt.date(2026, 12, 8)),
    ("2026年12月8日", dt.date(2026, 12, 8)),
    ("20261208", dt.date(2026, 12, 8)),
    ("２０２７－１－５", dt.date(2027, 1, 5)),
])
def test_typed_dates(text, expected):
    assert parse_typed_date(text, REF) == expected


@pytest.mark.parametrize("text", ["", "abc", "2月30日", "32", "13-1", "2026-13-01"])
def test_not_a_date(text):
    assert parse_typed_date(text, REF) is None


def _type(widget, text: str) -> None:
    """Type ``text`` as keystrokes (QTest.keyClicks cannot send Chinese characters)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown if not ch.isascii() else 0,
                                                     Qt.KeyboardModifier.NoModifier, ch))


@pytest.mark.parametrize(("typed", "expected"), [
    ("28", dt.date(2026, 11, 28)),  # typing "28" once gave the 27th
    ("12-8", dt.date(2026, 12, 8)),
    ("12月8日", dt.date(2026, 12, 8)),
    ("2026-12-08", dt.date(2026, 12, 8)),
])
def test_a_date_field_takes_a_typed_date(qtbot, typed, expected):
    box = QWidget()
    qtbot.addWidget(box)
    edit = date_edit(REF)
    other = QLineEdit()
    layout = QVBoxLayout(box)
    layout.addWidget(edit)
    layout.addWidget(other)
    box.show()
    edit.setFocus()
    edit.lineEdit().selectAll()
    _type(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter takes the date (as leaving the field does)
    assert pydate(edit.date()) == expected
    assert edit.text() == f"{expected.year}年{expected.month}月{expected.day}日"


def test_a_typed_date_outside_the_range_is_not_taken(qtbot):
    edit = date_edit(REF)
    qtbot.addWidget(edit)
    edit.setMaximumDate(edit.date())
    assert edit.validate("12-8", 0)[0].name != "Acceptable"


# ---------------------------------------------------------------- the weekly board's week picker

@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 12, 7), dt.date(2026, 12, 7)),  # Monday: this week
    (dt.date(2026, 12, 9), dt.date(2026, 12, 9)),  # Wednesday: this week
    (dt.date(2026, 12, 10), dt.date(2026, 12, 17)),  # Thursday: next week
    (dt.date(2026, 12, 13), dt.date(2026, 12, 20)),  # Sunday: next week
])
def test_the_default_week(today, expected):
    from desktop.ui.printing import default_week_day

    assert default_week_day(today) == expected


@pytest.fixture
def thursday(qapp, tmp_path):
    from desktop import ops
    from desktop.app import configure_app
    from desktop.core.clock import FixedClock
    from desktop.resources import available_profiles
    from desktop.store.opening import open_store
    from desktop.ui.session import Session

    configure_app(qapp)
    store = open_store(tmp_path / "d.db", FixedClock(dt.datetime(2026, 12, 10, 16, 0)), operator="测试员")
    ops.demo.populate_week(store, available_profiles())
    yield Session(store, demo=True)
    store.close()


def test_the_print_menu_previews_next_week_on_thursday_and_any_week_on_demand(qtbot, thursday, monkeypatch):
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    seen = []

    def fake_exec(dialog):
        seen.append(dialog.windowTitle())
        picker = dialog.week_picker
        assert "下周" in picker.range.text()
        picker.prev.click()  # back to this week
        seen.append(dialog.windowTitle())
        assert "本周" in picker.range.text()
        picker.date.setDate(picker.date.date().addDays(35))  # five weeks on
        seen.append(dialog.windowTitle())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    w = MainWindow(thursday, Settings())
    qtbot.addWidget(w)
    w.print_weekly_action.trigger()
    assert seen == ["打印预览 — 一周领导在岗情况表 2026年12月14日—12月20日(第51周)",
                    "打印预览 — 一周领导在岗情况表 2026年12月7日—12月13日(第50周)",
                    "打印预览 — 一周领导在岗情况表 2027年1月11日—1月17日(第2周)"]


def test_the_picked_week_is_what_prints(qtbot, thursday, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from desktop.ui.printing import make_printer, preview_weekly

    kept = {}

    def fake_exec(dialog):
        dialog.week_picker.prev.click()  # this week: 王建国 in 成都 (the demo's chief, away 12月9日—11日)
        kept["dialog"] = dialog
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    preview_weekly(thursday, None)
    printer = make_printer(True)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "week.pdf"
    printer.setOutputFileName(str(out))
    html = []
    import desktop.ui.printing as printing

    real = printing.print_html
    monkeypatch.setattr(printing, "print_html", lambda p, h, **kw: html.append(h) or real(p, h, **kw))
    kept["dialog"].paintRequested.emit(printer)
    assert html and "12月7日" in html[-1] and "12月14日" not in html[-1]
