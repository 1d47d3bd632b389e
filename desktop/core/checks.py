"""Every rule violation in a date range (``dutydesk check``) and the record form's warnings.

DESIGN.md "Travel reporting and leave", "Acting and substitution". Each `Finding` says what
happened and what to do, in Chinese, and cites the article it enforces.

Advance notice (lead time). A chain's ``lead_days`` N in ``lead_unit``:

* natural days: the report is on time when ``reported_at.date() <= start - N days``;
* working days: on time when ``reported_at.date() <= calendar.add_workdays(start, -N)``, the N-th
  working day strictly before the start (the start day is not counted).

So 000 art.84 "提前1天报告" for a trip starting 2026-11-26 means reported on 2026-11-25 or earlier:
a report on the morning of the 26th is late. The time of day and a half-day start do not matter.
An urgent record (``urgent``) under a chain with ``urgent = "promptly"`` (因紧急事项临时外出的应当
及时报告) is not late: it is noted as ``urgent_report`` (info) when reported by its first day, and a
warning when reported only after it started. A chain with no notice period (``lead_days = 0``,
"事先报告") whose steps ask someone (report/approve/sign/summarize) only flags a report made after
the absence started. A record without a report time cannot be checked: ``no_report_time``.

`check_range` resolves acting day by day only for the people acting can concern (leaders and the
roles named by acting / not_together rules), from an index of those records by date built once,
so a year of a large government (10,000 records) takes a fraction of a second.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.core.absence import (
    AWAY_STATES,
    CLOSED_STATES,
    Absence,
    AbsenceState,
    Half,
    away_slots,
    cn_date,
    effective_end,
    format_span,
    slot,
)
from desktop.core.acting import (
    ActingContext,
    ActingReport,
    Designation,
    Override,
)
from desktop.core.chain import supervisor_from_portfolios
from desktop.core.people import Person
from desktop.core.profile import Chain, DayUnit, Profile, StepAction, TargetKind, Urgent
from desktop.core.roles import Role
from desktop.core.workcal import CalendarGapError, WorkCalendar

__all__ = [
    "ACTING_GAP",
    "ACTING_WARNING",
    "AFTER_RETURN_PENDING",
    "CALENDAR_GAP",
    "DUTY_LEADER_ABSENT",
    "LATE_REPORT",
    "NOT_TOGETHER",
    "NO_REPORT_TIME",
    "NO_SUPERVISOR",
    "OVERDUE_RETURN",
    "OVERLAP",
    "SEVERITIES",
    "URGENT_REPORT",
    "Finding",
    "after_return_pending",
    "check_lead_time",
    "check_range",
    "check_record",
    "duty_leader_absent",
    "lead_deadline",
]

LATE_REPORT = "late_report"
URGENT_REPORT = "urgent_report"
NO_REPORT_TIME = "no_report_time"
CALENDAR_GAP = "calendar_gap"
OVERLAP = "overlap"
NOT_TOGETHER = "not_together"
ACTING_GAP = "acting_gap"
ACTING_WARNING = "acting_warning"
NO_SUPERVISOR = "no_supervisor"
OVERDUE_RETURN = "overdue_return"
DUTY_LEADER_ABSENT = "duty_leader_absent"
AFTER_RETURN_PENDING = "after_return_pending"

_FULL = Half.full
_NATURAL = DayUnit.natural  # read once: an enum member read from its class costs ~0.5 µs on Python 3.11

SEVERITIES = ("violation", "warning", "info")
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

#: Steps that ask someone before leaving (事先报告 / 请假): a report after the start is late.
_ASKING = frozenset({StepAction.report, StepAction.approve, StepAction.sign, StepAction.summarize})

_OVERDUE_STATES = frozenset({AbsenceState.approved, AbsenceState.submitted})

#: Days after the planned end before a missing 销假 is a warning (a weekend in between is normal).
OVERDUE_GRACE_DAYS = 3

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str  # violation | warning | info
    record_id: int | None
    person_id: int | None
    date: date  # the day (or the first day of the range) it concerns
    message: str  # Chinese: what happened and what to do
    article: str  # "" when no article applies (a data error)
    date_to: date | None = None  # the last day of a merged range (None: one day)
    provisional: bool = False  # computed on a provisional calendar day
    person_ids: tuple[int, ...] = ()

    @property
    def span_text(self) -> str:
        if self.date_to is None or self.date_to == self.date:
            return cn_date(self.date)
        return format_span(self.date, _FULL, self.date_to, _FULL)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _name(people: Mapping[int, Person], pid: int) -> str:
    p = people.get(pid)
    return p.name if p else f"编号 {pid} 的人员"


def _who(profile: Profile, people: Mapping[int, Person], pid: int) -> str:
    p = people.get(pid)
    if p is None:
        return f"编号 {pid} 的人员"
    return f"{p.name}({p.title or profile.title(p.role)})"


def _record_text(profile: Profile, r: Absence) -> str:
    end, end_half = effective_end(r)
    span = format_span(r.start, r.start_half, end, end_half)
    leave = profile.jurisdiction_label if r.leaves_jurisdiction else ""
    extra = ",".join(x for x in (r.destination, f"编号 {r.id}" if r.id is not None else "") if x)
    return f"{span}{leave}{r.kind.label}" + (f"({extra})" if extra else "")


def _reported_text(r: Absence) -> str:
    assert r.reported_at is not None
    return f"{cn_date(r.reported_at.date())} {r.reported_at:%H:%M}"


def lead_deadline(chain: Chain, start: date, calendar: WorkCalendar | None) -> tuple[date, bool]:
    """The last day a report is on time, and whether a provisional calendar day was used.

    Natural days: start - N days. Working days: the N-th working day strictly before the start.
    CalendarGapError if the calendar does not cover the days (or is None for working days).
    """
    n = chain.lead_days
    if chain.lead_unit is _NATURAL or n <= 0:
        return start - timedelta(days=n), False
    if calendar is None:
        raise CalendarGapError(start.year)
    result = calendar.add_workdays_ex(start, -n)
    return result.date, result.provisional


# --------------------------------------------------------------------------------------------
# One record
# --------------------------------------------------------------------------------------------


def check_lead_time(
    record: Absence,
    person: Person,
    profile: Profile,
    calendar: WorkCalendar | None,
) -> Finding | None:
    """Was the record reported early enough for its chain (see the module docstring)?"""
    chain = profile.chain_for(person.role, record.kind, record.leaves_jurisdiction)
    if chain is None:
        return None
    return _lead_time(record, person, profile, calendar, chain, _asks(chain))


def _asks(chain: Chain) -> bool:
    return any(s.action in _ASKING for s in chain.steps)


def _lead_time(record: Absence, person: Person, profile: Profile, calendar: WorkCalendar | None, chain: Chain,
               asks: bool) -> Finding | None:  # fmt: skip
    """check_lead_time for the record's chain; the texts are written only for a finding (most
    records are on time: a year's check asks this for every record)."""
    if chain.lead_days <= 0 and not asks:
        return None
    provisional = False
    gap = None
    if record.reported_at is not None:
        reported = record.reported_at.date()
        if chain.lead_days > 0:
            try:
                deadline, provisional = lead_deadline(chain, record.start, calendar)
            except CalendarGapError as exc:
                gap = exc
        else:
            deadline = record.start
        if gap is None and reported <= deadline:
            return None
    who = f"{person.name}({person.title or profile.title(person.role)})"
    what = _record_text(profile, record)
    base = {"record_id": record.id, "person_id": person.id, "date": record.start, "article": chain.article}
    if record.reported_at is None:
        return Finding(NO_REPORT_TIME, "warning", **base,
                       message=f"{who} {what}:未登记报告时间,无法核对是否按规定报告。请在记录中补填报告时间。")  # fmt: skip
    if gap is not None:
        return Finding(CALENDAR_GAP, "warning", **base,
                       message=f"{who} {what}:无法计算提前报告期限({gap})。")  # fmt: skip
    rule = f"提前{chain.lead_days}{chain.lead_unit.label}报告" if chain.lead_days > 0 else "事先报告"
    if record.urgent and chain.urgent is Urgent.promptly:
        if reported <= record.start:
            return Finding(URGENT_REPORT, "info", **base, provisional=provisional,
                           message=f"{who} {what}:因紧急事项临时外出,{_reported_text(record)}报告,"
                                   "属及时报告,不按逾期处理。")  # fmt: skip
        return Finding(URGENT_REPORT, "warning", **base, provisional=provisional,
                       message=f"{who} {what}:紧急外出应当及时报告,但在外出开始后({_reported_text(record)})"
                               "才报告。请核实并提醒其今后及时报告。")  # fmt: skip
    hint = "如属紧急事项临时外出,请在记录中勾选“紧急”。" if chain.urgent is Urgent.promptly else ""
    if chain.lead_days > 0:
        message = (f"{who} {what}:{_reported_text(record)}才报告,按规定应{rule},"
                   f"即至迟于{cn_date(deadline)}报告。请提醒其今后按时报告。{hint}")  # fmt: skip
        severity = "violation"
    else:
        message = (f"{who} {what}:外出开始后({_reported_text(record)})才报告,按规定应{rule}。"
                   f"请提醒其今后在出发前报告。{hint}")  # fmt: skip
        severity = "warning"
    return Finding(LATE_REPORT, severity, **base, message=message, provisional=provisional)


def _needs_supervisor(chain: Chain | None) -> bool:
    return chain is not None and any(s.target.kind is TargetKind.supervisor for s in chain.steps)


def _no_supervisor(profile: Profile, person: Person, record: Absence, chain: Chain) -> Finding:
    return Finding(
        NO_SUPERVISOR, "violation", record.id, person.id, record.start,
        f"未找到{person.name}的分管领导:请在人员页为其所在单位设置分管领导。"
        f"(按“{chain.label}”,须经分管领导同意。)",
        chain.article,
    )  # fmt: skip


def check_record(
    record: Absence,
    person: Person,
    profile: Profile,
    calendar: WorkCalendar | None,
    *,
    existing: Iterable[Absence] = (),
    people: Iterable[Person] = (),
    portfolios: Mapping[int, Collection[str]] | None = None,
) -> list[Finding]:
    """The warnings of one record as it is typed: lead time, overlaps with the person's other
    records (``existing``), and a missing supervisor (when ``portfolios`` is given)."""
    out: list[Finding] = []
    lead = check_lead_time(record, person, profile, calendar)
    if lead is not None:
        out.append(lead)
    r = away_slots(record)
    for other in existing:
        if other.person_id != record.person_id or other.state in CLOSED_STATES:
            continue
        if record.id is not None and other.id == record.id:
            continue
        o = away_slots(other)
        if r.start < o.stop and o.start < r.stop:
            out.append(Finding(
                OVERLAP, "violation", record.id, person.id, record.start,
                f"{person.name} 在 {_record_text(profile, other)} 已有外出记录,与本次时间重叠。"
                "请修改日期,或先取消/销假原记录。", "", person_ids=(person.id,)))  # fmt: skip
    chain = profile.chain_for(person.role, record.kind, record.leaves_jurisdiction)
    if portfolios is not None and chain is not None and _needs_supervisor(chain):
        everyone = list(people) or [person]
        if supervisor_from_portfolios(person, everyone, portfolios) is None:
            out.append(_no_supervisor(profile, person, record, chain))
    return out


# --------------------------------------------------------------------------------------------
# Duty
# --------------------------------------------------------------------------------------------


def duty_leader_absent(
    duty_assignments: Iterable[tuple[date, int]],
    people: Iterable[Person],
    absences: Iterable[Absence],
    *,
    article: str = "",
) -> list[Finding]:
    """A violation for each duty day whose leader (带班领导) is away that day (any half)."""
    by_id = {p.id: p for p in people}
    mine: dict[int, list[Absence]] = defaultdict(list)
    for a in absences:
        if a.state in AWAY_STATES:
            mine[a.person_id].append(a)
    out = []
    for day, pid in duty_assignments:
        s_am, s_pm = slot(day, 0), slot(day, 1)
        for a in mine.get(pid, ()):
            r = away_slots(a)
            if s_am in r or s_pm in r:
                out.append(Finding(
                    DUTY_LEADER_ABSENT, "violation", a.id, pid, day,
                    f"{_name(by_id, pid)} 是 {cn_date(day)} 的带班领导,但当天外出"
                    f"({a.kind.label}{' ' + a.destination if a.destination else ''},编号 {a.id})。"
                    "请调整带班安排(调班)或外出安排。",
                    article, person_ids=(pid,)))  # fmt: skip
                break
    return out


# --------------------------------------------------------------------------------------------
# A range
# --------------------------------------------------------------------------------------------


class _Runs:
    """Merge one finding per day into one finding per run of consecutive days.

    A run keeps the first day's finding (its record, message …); the days after only extend it. The
    finding's fields come as a tuple ``(kind, severity, record_id, person_id, message, article,
    person_ids)``: the Finding is built once per run, when it closes."""

    def __init__(self) -> None:
        self.open: dict[tuple, list] = {}  # key -> [first day, last day, proto fields]
        self.done: list[Finding] = []

    def add(self, key: tuple, day: date, proto: tuple) -> None:
        run = self.open.get(key)
        if run is not None and run[1] == day - _ONE_DAY:
            run[1] = day
            return
        if run is not None:
            self._close(run)
        self.open[key] = [day, day, proto]

    def _close(self, run: list) -> None:
        first, last, (kind, severity, record_id, person_id, message, article, person_ids) = run
        span = cn_date(first) if first == last else format_span(first, _FULL, last, _FULL)
        self.done.append(Finding(kind, severity, record_id, person_id, first, f"{span}:{message}", article,
                                 last if last != first else None, False, person_ids))  # fmt: skip

    def finish(self) -> list[Finding]:
        for run in self.open.values():
            self._close(run)
        self.open.clear()
        return self.done


def _acting_findings(report: ActingReport, runs: _Runs) -> None:
    if not report.gaps and not report.warnings:
        return
    records = {e.person.id: e.absence.id for e in report.away}
    for g in report.gaps:
        ids = tuple(p.id for p in g.absent)
        runs.add((ACTING_GAP, g.kind, frozenset(ids)), report.date,
                 (ACTING_GAP, g.severity, records.get(ids[0]), ids[0], g.reason, g.article, ids))  # fmt: skip
    for w in report.warnings:
        kind = NOT_TOGETHER if w.kind == NOT_TOGETHER else ACTING_WARNING
        severity = "info" if w.overridden else w.severity
        first = w.person_ids[0] if w.person_ids else None
        runs.add((kind, w.kind, w.person_ids, w.overridden, w.reason), report.date,
                 (kind, severity, records.get(first) if first is not None else None, first, w.message, w.article,
                  w.person_ids))  # fmt: skip


def _relevant_ids(
    profile: Profile,
    people: Mapping[int, Person],
    absences: Sequence[Absence],
    designations: Iterable[Designation],
) -> set[int]:
    """People whose absences can matter to acting: leaders, the roles acting/not_together rules
    name, and whoever a record or a designation names as acting person."""
    roles = {r for r in Role if r.is_leader}
    for rule in profile.acting:
        roles.add(rule.absent_role)
        roles.update(rule.actor_roles)
    for nt in profile.not_together:
        roles.update(nt.roles)
    ids = {pid for pid, p in people.items() if p.role in roles}
    for a in absences:
        if a.person_id in ids and a.acting_ids:
            ids.update(a.acting_ids)
    for d in designations:
        ids.add(d.designee_id)
    return ids


def after_return_pending(record: Absence, person: Person, profile: Profile, step_states: Sequence[tuple[int, bool]],
                         today: date) -> Finding | None:
    """A step due after the return (``after_return``, e.g. 000 art.59 回国后按规定提交出访报告) still
    pending once the absence is over: a warning naming it. ``step_states``: (seq, done) of the
    record's stored steps, in chain order."""
    if record.state in CLOSED_STATES or record.state is AbsenceState.draft:
        return None
    chain = profile.chain_for(person.role, record.kind, record.leaves_jurisdiction)
    if chain is None:
        return None
    end, _ = effective_end(record)
    if today <= end:
        return None
    done = dict(step_states)
    for seq, step in enumerate(chain.steps, start=1):
        if step.after_return and not done.get(seq, False):
            return Finding(AFTER_RETURN_PENDING, "warning", record.id, person.id, end + _ONE_DAY,
                           f"{_who(profile, {person.id: person}, person.id)} {_record_text(profile, record)}已结束,"
                           f"“{step.label}”尚未办理:请督促提交,收到后在流程中办理这一步。", step.article or chain.article)
    return None


def check_range(
    start: date,
    end: date,
    profile: Profile,
    calendar: WorkCalendar | None,
    people: Iterable[Person],
    ab_pairs: Iterable[tuple[int, int]],
    absences: Iterable[Absence],
    designations: Iterable[Designation] = (),
    overrides: Iterable[Override] = (),
    duty: Iterable[tuple[date, int]] = (),
    *,
    today: date | None = None,
    portfolios: Mapping[int, Collection[str]] | None = None,
    overdue_grace_days: int = OVERDUE_GRACE_DAYS,
) -> list[Finding]:
    """Every finding for records and days between ``start`` and ``end`` (both included).

    * lead time / urgent / missing report time — records starting in the range;
    * overlaps between a person's records (a data error) touching the range;
    * acting, per day: gaps (AB partners both away without a designation, the actor role away)
      and warnings (not_together, overridden ones as info), consecutive days merged;
    * a missing supervisor (when ``portfolios`` is given), once per person;
    * 逾期未销假 (when ``today`` is given): approved records whose planned end is more than
      ``overdue_grace_days`` days before today and not returned;
    * duty leaders who are away (``duty``: (date, person_id) pairs).
    Sorted by date, then severity (violations first).
    """
    people_list = list(people)
    by_id = {p.id: p for p in people_list}
    absences = [a for a in absences if a.state not in CLOSED_STATES]
    designations = tuple(designations)
    out: list[Finding] = []
    lo, hi = slot(start, 0), slot(end, 1) + 1

    # ---- per record ----------------------------------------------------------------------
    no_supervisor_seen: set[int] = set()
    unit_supervisor: dict[str, int] = {}  # unit -> the first-ranked active leader holding it
    if portfolios is not None:
        for p in sorted(people_list, key=lambda p: (p.rank, p.id)):
            if p.active:
                for unit in portfolios.get(p.id, ()):
                    unit_supervisor.setdefault(unit, p.id)
    chains: dict[tuple, tuple[Chain | None, bool]] = {}  # (role, kind, leaves) -> (chain, asks)
    for a in absences:
        person = by_id.get(a.person_id)
        if person is None or a.state not in AWAY_STATES:
            continue
        if start <= a.start <= end:
            key = (person.role, a.kind, a.leaves_jurisdiction)
            known = chains.get(key)
            if known is None:
                chain = profile.chain_for(person.role, a.kind, a.leaves_jurisdiction)
                known = chains[key] = (chain, chain is not None and _asks(chain))
            chain, asks = known
            if chain is not None:
                lead = _lead_time(a, person, profile, calendar, chain, asks)
                if lead is not None:
                    out.append(lead)
            if (portfolios is not None and person.id not in no_supervisor_seen and chain is not None
                    and _needs_supervisor(chain)):  # fmt: skip
                no_supervisor_seen.add(person.id)
                if unit_supervisor.get(person.unit, person.id) == person.id:
                    out.append(_no_supervisor(profile, person, a, chain))
        if (
            today is not None
            and a.state in _OVERDUE_STATES
            and start <= a.end <= end
            and (today - a.end).days > overdue_grace_days
        ):
            out.append(Finding(
                OVERDUE_RETURN, "warning", a.id, a.person_id, a.end,
                f"{_who(profile, by_id, a.person_id)} {_record_text(profile, a)}:计划{cn_date(a.end)}结束,"
                f"至今({cn_date(today)})未销假。请核实是否已返回并办理销假,或办理延期。",
                "", person_ids=(a.person_id,)))  # fmt: skip

    # ---- overlaps (per person, by start) ---------------------------------------------------
    spans = [away_slots(a) for a in absences]  # once per record: the overlaps and the acting index use them
    mine: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for i, (a, r) in enumerate(zip(absences, spans, strict=True)):
        mine[a.person_id].append((r.start, a.id or 0, i))
    for pid, items in mine.items():
        if len(items) < 2:
            continue
        items.sort()  # by (first slot, id), then input order: a stable sort by (first slot, id)
        widest_r, widest = spans[items[0][2]], absences[items[0][2]]
        for _s, _id, i in items[1:]:
            r, a = spans[i], absences[i]
            ov_lo, ov_hi = r.start, min(r.stop, widest_r.stop)
            if ov_lo < ov_hi and ov_lo < hi and ov_hi > lo:
                out.append(Finding(
                    OVERLAP, "violation", a.id, pid, max(date.fromordinal(ov_lo // 2), start),
                    f"数据冲突:{_name(by_id, pid)} 的外出记录 {_record_text(profile, a)} 与 "
                    f"{_record_text(profile, widest)} 时间重叠。请修改其中一条的日期,或取消/销假原记录。",
                    "", person_ids=(pid,)))  # fmt: skip
            if r.stop > widest_r.stop:
                widest_r, widest = r, a

    # ---- acting, day by day ------------------------------------------------------------------
    ctx = ActingContext(profile, people_list, ab_pairs, designations, overrides)
    relevant = _relevant_ids(profile, ctx.people, absences, designations)
    # ordinal -> (record, its slots) of the records away that day, by (start, id) as away_maps takes them
    index: dict[int, list[tuple[Absence, range]]] = defaultdict(list)
    first_ord, last_ord = start.toordinal(), end.toordinal()
    away = [(a.start, a.id or 0, i) for i, a in enumerate(absences)
            if a.person_id in relevant and a.state in AWAY_STATES]  # fmt: skip
    away.sort()
    for _s, _id, i in away:
        a, r = absences[i], spans[i]
        d0, d1 = max(r.start // 2, first_ord), min((r.stop - 1) // 2, last_ord)
        for o in range(d0, d1 + 1):
            index[o].append((a, r))
    runs = _Runs()
    load: Counter[int] = Counter()
    for o in sorted(index):
        day = date.fromordinal(o)
        am, pm = ctx.away_maps_of(index[o], day)
        report = ctx.report(day, am, pm, load=load)
        _acting_findings(report, runs)
        load.update({e.actor.id for e in report.acting if e.actor is not None})
    out += runs.finish()

    # ---- duty ----------------------------------------------------------------------------------
    duty_in_range = [(d, pid) for d, pid in duty if start <= d <= end]
    if duty_in_range:
        out += duty_leader_absent(duty_in_range, people_list,
                                  (a for a in absences if a.person_id in {pid for _, pid in duty_in_range}),
                                  article=profile.duty.article)  # fmt: skip

    rank = {p.id: p.rank for p in people_list}
    out.sort(key=lambda f: (f.date, _SEVERITY_RANK[f.severity], f.kind,
                            rank.get(f.person_id, 1 << 30) if f.person_id is not None else 1 << 30))  # fmt: skip
    return out
