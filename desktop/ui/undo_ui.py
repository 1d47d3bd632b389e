"""编辑 → 撤销 (Ctrl+Z): undo this seat's last operation through desktop.ops.undo.

The menu item names what it would undo (撤销“销假:张丽华 出差 …”) and is disabled when there is
nothing; a refused undo (someone changed the record since) shows why and writes nothing. Ctrl+Z in
a text field still undoes the typing there (the field takes the key first).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from desktop import ops
from desktop.core.access import Permission
from desktop.ui.session import Session


def update_undo_action(window: QMainWindow, session: Session) -> None:
    action = window.undo_action
    entry = ops.undo.last(session.store)
    action.setText(ops.undo.action_text(session.store))
    why = ops.undo.refusal(entry) if entry is not None else None
    action.setEnabled(entry is not None and why is None and session.can(Permission.record))
    if entry is None:
        tip = "本窗口打开以来还没有可以撤销的修改"
    else:
        tip = why.split("。")[0] + "。" if why else f"撤销本窗口的上一步修改:{entry.summary}(Ctrl+Z)"
    action.setToolTip(tip)
    action.setStatusTip(tip)


def undo(window: QMainWindow, session: Session) -> None:
    done = session.run(window, ops.undo.undo_last)
    if done is not None:
        window.statusBar().showMessage(done, 8000)
    update_undo_action(window, session)


def install_undo(window: QMainWindow, session: Session) -> None:
    window.undo_action.triggered.connect(lambda: undo(window, session))
    session.changed.connect(lambda _changes: update_undo_action(window, session))
    window.edit_menu.aboutToShow.connect(lambda: update_undo_action(window, session))
    update_undo_action(window, session)
