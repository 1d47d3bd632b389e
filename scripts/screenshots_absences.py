"""Render the travel-report and leave screens offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_absences.py shots/

On the demo government (示例数据) at 2026-11-21 09:30, writes:
absence-form.png (the record form while typing a deputy's trip: who acts, the chain, a late-report
warning), absences-list.png (the 外出/请假 list with a dozen records in varied states and the
pending panel), today-gap.png (今日在岗 with the AB partners 张丽华 and 周晓燕 both away: one gap)
today-designated.png (the same day after 指定代行) and today-warning.png (2026-11-25: 市长 and
常务副市长 both away, with 记录理由…).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from desktop import ops

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = dt.datetime(2026, 11, 21, 9, 30)
D = dt.date


def sample_records(store, profile) -> int:
    """A dozen records in varied states, written through the store API; the id of one to select."""
    from desktop.core.absence import Absence, Half
    from desktop.core.roles import AbsenceKind as K
    from desktop.store import people

    def add(name, kind, start, end, *, dest="", reason="", reported=None, leaves=None, urgent=False,
            start_half=Half.full, end_half=Half.full, submit=True):
        person = people.find_person(store, name)
        leaves = leaves if leaves is not None else kind in (K.trip, K.abroad, K.study)
        draft = Absence(id=None, person_id=person.id, kind=kind, start=start, start_half=start_half, end=end,
                        end_half=end_half, destination=dest, reason=reason, leaves_jurisdiction=leaves,
                        reported_at=reported, urgent=urgent, contact=person.phone)
        return ops.absences.add_absence(store, profile, draft, submit=submit).value.record

    def at(day: int, month: int = 11, hour: int = 9) -> dt.datetime:
        return dt.datetime(2026, month, day, hour, 0)

    chen = add("陈明", K.study, D(2026, 11, 2), D(2026, 11, 13), dest="省委党校", reason="中青年干部培训班",
               reported=at(28, 10))
    ops.absences.advance_absence(store, chen.id, "王建国")
    ops.absences.advance_absence(store, chen.id, store.operator)
    ops.absences.return_absence(store, chen.id, D(2026, 11, 12))
    ma = add("马晓东", K.trip, D(2026, 11, 10), D(2026, 11, 12), dest="成都", reason="全省教育工作会议",
             reported=at(6))
    ops.absences.advance_absence(store, ma.id, "张丽华", comment="同意")
    ops.absences.advance_absence(store, ma.id, store.operator)
    ops.absences.advance_absence(store, ma.id, store.operator)
    ops.absences.return_absence(store, ma.id, D(2026, 11, 12))
    liu = add("刘海峰", K.trip, D(2026, 11, 16), D(2026, 11, 18), dest="广州", reason="招商引资推介会",
              reported=at(13))
    ops.absences.advance_absence(store, liu.id, "王建国")
    ops.absences.advance_absence(store, liu.id, store.operator)
    zhou = add("周晓燕", K.vacation, D(2026, 11, 20), D(2026, 11, 22), reason="年休假", reported=at(17))
    ops.absences.advance_absence(store, zhou.id, "王建国", comment="同意")
    ops.absences.advance_absence(store, zhou.id, store.operator)
    zhang = add("张丽华", K.trip, D(2026, 11, 21), D(2026, 11, 23), dest="北京", reason="国家部委汇报工作",
                reported=NOW)
    add("吴国栋", K.trip, D(2026, 11, 21), D(2026, 11, 22), dest="重庆", reason="处置突发事件协调",
        reported=NOW, urgent=True, start_half=Half.pm)
    add("何振华", K.trip, D(2026, 11, 23), D(2026, 11, 25), dest="北京", reason="项目对接", reported=at(20))
    add("王建国", K.trip, D(2026, 11, 24), D(2026, 11, 26), dest="成都", reason="全省经济工作会议",
        reported=at(20))
    add("李志强", K.trip, D(2026, 11, 25), D(2026, 11, 26), dest="成都", reason="全省经济工作会议",
        reported=at(20))
    add("赵雪梅", K.personal, D(2026, 11, 27), D(2026, 11, 27), start_half=Half.pm, reason="家中有事",
        reported=at(21))
    sun = add("孙卫东", K.trip, D(2026, 12, 1), D(2026, 12, 3), dest="昆明", reason="考察学习", reported=at(19))
    ops.absences.set_state(store, sun.id, "withdraw", "行程推迟")
    add("周晓燕", K.trip, D(2026, 12, 8), D(2026, 12, 9), dest="西昌", reason="文旅推介(待定)", submit=False)
    return zhang.id


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app, open_session
    from desktop.core.acting import Designation
    from desktop.core.clock import FixedClock
    from desktop.settings import Settings
    from desktop.store import people
    from desktop.ui.absence_form import AbsenceForm
    from desktop.ui.mainwindow import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(NOW))
    store, profile = session.store, session.profile
    selected = sample_records(store, profile)
    window = MainWindow(session, Settings())
    window.resize(1360, 820)
    window.show()

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    # the record form, typing 赵雪梅's trip to 北京 that starts today (reported today: late)
    form = AbsenceForm(session, window)
    form.person.setCurrentIndex(form.person.findData(people.find_person(store, "赵雪梅").id))
    form.end.setDate(form.start.date().addDays(2))
    form.destination.setText("北京")
    form.reason.setText("参加全国农业农村工作会议")
    form.refresh_now()
    form.show()
    save(form, "absence-form.png")
    form.close()

    window.show_section("absences")
    page = window.pages["absences"]
    page.select_id(selected)
    save(window, "absences-list.png")

    window.show_section("today")
    save(window, "today-gap.png")

    today = window.pages["today"]
    gap = today.report.gaps[0]
    session.run(window, ops.absences.designate,
                Designation(date_from=NOW.date(), date_to=NOW.date(), absent_ids=gap.absent_ids,
                            designee_id=gap.suggestions[0].id, reason="张丽华、周晓燕同时外出,由办公室协调"))
    save(window, "today-designated.png")
    today.set_day(D(2026, 11, 25))  # 市长 and 常务副市长 both in 成都: the not-together warning
    save(window, "today-warning.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
