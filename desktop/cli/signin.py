"""Signing the command line in (README "操作员与权限").

Sign-in is on once a database has an active 管理员 account. From then on every command that opens
the database signs in first (desktop.cli.common._open): the account from ``--operator NAME`` or
``DUTYDESK_OPERATOR``, the password from ``DUTYDESK_PASSWORD`` or, in a terminal, a prompt.
The accounts themselves are managed by ``dutydesk operator …`` (desktop/cli/operator.py).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from desktop import ops
from desktop.core.errors import UserError

ENV_OPERATOR = "DUTYDESK_OPERATOR"
ENV_PASSWORD = "DUTYDESK_PASSWORD"

HOW_TO_SIGN_IN = ("这个数据库已启用操作员登录。请用 --operator 账户名(或环境变量 DUTYDESK_OPERATOR)指定操作员;"
                  "密码在终端中按提示输入,脚本中可放在环境变量 DUTYDESK_PASSWORD 中。")


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def sign_in(args: argparse.Namespace, store) -> None:
    """Sign the store in when the database has sign-in on; a UserError (exit 2) saying how otherwise."""
    from desktop.store import operators

    if not operators.accounts_enabled(store):
        return
    name = (getattr(args, "operator", None) or os.environ.get(ENV_OPERATOR, "")).strip()
    if not name:
        raise UserError(HOW_TO_SIGN_IN)
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not _stdin_is_terminal():
            raise UserError(f"没有读到操作员“{name}”的密码:不在终端中运行时,请把密码放在环境变量 DUTYDESK_PASSWORD 中。")
        password = getpass.getpass(f"操作员 {name} 的密码:")
    ops.operators.authenticate(store, name, password, "命令行登录")
