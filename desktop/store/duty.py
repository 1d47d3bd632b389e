"""Holiday duty plans (节假日值班排班) in the database: rows, queries and the writes' SQL (a repository).

The rules live in desktop.core.duty (which days need duty, who takes them, the working plan of a
stored assignment, conflicts, loads); the changes (plan, pin, release, swap, replace, quotas,
unavailable dates, the roster import) are operations in desktop.ops.duty, which check and write
through this module in one audited transaction. `facts` loads the plain data the core needs
around a plan's days (`desktop.core.duty.DutyFacts`).

A plan is one scope of one slot (带班领导 ``leader`` / 值班员 ``officer``); a day belongs to at
most one plan per slot; a plan's ``version`` is raised by every change of its assignments.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from desktop.core.changes import ConcurrentEdit
from desktop.core.duty import (
    FIXED_LABELS,
    LEADER,
    OFFICER,
    SLOT_LABELS,
    Conflict,
    DutyFacts,
    DutyRow,
    HolidayBlock,
    NewRow,
    PlanInfo,
    PlanScope,
    SavedPlan,
    StoredPlan,
    YearLoad,
    holiday_blocks,
    holiday_scope,
    rows_snapshot,
)
from desktop.core.errors import NotFound
from desktop.store import people
from desktop.store.absences import absences_between
from desktop.store.calcache import calendar_for
from desktop.store.db import Store, insert_id
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
    "bump_version",
    "count_assignments",
    "delete_assignments_between",
    "delete_plan",
    "delete_plan_assignments",
    "delete_quota",
    "delete_unavailable",
    "duty_assignments",
    "facts",
    "get_plan",
    "heavy_counts",
    "holiday_plan_scope",
    "insert_assignments",
    "insert_plan",
    "insert_unavailable",
    "load_plan",
    "plan_for",
    "plan_on",
    "plans",
    "prior",
    "quotas",
    "rows_between",
    "snapshot",
    "stale",
    "touch_plan",
    "unavailable_between",
    "update_plan",
    "upsert_quota",
    "year_assignments",
    "year_blocks",
]


# ---------------------------------------------------------------- reading

_PLAN_COLUMNS = ('p.id, p.year, p.label, p.start, p."end", p.slot,' " p.provisional, p.version, p.created_at, p.updated_at,"
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
    sql += ' ORDER BY p.start, p."end" DESC, p.slot = \'officer\', p.id'
    return [_info(r) for r in store.conn.execute(sql, args)]


def plan_for(store: Store, start: dt.date, end: dt.date, slot: str = LEADER) -> PlanInfo | None:
    """The plan of exactly this scope and slot, if there is one."""
    row = store.conn.execute(f'SELECT {_PLAN_COLUMNS} FROM duty_plan p WHERE p.slot = ? AND p.start = ? AND p."end" = ?',
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
    calendar = calendar_for(store, year + 1)
    blocks = holiday_blocks(calendar, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [b for b in blocks if b.end.year == year]


def holiday_plan_scope(store: Store, year: int, name: str) -> PlanScope:
    """The scope of the holiday block ``name`` of ``year``; the error lists the year's blocks."""
    return holiday_scope(calendar_for(store, year + 1), year, name)


# ---------------------------------------------------------------- per-person settings

def quotas(store: Store, year: int, slot: str = LEADER) -> dict[int, float]:
    """The quota overrides (份额) of a year: person id -> quota (0 takes the person out)."""
    return {pid: q for pid, q in store.conn.execute(
        "SELECT person_id, quota FROM duty_quota WHERE year = ? AND slot = ?", (year, slot))}


def upsert_quota(store: Store, person_id: int, year: int, slot: str, quota: float, reason: str) -> None:
    store.conn.execute(
        "INSERT INTO duty_quota (person_id, year, slot, quota, reason) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (person_id, year, slot) DO UPDATE SET quota = excluded.quota, reason = excluded.reason",
        (person_id, year, slot, float(quota), reason))


def delete_quota(store: Store, person_id: int, year: int, slot: str) -> None:
    store.conn.execute("DELETE FROM duty_quota WHERE person_id = ? AND year = ? AND slot = ?", (person_id, year, slot))


def unavailable_between(store: Store, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """Declared unavailable dates in [start, end]: person id -> {date: reason}."""
    out: dict[int, dict[dt.date, str]] = {}
    for pid, day, reason in store.conn.execute(
            "SELECT person_id, day, reason FROM duty_unavailable WHERE day BETWEEN ? AND ?",
            (start.isoformat(), end.isoformat())):
        out.setdefault(pid, {})[dt.date.fromisoformat(day)] = reason
    return out


def insert_unavailable(store: Store, person_id: int, day: dt.date, reason: str) -> bool:
    """Record the date; False when it was recorded already (nothing written)."""
    cur = store.conn.execute(
        "INSERT INTO duty_unavailable (person_id, day, reason, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (person_id, day) DO NOTHING",
        (person_id, day.isoformat(), reason, store.clock.now().isoformat(timespec="seconds")))
    return cur.rowcount == 1


def delete_unavailable(store: Store, person_id: int, day: dt.date) -> bool:
    """Forget the date; False when it was not recorded."""
    cur = store.conn.execute("DELETE FROM duty_unavailable WHERE person_id = ? AND day = ?", (person_id, day.isoformat()))
    return cur.rowcount > 0


# ---------------------------------------------------------------- the solver's facts

def prior(store: Store, slot: str, year: int, *, outside: tuple[dt.date, dt.date] | None = None,
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


def heavy_counts(store: Store, slot: str, year: int) -> list[tuple[int, str, int]]:
    """(person, heavy kind, days) in the plans of the years before ``year``."""
    return store.conn.execute(
        "SELECT a.person_id, a.heavy, COUNT(*) FROM duty_assignment a JOIN duty_plan p ON p.id = a.plan_id"
        " WHERE p.year < ? AND a.slot = ? AND a.heavy IS NOT NULL GROUP BY a.person_id, a.heavy", (year, slot)).fetchall()


def facts(store: Store, slot: str, year: int, span: tuple[dt.date, dt.date] | None, prior_days: dict[int, int]) -> DutyFacts:
    """What the core needs around the days ``span`` (first, last; None for no days) of a plan."""
    if span is not None:
        away = absences_between(store, *span)
        declared = unavailable_between(store, *span)
    else:
        away, declared = [], {}
    return DutyFacts(people.list_people(store), away, declared, prior_days, heavy_counts(store, slot, year),
                     quotas(store, year, slot))


def year_assignments(store: Store, year: int, slot: str) -> list[tuple[int, int, str, dt.date, str | None]]:
    """(person, plan id, plan label, day, heavy kind) of the year's plans of the slot, by plan start and day."""
    return [(pid, plan_id, label, dt.date.fromisoformat(day), kind) for pid, plan_id, label, day, kind in store.conn.execute(
        "SELECT a.person_id, a.plan_id, p.label, a.day, a.heavy FROM duty_assignment a"
        " JOIN duty_plan p ON p.id = a.plan_id WHERE p.year = ? AND a.slot = ? ORDER BY p.start, a.day", (year, slot))]


# ---------------------------------------------------------------- writing (the SQL of the operations)

def _now(store: Store) -> str:
    return store.clock.now().isoformat(timespec="seconds")


def insert_plan(store: Store, year: int, scope: PlanScope, slot: str, provisional: bool) -> int:
    now = _now(store)
    return insert_id(store,
        'INSERT INTO duty_plan (year, label, start, "end", slot, provisional, created_at, updated_at)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (year, scope.label, scope.start.isoformat(), scope.end.isoformat(), slot, int(provisional), now, now),
    )


def update_plan(store: Store, plan_id: int, year: int, label: str, provisional: bool) -> None:
    """A re-planned plan: its year, label and provisional mark; its version raised."""
    store.conn.execute("UPDATE duty_plan SET year = ?, label = ?, provisional = ?, version = version + 1,"
                       " updated_at = ? WHERE id = ?", (year, label, int(provisional), _now(store), plan_id))


def touch_plan(store: Store, plan_id: int) -> None:
    """Raise the version of a plan whose days changed (some moved to another plan)."""
    store.conn.execute("UPDATE duty_plan SET version = version + 1, updated_at = ? WHERE id = ?", (_now(store), plan_id))


def bump_version(store: Store, plan_id: int, expected_version: int) -> bool:
    """Raise the plan's version if it is still ``expected_version``; False when it moved on."""
    cur = store.conn.execute("UPDATE duty_plan SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                             (_now(store), plan_id, expected_version))
    return cur.rowcount == 1


def delete_plan(store: Store, plan_id: int) -> None:
    store.conn.execute("DELETE FROM duty_plan WHERE id = ?", (plan_id,))


def count_assignments(store: Store, plan_id: int) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM duty_assignment WHERE plan_id = ?", (plan_id,)).fetchone()[0]


def delete_assignments_between(store: Store, slot: str, start: dt.date, end: dt.date) -> None:
    store.conn.execute("DELETE FROM duty_assignment WHERE slot = ? AND day BETWEEN ? AND ?",
                       (slot, start.isoformat(), end.isoformat()))


def delete_plan_assignments(store: Store, plan_id: int) -> None:
    store.conn.execute("DELETE FROM duty_assignment WHERE plan_id = ?", (plan_id,))


def insert_assignments(store: Store, plan_id: int, rows: Iterable[NewRow]) -> None:
    store.conn.executemany(
        "INSERT INTO duty_assignment (plan_id, day, slot, seq, shift, person_id, fixed, note, holiday, heavy,"
        " provisional, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(plan_id, r.date.isoformat(), r.slot, r.seq, r.shift, r.person_id, r.fixed, r.note, r.holiday, r.heavy,
          int(r.provisional), json.dumps(list(r.reasons), ensure_ascii=False)) for r in rows])


def snapshot(store: Store, plan_id: int) -> dict:
    """A small picture of a stored plan for the audit log: date -> names (固定 marked)."""
    return rows_snapshot(load_plan(store, plan_id).rows)


def stale(store: Store, now: PlanInfo, had_version: int) -> ConcurrentEdit:
    """The refusal of a change made on ``had_version`` of a plan that is now at ``now.version``:
    who changed what (the audit rows in between)."""
    return concurrent_edit(store, "duty_plan", now.id, f"“{now.title}”", had_version, now.version,
                           snapshot(store, now.id))


# ---------------------------------------------------------------- printed / exported (m008)

def add_issue(store: Store, plan_id: int, how: str, plan_version: int) -> None:
    """Note that the plan was printed or exported (``how``: print / export) at its version."""
    store.conn.execute("INSERT INTO duty_plan_issue (plan_id, how, at, by, plan_version)"
                       " VALUES (:plan_id, :how, :at, :by, :version)",
                       {"plan_id": plan_id, "how": how, "at": _now(store), "by": store.operator, "version": plan_version})


def issues_of(store: Store, plan_ids: Iterable[int]) -> list[tuple[int, str, str]]:
    """(plan id, how, when) of every print or export of these plans, newest first."""
    ids = sorted(set(plan_ids))
    if not ids:
        return []
    names = {f"p{i}": pid for i, pid in enumerate(ids)}
    return [(r[0], r[1], r[2]) for r in store.conn.execute(
        f"SELECT plan_id, how, at FROM duty_plan_issue WHERE plan_id IN ({', '.join(':' + n for n in names)})"
        " ORDER BY at DESC, id DESC", names)]
