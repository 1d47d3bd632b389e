"""Page setup remembered per printout kind: the settings (round trip, migration from version 1,
damaged values), the printers built from them, the previews that start from them and save changes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from datetime import date

import pytest

from desktop import ops
from desktop.settings import DEFAULT_MARGINS_MM, PRINT_KINDS, SETTINGS_VERSION, Settings, migrate


def test_page_setup_round_trips(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings()
    assert s.page_size == "A4" and s.margins_mm == list(DEFAULT_MARGINS_MM)
    assert {k: s.landscape(k) for k in PRINT_KINDS} == {"weekly": True, "approval": False, "roster": False,
                                                         "month": True}  # fmt: skip
    assert s.set_page_setup("weekly", page_size="A3", landscape=False, margins_mm=(15, 12.5, 15, 12.5))
    assert not s.set_page_setup("weekly", page_size="A3", landscape=False)  # nothing changed
    s.save(path)
    again = Settings.load(path)
    assert again == s
    assert again.page_size == "A3" and not again.landscape("weekly") and again.margins_mm == [15.0, 12.5, 15.0, 12.5]
    assert again.version == SETTINGS_VERSION == 2


def test_version_1_settings_are_migrated_keeping_the_window(tmp_path):
    path = tmp_path / "settings.json"
    old = {"version": 1, "window_geometry": "AdnQywADAAA=", "window_state": "AAAA/wAAAAD9", "last_section": "duty",
           "recent_dbs": ["D:/值班/dutydesk.db"]}  # fmt: skip
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    s = Settings.load(path)
    assert s.version == 2
    assert (s.window_geometry, s.window_state, s.last_section, s.recent_dbs) == (
        "AdnQywADAAA=", "AAAA/wAAAAD9", "duty", ["D:/值班/dutydesk.db"])
    assert s.page_size == "A4" and s.landscape("weekly") and not s.landscape("approval")
    s.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 2
    # without a version (0): only the window's geometry and state are kept, as before
    assert migrate({"window_geometry": "x", "last_section": "duty"}) == {"window_geometry": "x", "version": 2}


def test_damaged_page_setup_falls_back_to_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 2, "page_size": "Letter", "window_geometry": "g",
                                "orientation": {"weekly": "sideways", "roster": "landscape", "poster": "landscape"},
                                "margins_mm": [1, 2]}), encoding="utf-8")  # fmt: skip
    s = Settings.load(path)
    assert s.page_size == "A4" and s.margins_mm == list(DEFAULT_MARGINS_MM) and s.window_geometry == "g"
    assert s.orientation == {"weekly": "landscape", "approval": "portrait", "roster": "landscape", "month": "landscape"}
    path.write_text(json.dumps({"version": 2, "margins_mm": [10, "x", 10, 10]}), encoding="utf-8")
    assert Settings.load(path).margins_mm == list(DEFAULT_MARGINS_MM)
    # a value the printouts do not take is not remembered
    assert not s.set_page_setup("weekly", page_size="B5", margins_mm=(100, 0, 0, 0))
    with pytest.raises(KeyError):
        s.landscape("poster")


def _layout(printer):
    from PySide6.QtGui import QPageLayout

    layout = printer.pageLayout()
    m = layout.margins(QPageLayout.Unit.Millimeter)
    return (layout.pageSize().id(), layout.orientation(), [round(v, 1) for v in (m.left(), m.top(), m.right(),
                                                                                   m.bottom())])  # fmt: skip


def test_the_printer_for_a_kind_uses_the_remembered_setup(qapp):
    from PySide6.QtGui import QPageLayout, QPageSize

    from desktop.ui.printing import make_printer

    s = Settings()
    s.set_page_setup("weekly", page_size="A3", landscape=True, margins_mm=(20, 15, 20, 15))
    size, orientation, margins = _layout(make_printer(kind="weekly", settings=s))
    assert size is QPageSize.PageSizeId.A3 and orientation is QPageLayout.Orientation.Landscape
    assert margins == [20.0, 15.0, 20.0, 15.0]
    # the approval form keeps its own orientation, on the common paper and margins
    assert _layout(make_printer(True, kind="approval", settings=s))[:2] == (QPageSize.PageSizeId.A3,
                                                                            QPageLayout.Orientation.Portrait)  # fmt: skip
    # without settings, the settings file (the tests' config folder)
    s.save()
    assert _layout(make_printer(kind="weekly"))[0] is QPageSize.PageSizeId.A3
    # without a kind: A4 and the standard margins, whatever is remembered (the exports)
    assert _layout(make_printer(False)) == (QPageSize.PageSizeId.A4, QPageLayout.Orientation.Portrait,
                                            list(DEFAULT_MARGINS_MM))  # fmt: skip


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdf_exports_stay_a4_whatever_is_remembered(qapp, tmp_path):
    from desktop.ui.printing import render_pdf

    s = Settings()
    s.set_page_setup("weekly", page_size="A3", landscape=False)
    s.save()
    pdf = render_pdf("<p>一周领导在岗情况表</p>", tmp_path / "board.pdf", True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.8 x 595.2 pts (A4)" in info or "842 x 595 pts (A4)" in info


def _trip(session) -> int:
    from desktop.core.absence import Absence
    from desktop.core.roles import AbsenceKind
    from desktop.store import people

    draft = Absence(id=None, person_id=people.find_person(session.store, "张丽华").id, kind=AbsenceKind.trip,
                    start=date(2026, 11, 26), end=date(2026, 11, 28), destination="北京", leaves_jurisdiction=True,
                    reported_at=dt.datetime(2026, 11, 20, 16, 0))  # fmt: skip
    return ops.absences.add_absence(session.store, session.profile, draft).value.record.id


def test_weekly_preview_starts_from_the_main_windows_setup_and_saves_changes(qtbot, session, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.printing import preview_weekly

    settings = Settings()
    settings.set_page_setup("weekly", page_size="A3", landscape=True)
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    seen = {}

    def fake_exec(dialog):
        seen["start"] = _layout(dialog.printer())
        assert dialog.page_setup_action.text() == "页面设置…"

        def choose():  # the user, in the 页面设置 dialog the toolbar button opened
            setup = dialog.page_setup_dialog
            assert list(setup.orientation) == ["weekly"]
            setup.paper.setCurrentIndex(setup.paper.findData("A4"))
            setup.orientation["weekly"].setCurrentIndex(0)  # 纵向
            setup.margins[1].setValue(25)
            setup.accept()

        QTimer.singleShot(0, choose)
        dialog.page_setup_action.trigger()
        seen["after"] = _layout(dialog.printer())
        dialog.done(0)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    preview_weekly(session, date(2026, 11, 25), window.pages["people"])  # a page: its window holds the settings
    assert seen["start"][:2] == (QPageSize.PageSizeId.A3, QPageLayout.Orientation.Landscape)
    assert seen["after"] == (QPageSize.PageSizeId.A4, QPageLayout.Orientation.Portrait, [12.0, 25.0, 12.0, 10.0])
    assert settings.page_size == "A4" and not settings.landscape("weekly") and settings.margins_mm[1] == 25
    assert Settings.load().margins_mm[1] == 25  # saved at once, not only when the window closes
    window.close()
    assert Settings.load().page_size == "A4"  # the window's own save keeps it


def test_the_preview_remembers_its_orientation_toggle(qtbot, session, monkeypatch):
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from desktop.ui.printing import preview_approval_form

    rid = _trip(session)

    def fake_exec(dialog):
        assert dialog.printer().pageLayout().orientation() is QPageLayout.Orientation.Portrait
        dialog.printer().setPageOrientation(QPageLayout.Orientation.Landscape)  # the toolbar's 横向
        dialog.done(0)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    preview_approval_form(session, rid)  # no main window: the settings file
    assert Settings.load().landscape("approval")

    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda d: 0)
    dialog = preview_approval_form(session, rid)
    assert dialog.printer().pageLayout().orientation() is QPageLayout.Orientation.Landscape


def test_the_print_menu_opens_the_page_setup(qtbot, session, monkeypatch):
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.printing import PageSetupDialog

    settings = Settings()
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    assert window.page_setup_action.text() == "页面设置…"
    shown = []

    def fake_exec(dialog):
        shown.append(list(dialog.orientation))
        dialog.paper.setCurrentIndex(dialog.paper.findData("A3"))
        dialog.orientation["roster"].setCurrentIndex(1)
        return 1

    monkeypatch.setattr(PageSetupDialog, "exec", fake_exec)
    window.page_setup_action.trigger()
    assert shown == [["weekly", "approval", "roster", "month"]]
    assert settings.page_size == "A3" and settings.landscape("roster")
    assert Settings.load().landscape("roster")

    def restore(dialog):
        dialog.restore_defaults()
        return 1

    monkeypatch.setattr(PageSetupDialog, "exec", restore)
    window.page_setup_action.trigger()
    assert settings.page_size == "A4" and not settings.landscape("roster") and settings.landscape("month")


def test_a_preview_from_a_dialog_uses_the_main_windows_settings(qtbot, session):
    from PySide6.QtWidgets import QDialog

    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.printing import settings_for

    settings = Settings()
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    form = QDialog(window.pages["people"])  # e.g. a record form opened from a page
    assert form.window() is form and settings_for(form) is settings
    window.show()
    assert settings_for(None) is settings  # the application's open main window
    window.close()
    assert settings_for(None) is not settings  # closed: the settings file
