"""`dutydesk ab …`: the AB roles (AB角), deputies paired to stand in for each other."""

from __future__ import annotations

from desktop import ops
from desktop.cli.common import EXIT_OK, ChineseArgumentParser, Output


def register(command) -> None:
    ab = command("ab", "AB角").add_subparsers(dest="ab_command", parser_class=ChineseArgumentParser,
                                              metavar="子命令", required=True)
    p = command("set", "设置两人互为AB角", ab)
    p.add_argument("name_a", metavar="NAME_A")
    p.add_argument("name_b", metavar="NAME_B")
    command("list", "列出AB角", ab)


def cmd_ab(args, store, out: Output) -> int:
    from desktop.store import people

    if args.ab_command == "set":
        a, b = people.find_person(store, args.name_a), people.find_person(store, args.name_b)
        ops.people.set_ab(store, a, b)
        out.emit({"a": a.name, "b": b.name}, f"已设置:{a.name} 与 {b.name} 互为AB角。")
    else:
        scope = ops.scope.of(store)  # 单位录入员: the pairs with one of his unit's people in them
        pairs = scope.ab_pairs(people.ab_pairs(store))
        empty = "(还没有设置AB角)" if scope.everything else f"({scope.unit}的人员没有AB角;政府领导的AB角由政府办公室管理)"
        out.emit([{"a": a.name, "b": b.name} for a, b in pairs],
                 "\n".join(f"{a.name} ↔ {b.name}" for a, b in pairs) or empty)
    return EXIT_OK
