"""The main window: section navigation on the left, the section on the right.

Only sections that work are listed: a section arrives in the navigation when it is built.

Start-up is in two phases so the window appears at once: `MainWindow(None, settings)` paints the
frame (navigation, menus, "正在打开数据库…") without importing the store or any page; `attach(session)`
then opens the first section. A section's module is imported and its page built the first time it
is shown.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.settings import Settings

if TYPE_CHECKING:
    from desktop.ui.banner import Banner
    from desktop.ui.session import Session

NAV_STYLE = """
QListWidget#nav { background: transparent; border: none; font-size: 11pt; outline: 0; }
QListWidget#nav::item { padding: 9px 14px; color: #22304a; }
QListWidget#nav::item:selected { background: #1f5fa8; color: white; }
QListWidget#nav::item:hover:!selected { background: #dde6f2; }
"""

#: Qt.ItemDataRole.UserRole, as its number: naming it loads PySide6's whole Qt namespace (~50 ms, 140
#: enums), which the first paint need not wait for (bench/RESULTS.md, "Start-up").
USER_ROLE = 256

Section = tuple[str, str, str]  # key, label, "module:Class" of the page (takes the Session)

#: What a 单位录入员 is not shown: the government leaders' rotation (his unit's heads are not in it; his
#: unit's roster is 部门值班). The other sections show him his unit's heads, their absences and the
#: meetings they take part in (desktop.ops.scope).
NOT_FOR_UNIT_CLERKS = frozenset({"duty"})

SECTIONS: list[Section] = [
    ("today", "今日在岗", "desktop.ui.today_page:TodayPage"),
    ("absences", "外出/请假", "desktop.ui.absences_page:AbsencesPage"),
    ("duty", "值班", "desktop.ui.duty_page:DutyPage"),
    ("dept_duty", "部门值班", "desktop.ui.dept_roster_page:DeptRosterPage"),
    ("meetings", "会议", "desktop.ui.meetings_page:MeetingsPage"),
    ("calendar", "日历", "desktop.ui.calendar_page:CalendarPage"),
    ("deadline", "期限计算", "desktop.ui.deadline_page:DeadlinePage"),
    ("people", "人员", "desktop.ui.people_page:PeoplePage"),
    ("rules", "规则", "desktop.ui.rules_page:RulesPage"),
]


class Pages(dict):
    """Section key -> page widget, each built on first access and put in its stack slot."""

    def __init__(self, session: Session, stack: QStackedWidget):
        super().__init__()
        self._session = session
        self._stack = stack
        self._slots = {key: n for n, (key, _label, _path) in enumerate(SECTIONS)}
        self._paths = {key: path for key, _label, path in SECTIONS}

    def __missing__(self, key: str) -> QWidget:
        module, _, name = self._paths[key].partition(":")
        page = getattr(importlib.import_module(module), name)(self._session)
        slot = self._slots[key]
        placeholder = self._stack.widget(slot)
        current = self._stack.currentIndex()
        self._stack.insertWidget(slot, page)
        self._stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == slot:
            self._stack.setCurrentIndex(slot)
        self[key] = page
        return page



def _backup_dialogs():
    from desktop.ui import backup_dialogs

    return backup_dialogs

class MainWindow(QMainWindow):
    def __init__(self, session: Session | None, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.session: Session | None = None
        self.settings = settings
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setEnabled(False)
        self.stack = QStackedWidget()
        self.pages: Pages | None = None
        # (action, key) set by _set_shortcuts() once the database is open: QKeySequence loads PySide6's
        # whole Qt namespace (~50 ms, 140 enums), which the first paint need not wait for; until then
        # the sections and menus have nothing to act on.
        self._shortcuts: list[tuple[QAction, str]] = []
        for number, (key, label, _path) in enumerate(SECTIONS, start=1):
            if number == 1:  # what shows until the database is open
                placeholder = QLabel("正在打开数据库…")
                placeholder.setStyleSheet("qproperty-alignment: AlignCenter; color: #5f6b7a; font-size: 12pt;")
            else:
                placeholder = QWidget()
            self.stack.addWidget(placeholder)  # replaced by the page when it is first shown
            item = QListWidgetItem(label)
            item.setData(USER_ROLE, key)
            item.setToolTip(f"{label}(Ctrl+{number})")
            self.nav.addItem(item)
            action = QAction(self)
            self._shortcuts.append((action, f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, row=number - 1: self.nav.item(row).isHidden()
                                     or self.nav.setCurrentRow(row))
            self.addAction(action)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setStyleSheet(NAV_STYLE)
        self.brand = QLabel("值班报备台")
        self.brand.setObjectName("brand")
        self.brand.setStyleSheet("#brand { font-size: 13pt; font-weight: bold; color: #1f4e8c; padding: 10px 8px 6px 12px; }")
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(self.brand)
        side.addWidget(self.nav, 1)
        side_widget = QWidget()
        side_widget.setObjectName("side")
        side_widget.setStyleSheet("#side { background: #eef2f7; border-right: 1px solid #d0d7e2; }")
        side_widget.setLayout(side)
        side_widget.setFixedWidth(136)
        # The reminder to import next year's holiday notice (from 1 November, until it is imported):
        # its Banner is made in attach().
        self.notice_banner: Banner | None = None
        self._banner_closed = False
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.banner_row = QHBoxLayout()
        self.banner_row.setContentsMargins(8, 6, 8, 6)
        self.banner_area = QWidget()
        self.banner_area.setLayout(self.banner_row)
        column.addWidget(self.banner_area)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(side_widget)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self._menus()
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.banner_area.hide()
        self.setWindowTitle("值班报备台")
        self._restore_geometry()
        if session is not None:
            self.attach(session)

    def _update_anchor_notice(self) -> None:
        """A save whose audit anchor (desktop.store.anchors) could not be written says so over the
        window; the next save that writes it takes the notice away. So does the first file that could
        not be made the user's only (desktop.store.private)."""
        problem = self._store_problems()
        if problem != getattr(self, "_anchor_shown", None):
            self._anchor_shown = problem
            _backup_dialogs().show_store_notices(self)

    def _store_problems(self) -> tuple[str | None, str | None]:
        from desktop.store import private

        return self.session.store.anchor_problem, private.notice()

    def attach(self, session: Session) -> None:
        """Phase two: the database is open; show 今日在岗 (after a restore, the section that was shown)."""
        # Imported here, not at the top: ~80 ms that the first paint need not wait for.
        from desktop.ops.base import Entity

        reattached = self.pages is not None  # a restore gives the window a new session: stay where it was
        self._set_shortcuts()
        if self.notice_banner is None:
            from desktop.ui.banner import Banner

            self.notice_banner = Banner(button_text="导入通知…", closable=True)
            self.notice_banner.action.connect(self.import_notice)
            self.notice_banner.closed.connect(self._banner_dismissed)
            self.banner_row.addWidget(self.notice_banner)
        self.session = session
        self.pages = Pages(session, self.stack)
        session.changed.connect(lambda _e: self._update_title())
        session.changed.connect(lambda changes: changes.touches(Entity.calendar) and self._update_reminder())
        session.changed.connect(lambda changes: changes.touches(Entity.operator) and self._apply_scope())
        self._update_title()
        self._update_reminder()
        from desktop.ui.access_ui import install_access

        self.access = install_access(self, session)  # operator, 切换操作员/锁定, idle lock
        from desktop.ui.undo_ui import install_undo

        install_undo(self, session)  # 编辑 → 撤销 (Ctrl+Z)
        backup_dialogs = _backup_dialogs()
        backup_dialogs.show_store_notices(self)  # 只读, a failed daily backup, an anchor not written
        self._anchor_shown = self._store_problems()
        session.changed.connect(lambda _c: self._update_anchor_notice())
        backup_dialogs.update_undo_action(self)
        self.nav.setEnabled(True)
        # 今日在岗 at start: who is where today is the first thing of every morning
        keys = [key for key, _l, _f in SECTIONS]
        row = max(self.nav.currentRow(), 0) if reattached else 0
        hidden = self._apply_scope(switch=False)
        if keys[row] in hidden:
            row = keys.index("absences")
        if self.nav.currentRow() == row:
            self._show_row(row)
        else:
            self.nav.setCurrentRow(row)

    def _apply_scope(self, switch: bool = True) -> frozenset[str]:
        """Hide the sections a 单位录入员 is not shown (after a sign-in as another operator too)."""
        from desktop import ops

        hidden = NOT_FOR_UNIT_CLERKS if self.session is not None and ops.scope.unit_of(self.session.store) else frozenset()
        for row, (key, _label, _path) in enumerate(SECTIONS):
            self.nav.item(row).setHidden(key in hidden)
        for action in (self.export_action, self.print_weekly_action):  # every leader's whereabouts: the office's
            action.setEnabled(not hidden)
        current = self.nav.currentRow()
        if switch and 0 <= current < len(SECTIONS) and SECTIONS[current][0] in hidden:
            self.nav.setCurrentRow([k for k, _l, _p in SECTIONS].index("absences"))
        return hidden

    def _show_row(self, row: int) -> None:
        if row < 0 or self.pages is None:
            return
        self.pages[SECTIONS[row][0]]  # builds the page on first visit
        self.stack.setCurrentIndex(row)

    def _set_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence

        for action, key in self._shortcuts:
            standard = getattr(QKeySequence.StandardKey, key, None)
            action.setShortcut(QKeySequence(standard) if standard is not None else QKeySequence(key))
        self._shortcuts = []

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        backup_action = file_menu.addAction("备份数据库…")
        backup_action.triggered.connect(self.backup)
        # 恢复备份…, 撤销上次恢复: the dialogs (desktop/ui/backup_dialogs.py) are imported when used, not
        # before the first paint (bench/bench_startup.py).
        self.restore_action = file_menu.addAction("恢复备份…")
        self.restore_action.setToolTip("列出自动和手动备份,选择一份恢复(恢复前会先备份当前数据,可撤销)")
        self.restore_action.triggered.connect(lambda: _backup_dialogs().open_backups_dialog(self))
        self.undo_restore_action = file_menu.addAction("撤销上次恢复")
        self.undo_restore_action.setToolTip("恢复上次恢复之前的数据")
        self.undo_restore_action.triggered.connect(lambda: _backup_dialogs().undo_last_restore(self))
        file_menu.aboutToShow.connect(lambda: _backup_dialogs().update_undo_action(self))
        self.restore_action.setEnabled(False)  # until the database is open (attach)
        self.undo_restore_action.setEnabled(False)
        self.import_notice_action = file_menu.addAction("导入放假通知…")
        self.import_notice_action.setToolTip("导入国务院办公厅关于下一年部分节假日安排的通知")
        self.import_notice_action.triggered.connect(self.import_notice)
        self.import_roster_action = file_menu.addAction("导入值班表…")
        self.import_roster_action.setToolTip("从 Excel 值班表导入带班领导和值班员,作为固定安排保存")
        self.import_roster_action.triggered.connect(self.import_roster)
        self.export_action = file_menu.addAction("导出…")
        self._shortcuts.append((self.export_action, "Ctrl+Shift+E"))
        self.export_action.setToolTip("导出一周领导在岗情况表、值班安排或外出记录(Ctrl+Shift+E)")
        self.export_action.triggered.connect(self.export)
        file_menu.addSeparator()
        self.connect_server_action = file_menu.addAction("连接服务器数据库…")
        self.connect_server_action.setToolTip("几位秘书在多台电脑上共同使用:打开办公室 PostgreSQL 服务器上的数据库")
        self.connect_server_action.triggered.connect(self.connect_server)
        self.use_local_action = file_menu.addAction("改用本机数据库")
        self.use_local_action.triggered.connect(self.use_local)
        file_menu.aboutToShow.connect(
            lambda: self.use_local_action.setEnabled(self.session is not None and self.session.store.server))
        file_menu.addSeparator()
        quit_action = file_menu.addAction("退出")
        self._shortcuts.append((quit_action, "Quit"))
        quit_action.triggered.connect(self.close)
        self.edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.undo_action = self.edit_menu.addAction("撤销")
        self._shortcuts.append((self.undo_action, "Undo"))  # Ctrl+Z
        self.undo_action.setEnabled(False)  # desktop/ui/undo_ui.py wires it when the database is open
        print_menu = self.menuBar().addMenu("打印(&P)")
        self.print_weekly_action = print_menu.addAction("一周领导在岗情况表…")
        self._shortcuts.append((self.print_weekly_action, "Ctrl+Shift+P"))
        self.print_weekly_action.setToolTip("打印一周领导在岗情况表(A4横向);默认本周,周四起默认下周,预览中可选任意一周")
        self.print_weekly_action.triggered.connect(self.print_weekly)
        print_menu.addSeparator()
        self.page_setup_action = print_menu.addAction("页面设置…")
        self.page_setup_action.setToolTip("纸张(A4/A3)、各打印件的方向和页边距,打印预览时沿用")
        self.page_setup_action.triggered.connect(self.page_setup)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.verify_audit_action = help_menu.addAction("校验审计日志…")
        self.verify_audit_action.setToolTip("核对审计日志的哈希链、锚点和签名,以及数据与日志是否一致;发现在程序之外的改动时可恢复相符的备份")
        self.verify_audit_action.triggered.connect(self.verify_audit)
        help_menu.addAction("关于值班报备台").triggered.connect(self.about)

    def _update_title(self) -> None:
        org = self.session.org
        profile = self.session.profile
        demo = "【示例数据】" if self.session.demo else ""
        self.setWindowTitle(f"值班报备台 — {org.name if org else '未设置单位'}{demo}")
        where = self.session.store.where
        self.status.setText(f"规则:{profile.name if profile else '未设置'}    数据库:{where}")

    def _update_reminder(self) -> None:
        from desktop.store.calendar import missing_next_year

        year = missing_next_year(self.session.store, self.session.store.clock.today())
        if year is None:
            self.banner_area.hide()
            return
        self.notice_banner.set_text(f"{year}年的放假安排尚未导入。国务院办公厅的通知公布后,请在此导入,"
                                    f"否则{year}年的期限按暂定日历计算。")
        self.notice_banner.show()
        self.banner_area.setVisible(not self._banner_closed)

    def _banner_dismissed(self) -> None:
        self._banner_closed = True  # for this session; it comes back at the next start
        self.banner_area.hide()

    def import_notice(self) -> None:
        from desktop.ui.notice_dialog import open_notice_dialog

        if self.session is not None:
            open_notice_dialog(self.session, self)

    def _restore_geometry(self) -> None:
        """The saved geometry when it still fits one of the screens as they are now and is big enough
        to work in (desktop.ui.screen_fit); otherwise the default size, centred on the screen."""
        from desktop.ui.screen_fit import available_for, geometry_fits, saved_geometry

        s = self.settings
        saved = saved_geometry(base64.b64decode(s.window_geometry)) if s.window_geometry else None
        if saved is not None and geometry_fits(saved.normal):
            self.setGeometry(saved.normal)
            if saved.maximized:
                from PySide6.QtCore import Qt

                self.setWindowState(Qt.WindowState.WindowMaximized)
        else:
            area = available_for(None)
            size = QSize(1280, 800).boundedTo(QSize(area.width() - 16, area.height() - 40))
            self.setGeometry(QRect(area.left() + (area.width() - size.width()) // 2,
                                   area.top() + max((area.height() - size.height()) // 2, 30), size.width(), size.height()))
        if s.window_state:
            self.restoreState(QByteArray(base64.b64decode(s.window_state)))

    def remember(self) -> None:
        s = self.settings
        s.window_geometry = base64.b64encode(bytes(self.saveGeometry().data())).decode()
        s.window_state = base64.b64encode(bytes(self.saveState().data())).decode()
        item = self.nav.currentItem()
        if item is not None and self.session is not None:
            s.last_section = item.data(USER_ROLE)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.remember()
        with contextlib.suppress(OSError):  # settings are a convenience; never block closing over them
            self.settings.save()
        super().closeEvent(event)

    def show_section(self, key: str) -> None:
        keys = [k for k, _l, _f in SECTIONS]
        self.nav.setCurrentRow(keys.index(key))

    def connect_server(self) -> None:
        from desktop.ui.server_dialog import connect_in_window

        if self.session is not None:
            connect_in_window(self)

    def use_local(self) -> None:
        from desktop.ui.server_dialog import use_local_in_window

        if self.session is not None and self.session.store.server:
            use_local_in_window(self)

    def backup(self) -> None:
        from desktop.ui.backup_dialogs import save_backup

        save_backup(self)

    def print_weekly(self) -> None:
        from desktop.ui.printing import preview_weekly

        if self.session is None:
            return
        preview_weekly(self.session, None, self)  # this week, or next week from Thursday on

    def export(self) -> None:
        from desktop.ui.export_dialog import open_export_dialog

        if self.session is not None:
            open_export_dialog(self.session, self)

    def import_roster(self) -> None:
        from desktop.ui.roster_import_dialog import open_roster_import

        if self.session is not None:
            open_roster_import(self.session, self)

    def page_setup(self) -> None:
        from desktop.ui.printing import edit_page_setup

        edit_page_setup(self.settings, self)

    def verify_audit(self) -> None:
        from desktop.ui.verify_dialog import show_verify

        if self.session is not None:
            show_verify(self)

    def about(self) -> None:
        QMessageBox.about(self, "关于值班报备台",
                          f"值班报备台 DutyDesk {__version__}\n领导外出报备、AB角、请销假与节假日带班。")
