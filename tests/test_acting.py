"""Who acts for whom (desktop/core/acting.py), on the 攀枝花 profile (000 art.10, 61, 84)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.absence import Absence, AbsenceState, Half, mark_returned
from desktop.core.acting import (
    BASIS_AB,
    BASIS_CHIEF_RULE,
    BASIS_DESIGNATED,
    BASIS_EXPLICIT,
    GAP_ACTOR_AWAY,
    GAP_BOTH_AWAY,
    ActingContext,
    Designation,
    Override,
    Roster,
    away_spans,
    validate_designation,
    validate_override,
    who_acts,
)
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
PZH = load_profile(PROFILES / "panzhihua.toml")
DAY = date(2026, 11, 26)

PEOPLE = [
    Person(1, "王建国", Role.chief, "市长", 1),
    Person(2, "陈志强", Role.executive_deputy, "常务副市长", 2),
    Person(3, "张丽华", Role.deputy, "副市长", 3),
    Person(4, "李明", Role.deputy, "副市长", 4),
    Person(5, "赵六", Role.deputy, "副市长", 5),
    Person(6, "钱七", Role.deputy, "副市长", 6),
    Person(7, "孙红", Role.secretary_general, "市政府秘书长", 7),
    Person(8, "周退", Role.deputy, "副市长", 8, active=False),
    Person(20, "马晓东", Role.dept_head, "发改委主任", 20, unit="发改委"),
]
BY_ID = {p.id: p for p in PEOPLE}
PAIRS = [(3, 4), (5, 6)]

_next_id = iter(range(100, 100000))


def away(pid: int, start: date = DAY, end: date | None = None, **kw) -> Absence:
    base = dict(id=next(_next_id), person_id=pid, kind=AbsenceKind.trip, start=start, end=end or start,
                destination="成都", leaves_jurisdiction=True, state=AbsenceState.approved)  # fmt: skip
    base.update(kw)
    return Absence(**base)


def report(*absences, designations=(), overrides=(), half=None, load=None, day=DAY):
    roster = Roster(PEOPLE, PAIRS, list(absences), list(designations), list(overrides))
    return who_acts(roster, PZH, day, half, load)


def actors(rep) -> dict[int, tuple[int, str]]:
    return {e.absent_person.id: (e.actor.id, e.basis) for e in rep.acting}


def test_nobody_away():
    rep = report()
    assert (rep.away, rep.acting, rep.gaps, rep.warnings) == ((), (), (), ())


def test_chief_away_executive_deputy_acts():
    """000 art.10: 市长出差期间,由负责常务工作的副市长代行市长职责."""
    rep = report(away(1))
    (entry,) = rep.acting
    assert (entry.actor.id, entry.basis, entry.article) == (2, BASIS_CHIEF_RULE, "000 art.10")
    assert entry.scope == "受市长委托,代行市长职责"
    assert rep.actor_for(1).name == "陈志强"


def test_deputy_away_ab_partner_acts():
    """000 art.61: 互为AB角的领导同志,其中一位外出期间,由另一位代行."""
    rep = report(away(3))
    assert actors(rep) == {3: (4, BASIS_AB)}
    assert rep.acting[0].article == "000 art.61"
    assert rep.gaps == ()


def test_both_partners_away_is_a_gap_with_suggestions_least_loaded_first():
    """000 art.61: 同时外出时,由市政府办公室协调其他市政府领导代行 — until then, a violation."""
    rep = report(away(3), away(4), load={6: 0, 5: 4, 7: 1})
    (gap,) = rep.gaps
    assert gap.kind == GAP_BOTH_AWAY and gap.severity == "violation"
    assert [p.id for p in gap.absent] == [3, 4]
    assert [p.id for p in gap.suggestions] == [2, 6, 7, 5]  # no chief, no absent, no inactive
    assert "市政府办公室协调" in gap.reason and "可考虑:陈志强、钱七、孙红" in gap.reason


def test_suggestions_put_leaders_already_acting_that_day_last():
    rep = report(away(3), away(4), away(5))  # 钱七 acts for 赵六 (AB) that day
    (gap,) = rep.gaps
    assert [p.id for p in gap.suggestions] == [2, 7, 6]


def test_a_designation_closes_the_gap():
    d = Designation(DAY, DAY + timedelta(days=1), frozenset({3, 4}), 7, "协调", "办公室", id=9)
    rep = report(away(3), away(4), designations=[d])
    assert rep.gaps == ()
    assert actors(rep) == {3: (7, BASIS_DESIGNATED), 4: (7, BASIS_DESIGNATED)}
    assert rep.acting[0].designation_id == 9
    # not on a day it does not cover
    assert report(away(3, DAY + timedelta(days=2)), away(4, DAY + timedelta(days=2)), designations=[d],
                  day=DAY + timedelta(days=2)).gaps  # fmt: skip


def test_a_designee_who_is_away_is_a_warning_and_the_gap_stays():
    d = Designation(DAY, DAY, frozenset({3, 4}), 7)
    rep = report(away(3), away(4), away(7), designations=[d])
    assert len(rep.gaps) == 1
    assert {w.kind for w in rep.warnings} == {"designee_away"}


def test_explicit_acting_person_takes_precedence_when_present():
    rep = report(away(3, acting_ids=(6,)))
    assert actors(rep) == {3: (6, BASIS_EXPLICIT)}
    fallback = report(away(3, acting_ids=(6,)), away(6))
    assert actors(fallback)[3] == (4, BASIS_AB)
    assert any(w.kind == "explicit_actor_away" for w in fallback.warnings)


def test_explicit_acting_for_a_role_without_a_rule():
    rep = report(away(20, acting_ids=(3,)))
    assert actors(rep) == {20: (3, BASIS_EXPLICIT)}
    assert rep.acting[0].article == ""


def test_dept_head_needs_no_acting_entry():
    rep = report(away(20))
    assert [e.person.id for e in rep.away] == [20]
    assert rep.acting == () and rep.gaps == ()


def test_executive_deputy_without_partner_is_noted_not_a_gap():
    """000 art.61 is about leaders 互为AB角: without a partner nobody is named, the office is told."""
    rep = report(away(2))
    assert rep.gaps == () and rep.acting == ()
    (w,) = rep.warnings
    assert (w.kind, w.severity, w.article) == ("no_partner", "info", "000 art.61")
    assert "未设置AB角" in w.message


def test_chief_and_executive_deputy_away_together():
    """000 art.84: 市长与负责常务工作的副市长一般不同时外出 — a warning, overridable."""
    rep = report(away(1), away(2))
    (nt,) = [w for w in rep.warnings if w.kind == "not_together"]
    assert (nt.severity, nt.overridden, nt.article) == ("warning", False, "000 art.84")
    assert "市长 王建国与常务副市长 陈志强 同时外出" in nt.message
    chief_gap = next(g for g in rep.gaps if g.kind == GAP_ACTOR_AWAY)
    assert [p.id for p in chief_gap.absent] == [1]
    assert 1 not in {p.id for p in chief_gap.suggestions}
    o = Override(frozenset({Role.chief, Role.executive_deputy}), DAY, DAY, "省政府通知二人同时参会", id=4)
    (nt2,) = [w for w in report(away(1), away(2), overrides=[o]).warnings if w.kind == "not_together"]
    assert nt2.overridden and nt2.reason == "省政府通知二人同时参会" and nt2.override_id == 4
    blank = Override(frozenset({Role.chief, Role.executive_deputy}), DAY, DAY, " ")
    assert not next(
        w for w in report(away(1), away(2), overrides=[blank]).warnings if w.kind == "not_together"
    ).overridden


def test_half_days_are_exact():
    morning = away(1, end_half=Half.am)
    afternoon = away(2, start_half=Half.pm)
    rep = report(morning, afternoon)
    assert not [w for w in rep.warnings if w.kind == "not_together"]  # never away at the same time
    assert {(e.person.id, e.half) for e in rep.away} == {(1, Half.am), (2, Half.pm)}
    (entry,) = [e for e in rep.acting if e.absent_person.id == 1]
    assert (entry.actor.id, entry.half) == (2, Half.am)
    assert report(morning, afternoon, half=Half.pm).actor_for(1) is None


def test_state_and_return_matter():
    assert report(away(3, state=AbsenceState.draft)).away == ()
    assert report(away(3, state=AbsenceState.cancelled)).away == ()
    assert report(away(3, state=AbsenceState.in_progress)).away
    back = mark_returned(away(3, DAY - timedelta(days=2), DAY + timedelta(days=2)), DAY - timedelta(days=1))
    assert report(back).away == ()


def test_inactive_people_are_ignored():
    rep = report(away(8))
    assert rep.away == ()


def test_validation_of_designations_and_overrides():
    with pytest.raises(UserError, match="不能是外出者本人"):
        validate_designation(Designation(DAY, DAY, frozenset({3, 4}), 3))
    with pytest.raises(UserError, match="结束日期早于开始日期"):
        validate_designation(Designation(DAY, DAY - timedelta(days=1), frozenset({3}), 5))
    with pytest.raises(UserError, match="请填写同时外出的理由"):
        validate_override(Override(frozenset({Role.chief, Role.executive_deputy}), DAY, DAY, ""))


def test_context_reuses_indexes_for_many_days():
    ctx = ActingContext(PZH, PEOPLE, PAIRS)
    records = [away(3, DAY, DAY + timedelta(days=2))]
    for i in range(3):
        d = DAY + timedelta(days=i)
        assert ctx.report(d, *ctx.away_maps(records, d)).actor_for(3).id == 4


# ------------------------------------------------------------------ property

leader_ids = [1, 2, 3, 4, 5, 6, 7]


@st.composite
def scenario(draw):
    recs = []
    for pid in draw(st.lists(st.sampled_from(leader_ids), max_size=7)):
        s = DAY + timedelta(days=draw(st.integers(-2, 0)))
        e = DAY + timedelta(days=draw(st.integers(0, 2)))
        sh = draw(st.sampled_from([Half.full, Half.pm]))
        eh = draw(st.sampled_from([Half.full, Half.am]))
        if s == e and sh is Half.pm and eh is Half.am:
            eh = Half.full
        acting = tuple(draw(st.lists(st.sampled_from(leader_ids), max_size=2)))
        acting = tuple(a for a in acting if a != pid)
        recs.append(away(pid, s, e, start_half=sh, end_half=eh, acting_ids=acting,
                         kind=draw(st.sampled_from(list(AbsenceKind)))))  # fmt: skip
    designations = []
    if draw(st.booleans()):
        designations.append(Designation(DAY, DAY, frozenset({3, 4}), draw(st.sampled_from(leader_ids))))
    return recs, designations, draw(st.sampled_from([None, Half.am, Half.pm]))


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_nobody_listed_as_acting_is_away(case):
    recs, designations, half = case
    rep = report(*recs, designations=designations, half=half)
    away_in = {Half.am: set(), Half.pm: set()}
    for e in rep.away:
        for h in (Half.am, Half.pm):
            if e.half in (Half.full, h):
                away_in[h].add(e.person.id)
    for entry in rep.acting:
        halves = (Half.am, Half.pm) if entry.half is Half.full else (entry.half,)
        for h in halves:
            assert entry.actor.id not in away_in[h]
            assert entry.absent_person.id in away_in[h]
    for gap in rep.gaps:
        assert not {p.id for p in gap.suggestions} & {p.id for p in gap.absent}
        assert all(p.role is not Role.chief for p in gap.suggestions)


# ------------------------------------------------------------------ the fast paths change nothing


def test_whole_day_is_replace_with_half_full():
    """acting._whole_day skips dataclasses.replace: valid while the entries compute nothing at init."""
    import dataclasses

    from desktop.core import acting

    p, q = Person(3, "张丽华", Role.deputy, "副市长", 3), Person(4, "李明", Role.deputy, "副市长", 4)
    a = Absence(id=1, person_id=3, kind=AbsenceKind.trip, start=date(2026, 11, 26), end=date(2026, 11, 26),
                state=AbsenceState.approved)  # fmt: skip
    entries = [acting.AwayEntry(p, a, Half.am),
               acting.ActingEntry(p, q, acting.BASIS_AB, "代行", "000 art.61", Half.am, ("会议",), None),
               acting.Gap(acting.GAP_BOTH_AWAY, (p, q), "无人", (q,), "000 art.61", "violation", Half.pm),
               acting.ActingWarning("no_partner", "未设置AB角", "000 art.61", "info", person_ids=(3,), half=Half.pm)]
    for e in entries:
        cls = type(e)
        assert not hasattr(cls, "__post_init__") and "__slots__" not in vars(cls)
        fast, slow = acting._whole_day(e), dataclasses.replace(e, half=Half.full)
        assert type(fast) is cls and fast == slow and repr(fast) == repr(slow) and hash(fast) == hash(slow)
        assert e.half is not Half.full  # the original is untouched


def test_away_maps_of_spans_is_away_maps():
    ctx = ActingContext(PZH, PEOPLE, PAIRS)
    records = [away(3, DAY, DAY + timedelta(days=2), id=5), away(3, DAY, DAY, id=2, start_half=Half.pm),
               away(4, DAY - timedelta(days=1), DAY, id=9, end_half=Half.am),
               away(5, DAY, DAY, id=11, state=AbsenceState.draft), away(8, DAY, DAY, id=12)]  # fmt: skip
    for day in (DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)):
        assert ctx.away_maps_of(away_spans(records), day) == ctx.away_maps(records, day)
    am, pm = ctx.away_maps(records, DAY)
    assert am[3].id == 5 and pm[3].id == 2 and am[4].id == 9 and 4 not in pm and 5 not in am and 8 not in am
