"""One window per database: a second launch on the same database brings the open window to the front.

The first DutyDesk on a database listens on a local server (QLocalServer: a named pipe on Windows, a Unix
socket elsewhere) whose name is a hash of the user and the resolved database path, so

* two launches on the same database (a double-click on the desktop shortcut while the window is hidden
  behind others) give one window: the second sends ``raise``, waits at most ``timeout_ms`` for ``ok`` and
  exits 0, and the first shows, raises and activates its window;
* two different databases (two offices' files, ``--db`` elsewhere) run side by side, and two users on one
  machine (a terminal server) never see each other's instance; ``--demo`` is not guarded at all (each demo
  run has its own temporary database).

A crash leaves a stale socket file on Unix (named pipes vanish with their process): when listening fails
and no one answers on the name, the file is removed and the server listens again. The guard never stops
DutyDesk from starting: if it cannot listen at all, the app runs unguarded.

The client waits in a short local event loop rather than the blocking ``waitFor...`` calls, so a server
and a client in one thread (the tests) can still talk to each other.

Test hook: when the environment variable ``DUTYDESK_SINGLE_LOG`` names a file, the guard appends one line
to it when it starts listening (``listening NAME``) and one each time it is asked to come to the front
(``raised``). tests/test_single_instance.py uses it to watch a real second process.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

__all__ = ["RAISE", "REPLY", "SingleInstance", "bring_to_front", "server_name"]

RAISE = b"raise\n"
REPLY = b"ok\n"
LOG_ENV = "DUTYDESK_SINGLE_LOG"
DEFAULT_TIMEOUT_MS = 1000
_MAX_MESSAGE = 64


def _user() -> str:
    """Who runs this process (with the domain on Windows, where pipe names are machine-wide)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no USER/LOGNAME and no passwd entry (a bare container)
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    if sys.platform == "win32":
        user = f"{os.environ.get('USERDOMAIN', '')}\\{user}"
    return user


def server_name(db_path: Path | str, user: str | None = None) -> str:
    """The local server name of DutyDesk on ``db_path`` for ``user`` (default: the current user).

    The same file reached by another spelling (a relative path, a symlink, other letter case on Windows)
    gives the same name. On Linux the socket goes to the user's own $XDG_RUNTIME_DIR when there is one
    (not the shared /tmp), elsewhere to Qt's temporary folder (macOS: the per-user $TMPDIR).
    """
    path = os.path.normcase(str(Path(db_path).expanduser().resolve()))
    who = _user() if user is None else user
    digest = hashlib.sha256(f"{who}\0{path}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    name = f"DutyDesk-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform.startswith("linux") and runtime and os.path.isdir(runtime):
        return os.path.join(runtime, name)
    return name


def _log(line: str) -> None:
    target = os.environ.get(LOG_ENV)
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as log:
            log.write(line + "\n")
    except OSError:
        pass


class SingleInstance(QObject):
    """The guard of one database. ``acquire()`` once, before the window is built:

    * True: this is the first instance (it now listens; connect ``raise_requested`` to bring the window to
      the front), or it could not listen and runs unguarded;
    * False: another instance on this database was asked to come to the front: exit (code 0).
    """

    raise_requested = Signal()

    def __init__(self, name: str, timeout_ms: int = DEFAULT_TIMEOUT_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.timeout_ms = timeout_ms
        self._server: QLocalServer | None = None
        self._clients: set[QLocalSocket] = set()

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def acquire(self) -> bool:
        if self._ask_running_instance():
            return False
        server = QLocalServer(self)
        # Only this user may connect (Windows: the pipe's security descriptor; Unix: the socket's mode).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._accept)
        if not server.listen(self.name):
            # Someone took the name between our question and listen() (two launches at once)...
            if self._ask_running_instance():
                server.deleteLater()
                return False
            # ...or a crashed instance left its socket file behind: no one answers on it.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                sys.stderr.write(f"DutyDesk: 无法建立单实例检查({server.errorString()}),照常启动。\n")
                server.deleteLater()
                return True
        self._server = server
        _log(f"listening {self.name}")
        return True

    def release(self) -> None:
        """Stop listening (removes the socket file on Unix). The app calls it when it quits."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for sock in list(self._clients):
            sock.abort()
        self._clients.clear()

    # -- the second instance ------------------------------------------------------------------------

    def _ask_running_instance(self) -> bool:
        """Ask whoever listens on the name to come to the front; True if someone is there.

        A listener that accepted the connection but did not reply in time (still starting up, busy) is
        there all the same: it reads the message once its event loop runs.
        """
        sock = QLocalSocket()
        loop = QEventLoop()
        state = {"connected": False, "reply": b"", "done": False}

        def finish() -> None:
            state["done"] = True
            loop.quit()

        def on_connected() -> None:
            state["connected"] = True
            _allow_foreground()
            sock.write(RAISE)
            sock.flush()

        def on_ready_read() -> None:
            state["reply"] += bytes(sock.readAll().data())
            if b"\n" in state["reply"]:
                finish()

        sock.connected.connect(on_connected)
        sock.readyRead.connect(on_ready_read)
        sock.errorOccurred.connect(lambda _error: finish())
        sock.disconnected.connect(finish)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(finish)
        sock.connectToServer(self.name)
        if not state["done"] and sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            timer.start(self.timeout_ms)
            loop.exec()
        timer.stop()
        if state["connected"] and sock.state() == QLocalSocket.LocalSocketState.ConnectedState:
            sock.disconnectFromServer()
        sock.abort()
        return state["connected"]

    # -- the first instance -------------------------------------------------------------------------

    def _accept(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._clients.add(sock)
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._drop(s))
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        if not sock.canReadLine() and sock.bytesAvailable() <= _MAX_MESSAGE:
            return  # the rest of the line is on its way
        line = bytes(sock.readLine(_MAX_MESSAGE + 1).data())
        if line == RAISE:
            sock.write(REPLY)
            sock.flush()
            _log("raised")
            self.raise_requested.emit()
        sock.disconnectFromServer()  # one message a connection; anything else is ignored

    def _drop(self, sock: QLocalSocket) -> None:
        self._clients.discard(sock)
        sock.deleteLater()


def _allow_foreground() -> None:
    """Windows lets only the foreground process bring a window to the front. The second launch is in the
    foreground (the user just started it): pass that right on, so the first one's activateWindow() works
    instead of only flashing its taskbar button."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(ctypes.c_uint32(0xFFFFFFFF))  # ASFW_ANY
    except (OSError, AttributeError):
        pass


def bring_to_front(window) -> None:
    """Un-minimise (keeping a maximised window maximised), show, raise and activate ``window``."""
    from PySide6.QtCore import Qt  # here: the Qt namespace costs ~50 ms that start-up need not pay

    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
