"""Absence records (外出报备/请假) in the database: rows, queries and the writes' SQL (a repository).

The rules live in desktop/core (absence, chain, acting, checks); the changes (add, advance the
chain, return, …) are operations in desktop.ops.absences, which check the rules and write through
this module in one audited transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.core import chain as ch
from desktop.core.absence import Absence, AbsenceState, DisplayState, Half, absence_from_fields
from desktop.core.acting import (
    Designation,
    Override,
    Roster,
)
from desktop.core.errors import NotFound
from desktop.core.people import Person
from desktop.core.profile import Profile, StepAction
from desktop.core.roles import AbsenceKind, Role
from desktop.store import people
from desktop.store.db import Store, insert_id
from desktop.store.history import concurrent_edit

_COLUMNS = ('id, person_id, kind, start, start_half, "end", end_half,' " destination, reason, leaves_jurisdiction,"
            " reported_at, urgent, contact, state, actual_return, actual_return_half, state_note, original_end,"
            " original_end_half, version")
MAX_SPAN_KEY = "max_absence_span_days"


# ---------------------------------------------------------------- mapping

def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


_KINDS = {k.value: k for k in AbsenceKind}
_HALVES = {h.value: h for h in Half}
_STATES = {s.value: s for s in AbsenceState}  # dict look-ups: Enum(value) costs ~1 µs a call, x5 a row
_HALVES_OR_NONE = {None: None, **_HALVES}


class _Dates(dict):
    """ISO text -> date, parsed once per text (a year's rows share a few hundred dates); None and ""
    -> None, as `_d`."""

    def __missing__(self, text: str | None) -> dt.date | None:
        value = self[text] = dt.date.fromisoformat(text) if text else None
        return value


def _row(row: tuple, acting: tuple[int, ...] = (), dates: dict | None = None) -> Absence:
    (rid, pid, kind, start, sh, end, eh, dest, reason, leaves, reported, urgent, contact, state, ret, reth,
     note, oend, oeh, version) = row
    d = dates if dates is not None else _Dates()
    return absence_from_fields({
        "id": rid, "person_id": pid, "kind": _KINDS[kind], "start": d[start], "start_half": _HALVES[sh],
        "end": d[end], "end_half": _HALVES[eh], "destination": dest, "reason": reason,
        "leaves_jurisdiction": bool(leaves),
        "reported_at": dt.datetime.fromisoformat(reported) if reported else None, "urgent": bool(urgent),
        "acting_ids": acting, "contact": contact, "state": _STATES[state], "actual_return": d[ret],
        "actual_return_half": _HALVES[reth], "state_note": note, "original_end": d[oend],
        "original_end_half": _HALVES_OR_NONE[oeh or None], "version": version,
    })


def _values(r: Absence) -> dict:
    return {
        "person_id": r.person_id, "kind": r.kind.value, "start": r.start.isoformat(), "start_half": r.start_half.value,
        "end": r.end.isoformat(), "end_half": r.end_half.value, "destination": r.destination, "reason": r.reason,
        "leaves_jurisdiction": int(r.leaves_jurisdiction),
        "reported_at": r.reported_at.isoformat(timespec="minutes") if r.reported_at else None,
        "urgent": int(r.urgent), "contact": r.contact, "state": r.state.value,
        "actual_return": r.actual_return.isoformat() if r.actual_return else None,
        "actual_return_half": r.actual_return_half.value, "state_note": r.state_note,
        "original_end": r.original_end.isoformat() if r.original_end else None,
        "original_end_half": r.original_end_half.value if r.original_end_half else None,
    }


def snapshot(r: Absence) -> dict:
    return _values(r) | {"acting_ids": list(r.acting_ids), "version": r.version}


def _acting_map(store: Store, ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    out: dict[int, list[int]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for aid, pid in store.conn.execute(
            f"SELECT absence_id, person_id FROM absence_acting WHERE absence_id IN ({','.join('?' * len(part))})", part):
            out.setdefault(aid, []).append(pid)
    return {k: tuple(v) for k, v in out.items()}


def _load(store: Store, sql: str, args: Sequence) -> list[Absence]:
    rows = store.conn.execute(sql, args).fetchall()
    acting = _acting_map(store, [r[0] for r in rows])
    dates = _Dates()
    return [_row(r, acting.get(r[0], ()), dates) for r in rows]


# ---------------------------------------------------------------- reading

def get_absence(store: Store, absence_id: int) -> Absence:
    found = _load(store, f"SELECT {_COLUMNS} FROM absence WHERE id = ?", (absence_id,))
    if not found:
        raise NotFound(f"找不到编号为 {absence_id} 的外出/请假记录。请用 dutydesk absence list 查看编号。")
    return found[0]


def max_span(store: Store) -> int:
    value = store.meta(MAX_SPAN_KEY)
    return int(value) if value else 0


def absences_between(store: Store, start: dt.date, end: dt.date, *, person_id: int | None = None,
                     states: Iterable[AbsenceState] | None = None) -> list[Absence]:
    """Records whose planned or actual span touches [start, end], in start order.

    Spans are bounded by the longest record ever saved (meta), so the index on `start` answers
    the query in a short range even with 200,000 records.
    """
    low = (start - dt.timedelta(days=max_span(store))).isoformat()
    sql = f"SELECT {_COLUMNS} FROM absence WHERE start BETWEEN ? AND ? AND CASE WHEN actual_return > \"end\" THEN actual_return ELSE \"end\" END >= ?"
    args: list = [low, end.isoformat(), start.isoformat()]
    if person_id is not None:
        sql += " AND person_id = ?"
        args.append(person_id)
    if states is not None:
        values = [s.value for s in states]
        sql += f" AND state IN ({','.join('?' * len(values))})"
        args.extend(values)
    return _load(store, sql + " ORDER BY start, id", args)


def list_absences(store: Store, *, start: dt.date | None = None, end: dt.date | None = None,
                  person_id: int | None = None, state: AbsenceState | None = None, limit: int | None = None) -> list[Absence]:
    if start is not None or end is not None:
        return absences_between(store, start or dt.date(2000, 1, 1), end or dt.date(2099, 12, 31), person_id=person_id,
                                states=[state] if state else None)[:limit]
    sql = f"SELECT {_COLUMNS} FROM absence"
    where, args = [], []
    if person_id is not None:
        where.append("person_id = ?")
        args.append(person_id)
    if state is not None:
        where.append("state = ?")
        args.append(state.value)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY start DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return _load(store, sql, args)


_STEP_COLUMNS = ("seq, stage, action, label, target_text, assignee_id, office, substitute_for_id, state, done_by, done_at,"
                 " comment, note")


def steps_of(store: Store, absence_id: int, names: dict[int, str] | None = None) -> list[ch.ResolvedStep]:
    """The stored steps: pending person steps wait for the approver the rules name (chain.plain);
    desktop.ops.absences.steps_today routes them for today.

    Rows written before steps were routed on the day they are done may keep a pending step routed
    on the report date (``substitute_for_id`` set, target "常务副县长 李四(代县长)"): the approver's
    own text is read back from it, so `chain.route` can route it afresh."""
    names = names if names is not None else {p.id: p.name for p in people.list_people(store)}
    return [_step(row, names) for row in store.conn.execute(
        f"SELECT {_STEP_COLUMNS} FROM absence_step WHERE absence_id = ? ORDER BY seq", (absence_id,))]


def _step(row: tuple, names: dict[int, str]) -> ch.ResolvedStep:
    (seq, stage, action, label, target, assignee, office, sub, state, done_by, done_at, comment, note) = row
    return ch.ResolvedStep(
        seq=seq, stage=stage, action=ch.StepAction(action), label=label, target_text=target, assignee_id=assignee,
        office=office, substitute_for_id=sub, state=ch.StepState(state), done_by=done_by,
        done_at=dt.datetime.fromisoformat(done_at) if done_at else None, comment=comment,
        assignee_name=names.get(assignee, "") if assignee else "", substitute_for_name=names.get(sub, "") if sub else "",
        note=note, approver_text=_legacy_approver_text(target) if sub and state == "pending" else "")


def _legacy_approver_text(target: str) -> str:
    """县长 from "常务副县长 李四(代县长)"."""
    _head, sep, rest = target.partition("(代")
    return rest[:-1] if sep and rest.endswith(")") else target


def designations(store: Store) -> list[Designation]:
    absent: dict[int, set[int]] = {}
    for did, pid in store.conn.execute("SELECT designation_id, person_id FROM designation_absent"):
        absent.setdefault(did, set()).add(pid)
    return [Designation(date_from=_d(f), date_to=_d(t), absent_ids=frozenset(absent.get(i, ())), designee_id=d,
                        reason=r, by=by, id=i)
            for i, f, t, d, r, by in store.conn.execute(
                "SELECT id, date_from, date_to, designee_id, reason, by FROM designation ORDER BY id")]


def overrides(store: Store) -> list[Override]:
    return [Override(roles=frozenset(Role(x) for x in roles.split(",")), date_from=_d(f), date_to=_d(t), reason=r, by=by, id=i)
            for i, roles, f, t, r, by in store.conn.execute(
                "SELECT id, roles, date_from, date_to, reason, by FROM warning_override ORDER BY id")]


def roster(store: Store, start: dt.date, end: dt.date) -> Roster:
    # One read of the people for both lists (people.ab_pairs would read them all again): the active
    # ones in (rank, id) order as list_people(active_only=True) gives them, and the AB pairs as
    # people.ab_pairs orders them (higher-ranked partner first, by that partner's rank).
    everyone = people.list_people(store)
    rank = {p.id: p.rank for p in everyone}
    pairs = [(a, b) if rank[a] <= rank[b] else (b, a) for a, b in store.conn.execute("SELECT a_id, b_id FROM ab_pair")]
    pairs.sort(key=lambda ab: rank[ab[0]])
    return Roster(
        people=[p for p in everyone if p.active],
        ab_pairs=pairs,
        absences=absences_between(store, start, end),
        designations=designations(store),
        overrides=overrides(store),
    )


def directory(store: Store, profile: Profile, day: dt.date) -> ch.RosterDirectory:
    return ch.RosterDirectory(profile, roster(store, day, day), people.portfolios(store))


# ------------------------------------------------------------------------------------------
# The list's queries: ids of a filtered view, then rows by id (a lazy model's two reads)
# ------------------------------------------------------------------------------------------

_GRANTED = ("approved", "submitted")

#: Records that may still have pending steps: in approval, or returned (销假) before the office
#: filed or notified it (desktop.core.absence.mark_returned).
_OPEN_CHAIN = "a.state IN ('in_progress', 'returned')"


@dataclass(frozen=True)
class AbsenceQuery:
    """What the list shows. Every field narrows the list; None / "" means no filter."""

    person_id: int | None = None
    kind: AbsenceKind | None = None
    state: DisplayState | None = None  # derived 外出中 / 逾期未销假 included
    month: tuple[int, int] | None = None  # (year, month): records touching that month
    text: str = ""  # in the name, the destination or the reason
    #: (target_text, action) as stored: waiting now for that step of the approver the rules name
    #: (desktop.ops.absences.pending gives each 待办 row its key and its text routed for today).
    pending: tuple[str, StepAction] | None = None
    #: Only the records of the heads of this unit (what a 单位录入员 sees, desktop.ops.scope).
    unit: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _state_clause(state: DisplayState, today: str) -> tuple[str, list]:
    """SQL for a displayed state, exactly as `effective_state` derives it from today's date."""
    granted = "a.state IN ('approved', 'submitted')"
    if state is DisplayState.underway:
        return f'{granted} AND a.start <= ? AND a."end" >= ?', [today, today]
    if state is DisplayState.overdue_return:
        return f'{granted} AND a."end" < ?', [today]
    if state.value in _GRANTED:
        return "a.state = ? AND a.start > ?", [state.value, today]
    return "a.state = ?", [state.value]


def absence_ids(store: Store, query: AbsenceQuery, today: dt.date) -> list[int]:
    """The ids of the matching records, newest start first (one SELECT on indexed columns)."""
    where: list[str] = []
    args: list = []
    if query.person_id is not None:
        where.append("a.person_id = ?")
        args.append(query.person_id)
    if query.unit is not None:
        where.append("a.person_id IN (SELECT id FROM person WHERE unit = ?)")
        args.append(query.unit)
    if query.kind is not None:
        where.append("a.kind = ?")
        args.append(query.kind.value)
    if query.state is not None:
        clause, more = _state_clause(query.state, today.isoformat())
        where.append(clause)
        args += more
    if query.month is not None:
        year, month = query.month
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        # Spans are bounded by the longest record saved (meta), so `start` (indexed) narrows first.
        low = first - dt.timedelta(days=max_span(store))
        where.append('a.start BETWEEN ? AND ? AND CASE WHEN a.actual_return > a."end" THEN a.actual_return ELSE a."end" END >= ?')
        args += [low.isoformat(), last.isoformat(), first.isoformat()]
    text = query.text.strip()
    if text:
        like = _like(text)
        # lower(): SQLite's LIKE ignores the case of Latin letters, PostgreSQL's does not; both alike so.
        where.append("(a.person_id IN (SELECT id FROM person WHERE lower(name) LIKE lower(?) ESCAPE '\\')"
                     " OR lower(a.destination) LIKE lower(?) ESCAPE '\\' OR lower(a.reason) LIKE lower(?) ESCAPE '\\')")
        args += [like, like, like]
    if query.pending is not None:
        target, action = query.pending
        where.append(
            f"{_OPEN_CHAIN} AND a.id IN (SELECT s.absence_id FROM absence_step s"
            " WHERE s.state = 'pending' AND s.target_text = ? AND s.action = ?"
            " AND s.stage = (SELECT MIN(t.stage) FROM absence_step t"
            " WHERE t.absence_id = s.absence_id AND t.state = 'pending'))")
        args += [target, action.value]
    sql = "SELECT a.id FROM absence a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.start DESC, a.id DESC"
    return [row[0] for row in store.conn.execute(sql, args)]


def absences_by_ids(store: Store, ids: Sequence[int]) -> dict[int, Absence]:
    """The records with these ids (at most 500 per SELECT); missing ids are left out."""
    out: dict[int, Absence] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        marks = ",".join("?" * len(part))
        for record in _load(store, f"SELECT {_COLUMNS} FROM absence WHERE id IN ({marks})", part):
            out[record.id] = record
    return out



# ---------------------------------------------------------------- writing

def _bump_max_span(store: Store, r: Absence) -> None:
    last = max(r.end, r.actual_return or r.end)
    span = (last - r.start).days
    if span > max_span(store):
        store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           (MAX_SPAN_KEY, str(span)))


def _write_steps(store: Store, absence_id: int, steps: Sequence[ch.ResolvedStep]) -> None:
    store.conn.execute("DELETE FROM absence_step WHERE absence_id = ?", (absence_id,))
    store.conn.executemany(
        "INSERT INTO absence_step (absence_id, seq, stage, action, label, target_text, assignee_id, office,"
        " substitute_for_id, state, done_by, done_at, comment, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(absence_id, s.seq, s.stage, s.action.value, s.label, s.target_text, s.assignee_id, s.office, s.substitute_for_id,
          s.state.value, s.done_by, s.done_at.isoformat(timespec="seconds") if s.done_at else None, s.comment, s.note)
         for s in steps])


def update_absence(store: Store, r: Absence, expected_version: int) -> Absence:
    """Write `r` over the stored row if that row is still at `expected_version` (else ConcurrentEdit);
    the version goes up by one. Call inside the operation's transaction."""
    values = _values(r)
    sets = ", ".join(f'"{k}" = ?' for k in values)
    cur = store.conn.execute(
        f"UPDATE absence SET {sets}, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        [*values.values(), store.clock.now().isoformat(timespec="seconds"), r.id, expected_version])
    if cur.rowcount != 1:
        raise stale(store, get_absence(store, r.id), expected_version)
    _bump_max_span(store, r)
    return get_absence(store, r.id)


def insert_absence(store: Store, r: Absence) -> int:
    """A new row (as a draft) with its acting people; its id."""
    now = store.clock.now().isoformat(timespec="seconds")
    values = _values(dataclasses.replace(r, state=AbsenceState.draft))
    cols = ", ".join(f'"{k}"' for k in values)
    rid = insert_id(store,
        f"INSERT INTO absence ({cols}, created_at, updated_at) VALUES ({', '.join('?' * len(values))}, ?, ?)",
        [*values.values(), now, now])
    store.conn.executemany("INSERT INTO absence_acting (absence_id, person_id) VALUES (?, ?)",
                           [(rid, pid) for pid in dict.fromkeys(r.acting_ids)])
    _bump_max_span(store, r)
    return rid


def write_steps(store: Store, absence_id: int, steps: Sequence[ch.ResolvedStep]) -> None:
    _write_steps(store, absence_id, steps)


def insert_designation(store: Store, d: Designation) -> int:
    did = insert_id(store,
        "INSERT INTO designation (date_from, date_to, designee_id, reason, by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (d.date_from.isoformat(), d.date_to.isoformat(), d.designee_id, d.reason, store.operator,
         store.clock.now().isoformat(timespec="seconds")))
    store.conn.executemany("INSERT INTO designation_absent (designation_id, person_id) VALUES (?, ?)",
                           [(did, pid) for pid in sorted(d.absent_ids)])
    return did


def insert_override(store: Store, o: Override) -> int:
    return insert_id(store,
        "INSERT INTO warning_override (roles, date_from, date_to, reason, by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (",".join(sorted(r.value for r in o.roles)), o.date_from.isoformat(), o.date_to.isoformat(), o.reason,
         store.operator, store.clock.now().isoformat(timespec="seconds")))


def stale(store: Store, now: Absence, had_version: int, seen: Absence | None = None,
          yours: dict | None = None) -> people.ConcurrentEdit:
    """The refusal of a save over a newer version: what changed, by whom (the audit rows)."""
    title = f"编号 {now.id} 的记录({label(store, now)})"
    return concurrent_edit(store, "absence", now.id, title, had_version, now.version, snapshot(now),
                           seen=snapshot(seen) if seen is not None else None, yours=yours)


def label(store: Store, r: Absence) -> str:
    person = people.get_person(store, r.person_id)
    return f"{person.name} {r.kind.label} {r.span_text}"


def pending_steps(store: Store) -> list[tuple[int, int, ch.ResolvedStep]]:
    """(record id, requester id, step) for each pending step of each record's current stage, as
    stored (waiting for the approver the rules name): desktop.ops.absences.pending routes them for
    today and counts them (“等待 县长 批准:3”)."""
    names = {p.id: p.name for p in people.list_people(store)}
    columns = ", ".join(f"s.{c.strip()}" for c in _STEP_COLUMNS.split(","))
    rows = store.conn.execute(
        f"SELECT s.absence_id, a.person_id, {columns} FROM absence_step s JOIN absence a ON a.id = s.absence_id"
        f" WHERE {_OPEN_CHAIN} AND s.state = 'pending'"
        " AND s.stage = (SELECT MIN(t.stage) FROM absence_step t WHERE t.absence_id = s.absence_id AND t.state = 'pending')"
        " ORDER BY s.absence_id, s.seq")
    return [(row[0], row[1], _step(row[2:], names)) for row in rows]


def person_map(store: Store) -> dict[int, Person]:
    return {p.id: p for p in people.list_people(store)}
