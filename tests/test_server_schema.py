"""One schema for both engines: the desktop file's migration steps (desktop.store.schema) and the
server's definition (desktop.store.tables) give the same tables, columns, keys and indexes, and
`copy-to` copies every table of it."""

from __future__ import annotations

import sqlalchemy as sa

from desktop.store import copy
from desktop.store.opening import open_store
from desktop.store.tables import METADATA

SQLITE_OWN = {"_sqlite_migrations", "sqlite_sequence"}


def _reflect(path):
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        insp = sa.inspect(engine)
        out = {}
        for table in set(insp.get_table_names()) - SQLITE_OWN:
            pk = tuple(insp.get_pk_constraint(table)["constrained_columns"])
            # (an INTEGER PRIMARY KEY reflects as nullable on SQLite; it never holds NULL)
            cols = {c["name"]: (not c["nullable"] or c["name"] in pk, (c["default"] or "").strip("'\""))
                    for c in insp.get_columns(table)}
            indexes = {i["name"] for i in insp.get_indexes(table)}
            fks = {(tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(table)}
            out[table] = (cols, pk, indexes, fks)
        return out
    finally:
        engine.dispose()


def _defined():
    out = {}
    for table in METADATA.sorted_tables:
        cols = {}
        for c in table.columns:
            default = c.server_default.arg if c.server_default is not None else ""
            cols[c.name] = (not c.nullable, str(default).strip("'\""))
        pk = tuple(c.name for c in table.primary_key.columns)
        indexes = {i.name for i in table.indexes}
        fks = {((f.parent.name,), f.column.table.name) for f in table.foreign_keys}
        out[table.name] = (cols, pk, indexes, fks)
    return out


def test_the_desktop_steps_and_the_server_definition_agree(tmp_path, clock):
    open_store(tmp_path / "a.db", clock).close()
    on_file, defined = _reflect(tmp_path / "a.db"), _defined()
    assert sorted(on_file) == sorted(defined)
    for table in defined:
        cols_f, pk_f, idx_f, fks_f = on_file[table]
        cols_d, pk_d, idx_d, fks_d = defined[table]
        assert cols_f == cols_d, table
        assert pk_f == pk_d, table
        assert fks_f == fks_d, table
        # SQLite names the indexes of UNIQUE columns itself; the named indexes must match
        assert {i for i in idx_f if not i.startswith("sqlite_autoindex")} == idx_d - {"operator_name"}, table


def test_copy_covers_every_table_parents_first():
    assert sorted(copy.TABLES) == sorted(t.name for t in METADATA.sorted_tables)
    position = {name: i for i, name in enumerate(copy.TABLES)}
    for table in METADATA.sorted_tables:
        for fk in table.foreign_keys:
            assert position[fk.column.table.name] < position[table.name], (table.name, fk.column.table.name)
    serial = {t.name for t in METADATA.sorted_tables if "id" in t.c and t.c.id.primary_key and t.c.id.autoincrement is True}
    assert set(copy.SERIAL) == serial
