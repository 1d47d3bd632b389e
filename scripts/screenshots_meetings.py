"""Render the 会议 page, the meeting form and the two meeting printouts offscreen.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_meetings.py shots/

On the demo government (panzhihua rules, today 2026-11-21) with an executive meeting on Tuesday
2026-11-24 09:00 that cannot be held (000 art.42: 半数以上 of 9 members), a plenary meeting with a
department head on leave sending a substitute (000 art.43), and trips on file, writes:

* meetings-page.png — the 会议 page with the executive meeting selected (不能召开 in red);
* meeting-form.png — the meeting form (修改会议) of the plenary meeting;
* meeting-sheet.pdf / .png — the 签到表 of the plenary meeting (A4 portrait);
* meeting-leave.pdf / .png — the 请假汇总 of the executive meeting.

PNGs of the PDFs come from `pdftoppm -png -r 70` (poppler-utils).
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


def populate(store, profile) -> dict[str, int]:
    """The two meetings, their leave and the trips on file; returns the meeting ids."""
    from desktop.core import meetings as mt
    from desktop.core.absence import Absence
    from desktop.core.roles import AbsenceKind
    from desktop.store import people

    def pid(name: str) -> int:
        return people.find_person(store, name).id

    def trip(name: str, start: dt.date, end: dt.date, dest: str, kind=AbsenceKind.trip) -> None:
        draft = Absence(id=None, person_id=pid(name), kind=kind, start=start, end=end, destination=dest,
                        reason="公务", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 11, 20, 16, 0))
        ops.absences.add_absence(store, profile, draft)

    everyone = people.list_people(store)
    chief = mt.default_convener(profile, "executive", everyone)
    executive = ops.meetings.add_meeting(store, profile, mt.Meeting(
        id=None, type_id="executive", title="市政府第23次常务会议", starts_at=dt.datetime(2026, 11, 24, 9, 0),
        ends_at=dt.datetime(2026, 11, 24, 11, 30), place="市政府第一会议室", convener_id=chief.id,
        member_ids=tuple(p.id for p in mt.default_members(profile, "executive", everyone)),
        attendee_ids=(pid("郑文博"), pid("郭敏")),
        topics=(mt.Topic("2027年市级财政预算草案", "财政局"), mt.Topic("中心城区老旧小区改造方案", "住房和城乡建设局")))).value
    plenary = ops.meetings.add_meeting(store, profile, mt.Meeting(
        id=None, type_id="plenary", title="市政府第四次全体会议", starts_at=dt.datetime(2026, 11, 27, 15, 0),
        place="市政府大礼堂", convener_id=chief.id,
        member_ids=tuple(p.id for p in mt.default_members(profile, "plenary", everyone)),
        topics=(mt.Topic("全市经济运行情况通报", "发展和改革委员会"),))).value
    trip("赵雪梅", dt.date(2026, 11, 23), dt.date(2026, 11, 25), "西昌")
    trip("陈明", dt.date(2026, 11, 16), dt.date(2026, 11, 26), "省委党校", AbsenceKind.study)
    trip("罗建军", dt.date(2026, 11, 27), dt.date(2026, 11, 28), "成都")
    for name, reason in (("张丽华", "赴京参加全国教育工作会议"), ("刘海峰", "带队赴深圳招商"),
                         ("孙卫东", "陪同省领导调研")):
        lv = ops.meetings.request_leave(store, profile, executive.id, pid(name), reason).value
        ops.meetings.decide_leave(store, lv.id, "王建国", True)
    ops.meetings.request_leave(store, profile, executive.id, pid("周晓燕"), "接待国家民政部检查组")
    lv = ops.meetings.request_leave(store, profile, plenary.id, pid("马晓东"), "参加全省教育督导会议", "钱进 副局长").value
    ops.meetings.decide_leave(store, lv.id, "王建国", True)
    return {"executive": executive.id, "plenary": plenary.id}


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app
    from desktop.core.clock import FixedClock
    from desktop.resources import available_profiles
    from desktop.store import meetings as ms
    from desktop.store import people
    from desktop.store.opening import open_store
    from desktop.ui import printing
    from desktop.ui.meeting_dialog import MeetingDialog
    from desktop.ui.meetings_page import MeetingsPage
    from desktop.ui.session import Session

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_app(app)
    db = out / "meetings-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(db, FixedClock(NOW), operator="截图")
    ops.org.populate(store, available_profiles())
    session = Session(store, demo=True)
    profile = session.profile
    ids = populate(store, profile)

    page = MeetingsPage(session)
    page.resize(1500, 900)
    page.select_meeting(ids["executive"])
    page.show()
    app.processEvents()
    page.grab().save(str(out / "meetings-page.png"))

    dialog = MeetingDialog(profile, people.list_people(store), ms.get_meeting(store, ids["plenary"]))
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "meeting-form.png"))

    for name, what, mid in (("meeting-sheet", "sheet", ids["plenary"]), ("meeting-leave", "leave", ids["executive"])):
        page.select_meeting(mid)
        pdf = printing.render_pdf(page.printout_html(what), out / f"{name}.pdf", False)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(out / name)], check=True)
    dialog.deleteLater()
    page.deleteLater()
    app.processEvents()
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
