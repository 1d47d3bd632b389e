"""Render the calendar screens offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_calendar.py shots/

Writes calendar-2026-02.png (the 日历 page, February 2026), deadline.png (2026-09-28 + 会签回复
7 个工作日), notice-dialog.png (a 2027 notice parsed, not imported), calendar-2027-02.png (a
provisional month) and the printed month as calendar-print-2026-02.pdf / .png (needs pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕××号

各省、自治区、直辖市人民政府,国务院各部委、各直属机构:
经国务院批准,现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦:1月1日(周五)至3日(周日)放假,共3天。
二、春节:2月5日(农历除夕、周五)至12日(农历正月初七、周五)放假调休,共8天。1月31日(周日)、2月20日(周六)上班。
三、清明节:4月3日(周六)至5日(周一)放假,共3天。
四、劳动节:5月1日(周六)至5日(周三)放假调休,共5天。5月8日(周六)上班。
五、端午节:6月9日(周三)放假1天。
六、中秋节:9月15日(周三)放假1天。
七、国庆节:10月1日(周五)至7日(周四)放假调休,共7天。9月26日(周日)、10月9日(周六)上班。
节假日期间,各地区、各部门要妥善安排好值班和安全、保卫等工作,遇有重大突发事件,要按规定及时报告并妥善处置。
国务院办公厅
2026年11月×日
"""


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app, open_session
    from desktop.core.clock import FixedClock
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.notice_dialog import NoticeDialog

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(dt.datetime(2026, 2, 10, 9, 30)))
    window = MainWindow(session, Settings())
    window.resize(1280, 800)
    window.show()

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    window.show_section("calendar")
    page = window.pages["calendar"]
    page.show_month(2026, 2, dt.date(2026, 2, 17))
    save(window, "calendar-2026-02.png")

    page.show_month(2027, 2)
    save(window, "calendar-2027-02.png")

    window.show_section("deadline")
    deadline = window.pages["deadline"]
    deadline.set_start(dt.date(2026, 9, 28))
    deadline.choose_preset("countersign")
    save(window, "deadline.png")
    deadline.set_start(dt.date(2027, 1, 25))
    save(window, "deadline-provisional.png")

    dialog = NoticeDialog(session, window, NOTICE_2027)
    dialog.show()
    save(dialog, "notice-dialog.png")
    dialog.text.setPlainText(NOTICE_2027.replace("5月8日(周六)上班", "5月8日(周六)另行安排"))
    dialog.parse_now()
    save(dialog, "notice-dialog-error.png")
    dialog.close()

    # The printed month: the same code path as 打印… (QTextDocument on an A4 landscape printer).
    from PySide6.QtPrintSupport import QPrinter

    page.show_month(2026, 2)
    printer = page.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pdf = out / "calendar-print-2026-02.pdf"
    printer.setOutputFileName(str(pdf))
    page.print_to(printer)
    print(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True)
    print(pdf.with_suffix(".png"))

    # The reminder banner, as on 21 November.
    session2 = open_session(None, True, FixedClock(dt.datetime(2026, 11, 21, 9, 30)))
    window2 = MainWindow(session2, Settings())
    window2.resize(1280, 800)
    window2.show()
    window2.show_section("calendar")
    save(window2, "main-reminder.png")
    window.close()
    window2.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
