"""规则 page: the government's rule profile, read-only, every rule with its article."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.export.profile_html import render
from desktop.ops.base import Entity
from desktop.ui.session import Session


class RulesPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        note = QLabel("规则预设来自各地政府工作规则原文,每条注明条款。本版本只读;如需调整,请联系维护人员修改 resources/profiles 中的预设文件。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        session.changed.connect(lambda changes: changes.touches(Entity.org) and self.reload())
        self.reload()

    def reload(self) -> None:
        profile = self.session.profile
        self.view.setHtml(render(profile) if profile else "<p>尚未选择规则预设。</p>")
