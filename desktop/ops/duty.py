"""Operations on holiday duty (节假日值班排班): generate a plan keeping its pins, 固定 / 取消固定,
调班, 临时替换, quotas (份额), unavailable dates, and the roster import (导入值班表).

Each is one transaction (desktop.ops.base): the plan is read, its version compared with the one the
user's screen shows (``expected_version``), the core (desktop.core.duty) solves or edits, and the
rows are written under the write lock — so two secretaries pinning the same day of a plan they
both saw at version 3 can never both succeed: the second is refused with `ConcurrentEdit`
(who changed what, when), nothing written.

Planning a scope takes its days over from older plans of the slot (their pins on those days are
kept as pins of the new plan) and deletes a plan left without days. When a stored assignment has
become a conflict (the person is now away) the other changes still work; `conflicts` lists it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core import duty as core
from desktop.core.absence import cn_date
from desktop.core.access import Permission
from desktop.core.duty import (
    LEADER,
    OFFICER,
    SLOT_LABELS,
    Candidate,
    Conflict,
    DutyPlan,
    DutyRow,
    Pin,
    PlanInfo,
    PlanScope,
    SavedPlan,
    StoredPlan,
    YearLoad,
)
from desktop.core.errors import UserError
from desktop.core.profile import Profile
from desktop.core.roster_import import ParsedRoster
from desktop.ops.base import Entity, Tx, operation
from desktop.ops.roster_import import RosterImported, RosterRejected, import_note, scope_for
from desktop.store import duty as rows
from desktop.store import people
from desktop.store.absences import absences_between
from desktop.store.calcache import calendar_for
from desktop.store.db import Store

__all__ = [
    "DayChange",
    "ReplanPreview",
    "calendar_changes",
    "candidates",
    "clear_quota",
    "clear_unavailable",
    "conflicts",
    "import_roster",
    "mark_issued",
    "pin",
    "plan",
    "release",
    "replace",
    "replan_preview",
    "set_quota",
    "set_unavailable",
    "stale_provisional",
    "swap",
    "year_loads",
]


# ---------------------------------------------------------------- inside a transaction

def _load(store: Store, plan_id: int, expected_version: int | None = None) -> StoredPlan:
    """The plan as stored; refused (ConcurrentEdit) when it moved on from the ``expected_version``
    the user's screen shows (another secretary changed it meanwhile)."""
    stored = rows.load_plan(store, plan_id)
    if expected_version is not None and stored.info.version != expected_version:
        raise rows.stale(store, stored.info, expected_version)
    if not stored.rows:
        raise UserError(f"“{stored.info.title}”中没有值班日。请重新生成排班。")
    return stored


def _working(store: Store, profile: Profile, stored: StoredPlan, **pins) -> tuple[DutyPlan, frozenset[tuple[dt.date, int]]]:
    """The core's working plan of the stored assignment (desktop.core.duty.working)."""
    info = stored.info
    span = (stored.rows[0].date, stored.rows[-1].date) if stored.rows else None
    facts = rows.facts(store, info.slot, info.year, span, rows.prior(store, info.slot, info.year, exclude_plan=info.id))
    return core.working(profile.duty, stored, facts, **pins)


def _check_present(store: Store, person_id: int, day: dt.date, slot: str) -> None:
    core.check_present(people.get_person(store, person_id), day, slot,
                       absences_between(store, day, day, person_id=person_id), rows.unavailable_between(store, day, day))


def _rewrite(tx: Tx, profile: Profile, stored: StoredPlan, result: DutyPlan, action: str, summary: str,
             stand_in: frozenset[tuple[dt.date, int]] = frozenset()) -> PlanInfo:
    """Replace a plan's assignments with ``result`` (same days), raise its version, audit."""
    store, info = tx.store, stored.info
    before = core.rows_snapshot(stored.rows)
    if not rows.bump_version(store, info.id, info.version):
        raise rows.stale(store, rows.get_plan(store, info.id), info.version)
    rows.delete_plan_assignments(store, info.id)
    rows.insert_assignments(store, info.id, core.rows_to_store(result, profile.duty.shifts, stand_in))
    tx.audit(action, Entity.duty_plan, info.id, f"{info.title}:{summary}", before=before,
             after=core.mapping_snapshot(result))
    return rows.get_plan(store, info.id)


@dataclass(frozen=True)
class _Planned:
    """What planning a scope would store (`_compute`), before anything is written."""

    scope: PlanScope
    slot: str
    year: int
    days: list
    existing: PlanInfo | None
    old_rows: list[DutyRow]
    kept: list[Pin]
    dropped: list[Pin]
    extra: list[Pin]
    result: DutyPlan
    stand_in: frozenset[tuple[dt.date, int]]
    filled_only: bool

    @property
    def provisional(self) -> bool:
        return self.result.provisional or any(d.provisional for d in self.days)


def _compute(store: Store, profile: Profile, scope: PlanScope, slot: str, *, keep_pins: bool = True,
             release: Iterable[dt.date] = (), extra_pins: Iterable[Pin] = (), year: int | None = None,
             fill_only: bool = False) -> _Planned:
    """Solve a scope as `plan` would store it (reads only). ``fill_only`` (只补空缺): every day already
    planned keeps its people (unless one of them is now away that day: that day is planned again);
    only the empty days are solved."""
    if slot not in SLOT_LABELS:
        raise ValueError(slot)
    existing = rows.plan_for(store, scope.start, scope.end, slot)
    year = scope.end.year if year is None else year
    calendar = calendar_for(store, scope.end.year + 1)
    days = core.duty_days(calendar, profile.duty, scope.start, scope.end)
    if not days:
        raise core.no_duty_days(scope, profile.duty)
    capacity = 1 if slot == LEADER else profile.duty.officers_per_day
    extra = list(extra_pins)
    old_rows = rows.rows_between(store, scope.start, scope.end, slot)
    kept, dropped = core.kept_pins(old_rows, {d.date for d in days}, extra, capacity, keep_pins=keep_pins,
                                   released=set(release), scope=scope, rule=profile.duty)
    stand_in: set[tuple[dt.date, int]] = set()
    if fill_only:
        dates = {d.date for d in days}
        pinned = {(k.date, k.person_id) for k in kept}
        for r in old_rows:
            if r.fixed or r.date not in dates or (r.date, r.person_id) in pinned:
                continue
            try:
                _check_present(store, r.person_id, r.date, slot)
            except UserError:
                continue  # away now: the day is planned again
            kept.append(Pin(r.date, r.person_id))
            stand_in.add((r.date, r.person_id))
    pins = kept + extra
    prior = rows.prior(store, slot, year, outside=(scope.start, scope.end))
    facts = rows.facts(store, slot, year, (days[0].date, days[-1].date), prior)
    result = core.solve(core.instance_for(profile.duty, slot, days, pins, facts))
    return _Planned(scope, slot, year, days, existing, old_rows, kept, dropped, extra, result, frozenset(stand_in),
                    fill_only)


def _generate(tx: Tx, profile: Profile, scope: PlanScope, slot: str, *, keep_pins: bool = True,
              release: Iterable[dt.date] = (), extra_pins: Iterable[Pin] = (), year: int | None = None,
              why: str = "", expected_version: int | None = None, fill_only: bool = False) -> SavedPlan:
    """`plan`'s body, for the operations that plan again inside their own transaction."""
    store = tx.store
    existing = rows.plan_for(store, scope.start, scope.end, slot) if slot in SLOT_LABELS else None
    if expected_version is not None and existing is not None and existing.version != expected_version:
        raise rows.stale(store, existing, expected_version)
    planned = _compute(store, profile, scope, slot, keep_pins=keep_pins, release=release, extra_pins=extra_pins,
                       year=year, fill_only=fill_only)
    year, result, kept, extra, dropped = planned.year, planned.result, planned.kept, planned.extra, planned.dropped
    days, old_rows, provisional = planned.days, planned.old_rows, planned.provisional

    before = rows.snapshot(store, existing.id) if existing else None
    touched = {r.plan_id for r in old_rows}
    rows.delete_assignments_between(store, slot, scope.start, scope.end)
    if existing is None:
        plan_id = rows.insert_plan(store, year, scope, slot, provisional)
    else:
        plan_id = existing.id
        rows.update_plan(store, plan_id, year, scope.label, provisional)
    new_rows = core.rows_to_store(result, profile.duty.shifts, planned.stand_in)
    if planned.stand_in:
        new_rows = [dataclasses.replace(r, reasons=("只补空缺:保留原安排", *r.reasons))
                    if (r.date, r.person_id) in planned.stand_in else r for r in new_rows]
    rows.insert_assignments(store, plan_id, new_rows)
    taken: list[str] = []
    for other in sorted(touched - {plan_id}):
        label = rows.get_plan(store, other).label
        if rows.count_assignments(store, other) == 0:
            rows.delete_plan(store, other)
            taken.append(f"{label}的排班已被取代")
        else:
            rows.touch_plan(store, other)
            taken.append(f"{label}的排班中这些日子已移入本次排班")
        tx.touch(Entity.duty_plan, other)
    noun = SLOT_LABELS[slot]
    kept_pins = len(kept) - len(planned.stand_in) + len(extra)
    if fill_only:
        summary = (f"只补空缺:{scope.label}{noun}排班,{len(days)}个值班日,保留原安排{len(planned.stand_in)}处、"
                   f"固定安排{kept_pins}处")
    else:
        summary = (f"{'重新' if existing else ''}生成{scope.label}{noun}排班,{len(days)}个值班日,"
                   f"保留固定安排{kept_pins}处")
    if dropped:
        summary += f",放弃非值班日的固定安排{len(dropped)}处"
    if taken:
        summary += ";" + ";".join(taken)
    if why:
        summary = f"{why};{summary}"
    tx.audit("pin" if extra else "plan", Entity.duty_plan, plan_id, summary, before=before,
             after={"provisional": provisional, "days": core.mapping_snapshot(result)})
    return SavedPlan(rows.get_plan(store, plan_id), result, tuple(dropped))


# ---------------------------------------------------------------- plans

@operation(Permission.record)
def plan(tx: Tx, profile: Profile, scope: PlanScope, slot: str = LEADER, *, keep_pins: bool = True,
         release: Iterable[dt.date] = (), extra_pins: Iterable[Pin] = (), year: int | None = None,
         why: str = "", expected_version: int | None = None, fill_only: bool = False) -> SavedPlan:
    """Generate (or regenerate) the plan of a scope and store it. ``fill_only`` (只补空缺): the days
    already planned keep their people; only the empty ones (and a day whose person is now away) are
    planned (`replan_preview` shows what either way changes).

    The duty days come from the calendar under the profile's ``[duty] days``; the pins, swaps
    and replacements already stored on those days (by this scope's plan or another plan of the
    slot) are kept, except on the ``release``d dates or all of them with ``keep_pins=False``;
    ``extra_pins`` are added (a pin given on a full day replaces that day's older pins). The
    scope's previous unfixed assignments are replaced. Raises UserError (Chinese) when a day
    cannot be filled or a pin cannot stand, and writes nothing then. ``expected_version``: the
    version of the scope's plan the user saw (refused with ConcurrentEdit when it moved on).
    """
    return _generate(tx, profile, scope, slot, keep_pins=keep_pins, release=release, extra_pins=extra_pins,
                     year=year, why=why, expected_version=expected_version, fill_only=fill_only)


@operation(Permission.record)
def pin(tx: Tx, profile: Profile, plan_id: int, day: dt.date, person_id: int, *,
        expected_version: int | None = None) -> SavedPlan:
    """固定: keep ``person_id`` on ``day`` through every re-plan.

    If he or she is already on that day, the assignment is just marked fixed. Otherwise the
    plan's scope is planned again with the new pin (the day's person changes, and the loads are
    balanced again around it).
    """
    store = tx.store
    stored = _load(store, plan_id, expected_version)
    info = stored.info
    on_day = stored.on(day)
    if not on_day:
        raise UserError(f"{cn_date(day)}不在“{info.title}”中。")
    name = people.get_person(store, person_id).name
    _check_present(store, person_id, day, info.slot)
    mine = next((r for r in on_day if r.person_id == person_id), None)
    what = f"固定{name}在{cn_date(day)}{core.verb(info.slot)}"
    if mine is not None:
        if mine.fixed:
            raise UserError(f"{name} {cn_date(day)}的安排已经固定({mine.fixed_label}),无需再固定。")
        result, stand_in = _working(store, profile, stored, add_pins=[Pin(day, person_id)])
        return SavedPlan(_rewrite(tx, profile, stored, result, "pin", what, stand_in), result)
    return _generate(tx, profile, info.scope, info.slot, extra_pins=[Pin(day, person_id)], year=info.year, why=what)


@operation(Permission.record)
def release(tx: Tx, profile: Profile, plan_id: int, day: dt.date, person_id: int | None = None, *,
            expected_version: int | None = None) -> SavedPlan:
    """取消固定: the day's fixed assignment (of ``person_id``, or all of that day's) becomes an ordinary
    one: the person stays on the day until the next 生成排班, which may move him or her."""
    store = tx.store
    stored = _load(store, plan_id, expected_version)
    fixed = [r for r in stored.fixed_on(day) if person_id is None or r.person_id == person_id]
    if not fixed:
        raise UserError(f"{cn_date(day)}没有固定的安排,无需取消。")
    result, stand_in = _working(store, profile, stored, drop_pins=[(r.date, r.person_id) for r in fixed])
    names = "、".join(r.name for r in fixed)
    info = _rewrite(tx, profile, stored, result, "release", f"取消固定{names}在{cn_date(day)}的安排", stand_in)
    return SavedPlan(info, result)


@operation(Permission.record)
def swap(tx: Tx, profile: Profile, plan_id: int, date_a: dt.date, date_b: dt.date,
         person_a: int | None = None, person_b: int | None = None, *, expected_version: int | None = None) -> SavedPlan:
    """调班: the people on ``date_a`` and ``date_b`` exchange their days; both become fixed."""
    store = tx.store
    stored = _load(store, plan_id, expected_version)
    working, stand_in = _working(store, profile, stored)
    result = core.swap(working, date_a, date_b, person_a, person_b)
    moved = [x for x in (*result.on(date_a), *result.on(date_b)) if x.fixed == "swap"]
    text = "、".join(f"{x.name}改为{cn_date(x.date)}" for x in moved)
    return SavedPlan(_rewrite(tx, profile, stored, result, "swap", f"调班:{text}", stand_in), result)


@operation(Permission.record)
def replace(tx: Tx, profile: Profile, plan_id: int, day: dt.date, person_id: int, reason: str = "",
            replaced: int | None = None, *, expected_version: int | None = None) -> SavedPlan:
    """临时替换: ``person_id`` takes ``day`` instead of its person (``replaced`` when a day has several).

    The replaced person is recorded as unavailable that day (with the reason), so no re-plan
    puts him or her back.
    """
    store = tx.store
    stored = _load(store, plan_id, expected_version)
    _check_present(store, person_id, day, stored.info.slot)
    working, stand_in = _working(store, profile, stored)
    result = core.reassign(working, day, person_id, reason, replaced)
    gone = [pid for pid in working.mapping().get(day, ()) if pid not in result.mapping().get(day, ())]
    new_name = result.instance.name_of(person_id)
    old_names = "、".join(working.instance.name_of(g) for g in gone)
    for g in gone:
        rows.insert_unavailable(store, g, day, f"临时替换:{reason.strip()}" if reason.strip() else "临时替换")
        tx.touch(Entity.duty_unavailable, g)
    info = _rewrite(tx, profile, stored, result, "replace",
                    f"{cn_date(day)}由{new_name}替换{old_names}" + (f"({reason.strip()})" if reason.strip() else ""),
                    stand_in)
    return SavedPlan(info, result)


# ---------------------------------------------------------------- per-person settings

@operation(Permission.record)
def set_quota(tx: Tx, person_id: int, year: int, quota: float, reason: str = "", slot: str = LEADER) -> None:
    """Override a person's share of the rotation for a year (0.5 = half the days, 0 = not in it)."""
    if quota < 0 or quota > 10:
        raise UserError(f"份额应在 0 到 10 之间(1 为一整份),而不是 {quota}。")
    store = tx.store
    person = people.get_person(store, person_id)
    before = rows.quotas(store, year, slot).get(person_id)
    rows.upsert_quota(store, person_id, year, slot, quota, reason.strip())
    tx.audit("quota", Entity.duty_quota, person_id,
             f"{person.name} {year}年{SLOT_LABELS[slot]}份额设为 {quota:g}" + (f"({reason.strip()})" if reason.strip() else ""),
             before={"quota": before}, after={"quota": float(quota), "year": year, "slot": slot})


@operation(Permission.record)
def clear_quota(tx: Tx, person_id: int, year: int, slot: str = LEADER) -> None:
    store = tx.store
    person = people.get_person(store, person_id)
    before = rows.quotas(store, year, slot).get(person_id)
    if before is None:
        return
    rows.delete_quota(store, person_id, year, slot)
    tx.audit("quota", Entity.duty_quota, person_id, f"{person.name} {year}年{SLOT_LABELS[slot]}份额恢复默认",
             before={"quota": before}, after=None)


@operation(Permission.record)
def set_unavailable(tx: Tx, person_id: int, day: dt.date, reason: str) -> None:
    """Declare that a person cannot take duty on a day (not an absence: e.g. 另有值守任务)."""
    store = tx.store
    person = people.get_person(store, person_id)
    if not reason.strip():
        raise UserError("请写明不能值班的原因。")
    if not rows.insert_unavailable(store, person_id, day, reason.strip()):
        raise UserError(f"{person.name} {cn_date(day)}已登记为不能值班。")
    tx.audit("unavailable", Entity.duty_unavailable, person_id,
             f"登记 {person.name} {cn_date(day)}不能值班:{reason.strip()}", after={"day": day, "reason": reason.strip()})


@operation(Permission.record)
def clear_unavailable(tx: Tx, person_id: int, day: dt.date) -> None:
    store = tx.store
    person = people.get_person(store, person_id)
    if rows.delete_unavailable(store, person_id, day):
        tx.audit("available", Entity.duty_unavailable, person_id, f"撤销 {person.name} {cn_date(day)}不能值班的登记",
                 before={"day": day}, after=None)


# ---------------------------------------------------------------- the roster import

@operation(Permission.record)
def import_roster(tx: Tx, profile: Profile, parsed: ParsedRoster, file_name: str, *,
                  skip_rows: Iterable[int] = ()) -> RosterImported:
    """Store the checked rows as pinned assignments (固定, note “导入自 文件名”), all or nothing.

    For each slot, the days are grouped by the plan scope that covers them — the plan that
    already holds the day, else the holiday block around it, else its month — and each scope is
    planned with the imported days as ``extra_pins``: the imported days stand as written and the
    scope's other days are filled fairly around them. Raises `RosterRejected` while an error row
    is not in ``skip_rows`` (nothing written), and UserError when no row is left or a plan cannot
    be made around the imported days.
    """
    store = tx.store
    skip = set(skip_rows)
    errors = [e for e in parsed.errors if e.row not in skip]
    if errors:
        raise RosterRejected(errors)
    imported = parsed.importable(skip)
    if not imported:
        raise UserError("没有可以导入的行:所有行都被跳过或不是值班日。请检查文件后重新导入。")
    note = import_note(file_name)
    by_scope: dict[tuple[str, PlanScope, int], list[Pin]] = {}
    for r in imported:
        for slot, persons in ((LEADER, (r.leader,) if r.leader else ()), (OFFICER, r.officers)):
            if not persons:
                continue
            scope, year = scope_for(store, r.date, slot)
            by_scope.setdefault((slot, scope, year), []).extend(Pin(r.date, p.id, "pin", note) for p in persons)
    # The wider scopes first: planning a scope takes its days over from other plans, so a holiday
    # block planned after the year that holds it gets its days back.
    order = sorted(by_scope, key=lambda k: (-(k[1].end - k[1].start).days, k[1].start, k[0] != LEADER))
    why = f"导入值班表“{file_name}”"
    saved = [_generate(tx, profile, scope, slot, extra_pins=by_scope[(slot, scope, year)], year=year, why=why)
             for slot, scope, year in order]
    left_out = sorted(skip | {w.row for w in parsed.warnings})
    pins = sum(len(p) for p in by_scope.values())
    return RosterImported(tuple(saved), len(imported), pins, tuple(left_out))


# ---------------------------------------------------------------- reports (reads with the rules)

def candidates(store: Store, profile: Profile, plan_id: int, day: dt.date, person_id: int | None = None,
               reason: str = "") -> list[Candidate]:
    """Who could take ``day`` instead of its person, best first (the core's order and reasons)."""
    working, _stand_in = _working(store, profile, _load(store, plan_id))
    return core.replace(working, day, reason, person_id)


def conflicts(store: Store, plan_id: int) -> list[Conflict]:
    """The stored assignments whose person is now away, declared unavailable, or deactivated — by date."""
    stored = rows.load_plan(store, plan_id)
    if not stored.rows:
        return []
    first, last = stored.rows[0].date, stored.rows[-1].date
    return core.conflicts(stored, absences_between(store, first, last), rows.unavailable_between(store, first, last))


def calendar_changes(store: Store, profile: Profile, plan_id: int) -> tuple[list[dt.date], list[dt.date]]:
    """(duty days now missing from the plan, plan days that are no longer duty days): non-empty
    after a holiday notice replaced a provisional calendar, or the profile's duty days changed."""
    stored = rows.load_plan(store, plan_id)
    info = stored.info
    now = {d.date for d in core.duty_days(calendar_for(store, info.end.year + 1), profile.duty, info.start, info.end)}
    have = set(stored.dates())
    return sorted(now - have), sorted(have - now)


@dataclass(frozen=True)
class DayChange:
    """One day a re-plan changes: who was on it, who would be (names in the order stored)."""

    date: dt.date
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def text(self) -> str:
        was = "、".join(self.before) or "(空)"
        now = "、".join(self.after) or "(不再是值班日)"
        return f"{cn_date(self.date)}:{was} → {now}"


@dataclass(frozen=True)
class ReplanPreview:
    """What 生成排班 on a scope would change (nothing written): shown before a planned scope is
    planned again (issue 13)."""

    scope: PlanScope
    slot: str
    fill_only: bool
    planned_days: int  # days of the scope that already have someone
    changes: tuple[DayChange, ...]
    issued: tuple[str, ...]  # 2026年11月20日 打印 — the roster already left the office
    was_provisional: bool  # the plan was made on the provisional calendar
    provisional: bool  # the new plan still is

    @property
    def already_planned(self) -> bool:
        return self.planned_days > 0

    @property
    def recommend_fill_only(self) -> bool:
        """只补空缺 first once the roster was printed or exported."""
        return bool(self.issued)


def replan_preview(store: Store, profile: Profile, scope: PlanScope, slot: str = LEADER, *, fill_only: bool = False,
                   keep_pins: bool = True) -> ReplanPreview:
    """Who changes on which day if the scope is planned now (`plan` with the same arguments)."""
    planned = _compute(store, profile, scope, slot, keep_pins=keep_pins, fill_only=fill_only)
    before: dict[dt.date, list[str]] = {}
    for r in planned.old_rows:
        before.setdefault(r.date, []).append(r.name)
    after: dict[dt.date, list[str]] = {}
    for row in core.rows_to_store(planned.result, profile.duty.shifts):
        after.setdefault(row.date, []).append(planned.result.instance.name_of(row.person_id))
    changes = tuple(DayChange(d, tuple(before.get(d, ())), tuple(after.get(d, ())))
                    for d in sorted(set(before) | set(after)) if before.get(d, []) != after.get(d, []))
    plan_ids = {r.plan_id for r in planned.old_rows}
    issued = tuple(f"{cn_date(dt.date.fromisoformat(at[:10]))}{'打印' if how == 'print' else '导出'}"
                   for _pid, how, at in rows.issues_of(store, plan_ids))
    was_provisional = any(rows.get_plan(store, pid).provisional for pid in plan_ids)
    return ReplanPreview(scope, slot, fill_only, len(before), changes, tuple(dict.fromkeys(issued)), was_provisional,
                         planned.provisional)


def stale_provisional(store: Store, profile: Profile, plan_ids: Iterable[int]) -> bool:
    """Was one of these plans made on the provisional calendar of a year whose notice is now imported?"""
    for pid in plan_ids:
        info = rows.get_plan(store, pid)
        if info.provisional and not calendar_for(store, info.end.year + 1).span_is_provisional(info.start, info.end):
            return True
    return False


@operation(Permission.record)
def mark_issued(tx: Tx, plan_id: int, how: str) -> None:
    """Record that a plan's roster was printed (``print``) or exported (``export``): from then on
    生成排班 offers 只补空缺 first. Not an undoable change (nothing of the plan changed)."""
    if how not in ("print", "export"):
        raise ValueError(how)
    tx.undoable = False
    info = rows.get_plan(tx.store, plan_id)
    rows.add_issue(tx.store, plan_id, how, info.version)
    tx.audit("issue", Entity.duty_plan, plan_id, f"{'打印' if how == 'print' else '导出'}{info.title}",
             after={"how": how, "version": info.version})


def year_loads(store: Store, profile: Profile, year: int, slot: str = LEADER) -> list[YearLoad]:
    """Each person's duty over the year's plans of a slot: the rotation (in protocol order) first,
    then anyone outside it who was pinned by hand."""
    history = core.heavy_history(rows.heavy_counts(store, slot, year), profile.duty.heavy_days)
    return core.year_loads(profile.duty, slot, people.list_people(store), rows.quotas(store, year, slot),
                           rows.year_assignments(store, year, slot), history)
