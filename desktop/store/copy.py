"""Copying a whole database from one engine to the other: a desktop file onto a server (`copy-to`),
and a server into a portable SQLite file (`backup` in server mode).

Every table of desktop.store.tables is copied row for row with its ids, in an order that keeps the
foreign keys satisfied, in one transaction on the target: people, records with their steps, plans,
meetings, the calendar, operator accounts, settings and the audit log (whose hashes and images are
copied as they are, so `audit verify` on the copy checks the same chain). `counts` is what the
caller compares afterwards. Nothing here decides who may copy: desktop/cli/server.py does.
"""

from __future__ import annotations

from desktop.store.db import Store

#: Tables in foreign-key order (parents first); tests/test_server_schema.py checks it covers
#: desktop.store.tables and the desktop schema exactly.
TABLES = (
    "meta", "unit", "person", "portfolio", "ab_pair", "calendar_day", "calendar_year", "absence", "absence_acting",
    "absence_step", "designation", "designation_absent", "warning_override", "duty_plan", "duty_assignment",
    "duty_plan_issue", "duty_quota", "duty_unavailable", "meeting", "meeting_member", "meeting_topic", "meeting_leave",
    "profile_override", "operator", "dept_roster", "dept_roster_entry", "audit",
)
#: Tables whose `id` a server numbers from a sequence: set past the copied ids afterwards.
SERIAL = ("unit", "person", "ab_pair", "absence", "designation", "warning_override", "duty_plan", "duty_plan_issue",
          "meeting", "meeting_leave", "operator", "dept_roster", "audit")
_BATCH = 2000


def columns(store: Store, table: str) -> list[str]:
    cur = store.conn.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    return [d[0] for d in cur.description]


def counts(store: Store) -> dict[str, int]:
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def copy_rows(source: Store, target: Store, progress=None) -> dict[str, int]:
    """Copy every row of every table from `source` into `target`, whose tables must be empty;
    the caller holds the target's transaction. Returns the rows copied per table."""
    copied: dict[str, int] = {}
    for table in TABLES:
        cols = columns(source, table)
        missing = set(cols) - set(columns(target, table))
        if missing:
            raise AssertionError(f"{table}: the target lacks {sorted(missing)}")
        names = ", ".join(f'"{c}"' for c in cols)
        insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
        cur = source.conn.execute(f"SELECT {names} FROM {table}")
        n = 0
        while batch := cur.fetchmany(_BATCH):
            target.conn.executemany(insert, batch)
            n += len(batch)
        copied[table] = n
        if progress is not None:
            progress(table, n)
    if target.server:
        for table in SERIAL:
            target.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
    return copied


def clear(store: Store) -> None:
    """Delete every row of every table (children first): a freshly made schema's seed rows, before a copy."""
    for table in reversed(TABLES):
        store.conn.execute(f"DELETE FROM {table}")


def snapshot(source: Store, target, clock) -> None:
    """Write the whole of `source` (a server database) into the new SQLite file `target`: a portable
    copy this program opens offline (`dutydesk --db FILE …`), or copies back with `copy-to`."""
    from desktop.store.opening import open_store

    copy_store = open_store(target, clock, daily_backup=False, check=False)
    try:
        with copy_store.atomic():
            clear(copy_store)
            copy_rows(source, copy_store)
            # A file of its own: no PC's audit key belongs to it (the server guarded its log; signatures
            # copied from the desktop era could not be told apart from rows written unsigned since).
            copy_store.conn.execute("UPDATE audit SET mac = NULL WHERE mac IS NOT NULL")
            copy_store.conn.execute("DELETE FROM meta WHERE key = 'database_id'")
        if {t: n for t, n in counts(copy_store).items() if t != "meta"} != {
                t: n for t, n in counts(source).items() if t != "meta"}:
            raise AssertionError("the snapshot's rows differ from the server's")
    finally:
        copy_store.close()
