"""First run: pick the government's rule preset and the office's name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.profile import Profile
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.widgets import ok_cancel


class FirstRunDialog(FittedDialog):
    def __init__(self, profiles: list[Profile], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用值班报备台")
        self.setMinimumWidth(520)
        self.profiles = profiles
        intro = QLabel("请选择本级政府适用的工作规则预设,并填写单位名称。预设决定代行关系、报备流程、提前报告天数和带班规则;"
                       "没有对应预设时请选“通用”。")
        intro.setWordWrap(True)
        self.profile = QComboBox()
        for p in profiles:
            self.profile.addItem(f"{p.name}({p.source_title})" if p.seed else f"{p.name}", p.id)
        self.org = QLineEdit()
        self.org.setPlaceholderText("例如:攀枝花市人民政府办公室")
        self.profile.currentIndexChanged.connect(self._suggest)
        form = QFormLayout()
        form.addRow("规则预设", self.profile)
        form.addRow("单位名称", self.org)
        self.buttons = ok_cancel(self, "开始使用", "退出")
        self.org.textChanged.connect(lambda t: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(t.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._suggest()

    def _suggest(self) -> None:
        p = self.profiles[self.profile.currentIndex()]
        if not self.org.isModified():
            self.org.setText(f"{p.name}办公室" if p.seed else "")

    def choice(self) -> tuple[str, str]:
        return self.profile.currentData(), self.org.text().strip()
