"""`dutydesk server init URL …` and `dutydesk --db FILE copy-to URL`: preparing a server database.

Server mode (README "几位秘书共同使用:服务器模式"): the office's PostgreSQL database, shared by
every seat. `server init` makes the schema in an empty database, sets the organisation and its rule
profile and creates the first 管理员 (accounts are mandatory on a server); `copy-to` copies a
desktop database into an empty server database whole and checks the copy (rows per table and the
audit log's verification on the server) before it reports success. Both open the databases
themselves; every other command opens a server database like a file (`--db postgresql://…`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from desktop.cli.common import EXIT_OK, EXIT_USER, ChineseArgumentParser, Output
from desktop.cli.signin import ENV_PASSWORD, _stdin_is_terminal
from desktop.core.clock import Clock
from desktop.core.errors import UserError


def register(command) -> None:
    from desktop.resources import available_profiles
    from desktop.store.location import server_arg

    group = command("server", "服务器模式(PostgreSQL):准备服务器数据库").add_subparsers(
        dest="server_command", parser_class=ChineseArgumentParser, metavar="子命令", required=True)
    p = command("init", "在一个空的服务器数据库中建立 DutyDesk(数据结构、日历、单位、第一位管理员)", group)
    p.add_argument("url", type=server_arg, metavar="URL", help="postgresql://用户名@服务器地址:端口/数据库名")
    p.add_argument("--org", required=True, metavar="NAME", help="单位名称,例如“攀枝花市人民政府办公室”")
    p.add_argument("--profile", required=True, choices=available_profiles())
    p.add_argument("--admin", required=True, metavar="NAME", help="第一位管理员的账户名(密码按提示输入两次,或放在 DUTYDESK_PASSWORD 中)")
    p.add_argument("--display", default="", metavar="X", help="管理员的显示名,例如“办公室 王主任”")
    p = command("copy-to", "把 --db 指定的本机数据库整个复制到一个空的服务器数据库,并核对复制结果")
    p.add_argument("url", type=server_arg, metavar="URL", help="postgresql://用户名@服务器地址:端口/数据库名(须为空库)")
    p.add_argument("--admin", default=None, metavar="NAME",
                   help="本机数据库没有操作员账户时,在服务器上建立的第一位管理员(服务器模式必须登录)")


def _admin_password(name: str) -> str:
    """The new 管理员's password: DUTYDESK_PASSWORD for scripts, or asked twice in a terminal."""
    import getpass

    from_env = os.environ.get(ENV_PASSWORD)
    if from_env:
        return from_env
    if not _stdin_is_terminal():
        raise UserError(f"没有读到管理员“{name}”的密码:不在终端中运行时,请把密码放在环境变量 {ENV_PASSWORD} 中。没有做任何修改。")
    first = getpass.getpass(f"管理员 {name} 的密码(至少 8 个字符):")
    if getpass.getpass("再输入一次:") != first:
        raise UserError("两次输入的密码不一致,没有做任何修改。请重新运行。")
    return first


def cmd_server_init(args, clock: Clock, out: Output) -> int:
    from desktop import ops
    from desktop.core import access
    from desktop.core.profile import load_profile
    from desktop.resources import available_profiles, profiles_dir
    from desktop.store.opening import open_server

    name = access.check_account_name(args.admin)
    password = _admin_password(name)
    access.check_password(password, name)
    profile = load_profile(profiles_dir() / f"{args.profile}.toml")
    ops.server.create_schema(args.url)
    store = open_server(args.url, clock, operator=name)
    try:
        org = ops.org.init_org(store, args.profile, args.org, available_profiles()).value
        admin = ops.operators.add_operator(store, name, password, access.OperatorRole.admin, args.display).value
    finally:
        store.close()
    out.emit({"db": str(args.url), "org": org.name, "profile": org.profile_id, "admin": admin.name},
             f"服务器数据库已建立:{args.url}\n单位:{org.name},规则预设 {org.profile_id}({profile.name})\n"
             f"第一位管理员:{admin.name}。各台电脑用 --db {args.url} 打开,并以操作员账户登录。")
    return EXIT_OK


def cmd_copy_to(args, clock: Clock, out: Output) -> int:
    from desktop import ops
    from desktop.core import access
    from desktop.paths import default_db_path
    from desktop.store import copy, operators
    from desktop.store.audit_check import verify
    from desktop.store.location import ServerUrl
    from desktop.store.opening import open_server, open_store

    source_location = args.db or default_db_path()
    if isinstance(source_location, ServerUrl):
        raise UserError("copy-to 复制的是本机数据库文件:请用 --db 指定本机的 .db 文件。")
    source = open_store(source_location, clock, daily_backup=False)
    try:
        has_accounts = operators.accounts_enabled(source)
        admin_name = password = None
        if not has_accounts:
            if not args.admin:
                raise UserError("这个本机数据库还没有操作员账户,而服务器模式必须以账户登录:请用 --admin 账户名 "
                                "指定在服务器上建立的第一位管理员。没有做任何修改。")
            admin_name = access.check_account_name(args.admin)
            password = _admin_password(admin_name)
            access.check_password(password, admin_name)
        elif args.admin:
            raise UserError("这个本机数据库已有操作员账户,会原样复制到服务器;不需要 --admin。没有做任何修改。")
        before = copy.counts(source)
        copied = ops.server.copy_into(source, args.url, clock).value
    finally:
        source.close()
    if copied != before:
        raise UserError(f"复制后的行数与本机数据库不符:{copied} ≠ {before}。服务器上的副本不可用,请清空后重试。")
    store = open_server(args.url, clock, operator=admin_name or "copy-to")
    try:
        after = copy.counts(store)
        report = verify(store)
        if after != before or not report.ok:
            sys.stderr.write(report.text() + "\n")
            raise UserError("服务器上的副本没有通过核对(见上),请不要使用它;本机数据库没有改动。")
        if admin_name is not None:
            assert password is not None
            ops.operators.add_operator(store, admin_name, password, access.OperatorRole.admin)
    finally:
        store.close()
    rows = sum(before.values())
    data: dict[str, Any] = {"db": str(args.url), "source": str(source_location), "tables": before, "rows": rows,
                            "audit_rows": before["audit"], "verified": True, "admin": admin_name}
    out.emit(data, f"已复制到 {args.url}:{len(before)} 张表共 {rows} 行(审计日志 {before['audit']} 条),"
                   "逐表核对行数一致,服务器上的审计日志校验完好。"
                   + (f"\n已在服务器上建立第一位管理员 {admin_name}。" if admin_name else "")
                   + f"\n各台电脑用 --db {args.url} 打开,并以操作员账户登录。")
    return EXIT_OK if report.ok else EXIT_USER


def cmd_server(args, clock: Clock, out: Output) -> int:
    return {"init": cmd_server_init}[args.server_command](args, clock, out)


SELF_OPENING = {"server": cmd_server, "copy-to": cmd_copy_to}
