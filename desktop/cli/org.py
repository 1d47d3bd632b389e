"""`dutydesk init`: the organisation (单位) and its rule profile (规则预设)."""

from __future__ import annotations

from desktop.cli.common import EXIT_OK, Output


def register(command) -> None:
    from desktop.resources import available_profiles

    p = command("init", "设置单位与规则预设")
    p.add_argument("--profile", required=True, choices=available_profiles())
    p.add_argument("--org", default="", metavar="NAME", help="单位名称,例如“攀枝花市人民政府办公室”")


def cmd_init(args, store, out: Output) -> int:
    from desktop.core.profile import load_profile
    from desktop.ops.org import init_org
    from desktop.resources import available_profiles, profiles_dir

    profile = load_profile(profiles_dir() / f"{args.profile}.toml")
    name = args.org or f"{profile.name}办公室"
    org = init_org(store, args.profile, name, available_profiles()).value
    out.emit({"org": org.name, "profile": org.profile_id, "db": store.where},
             f"已设置:{org.name},规则预设 {org.profile_id}({profile.name})。数据库:{store.where}")
    return EXIT_OK
