"""`dutydesk people …`: the people, in protocol order (排名)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop import ops
from desktop.cli.common import EXIT_OK, ChineseArgumentParser, Output, _positive_int, _require_org
from desktop.core.people import PersonDraft
from desktop.core.roles import Role, parse_role


def register(command) -> None:
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


def _person_json(p) -> dict:
    return {"id": p.id, "name": p.name, "role": p.role.value, "title": p.title, "rank": p.rank, "phone": p.phone,
            "unit": p.unit, "active": p.active}


def cmd_people(args, store, out: Output) -> int:
    from desktop.store import people

    if args.people_command == "add":
        _require_org(store)
        draft = PersonDraft(name=args.name, role=parse_role(args.role), title=args.title, phone=args.phone,
                            unit=args.unit, rank=args.rank, supervisor=args.supervisor,
                            portfolio=tuple(p for p in re.split(r"[、,，]", args.portfolio) if p.strip()))
        person = ops.people.add_person(store, draft).value
        out.emit(_person_json(person), f"已新增:{person.name}({person.display_title}),排名 {person.rank}")
    elif args.people_command == "import":
        _require_org(store)
        from desktop.core.people_import import parse_rows
        from desktop.export.tabular import read_sheet

        # read_sheet keeps blank rows, so the row numbers in a refusal are the ones Excel shows
        sheet = read_sheet(args.file, "人员名单", "第一行应是表头(姓名、角色……),下面每行一个人。")
        parsed = parse_rows(list(sheet.header), sheet.rows, sheet.first_row)
        skip = [int(x) for x in re.findall(r"\d+", args.skip_rows)]
        added = ops.people.import_people(store, parsed, skip_rows=skip).value
        out.emit({"imported": len(added), "skipped_rows": skip, "people": [_person_json(p) for p in added]},
                 f"已导入 {len(added)} 人" + (f",跳过第 {'、'.join(map(str, skip))} 行" if skip else "") + "。")
    elif args.people_command == "list":
        everyone = ops.scope.of(store).people(people.list_people(store, active_only=not args.all))

        def text() -> str:
            lines = [f"{p.rank:>3}  {p.name:<6}  {p.display_title:<16}  {p.phone:<14}  {'' if p.active else '(已停用)'}"
                     for p in everyone]
            return "\n".join(lines) if lines else "(还没有人员)"

        out.emit([_person_json(p) for p in everyone], text)
    return EXIT_OK
