"""Server mode (服务器模式): `server init`, `copy-to`, accounts on a server, the append-only log,
and a postgresql:// address that is never taken for a file (the issue "Server mode").

Runs on the PostgreSQL test server (tests/conftest.py: DUTYDESK_TEST_PG; dev.py test starts one)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.clock import FixedClock
from desktop.resources import available_profiles
from desktop.store import copy
from desktop.store.opening import open_store

PASSWORD = "Zhiban-2026!"
CLOCK = FixedClock(dt.datetime(2026, 12, 7, 9, 0))


@pytest.fixture
def cli(capsys, monkeypatch):
    monkeypatch.setenv("DUTYDESK_PASSWORD", PASSWORD)

    def run(*argv):
        code = main([str(a) for a in argv], clock=CLOCK)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _office_file(cli, path, accounts: bool):
    """A desktop database of a working office, made as a secretary makes it: the demo government,
    two trips (one of the chief's: the executive deputy acts), the 元旦 plan, and (``accounts``)
    an operator account."""
    s = open_store(path, CLOCK, operator="王秘书")
    ops.org.populate(s, available_profiles())
    if accounts:
        ops.operators.add_operator(s, "wang", PASSWORD, "admin", "办公室 王秘书")
    s.close()
    signed = ["--operator", "wang"] if accounts else []
    for name, start, end, dest in (("王建国", "2026-12-08", "2026-12-10", "北京"), ("李志强", "2026-12-09", "2026-12-11", "成都")):
        code, _, err = cli("--db", path, *signed, "absence", "add", name, "--kind", "trip", "--from", start, "--to", end,
                           "--dest", dest, "--reason", "汇报工作", "--leaves")
        assert code == 0, err
    code, _, err = cli("--db", path, *signed, "duty", "plan", "2027", "--holiday", "元旦")
    assert code == 0, err


def _same_output(cli, file_db, url, *command):
    a = cli("--db", file_db, "--operator", "wang", *command, "--json")
    b = cli("--db", url, "--operator", "wang", *command, "--json")
    assert a[0] == b[0] == 0, (a[2], b[2])
    return json.loads(a[1]), json.loads(b[1])


def test_server_init_then_every_seat_signs_in(empty_server, cli):
    code, out, err = cli("server", "init", empty_server, "--org", "攀枝花市人民政府办公室", "--profile", "panzhihua",
                         "--admin", "wang", "--display", "办公室 王秘书")
    assert code == 0 and err == "" and "第一位管理员:wang" in out
    assert cli("--db", empty_server, "--operator", "wang", "people", "add", "王市长", "--role", "chief")[0] == 0
    code, out, _ = cli("--db", empty_server, "--operator", "wang", "people", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["王市长"]
    code, out, _ = cli("--db", empty_server, "--operator", "wang", "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["findings"] == []
    # the audit names the operator who signed in, not the computer's login
    s = open_store(empty_server, CLOCK)
    try:
        assert s.conn.execute("SELECT operator FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0] == "wang"
    finally:
        s.close()
    # a second init is refused: the database is not empty
    code, _, err = cli("server", "init", empty_server, "--org", "x", "--profile", "panzhihua", "--admin", "li")
    assert code == 2 and "不是空的" in err


def test_server_init_refuses_a_short_password_and_writes_nothing(empty_server, cli, monkeypatch):
    monkeypatch.setenv("DUTYDESK_PASSWORD", "123")
    code, _, err = cli("server", "init", empty_server, "--org", "x", "--profile", "panzhihua", "--admin", "wang")
    assert code == 2 and "密码" in err
    code, _, err = cli("--db", empty_server, "people", "list")
    assert code == 2 and "还没有准备好" in err and "server init" in err


def test_a_command_without_an_operator_is_refused_on_a_server(empty_server, cli, monkeypatch):
    assert cli("server", "init", empty_server, "--org", "x", "--profile", "panzhihua", "--admin", "wang")[0] == 0
    monkeypatch.delenv("DUTYDESK_OPERATOR", raising=False)
    code, _, err = cli("--db", empty_server, "people", "add", "王市长", "--role", "chief")
    assert code == 2 and "登录" in err


def test_copy_to_gives_the_same_answers_on_the_server(tmp_path, empty_server, cli):
    file_db = tmp_path / "office.db"
    _office_file(cli, file_db, accounts=True)
    code, out, err = cli("--db", file_db, "copy-to", empty_server, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["verified"] and report["admin"] is None and report["tables"]["absence"] == 2
    assert report["tables"]["audit"] == report["audit_rows"] > 40
    s = open_store(empty_server, CLOCK)
    try:
        assert copy.counts(s) == report["tables"]
    finally:
        s.close()
    for command in (("absence", "list"), ("acting", "2026-12-10"), ("check", "--from", "2026-12-01", "--to", "2027-01-31"),
                    ("duty", "list", "2027"), ("audit", "verify"), ("people", "list")):
        on_file, on_server = _same_output(cli, file_db, empty_server, *command)
        if command[0] == "audit":  # a file's log is anchored and signed on this PC; the server guards its own
            assert on_file.pop("anchor")["rows"] == on_server["rows"] and on_server.pop("anchor") is None
            assert on_file.pop("signatures")["bad"] == [] and on_server.pop("signatures")["signed"] == 0
        assert on_file == on_server, command
    # the copy goes on living: ids continue after the copied ones
    code, out, err = cli("--db", empty_server, "--operator", "wang", "absence", "add", "张丽华", "--kind", "trip",
                         "--from", "2026-12-14", "--to", "2026-12-15", "--dest", "米易县", "--reason", "调研",
                         "--within", "--json")
    assert code == 0, err
    assert json.loads(out)["id"] == 3


def test_copy_to_needs_an_admin_when_the_file_has_no_accounts(tmp_path, empty_server, cli):
    file_db = tmp_path / "office.db"
    _office_file(cli, file_db, accounts=False)
    code, _, err = cli("--db", file_db, "copy-to", empty_server)
    assert code == 2 and "--admin" in err
    code, _, err = cli("--db", empty_server, "people", "list")
    assert code == 2 and "还没有准备好" in err  # nothing was written on the server
    code, out, err = cli("--db", file_db, "copy-to", empty_server, "--admin", "wang", "--json")
    assert code == 0, err and json.loads(out)["admin"] == "wang"
    code, out, _ = cli("--db", empty_server, "--operator", "wang", "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["ok"]
    code, _, err = cli("--db", file_db, "copy-to", empty_server, "--admin", "wang")
    assert code == 2 and "不是空的" in err


def test_the_audit_log_cannot_be_rewritten_on_the_server(pg_url):
    import sqlalchemy

    s = open_store(pg_url, CLOCK, operator="王秘书")
    try:
        ops.org.populate(s, available_profiles())
        for sql in ("UPDATE audit SET summary = '改过' WHERE id = 1", "DELETE FROM audit WHERE id = 1",
                    "UPDATE audit SET image = '{}' WHERE id = (SELECT max(id) FROM audit)"):
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="审计日志只能追加"):
                s.conn.execute(sql)
    finally:
        s.close()


def test_a_server_address_is_never_taken_for_a_file(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("--db", "postgresql://nobody@127.0.0.1:1/none", "people", "list")
    assert code == 2 and "无法打开服务器数据库" in err and "连不上" in err
    code, _, err = cli("--db", "mysql://x@y/z", "people", "list")
    assert code == 2 and "不是本程序支持的地址" in err
    assert list(tmp_path.iterdir()) == []  # no folder named "postgresql:" and no .db file


def test_backup_of_a_server_is_a_portable_file_with_the_same_answers(tmp_path, empty_server, cli):
    file_db = tmp_path / "office.db"
    _office_file(cli, file_db, accounts=True)
    assert cli("--db", file_db, "copy-to", empty_server)[0] == 0
    snap = tmp_path / "snapshot.db"
    code, out, err = cli("--db", empty_server, "--operator", "wang", "backup", snap, "--json")
    assert code == 0, err and json.loads(out)["backup"] == str(snap)
    assert not list(tmp_path.glob(".*partial*"))
    for command in (("absence", "list"), ("duty", "list", "2027"), ("people", "list")):
        on_snapshot, on_server = _same_output(cli, snap, empty_server, *command)
        assert on_snapshot == on_server, command
    code, out, err = cli("--db", snap, "--operator", "wang", "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"], (report["signatures"], report["findings"], report["anchor"], err)
    # the default place: this PC's data folder, named after the server and the database
    code, out, err = cli("--db", empty_server, "--operator", "wang", "backup", "--json")
    assert code == 0, err
    default = json.loads(out)["backup"]
    assert "/backups/server-127.0.0.1_" in default.replace("\\", "/") and default.endswith("-manual.db")
    code, _, err = cli("--db", empty_server, "--operator", "wang", "restore", snap)
    assert code == 2 and "copy-to" in err and "pg_restore" in err


def test_a_new_server_database_has_its_own_calendar_id(empty_server, cli):
    assert cli("server", "init", empty_server, "--org", "甲办公室", "--profile", "panzhihua", "--admin", "wang")[0] == 0
    s = open_store(empty_server, CLOCK)
    try:
        from desktop.store.org import calendar_id

        first = calendar_id(s)
        assert len(first) == 16 and s.meta("calendar_id") == first  # not derived from the office name
    finally:
        s.close()
