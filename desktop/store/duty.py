"""Holiday duty plans (节假日值班排班) in the database: plan, pin, release, swap, replace; loads, conflicts.

The rules live in desktop/core: `duty_days` says which days need duty, `duty_solver` who takes
them. This module loads the snapshot the solver needs — the calendar, the people, the absences,
the year's other plans (prior counts), previous years' heavy days, quotas, unavailable dates and
the stored pins — runs the core, and writes the result in one audited transaction.

Plans and days
    A plan is one scope (a year, a holiday block, a month, an ISO week) of one slot: the leader
    on duty (带班领导, ``leader``) or the duty officers (值班员, ``officer``). A day belongs to at
    most one plan per slot: planning a scope takes its days over from older plans (their pins on
    those days are kept as pins of the new plan), and a plan left without days is deleted. A
    plan's year is the year of its scope's last day (a holiday block belongs to the year it
    ends in, as in `holiday_scope`).

Counts across plans
    ``prior`` (the solver's days already served this year) is the person's days in the other
    plans of the same year and slot; ``heavy_history`` is the person's heavy days (除夕, 春节初一,
    国庆10月1日) in the plans of previous years, weighted by the profile's ``[duty.heavy_days]``.

Changing a plan
    `pin` (固定), `release` (取消固定), `swap` (调班) and `replace` (临时替换) work on the stored
    assignment. When a stored assignment has become a conflict (the person is now away), the
    other operations still work: the solver is given the stored assignment as it is, and the
    conflicts are listed by `conflicts` (and `absences.check` reports away duty leaders).

Every write is one transaction with an audit row (entity ``duty_plan``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from desktop.core import duty_solver as ds
from desktop.core.absence import Absence, away_on, cn_date, counts_as_away
from desktop.core.duty_days import (
    HEAVY_LABELS,
    DutyDay,
    HolidayBlock,
    PlanScope,
    duty_days,
    heavy_kind,
    heavy_weight,
    holiday_blocks,
    holiday_scope,
)
from desktop.core.duty_solver import LEADER, OFFICER, Candidate, DutyInstance, DutyPlan, Pin
from desktop.core.errors import NotFound, UserError
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.store import audit, people
from desktop.store.absences import absences_between
from desktop.store.calendar import load_calendar
from desktop.store.db import Store
from desktop.store.history import concurrent_edit

__all__ = [
    "FIXED_LABELS",
    "LEADER",
    "OFFICER",
    "SLOT_LABELS",
    "Conflict",
    "DutyRow",
    "PlanInfo",
    "SavedPlan",
    "StoredPlan",
    "YearLoad",
    "calendar_changes",
    "candidates",
    "clear_quota",
    "clear_unavailable",
    "conflicts",
    "duty_assignments",
    "get_plan",
    "holiday_plan_scope",
    "load_plan",
    "pin",
    "plan",
    "plan_for",
    "plan_on",
    "plans",
    "quotas",
    "release",
    "replace",
    "rows_between",
    "set_quota",
    "set_unavailable",
    "swap",
    "unavailable_between",
    "year_blocks",
    "year_loads",
]

SLOT_LABELS = {LEADER: "带班领导", OFFICER: "值班员"}
FIXED_LABELS = {"pin": "固定", "swap": "调班", "replace": "替换"}
WEEKDAYS = "一二三四五六日"


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
        return "星期" + WEEKDAYS[self.date.weekday()]

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


# ---------------------------------------------------------------- reading

_PLAN_COLUMNS = ("p.id, p.year, p.label, p.start, p.end, p.slot, p.provisional, p.version, p.created_at, p.updated_at,"
                 " (SELECT COUNT(DISTINCT a.day) FROM duty_assignment a WHERE a.plan_id = p.id)")


def _info(row: tuple) -> PlanInfo:
    pid, year, label, start, end, slot, prov, version, created, updated, days = row
    return PlanInfo(pid, year, label, dt.date.fromisoformat(start), dt.date.fromisoformat(end), slot, bool(prov),
                    version, created, updated, days)


def get_plan(store: Store, plan_id: int) -> PlanInfo:
    row = store.conn.execute(f"SELECT {_PLAN_COLUMNS} FROM duty_plan p WHERE p.id = ?", (plan_id,)).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {plan_id} 的值班排班,可能已被重新排班取代。请刷新后重试。")
    return _info(row)


def plans(store: Store, year: int | None = None) -> list[PlanInfo]:
    """The stored plans of a year (all years with None), by start date, leaders first."""
    sql = f"SELECT {_PLAN_COLUMNS} FROM duty_plan p"
    args: list = []
    if year is not None:
        sql += " WHERE p.year = ?"
        args.append(year)
    sql += " ORDER BY p.start, p.end DESC, p.slot = 'officer', p.id"
    return [_info(r) for r in store.conn.execute(sql, args)]


def plan_for(store: Store, start: dt.date, end: dt.date, slot: str = LEADER) -> PlanInfo | None:
    """The plan of exactly this scope and slot, if there is one."""
    row = store.conn.execute(f"SELECT {_PLAN_COLUMNS} FROM duty_plan p WHERE p.slot = ? AND p.start = ? AND p.end = ?",
                             (slot, start.isoformat(), end.isoformat())).fetchone()
    return _info(row) if row else None


def plan_on(store: Store, day: dt.date, slot: str = LEADER) -> PlanInfo | None:
    """The plan that holds ``day`` for the slot (a day belongs to one plan per slot), if any."""
    row = store.conn.execute("SELECT plan_id FROM duty_assignment WHERE slot = ? AND day = ? LIMIT 1",
                             (slot, day.isoformat())).fetchone()
    return get_plan(store, row[0]) if row else None


_ROW_SQL = ("SELECT a.plan_id, a.day, a.slot, a.seq, a.shift, a.person_id, p.name, p.title, p.phone, p.active, a.fixed,"
            " a.note, a.holiday, a.heavy, a.provisional, a.reasons FROM duty_assignment a JOIN person p ON p.id = a.person_id")


def _row(row: tuple) -> DutyRow:
    plan_id, day, slot, seq, shift, pid, name, title, phone, active, fixed, note, holiday, heavy, prov, reasons = row
    return DutyRow(plan_id, dt.date.fromisoformat(day), slot, seq, shift, pid, name, title, phone, bool(active), fixed,
                   note, holiday, heavy, bool(prov), tuple(json.loads(reasons)))


def load_plan(store: Store, plan_id: int) -> StoredPlan:
    """The plan as stored (no solver run): for the grid, the printouts and the command line."""
    info = get_plan(store, plan_id)
    rows = store.conn.execute(_ROW_SQL + " WHERE a.plan_id = ? ORDER BY a.day, a.shift, a.seq", (plan_id,)).fetchall()
    return StoredPlan(info, tuple(_row(r) for r in rows))


def rows_between(store: Store, start: dt.date, end: dt.date, slot: str | None = None) -> list[DutyRow]:
    """Stored assignments in [start, end] from every plan (of one slot, or both), by date."""
    sql = _ROW_SQL + " WHERE a.day BETWEEN ? AND ?"
    args: list = [start.isoformat(), end.isoformat()]
    if slot is not None:
        sql += " AND a.slot = ?"
        args.append(slot)
    sql += " ORDER BY a.day, a.slot = 'officer', a.shift, a.seq"
    return [_row(r) for r in store.conn.execute(sql, args)]


def duty_assignments(store: Store, start: dt.date, end: dt.date, slot: str = LEADER) -> list[tuple[dt.date, int]]:
    """(date, person id) of every stored assignment of the slot in [start, end], for the checks."""
    rows = store.conn.execute("SELECT day, person_id FROM duty_assignment WHERE slot = ? AND day BETWEEN ? AND ?"
                              " ORDER BY day, seq", (slot, start.isoformat(), end.isoformat()))
    return [(dt.date.fromisoformat(d), pid) for d, pid in rows]


def year_blocks(store: Store, year: int) -> list[HolidayBlock]:
    """The holiday blocks of a year (a block belongs to the year of its last day)."""
    calendar = load_calendar(store, year + 1)
    blocks = holiday_blocks(calendar, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [b for b in blocks if b.end.year == year]


def holiday_plan_scope(store: Store, year: int, name: str) -> PlanScope:
    """The scope of the holiday block ``name`` of ``year``; the error lists the year's blocks."""
    return holiday_scope(load_calendar(store, year + 1), year, name)


# ---------------------------------------------------------------- per-person settings

def quotas(store: Store, year: int, slot: str = LEADER) -> dict[int, float]:
    """The quota overrides (份额) of a year: person id -> quota (0 takes the person out)."""
    return {pid: q for pid, q in store.conn.execute(
        "SELECT person_id, quota FROM duty_quota WHERE year = ? AND slot = ?", (year, slot))}


def set_quota(store: Store, person_id: int, year: int, quota: float, reason: str = "", slot: str = LEADER) -> None:
    """Override a person's share of the rotation for a year (0.5 = half the days, 0 = not in it)."""
    if quota < 0 or quota > 10:
        raise UserError(f"份额应在 0 到 10 之间(1 为一整份),而不是 {quota}。")
    person = people.get_person(store, person_id)
    with store.atomic():
        before = quotas(store, year, slot).get(person_id)
        store.conn.execute(
            "INSERT INTO duty_quota (person_id, year, slot, quota, reason) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (person_id, year, slot) DO UPDATE SET quota = excluded.quota, reason = excluded.reason",
            (person_id, year, slot, float(quota), reason.strip()))
        audit.record(store, "quota", "duty_quota", person_id,
                     f"{person.name} {year}年{SLOT_LABELS[slot]}份额设为 {quota:g}" + (f"({reason.strip()})" if reason.strip() else ""),
                     before={"quota": before}, after={"quota": float(quota), "year": year, "slot": slot})


def clear_quota(store: Store, person_id: int, year: int, slot: str = LEADER) -> None:
    person = people.get_person(store, person_id)
    with store.atomic():
        before = quotas(store, year, slot).get(person_id)
        if before is None:
            return
        store.conn.execute("DELETE FROM duty_quota WHERE person_id = ? AND year = ? AND slot = ?", (person_id, year, slot))
        audit.record(store, "quota", "duty_quota", person_id, f"{person.name} {year}年{SLOT_LABELS[slot]}份额恢复默认",
                     before={"quota": before}, after=None)


def unavailable_between(store: Store, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """Declared unavailable dates in [start, end]: person id -> {date: reason}."""
    out: dict[int, dict[dt.date, str]] = {}
    for pid, day, reason in store.conn.execute(
            "SELECT person_id, day, reason FROM duty_unavailable WHERE day BETWEEN ? AND ?",
            (start.isoformat(), end.isoformat())):
        out.setdefault(pid, {})[dt.date.fromisoformat(day)] = reason
    return out


def _insert_unavailable(store: Store, person_id: int, day: dt.date, reason: str) -> bool:
    cur = store.conn.execute(
        "INSERT INTO duty_unavailable (person_id, day, reason, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (person_id, day) DO NOTHING",
        (person_id, day.isoformat(), reason.strip(), store.clock.now().isoformat(timespec="seconds")))
    return cur.rowcount == 1


def set_unavailable(store: Store, person_id: int, day: dt.date, reason: str) -> None:
    """Declare that a person cannot take duty on a day (not an absence: e.g. 另有值守任务)."""
    person = people.get_person(store, person_id)
    if not reason.strip():
        raise UserError("请写明不能值班的原因。")
    with store.atomic():
        if not _insert_unavailable(store, person_id, day, reason):
            raise UserError(f"{person.name} {cn_date(day)}已登记为不能值班。")
        audit.record(store, "unavailable", "duty_unavailable", person_id,
                     f"登记 {person.name} {cn_date(day)}不能值班:{reason.strip()}", after={"day": day, "reason": reason.strip()})


def clear_unavailable(store: Store, person_id: int, day: dt.date) -> None:
    person = people.get_person(store, person_id)
    with store.atomic():
        cur = store.conn.execute("DELETE FROM duty_unavailable WHERE person_id = ? AND day = ?", (person_id, day.isoformat()))
        if cur.rowcount:
            audit.record(store, "available", "duty_unavailable", person_id, f"撤销 {person.name} {cn_date(day)}不能值班的登记",
                         before={"day": day}, after=None)


# ---------------------------------------------------------------- the solver's snapshot

def _prior(store: Store, slot: str, year: int, *, outside: tuple[dt.date, dt.date] | None = None,
           exclude_plan: int | None = None) -> dict[int, int]:
    """Days per person in the year's plans of the slot, except the days being planned."""
    sql = ("SELECT a.person_id, COUNT(*) FROM duty_assignment a JOIN duty_plan p ON p.id = a.plan_id"
           " WHERE p.year = ? AND a.slot = ?")
    args: list = [year, slot]
    if outside is not None:
        sql += " AND a.day NOT BETWEEN ? AND ?"
        args += [outside[0].isoformat(), outside[1].isoformat()]
    if exclude_plan is not None:
        sql += " AND a.plan_id != ?"
        args.append(exclude_plan)
    return dict(store.conn.execute(sql + " GROUP BY a.person_id", args).fetchall())


def _heavy_history(store: Store, profile: Profile, slot: str, year: int) -> dict[int, float]:
    """Weighted heavy days per person in the plans of the years before ``year``."""
    out: dict[int, float] = {}
    for pid, kind, n in store.conn.execute(
            "SELECT a.person_id, a.heavy, COUNT(*) FROM duty_assignment a JOIN duty_plan p ON p.id = a.plan_id"
            " WHERE p.year < ? AND a.slot = ? AND a.heavy IS NOT NULL GROUP BY a.person_id, a.heavy", (year, slot)):
        out[pid] = out.get(pid, 0.0) + n * heavy_weight(profile.duty.heavy_days, kind)
    return out


def _instance(store: Store, profile: Profile, slot: str, year: int, days: Sequence[DutyDay], pins: Sequence[Pin],
              prior: dict[int, int], *, check_pins: bool = True) -> DutyInstance:
    everyone = people.list_people(store)
    if days:
        first, last = days[0].date, days[-1].date
        away: list[Absence] = absences_between(store, first, last)
        declared = {pid: set(ds_) for pid, ds_ in unavailable_between(store, first, last).items()}
    else:
        away, declared = [], {}
    if check_pins:
        for p in pins:
            _check_pinnable(everyone, p.person_id)
    return ds.build_instance(
        days, everyone, profile.duty, slot=slot, absences=away, unavailable=declared, pins=pins, prior=prior,
        heavy_history=_heavy_history(store, profile, slot, year), quotas=quotas(store, year, slot),
    )


def _check_pinnable(everyone: list[Person], person_id: int) -> None:
    person = next((p for p in everyone if p.id == person_id), None)
    if person is None:
        raise NotFound(f"找不到编号为 {person_id} 的人员。")
    if not person.active:
        raise UserError(f"{person.name}已停用,不能安排值班。请在“人员”中恢复,或另选一人。")


def _check_present(store: Store, person_id: int, day: dt.date, slot: str) -> None:
    """Refuse to put someone on a day he or she is away (the core checks only the rotation's members)."""
    person = people.get_person(store, person_id)
    if not person.active:
        raise UserError(f"{person.name}已停用,不能安排值班。请另选一人。")
    for a in absences_between(store, day, day, person_id=person_id):
        if counts_as_away(a) and away_on(a, day) is not None:
            raise UserError(f"{person.name} {cn_date(day)}外出({a.kind.label},编号 {a.id}),不能安排{_verb(slot)}。请另选一人。")
    if day in unavailable_between(store, day, day).get(person_id, {}):
        raise UserError(f"{person.name} {cn_date(day)}已登记不能值班,不能安排{_verb(slot)}。请另选一人。")


def _explain(instance: DutyInstance, mapping: dict[dt.date, tuple[int, ...]]) -> DutyPlan:
    """The core's plan of a given assignment (reasons, loads), as its `swap` and `reassign` build it.

    The core does not export this yet (see the report to its author); its two helpers are used
    as they are, so the reasons and loads are the core's own.
    """
    prob = ds._Problem(instance)
    return ds._finish(prob, ds._free_part(prob, mapping))


def _working(store: Store, profile: Profile, stored: StoredPlan, *, drop_pins: Iterable[tuple[dt.date, int]] = (),
             add_pins: Iterable[Pin] = ()) -> tuple[DutyPlan, frozenset[tuple[dt.date, int]]]:
    """The core's plan of the stored assignment, with today's people, absences and loads.

    An assignment that has become a conflict is given to the solver as it stands (the person's
    unavailability on that one day is set aside), so a swap or a replacement elsewhere in the
    plan is not refused because of it; `conflicts` lists it. An unfixed assignment of someone no
    longer in the rotation (deactivated, role changed) is held by a stand-in pin; the second
    value lists those, which `_insert_rows` writes back as unfixed.
    """
    info = stored.info
    dropped = set(drop_pins)
    seen: dict[dt.date, DutyDay] = {}
    for r in stored.rows:
        seen.setdefault(r.date, DutyDay(r.date, r.holiday, r.heavy, r.provisional))
    days = [seen[d] for d in sorted(seen)]
    pins = [Pin(r.date, r.person_id, r.fixed, r.note) for r in stored.rows
            if r.fixed and (r.date, r.person_id) not in dropped]
    pins += list(add_pins)
    prior = _prior(store, info.slot, info.year, exclude_plan=info.id)
    inst = _instance(store, profile, info.slot, info.year, days, pins, prior, check_pins=False)
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
    return _explain(inst, {d: tuple(v) for d, v in mapping.items()}), stand_in


# ---------------------------------------------------------------- writing

def _shift(profile: Profile, slot: str, seq: int, day_index: int) -> str:
    """The shift of the seq-th person of a day. A leader leads the whole day; officers are split
    evenly over the profile's shifts (白班/夜班), rotating day by day so nights are shared."""
    shifts = profile.duty.shifts
    if len(shifts) == 1:
        return shifts[0]
    if slot == ds.LEADER:
        return ""
    return shifts[(seq + day_index) % len(shifts)]


def _insert_rows(store: Store, profile: Profile, plan_id: int, result: DutyPlan,
                 stand_in: frozenset[tuple[dt.date, int]] = frozenset()) -> None:
    day_of = {d.date: d for d in result.instance.days}
    seq: dict[dt.date, int] = {}
    day_index = {d.date: i for i, d in enumerate(result.instance.days)}
    rows = []
    # A day's people in protocol order (the core lists the pinned ones first): columns stay put.
    order = {pid: i for i, (pid, _name) in enumerate(result.instance.names)}  # everyone, by rank
    for a in sorted(result.assignments, key=lambda a: (a.date, order.get(a.person_id, 1 << 20), a.person_id)):
        n = seq.get(a.date, 0)
        seq[a.date] = n + 1
        day = day_of[a.date]
        pin = next((p for p in result.instance.pins if p.date == a.date and p.person_id == a.person_id), None)
        fixed, note, reasons = a.fixed, pin.note if pin else "", list(a.reasons)
        if (a.date, a.person_id) in stand_in and a.fixed == ds.PIN:
            fixed, note = None, ""
            reasons = [r for r in reasons if r != "已手动指定(固定)"]
        shift = _shift(profile, result.instance.slot, n, day_index[a.date])
        rows.append((plan_id, a.date.isoformat(), result.instance.slot, n, shift, a.person_id, fixed, note,
                     day.holiday, day.heavy, int(day.provisional), json.dumps(reasons, ensure_ascii=False)))
    store.conn.executemany(
        "INSERT INTO duty_assignment (plan_id, day, slot, seq, shift, person_id, fixed, note, holiday, heavy,"
        " provisional, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _snapshot(store: Store, plan_id: int) -> dict:
    """A small picture of a plan for the audit log: date -> names (固定 marked)."""
    out: dict[str, list[str]] = {}
    for r in load_plan(store, plan_id).rows:
        out.setdefault(r.date.isoformat(), []).append(r.name + (f"({r.fixed_label})" if r.fixed else ""))
    return out


def _mapping_snapshot(result: DutyPlan) -> dict:
    out: dict[str, list[str]] = {}
    for a in result.assignments:
        out.setdefault(a.date.isoformat(), []).append(a.name + (f"({FIXED_LABELS[a.fixed]})" if a.fixed else ""))
    return out


def _rewrite(store: Store, profile: Profile, stored: StoredPlan, result: DutyPlan, action: str, summary: str,
             stand_in: frozenset[tuple[dt.date, int]] = frozenset()) -> PlanInfo:
    """Replace a plan's assignments with ``result`` (same days), bump its version, audit."""
    info = stored.info
    with store.atomic():
        before = _snapshot(store, info.id)
        now = store.clock.now().isoformat(timespec="seconds")
        cur = store.conn.execute("UPDATE duty_plan SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                                 (now, info.id, info.version))
        if cur.rowcount != 1:
            raise _stale(store, get_plan(store, info.id), info.version)
        store.conn.execute("DELETE FROM duty_assignment WHERE plan_id = ?", (info.id,))
        _insert_rows(store, profile, info.id, result, stand_in)
        audit.record(store, action, "duty_plan", info.id, f"{info.title}:{summary}", before=before,
                     after=_mapping_snapshot(result))
    return get_plan(store, info.id)


def _stale(store: Store, now: PlanInfo, had_version: int) -> people.ConcurrentEdit:
    return concurrent_edit(store, "duty_plan", now.id, f"“{now.title}”", had_version, now.version,
                           _snapshot(store, now.id))


def _load_stored(store: Store, plan_id: int, expected_version: int | None = None) -> StoredPlan:
    """The plan as stored; refused (ConcurrentEdit) when it moved on from the ``expected_version``
    the user's screen shows (another secretary changed it meanwhile)."""
    stored = load_plan(store, plan_id)
    if expected_version is not None and stored.info.version != expected_version:
        raise _stale(store, stored.info, expected_version)
    if not stored.rows:
        raise UserError(f"“{stored.info.title}”中没有值班日。请重新生成排班。")
    return stored


def _fixed_on(stored: StoredPlan, day: dt.date) -> list[DutyRow]:
    return [r for r in stored.on(day) if r.fixed]


def plan(store: Store, profile: Profile, scope: PlanScope, slot: str = LEADER, *, keep_pins: bool = True,
         release: Iterable[dt.date] = (), extra_pins: Iterable[Pin] = (), year: int | None = None,
         why: str = "") -> SavedPlan:
    """Generate (or regenerate) the plan of a scope and store it.

    The duty days come from the calendar under the profile's ``[duty] days``; the pins, swaps
    and replacements already stored on those days (by this scope's plan or another plan of the
    slot) are kept, except on the ``release``d dates or all of them with ``keep_pins=False``;
    ``extra_pins`` are added (a pin given on a full day replaces that day's older pins). The
    scope's previous unfixed assignments are replaced. Raises UserError (Chinese) when a day
    cannot be filled or a pin cannot stand, and writes nothing then.
    """
    if slot not in SLOT_LABELS:
        raise ValueError(slot)
    year = scope.end.year if year is None else year
    calendar = load_calendar(store, scope.end.year + 1)
    days = duty_days(calendar, profile.duty, scope.start, scope.end)
    if not days:
        raise UserError(f"{scope.label}({cn_date(scope.start)}至{cn_date(scope.end)})按本单位规则没有需要值班的日子"
                        f"(规则:{_DAYS_TEXT.get(profile.duty.days.value, profile.duty.days.value)})。")
    capacity = 1 if slot == LEADER else profile.duty.officers_per_day
    released = set(release)
    extra = list(extra_pins)
    duty_dates = {d.date for d in days}
    old_rows = rows_between(store, scope.start, scope.end, slot)
    kept: list[Pin] = []
    dropped: list[Pin] = []
    for r in old_rows:
        if not r.fixed or not keep_pins or r.date in released:
            continue
        p = Pin(r.date, r.person_id, r.fixed, r.note)
        (kept if r.date in duty_dates else dropped).append(p)
    for p in extra:
        if p.date not in duty_dates:
            raise UserError(f"{cn_date(p.date)}不是{scope.label}的值班日(规则:"
                            f"{_DAYS_TEXT.get(profile.duty.days.value, profile.duty.days.value)}),不能指定。")
        on_day = [k for k in kept if k.date == p.date and k.person_id != p.person_id]
        extra_on_day = sum(1 for e in extra if e.date == p.date)
        overflow = len(on_day) + extra_on_day - capacity
        for k in on_day[:max(overflow, 0)]:
            kept.remove(k)
        kept = [k for k in kept if not (k.date == p.date and k.person_id == p.person_id)]
    pins = kept + extra
    prior = _prior(store, slot, year, outside=(scope.start, scope.end))
    inst = _instance(store, profile, slot, year, days, pins, prior)
    result = ds.solve(inst)
    provisional = result.provisional or any(d.provisional for d in days)
    with store.atomic():
        existing = plan_for(store, scope.start, scope.end, slot)
        before = _snapshot(store, existing.id) if existing else None
        now = store.clock.now().isoformat(timespec="seconds")
        touched = {r.plan_id for r in old_rows}
        store.conn.execute("DELETE FROM duty_assignment WHERE slot = ? AND day BETWEEN ? AND ?",
                           (slot, scope.start.isoformat(), scope.end.isoformat()))
        if existing is None:
            plan_id = store.conn.execute(
                "INSERT INTO duty_plan (year, label, start, end, slot, provisional, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (year, scope.label, scope.start.isoformat(), scope.end.isoformat(), slot, int(provisional), now, now),
            ).lastrowid
        else:
            plan_id = existing.id
            store.conn.execute("UPDATE duty_plan SET year = ?, label = ?, provisional = ?, version = version + 1,"
                               " updated_at = ? WHERE id = ?", (year, scope.label, int(provisional), now, plan_id))
        _insert_rows(store, profile, plan_id, result)
        others = sorted(touched - {plan_id})
        taken: list[str] = []
        for other in others:
            left = store.conn.execute("SELECT COUNT(*) FROM duty_assignment WHERE plan_id = ?", (other,)).fetchone()[0]
            label = store.conn.execute("SELECT label FROM duty_plan WHERE id = ?", (other,)).fetchone()[0]
            if left == 0:
                store.conn.execute("DELETE FROM duty_plan WHERE id = ?", (other,))
                taken.append(f"{label}的排班已被取代")
            else:
                store.conn.execute("UPDATE duty_plan SET version = version + 1, updated_at = ? WHERE id = ?", (now, other))
                taken.append(f"{label}的排班中这些日子已移入本次排班")
        noun = SLOT_LABELS[slot]
        summary = (f"{'重新' if existing else ''}生成{scope.label}{noun}排班,{len(days)}个值班日,"
                   f"保留固定安排{len(kept) + len(extra)}处")
        if dropped:
            summary += f",放弃非值班日的固定安排{len(dropped)}处"
        if taken:
            summary += ";" + ";".join(taken)
        if why:
            summary = f"{why};{summary}"
        audit.record(store, "pin" if extra else "plan", "duty_plan", plan_id, summary, before=before,
                     after={"provisional": provisional, "days": _mapping_snapshot(result)})
    return SavedPlan(get_plan(store, plan_id), result, tuple(dropped))


_DAYS_TEXT = {"holiday_weekdays": "除双休日外的法定节假日", "holiday_block": "节假日放假期间每一天",
              "rest_days": "所有休息日", "every_day": "每天"}


def pin(store: Store, profile: Profile, plan_id: int, day: dt.date, person_id: int, *,
        expected_version: int | None = None) -> SavedPlan:
    """固定: keep ``person_id`` on ``day`` through every re-plan.

    If he or she is already on that day, the assignment is just marked fixed. Otherwise the
    plan's scope is planned again with the new pin (the day's person changes, and the loads are
    balanced again around it).
    """
    stored = _load_stored(store, plan_id, expected_version)
    info = stored.info
    on_day = stored.on(day)
    if not on_day:
        raise UserError(f"{cn_date(day)}不在“{info.title}”中。")
    name = people.get_person(store, person_id).name
    _check_present(store, person_id, day, info.slot)
    mine = next((r for r in on_day if r.person_id == person_id), None)
    if mine is not None:
        if mine.fixed:
            raise UserError(f"{name} {cn_date(day)}的安排已经固定({mine.fixed_label}),无需再固定。")
        result, stand_in = _working(store, profile, stored, add_pins=[Pin(day, person_id)])
        saved = _rewrite(store, profile, stored, result, "pin", f"固定{name}在{cn_date(day)}{_verb(info.slot)}", stand_in)
        return SavedPlan(saved, result)
    return plan(store, profile, info.scope, info.slot, extra_pins=[Pin(day, person_id)], year=info.year,
                why=f"固定{name}在{cn_date(day)}{_verb(info.slot)}")


def _verb(slot: str) -> str:
    return "带班" if slot == LEADER else "值班"


def release(store: Store, profile: Profile, plan_id: int, day: dt.date, person_id: int | None = None, *,
            expected_version: int | None = None) -> SavedPlan:
    """取消固定: the day's fixed assignment (of ``person_id``, or all of that day's) becomes an ordinary
    one: the person stays on the day until the next 生成排班, which may move him or her."""
    stored = _load_stored(store, plan_id, expected_version)
    fixed = [r for r in _fixed_on(stored, day) if person_id is None or r.person_id == person_id]
    if not fixed:
        raise UserError(f"{cn_date(day)}没有固定的安排,无需取消。")
    result, stand_in = _working(store, profile, stored, drop_pins=[(r.date, r.person_id) for r in fixed])
    names = "、".join(r.name for r in fixed)
    info = _rewrite(store, profile, stored, result, "release", f"取消固定{names}在{cn_date(day)}的安排", stand_in)
    return SavedPlan(info, result)


def swap(store: Store, profile: Profile, plan_id: int, date_a: dt.date, date_b: dt.date,
         person_a: int | None = None, person_b: int | None = None, *, expected_version: int | None = None) -> SavedPlan:
    """调班: the people on ``date_a`` and ``date_b`` exchange their days; both become fixed."""
    stored = _load_stored(store, plan_id, expected_version)
    working, stand_in = _working(store, profile, stored)
    result = ds.swap(working, date_a, date_b, person_a, person_b)
    a = result.on(date_a)
    b = result.on(date_b)
    moved = [x for x in (*a, *b) if x.fixed == "swap"]
    text = "、".join(f"{x.name}改为{cn_date(x.date)}" for x in moved)
    info = _rewrite(store, profile, stored, result, "swap", f"调班:{text}", stand_in)
    return SavedPlan(info, result)


def candidates(store: Store, profile: Profile, plan_id: int, day: dt.date, person_id: int | None = None,
               reason: str = "") -> list[Candidate]:
    """Who could take ``day`` instead of its person, best first (the core's order and reasons)."""
    working, _stand_in = _working(store, profile, _load_stored(store, plan_id))
    return ds.replace(working, day, reason, person_id)


def replace(store: Store, profile: Profile, plan_id: int, day: dt.date, person_id: int, reason: str = "",
            replaced: int | None = None, *, expected_version: int | None = None) -> SavedPlan:
    """临时替换: ``person_id`` takes ``day`` instead of its person (``replaced`` when a day has several).

    The replaced person is recorded as unavailable that day (with the reason), so no re-plan
    puts him or her back.
    """
    stored = _load_stored(store, plan_id, expected_version)
    _check_present(store, person_id, day, stored.info.slot)
    working, stand_in = _working(store, profile, stored)
    result = ds.reassign(working, day, person_id, reason, replaced)
    gone = [pid for pid in working.mapping().get(day, ()) if pid not in result.mapping().get(day, ())]
    new_name = result.instance.name_of(person_id)
    old_names = "、".join(working.instance.name_of(g) for g in gone)
    info = stored.info
    with store.atomic():
        for g in gone:
            _insert_unavailable(store, g, day, f"临时替换:{reason.strip()}" if reason.strip() else "临时替换")
        info = _rewrite(store, profile, stored, result, "replace",
                        f"{cn_date(day)}由{new_name}替换{old_names}" + (f"({reason.strip()})" if reason.strip() else ""),
                        stand_in)
    return SavedPlan(info, result)


# ---------------------------------------------------------------- reports

def conflicts(store: Store, plan_id: int) -> list[Conflict]:
    """The stored assignments whose person is now away (an absence that counts as away covers any
    part of the day), declared unavailable, or deactivated — by date."""
    stored = load_plan(store, plan_id)
    if not stored.rows:
        return []
    first, last = stored.rows[0].date, stored.rows[-1].date
    ids = {r.person_id for r in stored.rows}
    away: dict[int, list[Absence]] = {}
    for a in absences_between(store, first, last):
        if a.person_id in ids and counts_as_away(a):
            away.setdefault(a.person_id, []).append(a)
    declared = unavailable_between(store, first, last)
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
        elif r.date in declared.get(r.person_id, {}):
            reason = declared[r.person_id][r.date]
            out.append(Conflict(stored.id, r.date, r.slot, r.person_id, r.name, "unavailable",
                                f"{what},但已登记当天不能值班" + (f"({reason})" if reason else "") + "。请调班或替换。"))
        elif not r.active:
            out.append(Conflict(stored.id, r.date, r.slot, r.person_id, r.name, "inactive",
                                f"{what},但已停用。请替换。"))
    return out


def calendar_changes(store: Store, profile: Profile, plan_id: int) -> tuple[list[dt.date], list[dt.date]]:
    """(duty days now missing from the plan, plan days that are no longer duty days): non-empty
    after a holiday notice replaced a provisional calendar, or the profile's duty days changed."""
    stored = load_plan(store, plan_id)
    info = stored.info
    now = {d.date for d in duty_days(load_calendar(store, info.end.year + 1), profile.duty, info.start, info.end)}
    have = set(stored.dates())
    return sorted(now - have), sorted(have - now)


def year_loads(store: Store, profile: Profile, year: int, slot: str = LEADER) -> list[YearLoad]:
    """Each person's duty over the year's plans of a slot: the rotation (in protocol order) first,
    then anyone outside it who was pinned by hand."""
    everyone = people.list_people(store)
    pool = ds.build_instance((), everyone, profile.duty, slot=slot, quotas=quotas(store, year, slot)).members
    counts: dict[int, int] = {}
    heavy: dict[int, list[dt.date]] = {}
    by_plan: dict[int, dict[int, list]] = {}
    for pid, plan_id, label, day, kind in store.conn.execute(
            "SELECT a.person_id, a.plan_id, p.label, a.day, a.heavy FROM duty_assignment a"
            " JOIN duty_plan p ON p.id = a.plan_id WHERE p.year = ? AND a.slot = ? ORDER BY p.start, a.day",
            (year, slot)):
        counts[pid] = counts.get(pid, 0) + 1
        if kind:
            heavy.setdefault(pid, []).append(dt.date.fromisoformat(day))
        entry = by_plan.setdefault(pid, {}).setdefault(plan_id, [label, 0])
        entry[1] += 1
    history = _heavy_history(store, profile, slot, year)
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
