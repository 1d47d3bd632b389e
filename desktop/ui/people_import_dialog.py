"""人员 → 导入名单…: map the columns of a people sheet, check every row, then import all or nothing.

One dialog, as for the roster import (desktop.ui.roster_import_dialog): the column mapping (each
field — 姓名*, 角色*, 职务, 排名, 电话, 单位, 分管, 分管领导, AB角, 备注 — with a combo of the file's
columns, guessed from the header names and changeable), a preview of the first rows with the
mapped columns marked, and the check of every row (desktop.core.people_import.parse_mapped,
re-run at each change of the mapping) listing each bad row with its sheet row number.

导入 is enabled when the report is clean, or when the user ticks “跳过有错误的第 … 行”; nothing
is written before. The import itself is all or nothing (desktop.ops.people.import_people): a
refusal only the database can see (a name already in the list, a second 主要领导) is added to
the same report, nothing is written, and the user can fix the file or skip those rows too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QMessageBox, QWidget

from desktop import ops
from desktop.core.errors import UserError
from desktop.core.people import Person
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
from desktop.ui.import_dialog import PREVIEW_ROWS, MappingImportDialog, choose_file
from desktop.ui.session import Session, show_error

__all__ = ["PREVIEW_ROWS", "PeopleImportDialog", "PeopleSheet", "open_people_import", "read_people_sheet"]

_COLUMNS_PER_LINE = 5  # fields side by side in the mapping box

PeopleSheet = tabular.Sheet


def read_people_sheet(path: Path | str) -> PeopleSheet:
    """Read a people file (.xlsx, or .csv in UTF-8 or GBK); raise UserError (Chinese) with what to do.
    The header is the first row that is not blank."""
    return tabular.read_sheet(path, "人员名单", "第一行应是表头(姓名、角色……),下面每行一个人。")


def _field_label(field: str) -> str:
    return FIELD_LABELS[field] + ("*" if field in REQUIRED else "")


class PeopleImportDialog(MappingImportDialog):
    def __init__(self, session: Session, sheet: PeopleSheet, parent: QWidget | None = None):
        super().__init__(sheet, parent)
        self.session = session
        self.parsed: ParsedPeople | None = None
        self.db_errors: tuple[RowError, ...] = ()  # refusals of the last 导入, for the current mapping
        self.imported: list[Person] | None = None
        self.setWindowTitle(f"导入人员名单 — {sheet.file_name}")
        self.resize(960, 700)

        guessed = guess_mapping(sheet.header)
        mapping = QGroupBox("列对应(已按表头自动识别,可修改;* 为必填)")
        grid = QGridLayout(mapping)
        for n, field in enumerate(FIELDS):
            combo = self.column_combo(field, "(请选择)" if field in REQUIRED else "(不导入)", guessed[field])
            line, place = divmod(n, _COLUMNS_PER_LINE)
            grid.addWidget(QLabel(f"{_field_label(field)}:"), line, place * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(combo, line, place * 2 + 1)
        for place in range(_COLUMNS_PER_LINE):
            grid.setColumnStretch(place * 2 + 1, 1)
        self.build(mapping, "导入是“全部或全不”:任何一行被拒绝,都不会写入任何人员。排名留空的排在现有人员之后。")

    # -- state
    def mapping(self) -> dict[str, int | None]:
        return {field: self.combos[field].currentData() for field in FIELDS}

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
        messages: dict[int, list[str]] = {}
        for error in self.errors:
            messages.setdefault(error.row, []).append(error.message)
        self.fill_preview({column: FIELD_LABELS[field] for field, column in mapping.items() if column is not None},
                          messages)

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
            self.say(problem, error=True)

    def _show_report(self) -> None:
        errors = self.errors
        self.list_issues((str(e), e.row, False) for e in errors)
        parsed = self.parsed
        ok = self.importable()
        if parsed is not None:
            bad = len(self.error_rows)
            if self.db_errors:
                self.say(f"导入未执行,没有写入任何人员:有 {bad} 行无法导入(见下,其中 {len({e.row for e in self.db_errors})} 行"
                         f"与已有人员冲突),{ok} 人可以导入。可以修改文件后重新导入,或跳过这些行。", error=True)
            elif errors:
                self.say(f"有 {bad} 行无法导入(见下),{ok} 人可以导入。可以修改文件或列对应,或跳过这些行。"
                         "在您确认之前,没有写入任何数据。", error=True)
            else:
                self.say(f"检查通过:{ok} 人全部可以导入。")
        self.offer_skip(self.error_rows if parsed is not None else [], f"{ok} 人", ok > 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_errors = bool(self.errors)
        ok = self.parsed is not None and self.importable() > 0 and (not has_errors or self.skip.isChecked())
        self.allow_import(ok, self.parsed is not None and has_errors,
                          "有无法导入的行:请修改文件,或勾选“跳过有错误的行”")

    # -- writing
    def do_import(self) -> list[Person] | None:
        """Import the checked rows (the bad ones skipped if ticked). A refusal of the database is
        added to the report, nothing written; None is returned."""
        parsed = self.parsed
        if parsed is None or not self.import_button.isEnabled():
            return None
        skip = self.error_rows if self.skip.isChecked() else []
        try:
            # Called here, not through Session.run: the rows refused are added to the report.
            result = ops.people.import_people(self.session.store, parsed, skip_rows=skip)
        except ops.people.ImportRejected as exc:
            known = set(parsed.errors) | set(self.db_errors)
            self.db_errors += tuple(e for e in exc.errors if e not in known)
            self._fill_preview(self.mapping())
            self._show_report()
            return None
        except UserError as exc:
            show_error(self, str(exc), "无法导入")
            return None
        added = self.imported = self.session.apply(result)
        text = f"已导入 {len(added)} 人。"
        if skip:
            text += f"跳过第 {'、'.join(map(str, skip))} 行。"
        QMessageBox.information(self, "导入完成", text)
        self.accept()
        return added


def open_people_import(session: Session, parent: QWidget | None = None, path: Path | str | None = None,
                       *, show: bool = True) -> PeopleImportDialog | None:  # fmt: skip
    """Ask for the file (unless ``path``), read it and open the dialog (modal unless ``show`` is
    False). A file that cannot be read is refused with a Chinese message (None is returned)."""
    if path is None:
        path = choose_file(parent, "导入人员名单", "人员名单 (*.xlsx *.csv)")
        if path is None:
            return None
    try:
        sheet = read_people_sheet(Path(path))
    except UserError as exc:
        show_error(parent, str(exc), "无法导入")
        return None
    dialog = PeopleImportDialog(session, sheet, parent)
    if show:
        dialog.exec()
    return dialog
