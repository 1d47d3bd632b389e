"""Notice bars: yellow (provisional calendar, next year's notice missing), red (gaps, conflicts),
grey (a warning whose reason is recorded). Qt only, light to import."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


def _style(background: str, border: str, text: str) -> str:
    return (f"QFrame#banner {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}\n"
            f"QFrame#banner QLabel {{ color: {text}; }}\n"
            f"QToolButton#bannerClose {{ border: none; color: {text}; font-size: 13pt; padding: 0 4px; }}\n"
            "QToolButton#bannerClose:hover { color: #000; }\n")


BANNER_STYLE = _style("#fff3cd", "#e3c46f", "#6b4500")  # yellow: a warning
RED_STYLE = _style("#fdecea", "#e0a39d", "#8c1d18")  # red: a gap or a conflict to resolve
GREY_STYLE = _style("#f2f4f7", "#d5dbe3", "#4a5260")  # grey: dealt with (a reason recorded)


class Banner(QFrame):
    """A non-modal yellow notice with an optional button and an optional close ×."""

    action = Signal()
    closed = Signal()

    def __init__(self, text: str = "", button_text: str | None = None, closable: bool = False,
                 parent: QWidget | None = None, *, style: str = BANNER_STYLE, icon: bool = True):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(style)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        if icon:
            mark = QLabel("⚠")
            mark.setStyleSheet("font-size: 14pt;")
            row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self.button: QPushButton | None = None
        if button_text:
            self.button = QPushButton(button_text)
            self.button.clicked.connect(self.action)
            row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
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
