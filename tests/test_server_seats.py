"""Every seat sees every change (server mode): an operation publishes its typed changes when it
commits (NOTIFY), each seat LISTENs, and the GUI's session emits them as its own `changed`; an open
record dialog warns when another seat saved that record. Runs on the PostgreSQL test server."""

from __future__ import annotations

import threading

import pytest

from desktop import ops
from desktop.core.people import PersonDraft, Role
from desktop.ops.base import Changes, Entity
from desktop.resources import available_profiles
from desktop.store import people
from desktop.store.listen import Listener
from desktop.store.opening import open_store

WAIT_S = 10  # an upper bound for the test only; bench/RESULTS.md has the measured delivery time


@pytest.fixture
def seats(pg_url, clock):
    """Two seats on one server database: 王秘书's and 李秘书's, each with its own connection."""
    first = open_store(pg_url, clock, operator="王秘书")
    ops.org.populate(first, available_profiles())
    second = open_store(pg_url, clock, operator="李秘书")
    yield first, second
    first.close()
    second.close()


def test_a_change_on_one_seat_reaches_the_other_and_not_itself(seats):
    first, second = seats
    heard: list[dict] = []
    arrived = threading.Event()

    def deliver(data):
        heard.append(data)
        arrived.set()

    mine = Listener(first.url, first.seat, deliver)  # the first seat's own listener
    try:
        assert mine.ready.wait(WAIT_S)
        person = ops.people.add_person(second, PersonDraft("新来的副市长", Role.deputy)).value
        assert arrived.wait(WAIT_S), "the other seat's change did not arrive"
        changes = Changes.from_json(heard[0])
        assert changes.touches(Entity.person) and person.id in changes.ids_of(Entity.person)
        arrived.clear()
        heard.clear()
        ops.people.add_person(first, PersonDraft("本机新增的人", Role.deputy))  # its own: not delivered
        ops.people.add_person(second, PersonDraft("再一位", Role.deputy))
        assert arrived.wait(WAIT_S)
        assert len(heard) == 1 and Changes.from_json(heard[0]).touches(Entity.person)
    finally:
        mine.close()


def test_a_refused_operation_publishes_nothing(seats):
    first, second = seats
    heard: list[dict] = []
    arrived = threading.Event()
    listener = Listener(first.url, first.seat, lambda d: (heard.append(d), arrived.set()))
    try:
        assert listener.ready.wait(WAIT_S)
        taken = people.list_people(second)[0].name
        with pytest.raises(Exception, match="已有"):
            ops.people.add_person(second, PersonDraft(taken, Role.deputy))
        ops.people.add_person(second, PersonDraft("标记", Role.deputy))  # the next message is this one
        assert arrived.wait(WAIT_S)
        assert len(heard) == 1 and Changes.from_json(heard[0]).ids_of(Entity.person)
    finally:
        listener.close()


def test_the_window_refreshes_and_an_open_dialog_warns(qtbot, seats):
    from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

    from desktop.ui.session import Session, warn_if_changed_elsewhere

    first, second = seats
    session = Session(first)
    try:
        assert session._listener is not None and session._listener.ready.wait(WAIT_S)
        person = people.list_people(first)[1]
        dialog = QDialog()
        QVBoxLayout(dialog).addWidget(QLabel("编辑人员"))
        qtbot.addWidget(dialog)
        warn_if_changed_elsewhere(dialog, session, Entity.person, person.id)
        banner = dialog.findChild(QLabel, "changedElsewhere")
        assert banner is not None and banner.isHidden()
        other = people.get_person(second, person.id)
        draft = PersonDraft(other.name, other.role, title=other.title, phone="13800000000", unit=other.unit,
                            rank=other.rank)
        with qtbot.waitSignal(session.changed, timeout=WAIT_S * 1000) as got:
            ops.people.update_person(second, person.id, draft, other.version)
        assert got.args[0].touches(Entity.person) and person.id in got.args[0].ids_of(Entity.person)
        assert not banner.isHidden() and "另一台电脑" in banner.text()
    finally:
        session._listener.close()


def test_a_session_whose_database_was_closed_stops_listening(qtbot, seats):
    """A seat whose database was closed under it (a restore; a window left open) refreshes nothing
    when its listener reconnects and hears "re-read everything": it stops listening instead."""
    from desktop.ui.session import Session

    first, _second = seats
    session = Session(first)
    assert session._listener is not None and session._listener.ready.wait(WAIT_S)
    first.close()
    emitted: list = []
    session.changed.connect(emitted.append)
    session._on_heard(None)  # what a reconnected listener delivers
    assert emitted == [] and session._listener is None


def _fill(dialog, url: str, password: str = "") -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    dialog.host.setText(parts.hostname)
    dialog.port.setValue(parts.port)
    dialog.database.setText(parts.path.lstrip("/"))
    dialog.user.setText(parts.username)
    dialog.password.setText(password)


def test_the_connection_dialog_tests_and_opens_the_server_in_the_window(qtbot, pg_url, demo_store, tmp_path,
                                                                       monkeypatch, shots):
    from PySide6.QtWidgets import QDialog

    from desktop.settings import Settings
    from desktop.ui import server_dialog
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.session import Session

    dialog = server_dialog.ConnectServerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.test_connection()
    assert "请填写服务器地址、数据库账户" in dialog.result.text()  # 数据库名 defaults to dutydesk
    _fill(dialog, pg_url.url)
    assert dialog.test_connection() and dialog.result.text() == "连接成功,数据库已就绪。"
    dialog.grab().save(str(shots / "connect_server.png"))
    dialog.port.setValue(1)
    assert not dialog.test_connection() and "连不上数据库服务器" in dialog.result.text()

    settings_file = tmp_path / "settings.json"
    window = MainWindow(Session(demo_store), Settings())
    qtbot.addWidget(window)

    def accept_filled(self):
        _fill(self, pg_url.url, "not-kept")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(server_dialog.ConnectServerDialog, "exec", accept_filled)
    assert server_dialog.connect_in_window(window)
    try:
        assert window.session.store.server and window.session.store.url.url.startswith(pg_url.url.split("?")[0][:20])
        assert "postgresql://" in window.status.text() and "not-kept" not in window.status.text()
        window.settings.save(settings_file)
        saved = settings_file.read_text(encoding="utf-8")
        assert '"auto": true' in saved and "not-kept" not in saved and '"sslmode": "prefer"' in saved
        assert server_dialog.Connection.from_settings(window.settings.server).database == pg_url.url.rsplit("/", 1)[1]
    finally:
        window.session.close()
