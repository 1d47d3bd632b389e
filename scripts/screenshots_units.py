"""Render what a 单位录入员 sees and the departments' holiday rosters offscreen to PNG files.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_units.py shots/

On the demo government (示例数据) at 2026-11-21 09:30 with the records of screenshots_absences.py,
a deputy head added to 教育和体育局, and accounts (管理员 wang, 单位录入员 jiaoyu of 教育和体育局):
unit-clerk-absences.png (外出/请假 signed in as 教育和体育局's clerk: his unit's records only),
unit-clerk-today.png (今日在岗 for him), unit-clerk-meetings.png (会议 for him: the topic meeting 马晓东
is a member of, with his leave request, and none of the other participants), dept-roster-page.png (部门值班 for the office, 2027年元旦,
three units sent, one in part) and dept-roster.pdf (the combined roster; look at it with pdftoppm).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from desktop import ops

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

NOW = dt.datetime(2026, 11, 21, 9, 30)
PW = "Zhiban-2026!"
UNIT = "教育和体育局"


def rosters(store) -> None:
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=i) for i in range(3)]  # 2027年元旦 (provisional)
    crew = {UNIT: ("王志刚", "副局长", "0812-3331001", [("李明", "13908120001"), ("周婷", "13908120002")]),
            "公安局": ("陈卫国", "政委", "0812-3332110", [("赵磊", "13908120101"), ("孙强", "13908120102"),
                                                         ("钱峰", "13908120103")]),
            "东城街道": ("林芳", "副主任", "0812-3333001", [("吴斌", "13908120201")])}
    for unit, (leader, title, phone, officers) in crew.items():
        for day in days if unit != "东城街道" else days[:1]:
            ops.dept_rosters.set_day(store, 2027, "元旦", day, leader, phone, officers, title=title, unit=unit)


def topic_meeting(store, profile) -> None:
    """A 专题会议 on education: 张丽华 convenes, 马晓东 (教育和体育局) and two other heads are members; 马晓东 asks leave."""
    from desktop.core import meetings as mt
    from desktop.store import people

    ids = {name: people.find_person(store, name).id for name in ("张丽华", "马晓东", "郭敏", "何振华")}
    draft = mt.Meeting(id=None, type_id="special", title="研究中小学校舍改造专题会议", starts_at=dt.datetime(2026, 11, 25, 15, 0),
                       place="市政府五楼会议室", convener_id=ids["张丽华"], member_ids=tuple(ids.values()),
                       topics=(mt.parse_topic("中小学校舍改造资金安排:财政局"),))
    saved = ops.meetings.add_meeting(store, profile, draft).value
    ops.meetings.request_leave(store, profile, saved.id, ids["马晓东"], "同一时间赴省教育厅汇报", "王志刚 副局长")


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication
    from screenshots_absences import sample_records

    from desktop.app import configure_app, open_session
    from desktop.core.absence import Absence, Half
    from desktop.core.clock import FixedClock
    from desktop.core.people import PersonDraft
    from desktop.core.roles import AbsenceKind, Role
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.printing import render_pdf_job

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(NOW))
    store, profile = session.store, session.profile
    sample_records(store, profile)
    deputy = ops.people.add_person(store, PersonDraft("王志刚", Role.staff, title="市教育和体育局副局长",
                                                      phone="13908121234", unit=UNIT)).value
    ops.absences.add_absence(store, profile, Absence(
        id=None, person_id=deputy.id, kind=AbsenceKind.vacation, start=dt.date(2026, 11, 20), start_half=Half.full,
        end=dt.date(2026, 11, 24), end_half=Half.full, destination="", reason="年休假", leaves_jurisdiction=False,
        reported_at=dt.datetime(2026, 11, 17, 10, 0), urgent=False))
    ops.operators.add_operator(store, "wang", PW, "admin", "办公室 王秘书")
    ops.operators.authenticate(store, "wang", PW)
    ops.operators.add_operator(store, "jiaoyu", PW, "unit_clerk", "教育局 小赵", unit=UNIT)
    rosters(store)
    topic_meeting(store, profile)
    window = MainWindow(session, Settings())
    window.resize(1360, 820)
    window.show()

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    window.show_section("dept_duty")
    page = window.pages["dept_duty"]
    page.year.setValue(2027)
    page.units.selectRow(0)
    save(window, "dept-roster-page.png")
    path = page.export_pdf(str(out / "dept-roster.pdf"))
    print(path)
    assert render_pdf_job  # the renderer the page uses
    session.run(window, ops.operators.authenticate, "jiaoyu", PW)
    window.show_section("absences")
    save(window, "unit-clerk-absences.png")
    window.show_section("today")
    save(window, "unit-clerk-today.png")
    window.show_section("meetings")
    meetings = window.pages["meetings"]
    meetings.list.selectRow(0)
    save(window, "unit-clerk-meetings.png")
    window.show_section("dept_duty")
    save(window, "unit-clerk-dept-roster.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
