"""Listening to the other seats of a server database (LISTEN/NOTIFY).

Every operation on a server publishes its typed changes when it commits (desktop.ops.base →
desktop.store.server.publish). A `Listener` keeps one extra connection that LISTENs on the
channel and hands each message to a callback, in its own thread: the GUI turns it into its
`changed` signal (desktop.ui.session), so a page shows a colleague's change within a second. A
message of this seat's own store is skipped. When the connection drops, the listener reconnects
and reports ``None`` (changes may have been missed: re-read everything).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any

from desktop.store.location import ServerUrl
from desktop.store.server import CHANNEL, libpq_url

RETRY_S = 2.0


class Listener:
    def __init__(self, url: ServerUrl, seat: str, deliver: Callable[[dict[str, Any] | None], None]) -> None:
        self.url, self.seat, self.deliver = url, seat, deliver
        self._stop = threading.Event()
        self.ready = threading.Event()  # LISTEN is in place (tests wait for it)
        self._conn: Any = None
        self._thread = threading.Thread(target=self._run, name="dutydesk-listen", daemon=True)
        self._thread.start()

    def _connect(self):
        import psycopg

        conn = psycopg.connect(libpq_url(self.url), autocommit=True, connect_timeout=10,
                               application_name="DutyDesk listen")
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _run(self) -> None:
        import psycopg

        dropped = False
        while not self._stop.is_set():
            try:
                self._conn = self._connect()
            except psycopg.Error:
                self._stop.wait(RETRY_S)
                continue
            self.ready.set()
            if dropped:
                self.deliver(None)  # messages may have been missed while disconnected
            try:
                while not self._stop.is_set():
                    for note in self._conn.notifies(timeout=0.5):
                        self._handle(note.payload)
            except psycopg.Error:
                dropped = True
            finally:
                with contextlib.suppress(psycopg.Error):
                    self._conn.close()

    def _handle(self, payload: str) -> None:
        try:
            data = json.loads(payload)
        except ValueError:
            self.deliver(None)
            return
        if data.get("seat") != self.seat:
            self.deliver(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
