"""Fixtures that never touch real state: tmp data/config folders, an injected clock, tmp databases."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop import ops
from desktop.core.clock import FixedClock
from desktop.resources import available_profiles
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)
_HYPOTHESIS_HOME = pytest.StashKey[Path]()


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks and before -m deselects
def pytest_collection_modifyitems(items):
    """Mark GUI tests automatically (qutebrowser's conftest habit); keep the frozen build on one worker.

    Under pytest-xdist (`python dev.py test` runs `-n auto --dist loadgroup`) every worker collects and
    runs this hook, so the marks are the same everywhere. The frozen tests share one PyInstaller build
    (a session fixture: once per worker that runs any of them), so they form one xdist group; loadgroup
    hands out the biggest group first, so the build starts at once and overlaps with the rest of the
    suite on the other worker(s) instead of running last alone.
    """
    for item in items:
        if {"qapp", "qtbot", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
        if item.get_closest_marker("frozen") is not None:
            item.add_marker(pytest.mark.xdist_group("frozen"))


class _XdistGroupSuffix:
    """Make --dist loadgroup group on pytest 9.2 too (pytest-xdist#1386, fix pending in #1388).

    xdist tells its scheduler an item's group by appending ``@group`` to the nodeid in the worker, by
    setting ``item._nodeid``; pytest 9.2 keeps a structured node id instead, so the suffix is lost and
    the groups silently fall apart (the frozen build ran on both workers). After xdist's own hook, set
    the suffix where it is missing, as xdist means to; a no-op wherever xdist's code works.
    """

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not getattr(config.option, "loadgroup", False):  # only in an xdist worker under --dist loadgroup
            return
        for item in items:
            groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                             for m in item.iter_markers("xdist_group")})
            suffix = "@" + "_".join(groups)
            if groups and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
                item._id = type(item._id).parse(item.nodeid + suffix)


def pytest_configure(config):
    config.pluginmanager.register(_XdistGroupSuffix(), "dutydesk-xdist-group-suffix")
    # Hypothesis keeps its example database and caches in ./.hypothesis, in the checkout, and starts
    # filling it while the tests are collected. Tests write only into temporary folders: give it one
    # of its own (per process, so per xdist worker), removed at the end.
    from hypothesis.configuration import set_hypothesis_home_dir

    config.stash[_HYPOTHESIS_HOME] = home = Path(tempfile.mkdtemp(prefix="dutydesk-hypothesis-"))
    set_hypothesis_home_dir(home)


def pytest_unconfigure(config):
    home = config.stash.get(_HYPOTHESIS_HOME, None)
    if home is not None:
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(None)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("DUTYDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DUTYDESK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def shots(tmp_path):
    """Where a test saves its screenshots: the test's own temporary folder, never the checkout
    (scripts/screenshots*.py make the pictures for people, into shots/)."""
    folder = tmp_path / "shots"
    folder.mkdir()
    return folder


@pytest.fixture
def clock():
    return FixedClock(NOW)


# ---------------------------------------------------------------- both engines
# A test module marked ``pytestmark = pytest.mark.both_engines`` runs each of its tests on a SQLite
# file and on a PostgreSQL database (server mode): its `db_path` is then a fresh database on the test
# server named by DUTYDESK_TEST_PG (dev.py test starts a throwaway cluster, scripts/pgcluster.py).
# Without a server the PostgreSQL runs are skipped, unless DUTYDESK_REQUIRE_PG is set (CI).

PG_ENV, PG_REQUIRED_ENV = "DUTYDESK_TEST_PG", "DUTYDESK_REQUIRE_PG"


def pytest_generate_tests(metafunc):
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine(request):
    return getattr(request, "param", "sqlite")


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture(scope="session")
def pg_template(worker_id):
    """A database with the server schema, per xdist worker, that each test's database is copied from."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get(PG_REQUIRED_ENV):
            pytest.fail(f"{PG_REQUIRED_ENV} is set but {PG_ENV} names no PostgreSQL server")
        pytest.skip(f"no PostgreSQL test server ({PG_ENV} is not set; dev.py test starts one when PostgreSQL is installed)")
    from desktop.store import server, server_schema
    from desktop.store.location import ServerUrl

    name = f"dd_tpl_{worker_id}"
    with _pg_admin(url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    base = url.rsplit("/", 1)[0]
    conn = server.connect_server(ServerUrl(f"{base}/{name}"))
    try:
        server_schema.create(conn)
    finally:
        conn.close()
    return url, base, name


def _scratch_database(pg_template, *, with_schema: bool):
    """A new database on the test server (a copy of the worker's template, or empty), dropped afterwards."""
    import uuid

    from desktop.store.location import ServerUrl

    url, base, template = pg_template
    name = f"dd_{uuid.uuid4().hex[:12]}"
    with _pg_admin(url) as admin:
        admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if with_schema else ""))
    yield ServerUrl(f"{base}/{name}")
    with _pg_admin(url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class _ReusedDatabase:
    """One server database per xdist worker, put back to the template's state before each test.

    Copying the template (CREATE DATABASE … TEMPLATE) and dropping the copy took 0.5–1 s per test on a
    busy 2-core machine; emptying the tables and putting the seed rows back (the calendar, meta) takes a
    few hundredths. A test that changes the schema itself (a dropped trigger, a new column) gets a new
    copy before the next test: the reset compares the schema's fingerprint with the template's."""

    FINGERPRINT = """
        SELECT md5(COALESCE(string_agg(x, ';' ORDER BY x), '')) FROM (
            SELECT c.relname || '.' || a.attname || ':' || a.atttypid::text || ':' || a.attnotnull::text AS x
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT tgrelid::text || ':' || tgname || ':' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL
            SELECT 'fn:' || proname || ':' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'def:' || adrelid::text || ':' || adnum::text || ':' || md5(pg_get_expr(adbin, adrelid)) FROM pg_attrdef
        ) parts"""

    def __init__(self, pg_template):
        self.url, self.base, self.template = pg_template
        self.name = f"{self.template}_reused"  # renamed before each test (_rename)
        with _pg_admin(f"{self.base}/{self.template}") as conn:
            self.expected = conn.execute(self.FINGERPRINT).fetchone()[0]
            self.tables = [r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version' ORDER BY table_name")]
            self.seeded = [t for t in self.tables if conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}")').fetchone()[0]]
            self.sequences = conn.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                                          "last_value FROM pg_sequences WHERE schemaname = 'public'").fetchall()
        self._copy()

    def _copy(self) -> None:
        with _pg_admin(self.url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {self.name} TEMPLATE {self.template}")
        with _pg_admin(f"{self.base}/{self.name}") as conn:  # the seed rows, kept beside the tables
            conn.execute("CREATE SCHEMA dd_seed")
            for table in self.seeded:
                conn.execute(f'CREATE TABLE dd_seed."{table}" AS SELECT * FROM public."{table}"')

    def reset(self):
        from desktop.store.location import ServerUrl

        self._rename()
        with _pg_admin(f"{self.base}/{self.name}") as conn:
            if conn.execute(self.FINGERPRINT).fetchone()[0] != self.expected:
                conn.close()
                self._copy()
                return ServerUrl(f"{self.base}/{self.name}")
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")  # no image, audit or key triggers
                for table in self.tables:  # DELETE, not TRUNCATE: a few rows each, and TRUNCATE makes new files
                    conn.execute(f'DELETE FROM public."{table}"')
                for table in self.seeded:
                    conn.execute(f'INSERT INTO public."{table}" SELECT * FROM dd_seed."{table}"')
                for sequence, last in self.sequences:  # numbered as in the template
                    conn.execute("SELECT setval(%s, %s, %s)", (sequence, last or 1, last is not None))
        return ServerUrl(f"{self.base}/{self.name}")

    def _rename(self) -> None:
        """A new name for every test, with the last test's connections closed: a seat the last test left
        open (a listener reconnects by itself) must not hear this test's changes."""
        import uuid

        import psycopg

        new = f"{self.template}_{uuid.uuid4().hex[:10]}"
        with _pg_admin(self.url) as admin:
            for _attempt in range(50):
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.name,))
                try:
                    admin.execute(f"ALTER DATABASE {self.name} RENAME TO {new}")
                    break
                except psycopg.errors.ObjectInUse:  # a connection came back between the two statements
                    continue
            else:
                raise RuntimeError(f"cannot rename {self.name}: connections keep coming back")
        self.name = new

    def drop(self) -> None:
        with _pg_admin(self.url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.fixture(scope="session")
def _pg_reused(pg_template):
    database = _ReusedDatabase(pg_template)
    yield database
    database.drop()


@pytest.fixture
def pg_url(_pg_reused):
    """A server database with the schema in the template's state (the worker's reused database, reset)."""
    return _pg_reused.reset()


@pytest.fixture
def empty_server(pg_template):
    """A new, empty server database (no schema: what `server init` and `copy-to` start from)."""
    yield from _scratch_database(pg_template, with_schema=False)


@pytest.fixture
def rounds(engine):
    """How many times a race is run (tests/race.py): 50 on a file (the issue "One write path"); on a
    server, where each round opens two connections over the network stack, 12."""
    return 50 if engine == "sqlite" else 12


@pytest.fixture
def db_path(tmp_path, engine, request):
    """The test's database: a file in tmp_path, or (engine postgresql) a fresh server database."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path, clock):
    s = open_store(db_path, clock, operator="测试员")
    ops.org.init_org(s, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    yield s
    s.close()


@pytest.fixture
def demo_store(db_path, clock):
    """The sample government of `dutydesk --demo` (desktop/store/demo.py, panzhihua rules) in a tmp database."""
    s = open_store(db_path, clock, operator="测试员")
    ops.org.populate(s, available_profiles())
    yield s
    s.close()


@pytest.fixture
def open_seat(db_path, clock):
    """Open another seat on the test's database, signed in: ``open_as(name, password)``; closed afterwards."""
    opened = []

    def open_as(name: str, password: str):
        s = open_store(db_path, clock)
        ops.operators.authenticate(s, name, password)
        opened.append(s)
        return s

    yield open_as
    for s in opened:
        s.close()


@pytest.fixture
def session(qapp, demo_store):
    """The GUI's session over the demo government (a test file may define its own `session`)."""
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(demo_store, demo=True)
