"""`dutydesk export {weekly|duty|absences} --format …`: through the one export path
(desktop.export.exporter); a PDF is laid out by the renderer the program hands in (``pdf``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import ops
from desktop.cli.common import EXIT_OK, Output, _date, _profile, _warn_provisional, _week, no_pdf
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.export.pdf import PdfRenderer


def register(command) -> None:
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


def cmd_export(args, store, out: Output, *, pdf: PdfRenderer = no_pdf) -> int:
    from desktop.export.exporter import FORMAT_LABELS, WHAT_LABELS, check_format, export
    from desktop.store.org import get_org

    check_format(args.what, args.fmt)
    unit = ops.scope.unit_of(store)
    if unit is not None:  # every leader's whereabouts and the government's rotation are the office's to send out
        raise UserError(f"单位录入员({unit})不能导出全体领导的在岗情况、值班安排和外出记录,请由政府办公室导出。"
                        "本单位的节假日值班表可用 dutydesk dept-roster export 导出。")
    profile = _profile(store)
    week = None
    if args.week is not None:
        year, number = args.week
        try:
            week = dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            raise UserError(f"{year}年没有第{number}周(ISO 周从 1 到 52 或 53)。") from None
    result = export(store, profile, args.what, args.fmt, args.output, week=week, start=args.start, end=args.end,
                    org_name=get_org(store).name, mark=args.mark, pdf=pdf)
    _warn_provisional(result.provisional, "导出")
    if args.what == "duty":
        _mark_duty_exported(store, args.start, args.end)
    unit = "个日程" if args.fmt == "ics" else "行"
    out.emit({"what": args.what, "format": args.fmt, "path": str(result.path), "rows": result.rows,
              "provisional": result.provisional},
             f"已导出{WHAT_LABELS[args.what]}({FORMAT_LABELS[args.fmt]},{result.rows} {unit}):{result.path}")
    return EXIT_OK


def _mark_duty_exported(store, start: dt.date | None, end: dt.date | None) -> None:
    """The plans whose days were exported left the office: 生成排班 then offers 只补空缺 first
    (desktop.ops.duty.mark_issued). An operator who may not change plans exports without the mark."""
    from desktop import ops
    from desktop.core.access import Permission
    from desktop.store import duty

    if not ops.base.allowed(store, Permission.record):
        return
    from desktop.export.exporter import _this_year

    first, last = _this_year(store, start, end)
    for plan_id in sorted({r.plan_id for r in duty.rows_between(store, first, last)}):
        ops.duty.mark_issued(store, plan_id, "export")
