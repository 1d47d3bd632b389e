"""Travel reports and leave (外出报备 / 请销假): records, half-day time and the lifecycle.

DESIGN.md "Travel reporting and leave". Pure data and pure functions: the store keeps the
records, runs these transitions inside its transactions and writes the audit rows.

Time is counted in half-day slots: slot ``2 * ordinal + 0`` is the morning (上午) of a day and
``2 * ordinal + 1`` its afternoon (下午). A record covers the slots from (start, start_half) to
(end, end_half), both included:

* ``start_half`` is ``full`` (from the morning) or ``pm`` (starts in the afternoon);
* ``end_half`` is ``full`` (until the evening) or ``am`` (ends at noon, back in the afternoon).

销假 (return) records the actual end the same way: ``actual_return`` is the last day the person
was away and ``actual_return_half`` is ``full`` (back that evening) or ``am`` (back by noon).
A returned record covers the slots up to the actual end instead of the planned one, so an early
return frees the person and a late return (延期) keeps him or her away.

Lifecycle (every transition returns a new record or raises UserError saying what to do)::

    draft ──submit──▶ submitted (no chain step required: 已报送, 报备完毕)
          └─submit──▶ in_progress ──chain done──▶ approved
    submitted / in_progress ──reject(reason)──▶ rejected
    draft / submitted / in_progress ──withdraw──▶ withdrawn
    approved / submitted, before the start ──cancel──▶ cancelled
    approved / submitted ──mark_returned(on)──▶ returned
    in_progress, only report/notify/file steps left ──mark_returned(on)──▶ returned
                                              (those steps stay pending and may still be done)
    approved / submitted ──extend(new_end)──▶ same state, new planned end + a change note

外出中 (under way) and 逾期未销假 (overdue) are not stored: `effective_state` derives them
from today's date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from desktop.core.cndate import cn_date, cn_span  # cn_date also re-exported: many modules import it from here
from desktop.core.errors import UserError
from desktop.core.people import clean_text
from desktop.core.roles import TRAVEL_KINDS, AbsenceKind

__all__ = [
    "AWAY_STATES",
    "CLOSED_STATES",
    "FIELD_MAX",
    "YEAR_MAX",
    "YEAR_MIN",
    "Absence",
    "AbsenceChange",
    "AbsenceState",
    "DisplayState",
    "Half",
    "absence_from_fields",
    "apply_chain_outcome",
    "away_on",
    "away_slots",
    "cancel",
    "cn_date",
    "counts_as_away",
    "effective_end",
    "effective_state",
    "extend",
    "find_overlap",
    "format_span",
    "length_days",
    "mark_returned",
    "overlap_message",
    "overlaps",
    "reject",
    "return_note",
    "slot",
    "slot_day",
    "span_slots",
    "submit",
    "validate_absence_draft",
    "withdraw",
]

FIELD_MAX = 200
YEAR_MIN, YEAR_MAX = 2000, 2099


class Half(StrEnum):
    full = "full"  # 全天
    am = "am"  # 上午
    pm = "pm"  # 下午

    @property
    def label(self) -> str:
        return _HALF_LABELS[self]


_HALF_LABELS = {Half.full: "全天", Half.am: "上午", Half.pm: "下午"}


class AbsenceState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    in_progress = "in_progress"
    approved = "approved"
    returned = "returned"
    rejected = "rejected"
    withdrawn = "withdrawn"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


class DisplayState(StrEnum):
    """What the list shows: the stored state, or one derived from today's date."""

    draft = "draft"
    submitted = "submitted"
    in_progress = "in_progress"
    approved = "approved"
    underway = "underway"
    overdue_return = "overdue_return"
    returned = "returned"
    rejected = "rejected"
    withdrawn = "withdrawn"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS: dict[str, str] = {
    "draft": "草稿",
    "submitted": "已报送",
    "in_progress": "审批中",
    "approved": "已批准",
    "underway": "外出中",
    "overdue_return": "逾期未销假",
    "returned": "已销假",
    "rejected": "已退回",
    "withdrawn": "已撤回",
    "cancelled": "已取消",
}

#: States in which the person counts as away on the record's days (a returned record only
#: until its actual end). A draft is not reported yet; the others are closed.
AWAY_STATES = frozenset(
    {AbsenceState.submitted, AbsenceState.in_progress, AbsenceState.approved, AbsenceState.returned}
)
#: States that never conflict with anything (find_overlap ignores them).
CLOSED_STATES = frozenset({AbsenceState.rejected, AbsenceState.withdrawn, AbsenceState.cancelled})
#: States in which the absence is granted (or needs no grant) and not yet closed by 销假.
_GRANTED = frozenset({AbsenceState.approved, AbsenceState.submitted})


@dataclass(frozen=True, kw_only=True)
class Absence:
    """One travel report or leave request (外出报备 / 请假)."""

    id: int | None  # None until the store saves it
    person_id: int
    kind: AbsenceKind
    start: date
    start_half: Half = Half.full  # full or pm
    end: date
    end_half: Half = Half.full  # full or am
    destination: str = ""
    reason: str = ""
    leaves_jurisdiction: bool = False  # 离攀/离县/离市
    reported_at: datetime | None = None  # when the person reported it (may precede entry)
    urgent: bool = False  # 因紧急事项临时外出
    acting_ids: tuple[int, ...] = ()  # designated acting person(s); empty: the profile's rules
    contact: str = ""  # how to reach the person meanwhile
    state: AbsenceState = AbsenceState.draft
    actual_return: date | None = None  # 销假: the last day actually away
    actual_return_half: Half = Half.full  # full (back that evening) or am (back by noon)
    state_note: str = ""  # the reason of the last rejection / withdrawal / cancellation
    original_end: date | None = None  # the planned end before the first extension
    original_end_half: Half | None = None
    version: int = 1

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def span_text(self) -> str:
        return format_span(self.start, self.start_half, self.end, self.end_half)


_new = object.__new__
_set = object.__setattr__


def absence_from_fields(fields: dict) -> Absence:
    """The record ``Absence(**fields)`` for a dict naming every field (a stored row, already valid).

    Equal to it, with the same hash and repr, but without the frozen dataclass's ``__init__``
    (one ``object.__setattr__`` per field, 22 of them: ~5 µs, the bulk of reading a year of records):
    the dict becomes the record's attributes, so build it for this call and do not keep it. Absence
    has no ``__post_init__`` and no field computed at init, so nothing is skipped
    (tests/test_absence_core.py keeps it so and checks that every field is named).
    """
    record = _new(Absence)
    _set(record, "__dict__", fields)
    return record


@dataclass(frozen=True)
class AbsenceChange:
    """A change the store writes to the audit log (e.g. an extension: 延期)."""

    record_id: int | None
    action: str  # "extend"
    before: dict[str, str]
    after: dict[str, str]
    message: str  # Chinese, for the audit list


# --------------------------------------------------------------------------------------------
# Half-day slots
# --------------------------------------------------------------------------------------------


_RETURNED, _AM, _PM = AbsenceState.returned, Half.am, Half.pm


def slot(d: date, half: int) -> int:
    """The slot of a date's morning (half 0) or afternoon (half 1)."""
    return d.toordinal() * 2 + half


def slot_day(s: int) -> tuple[date, int]:
    return date.fromordinal(s // 2), s % 2


def _first_slot(d: date, half: Half) -> int:
    return slot(d, 1 if half is Half.pm else 0)


def _last_slot(d: date, half: Half) -> int:
    return slot(d, 0 if half is Half.am else 1)


def span_slots(record: Absence) -> range:
    """The planned slots of a record (start to planned end, both included)."""
    return range(_first_slot(record.start, record.start_half), _last_slot(record.end, record.end_half) + 1)


def effective_end(record: Absence) -> tuple[date, Half]:
    """The end that counts: the actual one for a returned record, else the planned one."""
    if record.state is AbsenceState.returned and record.actual_return is not None:
        return record.actual_return, record.actual_return_half
    return record.end, record.end_half


def away_slots(record: Absence) -> range:
    """The slots the person is (or was) away: planned slots, cut or extended by 销假."""
    # effective_end, _first_slot and _last_slot written out: a year's check asks this ~20,000 times.
    if record.state is _RETURNED and record.actual_return is not None:
        end, end_half = record.actual_return, record.actual_return_half
    else:
        end, end_half = record.end, record.end_half
    return range(record.start.toordinal() * 2 + (record.start_half is _PM),
                 end.toordinal() * 2 + (end_half is not _AM) + 1)  # fmt: skip


def overlaps(a: Absence, b: Absence) -> bool:
    """True if the two records share at least one half-day (by their away slots)."""
    ra, rb = away_slots(a), away_slots(b)
    return ra.start < rb.stop and rb.start < ra.stop


def away_on(record: Absence, d: date) -> Half | None:
    """Which part of day d the record covers: full, am, pm, or None (not away that day)."""
    r = away_slots(record)
    am, pm = slot(d, 0) in r, slot(d, 1) in r
    if am and pm:
        return Half.full
    if am:
        return Half.am
    if pm:
        return Half.pm
    return None


def counts_as_away(record: Absence) -> bool:
    """Whether the record's state makes the person away on its days (see AWAY_STATES)."""
    return record.state in AWAY_STATES


def length_days(record: Absence, *, actual: bool = False) -> float:
    """Natural-day length: 26日至28日 = 3, 26日下午至28日 = 2.5. ``actual``: up to the actual end."""
    r = away_slots(record) if actual else span_slots(record)
    return len(r) / 2


# --------------------------------------------------------------------------------------------
# Chinese text
# --------------------------------------------------------------------------------------------


def format_span(start: date, start_half: Half, end: date, end_half: Half) -> str:
    """2026年11月26日至28日, 2026年11月26日下午至12月2日上午, 2026年11月26日上午 …"""
    if start == end:
        if start_half is Half.pm:
            return cn_date(start) + "下午"
        if end_half is Half.am:
            return cn_date(start) + "上午"
        return cn_date(start)
    return cn_span(start, end, first_note="下午" if start_half is Half.pm else "",
                   last_note="上午" if end_half is Half.am else "")  # fmt: skip


def overlap_message(new: Absence, other: Absence, person_name: str) -> str:
    """Why a record is refused: it overlaps ``other`` (the existing record) of the same person."""
    end, end_half = effective_end(other)
    span = format_span(other.start, other.start_half, end, end_half)
    what = other.kind.label + (f" {other.destination}" if other.destination else "")
    number = f",编号 {other.id}" if other.id is not None else ""
    return (
        f"{person_name} 在 {span} 已有外出记录({what}{number}),与本次时间重叠。"
        "请修改日期,或先取消/销假原记录。"
    )


def return_note(record: Absence) -> str:
    """提前销假 / 按期销假 / 延期销假, with the difference in days (for the list and the audit)."""
    if record.actual_return is None:
        return ""
    planned = _last_slot(record.end, record.end_half)
    actual = _last_slot(record.actual_return, record.actual_return_half)
    diff = (actual - planned) / 2
    when = format_span(record.actual_return, Half.full, record.actual_return, record.actual_return_half)
    if diff == 0:
        return f"按期销假({when}返回)"
    days = f"{abs(diff):g}"
    if diff < 0:
        return f"提前{days}天销假({when}返回)"
    return f"延期{days}天销假({when}返回)"


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _check_date(d: date, label: str) -> None:
    if not (YEAR_MIN <= d.year <= YEAR_MAX):
        raise UserError(f"{label}“{cn_date(d)}”超出可用范围({YEAR_MIN}年至{YEAR_MAX}年),请检查年份是否填错。")


def _check_span(
    start: date, start_half: Half, end: date, end_half: Half, *, end_label: str = "结束日期"
) -> None:
    if start_half is Half.am:
        raise UserError("开始时间只能是“全天”或“下午”(从下午开始);从上午开始请选“全天”。")
    if end_half is Half.pm:
        raise UserError(f"{end_label}只能是“全天”或“上午”(到中午结束);到下午结束请选“全天”。")
    if end < start:
        raise UserError(f"{end_label}早于开始日期({cn_date(end)} 早于 {cn_date(start)}),请改正后再保存。")
    if end == start and start_half is Half.pm and end_half is Half.am:
        raise UserError(
            f"同一天({cn_date(start)})不能从下午开始、到上午结束:只外出下午请把结束设为“全天”,"
            "只外出上午请把开始设为“全天”。"
        )


def validate_absence_draft(record: Absence) -> Absence:
    """Return a cleaned copy of ``record`` or raise UserError saying what to fix.

    Texts are trimmed (whitespace runs collapsed); going abroad always leaves the jurisdiction.
    """
    if not record.person_id or record.person_id < 0:
        raise UserError("请选择外出人员(人员不能为空)。")
    if not isinstance(record.kind, AbsenceKind):
        raise UserError("请选择外出类型(出差、出国(境)、脱产学习、休假、因私请假或病假)。")
    _check_date(record.start, "开始日期")
    _check_date(record.end, "结束日期")
    _check_span(record.start, record.start_half, record.end, record.end_half)
    destination = clean_text(record.destination)
    reason = clean_text(record.reason)
    contact = clean_text(record.contact)
    for label, value in (("目的地", destination), ("事由", reason), ("联系方式", contact)):
        if len(value) > FIELD_MAX:
            raise UserError(f"{label}超过{FIELD_MAX}个字({len(value)}个字),请缩短后再保存。")
    if record.kind in TRAVEL_KINDS and not destination:
        raise UserError(f"{record.kind.label}须填写目的地(如“北京”“成都”),请补充后再保存。")
    if record.reported_at is not None:
        _check_date(record.reported_at.date(), "报告时间")
    acting = tuple(dict.fromkeys(record.acting_ids))
    if record.person_id in acting:
        raise UserError("代行人不能是外出者本人,请另选代行人或留空(按规则确定)。")
    leaves = record.leaves_jurisdiction or record.kind is AbsenceKind.abroad
    return dataclasses.replace(
        record,
        destination=destination,
        reason=reason,
        contact=contact,
        acting_ids=acting,
        leaves_jurisdiction=leaves,
    )


# --------------------------------------------------------------------------------------------
# Transitions
# --------------------------------------------------------------------------------------------


def _state_error(record: Absence, what: str, hint: str = "") -> UserError:
    text = f"此记录当前状态为“{record.state.label}”,不能{what}。"
    return UserError(text + hint)


def submit(record: Absence, *, has_steps: bool, now: datetime) -> Absence:
    """draft → in_progress (the chain has steps) or submitted (no step required).

    The record is validated again. A missing report time is set to ``now`` (the moment it is
    registered); a report time given by the secretary (reported by phone earlier) is kept.
    """
    if record.state is not AbsenceState.draft:
        raise _state_error(record, "报送", "只有草稿可以报送。")
    clean = validate_absence_draft(record)
    state = AbsenceState.in_progress if has_steps else AbsenceState.submitted
    return dataclasses.replace(clean, state=state, reported_at=clean.reported_at or now)


def apply_chain_outcome(record: Absence, outcome: str, comment: str = "") -> Absence:
    """Apply chain.advance's outcome: "step_done" keeps the state, "approved" approves,
    "rejected" rejects with the step's comment.

    A record returned (销假) while a filing or notification was still pending stays returned when
    that step is done; it cannot be rejected any more."""
    if record.state is AbsenceState.returned and outcome in ("step_done", "approved"):
        return record
    if record.state is AbsenceState.returned and outcome == "rejected":
        raise UserError("此记录已经销假,不能再退回;剩下的报备或通报步骤请直接办理。")
    if record.state is not AbsenceState.in_progress:
        raise _state_error(record, "办理审批步骤", "只有审批中的记录可以办理。")
    if outcome == "step_done":
        return record
    if outcome == "approved":
        return dataclasses.replace(record, state=AbsenceState.approved)
    if outcome == "rejected":
        return reject(record, comment)
    raise ValueError(f"unknown chain outcome {outcome!r}")


def reject(record: Absence, reason: str) -> Absence:
    """submitted / in_progress → rejected; the reason is required."""
    text = clean_text(reason)
    if not text:
        raise UserError("退回时请填写理由(将告知申请人)。")
    if record.state not in (AbsenceState.submitted, AbsenceState.in_progress):
        raise _state_error(record, "退回")
    return dataclasses.replace(record, state=AbsenceState.rejected, state_note=text)


def withdraw(record: Absence, reason: str = "") -> Absence:
    """draft / submitted / in_progress → withdrawn (by the requester, before approval)."""
    if record.state not in (AbsenceState.draft, AbsenceState.submitted, AbsenceState.in_progress):
        hint = (
            "已批准的记录请用“取消”(未开始)或“销假”(已开始)。"
            if record.state is AbsenceState.approved
            else ""
        )
        raise _state_error(record, "撤回", hint)
    return dataclasses.replace(record, state=AbsenceState.withdrawn, state_note=clean_text(reason))


def cancel(record: Absence, *, today: date, reason: str = "", only_notices_pending: bool = False) -> Absence:
    """approved / submitted → cancelled, only before the absence starts (not on its first day).

    An in_progress record whose chain waits only for report, notification or filing steps
    (``only_notices_pending``, as for `mark_returned`) may be cancelled too: nothing is left to
    approve, and a trip that does not happen needs no filing (the step leaves the 待办 list)."""
    if record.state not in _GRANTED and not (record.state is AbsenceState.in_progress and only_notices_pending):
        hint = (
            "还有待批准的步骤,审批中的记录请用“撤回”(只剩报告、通报、报备步骤时可以取消)。"
            if record.state is AbsenceState.in_progress
            else ""
        )
        raise _state_error(record, "取消", hint)
    if today >= record.start:
        raise UserError(f"此次外出已于{cn_date(record.start)}开始,不能再取消;请办理销假,填写实际返回日期。")
    return dataclasses.replace(record, state=AbsenceState.cancelled, state_note=clean_text(reason))


def mark_returned(record: Absence, on: date, half: Half = Half.full, *, today: date | None = None,
                  only_notices_pending: bool = False) -> Absence:
    """销假: approved / submitted → returned, with the actual end (the last day away).

    An in_progress record whose chain waits only for report, notification or filing steps
    (``only_notices_pending``, desktop.core.chain.only_notices_pending) may be returned too:
    returning never waits for the office's paperwork, and those steps stay pending.

    Early return (before the planned end) and late return (after it: an extension) are both
    accepted; `return_note` tells which. A return before the start is refused, and so is a
    return in the future (after ``today``) when today is given.
    """
    if record.state not in _GRANTED and not (record.state is AbsenceState.in_progress and only_notices_pending):
        hints = {
            AbsenceState.in_progress: "还有待批准的步骤,请先完成审批步骤(报告、通报、报备步骤不影响销假)。",
            AbsenceState.returned: "此记录已经销假。",
            AbsenceState.draft: "请先报送。",
        }
        raise _state_error(record, "销假", hints.get(record.state, ""))
    _check_date(on, "返回日期")
    if half is Half.pm:
        raise UserError("返回时间只能是“全天”(当天晚上返回)或“上午”(中午前返回)。")
    if _last_slot(on, half) < _first_slot(record.start, record.start_half):
        raise UserError(
            f"返回日期 {cn_date(on)} 早于外出开始日期 {cn_date(record.start)}。"
            "如果没有成行,请用“取消”;否则请改正返回日期。"
        )
    if today is not None and on > today:
        raise UserError(f"返回日期 {cn_date(on)} 晚于今天({cn_date(today)}),请在返回后再办理销假。")
    return dataclasses.replace(record, state=AbsenceState.returned, actual_return=on, actual_return_half=half)


def extend(
    record: Absence, new_end: date, new_end_half: Half = Half.full, *, reason: str = "",
    only_notices_pending: bool = False,
) -> tuple[Absence, AbsenceChange]:
    """Change the planned end of an approved (or submitted) record: 延期 or 提前结束.

    An in_progress record whose chain waits only for report, notification or filing steps
    (``only_notices_pending``, as for `mark_returned`) may be extended too; it stays in_progress
    and those steps stay pending.

    Returns the new record (the first planned end is kept in ``original_end``) and the change
    for the audit log. The store must check the new span for overlaps (find_overlap).
    """
    if record.state not in _GRANTED and not (record.state is AbsenceState.in_progress and only_notices_pending):
        hint = (
            "还有待批准的步骤,请先完成审批步骤(只剩报告、通报、报备步骤时可以延期)。"
            if record.state is AbsenceState.in_progress
            else "只有已批准或已报送且未销假的记录可以延期。"
        )
        raise _state_error(record, "修改结束日期", hint)
    _check_date(new_end, "新的结束日期")
    _check_span(record.start, record.start_half, new_end, new_end_half, end_label="新的结束日期")
    if (new_end, new_end_half) == (record.end, record.end_half):
        raise UserError("新的结束日期与原计划相同,无需修改。")
    before = format_span(record.start, record.start_half, record.end, record.end_half)
    after = format_span(record.start, record.start_half, new_end, new_end_half)
    longer = _last_slot(new_end, new_end_half) > _last_slot(record.end, record.end_half)
    what = "延期" if longer else "提前结束"
    note = clean_text(reason)
    message = f"{what}:{before} 改为 {after}" + (f"(原因:{note})" if note else "")
    new = dataclasses.replace(
        record,
        end=new_end,
        end_half=new_end_half,
        original_end=record.original_end or record.end,
        original_end_half=record.original_end_half or record.end_half,
    )
    change = AbsenceChange(
        record_id=record.id,
        action="extend",
        before={"end": record.end.isoformat(), "end_half": record.end_half.value},
        after={"end": new_end.isoformat(), "end_half": new_end_half.value, "reason": note},
        message=message,
    )
    return new, change


def effective_state(record: Absence, today: date) -> DisplayState:
    """The state to display: approved/submitted records become 外出中 from the first day until
    the planned end, and 逾期未销假 once today is past the planned end without a return."""
    if record.state in _GRANTED:
        if today > record.end:
            return DisplayState.overdue_return
        if today >= record.start:
            return DisplayState.underway
    return DisplayState(record.state.value)


# --------------------------------------------------------------------------------------------
# Overlaps
# --------------------------------------------------------------------------------------------


def find_overlap(new: Absence, existing: Iterable[Absence]) -> Absence | None:
    """The first record of the same person that shares a half-day with ``new``, ignoring
    rejected / withdrawn / cancelled records and ``new`` itself (same id), or None."""
    for other in existing:
        if other.person_id != new.person_id or other.state in CLOSED_STATES:
            continue
        if new.id is not None and other.id == new.id:
            continue
        if overlaps(new, other):
            return other
    return None
