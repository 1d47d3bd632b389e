"""The GUI's handle on the data: the open store, the profile, and one signal for every change.

Widgets never write SQL: they call `Session.run(parent, operation, ...)`, which runs an operation
of desktop.ops (permission, checks, writes and the audit row in one transaction), shows a refused
operation as a Chinese message, and emits `changed` with exactly the `Changes` the operation
returned, so each page refreshes when an entity it shows changed (Anki's operations habit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import UserError
from desktop.core.profile import Profile, load_profile
from desktop.ops.base import EVERYTHING, Changes, Entity, Result, allowed, changes_of
from desktop.ops.profile import effective
from desktop.resources import profiles_dir
from desktop.store.db import Store
from desktop.store.org import Org, get_org
from desktop.ui.conflict_dialog import handle_conflict

T = TypeVar("T")


class Session(QObject):
    changed = Signal(object)  # the desktop.ops.base.Changes of an operation (EVERYTHING: re-read all)
    #: The Changes another seat of the server saved (also emitted as `changed`): an open form warns.
    remote_changed = Signal(object)
    _heard = Signal(object)  # from the listener's thread: a message, or None (re-read everything)

    def __init__(self, store: Store, *, demo: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.demo = demo
        self._profile: Profile | None = None
        self.changed.connect(self._forget_profile)  # first: every page then reads the new rules
        self._listener = None
        if store.url is not None:  # server mode: every seat sees every change (desktop.store.listen)
            from desktop.store.listen import Listener

            self._heard.connect(self._on_heard)  # queued: the listener calls from its own thread
            self._listener = Listener(store.url, store.seat, self._heard.emit)

    def _on_heard(self, data: dict | None) -> None:
        if getattr(self.store.conn, "closed", False):  # the database was closed under this session (a
            self._stop_listening()                      # restore, a test): nothing to refresh, stop listening
            return
        changes = EVERYTHING if data is None else Changes.from_json(data)
        if changes:
            self.remote_changed.emit(changes)
            self.changed.emit(changes)

    def close(self) -> None:
        """Stop listening to the other seats and close the database."""
        self._stop_listening()
        self.store.close()

    def _stop_listening(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    @property
    def org(self) -> Org | None:
        return get_org(self.store)

    @property
    def profile(self) -> Profile | None:
        org = self.org
        if org is None:
            return None
        if self._profile is None or self._profile.id != org.profile_id:
            try:
                self._profile = effective(self.store)  # the preset with the office's adjustments
            except UserError:  # adjustments a newer preset no longer accepts: the preset (规则 page says why)
                self._profile = load_profile(profiles_dir() / f"{org.profile_id}.toml")
        return self._profile

    def _forget_profile(self, changes: Changes) -> None:
        if changes.touches(Entity.profile, Entity.org):
            self._profile = None

    def can(self, permission: str) -> bool:
        """May the signed-in operator do `permission` ("record", "people", "rules", "accounts", "maintain";
        desktop.core.access)? Always True while sign-in is off. For disabling what would be refused."""
        return allowed(self.store, permission)

    def run(self, parent: QWidget | None, operation: Callable[..., Result[T]], *args: Any, **kwargs: Any) -> T | None:
        """Run one operation; on a refusal show why and return None (nothing was written).

        Emits `changed` with the operation's own `Changes`; after a refused stale save, the entity
        that was saved meanwhile, so the page shows the newer version."""
        try:
            result = operation(self.store, *args, **kwargs)
        except ConcurrentEdit as exc:  # saved meanwhile by someone else: show what changed, offer 重新载入
            handle_conflict(parent, exc)
            self.changed.emit(changes_of([exc.entity]))
            return None
        except UserError as exc:
            show_error(parent, str(exc))
            return None
        if result.changes:
            self.changed.emit(result.changes)
        return result.value

    def apply(self, result: Result[T]) -> T:
        """Emit the `Changes` of an operation a dialog called itself (to handle its refusal in its own
        way, e.g. a people import listing the rows refused) and return its value."""
        if result.changes:
            self.changed.emit(result.changes)
        return result.value


def show_error(parent: QWidget | None, message: str, title: str = "无法完成操作") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def warn_if_changed_elsewhere(dialog: QWidget, session: Session, entity: Entity, record_id: int) -> None:
    """While `dialog` is open on a record, show a warning at its top when another seat of the server
    saves that record (saving then gives the usual conflict dialog with 重新载入)."""
    from PySide6.QtWidgets import QLabel

    layout = dialog.layout()
    if layout is None or session.store.url is None:
        return
    banner = QLabel("另一台电脑上的同事刚刚修改了这条记录。现在保存会提示冲突;可以先取消,刷新后再办理。")
    banner.setWordWrap(True)
    banner.setObjectName("changedElsewhere")
    banner.setStyleSheet("background:#fff4ce;border:1px solid #e0b000;padding:6px;color:#5c4300;")
    banner.hide()
    layout.insertWidget(0, banner)

    def heard(changes: Changes) -> None:
        if record_id in changes.ids_of(entity) or (entity in changes.entities and not changes.ids_of(entity)):
            banner.show()

    session.remote_changed.connect(heard)
    dialog.destroyed.connect(lambda *_: _disconnect(session.remote_changed, heard))


def _disconnect(signal, slot) -> None:
    import contextlib

    with contextlib.suppress(RuntimeError, TypeError):  # already gone with the session
        signal.disconnect(slot)
