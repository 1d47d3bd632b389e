"""Operations on people (人员), their 分管 units and AB pairs (AB角): add, import, edit, 停用/启用,
the protocol order, and the pairs.

Each is one transaction (desktop.ops.base): the rules (one 市长 and one 常务副市长 at a time, unique
names, who may be an AB partner, the version the user saw) are checked under the write lock, so two
secretaries saving at once never both pass a check only one of them may pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from desktop.core.access import Permission
from desktop.core.errors import UserError
from desktop.core.people import Person, PersonDraft, validate_draft
from desktop.core.people_import import ParsedPeople, RowError
from desktop.core.roles import LEADER_ROLES, Role
from desktop.ops.base import Entity, Tx, operation
from desktop.store import people as rows
from desktop.store.db import Store

# Units are written as part of a person (the unit of a 主要负责人, the units of a portfolio): the
# change is the person's (Entity.person), which every page showing units listens for too.

# ---------------------------------------------------------------- the rules (inside the transaction)


def _check_single_role(store: Store, role: Role, active: bool, exclude_id: int | None = None) -> None:
    if role not in rows.SINGLE_ROLES or not active:
        return
    holder = rows.active_holder(store, role, exclude_id)
    if holder:
        raise UserError(f"已有在任的{role.label}“{holder}”。同一时间只能有一位{role.label};请先停用此人或修改其角色。")


def _check_name_free(store: Store, name: str, exclude_id: int | None = None) -> None:
    holder = rows.name_holder(store, name, exclude_id)
    if holder:
        state = "" if holder[1] else "(已停用)"
        raise UserError(f"已有同名人员“{name}”{state}。同名的两个人请在姓名后加区分,例如“{name}(教育局)”。")


def _link_supervisor(tx: Tx, person: Person, supervisor_name: str) -> None:
    """Record “X 分管 person's unit” from the head's side (people add --supervisor)."""
    if not supervisor_name:
        return
    if person.role not in (Role.dept_head, Role.township_head):
        raise UserError(f"只有部门或乡镇(街道)主要负责人才设置分管领导;{person.name}是{person.role.label}。")
    if not person.unit:
        raise UserError(f"设置分管领导前请先填写{person.name}所在的单位(例如“教育局”)。")
    supervisor = rows.find_person(tx.store, supervisor_name)
    if supervisor.role not in LEADER_ROLES:
        raise UserError(f"分管领导必须是政府领导;{supervisor.name}是{supervisor.role.label}。")
    unit_id = rows.ensure_unit(tx.store, person.unit, rows.unit_kind_for(person.role))
    rows.set_unit_supervisor(tx.store, unit_id, supervisor.id)


def _insert(tx: Tx, draft: PersonDraft) -> Person:
    store = tx.store
    _check_name_free(store, draft.name)
    _check_single_role(store, draft.role, draft.active)
    last = rows.max_rank(store)
    rank = last + 1 if draft.rank is None or draft.rank > last else draft.rank
    pid = rows.insert_person(store, draft, rank)
    person = rows.get_person(store, pid)
    if draft.unit and draft.role in (Role.dept_head, Role.township_head):
        rows.ensure_unit(tx.store, draft.unit, rows.unit_kind_for(draft.role))
    if draft.portfolio:
        rows.write_portfolio(tx.store, pid, draft.portfolio)
    _link_supervisor(tx, person, draft.supervisor)
    after = rows.snapshot(person) | {"portfolio": list(draft.portfolio), "supervisor": draft.supervisor}
    tx.audit("add", Entity.person, pid, f"新增人员 {person.name}({person.display_title})", after=after)
    return person


# ---------------------------------------------------------------- operations

@operation(Permission.people)
def add_person(tx: Tx, draft: PersonDraft) -> Person:
    return _insert(tx, validate_draft(draft))


class ImportRejected(UserError):
    """The import was refused as a whole; `errors` lists every bad row, nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = tuple(errors)
        lines = "\n".join(str(e) for e in self.errors[:50])
        more = f"\n……另有 {len(self.errors) - 50} 处错误" if len(self.errors) > 50 else ""
        super().__init__(f"导入未执行,没有写入任何人员。请修改以下 {len(self.errors)} 处后重新导入:\n{lines}{more}")


@operation(Permission.people)
def import_people(tx: Tx, parsed: ParsedPeople, *, skip_rows: Iterable[int] = ()) -> list[Person]:
    """All or nothing: every row is tried, every refusal is reported, and any refusal rolls all back.

    `skip_rows` names sheet rows the user chose to leave out after seeing the report. The
    permission is checked once, at the entry (not once per row)."""
    store = tx.store
    skip = set(skip_rows)
    errors = [e for e in parsed.errors if e.row not in skip]
    added: list[Person] = []
    by_name: dict[str, int] = {}
    for draft, row in zip(parsed.drafts, parsed.rows, strict=True):
        if row in skip:
            continue
        try:
            with store.atomic():  # a savepoint: a refused row leaves no trace
                person = _insert(tx, draft)
        except UserError as exc:
            errors.append(RowError(row, str(exc)))
            continue
        added.append(person)
        by_name[person.name] = row
    for name, partner, row in parsed.ab:
        if row in skip or name not in by_name:
            continue
        try:  # a nested operation: a savepoint of this transaction
            set_ab(store, rows.find_person(store, name), rows.find_person(store, partner))
        except UserError as exc:
            errors.append(RowError(row, f"AB角:{exc}"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    return added


@operation(Permission.people)
def update_person(tx: Tx, person_id: int, draft: PersonDraft, expected_version: int, *,
                  seen: Person | None = None) -> Person:
    """Save the edited person; refused with `ConcurrentEdit` (what changed, by whom) when someone else
    saved it after the user loaded version ``expected_version`` (``seen``: the person as loaded)."""
    store = tx.store
    draft = validate_draft(draft)
    before = rows.get_person(store, person_id)
    if before.version != expected_version:
        raise rows.stale(store, before, expected_version, seen, draft)
    _check_name_free(store, draft.name, exclude_id=person_id)
    _check_single_role(store, draft.role, draft.active, exclude_id=person_id)
    if before.role in rows.AB_ROLES and draft.role not in rows.AB_ROLES and rows.ab_rows_of(store, person_id):
        rows.delete_ab_of(store, person_id)
        tx.touch(Entity.ab_pair)
    if not rows.update_person(store, person_id, draft, expected_version):
        raise rows.stale(store, rows.get_person(store, person_id), expected_version, seen, draft)
    if draft.role in LEADER_ROLES:
        rows.write_portfolio(tx.store, person_id, draft.portfolio)
    else:
        rows.clear_portfolio(store, person_id)
    after = rows.get_person(store, person_id)
    _link_supervisor(tx, after, draft.supervisor)
    tx.audit("edit", Entity.person, person_id, f"修改人员 {after.name}",
             before=rows.snapshot(before), after=rows.snapshot(after) | {"portfolio": list(draft.portfolio)})
    return after


@operation(Permission.people)
def set_active(tx: Tx, person_id: int, active: bool) -> Person:
    """停用/启用: people are never hard-deleted, their history stays readable."""
    store = tx.store
    before = rows.get_person(store, person_id)
    if before.active == active:
        return before
    _check_single_role(store, before.role, active, exclude_id=person_id)
    if not active and rows.ab_rows_of(store, person_id):
        rows.delete_ab_of(store, person_id)
        tx.touch(Entity.ab_pair)
    rows.set_person_active(store, person_id, active)
    after = rows.get_person(store, person_id)
    tx.audit("activate" if active else "deactivate", Entity.person, person_id,
             f"{'启用' if active else '停用'}人员 {after.name}", before=rows.snapshot(before), after=rows.snapshot(after))
    return after


@operation(Permission.people)
def reorder(tx: Tx, ordered_ids: Sequence[int]) -> None:
    """Give people ranks 1..n in the order given (drag and drop, up/down); others keep their order after.

    Every person whose rank changes gets a new version: an edit saved over the old one is refused."""
    store = tx.store
    current = [p.id for p in rows.list_people(store)]
    seen = set(ordered_ids)
    if len(seen) != len(ordered_ids) or not seen <= set(current):
        raise UserError("排序列表有重复或未知的人员,请刷新后重试。")
    new_order = list(ordered_ids) + [pid for pid in current if pid not in seen]
    before = rows.ranks(store)
    changed = {pid: rank for rank, pid in enumerate(new_order, start=1) if before[pid] != rank}
    for pid, rank in changed.items():
        rows.set_rank(store, pid, rank)
    if changed:
        tx.audit("reorder", Entity.person, None, f"调整排名({len(changed)} 人)",
                 before={str(k): before[k] for k in changed}, after={str(k): v for k, v in changed.items()})
        for pid in changed:
            tx.touch(Entity.person, pid)


@operation(Permission.people)
def move(tx: Tx, person_id: int, delta: int) -> None:
    """Move one person up (delta < 0) or down in the protocol order."""
    ids = [p.id for p in rows.list_people(tx.store)]
    i = ids.index(person_id)
    j = max(0, min(len(ids) - 1, i + delta))
    if i == j:
        return
    ids.insert(j, ids.pop(i))
    reorder(tx.store, ids)


@operation(Permission.people)
def set_ab(tx: Tx, a: Person, b: Person) -> None:
    """互为AB角: each person has at most one partner; an earlier pairing of either is replaced.

    Both people are read again inside the transaction: one deactivated a moment ago is refused."""
    store = tx.store
    if a.id == b.id:
        raise UserError("AB角必须是两位不同的领导。")
    a, b = rows.get_person(store, a.id), rows.get_person(store, b.id)
    for p in (a, b):
        if p.role not in rows.AB_ROLES:
            raise UserError(f"{p.name}是{p.role.label},不能设为AB角:AB角在副职等政府领导之间设置。")
        if not p.active:
            raise UserError(f"{p.name}已停用,不能设为AB角。请先启用。")
    low, high = sorted((a.id, b.id))
    old = rows.ab_rows_of(store, low, high)
    rows.delete_ab_of(store, low, high)
    rows.insert_ab(store, low, high)
    tx.audit("ab_set", Entity.ab_pair, None, f"设置AB角:{a.name} ↔ {b.name}", before=old, after=[low, high])


@operation(Permission.people)
def clear_ab(tx: Tx, person: Person) -> None:
    old = rows.ab_rows_of(tx.store, person.id)
    if not old:
        return
    rows.delete_ab_of(tx.store, person.id)
    tx.audit("ab_clear", Entity.ab_pair, None, f"取消{person.name}的AB角", before=old)
