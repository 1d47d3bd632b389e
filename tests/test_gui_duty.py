"""The 值班 page (pytest-qt, offscreen): the plan grid, conflicts in red, explain, pin / swap / replace
through the page's actions, the year's loads, the provisional banner and the print buttons."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.roles import AbsenceKind
from desktop.ops.base import Changes, Entity
from desktop.store import audit, duty, people
from desktop.ui import duty_page
from desktop.ui.duty_page import COL_LEADER, CONFLICT_BG, DutyPage

D = dt.date
NATIONAL_DAY = [D(2026, 10, d) for d in (1, 2, 5, 6, 7)]  # the block's weekdays (reading holiday_weekdays)


@pytest.fixture
def weekday_rules(session):
    """The office adjusts 000 art.81 to its other reading (调整规则: ``duty.days = holiday_weekdays``): the
    page's pins, swaps, conflicts and loads are tested on the five weekdays of the 2026 国庆 block; the
    page under 攀枝花's own reading (the statutory days) is test_the_page_states_the_statutory_reading."""
    ops.profile.save_overrides(session.store, {"duty.days": "holiday_weekdays"})
    assert session.profile.duty.days.value == "holiday_weekdays"
    return session


@pytest.fixture
def page(qtbot, weekday_rules):
    session = weekday_rules
    p = DutyPage(session)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def national(session, slot=duty.LEADER):
    scope = duty.holiday_plan_scope(session.store, 2026, "国庆节")
    saved = ops.duty.plan(session.store, session.profile, scope, slot).value
    session.changed.emit(Changes.of(Entity.duty_plan))
    return saved.info.id


def trip(session, name, start, end):
    person = people.find_person(session.store, name)
    draft = Absence(id=None, person_id=person.id, kind=AbsenceKind.trip, start=start, end=end, destination="北京",
                    reason="汇报工作", leaves_jurisdiction=True, reported_at=dt.datetime(2026, 9, 20, 9, 0))
    record = ops.absences.add_absence(session.store, session.profile, draft).value.record
    session.changed.emit(Changes.of(Entity.absence))
    return record


def grid_names(page):
    return [page.model.index(r, COL_LEADER).data() for r in range(page.model.rowCount())]


def test_the_grid_shows_the_plan(page, session, qtmodeltester):
    plan_id = national(session)
    page.set_scope(2026, "holiday", "国庆节")
    stored = duty.load_plan(session.store, plan_id)
    assert [r.date for r in page.model.rows] == NATIONAL_DAY
    assert grid_names(page) == [r.name for r in stored.rows]
    assert page.model.index(0, 0).data() == "10月1日 星期四"
    assert page.model.index(0, 2).data() == "★国庆10月1日"
    assert page.model.index(0, 4).data() == stored.rows[0].phone
    assert page.title.text() == "2026年国庆节值班安排" and "5 个值班日,已排带班 5 天" in page.subtitle.text()
    assert "已排" in page.scope_combo.currentText() and not page.conflict_box.isVisible()
    assert not page.provisional_banner.isVisible()
    qtmodeltester.check(page.model)
    # explain: selecting a row shows its reasons
    page.select_date(D(2026, 10, 1))
    html = page.explain.toPlainText()
    assert "10月1日 星期四" in html and stored.rows[0].name in html
    assert any(r in html for r in stored.rows[0].reasons)


def test_an_unplanned_scope_lists_its_duty_days_and_generate_plans_it(page, session):
    page.set_scope(2026, "holiday", "国庆节")
    assert [r.date for r in page.model.rows] == NATIONAL_DAY
    assert set(grid_names(page)) == {"(未排)"} and "尚未排班" in page.subtitle.text()
    assert not page.preview_button.isEnabled()
    page.officers_check.setChecked(True)
    page.plan_button.click()
    assert "(未排)" not in grid_names(page)
    assert page.model.officer_columns == 2 and page.model.headerData(5, Qt.Orientation.Horizontal) == "值班员一"
    assert len(duty.plans(session.store, 2026)) == 2 and page.preview_button.isEnabled()


def test_a_conflict_row_is_red_with_a_notice_and_replace_resolves_it(page, session, monkeypatch):
    plan_id = national(session)
    page.set_scope(2026, "holiday", "国庆节")
    leader = duty.load_plan(session.store, plan_id).on(D(2026, 10, 6))[0]
    trip(session, leader.name, D(2026, 10, 6), D(2026, 10, 6))
    row = [r.date for r in page.model.rows].index(D(2026, 10, 6))
    assert page.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == CONFLICT_BG
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() != CONFLICT_BG
    assert page.model.index(row, 0).data(duty_page.Roles.Conflict) is True
    assert "但当天外出" in page.model.index(row, COL_LEADER).data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.index(row, page.model.note_column).data() == f"冲突:{leader.name}外出"
    assert page.conflict_box.isVisible() and "冲突 1 处" in page.conflict_box.label.text()
    page.select_date(D(2026, 10, 6))
    assert "冲突:" in page.explain.toPlainText()

    chosen = {}

    def accept(dialog):
        chosen["reason"] = dialog.reason.text()
        chosen["person"] = dialog.person_id()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(duty_page.ReplaceDialog, "exec", accept)
    page.conflict_box.button.click()
    assert chosen["reason"] == "出差 北京"  # prefilled from the absence
    now = duty.load_plan(session.store, plan_id).on(D(2026, 10, 6))[0]
    assert now.person_id == chosen["person"] != leader.person_id and now.fixed == "replace"
    assert not page.conflict_box.isVisible()
    assert page.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert page.model.index(row, page.model.note_column).data().startswith(f"替换:原定{leader.name}")


def test_swap_through_the_page_action(page, session, monkeypatch):
    plan_id = national(session)
    page.set_scope(2026, "holiday", "国庆节")
    before = duty.load_plan(session.store, plan_id)
    a, b = before.on(D(2026, 10, 2))[0], before.on(D(2026, 10, 7))[0]
    page.select_date(D(2026, 10, 2))
    assert page.actions["swap"].isEnabled() and not page.actions["release"].isEnabled()

    def accept(dialog):
        dialog.other.setCurrentIndex(dialog.index_of(D(2026, 10, 7), b.person_id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(duty_page.SwapDialog, "exec", accept)
    page.actions["swap"].trigger()
    after = duty.load_plan(session.store, plan_id)
    assert after.on(D(2026, 10, 2))[0].person_id == b.person_id and after.on(D(2026, 10, 7))[0].person_id == a.person_id
    assert grid_names(page)[1] == b.name and page.model.index(1, COL_LEADER).data(duty_page.Roles.Fixed) == "swap"
    assert page.model.index(1, page.model.note_column).data().startswith("调班:与")
    assert audit.history(session.store, "duty_plan", plan_id)[0].action == "swap"
    # the swapped day is selected again and can be released
    assert page.selected_row().date == D(2026, 10, 2) and page.actions["release"].isEnabled()
    page.actions["release"].trigger()
    assert duty.load_plan(session.store, plan_id).on(D(2026, 10, 2))[0].fixed is None


def test_pin_survives_generate_and_the_release_checkbox_lets_go(page, session, monkeypatch):
    from desktop.ui.duty_page import ReplanDialog

    asked = []  # a planned scope asks first (tests/test_replan.py): answer 全部重新排, the default here
    monkeypatch.setattr(ReplanDialog, "exec", lambda d: asked.append(d.full.isChecked()) or QDialog.DialogCode.Accepted)
    plan_id = national(session)
    page.set_scope(2026, "holiday", "国庆节")
    page.select_date(D(2026, 10, 5))
    pinned = page.selected_person()
    page.actions["pin"].trigger()
    assert duty.load_plan(session.store, plan_id).on(D(2026, 10, 5))[0].fixed == "pin"
    trip(session, grid_names(page)[3], D(2026, 10, 6), D(2026, 10, 6))  # something to re-plan around
    page.plan_button.click()
    stored = duty.load_plan(session.store, plan_id)
    assert stored.on(D(2026, 10, 5))[0].person_id == pinned.person_id and stored.on(D(2026, 10, 5))[0].fixed == "pin"
    assert ops.duty.conflicts(session.store, plan_id) == [] and not page.conflict_box.isVisible()
    page.release_check.setChecked(True)
    page.plan_button.click()
    assert all(r.fixed is None for r in duty.load_plan(session.store, plan_id).rows)
    assert asked == [True, True]


def test_the_scope_survives_a_change(page, session):
    page.set_scope(2026, "month", 10)
    assert page.scope.label == "2026年10月"
    page.plan_button.click()  # session.changed("duty") refills the scope list
    assert page.scope.label == "2026年10月" and page.scope_combo.currentText() == "10月 · 已排"
    assert page.subtitle.text().startswith("5 个值班日,已排带班 5 天")


def test_the_load_table_sums_match(page, session):
    ops.duty.plan(session.store, session.profile, duty.holiday_plan_scope(session.store, 2026, "春节"))
    national(session)
    page.set_scope(2026, "holiday", "国庆节")
    page.tabs.setCurrentIndex(1)
    rows = page.load_rows()
    body, total = rows[:-1], rows[-1]
    assert [r[0] for r in body] == ["王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅", "孙卫东", "周晓燕", "吴国栋"]
    days = sum(int(r[2]) for r in body)
    assert days == 11 == int(total[2]) == len(duty.duty_assignments(session.store, D(2026, 1, 1), D(2026, 12, 31)))
    assert sum(float(r[3]) for r in body) == pytest.approx(11, abs=0.5) and total[3] == "11"
    assert {r[4] for r in body} == {"", "除夕", "春节初一", "国庆10月1日"} and total[4] == "3 天"
    assert max(int(r[2]) for r in body) - min(int(r[2]) for r in body) <= 1
    page.load_slot.setCurrentIndex(1)  # 值班员: nothing planned yet
    assert [r[2] for r in page.load_rows()[:-1]] == ["0"] * 6


def test_provisional_year_shows_the_yellow_banner(page, session):
    page.set_scope(2027, "holiday", "春节")
    assert page.provisional_banner.isVisible() and "暂定日历" in page.provisional_banner.text()
    page.plan_button.click()
    assert duty.plans(session.store, 2027)[0].provisional


def test_print_buttons_call_the_roster_module_lazily(page, session, monkeypatch):
    calls = []
    fake = types.ModuleType("desktop.ui.duty_print")
    fake.preview_roster = lambda s, plan_id, parent: calls.append(("preview", plan_id, parent))
    fake.export_roster = lambda s, plan_id, parent: calls.append(("export", plan_id, parent))
    monkeypatch.setitem(sys.modules, "desktop.ui.duty_print", fake)
    plan_id = national(session)
    page.set_scope(2026, "holiday", "国庆节")
    page.preview_button.click()
    page.export_button.click()
    assert calls == [("preview", plan_id, page), ("export", plan_id, page)]


def test_an_officer_cell_targets_the_officer(page, session):
    national(session)
    officers = national(session, duty.OFFICER)
    page.set_scope(2026, "holiday", "国庆节")
    page.select_date(D(2026, 10, 1), column=6)  # 值班员二
    person = page.selected_person()
    assert person.slot == duty.OFFICER and person.plan_id == officers
    assert person.name == duty.load_plan(session.store, officers).on(D(2026, 10, 1))[1].name
    page.actions["pin"].trigger()
    assert duty.load_plan(session.store, officers).on(D(2026, 10, 1))[1].fixed == "pin"


def test_the_page_states_the_statutory_reading_and_2027_spring_day1_gets_a_leader(qtbot, session):
    """攀枝花 000 art.81 除双休日外的法定节假日, read as the statutory days (issue 14): the 值班 page says so in
    one sentence, and 2027 春节初一 (Saturday 02-06) is a duty day with a leader; the Sunday 02-07 (初二)
    too, the moved rest days after 初三 not."""
    page = DutyPage(session)
    qtbot.addWidget(page)
    page.show()
    assert session.profile.duty.days.value == "statutory_days"
    text = page.reading.text()
    assert text.startswith("值班日:“除双休日外的法定节假日”按国家规定的法定节假日当天理解")
    assert "落在星期六、星期日的也安排" in text and "第八十一条" in text and "000 art" not in text
    scope = duty.holiday_plan_scope(session.store, 2027, "春节")
    saved = ops.duty.plan(session.store, session.profile, scope).value
    plan = duty.load_plan(session.store, saved.info.id)
    assert D(2027, 2, 6).weekday() == 5 and plan.on(D(2027, 2, 6))[0].heavy == "spring_day1"
    assert plan.dates() == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]  # 除夕至初三
