"""People, units, portfolios (分管) and AB pairs (AB角): every write is one audited transaction."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Sequence

from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import NotFound, UserError
from desktop.core.people import Person, PersonDraft, UnitKind, validate_draft
from desktop.core.people_import import ParsedPeople, RowError
from desktop.core.roles import LEADER_ROLES, Role
from desktop.store import audit
from desktop.store.db import Store
from desktop.store.history import concurrent_edit

SINGLE_ROLES = (Role.chief, Role.executive_deputy)
AB_ROLES = LEADER_ROLES - {Role.chief}
_COLUMNS = "id, name, role, title, rank, phone, unit, active, note, version"


# ConcurrentEdit (desktop.core.changes) is the refusal of a stale save; other modules import it from here.


def _person(row: tuple) -> Person:
    pid, name, role, title, rank, phone, unit, active, note, version = row
    return Person(id=pid, name=name, role=Role(role), title=title, rank=rank, phone=phone, unit=unit,
                  active=bool(active), note=note, version=version)


def _snapshot(p: Person) -> dict:
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


# ---------------------------------------------------------------- checks

def _check_single_role(store: Store, role: Role, active: bool, exclude_id: int | None = None) -> None:
    if role not in SINGLE_ROLES or not active:
        return
    row = store.conn.execute(
        "SELECT name FROM person WHERE role = ? AND active = 1 AND id IS NOT ?", (role.value, exclude_id)
    ).fetchone()
    if row:
        raise UserError(f"已有在任的{role.label}“{row[0]}”。同一时间只能有一位{role.label};请先停用此人或修改其角色。")


def _check_name_free(store: Store, name: str, exclude_id: int | None = None) -> None:
    row = store.conn.execute("SELECT id, active FROM person WHERE name = ? AND id IS NOT ?", (name, exclude_id)).fetchone()
    if row:
        state = "" if row[1] else "(已停用)"
        raise UserError(f"已有同名人员“{name}”{state}。同名的两个人请在姓名后加区分,例如“{name}(教育局)”。")


# ---------------------------------------------------------------- writing

def _ensure_unit(store: Store, name: str, kind: str) -> int:
    row = store.conn.execute("SELECT id FROM unit WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    rank = store.conn.execute("SELECT COALESCE(MAX(rank), 0) + 1 FROM unit").fetchone()[0]
    return store.conn.execute("INSERT INTO unit (name, kind, rank) VALUES (?, ?, ?)", (name, kind, rank)).lastrowid


def _unit_kind_for(role: Role) -> str:
    return UnitKind.township if role is Role.township_head else UnitKind.department


def _write_portfolio(store: Store, person_id: int, units: Sequence[str]) -> None:
    store.conn.execute("DELETE FROM portfolio WHERE person_id = ?", (person_id,))
    for name in units:
        kind_row = store.conn.execute("SELECT kind FROM unit WHERE name = ?", (name,)).fetchone()
        unit_id = _ensure_unit(store, name, kind_row[0] if kind_row else UnitKind.department)
        store.conn.execute("INSERT INTO portfolio (person_id, unit_id) VALUES (?, ?)", (person_id, unit_id))


def _link_supervisor(store: Store, person: Person, supervisor_name: str) -> None:
    """Record “X 分管 person's unit” from the head's side (people add --supervisor)."""
    if not supervisor_name:
        return
    if person.role not in (Role.dept_head, Role.township_head):
        raise UserError(f"只有部门或乡镇(街道)主要负责人才设置分管领导;{person.name}是{person.role.label}。")
    if not person.unit:
        raise UserError(f"设置分管领导前请先填写{person.name}所在的单位(例如“教育局”)。")
    supervisor = find_person(store, supervisor_name)
    if supervisor.role not in LEADER_ROLES:
        raise UserError(f"分管领导必须是政府领导;{supervisor.name}是{supervisor.role.label}。")
    unit_id = _ensure_unit(store, person.unit, _unit_kind_for(person.role))
    store.conn.execute("DELETE FROM portfolio WHERE unit_id = ?", (unit_id,))
    store.conn.execute("INSERT INTO portfolio (person_id, unit_id) VALUES (?, ?)", (supervisor.id, unit_id))


def _shift_ranks_from(store: Store, rank: int) -> None:
    store.conn.execute("UPDATE person SET rank = rank + 1 WHERE rank >= ?", (rank,))


def _insert(store: Store, draft: PersonDraft) -> Person:
    _check_name_free(store, draft.name)
    _check_single_role(store, draft.role, draft.active)
    max_rank = store.conn.execute("SELECT COALESCE(MAX(rank), 0) FROM person").fetchone()[0]
    rank = max_rank + 1 if draft.rank is None or draft.rank > max_rank else draft.rank
    if rank <= max_rank:
        _shift_ranks_from(store, rank)
    now = store.clock.now().isoformat(timespec="seconds")
    pid = store.conn.execute(
        "INSERT INTO person (name, role, title, rank, phone, unit, active, note, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (draft.name, draft.role.value, draft.title, rank, draft.phone, draft.unit, int(draft.active), draft.note, now, now),
    ).lastrowid
    person = get_person(store, pid)
    if draft.unit and draft.role in (Role.dept_head, Role.township_head):
        _ensure_unit(store, draft.unit, _unit_kind_for(draft.role))
    if draft.portfolio:
        _write_portfolio(store, pid, draft.portfolio)
    _link_supervisor(store, person, draft.supervisor)
    after = _snapshot(person) | {"portfolio": list(draft.portfolio), "supervisor": draft.supervisor}
    audit.record(store, "add", "person", pid, f"新增人员 {person.name}({person.display_title})", after=after)
    return person


def add_person(store: Store, draft: PersonDraft) -> Person:
    draft = validate_draft(draft)
    with store.atomic():
        return _insert(store, draft)


class ImportRejected(UserError):
    """The import was refused as a whole; `errors` lists every bad row, nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = tuple(errors)
        lines = "\n".join(str(e) for e in self.errors[:50])
        more = f"\n……另有 {len(self.errors) - 50} 处错误" if len(self.errors) > 50 else ""
        super().__init__(f"导入未执行,没有写入任何人员。请修改以下 {len(self.errors)} 处后重新导入:\n{lines}{more}")


def import_people(store: Store, parsed: ParsedPeople, *, skip_rows: Iterable[int] = ()) -> list[Person]:
    """All or nothing: every row is tried, every refusal is reported, and any refusal rolls all back.

    `skip_rows` names sheet rows the user chose to leave out after seeing the report.
    """
    from desktop.store.operators import require

    require(store, "people")  # up front: the per-row savepoints below would list a refusal per row
    skip = set(skip_rows)
    errors = [e for e in parsed.errors if e.row not in skip]
    added: list[Person] = []
    by_name: dict[str, int] = {}
    with store.atomic():
        for draft, row in zip(parsed.drafts, parsed.rows, strict=True):
            if row in skip:
                continue
            try:
                with store.db.atomic():  # a savepoint: a refused row leaves no trace
                    person = _insert(store, draft)
            except UserError as exc:
                errors.append(RowError(row, str(exc)))
                continue
            added.append(person)
            by_name[person.name] = row
        for name, partner, row in parsed.ab:
            if row in skip or name not in by_name:
                continue
            try:
                with store.db.atomic():
                    set_ab(store, find_person(store, name), find_person(store, partner))
            except UserError as exc:
                errors.append(RowError(row, f"AB角:{exc}"))
        if errors:
            raise ImportRejected(sorted(errors, key=lambda e: e.row))
    return added


def update_person(store: Store, person_id: int, draft: PersonDraft, expected_version: int, *,
                  seen: Person | None = None) -> Person:
    """Save the edited person; refused with `ConcurrentEdit` (what changed, by whom) when someone else
    saved it after the user loaded version ``expected_version`` (``seen``: the person as loaded)."""
    draft = validate_draft(draft)
    with store.atomic():
        before = get_person(store, person_id)
        if before.version != expected_version:
            raise _stale(store, before, expected_version, seen, draft)
        _check_name_free(store, draft.name, exclude_id=person_id)
        _check_single_role(store, draft.role, draft.active, exclude_id=person_id)
        if before.role in AB_ROLES and draft.role not in AB_ROLES:
            store.conn.execute("DELETE FROM ab_pair WHERE a_id = ? OR b_id = ?", (person_id, person_id))
        now = store.clock.now().isoformat(timespec="seconds")
        store.conn.execute(
            "UPDATE person SET name = ?, role = ?, title = ?, phone = ?, unit = ?, active = ?, note = ?,"
            " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            (draft.name, draft.role.value, draft.title, draft.phone, draft.unit, int(draft.active), draft.note, now,
             person_id, expected_version),
        )
        if draft.role in LEADER_ROLES:
            _write_portfolio(store, person_id, draft.portfolio)
        else:
            store.conn.execute("DELETE FROM portfolio WHERE person_id = ?", (person_id,))
        after = get_person(store, person_id)
        _link_supervisor(store, after, draft.supervisor)
        audit.record(store, "edit", "person", person_id, f"修改人员 {after.name}",
                     before=_snapshot(before), after=_snapshot(after) | {"portfolio": list(draft.portfolio)})
        return after


def _draft_snapshot(draft: PersonDraft) -> dict:
    return {"name": draft.name, "role": draft.role.value, "title": draft.title, "phone": draft.phone,
            "unit": draft.unit, "note": draft.note, "active": draft.active}


def _stale(store: Store, now: Person, expected_version: int, seen: Person | None, draft: PersonDraft) -> ConcurrentEdit:
    return concurrent_edit(store, "person", now.id, f"“{now.name}”的信息", expected_version, now.version,
                           _snapshot(now), seen=_snapshot(seen) if seen is not None else None,
                           yours=_draft_snapshot(draft))


def set_active(store: Store, person_id: int, active: bool) -> Person:
    """停用/启用: people are never hard-deleted, their history stays readable."""
    with store.atomic():
        before = get_person(store, person_id)
        if before.active == active:
            return before
        _check_single_role(store, before.role, active, exclude_id=person_id)
        if not active:
            store.conn.execute("DELETE FROM ab_pair WHERE a_id = ? OR b_id = ?", (person_id, person_id))
        store.conn.execute("UPDATE person SET active = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           (int(active), store.clock.now().isoformat(timespec="seconds"), person_id))
        after = get_person(store, person_id)
        audit.record(store, "activate" if active else "deactivate", "person", person_id,
                     f"{'启用' if active else '停用'}人员 {after.name}", before=_snapshot(before), after=_snapshot(after))
        return after


def reorder(store: Store, ordered_ids: Sequence[int]) -> None:
    """Give people ranks 1..n in the order given (drag and drop, up/down); others keep their order after."""
    with store.atomic():
        current = [p.id for p in list_people(store)]
        seen = set(ordered_ids)
        if len(seen) != len(ordered_ids) or not seen <= set(current):
            raise UserError("排序列表有重复或未知的人员,请刷新后重试。")
        new_order = list(ordered_ids) + [pid for pid in current if pid not in seen]
        before = {pid: rank for pid, rank in store.conn.execute("SELECT id, rank FROM person")}
        for rank, pid in enumerate(new_order, start=1):
            if before[pid] != rank:
                store.conn.execute("UPDATE person SET rank = ?, version = version + 1 WHERE id = ?", (rank, pid))
        changed = {pid: rank for rank, pid in enumerate(new_order, start=1) if before[pid] != rank}
        if changed:
            audit.record(store, "reorder", "person", None, f"调整排名({len(changed)} 人)",
                         before={str(k): before[k] for k in changed}, after={str(k): v for k, v in changed.items()})


def move(store: Store, person_id: int, delta: int) -> None:
    """Move one person up (delta < 0) or down in the protocol order."""
    ids = [p.id for p in list_people(store)]
    i = ids.index(person_id)
    j = max(0, min(len(ids) - 1, i + delta))
    if i == j:
        return
    ids.insert(j, ids.pop(i))
    reorder(store, ids)


def set_ab(store: Store, a: Person, b: Person) -> None:
    """互为AB角: each person has at most one partner; an earlier pairing of either is replaced."""
    if a.id == b.id:
        raise UserError("AB角必须是两位不同的领导。")
    for p in (a, b):
        if p.role not in AB_ROLES:
            raise UserError(f"{p.name}是{p.role.label},不能设为AB角:AB角在副职等政府领导之间设置。")
        if not p.active:
            raise UserError(f"{p.name}已停用,不能设为AB角。请先启用。")
    low, high = sorted((a.id, b.id))
    with store.atomic():
        old = store.conn.execute(
            "SELECT a_id, b_id FROM ab_pair WHERE a_id IN (?, ?) OR b_id IN (?, ?)", (low, high, low, high)
        ).fetchall()
        store.conn.execute("DELETE FROM ab_pair WHERE a_id IN (?, ?) OR b_id IN (?, ?)", (low, high, low, high))
        store.conn.execute("INSERT INTO ab_pair (a_id, b_id) VALUES (?, ?)", (low, high))
        audit.record(store, "ab_set", "ab_pair", None, f"设置AB角:{a.name} ↔ {b.name}",
                     before=[list(r) for r in old], after=[low, high])


def clear_ab(store: Store, person: Person) -> None:
    with store.atomic():
        old = store.conn.execute("SELECT a_id, b_id FROM ab_pair WHERE a_id = ? OR b_id = ?", (person.id, person.id)).fetchall()
        if not old:
            return
        store.conn.execute("DELETE FROM ab_pair WHERE a_id = ? OR b_id = ?", (person.id, person.id))
        audit.record(store, "ab_clear", "ab_pair", None, f"取消{person.name}的AB角", before=[list(r) for r in old])
