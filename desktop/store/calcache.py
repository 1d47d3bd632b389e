"""The WorkCalendar of a store, read once and reused until the database changes.

`desktop.store.calendar.load_calendar` reads every calendar row and rebuilds the WorkCalendar on each
call (~800 rows: 2–6 ms, as much as the rest of a weekly board). `calendar_for` returns the one it
built last for the same store and ``through_year``, as long as nothing has been written since:

* ``PRAGMA data_version`` changes when another connection (another process, another seat) has
  committed to the file;
* ``Connection.total_changes`` changes when this connection has written anything;
* on a server (no data_version), the audit log's newest id: every seat's write is an audited operation.

Both are cheap (no table is read) and conservative: any write, to any table, drops the memo, so an
imported notice or a corrected day is always seen at once. A WorkCalendar has no mutators: sharing one
between callers is safe. Errors (no calendar data) are not memoised.
"""

from __future__ import annotations

import weakref

from desktop.core.workcal import WorkCalendar
from desktop.store.calendar import load_calendar
from desktop.store.db import Store

__all__ = ["calendar_for", "forget"]

_KEEP = 4  # ``through_year`` values kept per store (a session asks for one or two)

# id(store) -> (a weak reference to the store, change marker, {through_year: WorkCalendar}).
# Store is an unhashable dataclass, hence the id; the weak reference tells a reused id apart and the
# entry goes when the store is collected.
_memo: dict[int, tuple[weakref.ref, tuple[int, int], dict[int, WorkCalendar]]] = {}


def _marker(store: Store) -> tuple[int, int]:
    conn = store.conn
    if store.server:  # every write of every seat is an audited operation: the log's head moves
        return conn.execute("SELECT COALESCE(max(id), 0) FROM audit").fetchone()[0], conn.total_changes
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def calendar_for(store: Store, through_year: int) -> WorkCalendar:
    """`load_calendar(store, through_year)`, reused while the database is unchanged."""
    key = id(store)
    marker = _marker(store)
    entry = _memo.get(key)
    if entry is None or entry[0]() is not store or entry[1] != marker:
        entry = (weakref.ref(store, _collected(key)), marker, {})
        _memo[key] = entry
    calendars = entry[2]
    cal = calendars.get(through_year)
    if cal is None:
        cal = load_calendar(store, through_year)
        if len(calendars) >= _KEEP:
            calendars.pop(next(iter(calendars)))
        calendars[through_year] = cal
    return cal


def _collected(key: int):
    def drop(ref: weakref.ref) -> None:
        entry = _memo.get(key)
        if entry is not None and entry[0] is ref:
            del _memo[key]

    return drop


def forget(store: Store) -> None:
    """Drop the store's memo (not needed for correctness: any write drops it)."""
    _memo.pop(id(store), None)
