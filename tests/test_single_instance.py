"""One window per database (desktop/single_instance.py): a second launch raises the first and exits 0."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop.single_instance import LOG_ENV, SingleInstance, bring_to_front, server_name

START_TIMEOUT_S = 90  # a cold start of the GUI on a slow CI runner
SECOND_TIMEOUT_S = 90  # guards against a hang only: the second launch imports Qt too


@pytest.fixture
def guards():
    """Guards made by a test, released afterwards (the socket files go with them)."""
    made: list[SingleInstance] = []

    def make(name: str, **kwargs) -> SingleInstance:
        guard = SingleInstance(name, **kwargs)
        made.append(guard)
        return guard

    yield make
    for guard in made:
        guard.release()


# ------------------------------------------------------------------------------------------- the name

def test_the_name_is_per_user_and_per_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    a = server_name(tmp_path / "a.db", user="alice")
    assert server_name(Path("a.db"), user="alice") == a  # relative: resolved first
    assert server_name(tmp_path / "sub" / ".." / "a.db", user="alice") == a
    assert server_name(tmp_path / "b.db", user="alice") != a  # two offices' files side by side
    assert server_name(tmp_path / "a.db", user="bob") != a  # two users on one machine
    assert server_name(tmp_path / "a.db") == server_name(str(tmp_path / "a.db"))  # the current user


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlink_to_the_database_is_the_same_database(tmp_path):
    (tmp_path / "a.db").touch()
    (tmp_path / "link.db").symlink_to(tmp_path / "a.db")
    assert server_name(tmp_path / "link.db", user="u") == server_name(tmp_path / "a.db", user="u")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_RUNTIME_DIR: Linux only")
def test_the_socket_lives_in_the_users_runtime_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert Path(server_name(tmp_path / "a.db")).parent == tmp_path
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert "/" not in server_name(tmp_path / "a.db")  # Qt's temporary folder


# ------------------------------------------------------------------------------ two guards, one process

def test_a_second_guard_on_the_same_database_is_told_to_exit(qtbot, guards, tmp_path, monkeypatch):
    log = tmp_path / "single.log"
    monkeypatch.setenv(LOG_ENV, str(log))
    name = server_name(tmp_path / "a.db")
    first = guards(name)
    assert first.acquire() is True and first.listening
    with qtbot.waitSignal(first.raise_requested, timeout=10_000):
        second = guards(name)
        assert second.acquire() is False
    assert not second.listening
    assert log.read_text(encoding="utf-8").splitlines() == [f"listening {name}", "raised"]
    # and again: the first keeps listening after answering
    with qtbot.waitSignal(first.raise_requested, timeout=10_000):
        assert guards(name).acquire() is False


def test_different_databases_do_not_interact(qtbot, guards, tmp_path):
    raised: list[str] = []
    a = guards(server_name(tmp_path / "a.db"))
    b = guards(server_name(tmp_path / "b.db"))
    a.raise_requested.connect(lambda: raised.append("a"))
    b.raise_requested.connect(lambda: raised.append("b"))
    assert a.acquire() is True and b.acquire() is True
    assert a.listening and b.listening
    qtbot.wait(50)
    assert raised == []
    with qtbot.waitSignal(b.raise_requested, timeout=10_000):
        assert guards(server_name(tmp_path / "b.db")).acquire() is False
    assert raised == ["b"]


def test_release_frees_the_name(qtbot, guards, tmp_path):
    name = server_name(tmp_path / "a.db")
    first = guards(name)
    assert first.acquire()
    first.release()
    assert not first.listening
    again = guards(name)
    assert again.acquire() is True and again.listening


def test_an_unknown_message_is_ignored(qtbot, guards, tmp_path):
    name = server_name(tmp_path / "a.db")
    first = guards(name)
    assert first.acquire()
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))
    sock = QLocalSocket()
    sock.connectToServer(name)
    assert sock.waitForConnected(1000)
    sock.write(b"quit\n")
    sock.flush()
    qtbot.waitUntil(lambda: sock.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=10_000)
    assert raised == [] and bytes(sock.readAll().data()) == b""


def test_a_listener_that_does_not_answer_still_counts_and_the_wait_is_bounded(qtbot, tmp_path, monkeypatch):
    """The first instance may still be starting (its event loop not yet running): the second waits at most
    timeout_ms for the reply, then exits all the same; the first reads the message later.

    Bounded: the wait is ended by its own timer of timeout_ms, which fires once (events counted, not the
    clock read: a busy machine may stretch the 300 ms, never the outcome)."""
    import desktop.single_instance as single_instance

    timers: list[tuple[int, list[str]]] = []

    class WatchedTimer(single_instance.QTimer):
        def start(self, ms: int) -> None:
            fired: list[str] = []
            self.timeout.connect(lambda: fired.append("timeout"))
            timers.append((ms, fired))
            super().start(ms)

    monkeypatch.setattr(single_instance, "QTimer", WatchedTimer)
    name = server_name(tmp_path / "a.db")
    silent = QLocalServer()  # accepts connections, never replies
    assert silent.listen(name)
    try:
        assert SingleInstance(name, timeout_ms=300).acquire() is False
        assert timers == [(300, ["timeout"])]  # one wait, of timeout_ms, ended by its timer
        assert silent.hasPendingConnections()
    finally:
        silent.close()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes vanish with their process: no stale files")
def test_a_stale_socket_file_after_a_crash_is_recovered(qtbot, guards, tmp_path):
    path = tmp_path / "dd.sock"
    if len(str(path)) > 100:  # sun_path holds 108 bytes
        pytest.skip("temporary folder too deep for a Unix socket path")
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # what a crashed instance leaves: the file, and no one listening on it
    stale.close()
    assert path.exists()
    guard = guards(str(path))
    assert guard.acquire() is True and guard.listening
    with qtbot.waitSignal(guard.raise_requested, timeout=10_000):
        assert guards(str(path)).acquire() is False
    guard.release()
    assert not path.exists()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no window manager
def test_bring_to_front_restores_a_minimised_window(qtbot):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    assert window.isMinimized()
    bring_to_front(window)
    assert not window.isMinimized() and window.isVisible()


# ------------------------------------------------------------------------------------ two real launches

def _wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the first DutyDesk exited ({proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_a_second_launch_raises_the_first_and_exits(tmp_path, capsys):
    from desktop.cli import main as cli

    db = tmp_path / "office.db"
    assert cli(["init", "--profile", "panzhihua", "--db", str(db)]) == 0  # no first-run dialog
    capsys.readouterr()
    log = tmp_path / "single.log"
    env = {k: v for k, v in os.environ.items() if k != "DUTYDESK_SMOKE"}  # the first one stays up
    env |= {"QT_QPA_PLATFORM": "offscreen", LOG_ENV: str(log), "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "desktop", "--db", str(db)]
    name = server_name(db)
    first = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, encoding="utf-8", errors="replace")
    try:
        _wait_for(lambda: f"listening {name}" in _lines(log), START_TIMEOUT_S, "its server to listen", first)
        # another spelling of the same file is the same database; the timeout guards against a hang only
        second = subprocess.run([sys.executable, "-m", "desktop", "--db", os.path.relpath(db, tmp_path)],
                                env=env, cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", timeout=SECOND_TIMEOUT_S)
        assert second.returncode == 0, second.stderr
        assert "已经打开了这个数据库" in second.stderr
        _wait_for(lambda: "raised" in _lines(log), SECOND_TIMEOUT_S, "the first to be raised", first)
        assert first.poll() is None  # still running
        assert _lines(log).count(f"listening {name}") == 1  # the second never listened
    finally:
        first.terminate()
        try:
            first.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            first.kill()
            first.communicate()
        QLocalServer.removeServer(name)  # a terminated process leaves its socket file (Unix)
