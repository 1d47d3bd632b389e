"""What the import dialogs share (人员名单, 值班表): the file's header line, one combo per field to map
the columns, a preview with the mapped columns marked, the row report with “跳过有错误的第 … 行”,
and 导入/取消. Nothing is written before 导入; the subclass checks the rows and imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.people import clean_text
from desktop.export.tabular import Sheet
from desktop.ui.screen_fit import FittedDialog

PREVIEW_ROWS = 8
MAPPED = QColor("#e3edf9")
ERROR = QColor("#8c1d18")
WARNING = QColor("#7a4b00")
MUTED = QColor("#8a94a3")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names the columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell as the preview shows it (a date without its midnight, a whole number without .0)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or a rank Excel stored as a number
    return "" if value is None else str(value).strip()


def choose_file(parent: QWidget | None, title: str, file_filter: str) -> str | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    chosen, _ = QFileDialog.getOpenFileName(parent, title, folder, file_filter)
    return chosen or None


class MappingImportDialog(FittedDialog):
    """The common frame; a subclass builds its mapping box and implements recheck, _update_buttons
    and do_import."""

    def __init__(self, sheet: Sheet, parent: QWidget | None = None):
        super().__init__(parent)
        self.sheet = sheet
        self.combos: dict[str, QComboBox] = {}
        count = sum(1 for r in sheet.rows if any(clean_text(c) for c in r))
        self.file_label = QLabel(f"文件:{sheet.file_name}(第 {sheet.header_row} 行为表头,其下 {count} 行)")
        self.file_label.setStyleSheet("font-weight: bold;")

    def column_combo(self, field: str, empty_text: str, guessed: int | None) -> QComboBox:
        """A combo of the file's columns for ``field`` (“A 列:姓名” …), set to the guessed column."""
        combo = QComboBox()
        combo.addItem(empty_text, None)
        for i, name in enumerate(self.sheet.header):
            combo.addItem(f"{column_letter(i)} 列:{name or '(无表头)'}", i)
        combo.setCurrentIndex(combo.findData(guessed) if guessed is not None else 0)
        combo.currentIndexChanged.connect(self.recheck)
        self.combos[field] = combo
        return combo

    def set_column(self, field: str, column: int | None) -> None:
        combo = self.combos[field]
        combo.setCurrentIndex(max(combo.findData(column), 0) if column is not None else 0)

    def build(self, mapping: QWidget, hint: str) -> None:
        """Lay out the dialog around the subclass's mapping box, then check the rows once."""
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview.setWordWrap(False)
        self.preview_label = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.issues = QListWidget()
        self.issues.setWordWrap(True)
        self.skip = QCheckBox()
        self.skip.toggled.connect(self._update_buttons)

        buttons = QDialogButtonBox()
        self.import_button = QPushButton("导入")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.do_import)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        hint_label.setStyleSheet("color: #5f6b7a;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(mapping)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview)
        layout.addWidget(QLabel("检查结果:"))
        layout.addWidget(self.summary)
        layout.addWidget(self.issues, 1)
        layout.addWidget(self.skip)
        bottom = QHBoxLayout()
        bottom.addWidget(hint_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.recheck()

    # -- the preview and the report
    def fill_preview(self, field_of: Mapping[int, str], messages: Mapping[int, Sequence[str]] | None = None) -> None:
        """The first non-blank rows; ``field_of`` column → field label (those columns in blue);
        ``messages`` sheet row → errors (those row numbers in red, the errors as their tooltip)."""
        sheet = self.sheet
        shown = [(sheet.first_row + i, r) for i, r in enumerate(sheet.rows) if any(clean_text(c) for c in r)]
        shown = shown[:PREVIEW_ROWS]
        marks = ",红色行号为有错误的行" if messages is not None else ""
        self.preview_label.setText(f"预览(前 {len(shown)} 行,蓝色为导入的列{marks}):")
        messages = messages or {}
        width = len(sheet.header)
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(shown))
        labels = []
        for c, name in enumerate(sheet.header):
            label = f"{column_letter(c)} {name}".strip()
            if c in field_of:
                label += f"\n→ {field_of[c]}"
            labels.append(label)
        self.preview.setHorizontalHeaderLabels(labels)
        for r, (number, raw) in enumerate(shown):
            head = QTableWidgetItem(str(number))
            if number in messages:
                head.setForeground(QBrush(ERROR))
                head.setToolTip("\n".join(messages[number]))
            self.preview.setVerticalHeaderItem(r, head)
            for c in range(width):
                item = QTableWidgetItem(cell_text(raw[c]).replace("\n", "、"))
                if c in field_of:
                    item.setBackground(QBrush(MAPPED))
                else:
                    item.setForeground(QBrush(MUTED))
                self.preview.setItem(r, c, item)
        # tall enough for the rows shown (at most PREVIEW_ROWS): the report gets the rest
        self.preview.resizeRowsToContents()
        height = self.preview.horizontalHeader().sizeHint().height() + 2 * self.preview.frameWidth()
        height += sum(self.preview.rowHeight(r) for r in range(len(shown)))
        if self.preview.horizontalHeader().length() > self.preview.viewport().width():
            height += self.preview.horizontalScrollBar().sizeHint().height()
        self.preview.setFixedHeight(height + 2)

    def list_issues(self, issues: Iterable[tuple[str, int, bool]]) -> None:
        """The report's lines: (text, sheet row, is a warning)."""
        self.issues.clear()
        for text, row, warning in issues:
            item = QListWidgetItem(("⚠ " if warning else "✗ ") + text)
            item.setForeground(QBrush(WARNING if warning else ERROR))
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.issues.addItem(item)
        self.issues.setVisible(self.issues.count() > 0)

    def offer_skip(self, error_rows: Sequence[int], rest: str, usable: bool) -> None:
        """“跳过有错误的第 3、5 行,只导入其余 3 人”, shown only when there are bad rows."""
        self.skip.setText(f"跳过有错误的第 {'、'.join(map(str, error_rows))} 行,只导入其余 {rest}")
        self.skip.setVisible(bool(error_rows))
        self.skip.setEnabled(bool(error_rows) and usable)
        self.skip.setChecked(False)

    def say(self, text: str, *, error: bool = False) -> None:
        self.summary.setText(text)
        color = "#8c1d18" if error else "#1e6b34"
        self.summary.setStyleSheet(f"color: {color}; font-weight: bold;")

    def allow_import(self, ok: bool, blocked_by_errors: bool, why: str) -> None:
        self.import_button.setEnabled(ok)
        self.import_button.setToolTip(why if blocked_by_errors and not self.skip.isChecked() else "")

    # -- for the subclass
    def recheck(self) -> None:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def do_import(self):
        raise NotImplementedError
