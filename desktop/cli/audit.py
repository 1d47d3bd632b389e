"""`dutydesk audit verify`: the audit log's hash chain, and the data against the log (desktop.store.audit_check).

The --json keys ``rows``, ``ok`` and ``first_broken`` are the stable contract; the rest are added."""

from __future__ import annotations

from desktop.cli.common import EXIT_OK, EXIT_USER, ChineseArgumentParser, Output


def register(command) -> None:
    audit = command("audit", "审计日志").add_subparsers(dest="audit_command", parser_class=ChineseArgumentParser,
                                                      metavar="子命令", required=True)
    command("verify", "校验审计日志的哈希链,并核对数据与日志是否一致", audit)


def cmd_audit(args, store, out: Output) -> int:
    from desktop.store.audit_check import verify

    report = verify(store)
    out.emit(report.as_json(), report.text())
    return EXIT_OK if report.ok else EXIT_USER
