"""The GUI: `dutydesk [--db PATH] [--demo]` (desktop/entry.py decides that the options open it).

A windowed build has no console: start-up failures are shown in a dialog, never lost
(Anki's aqt.run habit). Imports here are kept to what the first paint needs (bench/bench_startup.py):
the rest is imported where it is used, after the window is on screen.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.ui.fonts import UI_FONTS

if TYPE_CHECKING:
    from desktop.core.clock import Clock


def guard_streams() -> None:
    """pythonw / a windowed PyInstaller build set sys.stdout/stderr to None: writes would crash."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def configure_app(app) -> None:
    from PySide6.QtGui import QFont, QIcon

    from desktop.resources import resource

    app.setApplicationName("DutyDesk")
    app.setApplicationDisplayName("值班报备台")
    app.setOrganizationName("DutyDesk")
    icon = resource("icons", "dutydesk.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Qt's own buttons and dialogs (确定/取消, print preview, the file dialog) in Chinese.
    from desktop.ui.qt_zh import install_chinese

    if not app.property("_dutydesk_chinese"):  # once: tests configure one application many times
        install_chinese(app)
        app.setProperty("_dutydesk_chinese", True)
    font = QFont()
    font.setFamilies(UI_FONTS)
    font.setPointSize(10)
    app.setFont(font)


def demo_db_path() -> Path:
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="dutydesk-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder / "demo.db"


def open_session(db: Path | None, demo: bool, clock: Clock, parent=None):
    """Open the database for the GUI; on first run ask for the preset. None if the user declined."""
    from desktop.core.errors import UserError
    from desktop.core.profile import load_profile
    from desktop.ops.org import init_org
    from desktop.paths import default_db_path
    from desktop.resources import available_profiles, profiles_dir
    from desktop.store.opening import open_store
    from desktop.store.org import get_org
    from desktop.ui.session import Session

    saved = getattr(getattr(parent, "settings", None), "server", None) or {}
    if demo:
        from desktop.ops.demo import populate_week  # the demo's living week: not imported for a real database

        store = open_store(demo_db_path(), clock)
        populate_week(store, available_profiles())
    elif db is None and saved.get("auto"):  # the server database chosen last time (文件 → 连接服务器数据库…)
        from desktop.ui.server_dialog import Connection, ask_and_open, kept_password

        conn = Connection.from_settings(saved)
        store = None
        if conn is not None and (password := kept_password(conn)):
            try:
                store = open_store(conn.url(password), clock)
            except UserError as exc:
                problem = str(exc)
            else:
                problem = ""
        else:
            problem = "请输入数据库账户的密码。"
        if store is None:
            opened = ask_and_open(parent, clock, conn, problem)
            if opened is None:
                return None
            store = opened[0]
    else:
        from desktop.store.backups import DamagedDatabase

        try:
            store = open_store(db or default_db_path(), clock)
        except DamagedDatabase as exc:  # offer the newest good backup (desktop/ui/backup_dialogs.py)
            from desktop.ui.backup_dialogs import recover_damaged

            store = recover_damaged(exc, clock, parent)
            if store is None:
                return None
    from desktop.ui.signin import sign_in_at_start

    if not sign_in_at_start(store, parent):  # the database has operator accounts and the user quit
        store.close()
        return None
    if get_org(store) is None:
        from PySide6.QtWidgets import QDialog

        if os.environ.get("DUTYDESK_SMOKE"):
            store.close()
            raise UserError("这个数据库还没有设置单位(首次使用需在对话框中选择规则预设),冒烟测试不能代为选择。")

        from desktop.ui.firstrun import FirstRunDialog

        profiles = [load_profile(profiles_dir() / f"{pid}.toml") for pid in available_profiles()]
        dialog = FirstRunDialog(profiles, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            store.close()
            return None
        profile_id, name = dialog.choice()
        init_org(store, profile_id, name, available_profiles())
    return Session(store, demo=demo)


def gui_parser():
    """The GUI's own options (a subset of the CLI's), parsed without building the whole CLI."""
    import argparse

    parser = argparse.ArgumentParser(prog="dutydesk", add_help=False)
    from desktop.store.location import location_arg

    parser.add_argument("--db", type=location_arg, default=None)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Paint the window first, then open the database (phase two of MainWindow) right after."""
    started = time.perf_counter()
    guard_streams()
    args, _rest = gui_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dutydesk"])
    guard = None
    if not args.demo:  # one window per database: a second launch brings the first to the front
        from desktop.paths import default_db_path
        from desktop.single_instance import SingleInstance, bring_to_front, server_name

        guard = SingleInstance(server_name(str(args.db or default_db_path())))
        if not guard.acquire():
            sys.stderr.write("值班报备台已经打开了这个数据库,已切换到已打开的窗口。\n")
            return 0
    configure_app(app)
    smoke = bool(os.environ.get("DUTYDESK_SMOKE"))
    window = MainWindow(None, Settings.load())
    if guard is not None:
        guard.raise_requested.connect(lambda: bring_to_front(window))
    outcome = {"code": 0, "session": None}

    def report(label: str) -> None:
        if smoke:
            sys.stdout.write(f"{label} {1000 * (time.perf_counter() - started):.1f}\n")
            sys.stdout.flush()

    def stop(code: int) -> None:
        outcome["code"] = code
        window.close()
        app.exit(code)

    def open_database() -> None:
        import traceback

        from desktop.core.clock import SystemClock
        from desktop.core.errors import UserError

        try:
            session = open_session(args.db, args.demo, clock or SystemClock(), window)
        except UserError as exc:
            _fail(QMessageBox, window, "无法打开值班报备台", str(exc))
            stop(2)
            return
        except Exception:
            _fail(QMessageBox, window, "值班报备台启动失败",
                  "启动时遇到程序缺陷,数据没有被改动。请把以下信息发给维护人员:\n\n" + traceback.format_exc(limit=8))
            stop(1)
            return
        if session is None:  # the first-run dialog was declined
            stop(0)
            return
        outcome["session"] = session
        window.attach(session)
        if smoke:
            window.repaint()
            report("ready-ms")
            QTimer.singleShot(0, window.close)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                report("first-paint-ms")
                QTimer.singleShot(0, open_database)
            return False

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    window.show()
    try:
        code = app.exec()
    finally:
        if guard is not None:
            guard.release()
    if outcome["session"] is not None:
        window.session.close()  # the window's session: a restore replaces the first one
    return outcome["code"] or code


def _fail(message_box, parent, title: str, text: str) -> None:
    """Show why start-up failed; in smoke runs (no one to click OK) write it to stderr instead."""
    if os.environ.get("DUTYDESK_SMOKE"):
        sys.stderr.write(f"{title}:{text}\n")
    else:
        message_box.critical(parent, title, text)
