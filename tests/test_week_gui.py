"""第一小时:示例数据的每一页都有内容、快捷键不冲突、窗口打开在今日在岗、窗口和对话框适合屏幕、Qt 自带对话框是中文。

GUI tests (pytest-qt, offscreen) of issue 13's "First hour" and "Shortcuts do what they say".
"""

from __future__ import annotations

import base64
import re

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMenu, QWidget
from shiboken6 import isValid

from desktop import ops
from desktop.resources import available_profiles
from desktop.settings import Settings
from desktop.store.opening import open_store
from desktop.ui import screen_fit
from desktop.ui.mainwindow import SECTIONS, MainWindow
from desktop.ui.session import Session

#: A 1366×768 laptop screen with a 40-pixel taskbar at the bottom.
LAPTOP = QRect(0, 0, 1366, 728)


@pytest.fixture
def living(qapp, tmp_path, clock):
    from desktop.app import configure_app

    configure_app(qapp)
    store = open_store(tmp_path / "demo.db", clock, operator="测试员")
    ops.demo.populate_week(store, available_profiles())
    yield Session(store, demo=True)
    store.close()


@pytest.fixture
def window(qtbot, living):
    w = MainWindow(living, Settings())
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(screen_fit, "available_geometries", lambda: [LAPTOP])
    return LAPTOP


def _menu_live(menu: QMenu, window: QWidget) -> bool:
    """A menu's action is live when the menu hangs (maybe through submenus) on the window's menu bar."""
    bar = window.menuBar()
    seen = set()
    while menu is not None and id(menu) not in seen:
        seen.add(id(menu))
        if menu.menuAction() in bar.actions():
            return True
        parents = [w for w in menu.menuAction().associatedObjects() if isinstance(w, QMenu)]
        menu = parents[0] if parents else None
    return False


def live_shortcuts(window: QWidget) -> dict[str, list[str]]:
    """Key sequence -> the live commands bound to it: actions on a visible widget of the window (or in
    its menus) and QShortcuts on one; a hidden page's actions are not live (Qt ignores them)."""
    found: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        if not isValid(action):  # deleted since (a page rebuilt its menus)
            continue
        keys = [k.toString() for k in action.shortcuts() if not k.isEmpty()]
        if not keys:
            continue
        owners = [o for o in action.associatedObjects() if isinstance(o, QWidget)]
        live = any((o.isVisible() and o.window() is window) or (isinstance(o, QMenu) and _menu_live(o, window))
                   for o in owners)
        if live:
            for k in keys:
                found.setdefault(k, []).append(action.text() or action.toolTip() or action.objectName() or "(无名)")
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if isinstance(parent, QWidget) and parent.isVisible() and shortcut.isEnabled():
            for k in [shortcut.key().toString()]:
                found.setdefault(k, []).append(f"QShortcut:{shortcut.whatsThis() or k}")
    return found


def test_the_demo_window_opens_on_today_and_every_page_has_rows_and_no_shared_shortcut(qtbot, window):
    assert window.stack.currentIndex() == 0 and type(window.stack.currentWidget()).__name__ == "TodayPage"
    clashes = {}
    for row, (_key, label, _path) in enumerate(SECTIONS):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(lambda r=row: window.stack.currentIndex() == r)
        shared = {k: v for k, v in live_shortcuts(window).items() if len(v) > 1}
        if shared:
            clashes[label] = shared
    assert not clashes, clashes
    pages = window.pages
    assert pages["today"].table.rowCount() >= 10
    assert pages["absences"].model.rowCount() >= 10
    assert pages["duty"].model.rowCount() >= 1
    assert pages["meetings"].list.rowCount() >= 1


def test_the_known_clashes_are_gone(window):
    window.show_section("absences")
    found = live_shortcuts(window)
    assert found["Ctrl+Shift+E"] == ["导出…"]
    window.show_section("duty")
    assert live_shortcuts(window)["Ctrl+Shift+P"] == ["一周领导在岗情况表…"]


def test_the_checker_sees_a_clash(qtbot, window):
    """The checker itself can fail: a second live command on Ctrl+Shift+E is reported."""
    window.show_section("absences")
    page = window.pages["absences"]
    extra = QAction("重复", page)
    extra.setShortcut("Ctrl+Shift+E")
    page.addAction(extra)
    assert len(live_shortcuts(window)["Ctrl+Shift+E"]) == 2


def test_the_window_opens_on_today_even_after_another_section(qtbot, living):
    settings = Settings(last_section="people")
    w = MainWindow(living, settings)
    qtbot.addWidget(w)
    assert w.nav.currentRow() == 0 and type(w.stack.currentWidget()).__name__ == "TodayPage"


def _saved(qtbot, living, rect: QRect) -> Settings:
    w = MainWindow(living, Settings())
    qtbot.addWidget(w)
    w.setGeometry(rect)
    s = Settings(window_geometry=base64.b64encode(bytes(w.saveGeometry().data())).decode())
    w.close()
    return s


def test_a_saved_geometry_that_fits_is_restored(qtbot, living, laptop):
    settings = _saved(qtbot, living, QRect(60, 50, 1000, 620))
    w = MainWindow(living, settings)
    qtbot.addWidget(w)
    assert w.geometry() == QRect(60, 50, 1000, 620)


@pytest.mark.parametrize("rect", [QRect(100, 100, 781, 327),  # shrunk to nothing: the bug report
                                  QRect(1500, 100, 1100, 700),  # on a second monitor that is gone
                                  QRect(0, 0, 1900, 1000)])  # bigger than the laptop's screen
def test_a_saved_geometry_that_does_not_fit_falls_back_to_the_default(qtbot, living, laptop, rect):
    settings = _saved(qtbot, living, rect)
    w = MainWindow(living, settings)
    qtbot.addWidget(w)
    g = w.geometry()
    assert LAPTOP.contains(g) and g.width() >= 900 and g.height() >= 560, g


def test_the_default_window_fits_the_laptop(qtbot, living, laptop):
    w = MainWindow(living, Settings())
    qtbot.addWidget(w)
    assert LAPTOP.contains(w.geometry()) and w.width() >= 1200


def _assert_fits(dialog: QDialog) -> None:
    frame = dialog.frameGeometry()
    assert LAPTOP.contains(QRect(frame.topLeft(), dialog.size())), (type(dialog).__name__, dialog.geometry())
    hint = dialog.minimumSizeHint()
    assert hint.height() <= LAPTOP.height() and hint.width() <= LAPTOP.width(), (type(dialog).__name__, hint)


def test_the_notice_import_dialog_fits_a_laptop_screen(qtbot, window, laptop):
    from desktop.ui.notice_dialog import NoticeDialog

    dialog = NoticeDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.height() > LAPTOP.height()  # as built: 780 px, the bug
    dialog.show()
    _assert_fits(dialog)
    buttons = [b for b in dialog.findChildren(QWidget) if b.isVisible() and hasattr(b, "text")
               and b.metaObject().className() == "QPushButton"]
    for b in buttons:
        bottom = b.mapTo(dialog, b.rect().bottomRight()).y()
        assert bottom <= dialog.height(), b.text()


def test_the_file_dialog_speaks_chinese(qtbot, living):
    dialog = QFileDialog(None, "打开")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.text()]
    assert labels and not [t for t in labels if re.search(r"[A-Za-z]{2,}", t)], labels
    assert any("查找范围" in t for t in labels) and any("文件类型" in t for t in labels)


def test_the_print_dialog_labels_speak_chinese(qtbot, living):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    english = [w.text() for w in dialog.findChildren(QLabel) if re.search(r"[A-Za-z]{3,}", w.text().replace("&", ""))]
    assert not english, english


def test_frozen_build_keeps_the_chinese_catalog():
    """build.spec keeps qtbase_zh_CN.qm (the standard dialogs' Chinese) in the frozen build."""
    from pathlib import Path

    import desktop

    spec = (Path(desktop.__file__).parent.parent / "build.spec").read_text(encoding="utf-8")
    pattern = re.search(r'KEEP_TRANSLATIONS = re.compile\(r"(.+?)"\)', spec).group(1)
    assert re.match(pattern, "qtbase_zh_CN.qm")


def test_every_dialog_of_ours_fits_the_screen():
    """Each dialog class in desktop/ui derives from FittedDialog, and each print preview is watched,
    so a dialog added later cannot forget to fit a 1366×768 screen."""
    import importlib
    import pkgutil
    from pathlib import Path

    import desktop.ui

    for info in pkgutil.iter_modules(desktop.ui.__path__):
        importlib.import_module(f"desktop.ui.{info.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(QDialog) if c.__module__.startswith("desktop.ui")]
    assert len(ours) > 30
    unfitted = [c.__qualname__ for c in ours if not issubclass(c, screen_fit.FittedDialog)]
    assert unfitted == []
    for path in Path(desktop.ui.__file__).parent.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "QPrintPreviewDialog(" in line and "import" not in line:
                assert "screen_fit.watch(" in line, f"{path.name}: {line.strip()}"


def test_the_main_window_leaves_events_to_qt():
    """No application-wide Python event filter before the database is open: it takes every event of
    every object through Python, and its first Qt-internal object costs ~80 ms (bench/RESULTS.md). The
    idle lock (access_ui.py) is the one exception: it watches input only while sign-in and the idle lock
    are on, after the window is ready."""
    from pathlib import Path

    import desktop

    root = Path(desktop.__file__).parent
    offenders = [p.name for p in root.rglob("*.py")
                 if "app.installEventFilter(" in p.read_text(encoding="utf-8")
                 or "qapp.installEventFilter(" in p.read_text(encoding="utf-8")]
    assert offenders == ["access_ui.py"]


def test_fit_window_moves_a_dialog_back_on_screen(qtbot, laptop):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(900, 900)
    dialog.move(1000, 500)
    screen_fit.fit_window(dialog)
    assert dialog.height() <= LAPTOP.height() - 40 and LAPTOP.contains(QRect(dialog.pos(), dialog.size()))


def test_the_dialog_fitter_runs_on_show(qtbot, living, laptop):
    dialog = screen_fit.FittedDialog()
    qtbot.addWidget(dialog)
    dialog.resize(1000, 1000)
    dialog.show()
    assert dialog.height() <= LAPTOP.height() - 40


def test_a_watched_print_preview_fits_on_show(qtbot, laptop):
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    dialog = screen_fit.watch(QPrintPreviewDialog())
    qtbot.addWidget(dialog)
    dialog.resize(1400, 1000)
    dialog.show()
    assert dialog.height() <= LAPTOP.height() - 40 and dialog.width() <= LAPTOP.width()
    dialog.close()


# ---------------------------------------------------------------- empty pages say what to do next

def test_empty_pages_say_what_to_do_next(qtbot, qapp, store):
    from desktop.app import configure_app

    configure_app(qapp)
    w = MainWindow(Session(store), Settings())
    qtbot.addWidget(w)
    w.show()
    expected = {"today": ("today", "table", "人员"), "absences": ("absences", "table", "新增"),
                "meetings": ("meetings", "list", "新增会议"),
                "people": ("people", "table", "导入名单")}
    for key, (section, attr, words) in expected.items():
        w.show_section(section)
        table = getattr(w.pages[key], attr)
        qtbot.waitUntil(table.isVisible)
        hint = table.empty_hint
        assert hint.isVisible() and words in hint.text(), (key, hint.text())
    meetings = w.pages["meetings"]
    assert "选择一个会议" in meetings.attendance.empty_hint.text()
    w.show_section("duty")  # the duty days are listed; the subtitle says what to do
    duty = w.pages["duty"]
    assert "生成排班" in duty.subtitle.text()
    duty.set_scope(2026, "month", 3)  # no holiday in March: nothing to plan
    assert duty.table.empty_hint.isVisible() and "选择一个假期" in duty.table.empty_hint.text()


def test_the_hint_goes_when_rows_come(qtbot, window):
    window.show_section("people")
    page = window.pages["people"]
    assert not page.table.empty_hint.isVisible()  # the demo has people
    page.search.setText("没有这个人")
    qtbot.waitUntil(lambda: page.table.empty_hint.isVisible())
    assert page.table.empty_hint.text() == "没有符合搜索的人员。"


# ---------------------------------------------------------------- wording and columns

def test_the_today_column_names_the_day_shown(window):
    import datetime as dt

    page = window.pages["today"]
    assert page.table.horizontalHeaderItem(2).text() == "今日"
    page.set_day(dt.date(2026, 11, 23))
    assert page.table.horizontalHeaderItem(2).text() == "11月23日(一)"
    page.go_today()
    assert page.table.horizontalHeaderItem(2).text() == "今日"


def test_the_list_shows_the_actual_return_after_an_early_return(window):
    window.show_section("absences")
    page = window.pages["absences"]
    model = page.model
    spans = [model.data(model.index(r, 4)) for r in range(model.rowCount())]
    names = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    back = spans[names.index("吴国栋")]
    assert back == "2026年11月12日至14日(原计划至11月16日)", back  # back two days early


def test_pending_list_reads_who_waits_for_what(window):
    window.show_section("absences")
    rows = window.pages["absences"].pending_rows()
    assert "待常务副市长 李志强(代市长)批准:1" in rows  # the 市长 is away: his deputy acts
    assert "待向市政府办公室报备:1" in rows
    assert not [r for r in rows if r.startswith("等待")]


def test_columns_fit_their_content(qtbot, window):
    window.resize(1900, 1000)
    page = window.pages["today"]
    qtbot.waitUntil(lambda: page.table.viewport().width() > 1200)
    widths = [page.table.columnWidth(c) for c in range(page.table.columnCount())]
    assert widths[2] < 400 and widths[3] < 400, widths  # 今日 and 代行人 were ~750 px each
    window.show_section("duty")
    duty = window.pages["duty"]
    duty.tabs.setCurrentIndex(duty.tabs.count() - 1)
    loads = duty.loads
    qtbot.waitUntil(loads.isVisible)
    assert loads.rowCount() > 1
    header = loads.horizontalHeader()
    last = loads.columnCount() - 1
    assert header.sectionSize(last) <= max(header.sectionSizeHint(last), loads.sizeHintForColumn(last)) + 4
    assert min(header.sectionSize(c) for c in range(loads.columnCount())) >= 72


def test_a_one_day_holiday_reads_as_one_date(window):
    window.show_section("duty")
    duty = window.pages["duty"]
    duty.year.setValue(2027)
    labels = [duty.scope_combo.itemText(i) for i in range(duty.scope_combo.count())]
    assert "端午节(6月9日)" in labels, labels


def test_the_record_list_widens_columns_to_their_content(qtbot, window):
    window.resize(1900, 1000)
    window.show_section("absences")
    page = window.pages["absences"]
    page.reload()
    model, table = page.model, page.table
    spans = [model.data(model.index(r, 4)) for r in range(model.rowCount())]
    longest = max(spans, key=len)  # 2026年11月12日至14日(原计划至11月16日)
    assert table.columnWidth(4) >= table.fontMetrics().horizontalAdvance(longest), longest
