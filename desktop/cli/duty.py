"""`dutydesk duty …`: holiday duty rotation (节假日领导带班与值班), pins, swaps and replacements."""

from __future__ import annotations

from desktop import ops
from desktop.cli.common import (
    EXIT_OK,
    ChineseArgumentParser,
    Output,
    _date,
    _display_width,
    _month,
    _pad,
    _profile,
    _warn_provisional,
    _week,
    _year,
)
from desktop.core.errors import UserError


def register(command) -> None:
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
            ops.scope.of(store).refuse("查看市政府值班的替换人选",
                                       "本单位的节假日值班表请用 dutydesk dept-roster add 填报。")
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
        scope = ops.scope.of(store)  # 单位录入员: the plans that put his unit's people on duty, their conflicts
        listed = scope.duty_plans(store, duty.plans(store, args.year))
        counts = {p.id: len(scope.conflicts(ops.duty.conflicts(store, p.id))) for p in listed}
        _warn_provisional(any(p.provisional for p in listed), "排班")

        def text() -> str:
            if not listed and not scope.everything:
                return (f"{args.year}年市政府值班排班中没有{scope.unit}的人员。本单位的节假日值班表请用 "
                        f"dutydesk dept-roster list {args.year} --holiday <假期> 查看。")
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
