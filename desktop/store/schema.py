"""The versioned schema: each migration and its record in one transaction (sqlite-utils 4).

Never edit a migration that has shipped; add a new one. SCHEMA_VERSION is written to
PRAGMA user_version so an older DutyDesk can refuse a newer file.

The migrations are listed here as plain functions; `MIGRATIONS`, the sqlite-utils migration set
that applies them, is made when first asked for (a module ``__getattr__``), so opening a database
that is up to date — every read-only command — never imports sqlite-utils. `applied_names` reads
sqlite-utils' record of applied migrations with plain SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "dutydesk"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' table (Migrations.migrations_table)
_STEPS: list[tuple[str, Callable[[Database], None]]] = []


def _migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        _STEPS.append((name, fn))
        return fn

    return register


def __getattr__(attr: str) -> Any:
    if attr == "MIGRATIONS":
        from sqlite_utils.migrations import Migrations

        migrations = Migrations(MIGRATION_SET)
        assert migrations.migrations_table == MIGRATIONS_TABLE
        for name, fn in _STEPS:
            migrations(name=name)(fn)
        globals()["MIGRATIONS"] = migrations
        return migrations
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations applied to the database, in the order they were applied."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)).fetchone() is None:
        return []
    return [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                                       (MIGRATION_SET,))]


def _run(db: Database, statements: list[str]) -> None:
    for sql in statements:
        db.execute(sql)


@_migration(name="m001_people_and_audit")
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


def calendar_seed() -> tuple[list[tuple], list[tuple]]:
    """The rows a new database's calendar starts with: (calendar_day rows, calendar_year rows), 2004–2026."""
    from desktop.core.calseed import parse_seed, seed_entries, seed_year_sources
    from desktop.resources import resource

    shipped = resource("calendar", "seed.tsv")
    entries = parse_seed(shipped.read_text(encoding="utf-8")) if shipped.exists() else seed_entries()
    days = [(e.day.isoformat(), int(e.rest), e.name, e.source, e.note) for e in entries]
    years = [(year, source, "chinese-calendar 数据" + ("(含更正)" if source == "corrected" else ""))
             for year, source in seed_year_sources().items()]
    return days, years


SEED_DAY_SQL = "INSERT INTO calendar_day (day, rest, name, source, note) VALUES (?, ?, ?, ?, ?)"
SEED_YEAR_SQL = "INSERT INTO calendar_year (year, source, title) VALUES (?, ?, ?)"


@_migration(name="m002_calendar")
def m002_calendar(db: Database) -> None:
    """The working-day calendar: non-ordinary days and each year's source, seeded 2004–2026."""
    days, years = calendar_seed()
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
    db.conn.executemany(SEED_DAY_SQL, days)
    db.conn.executemany(SEED_YEAR_SQL, years)


@_migration(name="m003_absences")
def m003_absences(db: Database) -> None:
    """Travel reports and leave (外出报备/请假), their chain steps, designations and overrides."""
    _run(
        db,
        [
            """CREATE TABLE absence (
                id INTEGER PRIMARY KEY,
                person_id INTEGER NOT NULL REFERENCES person (id),
                kind TEXT NOT NULL,
                start TEXT NOT NULL,
                start_half TEXT NOT NULL DEFAULT 'full',
                end TEXT NOT NULL,
                end_half TEXT NOT NULL DEFAULT 'full',
                destination TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL DEFAULT '',
                leaves_jurisdiction INTEGER NOT NULL DEFAULT 0,
                reported_at TEXT,
                urgent INTEGER NOT NULL DEFAULT 0,
                contact TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL,
                actual_return TEXT,
                actual_return_half TEXT NOT NULL DEFAULT 'full',
                state_note TEXT NOT NULL DEFAULT '',
                original_end TEXT,
                original_end_half TEXT,
                chain_id TEXT,
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK (end >= start)
            )""",
            # Range queries ask for records with start <= range end and end >= range start; with
            # spans bounded (meta max_absence_span), an index on start answers them in a short range.
            "CREATE INDEX absence_start ON absence (start)",
            "CREATE INDEX absence_person ON absence (person_id, start)",
            "CREATE INDEX absence_state ON absence (state)",
            """CREATE TABLE absence_acting (
                absence_id INTEGER NOT NULL REFERENCES absence (id),
                person_id INTEGER NOT NULL REFERENCES person (id),
                PRIMARY KEY (absence_id, person_id)
            )""",
            """CREATE TABLE absence_step (
                absence_id INTEGER NOT NULL REFERENCES absence (id),
                seq INTEGER NOT NULL,
                stage INTEGER NOT NULL,
                action TEXT NOT NULL,
                label TEXT NOT NULL,
                target_text TEXT NOT NULL,
                assignee_id INTEGER REFERENCES person (id),
                office TEXT,
                substitute_for_id INTEGER REFERENCES person (id),
                state TEXT NOT NULL DEFAULT 'pending',
                done_by TEXT,
                done_at TEXT,
                comment TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (absence_id, seq)
            )""",
            "CREATE INDEX absence_step_pending ON absence_step (state, assignee_id)",
            """CREATE TABLE designation (
                id INTEGER PRIMARY KEY,
                date_from TEXT NOT NULL,
                date_to TEXT NOT NULL,
                designee_id INTEGER NOT NULL REFERENCES person (id),
                reason TEXT NOT NULL DEFAULT '',
                by TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                CHECK (date_to >= date_from)
            )""",
            """CREATE TABLE designation_absent (
                designation_id INTEGER NOT NULL REFERENCES designation (id),
                person_id INTEGER NOT NULL REFERENCES person (id),
                PRIMARY KEY (designation_id, person_id)
            )""",
            """CREATE TABLE warning_override (
                id INTEGER PRIMARY KEY,
                roles TEXT NOT NULL,
                date_from TEXT NOT NULL,
                date_to TEXT NOT NULL,
                reason TEXT NOT NULL,
                by TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                CHECK (date_to >= date_from)
            )""",
        ],
    )



@_migration(name="m004_duty")
def m004_duty(db: Database) -> None:
    """Holiday duty (节假日值班): plans, their assignments, and per-person duty settings.

    A plan is one scope (a year, a holiday block, a month, a week) of one slot: the leader on
    duty (带班领导) or the duty officers (值班员). A day belongs to at most one plan per slot: a new
    plan takes over the days of its scope from older plans (desktop/store/duty.py).
    """
    _run(
        db,
        [
            """CREATE TABLE duty_plan (
                id INTEGER PRIMARY KEY,
                year INTEGER NOT NULL,
                label TEXT NOT NULL,
                start TEXT NOT NULL,
                end TEXT NOT NULL,
                slot TEXT NOT NULL CHECK (slot IN ('leader', 'officer')),
                provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK (end >= start),
                UNIQUE (slot, start, end)
            )""",
            "CREATE INDEX duty_plan_year ON duty_plan (year, slot)",
            """CREATE TABLE duty_assignment (
                plan_id INTEGER NOT NULL REFERENCES duty_plan (id) ON DELETE CASCADE,
                day TEXT NOT NULL,
                slot TEXT NOT NULL CHECK (slot IN ('leader', 'officer')),
                seq INTEGER NOT NULL DEFAULT 0,
                shift TEXT NOT NULL DEFAULT '',
                person_id INTEGER NOT NULL REFERENCES person (id),
                fixed TEXT CHECK (fixed IS NULL OR fixed IN ('pin', 'swap', 'replace')),
                note TEXT NOT NULL DEFAULT '',
                holiday TEXT,
                heavy TEXT,
                provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
                reasons TEXT NOT NULL DEFAULT '[]',
                PRIMARY KEY (plan_id, day, shift, seq)
            )""",
            # One person once a day per slot, across plans (a day belongs to one plan per slot).
            "CREATE UNIQUE INDEX duty_assignment_day ON duty_assignment (slot, day, shift, person_id)",
            "CREATE INDEX duty_assignment_person ON duty_assignment (person_id, day)",
            """CREATE TABLE duty_quota (
                person_id INTEGER NOT NULL REFERENCES person (id),
                year INTEGER NOT NULL,
                slot TEXT NOT NULL DEFAULT 'leader' CHECK (slot IN ('leader', 'officer')),
                quota REAL NOT NULL CHECK (quota >= 0),
                reason TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (person_id, year, slot)
            )""",
            """CREATE TABLE duty_unavailable (
                person_id INTEGER NOT NULL REFERENCES person (id),
                day TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                PRIMARY KEY (person_id, day)
            )""",
        ],
    )


@_migration(name="m005_meetings")
def m005_meetings(db: Database) -> None:
    """Government meetings (会议): members and attendees, topics, leave from a meeting (会议请假)
    and the issue dates of the minutes and documents (desktop/store/meetings.py)."""
    _run(
        db,
        [
            """CREATE TABLE meeting (
                id INTEGER PRIMARY KEY,
                type TEXT NOT NULL,
                title TEXT NOT NULL,
                starts_at TEXT NOT NULL,
                ends_at TEXT,
                place TEXT NOT NULL DEFAULT '',
                convener_id INTEGER REFERENCES person (id),
                minutes_done TEXT,
                documents_done TEXT,
                note TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX meeting_starts ON meeting (starts_at)",
            """CREATE TABLE meeting_member (
                meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
                person_id INTEGER NOT NULL REFERENCES person (id),
                role TEXT NOT NULL CHECK (role IN ('member', 'attendee')),
                PRIMARY KEY (meeting_id, person_id)
            )""",
            """CREATE TABLE meeting_topic (
                meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                title TEXT NOT NULL,
                unit TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (meeting_id, seq)
            )""",
            """CREATE TABLE meeting_leave (
                id INTEGER PRIMARY KEY,
                meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
                person_id INTEGER NOT NULL REFERENCES person (id),
                reason TEXT NOT NULL,
                substitute TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'withdrawn')),
                approver_id INTEGER REFERENCES person (id),
                approver_for_id INTEGER REFERENCES person (id),
                approver_text TEXT NOT NULL DEFAULT '',
                approver_note TEXT NOT NULL DEFAULT '',
                absence_id INTEGER REFERENCES absence (id),
                requested_at TEXT NOT NULL,
                decided_at TEXT,
                decided_by TEXT NOT NULL DEFAULT '',
                comment TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1
            )""",
            "CREATE INDEX meeting_leave_meeting ON meeting_leave (meeting_id, person_id)",
        ],
    )


@_migration(name="m006_operators")
def m006_operators(db: Database) -> None:
    """Operator accounts (desktop.store.operators). Sign-in is on once an active 管理员 exists.
    Rows are never deleted (the audit log names them); locked_until throttles failed sign-ins."""
    _run(
        db,
        [
            """CREATE TABLE operator (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'viewer')),
                password_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                created_at TEXT NOT NULL,
                last_login_at TEXT,
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                version INTEGER NOT NULL DEFAULT 1
            )""",
        ],
    )


@_migration(name="m007_audit_images")
def m007_audit_images(db: Database) -> None:
    """The audit row's full images of the rows its change wrote (desktop.store.images): `audit
    verify` replays them and compares with the tables. NULL on the rows written before."""
    _run(db, ["ALTER TABLE audit ADD COLUMN image TEXT"])


@_migration(name="m008_calendar_id")
def m008_calendar_id(db: Database) -> None:
    """The database's own calendar id (meta ``calendar_id``), made once: the UIDs of the ICS exports
    are built from it (desktop.export.ics), so renaming the office keeps every event's UID. A database
    that already has an office name keeps the id its exports used until now (8 hex digits of the
    name's SHA-256), so calendars imported before the upgrade are updated, not duplicated; a new
    database gets a random one (desktop.store.org.calendar_id)."""
    import hashlib
    import uuid

    row = db.execute("SELECT value FROM meta WHERE key = :key", {"key": "org_name"}).fetchone()
    name = (row[0] or "").strip() if row else ""
    value = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8] if name else uuid.uuid4().hex[:16]
    db.execute("INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING",
               {"key": "calendar_id", "value": value})


@_migration(name="m009_duty_plan_issue")
def m009_duty_plan_issue(db: Database) -> None:
    """When a duty plan was printed or exported (desktop.ops.duty.mark_issued): once a roster has
    left the office, 生成排班 offers 只补空缺 (fill only the empty days) first (issue 13)."""
    _run(
        db,
        [
            """CREATE TABLE duty_plan_issue (
                id INTEGER PRIMARY KEY,
                plan_id INTEGER NOT NULL REFERENCES duty_plan (id) ON DELETE CASCADE,
                how TEXT NOT NULL CHECK (how IN ('print', 'export')),
                at TEXT NOT NULL,
                by TEXT NOT NULL DEFAULT '',
                plan_version INTEGER NOT NULL
            )""",
            "CREATE INDEX duty_plan_issue_plan ON duty_plan_issue (plan_id)",
        ],
    )


@_migration(name="m010_profile_override")
def m010_profile_override(db: Database) -> None:
    """The office's adjustments of its rule preset (desktop.core.profile_overrides): one row per
    setting changed, its value as JSON; no rows = the preset as shipped."""
    _run(
        db,
        [
            """CREATE TABLE profile_override (
                path TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                by TEXT NOT NULL DEFAULT ''
            )""",
        ],
    )


@_migration(name="m011_audit_mac")
def m011_audit_mac(db: Database) -> None:
    """The audit row's signature where operator accounts are on: ``<key id>:<HMAC-SHA256 of its
    hash>`` with a key kept outside the file (desktop.store.auditkey). NULL on the other rows."""
    _run(db, ["ALTER TABLE audit ADD COLUMN mac TEXT"])


@_migration(name="m012_unit_clerks_and_dept_rosters")
def m012_unit_clerks_and_dept_rosters(db: Database) -> None:
    """单位录入员 (a department's or township's clerk: ``operator.unit_id``, the unit whose heads he
    files and sees) and the departments' holiday duty rosters (001 art.57: 各部门应当实行24小时值班和
    领导带班制度): one roster per unit and holiday block, its days' 带班领导 and 值班员 with phones.

    SQLite cannot change a CHECK constraint, so the operator table is rebuilt with its rows."""
    cols = ("id, name, display_name, role, password_hash, active, created_at, last_login_at, failed_attempts,"
            " locked_until, version")
    _run(
        db,
        [
            """CREATE TABLE operator_m008 (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'unit_clerk', 'viewer')),
                password_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                created_at TEXT NOT NULL,
                last_login_at TEXT,
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                version INTEGER NOT NULL DEFAULT 1,
                unit_id INTEGER REFERENCES unit (id),
                CHECK (role <> 'unit_clerk' OR unit_id IS NOT NULL)
            )""",
            f"INSERT INTO operator_m008 ({cols}) SELECT {cols} FROM operator",
            "DROP TABLE operator",
            "ALTER TABLE operator_m008 RENAME TO operator",
            """CREATE TABLE dept_roster (
                id INTEGER PRIMARY KEY,
                unit_id INTEGER NOT NULL REFERENCES unit (id),
                year INTEGER NOT NULL,
                holiday TEXT NOT NULL,
                start TEXT NOT NULL,
                end TEXT NOT NULL,
                source TEXT NOT NULL DEFAULT 'entered' CHECK (source IN ('entered', 'imported')),
                note TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK (end >= start),
                UNIQUE (unit_id, start)
            )""",
            "CREATE INDEX dept_roster_start ON dept_roster (start)",
            """CREATE TABLE dept_roster_entry (
                roster_id INTEGER NOT NULL REFERENCES dept_roster (id) ON DELETE CASCADE,
                day TEXT NOT NULL,
                slot TEXT NOT NULL CHECK (slot IN ('leader', 'officer')),
                seq INTEGER NOT NULL DEFAULT 0,
                name TEXT NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (roster_id, day, slot, seq)
            )""",
        ],
    )


@_migration(name="m013_meeting_leave_steps")
def m013_meeting_leave_steps(db: Database) -> None:
    """Meeting leave as each text says: the written request on file (书面请假, 003 art.43), the office
    step before the approval (呈报市长审批, 003 art.43) and the office filing after it (向区政府办公室
    书面报备, 004 art.48), each with who did it and when."""
    _run(
        db,
        [
            "ALTER TABLE meeting_leave ADD COLUMN written INTEGER NOT NULL DEFAULT 0 CHECK (written IN (0, 1))",
            "ALTER TABLE meeting_leave ADD COLUMN forwarded_at TEXT",
            "ALTER TABLE meeting_leave ADD COLUMN forwarded_by TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meeting_leave ADD COLUMN filed_at TEXT",
            "ALTER TABLE meeting_leave ADD COLUMN filed_by TEXT NOT NULL DEFAULT ''",
        ],
    )


MIGRATION_NAMES = tuple(name for name, _fn in _STEPS)
SCHEMA_VERSION = len(MIGRATION_NAMES)
