"""文件 → 导入值班表…: map the columns of an existing roster, check every row, store the days as pins.

One dialog, three parts: the column mapping (日期 / 带班领导 / 值班员, guessed from the header names,
each changeable with a combo; the year for dates written without one), a preview of the first
rows with the mapped columns marked, and the check of every row (desktop.ops.roster_import,
re-run at each change) listing each error and warning with its sheet row. 导入 is enabled when
the file has no errors, or when the user ticks “跳过有错误的第 … 行”, which names the rows left
out; nothing is written before. The rows are stored as pinned assignments, their plans filled
around them, in one transaction (the operation `desktop.ops.duty.import_roster`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QMessageBox, QSpinBox, QWidget

from desktop import ops
from desktop.core.errors import UserError
from desktop.core.roster_import import (
    FIELD_LABELS,
    FIELDS,
    ColumnMap,
    ParsedRoster,
    guess_columns,
    guess_year,
)
from desktop.export.tabular import Sheet, read_roster_sheet
from desktop.ops import roster_import
from desktop.ops.roster_import import RosterImported
from desktop.ui.import_dialog import PREVIEW_ROWS, MappingImportDialog, choose_file, column_letter
from desktop.ui.session import Session, show_error

__all__ = ["PREVIEW_ROWS", "RosterImportDialog", "column_letter", "open_roster_import"]


class RosterImportDialog(MappingImportDialog):
    def __init__(self, session: Session, sheet: Sheet, parent: QWidget | None = None):
        super().__init__(sheet, parent)
        self.session = session
        self.parsed: ParsedRoster | None = None
        self.imported: RosterImported | None = None
        self.setWindowTitle(f"导入值班表 — {sheet.file_name}")
        self.resize(920, 680)

        guessed = guess_columns(sheet.header)
        mapping = QGroupBox("列对应(已按表头自动识别,可修改)")
        grid = QGridLayout(mapping)
        for n, field in enumerate(FIELDS):
            combo = self.column_combo(field, "(不导入)" if field != "date" else "(请选择)", guessed.of(field))
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

        self.build(mapping, "导入的日子将作为“固定”安排保存(备注“导入自 文件名”),所在假期的其余日子按规则均衡补齐。")

    # -- state
    def columns(self) -> ColumnMap:
        return ColumnMap(**{f: self.combos[f].currentData() for f in FIELDS})

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.parsed.errors}) if self.parsed else []

    # -- the check
    def recheck(self) -> None:
        """Check every row with the current mapping and year (nothing is written)."""
        columns = self.columns()
        self.fill_preview({columns.of(f): FIELD_LABELS[f] for f in FIELDS if columns.of(f) is not None})
        self.issues.clear()
        self.parsed = None
        profile = self.session.profile
        try:
            if profile is None:
                raise UserError("尚未设置单位和规则预设,请先完成初始设置。")
            self.parsed = roster_import.check_roster(self.session.store, profile, self.sheet.header, self.sheet.rows,
                                                     columns, year=self.year.value(), first_row=self.sheet.first_row)  # fmt: skip
        except UserError as exc:
            self.say(str(exc), error=True)
            self._update_buttons()
            return
        parsed = self.parsed
        self.list_issues((str(issue), issue.row, issue.warning) for issue in parsed.issues)
        days = len(parsed.rows)
        if parsed.errors:
            self.say(f"有 {len(self.error_rows)} 行无法导入(见下),{days} 天可以导入。"
                     "可以修改文件后重新导入,或跳过这些行。在您确认之前,没有写入任何数据。", error=True)  # fmt: skip
        elif parsed.warnings:
            self.say(f"检查通过:{days} 天可以导入;{len(parsed.warnings)} 行不导入(见下)。")
        else:
            self.say(f"检查通过:{days} 天全部可以导入。")
        self.offer_skip(self.error_rows, f"{days} 天", days > 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        parsed = self.parsed
        ok = parsed is not None and bool(parsed.rows) and (not parsed.errors or self.skip.isChecked())
        self.allow_import(ok, parsed is not None and bool(parsed.errors),
                          "文件中有错误:请修改文件,或勾选“跳过有错误的行”")

    # -- writing
    def do_import(self) -> RosterImported | None:
        parsed = self.parsed
        profile = self.session.profile
        if parsed is None or profile is None or not self.import_button.isEnabled():
            return None
        skip = self.error_rows if self.skip.isChecked() else []
        result = self.session.run(self, ops.duty.import_roster, profile, parsed, self.sheet.file_name,
                                  skip_rows=skip)  # fmt: skip
        if result is None:
            return None  # refused: the reason was shown, nothing was written
        self.imported = result
        QMessageBox.information(self, "导入完成", result.summary)
        self.accept()
        return result


def open_roster_import(session: Session, parent: QWidget | None = None, path: Path | str | None = None,
                       *, show: bool = True) -> RosterImportDialog | None:  # fmt: skip
    """Ask for the file (unless ``path``), read it and open the dialog (modal unless ``show`` is
    False). A file that cannot be read is refused with a Chinese message (None is returned)."""
    if path is None:
        path = choose_file(parent, "导入值班表", "值班表 (*.xlsx *.csv)")
        if path is None:
            return None
    try:
        sheet = read_roster_sheet(Path(path))
    except UserError as exc:
        show_error(parent, str(exc), "无法导入")
        return None
    dialog = RosterImportDialog(session, sheet, parent)
    if show:
        dialog.exec()
    return dialog
