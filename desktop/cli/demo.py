"""`dutydesk [--db FILE] demo`: write the demo government and its living week into FILE, without a window."""

from __future__ import annotations

from desktop.cli.common import EXIT_OK, Output


def register(command) -> None:
    command("demo", "把示例政府(含本周的外出、审批、会议和下一个假期的值班)写入 --db 指定的新数据库,不打开窗口")


def cmd_demo(args, store, out: Output) -> int:
    from desktop.core.cndate import cn_date
    from desktop.ops.demo import populate_week
    from desktop.resources import available_profiles
    from desktop.store.org import get_org

    week = populate_week(store, available_profiles()).value
    org = get_org(store)
    out.emit({"db": str(store.path), "org": org.name, "profile": org.profile_id, "today": week.today,
              "meeting": week.meeting, "ab_gap": week.gap},
             f"已写入示例政府:{org.name}(规则预设 {org.profile_id}),数据库:{store.path}\n"
             f"以{cn_date(week.today)}为今天:外出/请假记录 10 条(草稿、待批、已批准、外出中、提前返回、延期、逾期未销假),"
             f"{cn_date(week.meeting)}的常务会议及两条会议请假,下一个假期的带班和值班安排。\n"
             f"试试:dutydesk --db {store.path} acting {week.gap.isoformat()}")
    return EXIT_OK
