"""The command line (DESIGN.md "Command line"): a stable contract other tools depend on.

`main(argv) -> int` is what the `dutydesk` program (desktop/entry.py) runs when it is given a
command. Errors go to stderr in Chinese with exit code 2; nothing is half-written on error (every
write is one transaction). The program hands in what the command line must not import: the GUI
(``gui``, for options that name no command) and the Qt PDF renderer (``pdf``, for the commands
that make a PDF).

One module per command group, each with ``register(command)`` (its subparsers) and its
``cmd_*`` handlers; what they share (argument types, opening the store, output) is
desktop/cli/common.py. No module of this package imports this one.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from desktop import __version__
from desktop.cli import (
    ab,
    absence,
    acting,
    audit,
    backup,
    calendar,
    demo,
    dept_roster,
    duty,
    export,
    meeting,
    operator,
    org,
    people,
    server,
    workdays,
)
from desktop.cli.common import (
    EXIT_BUG,
    EXIT_OK,
    EXIT_USER,
    ChineseArgumentParser,
    Output,
    _common,
    _open,
    _profile,
    _utf8_when_redirected,
    no_pdf,
)
from desktop.core.clock import Clock, SystemClock
from desktop.core.errors import UserError
from desktop.store import private

if TYPE_CHECKING:
    from desktop.export.pdf import PdfRenderer

__all__ = ["EXIT_BUG", "EXIT_OK", "EXIT_USER", "_profile", "build_parser", "main"]

#: The command groups, in the order `dutydesk -h` lists their commands.
GROUPS = (org, demo, people, ab, workdays, calendar, absence, acting, duty, dept_roster, audit, operator, backup, export,
          meeting, server)

#: Commands that work on an open store: they take (args, store, out), and those in MAKE_PDF also
#: the PDF renderer (pdf=).
COMMANDS = {"absence": absence.cmd_absence, "acting": acting.cmd_acting, "designate": acting.cmd_designate,
            "override": acting.cmd_override, "check": acting.cmd_check, "workdays": workdays.cmd_workdays,
            "calendar": calendar.cmd_calendar, "init": org.cmd_init, "demo": demo.cmd_demo, "people": people.cmd_people, "ab": ab.cmd_ab,
            "audit": audit.cmd_audit, "duty": duty.cmd_duty, "export": export.cmd_export,
            "meeting": meeting.cmd_meeting, "operator": operator.cmd_operator,
            "dept-roster": dept_roster.cmd_dept_roster}
MAKE_PDF = {"export", "meeting", "dept-roster"}

#: Commands that only read: opened without the integrity check and the daily backup, which belong to
#: the GUI's first open of the day and to the commands that write (bench/RESULTS.md "Reads at twenty
#: years of records": a read-only command answers within 3x a bare sqlite3 read of the same rows).
#: (command, subcommand); None: the command has no subcommands; "*": every subcommand.
READS = {("acting", None), ("check", None), ("export", None), ("workdays", "*"), ("calendar", "status"),
         ("absence", "list"), ("duty", "list"), ("people", "list"), ("ab", "list"), ("audit", "verify"),
         ("operator", "list"), ("meeting", "list"), ("meeting", "show"), ("meeting", "quorum"),
         ("meeting", "print"), ("dept-roster", "missing"), ("dept-roster", "list"), ("dept-roster", "print"),
         ("dept-roster", "export"), ("dept-roster", "template")}  # fmt: skip


def reads_only(args) -> bool:
    sub = getattr(args, f"{args.command.replace('-', '_')}_command", None)
    return bool({(args.command, sub), (args.command, "*")} & READS)


def build_parser(only: str | None = None, parser_class: type[ChineseArgumentParser] = ChineseArgumentParser
                 ) -> ChineseArgumentParser:
    """The whole command line; with ``only``, just the group that registers that command (what
    `parse` uses: building all 57 subparsers costs more than most commands take to run)."""
    parser = parser_class(prog="dutydesk", description="值班报备台 DutyDesk:领导外出报备、AB角、请销假与节假日带班。")
    parser.add_argument("--version", action="version", version=f"DutyDesk 值班报备台 {__version__}")
    parser.add_argument("--demo", action="store_true", help="用示例政府打开图形界面(不动您的真实数据库)")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser, metavar="命令")

    def command(name: str, help_text: str, parent: Any = sub) -> ChineseArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        _common(p, top=False)
        return p

    for group in GROUPS:
        if only is None or _GROUP_OF.get(only) is group:
            group.register(command)
    return parser


#: command name -> the group module that registers it
_SELF_OPENING = backup.SELF_OPENING | server.SELF_OPENING
_GROUP_OF = {name: sys.modules[fn.__module__] for name, fn in (COMMANDS | _SELF_OPENING).items()}
_TOP_VALUES = ("--db", "--operator")  # top-level options that take a value


class _Retry(Exception):
    pass


class _Probe(ChineseArgumentParser):
    """The top level of the one-group parser: any error is left to the whole parser to word."""

    def error(self, message: str):
        raise _Retry(message)


def _command_in(argv: Sequence[str]) -> str | None:
    """The command `argv` names, when the one-group parser can parse it (no top-level -h or --version)."""
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help", "--version"):
            return None
        if token in _TOP_VALUES:
            next(tokens, None)
        elif not token.startswith("-"):
            return token if token in _GROUP_OF else None
    return None


def parse(argv: Sequence[str]):
    """Parse `argv` exactly as the whole parser does, building only the named command's group."""
    name = _command_in(argv)
    if name is not None:
        try:
            return build_parser(name, _Probe).parse_args(argv)
        except _Retry:
            pass
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None, *,
         gui: Callable[[list[str], Clock | None], int] | None = None, pdf: PdfRenderer | None = None) -> int:
    """Run the command in ``argv``; ``gui(argv, clock)`` when the options name none (without a
    ``gui``, that is refused with exit code 2). ``pdf`` lays out the PDFs (without one, a PDF is
    refused with exit code 2)."""
    _utf8_when_redirected()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse(argv)
    except SystemExit as exc:  # -h, --version and argument errors
        return int(exc.code or 0)
    if args.command is None:
        if gui is None:
            sys.stderr.write("参数错误:缺少命令。\n用 dutydesk -h 查看用法。\n")
            return EXIT_USER
        return gui(argv, clock)
    clock = clock or SystemClock()
    out = Output(args.json)
    store = None
    try:
        if args.command in _SELF_OPENING:
            return _SELF_OPENING[args.command](args, clock, out)
        if args.command == "demo" and args.db is None:  # the demo never lands in the real database
            raise UserError("请用 --db 指定写入示例数据的新文件,例如:dutydesk --db 示例.db demo")
        store = _open(args, clock, reads_only=reads_only(args))
        if args.command in MAKE_PDF:
            return COMMANDS[args.command](args, store, out, pdf=pdf or no_pdf)
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
            if store.anchor_problem:
                sys.stderr.write(f"注意:{store.anchor_problem}\n")
            store.close()
        if private.notice():  # once: the first file this command could not make the user's only
            sys.stderr.write(f"注意:{private.notice()}\n")
