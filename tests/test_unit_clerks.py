"""单位录入员 (a department's or township's clerk, the issue "Server mode"): he files and sees only the
heads of his own unit — their absences with their chains and acting — and everything else is
refused in Chinese (nothing written) or not shown. On a file and on a server database."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core import access
from desktop.core.absence import Absence, Half
from desktop.core.access import PermissionDenied
from desktop.core.acting import Designation
from desktop.core.errors import UserError
from desktop.core.roles import AbsenceKind
from desktop.ops.base import Tx
from desktop.resources import available_profiles
from desktop.store import absences, people
from desktop.store.absences import AbsenceQuery, absence_ids
from desktop.store.audit_check import verify
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines

PASSWORD = "Zhiban-2026!"
UNIT = "教育和体育局"  # the demo government's 教育局: 马晓东 is its head


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)
    monkeypatch.setenv("DUTYDESK_PASSWORD", PASSWORD)


@pytest.fixture
def office(demo_store):
    """The demo government with accounts: 管理员 wang, 办公室录入员 li, 单位录入员 jiaoyu (教育和体育局)."""
    ops.operators.add_operator(demo_store, "wang", PASSWORD, "admin")
    ops.operators.authenticate(demo_store, "wang", PASSWORD)
    ops.operators.add_operator(demo_store, "li", PASSWORD, "clerk")
    ops.operators.add_operator(demo_store, "jiaoyu", PASSWORD, "unit_clerk", "教育局 小赵", unit=UNIT)
    return demo_store


@pytest.fixture
def seat(office, open_seat):
    """Another seat signed in as `name`."""
    return lambda name: open_seat(name, PASSWORD)


def _profile(store):
    return ops.org.profile_of(store)


def _trip(store, name: str, start: str = "2026-12-08", end: str = "2026-12-09") -> Absence:
    person = people.find_person(store, name)
    return Absence(id=None, person_id=person.id, kind=AbsenceKind.trip, start=dt.date.fromisoformat(start),
                   start_half=Half.full, end=dt.date.fromisoformat(end), end_half=Half.full, destination="成都",
                   reason="学习考察", leaves_jurisdiction=True, reported_at=None, urgent=False)


def _counts(store) -> tuple[int, int]:
    return (store.conn.execute("SELECT count(*) FROM absence").fetchone()[0],
            store.conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_a_unit_clerk_files_his_own_units_head_and_no_one_else(seat):
    clerk = seat("jiaoyu")
    saved = ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "马晓东")).value
    assert saved.record.id is not None
    row = clerk.conn.execute("SELECT operator FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "jiaoyu"
    before = _counts(clerk)
    for other in ("罗建军", "王建国"):  # 公安局's head, the mayor
        with pytest.raises(PermissionDenied, match=f"不属于本单位\\({UNIT}\\)"):
            ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, other))
    assert _counts(clerk) == before


def test_a_unit_clerk_cannot_touch_another_units_record(seat):
    office_clerk, clerk = seat("li"), seat("jiaoyu")
    theirs = ops.absences.add_absence(office_clerk, _profile(office_clerk), _trip(office_clerk, "罗建军")).value.record
    before = _counts(clerk)
    for attempt in (lambda: ops.absences.set_state(clerk, theirs.id, "withdraw", "不去了"),
                    lambda: ops.absences.extend_absence(clerk, theirs.id, dt.date(2026, 12, 10)),
                    lambda: ops.absences.return_absence(clerk, theirs.id, dt.date(2026, 12, 8))):
        with pytest.raises(PermissionDenied, match=f"编号 {theirs.id} 的外出/请假记录不属于本单位"):
            attempt()
    assert _counts(clerk) == before
    # his own unit's record: withdrawn by him
    ours = ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "马晓东")).value.record
    assert ops.absences.set_state(clerk, ours.id, "withdraw", "行程取消").value.state.value == "withdrawn"


def test_the_office_keeps_the_approvals_designations_people_and_duty(seat):
    office_clerk, clerk = seat("li"), seat("jiaoyu")
    ours = ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "马晓东")).value.record
    before = _counts(clerk)
    with pytest.raises(PermissionDenied, match="单位录入员只能登记本单位负责同志"):
        ops.absences.advance_absence(clerk, ours.id, "张丽华")
    mayor, deputy = people.find_person(clerk, "王建国"), people.find_person(clerk, "李志强")
    with pytest.raises(PermissionDenied, match="角色是单位录入员"):
        ops.absences.designate(clerk, Designation(None, dt.date(2026, 12, 8), dt.date(2026, 12, 8), deputy.id,
                                                  frozenset({mayor.id}), "测试"))
    with pytest.raises(PermissionDenied, match="角色是单位录入员"):
        ops.people.set_active(clerk, mayor.id, False)
    assert _counts(clerk) == before
    # the office's clerk does the step the unit clerk may not
    ops.absences.advance_absence(office_clerk, ours.id, "张丽华")  # 马晓东's supervising deputy


def test_the_check_at_the_audit_row_refuses_even_when_the_body_forgot(seat, monkeypatch):
    clerk = seat("jiaoyu")
    monkeypatch.setattr(Tx, "check_person", lambda self, person_id, what="": None)  # the body's early check gone
    before = _counts(clerk)
    with pytest.raises(PermissionDenied, match="不属于本单位"):
        ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "罗建军"))
    assert _counts(clerk) == before


def test_a_demotion_on_another_seat_limits_the_next_write(seat):
    admin, clerk = seat("wang"), seat("li")  # li signed in as 办公室录入员
    ops.operators.set_role(admin, "li", "unit_clerk", unit=UNIT)
    with pytest.raises(PermissionDenied, match="不属于本单位"):
        ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "罗建军"))
    ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "马晓东"))


def test_what_a_unit_clerk_is_shown(seat):
    office_clerk, clerk = seat("li"), seat("jiaoyu")
    profile = _profile(office_clerk)
    theirs = ops.absences.add_absence(office_clerk, profile, _trip(office_clerk, "罗建军")).value.record
    ours = ops.absences.add_absence(clerk, profile, _trip(clerk, "马晓东")).value.record
    assert ops.scope.unit_of(clerk) == UNIT and ops.scope.unit_of(office_clerk) is None
    seen = ops.scope.visible_people(clerk, people.list_people(clerk))
    assert [p.name for p in seen] == ["马晓东"]
    today = clerk.clock.today()
    assert absence_ids(clerk, AbsenceQuery(unit=UNIT), today) == [ours.id]
    assert set(absence_ids(office_clerk, AbsenceQuery(), today)) >= {ours.id, theirs.id}
    # 待办: the office sees both records' steps, the unit clerk his own only
    assert sum(w.count for w in ops.absences.pending(office_clerk, profile)) >= 2
    waiting = ops.absences.pending(clerk, profile)
    assert sum(w.count for w in waiting) == 1


def test_the_command_line_of_a_unit_clerk(office, db_path, capsys, clock, tmp_path):
    def cli(*argv):
        code = main([str(a) for a in argv], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    db = str(db_path)
    code, _, err = cli("--db", db, "--operator", "li", "absence", "add", "罗建军", "--kind", "trip",
                       "--from", "2026-12-08", "--to", "2026-12-09", "--dest", "北京")
    assert code == 0, err
    code, _, err = cli("--db", db, "--operator", "jiaoyu", "absence", "add", "马晓东", "--kind", "trip",
                       "--from", "2026-12-10", "--to", "2026-12-11", "--dest", "成都")
    assert code == 0, err
    code, _, err = cli("--db", db, "--operator", "jiaoyu", "absence", "add", "罗建军", "--kind", "trip",
                       "--from", "2026-12-14", "--to", "2026-12-15", "--dest", "成都")
    assert code == 2 and "不属于本单位" in err and "没有修改任何数据" in err
    code, out, err = cli("--db", db, "--operator", "jiaoyu", "absence", "list", "--json")
    assert code == 0, err
    assert {r["person"] for r in json.loads(out)} == {"马晓东"}
    code, out, _ = cli("--db", db, "--operator", "li", "absence", "list", "--json")
    assert {r["person"] for r in json.loads(out)} == {"马晓东", "罗建军"}
    code, out, _ = cli("--db", db, "--operator", "jiaoyu", "people", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["马晓东"]
    code, _, err = cli("--db", db, "--operator", "jiaoyu", "export", "weekly", "--format", "csv", "-o",
                       str(tmp_path / "w.csv"))
    assert code == 2 and "单位录入员(教育和体育局)不能导出" in err and not (tmp_path / "w.csv").exists()


def test_operator_add_unit_clerk_from_the_command_line(office, db_path, capsys, clock, monkeypatch):
    def cli(*argv):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        code = main([str(a) for a in argv], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    db = str(db_path)
    code, out, err = cli("--db", db, "--operator", "wang", "operator", "add", "gongan", "--role", "unit_clerk",
                         "--unit", "公安局", "--password-stdin", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert made["role"] == "unit_clerk" and made["unit"] == "公安局"
    for extra, message in ((["--role", "unit_clerk"], "必须指定所属单位"),
                           (["--role", "unit_clerk", "--unit", "教育局"], "没有名为“教育局”的单位"),
                           (["--role", "clerk", "--unit", "公安局"], "只有单位录入员才指定所属单位")):
        code, _, err = cli("--db", db, "--operator", "wang", "operator", "add", "x1", *extra, "--password-stdin")
        assert code == 2 and message in err, err
    code, out, _ = cli("--db", db, "--operator", "wang", "operator", "list")
    assert "单位录入员 · 公安局" in out and "单位录入员 · 教育和体育局" in out
    code, out, err = cli("--db", db, "--operator", "wang", "operator", "role", "gongan", "clerk")
    assert code == 0 and "办公室录入员" in out, err


def test_a_file_from_before_keeps_its_accounts(tmp_path, clock, engine):
    """A desktop file with accounts from before this version (steps m001–m007) opens with them, and
    a 单位录入员 can be added to it (the operator table rebuilt for the new role)."""
    if engine != "sqlite":
        pytest.skip("the desktop file's migration")
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from desktop.store import schema

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path))
    old = Migrations(schema.MIGRATION_SET)
    for name, fn in schema._STEPS[:7]:
        old(name=name)(fn)
    old.apply(db)
    db.execute("INSERT INTO operator (name, role, password_hash, created_at) VALUES ('wang', 'admin', 'x', '2026-01-01')")
    db.conn.commit()
    db.execute("PRAGMA user_version = 7")
    db.conn.close()
    s = open_store(path, clock)
    try:
        assert [(o.name, o.role.value, o.unit_id) for o in ops.operators.rows.list_operators(s)] == [("wang", "admin", None)]
        s.conn.execute("INSERT INTO unit (name) VALUES ('教育局')")
        s.conn.execute("INSERT INTO operator (name, role, password_hash, created_at, unit_id)"
                       " VALUES ('zhao', 'unit_clerk', 'x', '2026-01-01', 1)")
        with pytest.raises(sqlite3.IntegrityError):  # a 单位录入员 always has a unit
            s.conn.execute("INSERT INTO operator (name, role, password_hash, created_at) VALUES ('qian', 'unit_clerk', 'x', '')")
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        s.close()


def test_a_server_database_from_before_is_upgraded(pg_url, clock, engine):
    """A server database at s001 (before 单位录入员) is brought to the head (s002, then s003) when this
    version opens it."""
    if engine != "postgresql":
        pytest.skip("the server's Alembic revision")
    from desktop.store import server, server_schema

    conn = server.connect_server(pg_url)
    try:
        for sql in ("DROP TABLE dept_roster_entry", "DROP TABLE dept_roster", "DROP FUNCTION dd_image_23()",
                    "DROP FUNCTION dd_image_24()", "ALTER TABLE operator DROP COLUMN unit_id",
                    "ALTER TABLE operator DROP CONSTRAINT operator_role",
                    "ALTER TABLE operator ADD CONSTRAINT operator_role CHECK (role IN ('admin', 'clerk', 'viewer'))",
                    # and what s003 added after it (meeting leave's written request and office steps)
                    "ALTER TABLE meeting_leave DROP CONSTRAINT meeting_leave_written",
                    *(f"ALTER TABLE meeting_leave DROP COLUMN {c}"
                      for c in ("written", "forwarded_at", "forwarded_by", "filed_at", "filed_by")),
                    "UPDATE alembic_version SET version_num = 's001'"):
            conn.execute(sql)
        conn.execute("COMMIT")
        assert server_schema.version(conn) == "s001"
    finally:
        conn.close()
    s = open_store(pg_url, clock)
    try:
        assert server_schema.version(s.conn) == server_schema.HEAD == "s003"
        ops.org.populate(s, available_profiles())
        ops.operators.add_operator(s, "wang", PASSWORD, "admin")
        ops.operators.authenticate(s, "wang", PASSWORD)
        assert ops.operators.add_operator(s, "jiaoyu", PASSWORD, "unit_clerk", unit=UNIT).value.unit == UNIT
        roster = ops.dept_rosters.set_day(s, 2026, "国庆节", dt.date(2026, 10, 1), "王副局长", "13800001111",
                                          [("张三", "13900001111")], unit=UNIT).value
        assert len(roster.lines) == 2
        assert verify(s).ok
    finally:
        s.close()


def test_absences_of_other_units_are_refused_before_any_rule(seat):
    """The refusal names the unit, not a rule of another unit's record (nothing is told about it)."""
    office_clerk, clerk = seat("li"), seat("jiaoyu")
    ops.absences.add_absence(office_clerk, _profile(office_clerk), _trip(office_clerk, "罗建军"))
    with pytest.raises(UserError) as caught:  # overlapping: the overlap would be told first without the check
        ops.absences.add_absence(clerk, _profile(clerk), _trip(clerk, "罗建军"))
    assert "不属于本单位" in str(caught.value) and "重叠" not in str(caught.value)
    assert absences.list_absences(clerk) is not None
