"""人员 → 导入名单…: map the columns of a people sheet, check every row, then import all or nothing.

One dialog, as for the roster import (desktop.ui.roster_import_dialog): the column mapping (each
field — 姓名*, 角色*, 职务, 排名, 电话, 单位, 分管, 分管领导, AB角, 备注 — with a combo of the file's
columns, guessed from the header names and changeable), a preview of the first rows with the
mapped columns marked, and the check of every row (desktop.core.people_import.parse_mapped,
re-run at each change of the mapping) listing each bad row with its sheet row number.

导入 is enabled when the report is clean, or when the user ticks “跳过有错误的第 … 行”; nothing
is written before. The import itself is all or nothing (desktop.store.people.import_people): a
refusal only the database can see (a name already in the list, a second 主要领导) is added to
the same report, nothing is written, and the user can fix the file or skip those rows too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.people import Person, clean_text
from desktop.core.people_import import (
    FIELD_LABELS,
    FIELDS,
    REQUIRED,
    ParsedPeople,
    RowError,
    guess_mapping,
    parse_mapped,
)
from desktop.export import tabular
from desktop.store import people
from desktop.ui.roster_import_dialog import column_letter
from desktop.ui.session import Session, show_error

__all__ = ["PREVIEW_ROWS", "PeopleImportDialog", "PeopleSheet", "open_people_import", "read_people_sheet"]

PREVIEW_ROWS = 8
_MAPPED = QColor("#e3edf9")
_ERROR = QColor("#8c1d18")
_MUTED = QColor("#8a94a3")
_COLUMNS_PER_LINE = 5  # fields side by side in the mapping box


@dataclass(frozen=True)
class PeopleSheet:
    """The first sheet of a people file: its header and the rows under it, with sheet row numbers."""

    file_name: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]  # every row under the header, blank ones included
    header_row: int  # the header's sheet row (1 = the first)

    @property
    def first_row(self) -> int:
        """The sheet row of ``rows[0]``."""
        return self.header_row + 1


def read_people_sheet(path: Path | str) -> PeopleSheet:
    """Read a people file (.xlsx, or .csv in UTF-8 or GBK); raise UserError (Chinese) with what to do.

    The header is the first row that is not blank. Blank rows are kept, so the row numbers in the
    report are the ones the user sees in Excel.
    """
    path = Path(path)
    raw = tabular.read_rows(path, "人员名单")
    filled = [i for i, r in enumerate(raw) if any(clean_text(c) for c in r)]
    if not filled:
        raise UserError(f"{path.name} 是空的:第一行应是表头(姓名、角色……),下面每行一个人。")
    at = filled[0]
    width = max(len(r) for r in raw)
    header = tuple(clean_text(c) for c in raw[at]) + ("",) * (width - len(raw[at]))
    rows = tuple(tuple(r) + (None,) * (width - len(r)) for r in raw[at + 1:])
    return PeopleSheet(path.name, header, rows, at + 1)


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or a rank Excel stored as a number
    return "" if value is None else str(value).strip()


def _field_label(field: str) -> str:
    return FIELD_LABELS[field] + ("*" if field in REQUIRED else "")


class PeopleImportDialog(QDialog):
    def __init__(self, session: Session, sheet: PeopleSheet, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.sheet = sheet
        self.parsed: ParsedPeople | None = None
        self.db_errors: tuple[RowError, ...] = ()  # refusals of the last 导入, for the current mapping
        self.imported: list[Person] | None = None
        self.setWindowTitle(f"导入人员名单 — {sheet.file_name}")
        self.resize(960, 700)

        count = sum(1 for r in sheet.rows if any(clean_text(c) for c in r))
        self.file_label = QLabel(f"文件:{sheet.file_name}(第 {sheet.header_row} 行为表头,其下 {count} 行)")
        self.file_label.setStyleSheet("font-weight: bold;")

        guessed = guess_mapping(sheet.header)
        self.combos: dict[str, QComboBox] = {}
        mapping = QGroupBox("列对应(已按表头自动识别,可修改;* 为必填)")
        grid = QGridLayout(mapping)
        for n, field in enumerate(FIELDS):
            combo = QComboBox()
            combo.addItem("(请选择)" if field in REQUIRED else "(不导入)", None)
            for i, name in enumerate(sheet.header):
                combo.addItem(f"{column_letter(i)} 列:{name or '(无表头)'}", i)
            column = guessed[field]
            combo.setCurrentIndex(combo.findData(column) if column is not None else 0)
            combo.currentIndexChanged.connect(self.recheck)
            self.combos[field] = combo
            line, place = divmod(n, _COLUMNS_PER_LINE)
            grid.addWidget(QLabel(f"{_field_label(field)}:"), line, place * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(combo, line, place * 2 + 1)
        for place in range(_COLUMNS_PER_LINE):
            grid.setColumnStretch(place * 2 + 1, 1)

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
        hint = QLabel("导入是“全部或全不”:任何一行被拒绝,都不会写入任何人员。排名留空的排在现有人员之后。")
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
    def mapping(self) -> dict[str, int | None]:
        return {field: self.combos[field].currentData() for field in FIELDS}

    def set_column(self, field: str, column: int | None) -> None:
        combo = self.combos[field]
        combo.setCurrentIndex(max(combo.findData(column), 0) if column is not None else 0)

    @property
    def errors(self) -> list[RowError]:
        """Every bad row: those of the file, then the database's refusals of the last 导入."""
        parsed = tuple(self.parsed.errors) if self.parsed else ()
        return sorted(parsed + self.db_errors, key=lambda e: e.row)

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def importable(self) -> int:
        """How many people would be imported with the bad rows skipped."""
        if self.parsed is None:
            return 0
        bad = set(self.error_rows)
        return sum(1 for row in self.parsed.rows if row not in bad)

    # -- the preview and the check
    def _fill_preview(self, mapping: dict[str, int | None]) -> None:
        sheet = self.sheet
        shown = [(sheet.first_row + i, r) for i, r in enumerate(sheet.rows) if any(clean_text(c) for c in r)]
        shown = shown[:PREVIEW_ROWS]
        self.preview_label.setText(f"预览(前 {len(shown)} 行,蓝色为导入的列,红色行号为有错误的行):")
        width = len(sheet.header)
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(shown))
        field_of = {column: field for field, column in mapping.items() if column is not None}
        labels = []
        for c, name in enumerate(sheet.header):
            label = f"{column_letter(c)} {name}".strip()
            if c in field_of:
                label += f"\n→ {FIELD_LABELS[field_of[c]]}"
            labels.append(label)
        self.preview.setHorizontalHeaderLabels(labels)
        messages: dict[int, list[str]] = {}
        for error in self.errors:
            messages.setdefault(error.row, []).append(error.message)
        for r, (number, raw) in enumerate(shown):
            head = QTableWidgetItem(str(number))
            if number in messages:
                head.setForeground(QBrush(_ERROR))
                head.setToolTip("\n".join(messages[number]))
            self.preview.setVerticalHeaderItem(r, head)
            for c in range(width):
                item = QTableWidgetItem(_cell_text(raw[c]).replace("\n", "、"))
                if c in field_of:
                    item.setBackground(QBrush(_MAPPED))
                else:
                    item.setForeground(QBrush(_MUTED))
                self.preview.setItem(r, c, item)
        # tall enough for the rows shown (at most PREVIEW_ROWS): the report gets the rest
        self.preview.resizeRowsToContents()
        height = self.preview.horizontalHeader().sizeHint().height() + 2 * self.preview.frameWidth()
        height += sum(self.preview.rowHeight(r) for r in range(len(shown)))
        if self.preview.horizontalHeader().length() > self.preview.viewport().width():
            height += self.preview.horizontalScrollBar().sizeHint().height()
        self.preview.setFixedHeight(height + 2)

    def recheck(self) -> None:
        """Check every row with the current mapping (nothing is written)."""
        self.db_errors = ()  # they were found with another mapping
        self.parsed = None
        mapping = self.mapping()
        problem = None
        try:
            self.parsed = parse_mapped(self.sheet.header, self.sheet.rows, mapping, self.sheet.first_row)
        except UserError as exc:  # the mapping itself: a required field left out, a column given twice
            problem = str(exc)
        self._fill_preview(mapping)
        self._show_report()
        if problem is not None:
            self._say(problem, error=True)

    def _show_report(self) -> None:
        self.issues.clear()
        errors = self.errors
        for error in errors:
            item = QListWidgetItem("✗ " + str(error))
            item.setForeground(QBrush(_ERROR))
            item.setData(Qt.ItemDataRole.UserRole, error.row)
            self.issues.addItem(item)
        self.issues.setVisible(bool(errors))
        parsed = self.parsed
        ok = self.importable()
        if parsed is not None:
            bad = len(self.error_rows)
            if self.db_errors:
                self._say(f"导入未执行,没有写入任何人员:有 {bad} 行无法导入(见下,其中 {len({e.row for e in self.db_errors})} 行"
                          f"与已有人员冲突),{ok} 人可以导入。可以修改文件后重新导入,或跳过这些行。", error=True)
            elif errors:
                self._say(f"有 {bad} 行无法导入(见下),{ok} 人可以导入。可以修改文件或列对应,或跳过这些行。"
                          "在您确认之前,没有写入任何数据。", error=True)
            else:
                self._say(f"检查通过:{ok} 人全部可以导入。")
        rows = "、".join(map(str, self.error_rows))
        self.skip.setText(f"跳过有错误的第 {rows} 行,只导入其余 {ok} 人")
        self.skip.setVisible(parsed is not None and bool(errors))
        self.skip.setEnabled(parsed is not None and bool(errors) and ok > 0)
        self.skip.setChecked(False)
        self._update_buttons()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary.setText(text)
        color = "#8c1d18" if error else "#1e6b34"
        self.summary.setStyleSheet(f"color: {color}; font-weight: bold;")

    def _update_buttons(self) -> None:
        has_errors = bool(self.errors)
        ok = self.parsed is not None and self.importable() > 0 and (not has_errors or self.skip.isChecked())
        self.import_button.setEnabled(ok)
        if self.parsed is not None and has_errors and not self.skip.isChecked():
            self.import_button.setToolTip("有无法导入的行:请修改文件,或勾选“跳过有错误的行”")
        else:
            self.import_button.setToolTip("")

    # -- writing
    def do_import(self) -> list[Person] | None:
        """Import the checked rows (the bad ones skipped if ticked). A refusal of the database is
        added to the report, nothing written; None is returned."""
        parsed = self.parsed
        if parsed is None or not self.import_button.isEnabled():
            return None
        skip = self.error_rows if self.skip.isChecked() else []
        try:
            added = people.import_people(self.session.store, parsed, skip_rows=skip)
        except people.ImportRejected as exc:
            known = set(parsed.errors) | set(self.db_errors)
            self.db_errors += tuple(e for e in exc.errors if e not in known)
            self._fill_preview(self.mapping())
            self._show_report()
            return None
        except UserError as exc:
            show_error(self, str(exc), "无法导入")
            return None
        self.imported = added
        self.session.changed.emit("person")
        text = f"已导入 {len(added)} 人。"
        if skip:
            text += f"跳过第 {'、'.join(map(str, skip))} 行。"
        QMessageBox.information(self, "导入完成", text)
        self.accept()
        return added


def _documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def open_people_import(session: Session, parent: QWidget | None = None, path: Path | str | None = None,
                       *, show: bool = True) -> PeopleImportDialog | None:  # fmt: skip
    """Ask for the file (unless ``path``), read it and open the dialog (modal unless ``show`` is
    False). A file that cannot be read is refused with a Chinese message (None is returned)."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "导入人员名单", _documents_folder(), "人员名单 (*.xlsx *.csv)")
        if not chosen:
            return None
        path = chosen
    try:
        sheet = read_people_sheet(Path(path))
    except UserError as exc:
        show_error(parent, str(exc), "无法导入")
        return None
    dialog = PeopleImportDialog(session, sheet, parent)
    if show:
        dialog.exec()
    return dialog
