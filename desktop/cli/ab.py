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
        pairs = people.ab_pairs(store)
        out.emit([{"a": a.name, "b": b.name} for a, b in pairs],
                 "\n".join(f"{a.name} ↔ {b.name}" for a, b in pairs) or "(还没有设置AB角)")
    return EXIT_OK
