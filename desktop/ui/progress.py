"""Running a long job with a progress dialog that appears after half a second and can be cancelled.

`run_job(parent, label, job)` runs ``job(progress)`` and returns its result; it raises `Cancelled`
when the user pressed 取消 (after the job has stopped), and re-raises the job's own exception.

Where the job runs
    SQLite connections are bound to the thread that opened them (STYLE.md habit 7), so a job runs
    in a worker thread only when it is written for it: `run_store_job(parent, store, label, job)`
    calls ``job(reader, progress)`` in a worker thread with ``reader``, a separate read-only
    connection to the same database file opened (and closed) in that thread — the GUI's
    connection is never touched from the worker. A store without a file (in memory: tests,
    scripts) has nothing to share: the job then runs on the GUI thread with the GUI's store, and
    the dialog is served at each checkpoint (`Progress.check` processes events).

Cancelling
    取消 sets a flag the job sees at its next checkpoint (`Progress.check` raises `Cancelled`), and
    interrupts the reader's running query. The dialog waits ("正在取消…") until the job has
    stopped, so nothing keeps running behind the user's back. A job that writes a file writes it
    under a temporary name and leaves the final move to the caller, which happens only when
    `run_job` returns: a cancelled job never replaces the target. ``discard(result)`` is called
    for a job that finished after 取消 was pressed (to delete what it wrote).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from desktop.store.db import BUSY_TIMEOUT_S, Store

__all__ = ["SHOW_AFTER_MS", "Cancelled", "Progress", "open_reader", "run_job", "run_store_job"]

T = TypeVar("T")

#: The dialog appears only for a job that takes longer than this.
SHOW_AFTER_MS = 500
_SQL_STEPS = 5000  # SQLite virtual-machine steps between two looks at the cancel flag


class Cancelled(Exception):
    """The user pressed 取消; the job stopped and its result (if any) was discarded."""


class _Bridge(QObject):
    """Carries the worker's messages to the GUI thread (queued: the bridge lives in the GUI thread)."""

    text = Signal(str)
    value = Signal(int, int)  # done, total (0, 0: busy)
    finished = Signal()


class Progress:
    """What a job is handed: checkpoints, and progress reports (thread-safe)."""

    def __init__(self, bridge: _Bridge, *, on_gui_thread: bool):
        self._bridge = bridge
        self._on_gui_thread = on_gui_thread
        self._cancelled = threading.Event()
        self._interrupts: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    # -- for the job
    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """A checkpoint: raise `Cancelled` if the user pressed 取消."""
        if self._on_gui_thread:
            QCoreApplication.processEvents()
        if self._cancelled.is_set():
            raise Cancelled

    def set_text(self, text: str) -> None:
        self._bridge.text.emit(text)
        if self._on_gui_thread:
            QCoreApplication.processEvents()

    def set_value(self, done: int, total: int) -> None:
        self._bridge.value.emit(done, total)
        if self._on_gui_thread:
            QCoreApplication.processEvents()

    def on_cancel(self, interrupt: Callable[[], None]) -> None:
        """Call ``interrupt`` (from the GUI thread) when the user cancels, e.g. a connection's
        ``interrupt`` to stop a long query at once."""
        with self._lock:
            self._interrupts.append(interrupt)

    def off_cancel(self, interrupt: Callable[[], None]) -> None:
        with self._lock:
            if interrupt in self._interrupts:
                self._interrupts.remove(interrupt)

    # -- for the dialog (and the tests: a fake user)
    def cancel(self) -> None:
        """What 取消 does: the flag the checkpoints see, and the interrupts."""
        if self._cancelled.is_set():
            return
        self._cancelled.set()
        with self._lock:
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            try:
                interrupt()
            except sqlite3.ProgrammingError:  # the connection closed just now: nothing left to stop
                continue


def _dialog(parent: QWidget | None, label: str, title: str) -> QProgressDialog:
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal if parent is not None else Qt.WindowModality.ApplicationModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setMinimumWidth(360)
    dialog.setValue(0)  # starts the timer that shows the dialog after SHOW_AFTER_MS
    return dialog


def run_job(parent: QWidget | None, label: str, job: Callable[[Progress], T], *, title: str = "请稍候",
            in_thread: bool = True, discard: Callable[[T], Any] | None = None,
            started: Callable[[Progress, QProgressDialog], Any] | None = None) -> T:  # fmt: skip
    """Run ``job(progress)`` with a progress dialog (shown after `SHOW_AFTER_MS`, with 取消).

    ``in_thread``: run the job in a worker thread (it must not touch the GUI's SQLite connection
    or widgets). Returns the job's result; raises `Cancelled` if 取消 was pressed, after calling
    ``discard(result)`` when the job had finished anyway; re-raises the job's exception.
    ``started(progress, dialog)`` is called once the job is under way (the tests press 取消 there).
    """
    bridge = _Bridge()
    progress = Progress(bridge, on_gui_thread=not in_thread)
    dialog = _dialog(parent, label, title)
    bridge.text.connect(dialog.setLabelText)

    def show_value(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)

    bridge.value.connect(show_value)

    def cancel() -> None:
        dialog.setLabelText("正在取消,请稍候…")
        button = dialog.findChild(QPushButton)
        if button is not None:
            button.setEnabled(False)
        progress.cancel()

    dialog.canceled.connect(cancel)  # the 取消 button, or closing the dialog
    dialog.rejected.connect(cancel)  # Esc
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            outcome["result"] = job(progress)
        except BaseException as exc:  # carried to the GUI thread and raised there
            outcome["error"] = exc
        finally:
            done.set()
            bridge.finished.emit()

    try:
        if in_thread:
            loop = QEventLoop()
            bridge.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
            worker = threading.Thread(target=work, name="dutydesk-job", daemon=True)
            worker.start()
            if started is not None:
                started(progress, dialog)
            if not done.is_set():  # else its "finished" may have been delivered already
                loop.exec()  # until the worker's "finished" (queued: it quits even if posted before)
            worker.join()
        else:
            if started is not None:
                started(progress, dialog)
            work()
    finally:
        dialog.canceled.disconnect(cancel)
        dialog.rejected.disconnect(cancel)
        dialog.close()
        dialog.deleteLater()
    if progress.cancelled:
        if "result" in outcome and discard is not None:
            discard(outcome["result"])
        raise Cancelled
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def open_reader(store: Store) -> Store:
    """A read-only connection to ``store``'s database file, for a worker thread (open it there:
    a connection belongs to the thread that opened it). Same clock and operator; queries only."""
    if store.path is None:
        raise ValueError("an in-memory database cannot be shared with another thread")
    uri = Path(store.path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA query_only = ON")
    return Store(conn=conn, path=store.path, clock=store.clock,
                 operator=store.operator)  # fmt: skip


def run_store_job(parent: QWidget | None, store: Store, label: str, job: Callable[[Store, Progress], T], *,
                  title: str = "请稍候", discard: Callable[[T], Any] | None = None,
                  started: Callable[[Progress, QProgressDialog], Any] | None = None) -> T:  # fmt: skip
    """`run_job` for a job that reads the database: ``job(reader, progress)`` runs in a worker
    thread on its own read-only connection (`open_reader`), or on the GUI thread with ``store``
    itself when the database has no file. The reader's queries stop at once on 取消."""
    if store.path is None:
        return run_job(parent, label, lambda p: job(store, p), title=title, in_thread=False, discard=discard,
                       started=started)  # fmt: skip

    def in_worker(progress: Progress) -> T:
        progress.check()
        reader = open_reader(store)
        conn = reader.conn
        conn.set_progress_handler(lambda: 1 if progress.cancelled else 0, _SQL_STEPS)
        progress.on_cancel(conn.interrupt)
        try:
            return job(reader, progress)
        except sqlite3.OperationalError:
            if progress.cancelled:
                raise Cancelled from None  # the query was interrupted by 取消
            raise
        finally:
            progress.off_cancel(conn.interrupt)
            reader.close()

    return run_job(parent, label, in_worker, title=title, in_thread=True, discard=discard, started=started)
