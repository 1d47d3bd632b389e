"""Shared domain words that live in one core module each: the kinds that leave by default, the chain
outcomes' labels, acting over a range of days (DESIGN.md; issue 15, "One home for shared domain words")."""

from __future__ import annotations

from desktop.core.roles import LEAVE_KINDS, TRAVEL_KINDS, AbsenceKind


def test_travel_and_leave_kinds_split_every_kind() -> None:
    assert {k.label for k in TRAVEL_KINDS} == {"出差", "出国(境)", "脱产学习"}
    assert {k.label for k in LEAVE_KINDS} == {"休假", "因私请假", "病假"}
    assert frozenset(AbsenceKind) == TRAVEL_KINDS | LEAVE_KINDS and not TRAVEL_KINDS & LEAVE_KINDS
