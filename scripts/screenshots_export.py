"""Render the export dialog and the roster import offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_export.py shots/

On the demo government (示例数据) at 2026-11-21 09:30, writes:

* export-dialog.png — 文件 → 导出… after exporting this week's 一周领导在岗情况表 as Excel (the result,
  with 打开所在文件夹), the file written to a temporary folder;
* export-dialog-duty.png — the 值班安排 of 2027 (no State Council notice yet) as ICS: the
  provisional-calendar warning;
* roster-import.png — 文件 → 导入值班表… on a 国庆 roster with a title row, a name typed wrong, a
  duty officer put down as the leader and a weekend day: the mapping, the preview and the report;
* page-setup.png — 打印 → 页面设置….
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

from desktop import ops

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = dt.datetime(2026, 11, 21, 9, 30)


def roster_file(folder: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    rows = [
        ["2026年国庆节期间领导带班及值班安排表"],
        ["日期", "星期", "带班领导", "值班人员", "联系电话"],
        [dt.datetime(2026, 10, 1), "星期四", "张丽华", "杨帆、朱琳", "13908120003"],
        ["10月2日", "星期五", "陈明", "秦川、蒋悦", "13908120004"],
        ["10月3日", "星期六", "刘海峰", "丁宁、范伟", "13908120005"],
        ["10月4日", "星期日", "刘海峰", "杨帆、朱琳", "13908120005"],
        ["10月5日", "星期一", "王建果", "秦川、蒋悦", "13908120001"],
        ["10月6日", "星期二", "杨帆", "丁宁、范伟", "13908120032"],
        ["10月7日", "星期三", "赵雪梅", "杨帆、朱琳", "13908120006"],
    ]
    for row in rows:
        ws.append(row)
    ws.column_dimensions["A"].width = 14
    path = folder / "国庆值班表(办公室).xlsx"
    book.save(path)
    return path


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app, open_session
    from desktop.core.clock import FixedClock
    from desktop.core.duty import year_scope
    from desktop.settings import Settings
    from desktop.ui.export_dialog import ExportDialog
    from desktop.ui.printing import PageSetupDialog
    from desktop.ui.roster_import_dialog import open_roster_import

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(NOW))
    folder = Path(tempfile.mkdtemp(prefix="dutydesk-shots-")) / "文档"
    folder.mkdir()

    def save(widget, name: str) -> None:
        widget.show()
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    dialog = ExportDialog(session, folder=folder)
    dialog.resize(720, 330)
    result = dialog.run_export()
    assert result is not None, dialog.message.text()
    save(dialog, "export-dialog.png")
    dialog.close()

    ops.duty.plan(session.store, session.profile, year_scope(2027))
    dialog = ExportDialog(session, folder=folder)
    dialog.resize(720, 360)
    dialog.set_what("duty")
    dialog.set_format("ics")
    dialog.start.setDate(dialog.start.date().addYears(1))
    dialog.end.setDate(dialog.end.date().addYears(1))
    result = dialog.run_export()
    assert result is not None and result.provisional, dialog.message.text()
    save(dialog, "export-dialog-duty.png")
    dialog.close()

    roster = open_roster_import(session, None, roster_file(folder), show=False)
    assert roster is not None
    save(roster, "roster-import.png")
    roster.close()

    setup = PageSetupDialog(Settings())
    save(setup, "page-setup.png")
    setup.close()
    session.store.close()
    shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
