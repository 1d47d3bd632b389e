"""Shared domain words that live in one core module each: the kinds that leave by default, the chain
outcomes' labels, acting over a range of days (DESIGN.md; issue 15, "One home for shared domain words")."""

from __future__ import annotations

from desktop.core.chain import OUTCOME_APPROVED, OUTCOME_LABELS, OUTCOME_REJECTED, OUTCOME_STEP_DONE
from desktop.core.changes import show_value
from desktop.core.roles import LEAVE_KINDS, TRAVEL_KINDS, AbsenceKind


def test_travel_and_leave_kinds_split_every_kind() -> None:
    assert {k.label for k in TRAVEL_KINDS} == {"出差", "出国(境)", "脱产学习"}
    assert {k.label for k in LEAVE_KINDS} == {"休假", "因私请假", "病假"}
    assert frozenset(AbsenceKind) == TRAVEL_KINDS | LEAVE_KINDS and not TRAVEL_KINDS & LEAVE_KINDS


def test_one_wording_for_each_chain_outcome() -> None:
    """The command line, the 外出/请假 page and the history say the same words (the CLI's are kept)."""
    assert OUTCOME_LABELS == {OUTCOME_STEP_DONE: "已办理本步骤", OUTCOME_APPROVED: "全部步骤已完成,已批准",
                              OUTCOME_REJECTED: "已退回"}  # fmt: skip
    assert show_value("absence", "outcome", OUTCOME_APPROVED) == "全部步骤已完成,已批准"
