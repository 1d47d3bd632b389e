"""文件 → 导入值班表…: map the columns of an existing roster, check every row, store the days as pins.

One dialog, three parts: the column mapping (日期 / 带班领导 / 值班员, guessed from the header names,
each changeable with a combo; the year for dates written without one), a preview of the first
rows with the mapped columns marked, and the check of every row (desktop.store.roster_import,
re-run at each change) listing each error and warning with its sheet row. 导入 is enabled when
the file has no errors, or when the user ticks “跳过有错误的第 … 行”, which names the rows left
out; nothing is written before. The rows are stored as pinned assignments, their plans filled
around them, in one transaction (`desktop.store.roster_import.import_roster`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.people import clean_text
from desktop.core.roster_import import (
    FIELD_LABELS,
    FIELDS,
    ColumnMap,
    ParsedRoster,
    guess_columns,
    guess_year,
)
from desktop.store import roster_import
from desktop.store.roster_import import RosterImported, RosterSheet
from desktop.ui.session import Session, show_error

__all__ = ["PREVIEW_ROWS", "RosterImportDialog", "column_letter", "open_roster_import"]

PREVIEW_ROWS = 8
_MAPPED = QColor("#e3edf9")
_ERROR = QColor("#8c1d18")
_WARNING = QColor("#7a4b00")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names the columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


class RosterImportDialog(QDialog):
    def __init__(self, session: Session, sheet: RosterSheet, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.sheet = sheet
        self.parsed: ParsedRoster | None = None
        self.imported: RosterImported | None = None
        self.setWindowTitle(f"导入值班表 — {sheet.file_name}")
        self.resize(920, 680)

        rows = sum(1 for r in sheet.rows if any(clean_text(c) for c in r))
        self.file_label = QLabel(f"文件:{sheet.file_name}(第 {sheet.header_row} 行为表头,其下 {rows} 行)")
        self.file_label.setStyleSheet("font-weight: bold;")

        guessed = guess_columns(sheet.header)
        self.combos: dict[str, QComboBox] = {}
        mapping = QGroupBox("列对应(已按表头自动识别,可修改)")
        grid = QGridLayout(mapping)
        for n, field in enumerate(FIELDS):
            combo = QComboBox()
            combo.addItem("(不导入)" if field != "date" else "(请选择)", None)
            for i, name in enumerate(sheet.header):
                combo.addItem(f"{column_letter(i)} 列:{name or '(无表头)'}", i)
            column = guessed.of(field)
            combo.setCurrentIndex(combo.findData(column) if column is not None else 0)
            combo.currentIndexChanged.connect(self.recheck)
            self.combos[field] = combo
            grid.addWidget(QLabel(f"{FIELD_LABELS[field]}:"), 0, n * 2)
            grid.addWidget(combo, 0, n * 2 + 1)
        today = session.store.clock.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(guess_year(sheet.rows, guessed.date, today.year))
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self.recheck)
        grid.addWidget(QLabel("只写月日的日期(如“10月1日”)按:"), 1, 0, 1, 3, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.year, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)

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
        hint = QLabel("导入的日子将作为“固定”安排保存(备注“导入自 文件名”),所在假期的其余日子按规则均衡补齐。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")

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
        bottom.addWidget(hint, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.recheck()

    # -- state
    def columns(self) -> ColumnMap:
        return ColumnMap(**{f: self.combos[f].currentData() for f in FIELDS})

    def set_column(self, field: str, column: int | None) -> None:
        combo = self.combos[field]
        combo.setCurrentIndex(max(combo.findData(column), 0) if column is not None else 0)

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.parsed.errors}) if self.parsed else []

    # -- the preview and the check
    def _fill_preview(self, columns: ColumnMap) -> None:
        sheet = self.sheet
        shown = [(sheet.first_row + i, r) for i, r in enumerate(sheet.rows) if any(clean_text(c) for c in r)]
        shown = shown[:PREVIEW_ROWS]
        self.preview_label.setText(f"预览(前 {len(shown)} 行,蓝色为导入的列):")
        width = len(sheet.header)
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(shown))
        field_of = {columns.of(f): f for f in FIELDS if columns.of(f) is not None}
        labels = []
        for c, name in enumerate(sheet.header):
            label = f"{column_letter(c)} {name}".strip()
            if c in field_of:
                label += f"\n→ {FIELD_LABELS[field_of[c]]}"
            labels.append(label)
        self.preview.setHorizontalHeaderLabels(labels)
        self.preview.setVerticalHeaderLabels([str(n) for n, _r in shown])
        for r, (_n, raw) in enumerate(shown):
            for c in range(width):
                item = QTableWidgetItem(_cell_text(raw[c]).replace("\n", "、"))
                if c in field_of:
                    item.setBackground(QBrush(_MAPPED))
                else:
                    item.setForeground(QBrush(QColor("#8a94a3")))
                self.preview.setItem(r, c, item)
        # tall enough for the rows shown (at most PREVIEW_ROWS): the report gets the rest
        self.preview.resizeRowsToContents()
        height = self.preview.horizontalHeader().sizeHint().height() + 2 * self.preview.frameWidth()
        height += sum(self.preview.rowHeight(r) for r in range(len(shown)))
        if self.preview.horizontalScrollBar().isVisible() or self.preview.horizontalHeader().length() > self.preview.viewport().width():
            height += self.preview.horizontalScrollBar().sizeHint().height()
        self.preview.setFixedHeight(height + 2)

    def recheck(self) -> None:
        """Check every row with the current mapping and year (nothing is written)."""
        columns = self.columns()
        self._fill_preview(columns)
        self.issues.clear()
        self.parsed = None
        profile = self.session.profile
        try:
            if profile is None:
                raise UserError("尚未设置单位和规则预设,请先完成初始设置。")
            self.parsed = roster_import.check_roster(self.session.store, profile, self.sheet.header, self.sheet.rows,
                                                     columns, year=self.year.value(), first_row=self.sheet.first_row)  # fmt: skip
        except UserError as exc:
            self._say(str(exc), error=True)
            self._update_buttons()
            return
        parsed = self.parsed
        for issue in parsed.issues:
            item = QListWidgetItem(("⚠ " if issue.warning else "✗ ") + str(issue))
            item.setForeground(QBrush(_WARNING if issue.warning else _ERROR))
            item.setData(Qt.ItemDataRole.UserRole, issue.row)
            self.issues.addItem(item)
        days = len(parsed.rows)
        if parsed.errors:
            self._say(f"有 {len(self.error_rows)} 行无法导入(见下),{days} 天可以导入。"
                      "可以修改文件后重新导入,或跳过这些行。在您确认之前,没有写入任何数据。", error=True)  # fmt: skip
        elif parsed.warnings:
            self._say(f"检查通过:{days} 天可以导入;{len(parsed.warnings)} 行不导入(见下)。")
        else:
            self._say(f"检查通过:{days} 天全部可以导入。")
        self.issues.setVisible(bool(parsed.issues))
        rows = "、".join(map(str, self.error_rows))
        self.skip.setText(f"跳过有错误的第 {rows} 行,只导入其余 {days} 天")
        self.skip.setVisible(bool(parsed.errors))
        self.skip.setEnabled(bool(parsed.errors) and days > 0)
        self.skip.setChecked(False)
        self._update_buttons()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary.setText(text)
        color = "#8c1d18" if error else "#1e6b34"
        self.summary.setStyleSheet(f"color: {color}; font-weight: bold;")

    def _update_buttons(self) -> None:
        parsed = self.parsed
        ok = parsed is not None and bool(parsed.rows) and (not parsed.errors or self.skip.isChecked())
        self.import_button.setEnabled(ok)
        if parsed is not None and parsed.errors and not self.skip.isChecked():
            self.import_button.setToolTip("文件中有错误:请修改文件,或勾选“跳过有错误的行”")
        else:
            self.import_button.setToolTip("")

    # -- writing
    def do_import(self) -> RosterImported | None:
        parsed = self.parsed
        profile = self.session.profile
        if parsed is None or profile is None or not self.import_button.isEnabled():
            return None
        skip = self.error_rows if self.skip.isChecked() else []
        result = self.session.run(self, "duty", roster_import.import_roster, profile, parsed, self.sheet.file_name,
                                  skip_rows=skip)  # fmt: skip
        if result is None:
            return None  # refused: the reason was shown, nothing was written
        self.imported = result
        QMessageBox.information(self, "导入完成", result.summary)
        self.accept()
        return result


def _documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def open_roster_import(session: Session, parent: QWidget | None = None, path: Path | str | None = None,
                       *, show: bool = True) -> RosterImportDialog | None:  # fmt: skip
    """Ask for the file (unless ``path``), read it and open the dialog (modal unless ``show`` is
    False). A file that cannot be read is refused with a Chinese message (None is returned)."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "导入值班表", _documents_folder(), "值班表 (*.xlsx *.csv)")
        if not chosen:
            return None
        path = chosen
    try:
        sheet = roster_import.read_sheet(Path(path))
    except UserError as exc:
        show_error(parent, str(exc), "无法导入")
        return None
    dialog = RosterImportDialog(session, sheet, parent)
    if show:
        dialog.exec()
    return dialog
