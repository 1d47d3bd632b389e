"""`dutydesk dept-roster …`: the departments' holiday duty rosters (001 art.57: 市政府各部门应当实行24小时
值班和领导带班制度).

    dutydesk dept-roster template YEAR --holiday NAME [--unit U] -o FILE.xlsx   the form a unit fills in
    dutydesk dept-roster add YEAR --holiday NAME --date DATE --leader NAME --phone P [--title T]
             --officer NAME:PHONE [--officer …] [--unit U]                     one day of a unit's roster
    dutydesk dept-roster import FILE [--unit U] [--year YEAR --holiday NAME]    a unit's filled form
    dutydesk dept-roster missing YEAR --holiday NAME                            who has not sent theirs
    dutydesk dept-roster list YEAR --holiday NAME                               every unit's days
    dutydesk dept-roster print YEAR --holiday NAME -o FILE.pdf                  the combined roster (PDF)
    dutydesk dept-roster export YEAR --holiday NAME -o FILE.xlsx                the combined roster (xlsx)

A 单位录入员 works on his own unit's roster (``--unit`` may be left out; another unit is refused)
and sees only his own unit in ``missing``/``list``.
"""

from __future__ import annotations

from pathlib import Path

from desktop import ops
from desktop.cli.common import EXIT_OK, ChineseArgumentParser, Output, _date, _warn_provisional, _year, no_pdf
from desktop.core.errors import UserError


def register(command) -> None:
    group = command("dept-roster", "各部门节假日值班表:填报、导入、未报送单位、汇总打印").add_subparsers(
        dest="dept_roster_command", parser_class=ChineseArgumentParser, metavar="子命令", required=True)

    def holiday_args(p, required: bool = True) -> None:
        p.add_argument("year", type=_year, metavar="YEAR", nargs=None if required else "?", help="年份")
        p.add_argument("--holiday", required=required, metavar="NAME", help="假期,例如“国庆节”“春节”")

    p = command("template", "生成供各单位填写的值班表模板(xlsx)", group)
    holiday_args(p)
    p.add_argument("--unit", default="", metavar="UNIT", help="预先填好单位名称")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p = command("add", "填报本单位某一天的带班领导和值班员(替换该天原有内容)", group)
    holiday_args(p)
    p.add_argument("--date", required=True, type=_date, metavar="DATE")
    p.add_argument("--leader", required=True, metavar="NAME", help="带班领导姓名")
    p.add_argument("--phone", required=True, metavar="P", help="带班领导电话")
    p.add_argument("--title", default="", metavar="T", help="带班领导职务,例如 副局长")
    p.add_argument("--officer", action="append", default=[], metavar="NAME:PHONE", help="值班员及电话(可重复)")
    p.add_argument("--unit", default="", metavar="UNIT", help="单位(单位录入员可省略:本单位)")
    p = command("import", "导入一个单位填好的值班表模板(替换该单位该假期的值班表)", group)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--unit", default="", metavar="UNIT", help="单位(默认读模板中的“单位:”)")
    p.add_argument("--year", type=_year, default=None, metavar="YEAR", help="年份(默认读模板中的“假期:”)")
    p.add_argument("--holiday", default="", metavar="NAME", help="假期(默认读模板中的“假期:”)")
    p = command("missing", "列出尚未报送(或缺天)的单位", group)
    holiday_args(p)
    p = command("list", "列出各单位报送的值班安排", group)
    holiday_args(p)
    p = command("print", "打印各部门值班安排汇总表(PDF,A4 横向,带页码)", group)
    holiday_args(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p = command("export", "导出各部门值班安排汇总表(xlsx)", group)
    holiday_args(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")


def _government(store) -> tuple[str, str]:
    from desktop.cli.common import _profile
    from desktop.export.absence_html import government_name
    from desktop.store.org import get_org

    org = get_org(store)
    org_name = org.name if org else ""
    return government_name(_profile(store), org_name), org_name


def _status_json(u) -> dict:
    return {"unit": u.unit.name, "kind": u.unit.kind, "sent": u.roster is not None, "complete": u.complete,
            "missing_days": [d.isoformat() for d in u.missing],
            "source": u.roster.source if u.roster else None, "status": u.text}


def _roster_json(r) -> dict:
    return {"id": r.id, "unit": r.unit.name, "year": r.year, "holiday": r.holiday, "start": r.start.isoformat(),
            "end": r.end.isoformat(), "source": r.source, "version": r.version,
            "lines": [{"date": x.day.isoformat(), "slot": x.slot, "name": x.name, "title": x.title, "phone": x.phone}
                      for x in r.lines]}


def _output(path: str, suffix: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != suffix:
        raise UserError(f"输出文件 {target.name} 应以 {suffix} 结尾,例如 各部门值班表{suffix}。")
    if target.is_dir():
        raise UserError(f"{target} 是一个文件夹:请写出文件名,例如 {target / ('各部门值班表' + suffix)}。")
    if not target.parent.exists():
        raise UserError(f"文件夹 {target.parent} 不存在,请先建好或换一个位置。")
    return target


def cmd_dept_roster(args, store, out: Output, *, pdf=no_pdf) -> int:
    from desktop.core import dept_roster as core

    sub = args.dept_roster_command
    if sub == "template":
        scope = ops.dept_rosters.holiday(store, args.year, args.holiday)
        target = _output(args.output, ".xlsx")
        from desktop.export.dept_roster_doc import write_template
        from desktop.store.dept_rosters import find_unit

        unit = args.unit.strip() or (ops.scope.unit_of(store) or "")
        if unit and find_unit(store, unit) is None:
            raise UserError(f"没有名为“{unit}”的单位。请检查名称(人员名单中的所在单位)。")
        name = scope.label.removeprefix(f"{args.year}年")
        write_template(target, args.year, name, scope.start, scope.end, unit)
        out.emit({"file": str(target), "holiday": scope.label, "start": scope.start.isoformat(), "end": scope.end.isoformat(),
                  "unit": unit or None},
                 f"已生成 {scope.label}值班表模板:{target}(每天一行,共 {(scope.end - scope.start).days + 1} 天)。")
    elif sub == "add":
        officers = [core.parse_officers(x) for x in args.officer]
        roster = ops.dept_rosters.set_day(store, args.year, args.holiday, args.date, args.leader, args.phone, officers,
                                          title=args.title, unit=args.unit or None).value
        missing = core.missing_days(roster.lines, roster.start, roster.end)
        out.emit(_roster_json(roster) | {"missing_days": [d.isoformat() for d in missing]},
                 f"已填报{roster.unit.name} {args.date.isoformat()} 的值班安排(带班:{args.leader})。"
                 + (f"还缺 {len(missing)} 天:" + "、".join(f"{d.month}月{d.day}日" for d in missing) if missing
                    else "该假期每天都已填报。"))
    elif sub == "import":
        from desktop.export.tabular import read_rows

        rows = read_rows(args.file, "值班表")
        head = core.read_head(rows)
        year = args.year or head.year
        holiday = args.holiday.strip() or head.holiday
        if year is None or not holiday:
            raise UserError("模板中没有“假期:”(例如 2026年国庆节):请用 --year 和 --holiday 写明是哪个假期。没有导入任何内容。")
        unit = args.unit.strip() or head.unit or None
        lines = core.parse_template(rows, year, Path(args.file).name)
        roster = ops.dept_rosters.import_roster(store, year, holiday, lines, unit=unit, file_name=Path(args.file).name).value
        missing = core.missing_days(roster.lines, roster.start, roster.end)
        days = len({x.day for x in roster.lines})
        out.emit(_roster_json(roster) | {"missing_days": [d.isoformat() for d in missing]},
                 f"已导入{roster.unit.name} {roster.year}年{roster.holiday}值班表:{days} 天。"
                 + (f"还缺 {len(missing)} 天:" + "、".join(f"{d.month}月{d.day}日" for d in missing) if missing else ""))
    elif sub == "missing":
        c = ops.dept_rosters.combined(store, args.year, args.holiday)
        _warn_provisional(c.provisional, "假期日期")
        late = c.not_sent
        out.emit({"holiday": c.scope.label, "provisional": c.provisional, "units": len(c.units),
                  "not_sent": [_status_json(u) for u in late]},
                 lambda: (f"{c.scope.label}:{len(c.units)} 个单位中 {len(late)} 个尚未报送完整:\n"
                          + "\n".join(f"  {u.unit.name}({u.unit.kind_label}):{u.text}" for u in late))
                 if late else f"{c.scope.label}:全部 {len(c.units)} 个单位均已报送。")
    elif sub == "list":
        c = ops.dept_rosters.combined(store, args.year, args.holiday)

        def text() -> str:
            lines = [f"{c.scope.label}({c.scope.start.isoformat()} 至 {c.scope.end.isoformat()})"]
            for u in c.units:
                lines.append(f"{u.unit.name}:{u.text}")
                for day in c.days if u.roster else ():
                    found = u.roster.on(day)
                    if not found:
                        continue
                    lead = found[0]
                    officers = "、".join(f"{x.name} {x.phone}" for x in found[1:])
                    lines.append(f"  {day.isoformat()}  带班 {lead.name}{'(' + lead.title + ')' if lead.title else ''}"
                                 f" {lead.phone}  值班 {officers}")
            return "\n".join(lines)

        _warn_provisional(c.provisional, "假期日期")
        out.emit({"holiday": c.scope.label, "provisional": c.provisional, "units": [_status_json(u) | {"roster": _roster_json(u.roster) if u.roster else None}
                                                      for u in c.units]}, text)
    elif sub in ("print", "export"):
        from desktop.export import dept_roster_doc as doc

        c = ops.dept_rosters.combined(store, args.year, args.holiday)
        _warn_provisional(c.provisional, "假期日期")
        government, org_name = _government(store)
        today = store.clock.today()
        if sub == "print":
            target = _output(args.output, ".pdf")
            path = pdf(doc.combined_job(c, government, today, org_name), target)
        else:
            target = _output(args.output, ".xlsx")
            path = doc.write_combined_xlsx(c, government, today, target, org_name)
        late = c.not_sent
        out.emit({"file": str(path), "holiday": c.scope.label, "provisional": c.provisional, "units": len(c.units),
                  "not_sent": len(late)},
                 f"已生成 {doc.title_of(c, government)}:{path}" + (f"(另有 {len(late)} 个单位尚未报送完整)" if late else ""))
    return EXIT_OK
