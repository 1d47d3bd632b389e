"""The living demo at two screen sizes: every page, and the dialogs of issue 13 ("The secretary's week").

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_week.py shots/

For 1920×1080 and 1366×768 (each minus a 40-pixel taskbar) the window fills the available area; the
dialogs (notice import, the weekly board's preview with its week picker, a new record, export, Qt's
file dialog) open as they would on that screen (desktop.ui.screen_fit), so what falls off shows.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCREENS = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
TASKBAR = 40


def main(out: Path) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QApplication, QFileDialog

    from desktop.app import configure_app, open_session
    from desktop.core.clock import FixedClock
    from desktop.settings import Settings
    from desktop.ui import screen_fit
    from desktop.ui.mainwindow import SECTIONS, MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(dt.datetime(2026, 12, 10, 9, 30)))  # a Thursday

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    for size, (w, h) in SCREENS.items():
        area = QRect(0, 0, w, h - TASKBAR)
        screen_fit.available_geometries = lambda area=area: [area]
        window = MainWindow(session, Settings())
        window.setGeometry(QRect(0, 30, w, h - TASKBAR - 30))  # maximised, under its title bar
        window.show()
        for key, _label, _path in SECTIONS:
            window.show_section(key)
            save(window, f"{size}-page-{key}")
        if size == "1920x1080":
            duty = window.pages["duty"]
            window.show_section("duty")
            duty.tabs.setCurrentIndex(duty.tabs.count() - 1)
            save(window, f"{size}-page-duty-loads")
            duty.tabs.setCurrentIndex(0)
            window.show_section("meetings")
            window.pages["meetings"].list.selectRow(0)
            save(window, f"{size}-page-meetings-selected")
            today = window.pages["today"]
            window.show_section("today")
            today.set_day(dt.date(2026, 12, 14))  # the AB gap: 赵雪梅 and 孙卫东 both away
            save(window, f"{size}-page-today-gap-day")
            today.go_today()

        from desktop.ui.notice_dialog import NoticeDialog

        notice = NoticeDialog(session, window)
        notice.show()
        save(notice, f"{size}-dialog-notice-import")
        print("   notice dialog", notice.geometry(), "fits", area.contains(notice.frameGeometry()))
        notice.close()

        from desktop.ui.absence_form import AbsenceForm

        form = AbsenceForm(session, window)
        form.show()
        save(form, f"{size}-dialog-absence-form")
        form.close()

        from desktop.ui.export_dialog import ExportDialog

        export = ExportDialog(session, window)
        export.show()
        save(export, f"{size}-dialog-export")
        export.close()

        files = QFileDialog(window, "打开通知文本")
        files.setOption(QFileDialog.Option.DontUseNativeDialog)
        files.setNameFilter("文本文件 (*.txt)")
        files.show()
        save(files, f"{size}-dialog-file")
        files.close()

        def grab_preview(dialog, size=size):
            dialog.show()
            save(dialog, f"{size}-dialog-weekly-preview")
            dialog.week_picker.prev.click()
            save(dialog, f"{size}-dialog-weekly-preview-this-week")
            dialog.close()
            return 0

        QPrintPreviewDialog.exec = grab_preview
        window.print_weekly_action.trigger()
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
