"""The command line (DESIGN.md "Command line"): a stable contract other tools depend on.

`main(argv) -> int` backs the `dutydesk` script, `python -m desktop` and the frozen build.
Without a subcommand it opens the GUI. Errors go to stderr in Chinese with exit code 2;
nothing is half-written on error (every write is one transaction).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from desktop import __version__, ops
from desktop.cli_backup import add_parsers as add_backup_commands
from desktop.cli_backup import cmd_backup, cmd_restore
from desktop.cli_meeting import add_meeting_parser, cmd_meeting
from desktop.cli_operator import add_commands as add_operator_commands
from desktop.cli_operator import cmd_operator, sign_in
from desktop.core.clock import Clock, SystemClock
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role, parse_role

EXIT_OK, EXIT_BUG, EXIT_USER = 0, 1, 2

_ARGPARSE_CN = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数:\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数:\1"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"参数 \1 的值“\2”无效,可选:\3"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", r"参数 \1 的值“\3”格式不对"),
    (r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"无效的命令“\1”,可选:\2"),
    (r"argument (\S+): (.*[\u4e00-\u9fff].*)", r"参数 \1:\2"),
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


def _record_id(text: str) -> int:
    """A record number (编号): a positive integer that SQLite can hold (2**63 and more crashed a lookup)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"编号“{text}”不是整数,请写记录的编号,例如 12") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"编号“{text}”不存在:编号是从 1 开始的整数")
    return value


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对,请写成 2026-10-01 这样的形式") from None
    if not 1900 <= value.year <= 2099:
        raise argparse.ArgumentTypeError(f"日期“{text}”超出范围(1900–2099 年)")
    return value


_HALVES = {"am": "am", "pm": "pm", "上午": "am", "下午": "pm"}


def _date_half(text: str) -> tuple[dt.date, str]:
    """2026-11-26, 2026-11-26pm, 2026-11-26上午."""
    raw = text.strip()
    for suffix, half in _HALVES.items():
        if raw.lower().endswith(suffix):
            return _date(raw[: -len(suffix)]), half
    return _date(raw), "full"


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间“{text}”格式不对,请写成 2026-11-25T09:00 这样的形式") from None


def _int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if abs(value) > 3650:
        raise argparse.ArgumentTypeError(f"{value} 太大了:最多 ±3650 个工作日")
    return value


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 <= int(text) <= 2099:
        raise argparse.ArgumentTypeError(f"年份“{text}”不对,请写四位数字,例如 2027")
    return int(text)


def _month(text: str) -> tuple[int, int]:
    """2026-10 -> (2026, 10)."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if not m or not 1900 <= int(m[1]) <= 2099 or not 1 <= int(m[2]) <= 12:
        raise argparse.ArgumentTypeError(f"月份“{text}”格式不对,请写成 2026-10 这样的形式")
    return int(m[1]), int(m[2])


def _week(text: str) -> tuple[int, int]:
    """2026-W40 -> (2026, 40) (ISO week)."""
    m = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", text)
    if not m or not 1900 <= int(m[1]) <= 2099:
        raise argparse.ArgumentTypeError(f"周次“{text}”格式不对,请写成 2026-W40 这样的形式(ISO 周)")
    return int(m[1]), int(m[2])


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", type=Path, default=default, metavar="PATH", help="数据库文件(默认在用户数据文件夹)")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="以 JSON 输出结果")
    parser.add_argument("--operator", default=default, metavar="NAME",
                        help="启用登录的数据库:以这个操作员登录(也可设环境变量 DUTYDESK_OPERATOR)")


def build_parser() -> ChineseArgumentParser:
    from desktop.core.absence import AbsenceState

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

    workdays = command("workdays", "工作日计算").add_subparsers(dest="workdays_command", parser_class=ChineseArgumentParser,
                                                          metavar="子命令", required=True)
    p = command("add", "DATE 之后第 N 个工作日(起始日不计;N 为负数时向前)", workdays)
    p.add_argument("date", type=_date, metavar="DATE")
    p.add_argument("n", type=_int, metavar="N")
    p = command("count", "(START, END] 中的工作日天数", workdays)
    p.add_argument("start", type=_date, metavar="START")
    p.add_argument("end", type=_date, metavar="END")
    p = command("is", "DATE 是工作日还是休息日", workdays)
    p.add_argument("date", type=_date, metavar="DATE")

    calendar = command("calendar", "节假日日历").add_subparsers(dest="calendar_command", parser_class=ChineseArgumentParser,
                                                           metavar="子命令", required=True)
    p = command("status", "各年份日历数据的来源:正式 / 更正 / 暂定", calendar)
    p.add_argument("year", nargs="?", type=_year, metavar="YEAR")
    p = command("import-notice", "导入国务院办公厅的放假通知(UTF-8 文本)", calendar)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只显示将要变更的日子,不写入")

    kinds = "、".join(f"{k.value}({k.label})" for k in AbsenceKind)
    absence = command("absence", "外出报备与请假").add_subparsers(dest="absence_command", parser_class=ChineseArgumentParser,
                                                            metavar="子命令", required=True)
    p = command("add", "登记一次外出或请假(默认立即报送并按规则生成审批流程)", absence)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", required=True, choices=[k.value for k in AbsenceKind], metavar="KIND", help=kinds)
    p.add_argument("--from", dest="start", required=True, type=_date_half, metavar="DATE[pm]",
                   help="开始日期;加 pm 表示下午开始")
    p.add_argument("--to", dest="end", required=True, type=_date_half, metavar="DATE[am]",
                   help="结束日期;加 am 表示上午结束")
    p.add_argument("--dest", default="", metavar="X", help="目的地")
    p.add_argument("--reason", default="", metavar="X", help="事由")
    p.add_argument("--reported-at", type=_datetime, default=None, metavar="DATETIME", help="报告时间(默认现在)")
    p.add_argument("--urgent", action="store_true", help="因紧急事项临时外出")
    p.add_argument("--acting", action="append", default=[], metavar="NAME", help="代行人(可重复)")
    p.add_argument("--contact", default="", metavar="X", help="外出期间联系方式")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--leaves", dest="leaves", action="store_true", default=None, help="离开辖区(离市/离县)")
    where.add_argument("--within", dest="leaves", action="store_false", help="不离开辖区")
    p.add_argument("--draft", action="store_true", help="只保存草稿,不报送")
    p = command("advance", "办理下一步(报告/审批/通报/报备),或退回", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--by", required=True, metavar="NAME", help="办理人姓名(办公室的步骤可写经办人)")
    p.add_argument("--reject", action="store_true", help="退回(需写明理由)")
    p.add_argument("--comment", default="", metavar="X")
    p = command("return", "销假:登记实际返回日期", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--on", required=True, type=_date_half, metavar="DATE[am]")
    p = command("list", "列出外出/请假记录", absence)
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="DATE")
    p.add_argument("--person", default=None, metavar="NAME")
    p.add_argument("--state", default=None, choices=[s.value for s in AbsenceState], metavar="S",
                   help="、".join(f"{s.value}({s.label})" for s in AbsenceState))
    p = command("extend", "延期(或提前结束):修改已批准记录的计划结束日期,保留原计划", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--to", dest="end", required=True, type=_date_half, metavar="DATE[am]")
    p.add_argument("--reason", default="", metavar="X")
    p = command("submit", "报送一条草稿(按规则生成流程)", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p = command("cancel", "取消已批准但尚未开始的外出", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--reason", default="", metavar="X")
    p = command("withdraw", "撤回尚未批准的外出/请假", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--reason", default="", metavar="X")

    p = command("acting", "某日谁外出、谁代行、哪些缺位尚未指定")
    p.add_argument("date", type=_date, metavar="DATE")
    p = command("designate", "办公室指定其他领导代行(AB角双方同时外出时)")
    p.add_argument("name", metavar="NAME", help="代行的领导")
    p.add_argument("--for", dest="absent", required=True, metavar="NAME,NAME", help="外出的领导")
    p.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    p.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    p.add_argument("--reason", default="", metavar="X")
    p = command("override", "记录主要负责人与常务副职同时外出等提醒的理由")
    p.add_argument("--roles", default="chief,executive_deputy", metavar="ROLE,ROLE")
    p.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    p.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    p.add_argument("--reason", required=True, metavar="X")
    p = command("check", "列出区间内所有违反规则之处")
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="DATE")

    # duty: `duty plan YEAR [--holiday NAME]` is the DESIGN.md contract; --month, --week, --officers,
    # --release and the pin / swap / replace / list subcommands are additions.
    duty = command("duty", "节假日领导带班与值班排班").add_subparsers(dest="duty_command", parser_class=ChineseArgumentParser,
                                                           metavar="子命令", required=True)
    p = command("plan", "生成排班(保留手动指定、调班与替换)并显示各人负荷;默认为全年", duty)
    p.add_argument("year", nargs="?", type=_year, metavar="YEAR", help="年份(用 --month / --week 时可省略)")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--holiday", metavar="NAME", help="某个假期,例如“国庆节”“春节”")
    scope.add_argument("--month", type=_month, metavar="YYYY-MM", help="某个月(附加功能)")
    scope.add_argument("--week", type=_week, metavar="2026-W40", help="某个 ISO 周(附加功能)")
    p.add_argument("--officers", action="store_true", help="排值班员(默认排带班领导)")
    p.add_argument("--release", action="append", type=_date, default=[], metavar="DATE",
                   help="先取消这一天的固定安排再排(可重复)")
    p.add_argument("--release-all", action="store_true", help="取消全部固定安排(手动指定、调班、替换)后重排")
    p = command("pin", "手动指定某人某天带班(固定,重新排班时保留)", duty)
    p.add_argument("date", type=_date, metavar="DATE")
    p.add_argument("name", metavar="NAME")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--holiday", metavar="NAME", help="该日尚未排班时:排这个假期")
    where.add_argument("--year", type=_year, metavar="YEAR", help="该日尚未排班时:排这一整年")
    p.add_argument("--officers", action="store_true", help="指定值班员(默认带班领导)")
    p = command("swap", "调班:两天的带班人互换(双方都固定)", duty)
    p.add_argument("date_a", type=_date, metavar="DATE_A")
    p.add_argument("date_b", type=_date, metavar="DATE_B")
    p.add_argument("--officers", action="store_true", help="值班员调班(一天有多人时用 --person-a/--person-b 指明)")
    p.add_argument("--person-a", default=None, metavar="NAME")
    p.add_argument("--person-b", default=None, metavar="NAME")
    p = command("replace", "临时替换:某天改由 NAME 带班;不写 NAME 时列出候选人及理由", duty)
    p.add_argument("date", type=_date, metavar="DATE")
    p.add_argument("name", nargs="?", default=None, metavar="NAME")
    p.add_argument("--reason", default="", metavar="X", help="替换原因(写 NAME 时必填)")
    p.add_argument("--officers", action="store_true", help="替换值班员(一天有多人时用 --out 指明被替换的人)")
    p.add_argument("--out", default=None, metavar="NAME", help="被替换的人")
    p = command("list", "列出某年的值班排班", duty)
    p.add_argument("year", type=_year, metavar="YEAR")

    audit = command("audit", "审计日志").add_subparsers(dest="audit_command", parser_class=ChineseArgumentParser,
                                                      metavar="子命令", required=True)
    command("verify", "校验审计日志的哈希链", audit)
    add_operator_commands(command)

    add_backup_commands(command)  # dutydesk backup …, dutydesk restore … (desktop/cli_backup.py)

    p = command("export", "导出一周领导在岗情况表、值班安排或外出报备及请假记录(xlsx、pdf、ics、csv、docx)")
    p.add_argument("what", choices=["weekly", "duty", "absences"], metavar="{weekly|duty|absences}",
                   help="weekly 一周领导在岗情况表;duty 值班安排;absences 外出报备及请假记录")
    p.add_argument("--format", dest="fmt", required=True, choices=["xlsx", "pdf", "ics", "csv", "docx"],
                   metavar="{xlsx|pdf|ics|csv|docx}", help="文件格式")
    p.add_argument("-o", "--output", dest="output", required=True, type=Path, metavar="FILE", help="导出到这个文件")
    p.add_argument("--week", type=_week, default=None, metavar="2026-W49", help="weekly:哪一周(ISO 周,默认本周)")
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="DATE",
                   help="duty、absences:开始日期(默认今年 1 月 1 日)")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="DATE",
                   help="duty、absences:结束日期(默认今年 12 月 31 日)")
    marking = p.add_mutually_exclusive_group()
    marking.add_argument("--mark", dest="mark", action="store_true", default=None,
                         help="xlsx、pdf、docx 页眉左上角标注“内部资料 注意保存”(默认按规则设置 [export])")
    marking.add_argument("--no-mark", dest="mark", action="store_false", help="不加保密标注")
    add_meeting_parser(command)  # dutydesk meeting … (desktop/cli_meeting.py)
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

    store = open_store(args.db or default_db_path(), clock)
    if store.read_only:  # reads work; a write exits 2 with the reason (desktop/store/db.py)
        sys.stderr.write(f"注意:数据库文件 {store.path} 只读,只能查看。\n")
    if store.backup_problem:
        sys.stderr.write(f"注意:{store.backup_problem}\n")
    try:
        sign_in(args, store)  # when the database has operator accounts (desktop/cli_operator.py)
    except BaseException:
        store.close()
        raise
    return store


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
        from desktop.export.tabular import read_sheet

        # read_sheet keeps blank rows, so the row numbers in a refusal are the ones Excel shows
        sheet = read_sheet(args.file, "人员名单", "第一行应是表头(姓名、角色……),下面每行一个人。")
        parsed = parse_rows(list(sheet.header), sheet.rows, sheet.first_row)
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


def _warn_provisional(provisional: bool, what: str) -> None:
    if provisional:
        sys.stderr.write(f"注意:{what}用到了暂定日历(该年份尚无国务院放假通知,只含法定节日、不含调休),"
                         "通知公布后请用 dutydesk calendar import-notice 导入。\n")


def cmd_workdays(args, store, out: Output) -> int:
    from desktop.core.workcal import format_cn
    from desktop.store.calendar import load_calendar

    if args.workdays_command == "add":
        cal = load_calendar(store, args.date.year + 1 + abs(args.n) // 200)
        r = cal.add_workdays_ex(args.date, args.n)
        _warn_provisional(r.provisional, "计算")
        out.emit({"start": args.date, "n": args.n, "date": r.date, "weekday": format_cn(r.date)[-3:],
                  "skipped_rest_days": r.skipped_rest_days, "provisional": r.provisional},
                 r.date.isoformat())
    elif args.workdays_command == "count":
        cal = load_calendar(store, max(args.start.year, args.end.year))
        r = cal.count_workdays_ex(args.start, args.end)
        _warn_provisional(r.provisional, "计算")
        out.emit({"start": args.start, "end": args.end, "workdays": r.count, "provisional": r.provisional}, str(r.count))
    else:
        cal = load_calendar(store, args.date.year + 1)
        entry = cal.entry(args.date)
        work = cal.is_workday(args.date)
        provisional = cal.is_provisional(args.date)
        if entry.name:
            reason = entry.name
        elif entry.source == "weekend" and not work:
            reason = "周末"
        else:
            reason = "工作日" if work else "休息日"
        _warn_provisional(provisional, "判断")
        out.emit({"date": args.date, "result": "workday" if work else "restday", "workday": work, "reason": reason,
                  "source": cal.year_source(args.date.year) if entry.source == "weekend" else entry.source,
                  "provisional": provisional},
                 f"{'workday' if work else 'restday'}  {format_cn(args.date)}  {reason}")
    return EXIT_OK


def cmd_calendar(args, store, out: Output) -> int:
    from desktop.store import calendar

    if args.calendar_command == "status":
        through = max(args.year or 0, store.clock.today().year + 1)
        rows = calendar.year_status(store, through)
        if args.year is not None:
            rows = [r for r in rows if r.year == args.year]
            if not rows:
                raise UserError(f"{args.year}年没有日历数据(程序的日历从 2004 年开始)。")

        def text() -> str:
            return "\n".join(f"{r.year}  {r.label:<22} 休息日 {r.rest_days:>3} 天  节日 {r.holidays:>2} 天  调休上班 {r.makeup_days} 天"
                             for r in rows)

        out.emit([{"year": r.year, "source": r.source, "provisional": r.source == "provisional", "title": r.title,
                   "rest_days": r.rest_days, "holidays": r.holidays, "makeup_workdays": r.makeup_days} for r in rows], text)
        return EXIT_OK
    from desktop.core.notice import parse_notice

    try:
        text_in = args.file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"找不到文件 {args.file}。") from None
    except UnicodeDecodeError:
        raise UserError(f"{args.file} 不是 UTF-8 编码的文本。请用记事本“另存为”并选择 UTF-8 编码后再导入。") from None
    except OSError as exc:  # a folder, no permission, a name too long
        raise UserError(f"无法读取 {str(args.file)[:80]}:{exc.strerror or exc}。请选择放假通知的文本文件(.txt)。") from None
    notice = parse_notice(text_in)
    changes = calendar.notice_changes(store, notice) if args.dry_run else calendar.import_notice(store, notice)
    from desktop.store.calendar import DayChange

    data = {"year": notice.year, "applied": not args.dry_run,
            "changes": [{"date": c.day, "before": DayChange.describe(c.before, c.day),
                         "after": DayChange.describe(c.after, c.day)} for c in changes]}

    def text() -> str:
        head = f"{notice.year}年放假通知:{'将变更' if args.dry_run else '已导入,变更'} {len(changes)} 天。"
        return "\n".join([head] + [f"  {c.day.isoformat()}  {DayChange.describe(c.before, c.day)} → {DayChange.describe(c.after, c.day)}"
                                    for c in changes])

    out.emit(data, text)
    return EXIT_OK


def _profile(store):
    from desktop.core.profile import load_profile
    from desktop.resources import profiles_dir
    from desktop.store.org import get_org

    _require_org(store)
    return load_profile(profiles_dir() / f"{get_org(store).profile_id}.toml")


def _absence_json(r, steps=None, names=None) -> dict:
    names = names or {}
    data = {"id": r.id, "person": names.get(r.person_id, r.person_id), "kind": r.kind.value, "kind_label": r.kind.label,
            "start": r.start, "start_half": r.start_half.value, "end": r.end, "end_half": r.end_half.value,
            "destination": r.destination, "reason": r.reason, "leaves_jurisdiction": r.leaves_jurisdiction,
            "reported_at": r.reported_at.isoformat(timespec="minutes") if r.reported_at else None, "urgent": r.urgent,
            "acting": [names.get(i, i) for i in r.acting_ids], "contact": r.contact, "state": r.state.value,
            "state_label": r.state.label, "actual_return": r.actual_return}
    if steps is not None:
        data["steps"] = [{"seq": s.seq, "stage": s.stage, "action": s.action.value, "label": s.label, "target": s.target_text,
                          "state": s.state.value, "done_by": s.done_by, "note": s.note} for s in steps]
    return data


def _finding_json(f) -> dict:
    return {"kind": f.kind, "severity": f.severity, "record_id": f.record_id, "person_id": f.person_id, "date": f.date,
            "date_to": f.date_to, "message": f.message, "article": f.article, "provisional": f.provisional}


SEVERITY_CN = {"violation": "违规", "warning": "提醒", "info": "说明"}


def _absence_line(r, names) -> str:
    return (f"#{r.id:<5} {names.get(r.person_id, r.person_id):<6} {r.kind.label:<6} {r.span_text:<28} "
            f"{r.destination:<10} {r.state.label}")


def cmd_absence(args, store, out: Output) -> int:
    from desktop.core.absence import Absence, Half
    from desktop.core.absence import AbsenceState as ab_state
    from desktop.store import absences, people

    profile = _profile(store)
    names = {p.id: p.name for p in people.list_people(store)}
    c = args.absence_command
    if c == "add":
        person = people.find_person(store, args.name)
        kind = AbsenceKind(args.kind)
        leaves = args.leaves if args.leaves is not None else kind in (AbsenceKind.trip, AbsenceKind.abroad, AbsenceKind.study)
        draft = Absence(id=None, person_id=person.id, kind=kind, start=args.start[0], start_half=Half(args.start[1]),
                        end=args.end[0], end_half=Half(args.end[1]), destination=args.dest, reason=args.reason,
                        leaves_jurisdiction=leaves, reported_at=args.reported_at, urgent=args.urgent,
                        acting_ids=tuple(people.find_person(store, n).id for n in args.acting), contact=args.contact)
        saved = ops.absences.add_absence(store, profile, draft, submit=not args.draft).value
        data = _absence_json(saved.record, saved.steps, names) | {"findings": [_finding_json(f) for f in saved.findings]}

        def text() -> str:
            lines = [f"已登记 #{saved.record.id}:{person.name} {saved.record.kind.label} {saved.record.span_text},"
                     f"状态:{saved.record.state.label}"]
            lines += [f"  步骤{s.seq}:{s.label}({s.target_text}){'  ' + s.note if s.note else ''}" for s in saved.steps]
            lines += [f"  [{SEVERITY_CN[f.severity]}] {f.message}" for f in saved.findings]
            return "\n".join(lines)

        out.emit(data, text)
    elif c == "advance":
        record, outcome = ops.absences.advance_absence(store, args.id, args.by, reject=args.reject, comment=args.comment).value
        steps = absences.steps_of(store, args.id)
        nxt = next((s for s in steps if s.state.value == "pending"), None)
        out.emit(_absence_json(record, steps, names) | {"outcome": outcome},
                 f"#{record.id}:{ {'step_done': '已办理本步骤', 'approved': '全部步骤已完成,已批准', 'rejected': '已退回'}[outcome]}。"
                 + (f"下一步:{nxt.label}({nxt.target_text})" if nxt and outcome == "step_done" else ""))
    elif c == "return":
        record = ops.absences.return_absence(store, args.id, args.on[0], Half(args.on[1])).value
        from desktop.core.absence import return_note

        out.emit(_absence_json(record, None, names), f"#{record.id} 已销假:{return_note(record)}")
    elif c == "extend":
        record = ops.absences.extend_absence(store, args.id, args.end[0], Half(args.end[1]), args.reason).value
        out.emit(_absence_json(record, None, names) | {"original_end": record.original_end},
                 f"#{record.id} 计划改为 {record.span_text}(原计划至 {record.original_end})。")
    elif c == "submit":
        saved = ops.absences.submit_draft(store, profile, args.id).value
        out.emit(_absence_json(saved.record, saved.steps, names) | {"findings": [_finding_json(f) for f in saved.findings]},
                 f"#{saved.record.id} 已报送,状态:{saved.record.state.label}。")
    elif c in ("cancel", "withdraw"):
        record = ops.absences.set_state(store, args.id, c, args.reason).value
        out.emit(_absence_json(record, None, names), f"#{record.id} {record.state.label}。")
    else:
        person_id = people.find_person(store, args.person).id if args.person else None
        rows = absences.list_absences(store, start=args.start, end=args.end, person_id=person_id,
                                      state=ab_state(args.state) if args.state else None)
        out.emit([_absence_json(r, None, names) for r in rows],
                 lambda: "\n".join(_absence_line(r, names) for r in rows) or "(没有记录)")
    return EXIT_OK


def cmd_acting(args, store, out: Output) -> int:

    profile = _profile(store)
    report = ops.absences.acting_on(store, profile, args.date)
    data = {
        "date": args.date,
        "away": [{"person": e.person.name, "record_id": e.absence.id, "kind": e.absence.kind.value,
                  "destination": e.absence.destination, "half": e.half.value} for e in report.away],
        "acting": [{"for": e.absent_person.name, "actor": e.actor.name if e.actor else None, "basis": e.basis,
                    "scope": e.scope, "article": e.article, "half": e.half.value if e.half else None} for e in report.acting],
        "gaps": [{"absent": [p.name for p in g.absent], "reason": g.reason, "severity": g.severity, "article": g.article,
                  "suggestions": [p.name for p in g.suggestions]} for g in report.gaps],
        "warnings": [{"kind": w.kind, "message": w.message, "severity": w.severity, "overridden": w.overridden,
                      "reason": w.reason, "article": w.article} for w in report.warnings],
    }

    def text() -> str:
        from desktop.core.workcal import format_cn

        lines = [format_cn(args.date)]
        if not report.away:
            lines.append("  全体在岗。")
        for e in report.away:
            lines.append(f"  外出:{e.person.name}({e.absence.kind.label}{' ' + e.absence.destination if e.absence.destination else ''}"
                         f"{'' if e.half.value == 'full' else ',' + e.half.label})")
        for e in report.acting:
            lines.append(f"  代行:{e.absent_person.name} → {e.actor.name if e.actor else '(无人)'}  {e.scope}  〔{e.article}〕")
        for g in report.gaps:
            lines.append(f"  缺位:{g.reason}  可指定:{'、'.join(p.name for p in g.suggestions) or '无'}  〔{g.article}〕")
        for w in report.warnings:
            lines.append(f"  {'已说明' if w.overridden else '提醒'}:{w.message}")
        return "\n".join(lines)

    out.emit(data, text)
    return EXIT_OK


def cmd_designate(args, store, out: Output) -> int:
    import re as _re

    from desktop.core.acting import Designation
    from desktop.store import people

    designee = people.find_person(store, args.name)
    absent = [people.find_person(store, n) for n in _re.split(r"[,，、]", args.absent) if n.strip()]
    d = ops.absences.designate(store, Designation(date_from=args.start, date_to=args.end,
                                              absent_ids=frozenset(p.id for p in absent), designee_id=designee.id,
                                              reason=args.reason)).value
    out.emit({"id": d.id, "designee": designee.name, "for": [p.name for p in absent], "from": d.date_from, "to": d.date_to},
             f"已指定:{args.start} 至 {args.end},由{designee.name}代行{'、'.join(p.name for p in absent)}的职责。")
    return EXIT_OK


def cmd_override(args, store, out: Output) -> int:
    from desktop.core.acting import Override

    roles = frozenset(parse_role(r) for r in args.roles.split(","))
    o = ops.absences.override(store, Override(roles=roles, date_from=args.start, date_to=args.end, reason=args.reason)).value
    out.emit({"id": o.id, "roles": sorted(r.value for r in roles), "from": o.date_from, "to": o.date_to, "reason": o.reason},
             f"已记录理由:{o.reason}")
    return EXIT_OK


def cmd_check(args, store, out: Output) -> int:

    profile = _profile(store)
    today = store.clock.today()
    start = args.start or today.replace(month=1, day=1)
    end = args.end or today.replace(month=12, day=31)
    if end < start:
        raise UserError(f"结束日期 {end} 早于开始日期 {start},请检查 --from 和 --to。")
    findings = ops.absences.check(store, profile, start, end)
    provisional = any(f.provisional for f in findings)
    _warn_provisional(provisional, "检查")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_CN}
    out.emit({"from": start, "to": end, "counts": counts, "provisional": provisional,
              "findings": [_finding_json(f) for f in findings]},
             lambda: "\n".join([f"{start} 至 {end}:违规 {counts['violation']} 处,提醒 {counts['warning']} 处。"]
                               + [f"  [{SEVERITY_CN[f.severity]}] {f.message}  〔{f.article}〕" for f in findings]))
    return EXIT_OK


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _display_width(text), 0)


def _duty_scope(args, store):
    from desktop.core.duty import month_scope, week_scope, year_scope
    from desktop.store import duty

    if args.month:
        if args.year is not None and args.year != args.month[0]:
            raise UserError(f"年份 {args.year} 与 --month {args.month[0]}-{args.month[1]:02d} 不一致,请只写一个。")
        return month_scope(*args.month)
    if args.week:
        return week_scope(*args.week)
    if args.year is None:
        raise UserError("请写明年份,例如:dutydesk duty plan 2026 --holiday 国庆节")
    if args.holiday:
        return duty.holiday_plan_scope(store, args.year, args.holiday)
    return year_scope(args.year)


def _slot(args) -> str:
    from desktop.store import duty

    return duty.OFFICER if getattr(args, "officers", False) else duty.LEADER


def _num(x) -> float:
    return round(float(x), 2)


def _load_json(line) -> dict:
    return {"name": line.name, "quota": _num(line.quota), "count": line.count, "fixed": line.fixed,
            "prior": line.prior, "total": line.total, "target": _num(line.target),
            "heavy_days": [d.isoformat() for d in line.heavy_days], "heavy_history": line.heavy_history,
            "text": line.text}


def _duty_output(store, out: Output, plan_id: int, loads=(), head: str = "") -> None:
    """The plan as stored: a table (日期 星期 节日 带班领导) and the load lines, or JSON."""
    from desktop.store import duty

    stored = duty.load_plan(store, plan_id)
    info = stored.info
    found = ops.duty.conflicts(store, plan_id)
    _warn_provisional(info.provisional, "排班")
    leader = info.slot == duty.LEADER
    days = []
    for d in stored.dates():
        rows = stored.on(d)
        first = rows[0]
        entry = {"date": d, "weekday": first.weekday, "holiday": first.holiday, "heavy": first.heavy is not None,
                 "heavy_kind": first.heavy, "heavy_label": first.heavy_label}
        if leader:
            entry |= {"leader": first.name, "phone": first.phone, "fixed": first.fixed, "note": first.note,
                      "reasons": list(first.reasons)}
        else:
            entry["officers"] = [{"name": r.name, "phone": r.phone, "shift": r.shift, "fixed": r.fixed, "note": r.note,
                                  "reasons": list(r.reasons)} for r in rows]
        days.append(entry)
    data = {"plan_id": info.id, "year": info.year, "scope": info.label, "start": info.start, "end": info.end,
            "slot": info.slot, "provisional": info.provisional, "days": days,
            "loads": [_load_json(line) for line in loads],
            "conflicts": [{"date": c.date, "name": c.name, "kind": c.kind, "message": c.message} for c in found]}

    def text() -> str:
        noun = duty.SLOT_LABELS[info.slot]
        lines = [head] if head else []
        lines.append(f"{info.title}(共 {len(days)} 个值班日){'  【暂定日历】' if info.provisional else ''}")
        holiday_w = max([_display_width(r.holiday or "") for r in stored.rows] + [4]) + 2
        lines.append(f"{_pad('日期', 12)}{_pad('星期', 8)}{_pad('节日', holiday_w)}{noun}")
        for d in stored.dates():
            rows = stored.on(d)
            names = "、".join(("★" if r.heavy else "") + r.name + (f"({r.fixed_label})" if r.fixed else "")
                             for r in rows)
            lines.append(f"{_pad(d.isoformat(), 12)}{_pad(rows[0].weekday, 8)}{_pad(rows[0].holiday or '', holiday_w)}{names}")
        lines.append("★ 重点日(除夕、春节初一、国庆10月1日);(固定)(调班)(替换)重新排班时保留。")
        for c in found:
            lines.append(f"冲突:{c.message}")
        if loads:
            lines.append("各人负荷:")
            lines += [f"  {line.text}" for line in loads]
        return "\n".join(lines)

    out.emit(data, text)


def _plan_of_day(store, day, slot):
    from desktop.core.absence import cn_date
    from desktop.store import duty

    info = duty.plan_on(store, day, slot)
    if info is None:
        raise UserError(f"{cn_date(day)}还没有排{duty.SLOT_LABELS[slot]}。请先运行 dutydesk duty plan {day.year} --holiday <假期>,"
                        f"或用 dutydesk duty list {day.year} 查看已有排班。")
    return info


def _scope_holding(store, day, holiday: str | None):
    """The holiday block holding ``day`` (named ``holiday`` if given), for a pin before any plan."""
    from desktop.core.absence import cn_date
    from desktop.core.duty import PlanScope
    from desktop.store import duty

    for year in (day.year, day.year + 1):
        for block in duty.year_blocks(store, year):
            if day in block and (holiday is None or block.matches(holiday)):
                return PlanScope(block.start, block.end, f"{year}年{block.name}")
    if holiday:
        scope = duty.holiday_plan_scope(store, day.year, holiday)  # names the year's holidays if unknown
        raise UserError(f"{cn_date(day)}不在{scope.label}({scope.start}至{scope.end})之内。")
    raise UserError(f"{cn_date(day)}不在任何假期中,也还没有排班。请用 --holiday <假期> 或 --year <年份> 指明排班范围。")


def cmd_duty(args, store, out: Output) -> int:
    from desktop.store import duty, people

    profile = _profile(store)
    c = args.duty_command
    if c == "plan":
        scope = _duty_scope(args, store)
        saved = ops.duty.plan(store, profile, scope, _slot(args), keep_pins=not args.release_all, release=args.release).value
        head = ""
        if saved.dropped:
            head = "已放弃不再是值班日的固定安排:" + "、".join(f"{p.date}" for p in saved.dropped)
        _duty_output(store, out, saved.info.id, saved.plan.loads, head)
    elif c == "pin":
        from desktop.core.duty import Pin, year_scope

        slot = _slot(args)
        person = people.find_person(store, args.name)
        info = duty.plan_on(store, args.date, slot)
        if info is not None:
            saved = ops.duty.pin(store, profile, info.id, args.date, person.id).value
        else:
            scope = year_scope(args.year) if args.year else _scope_holding(store, args.date, args.holiday)
            saved = ops.duty.plan(store, profile, scope, slot, extra_pins=[Pin(args.date, person.id)]).value
        _duty_output(store, out, saved.info.id, saved.plan.loads,
                     f"已固定:{person.name} {args.date.isoformat()}{'带班' if slot == duty.LEADER else '值班'}。")
    elif c == "swap":
        slot = _slot(args)
        info = _plan_of_day(store, args.date_a, slot)
        a = people.find_person(store, args.person_a).id if args.person_a else None
        b = people.find_person(store, args.person_b).id if args.person_b else None
        saved = ops.duty.swap(store, profile, info.id, args.date_a, args.date_b, a, b).value
        moved = [x for x in saved.plan.assignments if x.fixed == "swap" and x.date in (args.date_a, args.date_b)]
        _duty_output(store, out, info.id, saved.plan.loads,
                     "已调班:" + ";".join(f"{x.name}改为 {x.date.isoformat()}" for x in moved) + "。")
    elif c == "replace":
        slot = _slot(args)
        info = _plan_of_day(store, args.date, slot)
        gone = people.find_person(store, args.out).id if args.out else None
        if args.name is None:
            cands = ops.duty.candidates(store, profile, info.id, args.date, gone, args.reason)
            on_day = [r.name for r in duty.load_plan(store, info.id).on(args.date)]
            _warn_provisional(info.provisional, "排班")

            def text() -> str:
                lines = [f"{args.date.isoformat()} 原定{'、'.join(on_day)},可替换的人选(最合适的在前):"]
                for n, cand in enumerate(cands, start=1):
                    lines.append(f"  {n}. {_pad(cand.name, 8)}{';'.join(r.rstrip('。') for r in cand.reasons)}")
                lines.append("确定人选后运行:dutydesk duty replace DATE NAME --reason <原因>")
                return "\n".join(lines)

            out.emit({"plan_id": info.id, "date": args.date, "on_duty": on_day, "provisional": info.provisional,
                      "candidates": [{"name": x.name, "available": x.available, "count": x.count,
                                      "load_after": _num(x.load_after), "target": _num(x.target), "adjacent": x.adjacent,
                                      "heavy_history": x.heavy_history, "reasons": list(x.reasons)} for x in cands]},
                     text)
            return EXIT_OK
        if not args.reason.strip():
            raise UserError("请用 --reason 写明替换原因,例如 --reason 临时出差。")
        person = people.find_person(store, args.name)
        saved = ops.duty.replace(store, profile, info.id, args.date, person.id, args.reason, gone).value
        _duty_output(store, out, info.id, saved.plan.loads,
                     f"已替换:{args.date.isoformat()} 改由{person.name}{'带班' if slot == duty.LEADER else '值班'}。")
    else:
        listed = duty.plans(store, args.year)
        counts = {p.id: len(ops.duty.conflicts(store, p.id)) for p in listed}
        _warn_provisional(any(p.provisional for p in listed), "排班")

        def text() -> str:
            if not listed:
                return f"{args.year}年还没有值班排班。用 dutydesk duty plan {args.year} --holiday <假期> 生成。"
            lines = [f"{_pad('编号', 6)}{_pad('范围', 24)}{_pad('类别', 10)}{_pad('起止', 26)}值班日"]
            for p in listed:
                flags = ("  暂定" if p.provisional else "") + (f"  冲突 {counts[p.id]} 处" if counts[p.id] else "")
                lines.append(f"{_pad(str(p.id), 6)}{_pad(p.label, 24)}{_pad(p.slot_label, 10)}"
                             f"{_pad(f'{p.start} 至 {p.end}', 26)}{p.days}{flags}")
            return "\n".join(lines)

        out.emit([{"id": p.id, "year": p.year, "scope": p.label, "slot": p.slot, "start": p.start, "end": p.end,
                   "days": p.days, "provisional": p.provisional, "conflicts": counts[p.id], "version": p.version,
                   "updated_at": p.updated_at} for p in listed], text)
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


#: Commands that open the database themselves: they take (args, clock, out) (desktop/cli_backup.py:
#: `backup --list` and `restore` work on a damaged database, which cannot be opened).
SELF_OPENING = {"backup": cmd_backup, "restore": cmd_restore}


_QT_APP: list = []  # the QApplication the PDF exports need, kept alive for the process


def _ensure_qt_app() -> None:
    """A QApplication for Qt's PDF layout (the command line has none); offscreen on a Linux
    machine without a display."""
    import os

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["dutydesk"])
    if not _QT_APP:
        _QT_APP.append(app)


def cmd_export(args, store, out: Output) -> int:
    from desktop.export.exporter import FORMAT_LABELS, WHAT_LABELS, check_format, export
    from desktop.store.org import get_org

    check_format(args.what, args.fmt)
    profile = _profile(store)
    week = None
    if args.week is not None:
        year, number = args.week
        try:
            week = dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            raise UserError(f"{year}年没有第{number}周(ISO 周从 1 到 52 或 53)。") from None
    if args.fmt == "pdf":
        _ensure_qt_app()
    result = export(store, profile, args.what, args.fmt, args.output, week=week, start=args.start, end=args.end,
                    org_name=get_org(store).name, mark=args.mark)
    _warn_provisional(result.provisional, "导出")
    unit = "个日程" if args.fmt == "ics" else "行"
    out.emit({"what": args.what, "format": args.fmt, "path": str(result.path), "rows": result.rows,
              "provisional": result.provisional},
             f"已导出{WHAT_LABELS[args.what]}({FORMAT_LABELS[args.fmt]},{result.rows} {unit}):{result.path}")
    return EXIT_OK


COMMANDS = {"absence": cmd_absence, "acting": cmd_acting, "designate": cmd_designate, "override": cmd_override,
            "check": cmd_check, "workdays": cmd_workdays, "calendar": cmd_calendar, "init": cmd_init, "people": cmd_people, "ab": cmd_ab, "audit": cmd_audit,
            "duty": cmd_duty, "export": cmd_export, "meeting": cmd_meeting,
            "operator": cmd_operator}


def _utf8_when_redirected() -> None:
    """Output piped to a file or another program is UTF-8 (JSON readers expect it; a Western Windows
    code page cannot even encode Chinese). An interactive console is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and not stream.isatty() and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    from desktop.app import guard_streams

    guard_streams()  # a windowed (frozen) build has no stdout/stderr
    _utf8_when_redirected()
    argv = list(sys.argv[1:] if argv is None else argv)
    from desktop.app import opens_the_gui

    if opens_the_gui(argv):
        from desktop.app import main as gui_main

        return gui_main(argv, clock)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # -h, --version and argument errors
        return int(exc.code or 0)
    if args.command is None:
        from desktop.app import main as gui_main

        return gui_main(argv, clock)
    clock = clock or SystemClock()
    out = Output(args.json)
    store = None
    try:
        if args.command in SELF_OPENING:
            return SELF_OPENING[args.command](args, clock, out)
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
