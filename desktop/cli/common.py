"""What every command of the command line shares (desktop/cli): exit codes, the argparse parser with
its messages in Chinese, the argument types (dates, record numbers, years, weeks…), the options every
command takes (--db, --json, --operator), opening the store (signed in), the profile, and the output
(text or JSON). The command modules import from here; this module imports none of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from desktop.cli.signin import sign_in
from desktop.core.citation import cite
from desktop.core.clock import Clock
from desktop.core.errors import UserError

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
    from desktop.store.location import location_arg

    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", type=location_arg, default=default, metavar="PATH|URL",
                        help="数据库文件(默认在用户数据文件夹),或服务器数据库地址 postgresql://用户名@服务器地址/数据库名")
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="以 JSON 输出结果")
    parser.add_argument("--operator", default=default, metavar="NAME",
                        help="启用登录的数据库:以这个操作员登录(也可设环境变量 DUTYDESK_OPERATOR)")


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


def _utf8_when_redirected() -> None:
    """Output piped to a file or another program is UTF-8 (JSON readers expect it; a Western Windows
    code page cannot even encode Chinese). An interactive console is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and not stream.isatty() and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _warn_provisional(provisional: bool, what: str) -> None:
    if provisional:
        sys.stderr.write(f"注意:{what}用到了暂定日历(该年份尚无国务院放假通知,只含法定节日、不含调休),"
                         "通知公布后请用 dutydesk calendar import-notice 导入。\n")


def _finding_json(f, profile=None) -> dict:
    return {"kind": f.kind, "severity": f.severity, "record_id": f.record_id, "person_id": f.person_id, "date": f.date,
            "date_to": f.date_to, "message": f.message, "article": f.article,
            "citation": cite(f.article, profile), "provisional": f.provisional}


SEVERITY_CN = {"violation": "违规", "warning": "提醒", "info": "说明"}


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _display_width(text), 0)


# ---------------------------------------------------------------- the store and the profile

def _open(args, clock: Clock, *, reads_only: bool = False):
    """The store the command works on, signed in where the database has accounts. A command that only
    reads skips the integrity check and the daily backup (desktop.store.opening)."""
    from desktop.paths import default_db_path
    from desktop.store.opening import open_store

    store = open_store(args.db or default_db_path(), clock, check=not reads_only, daily_backup=not reads_only)
    if store.server:
        from desktop.store.operators import accounts_enabled

        if not accounts_enabled(store):  # a server is shared: every change must name its operator
            store.close()
            raise UserError(f"服务器数据库 {store.where} 还没有操作员账户,而服务器模式必须以账户登录。"
                            "请用 dutydesk server init 建库时指定 --admin,或由管理员新增账户。")
    if store.disk_full:  # reads work; a write exits 2 saying the disk is full (desktop/store/db.py)
        sys.stderr.write(f"注意:磁盘已满,数据库文件 {store.path} 以只读方式打开,只能查看;清理磁盘空间后才能修改。\n")
    elif store.read_only:  # reads work; a write exits 2 with the reason (desktop/store/db.py)
        sys.stderr.write(f"注意:数据库文件 {store.path} 只读,只能查看。\n")
    if store.changed_outside:
        sys.stderr.write(f"注意:{store.changed_outside}\n")
    if store.backup_problem:
        sys.stderr.write(f"注意:{store.backup_problem}\n")
    try:
        sign_in(args, store)  # when the database has operator accounts (desktop/cli/signin.py)
    except BaseException:
        store.close()
        raise
    return store


def _require_org(store) -> None:
    from desktop.store.org import get_org

    if get_org(store) is None:
        raise UserError("这个数据库还没有设置单位和规则预设。请先运行:dutydesk init --profile <预设> --org <单位名称>")


def _profile(store):

    _require_org(store)
    from desktop.ops.profile import effective  # the preset with the office's adjustments

    return effective(store)


def no_pdf(job, path):
    """The PDF renderer of a command line that was handed none (desktop.cli.main called without
    ``pdf``): a PDF is refused when it is about to be made, after every other check."""
    raise UserError("这里没有 PDF 排版组件(Qt),无法生成 PDF 文件。请用 dutydesk 程序运行这个命令。")
