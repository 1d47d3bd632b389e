"""A plan as the database keeps it, and the pure pieces of changing it (no SQLite: the store loads
the plain data, the operations in desktop.ops.duty call these, the store writes what they return).

Plans and days
    A plan is one scope (a year, a holiday block, a month, an ISO week) of one slot: the leader
    on duty (带班领导, ``leader``) or the duty officers (值班员, ``officer``). A day belongs to at
    most one plan per slot. A plan's year is the year of its scope's last day.

Counts across plans
    ``prior`` (the solver's days already served this year) is the person's days in the other
    plans of the same year and slot; ``heavy_history`` is the person's heavy days (除夕, 春节初一,
    国庆10月1日) in the plans of previous years, weighted by the profile's ``[duty.heavy_days]``.

The working plan
    `working` is the core's plan of a stored assignment with today's people, absences and loads.
    An assignment that has become a conflict is given to the solver as it stands (the person's
    unavailability on that one day is set aside), so a swap or a replacement elsewhere in the
    plan is not refused because of it; `conflicts` lists it. An unfixed assignment of someone no
    longer in the rotation (deactivated, role changed) is held by a stand-in pin, which
    `rows_to_store` writes back as unfixed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from desktop.core.absence import Absence, away_on, counts_as_away
from desktop.core.cndate import cn_date, cn_weekday
from desktop.core.duty.days import HEAVY_LABELS, DutyDay, PlanScope, heavy_kind, heavy_weight
from desktop.core.duty.explain import explain
from desktop.core.duty.model import LEADER, OFFICER, PIN, DutyInstance, DutyPlan, Pin, build_instance
from desktop.core.errors import NotFound, UserError
from desktop.core.people import Person
from desktop.core.profile import DutyRule, HeavyDays

__all__ = [
    "DUTY_RULE_TEXT",
    "FIXED_LABELS",
    "SLOT_LABELS",
    "Conflict",
    "DutyFacts",
    "DutyRow",
    "NewRow",
    "PlanInfo",
    "SavedPlan",
    "StoredPlan",
    "YearLoad",
    "check_pinnable",
    "check_present",
    "conflicts",
    "heavy_history",
    "instance_for",
    "kept_pins",
    "mapping_snapshot",
    "no_duty_days",
    "rows_snapshot",
    "rows_to_store",
    "rule_text",
    "shift",
    "verb",
    "working",
    "year_loads",
]

SLOT_LABELS = {LEADER: "带班领导", OFFICER: "值班员"}
FIXED_LABELS = {"pin": "固定", "swap": "调班", "replace": "替换"}
#: The profile's ``[duty] days`` in words (messages of the plan and of the roster import).
DUTY_RULE_TEXT = {"holiday_weekdays": "除双休日外的法定节假日", "statutory_days": "法定节假日当天(含落在双休日的)",
                  "holiday_block": "节假日放假期间每一天",
                  "rest_days": "所有休息日", "every_day": "每天"}  # fmt: skip


def rule_text(rule: DutyRule) -> str:
    return DUTY_RULE_TEXT.get(rule.days.value, rule.days.value)


def verb(slot: str) -> str:
    return "带班" if slot == LEADER else "值班"


# ---------------------------------------------------------------- types

@dataclass(frozen=True)
class PlanInfo:
    """One stored plan (a row of ``duty_plan``); ``days`` is its number of duty days now."""

    id: int
    year: int
    label: str  # 2026年国庆节
    start: dt.date
    end: dt.date
    slot: str
    provisional: bool
    version: int
    created_at: str
    updated_at: str
    days: int = 0

    @property
    def slot_label(self) -> str:
        return SLOT_LABELS[self.slot]

    @property
    def scope(self) -> PlanScope:
        return PlanScope(self.start, self.end, self.label)

    @property
    def title(self) -> str:
        """2026年国庆节领导带班安排 / 2026年国庆节值班员安排"""
        return f"{self.label}{'领导带班' if self.slot == LEADER else '值班员'}安排"


@dataclass(frozen=True)
class DutyRow:
    """One stored assignment: a person on a day (``seq`` orders the officers of a day)."""

    plan_id: int
    date: dt.date
    slot: str
    seq: int
    shift: str
    person_id: int
    name: str
    title: str
    phone: str
    active: bool
    fixed: str | None  # None (planned), "pin", "swap", "replace"
    note: str
    holiday: str | None
    heavy: str | None
    provisional: bool
    reasons: tuple[str, ...]

    @property
    def weekday(self) -> str:
        return cn_weekday(self.date)

    @property
    def heavy_label(self) -> str | None:
        return HEAVY_LABELS[self.heavy] if self.heavy else None

    @property
    def fixed_label(self) -> str:
        return FIXED_LABELS.get(self.fixed or "", "")


@dataclass(frozen=True)
class StoredPlan:
    """A plan as stored: its row and its assignments by date, then by ``seq``."""

    info: PlanInfo
    rows: tuple[DutyRow, ...]

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def provisional(self) -> bool:
        return self.info.provisional

    def dates(self) -> list[dt.date]:
        return list(dict.fromkeys(r.date for r in self.rows))

    def on(self, day: dt.date) -> tuple[DutyRow, ...]:
        return tuple(r for r in self.rows if r.date == day)

    def fixed_on(self, day: dt.date) -> list[DutyRow]:
        return [r for r in self.on(day) if r.fixed]


@dataclass(frozen=True)
class SavedPlan:
    """The result of a planning operation: the stored plan's row and the core's plan (assignments
    with reasons, per-person loads). ``dropped`` lists the pins that were let go because their
    day is no longer a duty day of the scope (the calendar or the profile changed)."""

    info: PlanInfo
    plan: DutyPlan
    dropped: tuple[Pin, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """An assignment that cannot stand as it is: the person is away that day (``away``, from an
    absence recorded after planning), declared unavailable (``unavailable``) or deactivated
    (``inactive``)."""

    plan_id: int
    date: dt.date
    slot: str
    person_id: int
    name: str
    kind: str
    message: str
    absence_id: int | None = None


@dataclass(frozen=True)
class YearLoad:
    """A person's duty in one year and slot, over all the year's plans.

    ``quota`` and ``target`` are None for someone outside the rotation (pinned by hand).
    ``heavy_days`` are this year's heavy days; ``heavy_history`` the weighted heavy days of
    previous years; ``by_plan`` (plan id, label, days) for each plan he or she is in.
    """

    person_id: int
    name: str
    quota: Fraction | None
    days: int
    target: Fraction | None
    heavy_days: tuple[dt.date, ...]
    heavy_history: float
    by_plan: tuple[tuple[int, str, int], ...]

    @property
    def heavy_labels(self) -> str:
        """除夕、国庆10月1日 (this year's heavy days), "" for none."""
        return "、".join(HEAVY_LABELS[k] for k in map(heavy_kind, self.heavy_days) if k)


@dataclass(frozen=True)
class NewRow:
    """One assignment to store (the store adds the plan id and writes it)."""

    date: dt.date
    slot: str
    seq: int
    shift: str
    person_id: int
    fixed: str | None
    note: str
    holiday: str | None
    heavy: str | None
    provisional: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DutyFacts:
    """What the database knows around the days of a plan, as plain data (the store loads it).

    ``people`` everyone (active or not); ``absences`` the records touching the days;
    ``unavailable`` the declared unavailable dates (person -> {date: reason}); ``prior`` the days
    per person in the year's other plans of the slot; ``heavy_counts`` (person, heavy kind, days)
    in previous years' plans of the slot; ``quotas`` the year's quota overrides."""

    people: Sequence[Person]
    absences: Sequence[Absence] = ()
    unavailable: Mapping[int, Mapping[dt.date, str]] = dataclasses.field(default_factory=dict)
    prior: Mapping[int, int] = dataclasses.field(default_factory=dict)
    heavy_counts: Sequence[tuple[int, str, int]] = ()
    quotas: Mapping[int, float] = dataclasses.field(default_factory=dict)


# ---------------------------------------------------------------- loads

def heavy_history(counts: Iterable[tuple[int, str, int]], weights: HeavyDays) -> dict[int, float]:
    """Weighted heavy days per person, from (person, heavy kind, days) of previous years."""
    out: dict[int, float] = {}
    for pid, kind, n in counts:
        out[pid] = out.get(pid, 0.0) + n * heavy_weight(weights, kind)
    return out


def year_loads(rule: DutyRule, slot: str, everyone: Sequence[Person], quotas: Mapping[int, float],
               assignments: Iterable[tuple[int, int, str, dt.date, str | None]],
               history: Mapping[int, float]) -> list[YearLoad]:
    """Each person's duty over the year's plans of a slot: the rotation (in protocol order) first,
    then anyone outside it who was pinned by hand. ``assignments``: (person, plan id, plan label,
    day, heavy kind) of every assignment of the year's plans of the slot, by plan start and day."""
    pool = build_instance((), everyone, rule, slot=slot, quotas=quotas).members
    counts: dict[int, int] = {}
    heavy: dict[int, list[dt.date]] = {}
    by_plan: dict[int, dict[int, list]] = {}
    for pid, plan_id, label, day, kind in assignments:
        counts[pid] = counts.get(pid, 0) + 1
        if kind:
            heavy.setdefault(pid, []).append(day)
        entry = by_plan.setdefault(pid, {}).setdefault(plan_id, [label, 0])
        entry[1] += 1
    q = {m.person_id: Fraction(str(m.quota)).limit_denominator(10_000) for m in pool}
    total = sum(counts.get(pid, 0) for pid in q)
    share = sum(q.values()) or Fraction(1)
    out: list[YearLoad] = []
    by_id = {p.id: p for p in everyone}

    def line(pid: int, name: str, quota: Fraction | None) -> YearLoad:
        return YearLoad(pid, name, quota, counts.get(pid, 0), quota * total / share if quota is not None else None,
                        tuple(heavy.get(pid, ())), history.get(pid, 0.0),
                        tuple((plan_id, label, n) for plan_id, (label, n) in by_plan.get(pid, {}).items()))

    for m in pool:
        out.append(line(m.person_id, m.name, q[m.person_id]))
    outside = sorted((pid for pid in counts if pid not in q), key=lambda pid: (by_id[pid].rank, pid))
    for pid in outside:
        out.append(line(pid, by_id[pid].name, None))
    return out


# ---------------------------------------------------------------- who may be put on a day

def check_pinnable(everyone: Sequence[Person], person_id: int) -> None:
    person = next((p for p in everyone if p.id == person_id), None)
    if person is None:
        raise NotFound(f"找不到编号为 {person_id} 的人员。")
    if not person.active:
        raise UserError(f"{person.name}已停用,不能安排值班。请在“人员”中恢复,或另选一人。")


def check_present(person: Person, day: dt.date, slot: str, absences: Iterable[Absence],
                  unavailable: Mapping[int, Mapping[dt.date, str]]) -> None:
    """Refuse to put someone on a day he or she is away (the core checks only the rotation's members).
    ``absences``: the person's records touching the day; ``unavailable``: the declared dates."""
    if not person.active:
        raise UserError(f"{person.name}已停用,不能安排值班。请另选一人。")
    for a in absences:
        if a.person_id == person.id and counts_as_away(a) and away_on(a, day) is not None:
            raise UserError(f"{person.name} {cn_date(day)}外出({a.kind.label},编号 {a.id}),不能安排{verb(slot)}。请另选一人。")
    if day in unavailable.get(person.id, {}):
        raise UserError(f"{person.name} {cn_date(day)}已登记不能值班,不能安排{verb(slot)}。请另选一人。")


def conflicts(stored: StoredPlan, absences: Iterable[Absence],
              unavailable: Mapping[int, Mapping[dt.date, str]]) -> list[Conflict]:
    """The stored assignments whose person is now away (an absence that counts as away covers any
    part of the day), declared unavailable, or deactivated — by date."""
    ids = {r.person_id for r in stored.rows}
    away: dict[int, list[Absence]] = {}
    for a in absences:
        if a.person_id in ids and counts_as_away(a):
            away.setdefault(a.person_id, []).append(a)
    noun = SLOT_LABELS[stored.info.slot]
    out: list[Conflict] = []
    for r in stored.rows:
        what = f"{r.name} 是{cn_date(r.date)}的{noun}"
        hit = next(((a, h) for a in away.get(r.person_id, ()) if (h := away_on(a, r.date)) is not None), None)
        if hit is not None:
            a, half = hit
            part = "" if half.value == "full" else f"{half.label}"
            where = f" {a.destination}" if a.destination else ""
            out.append(Conflict(stored.id, r.date, r.slot, r.person_id, r.name, "away",
                                f"{what},但当天{part}外出({a.kind.label}{where},编号 {a.id})。请调班或替换。", a.id))
        elif r.date in unavailable.get(r.person_id, {}):
            reason = unavailable[r.person_id][r.date]
            out.append(Conflict(stored.id, r.date, r.slot, r.person_id, r.name, "unavailable",
                                f"{what},但已登记当天不能值班" + (f"({reason})" if reason else "") + "。请调班或替换。"))
        elif not r.active:
            out.append(Conflict(stored.id, r.date, r.slot, r.person_id, r.name, "inactive",
                                f"{what},但已停用。请替换。"))
    return out


# ---------------------------------------------------------------- planning

def no_duty_days(scope: PlanScope, rule: DutyRule) -> UserError:
    return UserError(f"{scope.label}({cn_date(scope.start)}至{cn_date(scope.end)})按本单位规则没有需要值班的日子"
                     f"(规则:{rule_text(rule)})。")


def kept_pins(old_rows: Iterable[DutyRow], duty_dates: set[dt.date], extra: Sequence[Pin], capacity: int, *,
              keep_pins: bool, released: set[dt.date], scope: PlanScope, rule: DutyRule) -> tuple[list[Pin], list[Pin]]:
    """(the stored pins a re-plan of the scope keeps, the pins let go because their day is no longer a
    duty day). A pin given in ``extra`` on a full day replaces that day's older pins; an ``extra``
    pin on a day that is not a duty day is refused (UserError)."""
    kept: list[Pin] = []
    dropped: list[Pin] = []
    for r in old_rows:
        if not r.fixed or not keep_pins or r.date in released:
            continue
        p = Pin(r.date, r.person_id, r.fixed, r.note)
        (kept if r.date in duty_dates else dropped).append(p)
    for p in extra:
        if p.date not in duty_dates:
            raise UserError(f"{cn_date(p.date)}不是{scope.label}的值班日(规则:{rule_text(rule)}),不能指定。")
        on_day = [k for k in kept if k.date == p.date and k.person_id != p.person_id]
        extra_on_day = sum(1 for e in extra if e.date == p.date)
        overflow = len(on_day) + extra_on_day - capacity
        for k in on_day[:max(overflow, 0)]:
            kept.remove(k)
        kept = [k for k in kept if not (k.date == p.date and k.person_id == p.person_id)]
    return kept, dropped


def instance_for(rule: DutyRule, slot: str, days: Sequence[DutyDay], pins: Sequence[Pin], facts: DutyFacts, *,
                 check_pins: bool = True) -> DutyInstance:
    """The solver's instance of the days with the database's facts (people, absences, loads)."""
    if check_pins:
        for p in pins:
            check_pinnable(facts.people, p.person_id)
    declared = {pid: set(days_) for pid, days_ in facts.unavailable.items()} if days else {}
    return build_instance(
        days, facts.people, rule, slot=slot, absences=facts.absences if days else (), unavailable=declared,
        pins=pins, prior=facts.prior, heavy_history=heavy_history(facts.heavy_counts, rule.heavy_days),
        quotas=facts.quotas,
    )


def working(rule: DutyRule, stored: StoredPlan, facts: DutyFacts, *, drop_pins: Iterable[tuple[dt.date, int]] = (),
            add_pins: Iterable[Pin] = ()) -> tuple[DutyPlan, frozenset[tuple[dt.date, int]]]:
    """The core's plan of the stored assignment, with today's people, absences and loads (``facts``:
    ``prior`` without this plan), and the stand-ins (see the module's text)."""
    dropped = set(drop_pins)
    seen: dict[dt.date, DutyDay] = {}
    for r in stored.rows:
        seen.setdefault(r.date, DutyDay(r.date, r.holiday, r.heavy, r.provisional))
    days = [seen[d] for d in sorted(seen)]
    pins = [Pin(r.date, r.person_id, r.fixed, r.note) for r in stored.rows
            if r.fixed and (r.date, r.person_id) not in dropped]
    pins += list(add_pins)
    inst = instance_for(rule, stored.info.slot, days, pins, facts, check_pins=False)
    in_pool = {m.person_id for m in inst.members}
    pinned = {(p.date, p.person_id) for p in pins}
    stand_in = frozenset((r.date, r.person_id) for r in stored.rows
                         if r.person_id not in in_pool and (r.date, r.person_id) not in pinned)
    held = {(r.date, r.person_id) for r in stored.rows}
    members = tuple(
        dataclasses.replace(m, unavailable=frozenset(d for d in m.unavailable if (d, m.person_id) not in held))
        for m in inst.members
    )
    names = dict(inst.names)
    for r in stored.rows:  # a deactivated person still on the plan keeps a name
        names.setdefault(r.person_id, r.name)
    inst = dataclasses.replace(inst, members=members, names=tuple(names.items()),
                               pins=(*inst.pins, *(Pin(d, pid) for d, pid in sorted(stand_in))))
    mapping: dict[dt.date, list[int]] = {}
    for r in stored.rows:
        mapping.setdefault(r.date, []).append(r.person_id)
    return explain(inst, {d: tuple(v) for d, v in mapping.items()}), stand_in


# ---------------------------------------------------------------- what is stored

def shift(shifts: Sequence[str], slot: str, seq: int, day_index: int) -> str:
    """The shift of the seq-th person of a day. A leader leads the whole day; officers are split
    evenly over the profile's shifts (白班/夜班), rotating day by day so nights are shared."""
    if len(shifts) == 1:
        return shifts[0]
    if slot == LEADER:
        return ""
    return shifts[(seq + day_index) % len(shifts)]


def rows_to_store(result: DutyPlan, shifts: Sequence[str],
                  stand_in: frozenset[tuple[dt.date, int]] = frozenset()) -> list[NewRow]:
    """The assignments of a plan as rows: a day's people in protocol order (the core lists the
    pinned ones first), so columns stay put; a stand-in is written back unfixed."""
    day_of = {d.date: d for d in result.instance.days}
    seq: dict[dt.date, int] = {}
    day_index = {d.date: i for i, d in enumerate(result.instance.days)}
    rows = []
    order = {pid: i for i, (pid, _name) in enumerate(result.instance.names)}  # everyone, by rank
    for a in sorted(result.assignments, key=lambda a: (a.date, order.get(a.person_id, 1 << 20), a.person_id)):
        n = seq.get(a.date, 0)
        seq[a.date] = n + 1
        day = day_of[a.date]
        pin = next((p for p in result.instance.pins if p.date == a.date and p.person_id == a.person_id), None)
        fixed, note, reasons = a.fixed, pin.note if pin else "", list(a.reasons)
        if (a.date, a.person_id) in stand_in and a.fixed == PIN:
            fixed, note = None, ""
            reasons = [r for r in reasons if r != "已手动指定(固定)"]
        rows.append(NewRow(a.date, result.instance.slot, n, shift(shifts, result.instance.slot, n, day_index[a.date]),
                           a.person_id, fixed, note, day.holiday, day.heavy, day.provisional, tuple(reasons)))
    return rows


def rows_snapshot(rows: Iterable[DutyRow]) -> dict:
    """A small picture of a stored plan for the audit log: date -> names (固定 marked)."""
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r.date.isoformat(), []).append(r.name + (f"({r.fixed_label})" if r.fixed else ""))
    return out


def mapping_snapshot(result: DutyPlan) -> dict:
    """The same picture of a plan the core made."""
    out: dict[str, list[str]] = {}
    for a in result.assignments:
        out.setdefault(a.date.isoformat(), []).append(a.name + (f"({FIXED_LABELS[a.fixed]})" if a.fixed else ""))
    return out

