"""`dutydesk audit verify`: check the audit log's hash chain."""

from __future__ import annotations

from desktop.cli.common import EXIT_OK, EXIT_USER, ChineseArgumentParser, Output


def register(command) -> None:
    audit = command("audit", "审计日志").add_subparsers(dest="audit_command", parser_class=ChineseArgumentParser,
                                                      metavar="子命令", required=True)
    command("verify", "校验审计日志的哈希链", audit)


def cmd_audit(args, store, out: Output) -> int:
    from desktop.store.audit import verify

    count, broken = verify(store)
    if broken is None:
        out.emit({"rows": count, "ok": True, "first_broken": None}, f"审计日志完好:共 {count} 条,哈希链连续。")
        return EXIT_OK
    out.emit({"rows": count, "ok": False, "first_broken": broken},
             f"审计日志在第 {broken} 条处被改动或删除过(哈希链断开)。请从备份中核对该条之后的记录。")
    return EXIT_USER
