"""A server database's schema: created from desktop.store.tables, versioned by Alembic.

`create` makes the tables (SQLAlchemy's DDL for the server), the calendar seed, the triggers that
note which audited records a transaction wrote (the server's form of desktop.store.images' temporary
triggers), the audit log's append-only guard, and stamps the Alembic head. `version`/`upgrade`
bring an older server database forward when a newer DutyDesk opens it; a database a newer DutyDesk
made is refused untouched.

The triggers are PL/pgSQL, the procedural language PostgreSQL and the compatible servers
(KingbaseES, openGauss, HighGo) all ship; no extension is used.
"""

from __future__ import annotations

from pathlib import Path

from desktop.store import images, schema
from desktop.store.server import ServerConnection

HEAD = "s003"
KNOWN = ("s001", "s002", "s003")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _alembic_config(conn: ServerConnection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn.sa
    return cfg


def version(conn: ServerConnection) -> str | None:
    """The Alembic revision of the database; None when it holds no DutyDesk schema."""
    found = conn.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'alembic_version'"
                         " AND table_schema = current_schema()").fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def is_empty(conn: ServerConnection) -> bool:
    """No table at all in the schema the connection uses (what `server init` and `copy-to` require)."""
    return conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                        ).fetchone()[0] == 0


def _trigger_ddl(tables: tuple[str, ...] | None = None) -> list[str]:
    """The image triggers of every audited table (or of `tables` only: a revision adding tables)."""
    out: list[str] = []
    for n, (table, kind, key, when) in enumerate(images.TRIGGERS):
        if tables is not None and table not in tables:
            continue
        parts = []
        for row, ops in (("NEW", "'INSERT', 'UPDATE'"), ("OLD", "'DELETE', 'UPDATE'")):
            cond = f"TG_OP IN ({ops})" + (f" AND ({when.format(r=row)})" if when else "")
            parts.append(f"IF {cond} THEN INSERT INTO pg_temp.dd_dirty (kind, key) VALUES ('{kind}', "
                         f"{key.format(r=row)}) ON CONFLICT DO NOTHING; END IF;")
        body = " ".join(parts)
        out.append(f"CREATE FUNCTION dd_image_{n}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"IF to_regclass('pg_temp.dd_dirty') IS NOT NULL THEN {body} END IF; RETURN NULL; END $$")
        out.append(f"CREATE TRIGGER dd_image_{n} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE PROCEDURE dd_image_{n}()")
    return out


#: The log only grows: no row is deleted, and every row but the newest is frozen. The newest may be
#: completed by the operation that writes it (desktop.store.audit: its record images and the hash
#: over them, once; its signature); its own fields never change.
AUDIT_GUARD = [
    """CREATE FUNCTION dd_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '审计日志只能追加,不能删除' USING ERRCODE = '42501';
        END IF;
        IF NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.operator <> OLD.operator OR NEW.action <> OLD.action
           OR NEW.entity <> OLD.entity OR NEW.entity_id IS DISTINCT FROM OLD.entity_id OR NEW.summary <> OLD.summary
           OR NEW.before IS DISTINCT FROM OLD.before OR NEW.after IS DISTINCT FROM OLD.after
           OR NEW.prev_hash <> OLD.prev_hash OR OLD.id <> (SELECT max(id) FROM audit)
           OR (OLD.image IS NOT NULL AND (NEW.image IS DISTINCT FROM OLD.image OR NEW.hash <> OLD.hash))
           OR (OLD.image IS NULL AND NEW.hash <> OLD.hash AND NEW.image IS NULL) THEN
            RAISE EXCEPTION '审计日志只能追加,不能修改' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER dd_audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE PROCEDURE"
    " dd_audit_append_only()",
    "REVOKE TRUNCATE ON audit FROM PUBLIC",
]


def create_in(conn: ServerConnection, *, seed: bool = True) -> None:
    """Make the schema inside the caller's transaction; ``seed``: with the shipped calendar (a copy
    brings its own)."""
    from alembic import command

    from desktop.store.tables import METADATA

    METADATA.create_all(conn.sa)
    if seed:  # a new database: what the desktop steps seed (a copy brings its own)
        import uuid

        days, years = schema.calendar_seed()
        conn.executemany(schema.SEED_DAY_SQL, days)
        conn.executemany(schema.SEED_YEAR_SQL, years)
        # its own calendar id, as a new desktop database gets (m008_calendar_id; the ICS exports' UIDs)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("calendar_id", uuid.uuid4().hex[:16]))
    for sql in [*_trigger_ddl(), *AUDIT_GUARD]:
        conn.execute(sql)
    command.stamp(_alembic_config(conn), HEAD)


def create(conn: ServerConnection) -> None:
    """Make the schema in an empty server database (one transaction)."""
    conn.execute("BEGIN")
    try:
        create_in(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def upgrade(conn: ServerConnection) -> None:
    """Run the Alembic revisions after the database's own."""
    from alembic import command

    command.upgrade(_alembic_config(conn), HEAD)
