"""Shared domain words that live in one core module each: the kinds that leave by default, the chain
outcomes' labels, acting over a range of days (DESIGN.md; issue 15, "One home for shared domain words")."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from desktop.core.absence import Absence, AbsenceState
from desktop.core.acting import ActingContext, day_runs, record_acting
from desktop.core.chain import OUTCOME_APPROVED, OUTCOME_LABELS, OUTCOME_REJECTED, OUTCOME_STEP_DONE
from desktop.core.changes import show_value
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import LEAVE_KINDS, TRAVEL_KINDS, AbsenceKind, Role
from desktop.resources import profiles_dir


def test_travel_and_leave_kinds_split_every_kind() -> None:
    assert {k.label for k in TRAVEL_KINDS} == {"出差", "出国(境)", "脱产学习"}
    assert {k.label for k in LEAVE_KINDS} == {"休假", "因私请假", "病假"}
    assert frozenset(AbsenceKind) == TRAVEL_KINDS | LEAVE_KINDS and not TRAVEL_KINDS & LEAVE_KINDS


def test_one_wording_for_each_chain_outcome() -> None:
    """The command line, the 外出/请假 page and the history say the same words (the CLI's are kept)."""
    assert OUTCOME_LABELS == {OUTCOME_STEP_DONE: "已办理本步骤", OUTCOME_APPROVED: "全部步骤已完成,已批准",
                              OUTCOME_REJECTED: "已退回"}  # fmt: skip
    assert show_value("absence", "outcome", OUTCOME_APPROVED) == "全部步骤已完成,已批准"


def test_day_runs_merge_consecutive_days_with_the_same_key() -> None:
    d = date(2026, 12, 30)
    days = [(d, "甲"), (d + timedelta(days=1), "甲"), (d + timedelta(days=2), "甲"),  # across the new year
            (d + timedelta(days=3), "乙"), (d + timedelta(days=5), "乙")]  # fmt: skip
    runs = day_runs(reversed(days))  # any order: runs come in date order
    assert [(r.first, r.last, r.value) for r in runs] == [
        (d, date(2027, 1, 1), "甲"), (date(2027, 1, 2), date(2027, 1, 2), "乙"), (date(2027, 1, 4), date(2027, 1, 4), "乙"),
    ]  # fmt: skip
    # with a key, a run keeps its first day's value
    merged = day_runs([(d, ("甲", True)), (d + timedelta(days=1), ("甲", False))], key=lambda v: v[0])
    assert [(r.first, r.last, r.value) for r in merged] == [(d, date(2026, 12, 31), ("甲", True))]
    assert day_runs([]) == []


def test_record_acting_counts_a_draft_as_away_and_stops_at_the_limit() -> None:
    chief = Person(1, "王建国", Role.chief, "市长", 1)
    deputy = Person(2, "李志强", Role.executive_deputy, "常务副市长", 2)
    ctx = ActingContext(load_profile(profiles_dir() / "panzhihua.toml"), [chief, deputy])
    start = date(2026, 12, 30)
    draft = Absence(id=7, person_id=1, kind=AbsenceKind.trip, start=start, end=date(2027, 1, 2), destination="成都")
    stale = dataclasses.replace(draft, end=start, state=AbsenceState.approved)  # its stored version: replaced
    reports = record_acting(ctx, [stale], draft)
    assert [r.date for r in reports] == [start + timedelta(days=i) for i in range(4)]
    assert all(r.actor_for(1) == deputy for r in reports)
    assert len(record_acting(ctx, [], draft, limit=2)) == 2
