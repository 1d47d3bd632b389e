"""`dutydesk calendar …`: where each year's holiday calendar comes from, and importing the State
Council's notice."""

from __future__ import annotations

from pathlib import Path

from desktop import ops
from desktop.cli.common import EXIT_OK, ChineseArgumentParser, Output, _year
from desktop.core.errors import UserError


def register(command) -> None:
    calendar = command("calendar", "节假日日历").add_subparsers(dest="calendar_command", parser_class=ChineseArgumentParser,
                                                           metavar="子命令", required=True)
    p = command("status", "各年份日历数据的来源:正式 / 更正 / 暂定", calendar)
    p.add_argument("year", nargs="?", type=_year, metavar="YEAR")
    p = command("import-notice", "导入国务院办公厅的放假通知(UTF-8 文本)", calendar)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只显示将要变更的日子,不写入")


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
    changes = ops.calendar.notice_changes(store, notice) if args.dry_run else ops.calendar.import_notice(store, notice).value
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
