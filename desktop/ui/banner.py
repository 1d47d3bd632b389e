"""The yellow notice bar (provisional calendar, next year's notice missing): Qt only, light to import."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

BANNER_STYLE = """
QFrame#banner { background: #fff3cd; border: 1px solid #e3c46f; border-radius: 4px; }
QFrame#banner QLabel { color: #6b4500; }
QToolButton#bannerClose { border: none; color: #6b4500; font-size: 13pt; padding: 0 4px; }
QToolButton#bannerClose:hover { color: #000; }
"""


class Banner(QFrame):
    """A non-modal yellow notice with an optional button and an optional close ×."""

    action = Signal()
    closed = Signal()

    def __init__(self, text: str = "", button_text: str | None = None, closable: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(BANNER_STYLE)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        icon = QLabel("⚠")
        icon.setStyleSheet("font-size: 14pt;")
        row.addWidget(icon)
        row.addWidget(self.label, 1)
        self.button: QPushButton | None = None
        if button_text:
            self.button = QPushButton(button_text)
            self.button.clicked.connect(self.action)
            row.addWidget(self.button)
        self.close_button: QToolButton | None = None
        if closable:
            self.close_button = QToolButton()
            self.close_button.setObjectName("bannerClose")
            self.close_button.setText("×")
            self.close_button.setToolTip("关闭提醒")
            self.close_button.clicked.connect(self._close)
            row.addWidget(self.close_button)

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
