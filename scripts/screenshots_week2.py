"""Render the screens of issue 13 part two offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_week2.py /tmp/shots

On the demo government at 2026-11-21 09:30: the 编辑 menu with 撤销 after a 销假 (edit-undo.png), the
办理 dialog of a leader's step (step-leader.png) and of an office step (step-office.png), the re-plan
dialog of a printed 国庆 plan with a leader now away (replan-printed.png), and after the 2027 notice
the 值班 page's banner (duty-notice-banner.png) and the re-plan dialog it opens (replan-notice.png), and
the 规则 page's 调整规则 tab (rules-editor*.png).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = dt.datetime(2026, 11, 21, 9, 30)
D = dt.date
SAMPLE_2027 = Path(__file__).resolve().parent.parent / "tests" / "data" / "notice_2027_sample.txt"


def main(out: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import ops
    from desktop.app import configure_app, open_session
    from desktop.core.absence import Absence
    from desktop.core.clock import FixedClock
    from desktop.core.notice import parse_notice
    from desktop.core.roles import AbsenceKind
    from desktop.settings import Settings
    from desktop.store import duty, people
    from desktop.ui.absences_page import StepDialog
    from desktop.ui.duty_page import ReplanDialog
    from desktop.ui.mainwindow import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(NOW))
    store, profile = session.store, session.profile
    window = MainWindow(session, Settings())
    window.resize(1366, 768)
    window.show()

    def save(widget, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        print(path)

    def trip(name, start, end, kind=AbsenceKind.trip):
        draft = Absence(id=None, person_id=people.find_person(store, name).id, kind=kind, start=start, end=end,
                        destination="成都", reason="全省会议", leaves_jurisdiction=True,
                        reported_at=dt.datetime(2026, 11, 10, 9, 0))
        return session.run(window, ops.absences.add_absence, profile, draft).record

    # 办理: a deputy's trip reported to the mayor, who is away today (the executive deputy acts)
    trip("王建国", D(2026, 11, 20), D(2026, 11, 23))
    record = trip("张丽华", D(2026, 11, 25), D(2026, 11, 26))
    steps = ops.absences.steps_today(store, profile, record.id)
    dialog = StepDialog("张丽华 出差 2026年11月25日至26日 成都", steps, ops.absences.step_doers(store, steps), reject=False)
    dialog.show()
    save(dialog, "step-leader.png")
    dialog.close()
    ops.absences.advance_absence(store, record.id, steps[0].may_be_done_by[0], profile=profile)
    steps = ops.absences.steps_today(store, profile, record.id)
    dialog = StepDialog("张丽华 出差 2026年11月25日至26日 成都", steps, ops.absences.step_doers(store, steps), reject=False)
    dialog.show()
    save(dialog, "step-office.png")
    dialog.close()

    # 编辑 → 撤销 after a 销假
    done = trip("陈明", D(2026, 11, 16), D(2026, 11, 20))
    for _ in range(5):
        waiting = [s for s in ops.absences.steps_today(store, profile, done.id) if s.state.value == "pending"]
        if not waiting:
            break
        by = waiting[0].may_be_done_by[0] if waiting[0].may_be_done_by else ops.absences.office_actor(store)
        session.run(window, ops.absences.advance_absence, done.id, by, profile=profile)
    session.run(window, ops.absences.return_absence, done.id, D(2026, 11, 19))
    window.show_section("absences")
    menu = window.edit_menu
    QTimer.singleShot(0, lambda: (save(window, "edit-undo-window.png"), save(menu, "edit-undo.png"), menu.close()))
    menu.popup(window.mapToGlobal(window.menuBar().actionGeometry(menu.menuAction()).bottomLeft()))
    app.processEvents()
    menu.exec() if False else None

    # 生成排班 on a printed 国庆 plan whose 10-02 leader now has a trip
    scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    plan_id = ops.duty.plan(store, profile, scope).value.info.id
    ops.duty.mark_issued(store, plan_id, "print")
    leader = duty.load_plan(store, plan_id).on(D(2026, 10, 2))[0]
    trip(leader.name, D(2026, 10, 2), D(2026, 10, 2))
    window.show_section("duty")
    page = window.pages["duty"]
    page.set_scope(2026, "holiday", "国庆节")
    preview = ops.duty.replan_preview(store, profile, scope)
    dialog = ReplanDialog(store, profile, preview, True, window)
    dialog.show()
    save(dialog, "replan-printed.png")
    dialog.full.setChecked(True)
    save(dialog, "replan-printed-full.png")
    dialog.close()

    # a 2027 plan on the provisional calendar, then the notice
    scope = duty.holiday_plan_scope(store, 2027, "国庆节")
    ops.duty.plan(store, profile, scope)
    session.run(window, ops.calendar.import_notice, parse_notice(SAMPLE_2027.read_text(encoding="utf-8")))
    page.set_scope(2027, "holiday", "国庆节")
    save(window, "duty-notice-banner.png")
    scope = duty.holiday_plan_scope(store, 2027, "国庆节")
    dialog = ReplanDialog(store, profile, ops.duty.replan_preview(store, profile, scope), True, window)
    dialog.show()
    save(dialog, "replan-notice.png")
    dialog.close()

    # 规则 → 调整规则: a value changed and saved, another typed wrong
    window.show_section("rules")
    rules = window.pages["rules"]
    rules.tabs.setCurrentIndex(1)
    editor = rules.editor
    editor.set_text("chains.deputy_leaves_city.lead_days", "2")
    editor.save_button.click()
    editor.set_text("duty.chief_share", "一半")
    editor.tree.scrollToItem(editor.item_of("duty.chief_share"))
    save(window, "rules-editor.png")
    editor.search.setText("份额")
    save(window, "rules-editor-search.png")
    window.resize(1920, 1080)
    editor.search.setText("")
    save(window, "rules-editor-1920.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/shots"))
