"""The versioned schema: each migration and its record in one transaction (sqlite-utils 4).

Never edit a migration that has shipped; add a new one. SCHEMA_VERSION is written to
PRAGMA user_version so an older DutyDesk can refuse a newer file.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("dutydesk")


def _run(db: Database, statements: list[str]) -> None:
    for sql in statements:
        db.execute(sql)


@MIGRATIONS(name="m001_people_and_audit")
def m001_people_and_audit(db: Database) -> None:
    _run(
        db,
        [
            """CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT
            )""",
            """CREATE TABLE unit (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL DEFAULT 'department' CHECK (kind IN ('department', 'township')),
                rank INTEGER NOT NULL DEFAULT 0
            )""",
            """CREATE TABLE person (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                rank INTEGER NOT NULL,
                phone TEXT NOT NULL DEFAULT '',
                unit TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                note TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX person_rank ON person (active, rank)",
            """CREATE TABLE portfolio (
                person_id INTEGER NOT NULL REFERENCES person (id),
                unit_id INTEGER NOT NULL REFERENCES unit (id),
                PRIMARY KEY (person_id, unit_id)
            )""",
            "CREATE INDEX portfolio_unit ON portfolio (unit_id)",
            """CREATE TABLE ab_pair (
                id INTEGER PRIMARY KEY,
                a_id INTEGER NOT NULL UNIQUE REFERENCES person (id),
                b_id INTEGER NOT NULL UNIQUE REFERENCES person (id),
                CHECK (a_id < b_id)
            )""",
            """CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                operator TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id INTEGER,
                summary TEXT NOT NULL DEFAULT '',
                before TEXT,
                after TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )""",
            "CREATE INDEX audit_entity ON audit (entity, entity_id)",
        ],
    )


@MIGRATIONS(name="m002_calendar")
def m002_calendar(db: Database) -> None:
    """The working-day calendar: non-ordinary days and each year's source, seeded 2004–2026."""
    from desktop.core.calseed import seed_entries, seed_year_sources

    _run(
        db,
        [
            """CREATE TABLE calendar_day (
                day TEXT PRIMARY KEY,
                rest INTEGER NOT NULL CHECK (rest IN (0, 1)),
                name TEXT,
                source TEXT NOT NULL CHECK (source IN ('official', 'notice', 'corrected')),
                note TEXT
            )""",
            """CREATE TABLE calendar_year (
                year INTEGER PRIMARY KEY,
                source TEXT NOT NULL CHECK (source IN ('official', 'notice', 'corrected')),
                title TEXT,
                updated_at TEXT
            )""",
        ],
    )
    db.conn.executemany(
        "INSERT INTO calendar_day (day, rest, name, source, note) VALUES (?, ?, ?, ?, ?)",
        [(e.day.isoformat(), int(e.rest), e.name, e.source, e.note) for e in seed_entries()],
    )
    db.conn.executemany(
        "INSERT INTO calendar_year (year, source, title) VALUES (?, ?, ?)",
        [(year, source, "chinese-calendar 数据" + ("(含更正)" if source == "corrected" else ""))
         for year, source in seed_year_sources().items()],
    )


MIGRATION_NAMES = tuple(m.name for m in MIGRATIONS._migrations)
SCHEMA_VERSION = len(MIGRATION_NAMES)
