"""命令行的操作员账户与登录:第一位管理员无需登录,之后每条命令都要登录,权限由存储层统一拦截。"""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from desktop.cli import main
from desktop.core import access

ADMIN_PW = "管理员密码2026"
CLERK_PW = "录入员密码2026"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)
    monkeypatch.delenv("DUTYDESK_OPERATOR", raising=False)
    monkeypatch.delenv("DUTYDESK_PASSWORD", raising=False)


@pytest.fixture
def run(db_path, clock, capsys, monkeypatch):
    def _run(*argv, stdin: str | None = None, tty: bool = False):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        monkeypatch.setattr("sys.stdin.isatty", lambda: tty)
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def with_admin(run, monkeypatch):
    """初始化单位,建第一位管理员(无需登录),再以管理员身份建一位录入员。"""
    assert run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    code, out, err = run("operator", "add", "admin", "--role", "admin", "--display", "王主任", "--password-stdin",
                         stdin=ADMIN_PW + "\n")
    assert code == 0, err
    assert "启用操作员登录" in out
    monkeypatch.setenv("DUTYDESK_PASSWORD", ADMIN_PW)
    code, _out, err = run("operator", "add", "clerk", "--role", "clerk", "--password-stdin", "--operator", "admin",
                          stdin=CLERK_PW + "\n")
    assert code == 0, err
    monkeypatch.delenv("DUTYDESK_PASSWORD")
    return run


def test_commands_need_sign_in_once_an_admin_exists(with_admin):
    code, out, err = with_admin("people", "list")
    assert code == 2 and "--operator" in err and "DUTYDESK_PASSWORD" in err and not out


def test_sign_in_with_env_and_audit_names_the_operator(with_admin, monkeypatch, db_path):
    monkeypatch.setenv("DUTYDESK_OPERATOR", "admin")
    monkeypatch.setenv("DUTYDESK_PASSWORD", ADMIN_PW)
    assert with_admin("people", "add", "王县长", "--role", "chief")[0] == 0
    conn = sqlite3.connect(db_path)
    ops = conn.execute("SELECT operator FROM audit WHERE entity = 'person'").fetchall()
    conn.close()
    assert ops == [("admin",)]


def test_wrong_password_is_refused_without_saying_which(with_admin, monkeypatch):
    monkeypatch.setenv("DUTYDESK_PASSWORD", "not-the-password")
    code, _out, err = with_admin("people", "list", "--operator", "admin")
    assert code == 2 and "账户名或密码不正确" in err
    code, _out, err2 = with_admin("people", "list", "--operator", "nobody")
    assert code == 2 and err2 == err


def test_password_prompt_in_a_terminal(with_admin, monkeypatch):
    monkeypatch.setattr("desktop.cli.operator.getpass.getpass", lambda prompt: CLERK_PW)
    code, _out, err = with_admin("people", "list", "--operator", "clerk", tty=True)
    assert code == 0, err


def test_no_password_outside_a_terminal(with_admin):
    code, _out, err = with_admin("people", "list", "--operator", "clerk")
    assert code == 2 and "DUTYDESK_PASSWORD" in err


def test_clerk_cannot_manage_people_or_accounts(with_admin, monkeypatch):
    monkeypatch.setenv("DUTYDESK_PASSWORD", CLERK_PW)
    code, _out, err = with_admin("people", "add", "王县长", "--role", "chief", "--operator", "clerk")
    assert code == 2 and "录入员" in err and "管理员" in err
    code, _out, err = with_admin("operator", "role", "clerk", "admin", "--operator", "clerk")
    assert code == 2 and "管理操作员账户" in err
    code, out, _err = with_admin("people", "list", "--json", "--operator", "clerk")
    assert code == 0 and json.loads(out) == []


def test_list_role_disable_and_passwd(with_admin, monkeypatch):
    monkeypatch.setenv("DUTYDESK_PASSWORD", ADMIN_PW)
    code, out, _ = with_admin("operator", "list", "--json", "--operator", "admin")
    listed = json.loads(out)
    assert [(o["name"], o["role"], o["active"]) for o in listed] == [("admin", "admin", True), ("clerk", "clerk", True)]
    assert all("hash" not in key for o in listed for key in o)
    code, out, _ = with_admin("operator", "role", "clerk", "viewer", "--operator", "admin")
    assert code == 0 and "只读" in out
    code, out, err = with_admin("operator", "disable", "admin", "--operator", "admin")
    assert code == 2 and "最后一位在用的管理员" in err
    code, out, _ = with_admin("operator", "disable", "clerk", "--operator", "admin")
    assert code == 0 and "已停用" in out
    monkeypatch.setattr("desktop.cli.operator.getpass.getpass", lambda prompt: "新的管理员密码1")
    code, out, err = with_admin("operator", "passwd", "admin", "--operator", "admin", tty=True)
    assert code == 0, err
    monkeypatch.setenv("DUTYDESK_PASSWORD", "新的管理员密码1")
    code, out, _ = with_admin("operator", "list", "--operator", "admin")
    assert code == 0 and "已停用" in out and "王主任" in out


def test_new_password_prompt_must_match_and_follow_policy(run, monkeypatch):
    answers = iter(["password-one", "password-two"])
    monkeypatch.setattr("desktop.cli.operator.getpass.getpass", lambda prompt: next(answers))
    code, _out, err = run("operator", "add", "admin", "--role", "admin", tty=True)
    assert code == 2 and "两次输入的密码不一致" in err
    code, _out, err = run("operator", "add", "admin", "--role", "admin", "--password-stdin", stdin="short\n")
    assert code == 2 and "至少需要 8 个字符" in err
    code, out, _ = run("operator", "list")
    assert code == 0 and "还没有操作员账户" in out


def test_idle_lock_setting(with_admin, monkeypatch):
    monkeypatch.setenv("DUTYDESK_PASSWORD", ADMIN_PW)
    code, out, _ = with_admin("operator", "idle-lock", "5", "--operator", "admin")
    assert code == 0 and "5 分钟" in out
