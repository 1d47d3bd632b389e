"""People, units, portfolios (分管) and AB pairs (AB角) in the database: rows, queries and the writes' SQL.

A repository: the rules (one 市长 at a time, unique names, who may be an AB partner) and the audit
rows are in the operations of desktop.ops.people, which write through this module in one transaction.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Sequence

from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import NotFound
from desktop.core.people import Person, PersonDraft, UnitKind
from desktop.core.roles import LEADER_ROLES, Role
from desktop.store.db import Store, insert_id
from desktop.store.history import concurrent_edit

SINGLE_ROLES = (Role.chief, Role.executive_deputy)
AB_ROLES = LEADER_ROLES - {Role.chief}
_COLUMNS = "id, name, role, title, rank, phone, unit, active, note, version"


# ConcurrentEdit (desktop.core.changes) is the refusal of a stale save; other modules import it from here.


def _person(row: tuple) -> Person:
    pid, name, role, title, rank, phone, unit, active, note, version = row
    return Person(id=pid, name=name, role=Role(role), title=title, rank=rank, phone=phone, unit=unit,
                  active=bool(active), note=note, version=version)


def snapshot(p: Person) -> dict:
    d = dataclasses.asdict(p)
    d["role"] = p.role.value
    return d


# ---------------------------------------------------------------- reading

def list_people(store: Store, *, active_only: bool = False, roles: Iterable[Role] | None = None) -> list[Person]:
    sql = f"SELECT {_COLUMNS} FROM person"
    where, args = [], []
    if active_only:
        where.append("active = 1")
    if roles is not None:
        role_list = [r.value for r in roles]
        where.append(f"role IN ({','.join('?' * len(role_list))})")
        args.extend(role_list)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY rank, id"
    return [_person(r) for r in store.conn.execute(sql, args)]


def get_person(store: Store, person_id: int) -> Person:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM person WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {person_id} 的人员,可能已被其他人修改。请刷新后重试。")
    return _person(row)


def find_person(store: Store, name: str) -> Person:
    """By exact name; the error suggests close names (a typo is the usual cause)."""
    key = name.strip()
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM person WHERE name = ?", (key,)).fetchone()
    if row is not None:
        return _person(row)
    names = [r[0] for r in store.conn.execute("SELECT name FROM person")]
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.3)
    hint = f"是不是:{'、'.join(close)}?" if close else "请先用“人员”页面或 dutydesk people add 添加此人。"
    raise NotFound(f"找不到人员“{key}”。{hint}")


def portfolio_of(store: Store, person_id: int) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT u.name FROM portfolio p JOIN unit u ON u.id = p.unit_id WHERE p.person_id = ? ORDER BY u.rank, u.id",
        (person_id,))]


def portfolios(store: Store) -> dict[int, list[str]]:
    """Every leader's 分管 units at once: person id -> unit names in unit order."""
    out: dict[int, list[str]] = {}
    for pid, unit in store.conn.execute(
            "SELECT p.person_id, u.name FROM portfolio p JOIN unit u ON u.id = p.unit_id ORDER BY u.rank, u.id"):
        out.setdefault(pid, []).append(unit)
    return out


def supervisors(store: Store) -> dict[str, str]:
    """Unit name -> the name of its 分管领导 (the highest-ranked active leader holding it), all at once."""
    out: dict[str, str] = {}
    for unit, name in store.conn.execute(
            "SELECT u.name, p.name FROM portfolio f JOIN unit u ON u.id = f.unit_id JOIN person p ON p.id = f.person_id"
            " WHERE p.active = 1 ORDER BY p.rank"):
        out.setdefault(unit, name)
    return out


def supervisor_of_unit(store: Store, unit_name: str) -> Person | None:
    """The active leader whose portfolio covers `unit_name` (分管领导), highest rank first."""
    row = store.conn.execute(
        f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} FROM person p"
        " JOIN portfolio f ON f.person_id = p.id JOIN unit u ON u.id = f.unit_id"
        " WHERE u.name = ? AND p.active = 1 ORDER BY p.rank LIMIT 1",
        (unit_name,),
    ).fetchone()
    return _person(row) if row else None


def list_units(store: Store) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in store.conn.execute("SELECT name, kind FROM unit ORDER BY rank, id")]


def ab_partner(store: Store, person_id: int) -> Person | None:
    row = store.conn.execute(
        "SELECT CASE WHEN a_id = ? THEN b_id ELSE a_id END FROM ab_pair WHERE a_id = ? OR b_id = ?",
        (person_id, person_id, person_id),
    ).fetchone()
    return get_person(store, row[0]) if row else None


def ab_pairs(store: Store) -> list[tuple[Person, Person]]:
    people = {p.id: p for p in list_people(store)}
    pairs = [(people[a], people[b]) for a, b in store.conn.execute("SELECT a_id, b_id FROM ab_pair")]
    pairs = [(a, b) if a.rank <= b.rank else (b, a) for a, b in pairs]
    return sorted(pairs, key=lambda ab: ab[0].rank)


# ---------------------------------------------------------------- queries the rules ask

def active_holder(store: Store, role: Role, exclude_id: int | None = None) -> str | None:
    """The name of an active person with `role` other than `exclude_id` (None: nobody)."""
    row = store.conn.execute("SELECT name FROM person WHERE role = ? AND active = 1 AND id <> COALESCE(?, 0)",
                             (role.value, exclude_id)).fetchone()
    return row[0] if row else None


def name_holder(store: Store, name: str, exclude_id: int | None = None) -> tuple[int, bool] | None:
    """(id, active) of another person named `name` (None: the name is free)."""
    row = store.conn.execute("SELECT id, active FROM person WHERE name = ? AND id <> COALESCE(?, 0)", (name, exclude_id)).fetchone()
    return (row[0], bool(row[1])) if row else None


def max_rank(store: Store) -> int:
    return store.conn.execute("SELECT COALESCE(MAX(rank), 0) FROM person").fetchone()[0]


def ranks(store: Store) -> dict[int, int]:
    return {pid: rank for pid, rank in store.conn.execute("SELECT id, rank FROM person")}


def ab_rows_of(store: Store, *person_ids: int) -> list[list[int]]:
    """The AB pair rows naming any of `person_ids`, as [a_id, b_id]."""
    marks = ",".join("?" * len(person_ids))
    return [list(r) for r in store.conn.execute(
        f"SELECT a_id, b_id FROM ab_pair WHERE a_id IN ({marks}) OR b_id IN ({marks})", (*person_ids, *person_ids))]


# ---------------------------------------------------------------- the writes' SQL

def ensure_unit(store: Store, name: str, kind: str) -> int:
    """The unit's id, inserting it (last in order) when new."""
    row = store.conn.execute("SELECT id FROM unit WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    rank = store.conn.execute("SELECT COALESCE(MAX(rank), 0) + 1 FROM unit").fetchone()[0]
    return insert_id(store, "INSERT INTO unit (name, kind, rank) VALUES (?, ?, ?)", (name, kind, rank))


def unit_kind_for(role: Role) -> str:
    return UnitKind.township if role is Role.township_head else UnitKind.department


def write_portfolio(store: Store, person_id: int, units: Sequence[str]) -> None:
    """The person's 分管 units become `units` (units not known yet are added as departments)."""
    store.conn.execute("DELETE FROM portfolio WHERE person_id = ?", (person_id,))
    for name in units:
        kind_row = store.conn.execute("SELECT kind FROM unit WHERE name = ?", (name,)).fetchone()
        unit_id = ensure_unit(store, name, kind_row[0] if kind_row else UnitKind.department)
        store.conn.execute("INSERT INTO portfolio (person_id, unit_id) VALUES (?, ?)", (person_id, unit_id))


def set_unit_supervisor(store: Store, unit_id: int, person_id: int) -> None:
    """The unit's one 分管领导 becomes `person_id`."""
    store.conn.execute("DELETE FROM portfolio WHERE unit_id = ?", (unit_id,))
    store.conn.execute("INSERT INTO portfolio (person_id, unit_id) VALUES (?, ?)", (person_id, unit_id))


def insert_person(store: Store, draft: PersonDraft, rank: int) -> int:
    """A new person at `rank`; those at `rank` and below move one down."""
    store.conn.execute("UPDATE person SET rank = rank + 1 WHERE rank >= ?", (rank,))
    now = store.clock.now().isoformat(timespec="seconds")
    return insert_id(store,
        "INSERT INTO person (name, role, title, rank, phone, unit, active, note, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (draft.name, draft.role.value, draft.title, rank, draft.phone, draft.unit, int(draft.active), draft.note, now, now),
    )


def update_person(store: Store, person_id: int, draft: PersonDraft, expected_version: int) -> bool:
    """Write the draft's fields and bump the version; False when the version was not `expected_version`."""
    now = store.clock.now().isoformat(timespec="seconds")
    return store.conn.execute(
        "UPDATE person SET name = ?, role = ?, title = ?, phone = ?, unit = ?, active = ?, note = ?,"
        " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        (draft.name, draft.role.value, draft.title, draft.phone, draft.unit, int(draft.active), draft.note, now,
         person_id, expected_version),
    ).rowcount == 1


def set_person_active(store: Store, person_id: int, active: bool) -> None:
    store.conn.execute("UPDATE person SET active = ?, version = version + 1, updated_at = ? WHERE id = ?",
                       (int(active), store.clock.now().isoformat(timespec="seconds"), person_id))


def set_rank(store: Store, person_id: int, rank: int) -> None:
    store.conn.execute("UPDATE person SET rank = ?, version = version + 1 WHERE id = ?", (rank, person_id))


def clear_portfolio(store: Store, person_id: int) -> None:
    store.conn.execute("DELETE FROM portfolio WHERE person_id = ?", (person_id,))


def delete_ab_of(store: Store, *person_ids: int) -> None:
    marks = ",".join("?" * len(person_ids))
    store.conn.execute(f"DELETE FROM ab_pair WHERE a_id IN ({marks}) OR b_id IN ({marks})", (*person_ids, *person_ids))


def insert_ab(store: Store, low: int, high: int) -> None:
    store.conn.execute("INSERT INTO ab_pair (a_id, b_id) VALUES (?, ?)", (low, high))


# ---------------------------------------------------------------- the refusal of a stale save

def draft_snapshot(draft: PersonDraft) -> dict:
    return {"name": draft.name, "role": draft.role.value, "title": draft.title, "phone": draft.phone,
            "unit": draft.unit, "note": draft.note, "active": draft.active}


def stale(store: Store, now: Person, expected_version: int, seen: Person | None, draft: PersonDraft) -> ConcurrentEdit:
    return concurrent_edit(store, "person", now.id, f"“{now.name}”的信息", expected_version, now.version,
                           snapshot(now), seen=snapshot(seen) if seen is not None else None,
                           yours=draft_snapshot(draft))
