"""`dutydesk workdays …`: working-day arithmetic on the office's calendar."""

from __future__ import annotations

from desktop.cli.common import EXIT_OK, ChineseArgumentParser, Output, _date, _int, _warn_provisional


def register(command) -> None:
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


def cmd_workdays(args, store, out: Output) -> int:
    from desktop.core.cndate import cn_date_weekday, cn_weekday
    from desktop.store.calcache import calendar_for

    if args.workdays_command == "add":
        cal = calendar_for(store, args.date.year + 1 + abs(args.n) // 200)
        r = cal.add_workdays_ex(args.date, args.n)
        _warn_provisional(r.provisional, "计算")
        out.emit({"start": args.date, "n": args.n, "date": r.date, "weekday": cn_weekday(r.date),
                  "skipped_rest_days": r.skipped_rest_days, "provisional": r.provisional},
                 r.date.isoformat())
    elif args.workdays_command == "count":
        cal = calendar_for(store, max(args.start.year, args.end.year))
        r = cal.count_workdays_ex(args.start, args.end)
        _warn_provisional(r.provisional, "计算")
        out.emit({"start": args.start, "end": args.end, "workdays": r.count, "provisional": r.provisional}, str(r.count))
    else:
        cal = calendar_for(store, args.date.year + 1)
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
                 f"{'workday' if work else 'restday'}  {cn_date_weekday(args.date)}  {reason}")
    return EXIT_OK
