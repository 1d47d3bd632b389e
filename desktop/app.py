"""The GUI entry: `dutydesk [--db PATH] [--demo]`, the gui-scripts entry and the frozen build.

A windowed build has no console: start-up failures are shown in a dialog, never lost
(Anki's aqt.run habit).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from desktop.core.clock import Clock, SystemClock
from desktop.core.errors import UserError

UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei", "SimSun"]


def guard_streams() -> None:
    """pythonw / a windowed PyInstaller build set sys.stdout/stderr to None: writes would crash."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def configure_app(app) -> None:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QFont, QIcon

    from desktop.resources import resource

    app.setApplicationName("DutyDesk")
    app.setApplicationDisplayName("值班报备台")
    app.setOrganizationName("DutyDesk")
    icon = resource("icons", "dutydesk.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Qt's own buttons and dialogs (确定/取消, print preview) in Chinese.
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    font = QFont()
    font.setFamilies(UI_FONTS)
    font.setPointSize(10)
    app.setFont(font)


def demo_db_path() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="dutydesk-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder / "demo.db"


def open_session(db: Path | None, demo: bool, clock: Clock, parent=None):
    """Open the database for the GUI; on first run ask for the preset. None if the user declined."""
    from desktop.core.profile import load_profile
    from desktop.paths import default_db_path
    from desktop.resources import available_profiles, profiles_dir
    from desktop.store import demo as demo_data
    from desktop.store.db import open_store
    from desktop.store.org import get_org, init_org
    from desktop.ui.session import Session

    if demo:
        store = open_store(demo_db_path(), clock)
        demo_data.populate(store, available_profiles())
    else:
        store = open_store(db or default_db_path(), clock)
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


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    started = time.perf_counter()
    guard_streams()
    from desktop.cli import build_parser

    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dutydesk"])
    configure_app(app)
    try:
        from desktop.settings import Settings
        from desktop.ui.mainwindow import MainWindow

        session = open_session(args.db, args.demo, clock or SystemClock())
        if session is None:
            return 0
        window = MainWindow(session, Settings.load())
    except UserError as exc:
        _fail(QMessageBox, "无法打开值班报备台", str(exc))
        return 2
    except Exception:
        _fail(QMessageBox, "值班报备台启动失败",
              "启动时遇到程序缺陷,数据没有被改动。请把以下信息发给维护人员:\n\n" + traceback.format_exc(limit=8))
        return 1
    window.show()
    if os.environ.get("DUTYDESK_SMOKE"):
        _quit_after_first_paint(app, window, started)
    code = app.exec()
    session.store.close()
    return code


def _fail(message_box, title: str, text: str) -> None:
    """Show why start-up failed; in smoke runs (no one to click OK) write it to stderr instead."""
    if os.environ.get("DUTYDESK_SMOKE"):
        sys.stderr.write(f"{title}:{text}\n")
    else:
        message_box.critical(None, title, text)


def _quit_after_first_paint(app, window, started: float) -> None:
    """For the start-up benchmark and the frozen smoke test: report the first paint, then close."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                sys.stdout.write(f"first-paint-ms {1000 * (time.perf_counter() - started):.1f}\n")
                sys.stdout.flush()
                QTimer.singleShot(0, window.close)
            return False

    app._first_paint = FirstPaint()  # keep a reference
    window.installEventFilter(app._first_paint)
