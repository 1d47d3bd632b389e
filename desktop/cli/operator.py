"""`dutydesk operator ...`: operator accounts (README "操作员与权限").

Sign-in is on once a database has an active 管理员 account; signing each command in is
desktop/cli/signin.py. The first 管理员 is created without signing in (nobody could yet); after
that only a signed-in 管理员 manages accounts (the store refuses everyone else).

Imports of the store are inside the functions: the command line builds only what a command needs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from desktop import ops
from desktop.cli.common import EXIT_OK, ChineseArgumentParser
from desktop.cli.signin import _stdin_is_terminal
from desktop.core.access import OperatorRole
from desktop.core.errors import UserError


def register(command) -> None:
    """Register `operator` and its subcommands; `command(name, help, parent)` is desktop.cli.build_parser's."""
    roles = "、".join(f"{r.value}({r.label})" for r in OperatorRole)
    group = command("operator", "操作员账户与登录(管理员管理)").add_subparsers(
        dest="operator_command", parser_class=ChineseArgumentParser, metavar="子命令", required=True)
    p = command("add", "新增操作员账户(第一位管理员启用登录)", group)
    p.add_argument("name", metavar="NAME", help="账户名(登录时输入)")
    p.add_argument("--role", required=True, choices=[r.value for r in OperatorRole],
                   metavar="{admin|clerk|unit_clerk|viewer}", help=roles)
    p.add_argument("--unit", default="", metavar="UNIT", help="单位录入员所属的部门或乡镇(人员名单中的单位),例如 教育局")
    p.add_argument("--display", default="", metavar="X", help="显示名,例如“办公室 王主任”")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入第一行读入密码(脚本用)")
    command("list", "列出操作员账户", group)
    p = command("passwd", "重设密码(管理员;本人也可修改自己的密码)", group)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入第一行读入新密码(脚本用)")
    p = command("role", "修改操作员角色", group)
    p.add_argument("name", metavar="NAME")
    p.add_argument("role", choices=[r.value for r in OperatorRole], metavar="ROLE", help=roles)
    p.add_argument("--unit", default="", metavar="UNIT", help="改为单位录入员时:所属的部门或乡镇")
    p = command("disable", "停用操作员账户(账户不删除,审计记录保留)", group)
    p.add_argument("name", metavar="NAME")
    p = command("enable", "重新启用已停用的操作员账户", group)
    p.add_argument("name", metavar="NAME")
    p = command("idle-lock", "查看或设置图形界面空闲多少分钟后锁定(0 不锁定)", group)
    p.add_argument("minutes", nargs="?", type=int, default=None, metavar="MINUTES")


def _new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
        if not password:
            raise UserError("标准输入中没有读到密码(--password-stdin 读取第一行)。账户没有改动。")
        return password
    if not _stdin_is_terminal():
        raise UserError("请在终端中运行以便输入密码,或用 --password-stdin 从标准输入读入密码。账户没有改动。")
    first = getpass.getpass("新密码(至少 8 个字符):")
    second = getpass.getpass("再输入一次:")
    if first != second:
        raise UserError("两次输入的密码不一致,账户没有改动。请重新运行。")
    return first


def _json(op) -> dict[str, Any]:
    return {"name": op.name, "display_name": op.display_name, "role": op.role.value, "role_label": op.role.label,
            "unit": op.unit or None, "active": op.active, "created_at": op.created_at, "last_login_at": op.last_login_at}


def _pad(text: str, width: int) -> str:
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def cmd_operator(args: argparse.Namespace, store, out) -> int:
    from desktop.store import operators

    sub = args.operator_command
    if sub == "add":
        role = OperatorRole(args.role)
        first = role is OperatorRole.admin and not operators.accounts_enabled(store)
        op = ops.operators.add_operator(store, args.name, _new_password(args), role, args.display,
                                        args.unit).value
        note = ("\n从现在起这个数据库启用操作员登录:之后的命令请加 --operator " + op.name
                + "(或设置 DUTYDESK_OPERATOR),按提示输入密码。") if first else ""
        out.emit(_json(op) | {"sign_in_enabled": operators.accounts_enabled(store)},
                 f"已新增操作员 {op.name}:{op.label}。{note}")
    elif sub == "list":
        listed = operators.list_operators(store)

        def text() -> str:
            if not listed:
                return "还没有操作员账户:尚未启用登录。新增第一位管理员即启用:dutydesk operator add 账户名 --role admin"
            lines = [_pad("账户名", 14) + _pad("显示名", 18) + _pad("角色", 26) + _pad("状态", 8) + "上次登录"]
            for op in listed:
                lines.append(_pad(op.name, 14) + _pad(op.display_name or "—", 18) + _pad(op.role_text, 26)
                             + _pad("在用" if op.active else "已停用", 8) + (op.last_login_at or "从未登录").replace("T", " "))
            return "\n".join(lines)

        out.emit([_json(op) for op in listed], text)
    elif sub == "passwd":
        op = operators.find_operator(store, args.name)
        op = ops.operators.set_password(store, op.name, _new_password(args)).value
        out.emit(_json(op), f"已修改 {op.name} 的密码。")
    elif sub == "role":
        op = ops.operators.set_role(store, args.name, args.role, unit=args.unit).value
        out.emit(_json(op), f"{op.name} 的角色现在是{op.role_text}。")
    elif sub in ("disable", "enable"):
        op = ops.operators.set_active(store, args.name, sub == "enable").value
        out.emit(_json(op), f"已{'启用' if op.active else '停用'}操作员 {op.name}。")
    elif sub == "idle-lock":
        if args.minutes is not None:
            ops.operators.set_idle_lock_minutes(store, args.minutes)
        minutes = operators.idle_lock_minutes(store)
        out.emit({"idle_lock_minutes": minutes},
                 f"图形界面空闲 {minutes} 分钟后锁定。" if minutes else "图形界面不会因空闲自动锁定。")
    return EXIT_OK
