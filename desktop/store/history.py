"""One record's history from the audit log, and the refusal of a stale save built from it.

`record_history` reads the audit rows of a person (with the rank moves and AB-pair changes
that name him or her), an absence record or a duty plan, newest first, each with its changed
fields in Chinese (desktop.core.changes). `concurrent_edit` builds the `ConcurrentEdit` a save
raises when the record's version moved on since the user loaded it: what the other user changed,
who and when (from the newest audit rows), and what this user tried to save.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.changes import ACTION_LABELS, ConcurrentEdit, FieldChange, diff
from desktop.store.audit import AuditRow, history
from desktop.store.db import Store

#: Actions that change a person through rows without the person's id (rank moves, AB pairs).
_PERSON_SIDE = ("reorder", "ab_set", "ab_clear")
#: Actions that do not bump the record's version (the AB pair lives in its own table).
_NO_VERSION = frozenset({"ab_set", "ab_clear"})


@dataclass(frozen=True)
class HistoryEntry:
    id: int  # the audit row's id
    at: str  # ISO time
    operator: str
    action: str
    summary: str
    before: Mapping[str, Any] | None  # normalised to the record's own fields
    after: Mapping[str, Any] | None
    changes: tuple[FieldChange, ...]

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def time_text(self) -> str:
        return self.at[:16].replace("T", " ")


def names_of(store: Store) -> dict[int, str]:
    return {pid: name for pid, name in store.conn.execute("SELECT id, name FROM person")}


def _load(text: str | None) -> Any:
    return json.loads(text) if text else None


def _partners(pairs: Any, pid: int) -> list[int]:
    if not isinstance(pairs, list):
        return []
    if pairs and isinstance(pairs[0], int):
        pairs = [pairs]
    return [b if a == pid else a for a, b in (p for p in pairs if isinstance(p, list) and len(p) == 2) if pid in (a, b)]


def _normalise(row: AuditRow, entity: str, entity_id: int | None) -> tuple[Any, Any] | None:
    """The row's before/after as snapshots of the record itself; None: the row is not about it."""
    before, after = _load(row.before), _load(row.after)
    if entity == "person" and row.entity_id is None and entity_id is not None:
        key = str(entity_id)
        if row.action == "reorder":
            if not isinstance(before, dict) or key not in before:
                return None
            return {"rank": before[key]}, {"rank": (after or {}).get(key)}
        if row.action in ("ab_set", "ab_clear"):
            old, new = _partners(before, entity_id), _partners(after, entity_id)
            if not old and not new:
                return None
            return {"ab_partner": old}, {"ab_partner": new}
        return None
    if entity == "duty_plan" and isinstance(after, dict) and isinstance(after.get("days"), dict):
        after = dict(after["days"])
    if entity == "absence" and isinstance(before, dict) and isinstance(after, dict):
        after = dict(after)
        if row.action == "extend" and "reason" in after:
            after["extend_reason"] = after.pop("reason")
        before = dict(before)
        for extra in ("outcome", "comment", "extend_reason"):
            if after.get(extra) and extra not in before:
                before[extra] = None
    return before, after


def record_history(store: Store, entity: str, entity_id: int, *, limit: int = 200,
                   names: Mapping[int, str] | None = None) -> list[HistoryEntry]:
    """The audit rows about one record, newest first, each with its changed fields."""
    rows = history(store, entity, entity_id, limit)
    if entity == "person":
        rows += [AuditRow(*r) for r in store.conn.execute(
            "SELECT id, at, operator, action, entity, entity_id, summary, before, after FROM audit"
            f" WHERE entity_id IS NULL AND action IN ({', '.join('?' * len(_PERSON_SIDE))})"
            " ORDER BY id DESC LIMIT ?", (*_PERSON_SIDE, limit))]
        rows.sort(key=lambda r: r.id, reverse=True)
    names = names_of(store) if names is None else names
    out: list[HistoryEntry] = []
    for row in rows:
        pair = _normalise(row, entity, entity_id)
        if pair is None:
            continue
        before, after = pair
        changes = () if row.action == "add" else tuple(diff(entity, before, after, names))
        out.append(HistoryEntry(row.id, row.at, row.operator, row.action, row.summary,
                                before if isinstance(before, dict) else None,
                                after if isinstance(after, dict) else None, changes))
        if len(out) >= limit:
            break
    return out


def newer_entries(store: Store, entity: str, entity_id: int, had_version: int,
                  current_version: int) -> list[HistoryEntry]:
    """The audit rows written since the user's version, newest first (at least the newest row)."""
    entries = [e for e in record_history(store, entity, entity_id, limit=50) if e.action not in _NO_VERSION]
    out: list[HistoryEntry] = []
    for e in entries:
        version = e.after.get("version") if e.after else None
        if isinstance(version, int) and version <= had_version:
            break
        out.append(e)
        if len(out) >= max(current_version - had_version, 1):
            break
    return out or entries[:1]


def concurrent_edit(store: Store, entity: str, entity_id: int, title: str, had_version: int,
                    current_version: int, now: Mapping[str, Any], *, seen: Mapping[str, Any] | None = None,
                    yours: Mapping[str, Any] | None = None) -> ConcurrentEdit:
    """The refusal of a stale save, listing what changed since ``seen`` (the record as this user loaded
    it; when unknown, the fields the newer audit rows changed) and what this user tried (``yours``)."""
    names = names_of(store)
    rows = newer_entries(store, entity, entity_id, had_version, current_version)
    if seen is None:
        started: dict[str, Any] = {}
        for e in reversed(rows):  # oldest first: the value before the first change
            for c in e.changes:
                if e.before is not None and c.key in e.before:
                    started.setdefault(c.key, e.before[c.key])
        base: Mapping[str, Any] = {k: v for k, v in started.items() if k in now}
    else:
        base = seen
    changes = diff(entity, base, now, names)
    tried = diff(entity, seen if seen is not None else now, yours, names) if yours is not None else []
    by = list(dict.fromkeys(e.operator for e in reversed(rows)))
    at = rows[0].at if rows else ""
    return ConcurrentEdit(entity, entity_id, title, had_version, current_version, changes, by, at, tried)
