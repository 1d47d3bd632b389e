"""The one write path: an operation checks, writes and audits in one transaction, and says what changed.

Anki's ``OpChanges`` habit (STYLE.md habit 2): the GUI and the CLI never write through the store;
they call an operation, ``op(store, …) -> Result``. The `operation` decorator

1. opens the write transaction first (BEGIN IMMEDIATE on SQLite: the write lock is taken before a
   single row is read, so every rule check, version check and write of two secretaries saving at
   once run one after the other, never interleaved);
2. checks the signed-in operator's permission at the operation's entry, inside that transaction (an
   account deactivated a moment ago is refused too);
3. runs the body, which reads, checks the rules (desktop.core) and writes through the repositories
   (desktop.store), and records each change with `Tx.audit` (the audit row) or `Tx.touch`;
4. commits, and returns `Result(value, changes)` where ``changes`` is what the body itself recorded:
   the caller never names what changed.

The actor is the store's signed-in session (``store.operator`` and ``store.role``): one seat, one
connection, one operator, in the embedded and the server mode alike.

An operation called inside another operation on the same store joins its transaction (a savepoint)
and its changes are the outer operation's changes too.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from desktop.core import access
from desktop.core.access import Permission, PermissionDenied, SignInRequired
from desktop.core.text import safe_value
from desktop.store import anchors, audit, images
from desktop.store import operators as operator_rows
from desktop.store.db import Store

P = ParamSpec("P")
T = TypeVar("T")


class Entity(StrEnum):
    """What an operation can change; the names are the audit log's entity names."""

    person = "person"
    ab_pair = "ab_pair"
    unit = "unit"
    org = "org"
    profile = "profile"  # the office's adjustments of its rule preset (desktop.ops.profile)
    calendar = "calendar"
    absence = "absence"
    designation = "designation"
    warning_override = "warning_override"
    duty_plan = "duty_plan"
    duty_quota = "duty_quota"
    duty_unavailable = "duty_unavailable"
    dept_roster = "dept_roster"
    meeting = "meeting"
    meeting_leave = "meeting_leave"
    operator = "operator"
    operator_policy = "operator_policy"
    backup = "backup"
    restore = "restore"


#: Everything: a restore, a sign-in as another operator (every page re-reads and re-checks).
ALL = frozenset(Entity)


@dataclass(frozen=True)
class Changes:
    """What one operation changed: the entities, and the ids of the rows where known."""

    entities: frozenset[Entity] = frozenset()
    ids: Mapping[Entity, frozenset[int]] = field(default_factory=dict)

    def __contains__(self, entity: object) -> bool:
        return entity in self.entities

    def __bool__(self) -> bool:
        return bool(self.entities)

    def touches(self, *entities: Entity) -> bool:
        """Does this change concern any of `entities`? (A page subscribes to the entities it shows.)"""
        return any(e in self.entities for e in entities)

    def ids_of(self, entity: Entity) -> frozenset[int]:
        return self.ids.get(entity, frozenset())

    @classmethod
    def of(cls, *entities: Entity) -> Changes:
        return cls(frozenset(entities))

    def to_json(self) -> dict[str, Any]:
        """As published to the other seats of a server (desktop.store.server.publish)."""
        return {"e": sorted(e.value for e in self.entities),
                "ids": {e.value: sorted(v) for e, v in self.ids.items() if v}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Changes:
        """What another seat published; an entity this version does not know means: re-read everything."""
        try:
            entities = frozenset(Entity(e) for e in data.get("e", ()))
            ids = {Entity(e): frozenset(int(i) for i in v) for e, v in (data.get("ids") or {}).items()}
        except (ValueError, TypeError):
            return EVERYTHING
        return cls(entities, ids)


EVERYTHING = Changes(ALL)


@dataclass(frozen=True)
class Result(Generic[T]):
    """An operation's value and the changes it made."""

    value: T
    changes: Changes


class Tx:
    """One running operation: its store, the permissions it was checked for, and what it changed."""

    def __init__(self, store: Store, permissions: frozenset[Permission]):
        self.store = store
        self.permissions = permissions
        self._entities: set[Entity] = set()
        self._ids: dict[Entity, set[int]] = {}
        self._audit_ids: list[int] = []  # the audit rows written, in order (shared with nested operations)
        #: Sign-in bookkeeping (last sign-in, failed attempts): no record images are stored. An
        #: image taken then would certify whatever the account row holds, a role changed outside
        #: the program included, as soon as that account signs in.
        self.bookkeeping = False
        #: A restore: the file carries another chain, the anchor starts again from it.
        self.reanchor = False
        #: Kept on this seat's undo list (desktop.ops.undo) when it commits; an undo itself is not.
        self.undoable = True
        #: The unit of a signed-in 单位录入员: every record this operation writes must be of that unit
        #: (checked again at each audit row); None for the other roles.
        self.unit: str | None = None

    def check_person(self, person_id: int, what: str = "") -> None:
        """Refuse a 单位录入员's write about a person of another unit (before any rule is checked)."""
        _refuse_other_person(self, person_id, what)

    def check_unit(self, unit: str) -> None:
        """Refuse a 单位录入员's write about another unit's records (a department's duty roster)."""
        if self.unit is not None and unit != self.unit:
            raise PermissionDenied(access.unit_refusal(self.unit, f"单位“{unit}”"))

    def _check_written_unit(self, entity: str, entity_id: Any) -> None:
        """The backstop behind `check_person`/`check_unit`: the record an audit row names is of the
        单位录入员's unit, whatever the body checked before."""
        if entity == Entity.absence.value and isinstance(entity_id, int):
            from desktop.store.absences import get_absence

            _refuse_other_person(self, get_absence(self.store, entity_id).person_id, f"编号 {entity_id} 的外出/请假记录")
            return
        if entity == Entity.dept_roster.value and isinstance(entity_id, int):
            from desktop.store.dept_rosters import unit_of_roster

            unit = unit_of_roster(self.store, entity_id)
            if unit != self.unit:
                raise PermissionDenied(access.unit_refusal(self.unit or "", f"单位“{unit}”"))
            return
        raise PermissionDenied(access.unit_refusal(self.unit or "", "这项修改"))

    def touch(self, entity: Entity | str, entity_id: int | None = None) -> None:
        e = Entity(entity)
        self._entities.add(e)
        if entity_id is not None:
            self._ids.setdefault(e, set()).add(entity_id)

    def audit(self, action: str, entity: Entity | str, entity_id: int | None, summary: str,
              before: Any = None, after: Any = None) -> None:
        """The audit row of a change (in this transaction), and the change noted for the result."""
        needed = access.permission_for(str(entity), action)
        if needed is not None and not access.covers(self.permissions, needed):
            # a programming error: the operation writes what its declared permission does not cover
            raise AssertionError(f"operation checked {sorted(self.permissions)} but writes {entity}/{action}"
                                 f" (needs {needed})")
        if needed is not None and self.unit is not None:
            self._check_written_unit(str(entity), entity_id)
        self._audit_ids.append(audit.record(self.store, action, str(entity), entity_id, summary, before, after))
        self.touch(entity, entity_id if isinstance(entity_id, int) else None)

    def changes(self) -> Changes:
        return Changes(frozenset(self._entities), {e: frozenset(v) for e, v in self._ids.items()})


def _refuse_other_person(tx: Tx, person_id: int, what: str) -> None:
    if tx.unit is None:
        return
    from desktop.store import people as people_rows  # here: the window's first paint does not wait for it

    person = people_rows.get_person(tx.store, person_id)
    if person.unit != tx.unit:
        raise PermissionDenied(access.unit_refusal(tx.unit, what or f"“{person.name}”"))


_ACTIVE: contextvars.ContextVar[dict[int, Tx] | None] = contextvars.ContextVar("dutydesk_ops_active", default=None)


def effective_role(store: Store) -> access.OperatorRole | None:
    """The role writes are checked against; raises when sign-in is on and the store is not signed in
    (or its account was deactivated meanwhile). None when sign-in is off."""
    if store.role is None:
        if not operator_rows.accounts_enabled(store):
            return None
        raise SignInRequired("这个数据库已启用操作员登录,请先登录再修改数据。没有修改任何数据。")
    op = operator_rows.maybe(store, store.operator)
    if op is None or not op.active:
        raise PermissionDenied(f"操作员账户“{store.operator}”已被停用或不存在,不能再修改数据。请用其他账户登录。")
    return op.role


def unit_scope(store: Store) -> str | None:
    """The unit the signed-in operator is limited to (a 单位录入员's, read afresh); None: every unit."""
    if store.role is None:
        return None
    op = operator_rows.maybe(store, store.operator)  # the role as it is now (a demotion elsewhere counts)
    if op is None:
        return "(无单位)" if store.role == access.OperatorRole.unit_clerk.value else None
    if op.role is not access.OperatorRole.unit_clerk:
        return None
    return op.unit or "(无单位)"


def require(store: Store, permission: Permission | str) -> None:
    """Refuse when the signed-in operator may not do `permission` (a Chinese PermissionDenied)."""
    role = effective_role(store)
    if role is not None and not access.allows(role, permission):
        raise PermissionDenied(access.denial_message(store.operator, role, permission))


def allowed(store: Store, permission: Permission | str) -> bool:
    """For the GUI to disable what the operator may not do (never raises)."""
    try:
        require(store, permission)
    except PermissionDenied:
        return False
    return True


@contextlib.contextmanager
def transaction(store: Store, *permissions: Permission) -> Iterator[Tx]:
    """The operation's transaction: the write lock first, then the permission check, then the body.

    Nested in a running operation on the same store it joins that one (a savepoint) and adds its
    changes to it."""
    running = _ACTIVE.get() or {}
    outer = running.get(id(store))
    if outer is not None:
        with store.atomic():
            for p in permissions:
                require(store, p)
            inner = Tx(store, outer.permissions | frozenset(permissions))
            inner._entities, inner._ids = outer._entities, outer._ids  # one change set for both
            inner._audit_ids = outer._audit_ids
            inner.unit = outer.unit
            yield inner
        return
    if not store.read_only:
        images.track(store)  # outside the transaction: a rollback would drop the triggers with it
    with store.atomic():
        images.start(store)
        for p in permissions:
            require(store, p)
        tx = Tx(store, frozenset(permissions))
        tx.unit = unit_scope(store)
        token = _ACTIVE.set({**running, id(store): tx})
        before = anchors.last_row(store) if store.path is not None else None
        done: SeatEntry | None = None
        try:
            yield tx
            ids = [i for i in tx._audit_ids if _exists(store, i)]  # a savepoint rolled back drops its rows
            if ids and not tx.bookkeeping:
                if tx.undoable and not tx.reanchor:
                    done = SeatEntry(min(ids), max(ids), images.written(store), _summary(store, max(ids)), tx.changes())
                audit.seal(store, min(ids), max(ids))
            if ids and before is not None:
                store.anchor_problem = (anchors.advance(store, before, fresh=tx.reanchor, fallback=_fallback(store))
                                        or store.key_problem)
            if store.url is not None and tx._entities:  # the other seats hear of it at the commit
                from desktop.store.server import publish

                publish(store, tx.changes().to_json())
        finally:
            _ACTIVE.reset(token)
    if done is not None:  # committed: this seat may undo it (desktop.ops.undo)
        seat_history(store).append(done)


@dataclass
class SeatEntry:
    """One operation this seat (this open store) committed, for 撤销 (desktop.ops.undo): its audit
    rows, the records it wrote ({kind: [keys]}, desktop.store.images), what it said, and what it changed.
    ``expected``: the images its records have now when a later undo of this seat restored some of them."""

    first_audit: int
    last_audit: int
    written: dict[str, list[str]]
    summary: str
    changes: Changes
    expected: dict[str, dict[str, Any]] = field(default_factory=dict)


#: Seat histories by id(store), dropped with the store (a Store is not hashable: a dataclass).
_SEATS: dict[int, list[SeatEntry]] = {}
SEAT_HISTORY_LIMIT = 50


def seat_history(store: Store) -> list[SeatEntry]:
    """The operations this seat committed, oldest first (at most SEAT_HISTORY_LIMIT are kept)."""
    key = id(store)
    found = _SEATS.get(key)
    if found is None:
        found = _SEATS[key] = []
        weakref.finalize(store, _SEATS.pop, key, None)
    if len(found) > SEAT_HISTORY_LIMIT:
        del found[:-SEAT_HISTORY_LIMIT]
    return found


def _summary(store: Store, audit_id: int) -> str:
    row = store.conn.execute("SELECT summary FROM audit WHERE id = :id", {"id": audit_id}).fetchone()
    return row[0] if row else ""


def _fallback(store: Store) -> anchors.Anchor | None:
    """The newest backup's anchor, only when the anchor file is missing (a directory listing then)."""
    if store.path is None or anchors.anchor_path(store.path).exists():
        return None
    from desktop.store.audit_check import newest_anchor

    return newest_anchor(store.path)


def _exists(store: Store, audit_id: int) -> bool:
    return store.conn.execute("SELECT 1 FROM audit WHERE id = ?", (audit_id,)).fetchone() is not None


def operation(*permissions: Permission) -> Callable[[Callable[Concatenate[Tx, P], T]], Callable[Concatenate[Store, P], Result[T]]]:
    """Make ``body(tx, …) -> value`` the operation ``op(store, …) -> Result(value, changes)``.

    ``permissions``: what the signed-in operator must be allowed (checked inside the transaction,
    before the body runs); none for sign-in bookkeeping, whose body checks what it needs itself."""
    needed = tuple(Permission(p) for p in permissions)

    def wrap(body: Callable[Concatenate[Tx, P], T]) -> Callable[Concatenate[Store, P], Result[T]]:
        @functools.wraps(body)
        def op(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> Result[T]:
            # Every text that reaches the data, from a form, the command line, an import or a
            # notice, loses its control and bidi-override characters here (desktop.core.text).
            args = safe_value(args)  # type: ignore[assignment]
            kwargs = safe_value(kwargs)  # type: ignore[assignment]
            with transaction(store, *needed) as tx:
                value = body(tx, *args, **kwargs)
            return Result(value, tx.changes())

        op.permissions = needed  # type: ignore[attr-defined]  # for the architecture test and the GUI
        op.is_operation = True  # type: ignore[attr-defined]
        return op

    return wrap


def composite(*permissions: Permission) -> Callable[[Callable[P, Result[T]]], Callable[P, Result[T]]]:
    """Mark ``fn(store, …) -> Result`` as an operation that is made of other operations or of work
    on the file outside a transaction (a backup copy, a restore, a password hash before the write
    lock): it checks its own permission (`require`) and returns the `Result` of what it ran."""
    needed = tuple(Permission(p) for p in permissions)

    def mark(fn: Callable[P, Result[T]]) -> Callable[P, Result[T]]:
        fn.permissions = needed  # type: ignore[attr-defined]
        fn.is_operation = True  # type: ignore[attr-defined]
        return fn

    return mark


def is_operation(fn: object) -> bool:
    return bool(getattr(fn, "is_operation", False))


def changes_of(entities: Iterable[Entity | str]) -> Changes:
    return Changes(frozenset(Entity(e) for e in entities))
