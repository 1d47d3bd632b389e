"""GUI tests on the offscreen platform (pytest-qt): the main window, people page, dialogs, model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop import ops
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import Role
from desktop.resources import available_profiles, profiles_dir
from desktop.settings import Settings
from desktop.store import people
from desktop.ui.firstrun import FirstRunDialog
from desktop.ui.mainwindow import MainWindow
from desktop.ui.people_model import PeopleModel, PersonRow
from desktop.ui.person_dialog import PersonDialog


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session, Settings())
    qtbot.addWidget(w)
    w.show()
    return w


def visible_names(page):
    return [page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())]


def test_navigation_lists_only_working_sections(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["今日在岗", "外出/请假", "值班", "部门值班", "会议", "日历", "期限计算", "人员", "规则"]
    assert "演示市人民政府办公室" in window.windowTitle() and "示例数据" in window.windowTitle()


def test_people_page_shows_the_demo_government_in_rank_order(window):
    page = window.pages["people"]
    names = visible_names(page)
    assert names[:3] == ["王建国", "李志强", "张丽华"]
    assert len(names) == 37
    row = page.model.row_at(2)
    assert row.partner == "周晓燕" and row.portfolio.startswith("分管:教育和体育局")
    assert "共 37 人" in page.count_label.text()


def test_search_filters_and_disables_drag(window, qtbot):
    page = window.pages["people"]
    page.search.setText("公安")  # QTest cannot type non-ASCII keys
    assert visible_names(page) == ["陈明", "罗建军"]
    assert not page.table.dragEnabled()
    page.search.clear()
    assert page.table.dragEnabled()


def test_move_down_changes_the_rank_through_an_operation(window, session):
    page = window.pages["people"]
    page.select_id(people.find_person(session.store, "张丽华").id)
    page.actions["down"].trigger()
    assert visible_names(page)[2:4] == ["陈明", "张丽华"]
    assert page.selected_id() == people.find_person(session.store, "张丽华").id


def test_drag_and_drop_reorders(window, session):
    page = window.pages["people"]
    model = page.model
    mime = model.mimeData([model.index(4, 0)])  # 刘海峰
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, model.index(-1, -1))
    assert visible_names(page)[:3] == ["王建国", "刘海峰", "李志强"]


def test_deactivate_hides_until_show_inactive(window, session, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page = window.pages["people"]
    page.select_id(people.find_person(session.store, "杨帆").id)
    page.actions["active"].trigger()
    assert "杨帆" not in visible_names(page)
    page.show_inactive.setChecked(True)
    assert "杨帆" in visible_names(page)


def test_refused_operation_shows_the_message_and_changes_nothing(window, session, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": shown.append(message))
    result = session.run(window, ops.people.add_person, PersonDraft(name="王建国", role=Role.deputy))
    assert result is None and "同名" in shown[0]
    assert visible_names(window.pages["people"]).count("王建国") == 1


def test_person_dialog_validates_as_you_type(qtbot, session):
    dialog = PersonDialog(session.profile, ["教育局"], [], None)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled() and "姓名不能为空" in dialog.problem.text()
    dialog.name.setText("赵六")
    assert save.isEnabled()
    qtbot.keyClicks(dialog.phone, "abc")
    assert not save.isEnabled() and "电话" in dialog.problem.text()
    dialog.role.setCurrentIndex(list(Role).index(Role.dept_head))
    assert dialog.supervisor.isVisibleTo(dialog) and not dialog.portfolio.isVisibleTo(dialog)
    assert dialog.title.placeholderText() == "例如:部门主要负责人" or dialog.title.placeholderText().startswith("例如:")


def test_rules_page_cites_articles(window):
    window.show_section("rules")
    text = window.pages["rules"].view.toPlainText()
    assert "攀枝花市人民政府" in text and "第八十四条" in text and "第六十一条" in text and "第八十一条" in text


def test_window_geometry_is_remembered(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtCore import QRect

    from desktop.ui import screen_fit

    monkeypatch.setattr(screen_fit, "available_geometries", lambda: [QRect(0, 0, 1366, 728)])  # a laptop
    settings = Settings()
    w = MainWindow(session, settings)
    qtbot.addWidget(w)
    w.setGeometry(QRect(40, 40, 1000, 620))
    w.show_section("rules")
    closed_size = w.size()
    w.close()
    saved = Settings.load()
    assert saved.window_geometry and saved.last_section == "rules"
    again = MainWindow(session, saved)
    qtbot.addWidget(again)
    assert again.size() == closed_size and again.stack.currentIndex() == 0  # it opens on 今日在岗


def test_first_run_dialog_suggests_the_office_name(qtbot):
    profiles = [load_profile(profiles_dir() / f"{pid}.toml") for pid in available_profiles()]
    dialog = FirstRunDialog(profiles)
    qtbot.addWidget(dialog)
    dialog.profile.setCurrentIndex([p.id for p in profiles].index("xiping"))
    assert dialog.choice() == ("xiping", "西平县人民政府办公室")


def test_people_model_passes_the_model_tester(qtmodeltester, session):
    model = PeopleModel(on_reorder=lambda ids: None)
    model.set_rows([PersonRow(p, p.title, "", "") for p in people.list_people(session.store)])
    qtmodeltester.check(model)


def test_the_window_paints_before_the_database_is_open(qtbot, session):
    """Start-up phase one shows the frame with “正在打开数据库…”; attach() opens the section."""
    w = MainWindow(None, Settings())
    qtbot.addWidget(w)
    w.show()
    assert not w.nav.isEnabled() and w.pages is None
    assert w.stack.currentWidget().text() == "正在打开数据库…"
    w.attach(session)
    assert w.nav.isEnabled() and w.nav.currentRow() == 0  # 今日在岗, whatever section was last
    assert type(w.stack.currentWidget()).__name__ == "TodayPage"
    assert "演示市人民政府办公室" in w.windowTitle()


def test_only_plain_options_open_the_gui():
    from desktop.entry import opens_the_gui

    assert opens_the_gui([]) and opens_the_gui(["--demo"]) and opens_the_gui(["--db", "x.db", "--json"])
    assert not opens_the_gui(["people", "list"]) and not opens_the_gui(["--version"])
    assert not opens_the_gui(["--db", "x.db", "check"])
