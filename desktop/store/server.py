"""Server mode: the store's connection to a PostgreSQL database, through SQLAlchemy Core and psycopg 3.

The repositories (desktop/store/*.py) hold one set of queries, written in the SQL that SQLite and
PostgreSQL (and the PostgreSQL-compatible servers of government offices: KingbaseES, openGauss,
HighGo) all accept, and call ``store.conn.execute(sql, params)`` as on a sqlite3 connection.
`ServerConnection` offers that same surface over a SQLAlchemy connection: each statement goes to
the driver through ``exec_driver_sql``; the only rewriting is of the parameter markers, from the
``?``/``:name`` markers sqlite3 takes to psycopg's ``%s``/``%(name)s`` (and a literal ``%`` doubled),
outside quoted text. No statement is translated from one dialect to another.

Transactions are the store's own, as on SQLite (the engine runs in autocommit; `Store.atomic`
sends BEGIN/COMMIT and savepoints); a write transaction takes the database's write lock first
(`WRITE_LOCK`), so rule checks and writes of two seats never interleave, as BEGIN IMMEDIATE does
on a file.

SQLAlchemy and psycopg are imported by this module only: the embedded (SQLite) mode never loads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from desktop.store.errors import StoreError
from desktop.store.location import ServerUrl

#: Taken by every write transaction before anything else: two seats' writes queue up (readers never wait).
WRITE_LOCK = "LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE"
LOCK_TIMEOUT_MS = 5000  # as SQLite's busy timeout
APP_NAME = "DutyDesk"

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|:[A-Za-z_]\w*|::|%")


def driver_sql(sql: str, named: bool) -> str:
    """`sql` with sqlite3's parameter markers as psycopg's (``?`` → ``%s``, ``:name`` → ``%(name)s``)
    and a literal ``%`` doubled; quoted text and comments are left as they are."""

    def swap(m: re.Match[str]) -> str:
        tok = m[0]
        if tok == "?":
            return "%s"
        if tok == "%":
            return "%%"
        if tok == "::":
            return tok
        if tok.startswith(":") and named:
            return f"%({tok[1:]})s"
        if tok.startswith("'"):
            return tok.replace("%", "%%")
        return tok

    return _TOKENS.sub(swap, sql)


_CACHE: dict[tuple[str, bool], str] = {}


def _prepared(sql: str, named: bool) -> str:
    key = (sql, named)
    out = _CACHE.get(key)
    if out is None:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        out = _CACHE[key] = driver_sql(sql, named)
    return out


class ServerCursor:
    """What the store reads of a sqlite3 cursor: rows as tuples, description, rowcount."""

    def __init__(self, result: sa.CursorResult[Any]) -> None:
        self.rowcount = result.rowcount
        self.lastrowid = None  # PostgreSQL has none: the store writes INSERT … RETURNING id
        if result.returns_rows:
            self.description: list[tuple[str, ...]] | None = [(k,) for k in result.keys()]  # noqa: SIM118
            self._rows = [tuple(r) for r in result.fetchall()]
        else:
            self.description = None
            self._rows = []
        self._at = 0

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._at = self._rows[self._at:], len(self._rows)
        return rest

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        rows = self._rows[self._at:self._at + size]
        self._at += len(rows)
        return rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while (row := self.fetchone()) is not None:
            yield row


def _params(params: Sequence[Any] | Mapping[str, Any] | None) -> tuple[Any, bool]:
    if params is None:
        return (), False
    if isinstance(params, Mapping):
        return dict(params), True
    return tuple(params), False


class ServerConnection:
    """A PostgreSQL connection with the surface of sqlite3.Connection the store uses."""

    engine_name = "postgresql"

    def __init__(self, url: ServerUrl, engine: sa.Engine) -> None:
        self.url = url
        self.engine = engine
        self.sa = engine.connect()
        self.sa.exec_driver_sql(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        self.total_changes = 0

    @property
    def dbapi(self) -> Any:
        return self.sa.connection.dbapi_connection

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> ServerCursor:
        args, named = _params(params)
        result = self.sa.exec_driver_sql(_prepared(sql, named), args if named or args else None)
        cursor = ServerCursor(result)
        if cursor.description is None and cursor.rowcount > 0:
            self.total_changes += cursor.rowcount
        return cursor

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | Mapping[str, Any]]) -> ServerCursor | None:
        rows = list(seq)
        if not rows:
            return None
        named = isinstance(rows[0], Mapping)
        values = [dict(r) if named else tuple(r) for r in rows]
        result = self.sa.exec_driver_sql(_prepared(sql, named), values)
        self.total_changes += len(values)
        return ServerCursor(result)

    @property
    def in_transaction(self) -> bool:
        import psycopg.pq

        return self.dbapi.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @property
    def closed(self) -> bool:
        return self.sa.closed

    def close(self) -> None:
        try:
            self.sa.close()
        finally:
            self.engine.dispose()


def create_engine(url: ServerUrl) -> sa.Engine:
    """A SQLAlchemy engine on psycopg 3 in autocommit (the store sends its own BEGIN/COMMIT)."""
    try:
        parsed = sa.engine.make_url(url.url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"数据库地址“{url}”写得不对:{exc}。请写成 postgresql://用户名@服务器地址:端口/数据库名。") from exc
    parsed = parsed.set(drivername="postgresql+psycopg")
    query = dict(parsed.query)
    query.setdefault("application_name", APP_NAME)
    query.setdefault("connect_timeout", "10")
    parsed = parsed.set(query=query)
    return sa.create_engine(parsed, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def connect_server(url: ServerUrl) -> ServerConnection:
    """Connect, or raise StoreError with a Chinese message saying what to check."""
    engine = create_engine(url)
    try:
        return ServerConnection(url, engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StoreError(connect_message(url, exc)) from exc


def connect_message(url: ServerUrl, exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)).strip()
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        why = "用户名或密码不对"
    elif "does not exist" in low and "database" in low:
        why = "服务器上没有这个数据库(请先由信息中心建库,再用 dutydesk server init 准备)"
    elif "connection refused" in low or "could not connect" in low or "timeout" in low:
        why = "连不上数据库服务器(服务器地址、端口是否正确?服务器是否开着?防火墙是否放行?)"
    elif "ssl" in low:
        why = "加密连接(SSL)设置不匹配(可在地址后加 ?sslmode=require 或 ?sslmode=disable,按信息中心的要求)"
    else:
        why = "连接失败"
    return f"无法打开服务器数据库 {url}:{why}。服务器的原话:{text.splitlines()[0] if text else '无'}"


def _sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", "") or "")


def translate_server(exc: BaseException, url: ServerUrl) -> StoreError | None:
    """A server error a user can act on, as a StoreError in Chinese (None: a bug, left as it is)."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return None
    state = _sqlstate(exc)
    if state in ("55P03", "40P01", "40001"):  # lock timeout, deadlock, serialization failure
        return StoreError("另一位同事正在保存,数据库暂时忙。本次修改没有保存,请稍后再试。")
    if state.startswith("08") or exc.connection_invalidated:
        return StoreError(f"与数据库服务器 {url} 的连接断开了,本次修改没有保存。请检查网络后重新打开。")
    if state == "42501":
        return StoreError(f"数据库服务器 {url} 拒绝了这次操作(数据库账户没有相应权限)。请联系信息中心。")
    if state == "53100":
        return StoreError(f"数据库服务器 {url} 的磁盘已满,本次修改没有保存。请联系信息中心。")
    return None


# ---------------------------------------------------------------- every seat sees every change

CHANNEL = "dutydesk"
_PAYLOAD_MAX = 7000  # NOTIFY's payload is limited to 8000 bytes


def publish(store: Any, changes: dict[str, Any]) -> None:
    """Tell the other seats what this transaction changed (delivered when it commits; a rollback
    sends nothing). Too many ids for one message: the entities alone (the seats re-read them)."""
    import json

    payload = json.dumps({"seat": store.seat, **changes}, ensure_ascii=False, separators=(",", ":"))
    if len(payload.encode("utf-8")) > _PAYLOAD_MAX:
        payload = json.dumps({"seat": store.seat, "e": changes.get("e", [])}, separators=(",", ":"))
    store.conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, payload))


def libpq_url(url: ServerUrl) -> str:
    """The address as libpq (psycopg) takes it: the SQLAlchemy driver suffix removed."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url.url)
