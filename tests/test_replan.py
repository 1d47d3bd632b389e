"""Safe re-planning (issue 13): 生成排班 on a planned scope shows first who changes on which day,
offers 只补空缺 (fill only the empty days) — first once the roster was printed or exported, which the
store records — and a plan made on the provisional calendar says so after the notice is imported,
with the same diff. (000 art.81: 除双休日外的法定节假日 — the panzhihua demo.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop import ops
from desktop.core.notice import parse_notice
from desktop.core.profile import load_profile
from desktop.resources import profiles_dir
from desktop.store import duty
from tests.test_duty_store import away, weekday_reading

D = dt.date
# The block's weekdays (000 art.81's other reading): replanning is about days that come and go with the
# State Council's notice, which the statutory days 攀枝花 now reads never do (tests/test_rules_scope.py).
PROFILE = weekday_reading(load_profile(profiles_dir() / "panzhihua.toml"))
SAMPLE_2027 = (Path(__file__).parent / "data" / "notice_2027_sample.txt").read_text(encoding="utf-8")


@pytest.fixture
def gov(demo_store):
    return demo_store


def national_day(store):
    return duty.holiday_plan_scope(store, 2026, "国庆节")


def test_nothing_planned_nothing_to_ask(gov):
    preview = ops.duty.replan_preview(gov, PROFILE, national_day(gov))
    assert not preview.already_planned and not preview.recommend_fill_only
    assert len(preview.changes) == 5  # every duty day is new: (空) → someone
    assert all(c.before == () and len(c.after) == 1 for c in preview.changes)
    assert preview.changes[0].text.startswith("2026年10月1日:(空) → ")


def test_the_diff_names_who_changes_on_which_day_and_writes_nothing(gov):
    scope = national_day(gov)
    plan_id = ops.duty.plan(gov, PROFILE, scope).value.info.id
    stored = duty.load_plan(gov, plan_id)
    on_2nd = stored.on(D(2026, 10, 2))[0]
    away(gov, PROFILE, on_2nd.name, D(2026, 10, 2), D(2026, 10, 2))  # the leader of 10-02 now has a trip
    version = duty.get_plan(gov, plan_id).version
    full = ops.duty.replan_preview(gov, PROFILE, scope)
    only = ops.duty.replan_preview(gov, PROFILE, scope, fill_only=True)
    assert duty.get_plan(gov, plan_id).version == version  # a preview writes nothing
    assert full.already_planned and full.planned_days == 5
    # 只补空缺: only the day whose leader is away now changes
    assert [c.date for c in only.changes] == [D(2026, 10, 2)]
    assert only.changes[0].before == (on_2nd.name,) and on_2nd.name not in only.changes[0].after
    assert D(2026, 10, 2) in {c.date for c in full.changes}


def test_fill_only_keeps_every_planned_day_unfixed(gov):
    scope = national_day(gov)
    plan_id = ops.duty.plan(gov, PROFILE, scope).value.info.id
    before = {r.date: (r.person_id, r.fixed) for r in duty.load_plan(gov, plan_id).rows}
    on_5th = duty.load_plan(gov, plan_id).on(D(2026, 10, 5))[0]
    away(gov, PROFILE, on_5th.name, D(2026, 10, 5), D(2026, 10, 5))
    saved = ops.duty.plan(gov, PROFILE, scope, fill_only=True).value
    after = {r.date: (r.person_id, r.fixed) for r in duty.load_plan(gov, saved.info.id).rows}
    assert {d: v for d, v in after.items() if d != D(2026, 10, 5)} == \
        {d: v for d, v in before.items() if d != D(2026, 10, 5)}
    assert after[D(2026, 10, 5)][0] != on_5th.person_id
    assert all(fixed is None for _p, fixed in after.values())  # kept, not turned into pins
    kept = duty.load_plan(gov, saved.info.id).on(D(2026, 10, 1))[0]
    assert kept.reasons[0] == "只补空缺:保留原安排"
    from desktop.store import audit

    assert audit.history(gov, "duty_plan", saved.info.id, limit=1)[0].summary.startswith("只补空缺:")


def test_a_printed_or_exported_plan_recommends_fill_only(gov):
    scope = national_day(gov)
    plan_id = ops.duty.plan(gov, PROFILE, scope).value.info.id
    assert not ops.duty.replan_preview(gov, PROFILE, scope).recommend_fill_only
    result = ops.duty.mark_issued(gov, plan_id, "print")
    assert result.changes.touches(ops.base.Entity.duty_plan)
    preview = ops.duty.replan_preview(gov, PROFILE, scope)
    assert preview.recommend_fill_only and preview.issued == ("2026年11月21日打印",)
    ops.duty.mark_issued(gov, plan_id, "export")
    assert set(ops.duty.replan_preview(gov, PROFILE, scope).issued) == {"2026年11月21日打印", "2026年11月21日导出"}
    # a mark is not a change of the plan: 撤销 still undoes the plan itself, not the print
    assert ops.undo.last(gov).summary.startswith("生成")


def test_after_the_notice_a_provisional_plan_says_so_and_the_diff_shows_the_new_days(gov):
    scope = duty.holiday_plan_scope(gov, 2027, "国庆节")
    plan_id = ops.duty.plan(gov, PROFILE, scope).value.info.id
    assert duty.get_plan(gov, plan_id).provisional
    assert not ops.duty.stale_provisional(gov, PROFILE, [plan_id])  # no notice yet: still provisional
    ops.calendar.import_notice(gov, parse_notice(SAMPLE_2027))
    assert ops.duty.stale_provisional(gov, PROFILE, [plan_id])
    scope = duty.holiday_plan_scope(gov, 2027, "国庆节")
    preview = ops.duty.replan_preview(gov, PROFILE, scope, fill_only=True)
    assert preview.was_provisional and not preview.provisional
    # 2027-10-01 is a Friday: the official block 10-01..07 has weekdays the provisional plan lacked
    assert preview.changes and all(c.before == () or c.after == () or c.before != c.after for c in preview.changes)
    saved = ops.duty.plan(gov, PROFILE, scope, fill_only=True).value
    assert not saved.info.provisional
    assert not ops.duty.stale_provisional(gov, PROFILE, [saved.info.id])


# ---------------------------------------------------------------- 值班 page: 生成排班 asks first

@pytest.fixture
def page(qtbot, session):
    from desktop.ui.duty_page import DutyPage

    p = DutyPage(session)
    qtbot.addWidget(p)
    p.show()
    p.set_scope(2026, "holiday", "国庆节")
    return p


def _answer(monkeypatch, choose=None):
    """Make ReplanDialog.exec record the dialog and accept it (after ``choose(dialog)``)."""
    from PySide6.QtWidgets import QDialog

    from desktop.ui.duty_page import ReplanDialog

    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        if choose is not None:
            choose(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReplanDialog, "exec", fake_exec)
    return seen


def _table(dialog):
    return [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]


def test_generate_on_a_planned_holiday_asks_and_shows_the_changes(page, session, monkeypatch):
    shown = {}

    def choose(dialog):  # as the secretary sees it: all again first, then 只补空缺
        shown["full"] = (dialog.full.isChecked(), _table(dialog))
        dialog.fill.setChecked(True)
        shown["fill"] = _table(dialog)

    seen = _answer(monkeypatch, choose)
    page.generate()  # nothing planned yet: no question
    assert seen == []
    plan_id = duty.plan_for(session.store, D(2026, 10, 1), D(2026, 10, 7)).id
    before = {r.date: r.person_id for r in duty.load_plan(session.store, plan_id).rows}
    on_2nd = duty.load_plan(session.store, plan_id).on(D(2026, 10, 2))[0]
    away(session.store, PROFILE, on_2nd.name, D(2026, 10, 2), D(2026, 10, 2))
    page.generate()
    assert len(seen) == 1
    default_full, rows = shown["full"]
    assert default_full  # not printed yet: all again by default
    assert ["2026年10月2日", on_2nd.name] in [r[:2] for r in rows]
    assert [r[:2] for r in shown["fill"]] == [["2026年10月2日", on_2nd.name]]
    after = {r.date: r.person_id for r in duty.load_plan(session.store, plan_id).rows}
    assert [d for d in before if before[d] != after[d]] == [D(2026, 10, 2)]  # 只补空缺 was saved


def test_once_printed_fill_only_is_the_default_and_keeps_the_other_days(page, session, monkeypatch):
    """On the page the office's own rules (攀枝花: the statutory days, 10-03 a Saturday among them)."""
    seen = _answer(monkeypatch)
    page.generate()
    plan_id = duty.plan_for(session.store, D(2026, 10, 1), D(2026, 10, 7)).id
    ops.duty.mark_issued(session.store, plan_id, "export")
    before = {r.date: r.person_id for r in duty.load_plan(session.store, plan_id).rows}
    on_3rd = duty.load_plan(session.store, plan_id).on(D(2026, 10, 3))[0]
    away(session.store, PROFILE, on_3rd.name, D(2026, 10, 3), D(2026, 10, 3))
    page.generate()
    (dialog,) = seen
    assert dialog.fill.isChecked() and "已2026年11月21日导出" in dialog.findChildren(type(dialog.summary))[0].text()
    after = {r.date: r.person_id for r in duty.load_plan(session.store, plan_id).rows}
    assert {d: p for d, p in after.items() if d != D(2026, 10, 3)} == {d: p for d, p in before.items()
                                                                        if d != D(2026, 10, 3)}
    assert after[D(2026, 10, 3)] != on_3rd.person_id


def test_cancel_writes_nothing(page, session, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop.ui.duty_page import ReplanDialog

    page.generate()
    plan = duty.plan_for(session.store, D(2026, 10, 1), D(2026, 10, 7))
    monkeypatch.setattr(ReplanDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    page.generate()
    assert duty.plan_for(session.store, D(2026, 10, 1), D(2026, 10, 7)).version == plan.version


def test_after_the_notice_the_banner_offers_the_replan(page, session, monkeypatch):
    page.set_scope(2027, "holiday", "国庆节")
    page.generate()
    banner = page.provisional_banner
    assert not banner.isHidden() and "尚未导入" in banner.text() and banner.button.isHidden()
    session.run(page, ops.calendar.import_notice, parse_notice(SAMPLE_2027))
    page.set_scope(2027, "holiday", "国庆节")
    assert not banner.isHidden() and "放假通知现已导入" in banner.text() and not banner.button.isHidden()
    seen = _answer(monkeypatch)
    banner.button.click()
    (dialog,) = seen
    assert "按暂定日历排出" in dialog.findChildren(type(dialog.summary))[0].text()
    assert banner.isHidden()  # re-planned on the official calendar
