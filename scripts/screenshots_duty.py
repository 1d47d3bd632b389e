"""Render the 值班 (holiday duty) screens offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_duty.py shots/

On the demo government (示例数据) at 2026-11-21 09:30, with the 2025 国庆 and 2026 春节 plans already
made (prior counts and heavy-day history), the 2026 国庆 plan of leaders and officers with one pin
and one swap, and then a trip recorded after planning for the leader of 10月6日. Writes:
duty-grid.png (the plan grid: the conflict row red, the red notice with 替换…, the explain panel
showing the conflict row's reasons) and duty-loads.png (the 全年负荷 tab for 2026).
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


def sample_plans(store, profile) -> dt.date:
    """The plans and the late trip, written through the store API; the date of the conflict."""
    from desktop.core.absence import Absence
    from desktop.core.roles import AbsenceKind
    from desktop.store import duty, people

    ops.duty.plan(store, profile, duty.holiday_plan_scope(store, 2025, "国庆节"))
    ops.duty.plan(store, profile, duty.holiday_plan_scope(store, 2026, "春节"))
    ops.duty.plan(store, profile, duty.holiday_plan_scope(store, 2026, "劳动节"))
    scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    saved = ops.duty.plan(store, profile, scope).value
    ops.duty.plan(store, profile, scope, duty.OFFICER)
    plan_id = saved.info.id
    ops.duty.pin(store, profile, plan_id, D(2026, 10, 2), people.find_person(store, "吴国栋").id)
    ops.duty.swap(store, profile, plan_id, D(2026, 10, 5), D(2026, 10, 7))
    day = D(2026, 10, 6)
    leader = duty.load_plan(store, plan_id).on(day)[0]
    draft = Absence(id=None, person_id=leader.person_id, kind=AbsenceKind.trip, start=day, end=D(2026, 10, 7),
                    destination="北京", reason="国家部委汇报工作", leaves_jurisdiction=True,
                    reported_at=dt.datetime(2026, 9, 30, 17, 0), urgent=True)
    ops.absences.add_absence(store, profile, draft)
    return day


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app, open_session
    from desktop.core.clock import FixedClock
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(NOW))
    conflict_day = sample_plans(session.store, session.profile)
    window = MainWindow(session, Settings())
    window.resize(1360, 820)
    window.show()

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    window.show_section("duty")
    page = window.pages["duty"]
    page.set_scope(2026, "holiday", "国庆节")
    page.select_date(conflict_day)
    save(window, "duty-grid.png")
    page.tabs.setCurrentIndex(1)
    save(window, "duty-loads.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
