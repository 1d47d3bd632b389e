"""图形界面中的操作员:登录对话框、空闲锁定与解锁、只读操作员看到写操作被禁用、操作员账户对话框。"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from desktop import ops
from desktop.core import access
from desktop.settings import Settings
from desktop.store import audit, operators, people
from desktop.ui.mainwindow import MainWindow
from desktop.ui.operators_dialog import AddOperatorDialog, OperatorsDialog, PasswordDialog, RoleDialog
from desktop.ui.signin import SignInDialog, sign_in_at_start

PW = "值班报备2026"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)


@pytest.fixture
def accounts(session):
    """示例政府加三个账户(管理员、录入员、只读),以管理员登录。"""
    store = session.store
    ops.operators.add_operator(store, "admin", PW, "admin", "王主任")
    ops.operators.authenticate(store, "admin", PW)
    ops.operators.add_operator(store, "clerk", PW, "clerk", "李文书")
    ops.operators.add_operator(store, "viewer", PW, "viewer", "赵查看")
    return session


def make_window(qtbot, session):
    w = MainWindow(session, Settings())
    qtbot.addWidget(w)
    w.show()
    return w


def sign_in(dialog, name, password):
    dialog.name_edit.setText(name)
    dialog.password_edit.setText(password)
    dialog.ok_button.click()


def test_sign_in_dialog_refuses_then_accepts(qtbot, accounts):
    store = accounts.store
    dialog = SignInDialog(store)
    qtbot.addWidget(dialog)
    sign_in(dialog, "clerk", "wrong-password")
    assert dialog.result() == 0 and dialog.error.isVisibleTo(dialog)
    assert "账户名或密码不正确" in dialog.error.text() and dialog.password_edit.text() == ""
    assert store.operator == "admin"
    sign_in(dialog, "clerk", PW)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert (store.operator, store.role) == ("clerk", "clerk")


def test_sign_in_at_start(qtbot, session, accounts, monkeypatch):
    shown = []

    def fake_exec(self):
        shown.append(self)
        sign_in(self, "viewer", PW)
        return self.result()

    monkeypatch.setattr(SignInDialog, "exec", fake_exec)
    assert sign_in_at_start(accounts.store) and shown
    assert accounts.store.role == "viewer"
    monkeypatch.setattr(SignInDialog, "exec", lambda self: 0)  # 退出
    assert not sign_in_at_start(accounts.store)


def test_no_sign_in_while_accounts_are_off(session, monkeypatch):
    monkeypatch.setattr(SignInDialog, "exec", lambda self: pytest.fail("不应要求登录"))
    assert sign_in_at_start(session.store)


def test_status_bar_and_menu_show_the_operator(qtbot, accounts):
    window = make_window(qtbot, accounts)
    assert window.access.status_label.text() == "操作员:王主任(管理员)"
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert {"切换操作员…", "锁定", "操作员账户…"} <= set(texts)
    assert texts[-1] == "退出"


def test_idle_lock_engages_and_unlocks_with_the_password(qtbot, accounts):
    ops.operators.authenticate(accounts.store, "clerk", PW)
    window = make_window(qtbot, accounts)
    window.access.set_idle_interval_ms(60)
    qtbot.waitUntil(lambda: window.access.locked, timeout=10_000)
    dialog = window.access.lock_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.access.covers and window.access.covers[0].isVisible()
    assert dialog.name_edit.text() == "clerk"
    dialog.reject()  # Esc / closing does not unlock
    assert window.access.locked
    sign_in(dialog, "clerk", "wrong-password")
    assert window.access.locked and "不正确" in dialog.error.text()
    sign_in(dialog, "viewer", PW)  # someone else who is not a 管理员
    assert window.access.locked and "只能由 clerk 本人或管理员解锁" in dialog.error.text()
    sign_in(dialog, "clerk", PW)
    assert not window.access.locked and window.access.covers == []
    assert accounts.store.operator == "clerk"
    assert window.access.timer.isActive()  # watching again


def test_input_postpones_the_lock(qtbot, accounts):
    window = make_window(qtbot, accounts)
    access_ui = window.access
    access_ui.set_idle_interval_ms(10_000)
    access_ui._last_input -= 20  # as if nobody had touched it for 20 s
    QTest.keyClick(window.nav, Qt.Key.Key_Down)  # a key press counts as activity
    access_ui._check_idle()
    assert not access_ui.locked
    access_ui._last_input -= 20
    access_ui._check_idle()
    assert access_ui.locked
    sign_in(access_ui.lock_dialog, "admin", PW)
    assert not access_ui.locked


def test_an_admin_may_unlock_and_becomes_the_operator(qtbot, accounts):
    ops.operators.authenticate(accounts.store, "viewer", PW)
    window = make_window(qtbot, accounts)
    window.access.lock_action.trigger()
    dialog = window.access.lock_dialog
    sign_in(dialog, "admin", PW)
    assert not window.access.locked
    assert (accounts.store.operator, accounts.store.role) == ("admin", "admin")
    assert "王主任(管理员)" in window.access.status_label.text()
    assert audit.history(accounts.store, "operator")[0].summary.startswith("锁定后由管理员登录")
    assert window.pages["people"].actions["add"].isEnabled()  # pages re-checked


def test_quitting_from_the_lock_closes_the_window(qtbot, accounts, monkeypatch):
    window = make_window(qtbot, accounts)
    quits = []
    monkeypatch.setattr("desktop.ui.access_ui.QApplication.quit", lambda: quits.append(True))
    window.access.lock()
    window.access.lock_dialog.buttons.rejected.emit()  # 退出程序
    assert quits and not window.isVisible()


def test_viewer_sees_write_actions_disabled(qtbot, accounts, monkeypatch):
    ops.operators.authenticate(accounts.store, "viewer", PW)
    window = make_window(qtbot, accounts)
    page = window.pages["people"]
    page.select_id(people.find_person(accounts.store, "张丽华").id)
    assert not page.actions["add"].isEnabled() and not page.actions["edit"].isEnabled()
    assert not page.actions["import"].isEnabled() and not page.table.dragEnabled()
    absences = window.pages["absences"]
    assert not absences.actions["add"].isEnabled()
    duty = window.pages["duty"]
    assert not duty.plan_button.isEnabled()
    window.show_section("meetings")
    meetings = window.pages["meetings"]
    assert not meetings.add_button.isEnabled() and not meetings.request_button.isEnabled()
    assert not window.access.accounts_action.isEnabled()
    assert not window.import_notice_action.isEnabled() and not window.import_roster_action.isEnabled()
    assert window.print_weekly_action.isEnabled()  # viewing and printing stay
    # a refused write (e.g. from a shortcut that bypasses the buttons) shows why and changes nothing
    shown = []
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": shown.append(message))
    before = [p.name for p in people.list_people(accounts.store)]
    pid = people.find_person(accounts.store, "张丽华").id
    assert accounts.run(page, ops.people.move, pid, 1) is None
    assert shown and "只读" in shown[0] and "管理员" in shown[0]
    assert [p.name for p in people.list_people(accounts.store)] == before


def test_clerk_records_but_not_people(qtbot, accounts):
    ops.operators.authenticate(accounts.store, "clerk", PW)
    window = make_window(qtbot, accounts)
    assert window.pages["absences"].actions["add"].isEnabled()
    assert window.pages["duty"].plan_button.isEnabled()
    assert not window.pages["people"].actions["add"].isEnabled()


def test_switch_operator(qtbot, accounts, monkeypatch):
    window = make_window(qtbot, accounts)

    def fake_exec(self):
        sign_in(self, "viewer", PW)
        return self.result()

    monkeypatch.setattr(SignInDialog, "exec", fake_exec)
    window.access.switch_action.trigger()
    assert accounts.store.operator == "viewer"
    assert "赵查看(只读)" in window.access.status_label.text()
    assert not window.pages["people"].actions["add"].isEnabled()


def test_first_admin_from_the_accounts_dialog_turns_sign_in_on(qtbot, session, monkeypatch):
    window = make_window(qtbot, session)
    assert "未启用登录" in window.access.status_label.text()
    assert not window.access.lock_action.isEnabled() and window.access.accounts_action.isEnabled()
    dialog = OperatorsDialog(session, window)
    qtbot.addWidget(dialog)
    assert "尚未启用操作员登录" in dialog.hint.text()

    def fill(self):
        self.name_edit.setText("wangzr")
        self.display_edit.setText("办公室 王主任")
        self.role_combo.setCurrentIndex(0)
        self.password_edit.setText(PW)
        self.again_edit.setText(PW + "x")
        self.accept()
        assert "不一致" in self.error.text()
        self.again_edit.setText(PW)
        self.accept()
        return self.result()

    monkeypatch.setattr(AddOperatorDialog, "exec", fill)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    dialog.add_button.click()
    assert operators.accounts_enabled(session.store)
    assert (session.store.operator, session.store.role) == ("wangzr", "admin")
    assert dialog.signed_in_changed and "已启用操作员登录" in dialog.hint.text()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "管理员"


def test_accounts_dialog_reset_role_and_deactivate(qtbot, accounts, monkeypatch):
    dialog = OperatorsDialog(accounts, None)
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["admin", "clerk", "viewer"]
    shown = []
    monkeypatch.setattr("desktop.ui.session.show_error", lambda parent, message, title="": shown.append(message))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    # reset clerk's password
    dialog.select("clerk")

    def new_password(self):
        self.password_edit.setText("新密码abcdef")
        self.again_edit.setText("新密码abcdef")
        self.accept()
        return self.result()

    monkeypatch.setattr(PasswordDialog, "exec", new_password)
    dialog.password_button.click()
    ops.operators.verify_credentials(accounts.store, "clerk", "新密码abcdef")
    # change viewer's role to 办公室录入员, then to 单位录入员 of 教育和体育局
    def pick(role: str, unit: str = ""):
        def run(self):
            self.role_combo.setCurrentIndex(self.role_combo.findData(role))
            assert self.unit_combo.isEnabled() == (role == "unit_clerk")
            if unit:
                self.unit_combo.setCurrentIndex(self.unit_combo.findData(unit))
            self.accept()
            return self.result()
        return run

    dialog.select("viewer")
    monkeypatch.setattr(RoleDialog, "exec", pick("clerk"))
    dialog.role_button.click()
    assert operators.find_operator(accounts.store, "viewer").role.value == "clerk"
    dialog.select("viewer")
    monkeypatch.setattr(RoleDialog, "exec", pick("unit_clerk"))  # no unit chosen: refused, nothing changed
    dialog.role_button.click()
    assert shown and "必须指定所属单位" in shown[-1]
    monkeypatch.setattr(RoleDialog, "exec", pick("unit_clerk", "教育和体育局"))
    dialog.role_button.click()
    changed = operators.find_operator(accounts.store, "viewer")
    assert (changed.role.value, changed.unit) == ("unit_clerk", "教育和体育局")
    row = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())].index("viewer")
    assert dialog.table.item(row, 2).text() == "单位录入员 · 教育和体育局"
    # deactivate clerk, then the last admin is refused
    dialog.select("clerk")
    dialog.active_button.click()
    assert not operators.find_operator(accounts.store, "clerk").active
    dialog.select("clerk")
    assert dialog.active_button.text() == "启用"
    dialog.select("admin")
    dialog.active_button.click()
    assert shown and "最后一位在用的管理员" in shown[-1]
    assert operators.find_operator(accounts.store, "admin").active
    # idle lock time
    dialog.idle_spin.setValue(5)
    dialog.idle_button.click()
    assert operators.idle_lock_minutes(accounts.store) == 5
