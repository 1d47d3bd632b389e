"""The command line (DESIGN.md "Command line"): a stable contract other tools depend on.

`main(argv) -> int` backs the `dutydesk` script, `python -m desktop` and the frozen build.
Without a subcommand it opens the GUI. Errors go to stderr in Chinese with exit code 2;
nothing is half-written on error (every write is one transaction).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from desktop import __version__
from desktop.core.clock import Clock, SystemClock
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.roles import Role, parse_role

EXIT_OK, EXIT_BUG, EXIT_USER = 0, 1, 2

_ARGPARSE_CN = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数:\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数:\1"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"参数 \1 的值“\2”无效,可选:\3"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", r"参数 \1 的值“\3”格式不对"),
    (r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"无效的命令“\1”,可选:\2"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its error messages in Chinese and exit code 2."""

    def error(self, message: str) -> NoReturn:
        for pattern, repl in _ARGPARSE_CN:
            if re.search(pattern, message):
                message = re.sub(pattern, repl, message)
                break
        self.exit(EXIT_USER, f"参数错误:{message}。\n用 {self.prog} -h 查看用法。\n")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", type=Path, default=default, metavar="PATH", help="数据库文件(默认在用户数据文件夹)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="以 JSON 输出结果")


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog="dutydesk", description="值班报备台 DutyDesk:领导外出报备、AB角、请销假与节假日带班。")
    parser.add_argument("--version", action="version", version=f"DutyDesk 值班报备台 {__version__}")
    parser.add_argument("--demo", action="store_true", help="用示例政府打开图形界面(不动您的真实数据库)")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser, metavar="命令")

    def command(name: str, help_text: str, parent: Any = sub) -> ChineseArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        return p

    from desktop.resources import available_profiles

    p = command("init", "设置单位与规则预设")
    p.add_argument("--profile", required=True, choices=available_profiles())
    p.add_argument("--org", default="", metavar="NAME", help="单位名称,例如“攀枝花市人民政府办公室”")

    people = command("people", "人员").add_subparsers(dest="people_command", parser_class=ChineseArgumentParser,
                                                        metavar="子命令", required=True)
    p = command("add", "新增人员", people)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, metavar="ROLE", help="角色:" + "、".join(r.value for r in Role))
    p.add_argument("--title", default="", metavar="T", help="职务,例如“副市长”")
    p.add_argument("--rank", type=_positive_int, default=None, metavar="N", help="排名(1 最前;默认排在最后)")
    p.add_argument("--phone", default="", metavar="P")
    p.add_argument("--unit", default="", metavar="U", help="所在单位(部门、乡镇负责人)")
    p.add_argument("--supervisor", default="", metavar="NAME", help="分管领导(部门、乡镇负责人)")
    p.add_argument("--portfolio", default="", metavar="UNITS", help="分管单位,用顿号分隔(政府领导)")
    p = command("import", "从 xlsx 或 csv 导入人员", people)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--skip-rows", default="", metavar="N,N", help="跳过这些行(看过错误报告后)")
    p = command("list", "按排名列出人员", people)
    p.add_argument("--all", action="store_true", help="包括已停用的人员")

    ab = command("ab", "AB角").add_subparsers(dest="ab_command", parser_class=ChineseArgumentParser,
                                              metavar="子命令", required=True)
    p = command("set", "设置两人互为AB角", ab)
    p.add_argument("name_a", metavar="NAME_A")
    p.add_argument("name_b", metavar="NAME_B")
    command("list", "列出AB角", ab)

    audit = command("audit", "审计日志").add_subparsers(dest="audit_command", parser_class=ChineseArgumentParser,
                                                      metavar="子命令", required=True)
    command("verify", "校验审计日志的哈希链", audit)

    p = command("backup", "备份数据库")
    p.add_argument("file", nargs="?", type=Path, default=None, metavar="FILE")
    return parser


# ---------------------------------------------------------------- output

class Output:
    def __init__(self, as_json: bool, stdout=None):
        self.as_json = as_json
        self.stdout = stdout or sys.stdout

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        if self.as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        else:
            self.stdout.write((text() if callable(text) else text) + "\n")


def _person_json(p) -> dict:
    return {"id": p.id, "name": p.name, "role": p.role.value, "title": p.title, "rank": p.rank, "phone": p.phone,
            "unit": p.unit, "active": p.active}


# ---------------------------------------------------------------- commands

def _open(args, clock: Clock):
    from desktop.paths import default_db_path
    from desktop.store.db import open_store

    return open_store(args.db or default_db_path(), clock)


def _require_org(store) -> None:
    from desktop.store.org import get_org

    if get_org(store) is None:
        raise UserError("这个数据库还没有设置单位和规则预设。请先运行:dutydesk init --profile <预设> --org <单位名称>")


def cmd_init(args, store, out: Output) -> int:
    from desktop.core.profile import load_profile
    from desktop.resources import available_profiles, profiles_dir
    from desktop.store.org import init_org

    profile = load_profile(profiles_dir() / f"{args.profile}.toml")
    name = args.org or f"{profile.name}办公室"
    org = init_org(store, args.profile, name, available_profiles())
    out.emit({"org": org.name, "profile": org.profile_id, "db": str(store.path)},
             f"已设置:{org.name},规则预设 {org.profile_id}({profile.name})。数据库:{store.path}")
    return EXIT_OK


def cmd_people(args, store, out: Output) -> int:
    from desktop.store import people

    if args.people_command == "add":
        _require_org(store)
        draft = PersonDraft(name=args.name, role=parse_role(args.role), title=args.title, phone=args.phone,
                            unit=args.unit, rank=args.rank, supervisor=args.supervisor,
                            portfolio=tuple(p for p in re.split(r"[、,，]", args.portfolio) if p.strip()))
        person = people.add_person(store, draft)
        out.emit(_person_json(person), f"已新增:{person.name}({person.display_title}),排名 {person.rank}")
    elif args.people_command == "import":
        _require_org(store)
        from desktop.core.people_import import parse_rows
        from desktop.export.tabular import read_table

        header, rows = read_table(args.file)
        parsed = parse_rows(header, rows)
        skip = [int(x) for x in re.findall(r"\d+", args.skip_rows)]
        added = people.import_people(store, parsed, skip_rows=skip)
        out.emit({"imported": len(added), "skipped_rows": skip, "people": [_person_json(p) for p in added]},
                 f"已导入 {len(added)} 人" + (f",跳过第 {'、'.join(map(str, skip))} 行" if skip else "") + "。")
    elif args.people_command == "list":
        everyone = people.list_people(store, active_only=not args.all)

        def text() -> str:
            lines = [f"{p.rank:>3}  {p.name:<6}  {p.display_title:<16}  {p.phone:<14}  {'' if p.active else '(已停用)'}"
                     for p in everyone]
            return "\n".join(lines) if lines else "(还没有人员)"

        out.emit([_person_json(p) for p in everyone], text)
    return EXIT_OK


def cmd_ab(args, store, out: Output) -> int:
    from desktop.store import people

    if args.ab_command == "set":
        a, b = people.find_person(store, args.name_a), people.find_person(store, args.name_b)
        people.set_ab(store, a, b)
        out.emit({"a": a.name, "b": b.name}, f"已设置:{a.name} 与 {b.name} 互为AB角。")
    else:
        pairs = people.ab_pairs(store)
        out.emit([{"a": a.name, "b": b.name} for a, b in pairs],
                 "\n".join(f"{a.name} ↔ {b.name}" for a, b in pairs) or "(还没有设置AB角)")
    return EXIT_OK


def cmd_audit(args, store, out: Output) -> int:
    from desktop.store.audit import verify

    count, broken = verify(store)
    if broken is None:
        out.emit({"rows": count, "ok": True, "first_broken": None}, f"审计日志完好:共 {count} 条,哈希链连续。")
        return EXIT_OK
    out.emit({"rows": count, "ok": False, "first_broken": broken},
             f"审计日志在第 {broken} 条处被改动或删除过(哈希链断开)。请从备份中核对该条之后的记录。")
    return EXIT_USER


def cmd_backup(args, store, out: Output) -> int:
    from desktop.store.db import backup

    target = backup(store, args.file)
    out.emit({"backup": str(target)}, f"已备份到 {target}")
    return EXIT_OK


COMMANDS = {"init": cmd_init, "people": cmd_people, "ab": cmd_ab, "audit": cmd_audit, "backup": cmd_backup}


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # -h, --version and argument errors
        return int(exc.code or 0)
    if args.command is None:
        from desktop.app import main as gui_main

        return gui_main(argv)
    clock = clock or SystemClock()
    out = Output(args.json)
    store = None
    try:
        store = _open(args, clock)
        return COMMANDS[args.command](args, store, out)
    except UserError as exc:
        sys.stderr.write(f"错误:{exc}\n")
        return EXIT_USER
    except KeyboardInterrupt:
        sys.stderr.write("已取消。\n")
        return EXIT_USER
    except Exception:
        sys.stderr.write("内部错误:DutyDesk 遇到了一个程序缺陷,操作没有完成,数据没有被改动。请把以下信息发给维护人员:\n")
        traceback.print_exc()
        return EXIT_BUG
    finally:
        if store is not None:
            store.close()
