"""The database: schema, WAL and foreign keys, version refusal, backups and the audit chain."""

from __future__ import annotations

import sqlite3

import pytest

from desktop import ops
from desktop.core.people import PersonDraft
from desktop.core.roles import Role
from desktop.store import audit, schema
from desktop.store.db import backup, backup_dir
from desktop.store.errors import DatabaseDamaged, DatabaseTooNew
from desktop.store.opening import open_store


def test_new_database_has_wal_foreign_keys_and_version(store, db_path):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert {m.name for m in schema.MIGRATIONS.applied(store.db)} == set(schema.MIGRATION_NAMES)
    assert oct(db_path.stat().st_mode & 0o777) == oct(0o600)


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError), store.atomic():
        store.conn.execute("INSERT INTO ab_pair (a_id, b_id) VALUES (998, 999)")


def test_database_from_a_newer_version_is_refused_and_untouched(db_path, clock):
    s = open_store(db_path, clock)
    s.conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    s.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        open_store(db_path, clock)
    assert db_path.read_bytes() == before


def test_unknown_migration_name_means_too_new(db_path, clock):
    s = open_store(db_path, clock)
    with s.atomic():
        s.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('dutydesk', 'm999_future', 'x')")
    s.close()
    with pytest.raises(DatabaseTooNew):
        open_store(db_path, clock)


def test_backup_is_taken_before_a_pending_migration(db_path, clock, monkeypatch):
    s = open_store(db_path, clock)
    ops.people.add_person(s, PersonDraft(name="王建国", role=Role.chief))
    s.close()

    @schema.MIGRATIONS(name="m900_test_extra")
    def extra(db):
        db.execute("CREATE TABLE extra_for_test (id INTEGER PRIMARY KEY)")

    monkeypatch.setattr(schema, "MIGRATION_NAMES", (*schema.MIGRATION_NAMES, "m900_test_extra"))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    try:
        s = open_store(db_path, clock)
        backups = list(backup_dir(db_path).glob("*pre-migration.db"))
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT name FROM person").fetchall() == [("王建国",)]
        assert old.execute("SELECT name FROM sqlite_master WHERE name = 'extra_for_test'").fetchone() is None
        old.close()
        assert s.conn.execute("SELECT name FROM sqlite_master WHERE name = 'extra_for_test'").fetchone()
        s.close()
    finally:
        schema.MIGRATIONS._migrations.pop()


def test_a_fresh_database_is_not_backed_up(db_path, clock):
    open_store(db_path, clock).close()
    assert not backup_dir(db_path).exists()


def test_damaged_file_gets_a_clear_message(tmp_path, clock):
    bad = tmp_path / "bad.db"
    s = open_store(bad, clock)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    data = bytearray(bad.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the header, destroy the schema page
    bad.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged, match="已损坏"):
        open_store(bad, clock)


def test_manual_backup_copies_everything(store, tmp_path):
    ops.people.add_person(store, PersonDraft(name="李志强", role=Role.executive_deputy))
    target = backup(store, tmp_path / "copy.db")
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT name FROM person").fetchall() == [("李志强",)]
    copy.close()


def test_every_change_is_audited_and_the_chain_verifies(store):
    p = ops.people.add_person(store, PersonDraft(name="张丽华", role=Role.deputy, phone="13900000001")).value
    ops.people.set_active(store, p.id, False)
    rows = audit.history(store, "person", p.id)
    assert [r.action for r in rows] == ["deactivate", "add"]
    assert all(r.operator == "测试员" and r.at == "2026-11-21T09:30:00" for r in rows)
    assert '"active": true' in rows[0].before and '"active": false' in rows[0].after
    count, broken = audit.verify(store)
    assert broken is None and count == 3  # init_org + add + deactivate


def test_tampering_with_an_audit_row_is_found(store):
    ops.people.add_person(store, PersonDraft(name="陈明", role=Role.deputy))
    ops.people.add_person(store, PersonDraft(name="刘海峰", role=Role.deputy))
    with store.atomic():
        store.conn.execute("UPDATE audit SET summary = '改过' WHERE id = 2")
    assert audit.verify(store) == (2, 2)


def test_a_failed_operation_writes_nothing(store):
    ops.people.add_person(store, PersonDraft(name="王建国", role=Role.chief))
    audit_before = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    with pytest.raises(Exception, match="已有在任"):
        ops.people.add_person(store, PersonDraft(name="另一位市长", role=Role.chief))
    assert store.conn.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 1
    assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == audit_before


def test_a_short_foreign_file_is_never_turned_into_a_database(tmp_path, clock):
    """SQLite would accept a 9-byte text file and write over it; we refuse it untouched."""
    doc = tmp_path / "notes.txt"
    doc.write_text("not a db\n", encoding="utf-8")
    with pytest.raises(DatabaseDamaged, match="为避免覆盖"):
        open_store(doc, clock)
    assert doc.read_text(encoding="utf-8") == "not a db\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_empty_file_becomes_a_new_database(tmp_path, clock):
    empty = tmp_path / "new.db"
    empty.touch()
    open_store(empty, clock).close()
    assert empty.read_bytes().startswith(b"SQLite format 3")
