"""Departments' holiday duty rosters (部门节假日值班表) in the database: rows, queries and the writes' SQL.

One roster per unit (a department or township of the unit table) and holiday block, keyed by the
block's first day; its lines are the days' 带班领导 and 值班员 with phones (desktop.core.dept_roster).
The changes (enter a day, import a unit's file) are operations in desktop.ops.dept_rosters.
Every statement here uses named parameters and portable SQL (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.dept_roster import DutyLine
from desktop.core.errors import NotFound
from desktop.store.db import Store, insert_id


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str  # department | township
    rank: int

    @property
    def kind_label(self) -> str:
        return "乡镇(街道)" if self.kind == "township" else "部门"


@dataclass(frozen=True)
class DeptRoster:
    id: int
    unit: Unit
    year: int
    holiday: str
    start: dt.date
    end: dt.date
    source: str  # entered | imported
    version: int
    updated_at: str
    lines: tuple[DutyLine, ...]

    def on(self, day: dt.date) -> list[DutyLine]:
        return [line for line in self.lines if line.day == day]


_UNIT_ORDER = "CASE u.kind WHEN 'department' THEN 0 ELSE 1 END, u.rank, u.name"


def units(store: Store) -> list[Unit]:
    """Every unit that keeps a roster: the departments, then the townships (by rank, then name)."""
    return [Unit(*row) for row in store.conn.execute(
        f"SELECT u.id, u.name, u.kind, u.rank FROM unit u ORDER BY {_UNIT_ORDER}", {})]


def find_unit(store: Store, name: str) -> Unit | None:
    row = store.conn.execute("SELECT id, name, kind, rank FROM unit WHERE name = :name",
                             {"name": name.strip()}).fetchone()
    return Unit(*row) if row else None


def _lines(store: Store, ids: Sequence[int]) -> dict[int, list[DutyLine]]:
    out: dict[int, list[DutyLine]] = {i: [] for i in ids}
    for start in range(0, len(ids), 400):
        part = list(ids[start:start + 400])
        marks = ", ".join(f":i{n}" for n in range(len(part)))
        for rid, day, slot, seq, name, title, phone in store.conn.execute(
                "SELECT roster_id, day, slot, seq, name, title, phone FROM dept_roster_entry"
                f" WHERE roster_id IN ({marks}) ORDER BY roster_id, day, CASE slot WHEN 'leader' THEN 0 ELSE 1 END, seq",
                {f"i{n}": v for n, v in enumerate(part)}):
            out[rid].append(DutyLine(dt.date.fromisoformat(day), slot, name, phone, title, seq))
    return out


_SELECT = ('SELECT r.id, u.id, u.name, u.kind, u.rank, r.year, r.holiday, r.start, r."end", r.source, r.version,'
           " r.updated_at FROM dept_roster r JOIN unit u ON u.id = r.unit_id")


def _rosters(store: Store, where: str, params: dict) -> list[DeptRoster]:
    rows = store.conn.execute(f"{_SELECT} WHERE {where} ORDER BY {_UNIT_ORDER}", params).fetchall()
    lines = _lines(store, [r[0] for r in rows])
    return [DeptRoster(r[0], Unit(r[1], r[2], r[3], r[4]), r[5], r[6], dt.date.fromisoformat(r[7]),
                       dt.date.fromisoformat(r[8]), r[9], r[10], r[11], tuple(lines[r[0]])) for r in rows]


def rosters_for(store: Store, start: dt.date, unit: str | None = None) -> list[DeptRoster]:
    """The rosters of the holiday block starting on `start` (of one unit's only, when given)."""
    if unit is None:
        return _rosters(store, "r.start = :start", {"start": start.isoformat()})
    return _rosters(store, "r.start = :start AND u.name = :unit", {"start": start.isoformat(), "unit": unit})


def find(store: Store, unit_id: int, start: dt.date) -> DeptRoster | None:
    found = _rosters(store, "r.unit_id = :unit_id AND r.start = :start", {"unit_id": unit_id, "start": start.isoformat()})
    return found[0] if found else None


def get(store: Store, roster_id: int) -> DeptRoster:
    found = _rosters(store, "r.id = :id", {"id": roster_id})
    if not found:
        raise NotFound(f"没有编号为 {roster_id} 的部门值班表。")
    return found[0]


def unit_of_roster(store: Store, roster_id: int) -> str:
    return get(store, roster_id).unit.name


def snapshot(roster: DeptRoster) -> dict:
    return {"unit": roster.unit.name, "holiday": f"{roster.year}年{roster.holiday}",
            "days": sorted({line.day.isoformat() for line in roster.lines}),
            "lines": [f"{line.day.isoformat()} {'带班' if line.slot == 'leader' else '值班'} {line.name} {line.phone}"
                      for line in roster.lines]}


# ---------------------------------------------------------------- the writes' SQL

def insert_roster(store: Store, unit_id: int, year: int, holiday: str, start: dt.date, end: dt.date,
                  source: str) -> int:
    now = store.clock.now().isoformat(timespec="seconds")
    return insert_id(store,
        'INSERT INTO dept_roster (unit_id, year, holiday, start, "end", source, created_at, updated_at)'
        " VALUES (:unit_id, :year, :holiday, :start, :end, :source, :now, :now)",
        {"unit_id": unit_id, "year": year, "holiday": holiday, "start": start.isoformat(), "end": end.isoformat(),
         "source": source, "now": now})


def touch_roster(store: Store, roster_id: int, source: str) -> None:
    store.conn.execute("UPDATE dept_roster SET source = :source, version = version + 1, updated_at = :now"
                       " WHERE id = :id", {"source": source, "now": store.clock.now().isoformat(timespec="seconds"),
                                           "id": roster_id})


def delete_lines(store: Store, roster_id: int, day: dt.date | None = None) -> None:
    """The lines of one day of the roster, or all of them."""
    if day is None:
        store.conn.execute("DELETE FROM dept_roster_entry WHERE roster_id = :id", {"id": roster_id})
    else:
        store.conn.execute("DELETE FROM dept_roster_entry WHERE roster_id = :id AND day = :day",
                           {"id": roster_id, "day": day.isoformat()})


def insert_lines(store: Store, roster_id: int, lines: Sequence[DutyLine]) -> None:
    store.conn.executemany(
        "INSERT INTO dept_roster_entry (roster_id, day, slot, seq, name, title, phone)"
        " VALUES (:roster_id, :day, :slot, :seq, :name, :title, :phone)",
        [{"roster_id": roster_id, "day": line.day.isoformat(), "slot": line.slot, "seq": line.seq,
          "name": line.name, "title": line.title, "phone": line.phone} for line in lines])
