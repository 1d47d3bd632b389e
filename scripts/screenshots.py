"""Render the main screens offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py shots/
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app, open_session
    from desktop.core.clock import FixedClock
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(dt.datetime(2026, 11, 21, 9, 30)))
    window = MainWindow(session, Settings())
    window.resize(1280, 760)
    window.show()
    for key in ("people", "rules"):
        window.show_section(key)
        app.processEvents()
        window.grab().save(str(out / f"main-{key}.png"))
        print(out / f"main-{key}.png")
    page = window.pages["people"]
    page.table.selectRow(3)
    dialog = page._dialog(page.model.row_at(3).person)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "person-dialog.png"))
    print(out / "person-dialog.png")
    dialog.close()
    people_import(session, window, out)
    window.close()


def people_import(session, parent, out: Path) -> None:
    """人员 → 导入名单…: headers the guess does not know (领导姓名, 身份) mapped by hand, 序号 not
    imported as 排名, two bad rows in the file and, after ticking “跳过”, a name already in the
    list refused by the database (nothing written)."""
    import tempfile

    import openpyxl
    from PySide6.QtWidgets import QApplication

    from desktop.ui.people_import_dialog import open_people_import

    rows = [
        ["序号", "领导姓名", "身份", "职务", "手机", "单位", "备注"],
        [1, "孙立新", "副职", "副市长", "13900001001", "", ""],
        [2, "钱文博", "工作人员", "秘书科科员", "1390000-x", "", "新调入"],
        [3, "陶思远", "副职", "副市长", "13900001003", "", ""],
        [4, "张丽华", "副职", "副市长", "13900001004", "", "与现有名单重名"],
        [5, "郑凯", "科长", "综合科科长", "0812-3331234", "", ""],
        [6, "吴桐", "工作人员", "综合科科员", "13900001006", "", ""],
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "领导名单.xlsx"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
        dialog = open_people_import(session, parent, path, show=False)
    dialog.set_column("name", 1)  # by hand: the header names are not the usual ones
    dialog.set_column("role", 2)
    dialog.set_column("rank", None)  # 序号 is only the line number here: they go after the list
    dialog.skip.setChecked(True)
    dialog.do_import()  # refused whole (张丽华 is in the list): nothing written, the report grows
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(out / "people-import.png"))
    print(out / "people-import.png")
    dialog.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
