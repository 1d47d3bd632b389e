"""Render the travel and leave printouts offscreen to PDF and PNG, to look at what users print.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_printouts.py shots/

On the demo government (desktop.store.demo) with a few records added for the week of
2026-11-23 (today: 2026-11-21), writes:

* weekly-board.pdf / .png — 一周领导在岗情况表, A4 landscape;
* approval-form-trip.pdf / .png — 外出报备审批表 of 张丽华's trip to 北京 (first step done);
* approval-form-leave.pdf / .png — 请假审批单 of a department head's leave, reported while his
  supervising deputy is away (攀枝花 reads 000 art.61 as the AB partner not approving in her place: the step waits for her; chain pending);
* notification.png — the 通报 dialog of 张丽华's trip.

PNGs come from `pdftoppm -png -r 70` (poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from desktop import ops

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = dt.datetime(2026, 11, 21, 9, 30)


def _add_records(store, profile) -> dict[str, int]:
    """A busy week: a trip with an AB partner acting, the mayor away, a half day, both partners of
    an AB pair away (an acting gap), a study leave, a leave waiting for approval."""
    from desktop.core.absence import Absence, Half
    from desktop.core.roles import AbsenceKind
    from desktop.store import people

    def pid(name: str) -> int:
        return people.find_person(store, name).id

    def add(name: str, kind: AbsenceKind, start: dt.date, end: dt.date, **kw) -> int:
        draft = Absence(id=None, person_id=pid(name), kind=kind, start=start, end=end,
                        reported_at=kw.pop("reported_at", dt.datetime(2026, 11, 20, 16, 10)), **kw)
        return ops.absences.add_absence(store, profile, draft).value.record.id

    d = dt.date
    ids = {
        "trip": add("张丽华", AbsenceKind.trip, d(2026, 11, 26), d(2026, 11, 28), destination="北京",
                    reason="参加全国教育工作会议", leaves_jurisdiction=True, contact="13908120003"),
        "mayor": add("王建国", AbsenceKind.trip, d(2026, 11, 24), d(2026, 11, 25), destination="成都",
                     reason="参加省政府全体会议", leaves_jurisdiction=True),
        "study": add("陈明", AbsenceKind.study, d(2026, 11, 16), d(2026, 11, 24), destination="省委党校",
                     reason="厅级干部进修班", leaves_jurisdiction=True),
        "half": add("吴国栋", AbsenceKind.personal, d(2026, 11, 23), d(2026, 11, 23), end_half=Half.am,
                    reason="家事"),
        "pm": add("郑文博", AbsenceKind.trip, d(2026, 11, 27), d(2026, 11, 27), start_half=Half.pm,
                  destination="米易县", reason="督查防汛工作"),
        "gap1": add("赵雪梅", AbsenceKind.trip, d(2026, 11, 25), d(2026, 11, 26), destination="西昌",
                    reason="考察农业园区", leaves_jurisdiction=True),
        "gap2": add("孙卫东", AbsenceKind.vacation, d(2026, 11, 26), d(2026, 11, 27), leaves_jurisdiction=True,
                    destination="昆明"),
        # reported while 陈明 (his supervisor) is at the party school: by the profile (000 art.61) 陈明's AB partner does not approve for him
        "leave": add("罗建军", AbsenceKind.personal, d(2026, 11, 27), d(2026, 11, 28), destination="重庆",
                     reason="陪同家人就医", leaves_jurisdiction=True, contact="13908120013"),
    }
    ops.absences.advance_absence(store, ids["trip"], "王建国", comment="同意")
    return ids


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app
    from desktop.core.clock import FixedClock
    from desktop.export.absence_loaders import approval_form_for, notification_for, weekly_html_for
    from desktop.resources import available_profiles
    from desktop.store.opening import open_store
    from desktop.ui import printing
    from desktop.ui.session import Session

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    store = open_store(None, FixedClock(NOW), operator="演示")
    ops.org.populate(store, available_profiles())
    session = Session(store, demo=True)
    profile = session.profile
    assert profile is not None and session.org is not None
    ids = _add_records(store, profile)
    org_name = session.org.name
    fonts = printing.print_fonts()

    def pdf_and_png(html: str, name: str, landscape: bool, page_numbers: str = "table") -> None:
        pdf = printing.render_pdf(html, out / f"{name}.pdf", landscape, page_numbers=page_numbers)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
                       check=True)
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        print(pdf.with_suffix(".png"), [line for line in pages.splitlines() if line.startswith("Pages")])

    _board, html = weekly_html_for(store, profile, org_name, dt.date(2026, 11, 23), fonts)
    pdf_and_png(html, "weekly-board", True)
    _rec, html = approval_form_for(store, profile, org_name, ids["trip"], fonts)
    pdf_and_png(html, "approval-form-trip", False, "official")
    _rec, html = approval_form_for(store, profile, org_name, ids["leave"], fonts)
    pdf_and_png(html, "approval-form-leave", False, "official")

    _rec, text = notification_for(store, profile, org_name, ids["trip"])
    dialog = printing.NotificationDialog(text)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "notification.png"))
    print(out / "notification.png")
    dialog.close()
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
