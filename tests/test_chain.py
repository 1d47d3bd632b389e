"""Approval chains: resolving targets, substitution, advancing stages (desktop/core/chain.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.absence import Absence, AbsenceState
from desktop.core.acting import Roster
from desktop.core.chain import (
    ResolvedStep,
    RosterDirectory,
    StepState,
    advance,
    current_stage,
    is_complete,
    pending_summary,
    pending_text,
    resolve_chain,
)
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import StepAction, load_profile
from desktop.core.roles import AbsenceKind, Role

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
PZH = load_profile(PROFILES / "panzhihua.toml")
XP = load_profile(PROFILES / "xiping.toml")
#: 攀枝花 with its AB partners also signing for an away deputy (``approves = true``): the routing mechanism.
#: The shipped file reads 000 art.61 the other way (tests/test_rules_scope.py).
PZH_AB_APPROVES = dataclasses.replace(PZH, acting=tuple(dataclasses.replace(r, approves=True) for r in PZH.acting))
NOW = datetime(2026, 11, 21, 9, 30)
REPORTED = datetime(2026, 11, 24, 10, 0)
TRIP = date(2026, 11, 26)

PEOPLE = [
    Person(1, "王建国", Role.chief, "市长", 1),
    Person(2, "陈志强", Role.executive_deputy, "常务副市长", 2),
    Person(3, "张丽华", Role.deputy, "副市长", 3),
    Person(4, "李明", Role.deputy, "副市长", 4),
    Person(9, "吴主任", Role.office_director, "市政府办公室主任", 9),
    Person(20, "马晓东", Role.dept_head, "发改委主任", 20, unit="发改委"),
    Person(21, "刘洋", Role.dept_head, "教育局局长", 21, unit="教育局"),
]
BY_ID = {p.id: p for p in PEOPLE}
PORTFOLIOS = {3: {"发改委", "财政局"}}

_ids = iter(range(500, 100000))


def rec(pid: int, start: date = TRIP, end: date | None = None, **kw) -> Absence:
    base = dict(id=next(_ids), person_id=pid, kind=AbsenceKind.trip, start=start, end=end or start,
                destination="北京", leaves_jurisdiction=True, reported_at=REPORTED,
                state=AbsenceState.in_progress)  # fmt: skip
    base.update(kw)
    return Absence(**base)


def directory(*absences, profile=PZH, pairs=((3, 4),)) -> RosterDirectory:
    return RosterDirectory(profile, Roster(PEOPLE, list(pairs), list(absences)), PORTFOLIOS)


def test_no_chain_no_steps():
    # 000 art.84 has no chain for a dept head's absence inside the city
    r = rec(20, leaves_jurisdiction=False)
    assert resolve_chain(PZH, BY_ID[20], r, directory()) == []


def test_deputy_leaving_the_city_reports_to_the_mayor_then_the_office_files():
    """000 art.84: 报告市长或负责常务工作的副市长 … 向市政府办公室备案."""
    steps = resolve_chain(PZH, BY_ID[3], rec(3), directory())
    assert [(s.seq, s.stage, s.action, s.target_text, s.assignee_id, s.office) for s in steps] == [
        (1, 1, StepAction.report, "市长", 1, None),
        (2, 2, StepAction.file, "市政府办公室", None, "市政府办公室"),
    ]


def test_any_target_picks_the_first_present_role():
    """“报告市长或常务副市长”: the mayor away on the report date → the executive deputy."""
    mayor_away = rec(1, REPORTED.date(), TRIP)
    steps = resolve_chain(PZH, BY_ID[3], rec(3), directory(mayor_away))
    assert (steps[0].target_text, steps[0].assignee_id, steps[0].substitute_for_id) == ("常务副市长", 2, None)


def test_any_target_never_picks_the_requester():
    steps = resolve_chain(PZH, BY_ID[2], rec(2), directory())
    assert steps[0].assignee_id == 1
    # the mayor away too: the step stays with the mayor (nobody else may take it)
    steps = resolve_chain(PZH, BY_ID[2], rec(2), directory(rec(1, REPORTED.date(), TRIP)))
    assert steps[0].assignee_id == 1 and steps[0].substitute_for_id is None
    assert "无人代行" in steps[0].note


def test_supervisor_target_and_missing_supervisor():
    """000 art.84: 部门主要负责人离攀外出,须经市政府分管领导同意."""
    steps = resolve_chain(PZH, BY_ID[20], rec(20), directory())
    assert [s.target_text for s in steps] == ["分管领导 张丽华", "市委办公室", "市政府办公室"]
    with pytest.raises(UserError) as exc:
        resolve_chain(PZH, BY_ID[21], rec(21), directory())
    assert str(exc.value) == "未找到刘洋的分管领导:请在人员页为其所在单位设置分管领导。"


def test_an_away_supervisor_is_replaced_by_the_ab_partner():
    sup_away = rec(3, REPORTED.date(), TRIP, state=AbsenceState.approved)
    (first, *_) = resolve_chain(PZH_AB_APPROVES, BY_ID[20], rec(20), directory(sup_away, profile=PZH_AB_APPROVES))
    assert (first.assignee_id, first.substitute_for_id) == (4, 3)
    assert first.target_text == "副市长 李明(代分管领导 张丽华)"
    assert first.note == "分管领导 张丽华外出,由副市长李明代为审批"
    # resolved for another date (the supervisor back): no substitution
    (again, *_) = resolve_chain(PZH_AB_APPROVES, BY_ID[20], rec(20), directory(sup_away, profile=PZH_AB_APPROVES),
                                on=TRIP + timedelta(days=3))
    assert again.assignee_id == 3


def _steps() -> list[ResolvedStep]:
    """Xiping dept head (002 art.55): office → director → (county head ∥ supervisor) → filing."""
    people = [Person(1, "县长甲", Role.chief, "县长", 1), Person(2, "常务乙", Role.executive_deputy, "", 2),
              Person(3, "副县长丙", Role.deputy, "", 3), Person(9, "主任丁", Role.office_director, "", 9),
              Person(20, "局长戊", Role.dept_head, "", 20, unit="教育局")]  # fmt: skip
    d = RosterDirectory(XP, Roster(people), {3: {"教育局"}})
    return resolve_chain(XP, people[-1], rec(20), d)


def test_advance_validates_who_acts_and_keeps_stages():
    steps = _steps()
    assert [s.stage for s in steps] == [1, 2, 3, 3, 4]
    steps, out = advance(steps, "办公室小王", NOW)  # office summary: any operator
    assert out == "step_done" and steps[0].done_by == "办公室小王" and steps[0].done_at == NOW
    with pytest.raises(UserError, match="应由 主任丁 办理,不能由 县长甲 办理"):
        advance(steps, "县长甲", NOW)
    steps, _ = advance(steps, "主任丁", NOW)
    assert current_stage(steps) == 3
    steps, _ = advance(steps, "副县长丙", NOW, comment="同意")
    assert [s.state for s in steps if s.stage == 3] == [StepState.pending, StepState.done]
    steps, out = advance(steps, "县长甲", NOW)
    assert out == "step_done" and current_stage(steps) == 4
    steps, out = advance(steps, "任何人", NOW)
    assert out == "approved" and is_complete(steps) and current_stage(steps) is None
    with pytest.raises(UserError, match="已全部办结"):
        advance(steps, "任何人", NOW)


def test_reject_needs_a_comment_and_ends_the_chain():
    steps, _ = advance(_steps(), "办公室", NOW)
    with pytest.raises(UserError, match="请填写理由"):
        advance(steps, "主任丁", NOW, reject=True)
    steps, out = advance(steps, "主任丁", NOW, reject=True, comment="时间冲突")
    assert out == "rejected"
    assert [s.state for s in steps] == [StepState.done, StepState.rejected] + [StepState.skipped] * 3
    with pytest.raises(UserError, match="已被退回"):
        advance(steps, "县长甲", NOW)
    with pytest.raises(UserError, match="请填写办理人姓名"):
        advance(_steps(), " ", NOW)


def test_a_substituted_step_can_be_done_by_either():
    sup_away = rec(3, REPORTED.date(), TRIP, state=AbsenceState.approved)
    steps = resolve_chain(PZH_AB_APPROVES, BY_ID[20], rec(20), directory(sup_away, profile=PZH_AB_APPROVES))
    new, _ = advance(steps, "李明", NOW)
    assert (new[0].done_by, new[0].assignee_id, new[0].substitute_for_id) == ("李明(代分管领导 张丽华)", 4, 3)
    new, _ = advance(steps, "张丽华", NOW)  # the supervisor signs himself: the plain step, done by him
    assert (new[0].done_by, new[0].assignee_id, new[0].substitute_for_id) == ("张丽华", 3, None)
    assert new[0].target_text == "分管领导 张丽华"
    with pytest.raises(UserError, match=r"李明\(或张丽华本人\)"):
        advance(steps, "王建国", NOW)


def test_pending_summary():
    a = _steps()
    b, _ = advance(_steps(), "x", NOW)
    c, _ = advance(b, "主任丁", NOW)
    rows = pending_summary([a, b, c, c])
    # a: waiting for the summary; b: for the director; c twice: the county head and the supervisor
    assert rows == [("县长", "批准", 2), ("分管领导 副县长丙", "批准", 2),
                    ("县政府办公室", "汇总", 1), ("县政府办公室主任", "签报", 1)]  # fmt: skip
    assert pending_text(rows[0]) == "待县长批准:2"
    assert pending_text(("市长", "报告", 1)) == "待向市长报告:1"  # not 等待 市长 报告: the deputy reports to the 市长


# ------------------------------------------------------------------ properties


@st.composite
def advances(draw):
    """A random sequence of (by_name, reject) calls; names may be wrong."""
    names = ["办公室", "主任丁", "县长甲", "副县长丙", "常务乙", "路人"]
    return draw(st.lists(st.sampled_from(names), max_size=12))


@settings(max_examples=150, deadline=None)
@given(advances(), st.integers(min_value=0, max_value=10))
def test_advance_never_skips_a_stage_and_approved_means_all_done(calls, reject_at):
    steps = _steps()
    for i, name in enumerate(calls):
        before = current_stage(steps)
        try:
            new, outcome = advance(steps, name, NOW, reject=(i == reject_at), comment="理由")
        except UserError:
            continue
        changed = [n for o, n in zip(steps, new, strict=True) if o != n and n.state is not StepState.skipped]
        assert len(changed) == 1 and changed[0].stage == before
        earlier = [s for s in new if s.stage < before]
        assert all(s.state is StepState.done for s in earlier)
        steps = new
        if outcome == "approved":
            assert all(s.state is StepState.done for s in steps)
            break
        if outcome == "rejected":
            assert not [s for s in steps if s.state is StepState.pending]
            break
