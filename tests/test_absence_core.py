"""Absence records: half-day slots, validation, the lifecycle and overlaps (desktop/core/absence.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.absence import (
    Absence,
    AbsenceState,
    DisplayState,
    Half,
    absence_from_fields,
    apply_chain_outcome,
    away_on,
    away_slots,
    cancel,
    effective_state,
    extend,
    find_overlap,
    format_span,
    length_days,
    mark_returned,
    overlap_message,
    overlaps,
    reject,
    return_note,
    span_slots,
    submit,
    validate_absence_draft,
    withdraw,
)
from desktop.core.errors import UserError
from desktop.core.roles import AbsenceKind

NOW = datetime(2026, 11, 21, 9, 30)


def rec(**kw) -> Absence:
    base = dict(id=12, person_id=3, kind=AbsenceKind.trip, start=date(2026, 11, 26), end=date(2026, 11, 28),
                destination="北京", state=AbsenceState.approved)  # fmt: skip
    base.update(kw)
    return Absence(**base)


# ------------------------------------------------------------------ slots


def test_half_labels():
    assert [h.label for h in Half] == ["全天", "上午", "下午"]
    assert AbsenceState.returned.label == "已销假"
    assert DisplayState.underway.label == "外出中"
    assert DisplayState.overdue_return.label == "逾期未销假"


def test_span_and_length_in_half_days():
    r = rec(start_half=Half.pm)
    assert len(span_slots(r)) == 5
    assert length_days(r) == 2.5
    assert length_days(rec()) == 3
    assert length_days(rec(end=date(2026, 11, 26), end_half=Half.am)) == 0.5


def test_away_on_says_which_part_of_the_day():
    r = rec(start_half=Half.pm, end_half=Half.am)
    assert away_on(r, date(2026, 11, 25)) is None
    assert away_on(r, date(2026, 11, 26)) is Half.pm
    assert away_on(r, date(2026, 11, 27)) is Half.full
    assert away_on(r, date(2026, 11, 28)) is Half.am
    assert away_on(r, date(2026, 11, 29)) is None


def test_a_returned_record_counts_until_its_actual_end():
    early = mark_returned(rec(), date(2026, 11, 27), Half.am)
    assert away_on(early, date(2026, 11, 27)) is Half.am
    assert away_on(early, date(2026, 11, 28)) is None
    late = mark_returned(rec(), date(2026, 11, 30))
    assert away_on(late, date(2026, 11, 30)) is Half.full


def test_morning_and_afternoon_of_the_same_day_do_not_overlap():
    morning = rec(id=1, end=date(2026, 11, 26), end_half=Half.am)
    afternoon = rec(id=2, start_half=Half.pm)
    assert not overlaps(morning, afternoon)
    assert overlaps(morning, rec(id=3, end=date(2026, 11, 26)))


def test_format_span():
    assert format_span(date(2026, 11, 26), Half.full, date(2026, 11, 28), Half.full) == "2026年11月26日至28日"
    assert (
        format_span(date(2026, 11, 30), Half.pm, date(2026, 12, 2), Half.am)
        == "2026年11月30日下午至12月2日上午"
    )
    assert (
        format_span(date(2026, 12, 31), Half.full, date(2027, 1, 2), Half.full)
        == "2026年12月31日至2027年1月2日"
    )
    assert format_span(date(2026, 11, 26), Half.pm, date(2026, 11, 26), Half.full) == "2026年11月26日下午"
    assert format_span(date(2026, 11, 26), Half.full, date(2026, 11, 26), Half.am) == "2026年11月26日上午"


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"end": date(2026, 11, 25)}, "结束日期早于开始日期"),
        (
            {"end": date(2026, 11, 26), "start_half": Half.pm, "end_half": Half.am},
            "不能从下午开始、到上午结束",
        ),
        ({"start_half": Half.am}, "开始时间只能是"),
        ({"end_half": Half.pm}, "结束日期只能是"),
        ({"person_id": 0}, "人员不能为空"),
        ({"destination": "  "}, "须填写目的地"),
        ({"reason": "很" * 201}, "事由超过200个字"),
        ({"contact": "1" * 201}, "联系方式超过200个字"),
        ({"start": date(1999, 12, 31)}, "超出可用范围"),
        ({"end": date(2100, 1, 1)}, "超出可用范围"),
        ({"acting_ids": (3,)}, "代行人不能是外出者本人"),
    ],
)
def test_validation_says_what_to_fix(changes, fragment):
    with pytest.raises(UserError, match=fragment):
        validate_absence_draft(rec(state=AbsenceState.draft, **changes))


def test_validation_cleans_text_and_abroad_leaves_the_jurisdiction():
    r = validate_absence_draft(
        rec(kind=AbsenceKind.abroad, destination="  新加坡\u3000 ", acting_ids=(5, 5, 6))
    )
    assert r.destination == "新加坡"
    assert r.leaves_jurisdiction
    assert r.acting_ids == (5, 6)
    # sick leave needs no destination
    validate_absence_draft(rec(kind=AbsenceKind.sick, destination=""))


# ------------------------------------------------------------------ lifecycle


def test_submit_goes_to_in_progress_or_submitted_and_keeps_a_given_report_time():
    draft = rec(state=AbsenceState.draft, reported_at=None)
    assert submit(draft, has_steps=True, now=NOW).state is AbsenceState.in_progress
    done = submit(draft, has_steps=False, now=NOW)
    assert done.state is AbsenceState.submitted and done.reported_at == NOW
    earlier = datetime(2026, 11, 20, 16, 0)
    assert (
        submit(dataclasses.replace(draft, reported_at=earlier), has_steps=True, now=NOW).reported_at
        == earlier
    )
    with pytest.raises(UserError, match="只有草稿可以报送"):
        submit(rec(), has_steps=True, now=NOW)


def test_chain_outcomes_and_reject_needs_a_reason():
    r = rec(state=AbsenceState.in_progress)
    assert apply_chain_outcome(r, "step_done") is r
    assert apply_chain_outcome(r, "approved").state is AbsenceState.approved
    assert apply_chain_outcome(r, "rejected", "行程冲突").state_note == "行程冲突"
    with pytest.raises(UserError, match="请填写理由"):
        reject(r, " ")
    with pytest.raises(UserError, match="不能退回"):
        reject(rec(), "太晚")


def test_withdraw_only_before_approval():
    assert withdraw(rec(state=AbsenceState.in_progress)).state is AbsenceState.withdrawn
    with pytest.raises(UserError, match="取消"):
        withdraw(rec())


def test_cancel_only_before_the_start():
    assert cancel(rec(), today=date(2026, 11, 25)).state is AbsenceState.cancelled
    with pytest.raises(UserError, match="请办理销假"):
        cancel(rec(), today=date(2026, 11, 26))
    with pytest.raises(UserError, match="撤回"):
        cancel(rec(state=AbsenceState.in_progress), today=date(2026, 11, 20))


def test_return_early_on_time_and_late_are_recorded():
    assert return_note(mark_returned(rec(), date(2026, 11, 27))) == "提前1天销假(2026年11月27日返回)"
    assert return_note(mark_returned(rec(), date(2026, 11, 28))) == "按期销假(2026年11月28日返回)"
    assert (
        return_note(mark_returned(rec(), date(2026, 11, 30), Half.am))
        == "延期1.5天销假(2026年11月30日上午返回)"
    )
    with pytest.raises(UserError, match="早于外出开始日期"):
        mark_returned(rec(), date(2026, 11, 25))
    with pytest.raises(UserError, match="晚于今天"):
        mark_returned(rec(), date(2026, 11, 28), today=date(2026, 11, 27))
    with pytest.raises(UserError, match="请先完成审批"):
        mark_returned(rec(state=AbsenceState.in_progress), date(2026, 11, 28))


def test_extend_keeps_history():
    new, change = extend(rec(), date(2026, 11, 30), reason="会议延期")
    assert (new.end, new.original_end) == (date(2026, 11, 30), date(2026, 11, 28))
    assert change.message == "延期:2026年11月26日至28日 改为 2026年11月26日至30日(原因:会议延期)"
    assert change.before["end"] == "2026-11-28" and change.after["end"] == "2026-11-30"
    again, _ = extend(new, date(2026, 12, 1))
    assert again.original_end == date(2026, 11, 28)
    with pytest.raises(UserError, match="结束日期早于开始日期"):
        extend(rec(), date(2026, 11, 20))
    with pytest.raises(UserError, match="无需修改"):
        extend(rec(), date(2026, 11, 28))


def test_effective_state_by_date():
    r = rec()
    assert effective_state(r, date(2026, 11, 25)) is DisplayState.approved
    assert effective_state(r, date(2026, 11, 26)) is DisplayState.underway
    assert effective_state(r, date(2026, 11, 28)) is DisplayState.underway
    assert effective_state(r, date(2026, 11, 29)) is DisplayState.overdue_return
    assert effective_state(mark_returned(r, date(2026, 11, 28)), date(2026, 12, 5)) is DisplayState.returned
    assert (
        effective_state(rec(state=AbsenceState.in_progress), date(2026, 11, 27)) is DisplayState.in_progress
    )


# ------------------------------------------------------------------ overlaps


def test_find_overlap_ignores_closed_records_and_itself():
    new = rec(id=None, start=date(2026, 11, 27), end=date(2026, 11, 29), state=AbsenceState.draft)
    existing = [rec(id=7, state=AbsenceState.cancelled), rec(id=8, state=AbsenceState.rejected),
                rec(id=9, state=AbsenceState.withdrawn), rec(id=10, person_id=4)]  # fmt: skip
    assert find_overlap(new, existing) is None
    assert find_overlap(new, [*existing, rec()]).id == 12
    assert find_overlap(rec(), [rec()]) is None  # the record itself (same id)


def test_overlap_message():
    msg = overlap_message(rec(id=None), rec(), "张丽华")
    assert msg == (
        "张丽华 在 2026年11月26日至28日 已有外出记录(出差 北京,编号 12),与本次时间重叠。"
        "请修改日期,或先取消/销假原记录。"
    )


# ------------------------------------------------------------------ properties

_days = st.integers(min_value=0, max_value=20)


@st.composite
def records(draw, rid: int) -> Absence:
    start = date(2026, 11, 1) + timedelta(days=draw(_days))
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=6)))
    sh = draw(st.sampled_from([Half.full, Half.pm]))
    eh = draw(st.sampled_from([Half.full, Half.am]))
    if start == end and sh is Half.pm and eh is Half.am:
        eh = Half.full
    return rec(id=rid, start=start, end=end, start_half=sh, end_half=eh)


@settings(max_examples=300, deadline=None)
@given(records(1), records(2))
def test_overlap_is_symmetric_and_agrees_with_slot_intersection(a, b):
    expected = bool(set(away_slots(a)) & set(away_slots(b)))
    assert overlaps(a, b) == overlaps(b, a) == expected
    days = {a.start + timedelta(days=i) for i in range((a.end - a.start).days + 1)}
    assert {d for d in days if away_on(a, d) is not None} == days
    assert length_days(a) == len(span_slots(a)) / 2


# ------------------------------------------------------------------ the store's fast constructor


def test_absence_from_fields_is_the_same_record_as_the_constructor():
    fields = dict(id=7, person_id=3, kind=AbsenceKind.abroad, start=date(2026, 11, 26), start_half=Half.pm,
                  end=date(2026, 11, 28), end_half=Half.am, destination="东京", reason="访问", leaves_jurisdiction=True,
                  reported_at=NOW, urgent=True, acting_ids=(4, 5), contact="138", state=AbsenceState.returned,
                  actual_return=date(2026, 11, 29), actual_return_half=Half.am, state_note="", version=3,
                  original_end=date(2026, 11, 27), original_end_half=Half.full)  # fmt: skip
    assert set(fields) == {f.name for f in dataclasses.fields(Absence)}  # every field named
    fast, slow = absence_from_fields(dict(fields)), Absence(**fields)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert vars(fast) == vars(slow) and type(fast) is Absence
    assert dataclasses.replace(fast, version=4) == dataclasses.replace(slow, version=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.version = 9  # type: ignore[misc]


def test_absence_has_nothing_the_fast_constructor_would_skip():
    """absence_from_fields skips __init__: valid only while Absence computes nothing there."""
    assert not hasattr(Absence, "__post_init__")
    assert all(f.init and not isinstance(f.type, dataclasses.InitVar) for f in dataclasses.fields(Absence))
    assert "__slots__" not in vars(Absence)
