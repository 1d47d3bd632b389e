"""`dutydesk backup` and `dutydesk restore`.

Both open the database themselves (they take the clock, not an open store): `backup --list` and
`restore` must work on a damaged database, which cannot be opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop import ops
from desktop.cli.common import EXIT_OK, _open
from desktop.core.clock import Clock
from desktop.core.errors import UserError


def _keep(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if not 1 <= value <= 999:
        raise argparse.ArgumentTypeError(f"保留份数应在 1 到 999 之间,“{text}”不行")
    return value


def register(command: Any) -> None:
    """`command(name, help)` is desktop.cli.build_parser's helper (adds --db and --json)."""
    p = command("backup", "备份数据库;--list 列出备份,--keep N 设置自动备份保留份数")
    p.add_argument("file", nargs="?", type=Path, default=None, metavar="FILE",
                   help="备份到这个文件(默认:数据库旁 backups 文件夹中带时间的文件)")
    p.add_argument("--list", action="store_true", help="列出这个数据库的备份(时间、原因、大小、是否完好)")
    p.add_argument("--keep", type=_keep, default=None, metavar="N", help="自动备份保留最新 N 份(默认 30)")
    p = command("restore", "从备份恢复数据库(先自动备份当前数据,可撤销)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("file", nargs="?", type=Path, default=None, metavar="FILE", help="要恢复的备份文件")
    which.add_argument("--latest", action="store_true", help="恢复最新的完好备份")


def _db_path(args) -> Path:
    from desktop.paths import default_db_path

    return args.db or default_db_path()


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _open_signed_in(args, clock: Clock):
    """Open as every command does (signing in when the database has accounts) and check 备份或恢复."""

    store = _open(args, clock)
    try:
        ops.backups.allowed_to_restore(store)
    except BaseException:
        store.close()
        raise
    return store


def cmd_backup(args, clock: Clock, out) -> int:
    from desktop.store import backups
    from desktop.store.db import backup_dir
    from desktop.store.location import ServerUrl

    db_path = _db_path(args)
    if isinstance(db_path, ServerUrl):
        return _server_backup(args, clock, out)
    if args.list and args.file is not None:
        raise UserError("--list 不能和备份文件名一起使用。")
    result: dict[str, Any] = {"db": str(db_path)}
    lines: list[str] = []
    if args.keep is not None or not args.list:
        store = _open_signed_in(args, clock)
        try:
            if args.keep is not None:
                removed = ops.backups.set_backup_keep(store, args.keep).value
                result.update(keep=args.keep, removed=[str(p) for p in removed])
                lines.append(f"自动备份今后保留最新 {args.keep} 份(手动备份不会被自动删除)"
                             + (f",已删除较早的 {len(removed)} 份。" if removed else "。"))
            if not args.list and (args.keep is None or args.file is not None):
                target = ops.backups.backup_now(store, args.file).value
                result["backup"] = str(target)
                lines.append(f"已备份到 {target}")
        finally:
            store.close()
    if args.list:
        found = backups.list_backups(db_path, check=True)
        result["folder"] = str(backup_dir(db_path))
        result["backups"] = [b.as_json() for b in found]
        if not found:
            lines.append(f"{backup_dir(db_path)} 中还没有这个数据库的备份。")
        for b in found:
            status = "完好" if b.ok else f"不可用:{b.problem}"
            lines.append(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason_label:<5}  {_size(b.size):>8}  {status}  {b.path}")
    out.emit(result, "\n".join(lines))
    return EXIT_OK


def _server_backup(args, clock: Clock, out) -> int:
    """A server database: a portable SQLite snapshot on this PC (the server's own backups are IT's pg_dump);
    --list lists the snapshots of this server database on this PC."""
    from desktop.store import backups
    from desktop.store.db import backup_dir

    if args.keep is not None:
        raise UserError("服务器数据库没有自动备份,所以没有“保留份数”可设:服务器的定期备份由信息中心在服务器上做"
                        "(见 README 的 pg_dump 例行备份),本机快照都是手动备份,不会被自动删除。"
                        "要导出一份快照:dutydesk --db 服务器地址 backup [文件]。")
    if args.list:
        if args.file is not None:
            raise UserError("--list 不能和备份文件名一起使用。")
        base = ops.backups.server_backup_base(args.db)
        found = backups.list_backups(base, check=True)
        lines = [f"本机 {backup_dir(base)} 中还没有这个服务器数据库的快照。"] if not found else [
            f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason_label:<5}  {_size(b.size):>8}  "
            f"{'完好' if b.ok else f'不可用:{b.problem}'}  {b.path}" for b in found]
        out.emit({"db": str(args.db), "folder": str(backup_dir(base)), "backups": [b.as_json() for b in found]},
                 "\n".join(lines))
        return EXIT_OK
    store = _open_signed_in(args, clock)
    try:
        target = ops.backups.backup_now(store, args.file).value
    finally:
        store.close()
    out.emit({"db": str(args.db), "backup": str(target)},
             f"已把服务器数据库 {args.db} 整个导出为本机快照 {target}(可离线用 dutydesk --db 该文件 查看)。")
    return EXIT_OK


def cmd_restore(args, clock: Clock, out) -> int:
    from desktop.store.errors import DatabaseDamaged
    from desktop.store.location import ServerUrl
    from desktop.store.opening import open_store

    db_path = _db_path(args)
    if isinstance(db_path, ServerUrl):
        raise UserError("服务器数据库不能在本机恢复:请信息中心新建一个空数据库,再用 dutydesk --db 快照文件 copy-to "
                        "新数据库地址 把快照复制过去,核对无误后让各台电脑改用新地址;或由信息中心用 pg_restore 恢复。")
    operator, role = None, None
    if db_path.exists():
        try:
            store = _open_signed_in(args, clock)
        except DatabaseDamaged:
            pass  # a damaged file cannot be signed in to; it is kept as the pre-restore backup
        else:
            operator, role = store.operator, store.role
            store.close()
    if args.latest:
        result = ops.backups.restore_latest(db_path, clock, operator, role).value
    else:
        result = ops.backups.restore(db_path, args.file, clock, operator, role).value
    # Opening it once brings an older backup up to this version's schema (with its own backup first).
    open_store(db_path, clock, operator, daily_backup=False).close()  # (no sign-in needed: no audited write)
    undo = f'dutydesk restore "{result.pre_restore}" --db "{db_path}"' if result.pre_restore else None
    out.emit({"db": str(db_path), "source": str(result.source),
              "pre_restore": str(result.pre_restore) if result.pre_restore else None, "undo": undo},
             f"已从备份 {result.source} 恢复数据库 {db_path}。\n"
             + (f"恢复前的数据已先备份为 {result.pre_restore}。\n要撤销这次恢复,请运行:{undo}"
                if undo else "恢复前数据库文件不存在,无需撤销。"))
    return EXIT_OK


#: Commands that open the database themselves: they take (args, clock, out) (`backup --list` and
#: `restore` work on a damaged database, which cannot be opened).
SELF_OPENING = {"backup": cmd_backup, "restore": cmd_restore}
