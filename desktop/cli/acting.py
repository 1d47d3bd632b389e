"""`dutydesk acting`, `designate`, `override` and `check`: who acts for whom on a day, the office's
designations and recorded reasons, and every rule violation in a range."""

from __future__ import annotations

from desktop import ops
from desktop.cli.common import (
    EXIT_OK,
    SEVERITY_CN,
    Output,
    _date,
    _finding_json,
    _profile,
    _warn_provisional,
)
from desktop.core.citation import cite
from desktop.core.errors import UserError
from desktop.core.roles import parse_role


def register(command) -> None:
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


def cmd_acting(args, store, out: Output) -> int:

    profile = _profile(store)
    scope = ops.scope.of(store)  # 单位录入员: his unit's heads, who acts for them, their gaps and warnings
    report = scope.acting(ops.absences.acting_on(store, profile, args.date))
    data = {
        "date": args.date,
        "away": [{"person": e.person.name, "record_id": e.absence.id, "kind": e.absence.kind.value,
                  "destination": e.absence.destination, "half": e.half.value} for e in report.away],
        "acting": [{"for": e.absent_person.name, "actor": e.actor.name if e.actor else None, "basis": e.basis,
                    "basis_label": e.basis_label, "scope": e.scope, "article": e.article, "citation": cite(e.article, profile), "half": e.half.value if e.half else None} for e in report.acting],
        "gaps": [{"absent": [p.name for p in g.absent], "reason": g.reason, "severity": g.severity, "article": g.article,
                  "citation": cite(g.article, profile),
                  "suggestions": [p.name for p in g.suggestions]} for g in report.gaps],
        "warnings": [{"kind": w.kind, "message": w.message, "severity": w.severity, "overridden": w.overridden,
                      "reason": w.reason, "article": w.article, "citation": cite(w.article, profile)}
                     for w in report.warnings],
    }

    def text() -> str:
        from desktop.core.cndate import cn_date_weekday

        lines = [cn_date_weekday(args.date)]
        if not report.away:
            lines.append("  全体在岗。" if scope.everything else f"  {scope.unit}负责同志全部在岗。")
        for e in report.away:
            lines.append(f"  外出:{e.person.name}({e.absence.kind.label}{' ' + e.absence.destination if e.absence.destination else ''}"
                         f"{'' if e.half.value == 'full' else ',' + e.half.label})")
        for e in report.acting:
            lines.append(f"  代行:{e.absent_person.name} → {e.actor.name if e.actor else '(无人)'}({e.basis_label})  {e.scope}  〔{cite(e.article, profile, short=True)}〕")
        for g in report.gaps:
            lines.append(f"  缺位:{g.reason}  可指定:{'、'.join(p.name for p in g.suggestions) or '无'}  〔{cite(g.article, profile, short=True)}〕")
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
    scope = ops.scope.of(store)  # 单位录入员: what concerns his unit's heads
    findings = scope.findings(ops.absences.check(store, profile, start, end))
    provisional = any(f.provisional for f in findings)
    _warn_provisional(provisional, "检查")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_CN}
    out.emit({"from": start, "to": end, "counts": counts, "provisional": provisional,
              "findings": [_finding_json(f, profile) for f in findings]},
             lambda: "\n".join([f"{start} 至 {end}{'' if scope.everything else f'({scope.unit}负责同志)'}:"
                                f"违规 {counts['violation']} 处,提醒 {counts['warning']} 处。"]
                               + [f"  [{SEVERITY_CN[f.severity]}] {f.message}" + (f"  〔{cite(f.article, profile, short=True)}〕" if f.article else "")
                                  for f in findings]))
    return EXIT_OK
