"""Preparing a server database (server mode): make the schema in an empty one, and copy a desktop
database into an empty one whole.

Both work on a database that has no operator yet (it is empty), so they check no permission; the
copy reads the desktop file and writes the server in one transaction, then the caller checks it
(desktop/cli/server.py: rows per table and `audit verify` on the server). `Changes`: EVERYTHING.
"""

from __future__ import annotations

from desktop.core.clock import Clock
from desktop.core.errors import UserError
from desktop.ops.base import EVERYTHING, Result, composite
from desktop.store import copy, server, server_schema
from desktop.store.db import Store
from desktop.store.location import ServerUrl


def _empty(url: ServerUrl) -> server.ServerConnection:
    conn = server.connect_server(url)
    if not server_schema.is_empty(conn):
        conn.close()
        raise UserError(f"服务器数据库 {url} 不是空的(里面已有数据表),为避免覆盖,没有做任何修改。"
                        "请让信息中心新建一个空数据库(CREATE DATABASE …),再运行本命令。")
    return conn


@composite()
def create_schema(url: ServerUrl) -> Result[None]:
    """The schema, the calendar and the audit guard in an empty server database (one transaction)."""
    conn = _empty(url)
    try:
        server_schema.create(conn)
    finally:
        conn.close()
    return Result(None, EVERYTHING)


@composite()
def copy_into(source: Store, url: ServerUrl, clock: Clock) -> Result[dict[str, int]]:
    """Every row of `source` into the empty server database at `url`, with its schema, in one
    transaction (nothing is left on the server when it fails). The value: rows copied per table."""
    conn = _empty(url)
    target = Store(conn=conn, path=None, clock=clock, operator=source.operator, url=url)  # type: ignore[arg-type]
    try:
        conn.execute("BEGIN")
        server_schema.create_in(conn, seed=False)
        copied = copy.copy_rows(source, target)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return Result(copied, EVERYTHING)
