"""文件 → 导出… (Ctrl+Shift+E): what, format, range and file, then the one export path.

The dialog offers what `desktop.export.exporter` can export (一周领导在岗情况表 / 值班安排 /
外出报备及请假记录) in the formats `FORMATS` allows for it, the range (a week for the board, from/to
dates for the others: by default the store clock's year) and the file (a default name in the
user's Documents folder, 浏览… to choose another). 导出 runs `exporter.export` (with the Qt PDF
renderer: desktop.ui.qt_export) through
desktop.ui.progress: in a worker thread on its own read-only connection, with a progress dialog
after half a second and 取消. The export is written beside the target under a temporary name and
moved into place only when the job finished and was not cancelled; a cancelled or failed export
leaves no file. The result (the path, the rows, a provisional-calendar warning) is shown in the
dialog with 打开所在文件夹.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.board import week_start
from desktop.core.cndate import cn_week
from desktop.core.errors import UserError
from desktop.export import exporter
from desktop.export.exporter import FORMAT_LABELS, FORMATS, WHAT, WHAT_LABELS, ExportResult
from desktop.export.marking import MARKED_FORMATS
from desktop.store import private
from desktop.store.db import Store
from desktop.ui import qt_export
from desktop.ui.banner import GREY_STYLE, RED_STYLE, Banner
from desktop.ui.progress import Cancelled, Progress, run_store_job
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session
from desktop.ui.widgets import date_edit, qdate

__all__ = ["ExportDialog", "default_name", "documents_folder", "open_export_dialog", "rows_text"]

_APPS = {"xlsx": "Excel 或 WPS", "csv": "Excel 或 WPS", "docx": "Word 或 WPS", "pdf": "PDF 阅读器", "ics": "日历程序"}
_GREEN_STYLE = ("QFrame#banner { background: #e8f4ea; border: 1px solid #9fcca8; border-radius: 4px; }\n"
                "QFrame#banner QLabel { color: #1e4d2b; }\n")  # fmt: skip


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def default_name(what: str, fmt: str, *, week: dt.date | None = None, start: dt.date | None = None,
                 end: dt.date | None = None) -> str:  # fmt: skip
    """一周领导在岗情况表-2026-W48.xlsx, 值班安排-2026年.xlsx, 外出报备及请假记录-2026-10-01至2026-10-31.csv"""
    label = WHAT_LABELS[what]
    if what == "weekly":
        iso = (week or dt.date.today()).isocalendar()
        return f"{label}-{iso.year}-W{iso.week:02d}.{fmt}"
    if start is not None and end is not None:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            return f"{label}-{start.year}年.{fmt}"
        return f"{label}-{start.isoformat()}至{end.isoformat()}.{fmt}"
    return f"{label}.{fmt}"


def rows_text(result: ExportResult) -> str:
    """共 37 位领导 / 共 5 个值班日 / 共 12 条记录 / 共 10 个日程"""
    if result.format == "ics":
        return f"共 {result.rows} 个日程"
    unit = {"weekly": "位领导", "duty": "个值班日", "absences": "条记录"}.get(result.what, "行")
    return f"共 {result.rows} {unit}"


class ExportDialog(FittedDialog):
    def __init__(self, session: Session, parent: QWidget | None = None, *, folder: Path | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("导出")
        self.exported: ExportResult | None = None
        #: Called as ``started(progress, progress_dialog)`` once an export is under way (tests press 取消 there).
        self.on_started: Callable[[Progress, Any], Any] | None = None
        self._folder = folder or documents_folder()
        self._custom_name = False  # the user typed or chose a file name: keep it
        today = session.store.clock.today()

        self.what = QComboBox()
        for what in WHAT:
            self.what.addItem(WHAT_LABELS[what], what)
        self.format = QComboBox()

        # the range: a week, or from/to dates
        self.week = date_edit(today)
        self.week_label = QLabel()
        prev_week, next_week, this_week = QPushButton("上一周"), QPushButton("下一周"), QPushButton("本周")
        prev_week.clicked.connect(lambda: self.week.setDate(self.week.date().addDays(-7)))
        next_week.clicked.connect(lambda: self.week.setDate(self.week.date().addDays(7)))
        this_week.clicked.connect(lambda: self.week.setDate(qdate(today)))
        week_page = QWidget()
        week_row = QHBoxLayout(week_page)
        week_row.setContentsMargins(0, 0, 0, 0)
        week_row.addWidget(self.week)
        week_row.addWidget(prev_week)
        week_row.addWidget(this_week)
        week_row.addWidget(next_week)
        week_row.addWidget(self.week_label, 1)
        self.start = date_edit(dt.date(today.year, 1, 1))
        self.end = date_edit(dt.date(today.year, 12, 31))
        whole_year = QPushButton("全年")
        whole_year.setToolTip("所选开始日期所在年份的1月1日至12月31日")
        whole_year.clicked.connect(self._whole_year)
        range_page = QWidget()
        range_row = QHBoxLayout(range_page)
        range_row.setContentsMargins(0, 0, 0, 0)
        range_row.addWidget(QLabel("从"))
        range_row.addWidget(self.start)
        range_row.addWidget(QLabel("至"))
        range_row.addWidget(self.end)
        range_row.addWidget(whole_year)
        range_row.addStretch(1)
        self.range = QStackedWidget()
        self.range.addWidget(week_page)
        self.range.addWidget(range_page)
        self.range_label = QLabel()

        self.path = QLineEdit()
        self.path.setMinimumWidth(440)
        self.path.textEdited.connect(self._path_edited)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)

        profile = session.profile
        mark_text = profile.export.mark_text if profile else "内部资料 注意保存"
        self.mark = QCheckBox(f"标注“{mark_text}”")
        self.mark.setChecked(bool(profile and profile.export.confidential_mark))
        self.mark.setToolTip("在 Excel、PDF、Word 文件的页眉左上角印上保密标注(默认值见规则设置)")

        form = QFormLayout()
        form.addRow("导出内容:", self.what)
        form.addRow("文件格式:", self.format)
        form.addRow(self.range_label, self.range)
        form.addRow("保存到:", path_row)
        form.addRow("", self.mark)

        self.message = Banner(icon=False)
        self.message.hide()
        self.warning = Banner()
        self.warning.hide()
        self.open_folder_button = QPushButton("打开所在文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()

        buttons = QDialogButtonBox()
        self.export_button = QPushButton("导出")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.run_export)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.what.currentIndexChanged.connect(self._what_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.week.dateChanged.connect(self._range_changed)
        self.start.dateChanged.connect(self._range_changed)
        self.end.dateChanged.connect(self._range_changed)
        self._what_changed()

    # -- state
    def current_what(self) -> str:
        return self.what.currentData()

    def current_format(self) -> str:
        return self.format.currentData()

    def formats(self) -> list[str]:
        """The formats offered now (for the selected export)."""
        return [self.format.itemData(i) for i in range(self.format.count())]

    def set_what(self, what: str) -> None:
        self.what.setCurrentIndex(self.what.findData(what))

    def set_format(self, fmt: str) -> None:
        index = self.format.findData(fmt)
        if index < 0:
            raise ValueError(f"{fmt} is not offered for {self.current_what()}")
        self.format.setCurrentIndex(index)

    def range_kwargs(self) -> dict[str, dt.date]:
        if self.current_what() == "weekly":
            return {"week": _date(self.week.date())}
        return {"start": _date(self.start.date()), "end": _date(self.end.date())}

    # -- reactions
    def _what_changed(self) -> None:
        what = self.current_what()
        previous = self.current_format()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt in FORMATS[what]:
            self.format.addItem(f"{FORMAT_LABELS[fmt]}(.{fmt})", fmt)
        index = self.format.findData(previous)
        self.format.setCurrentIndex(index if index >= 0 else 0)
        self.format.blockSignals(False)
        weekly = what == "weekly"
        self.range.setCurrentIndex(0 if weekly else 1)
        self.range_label.setText("周次:" if weekly else "日期范围:")
        self._range_changed()
        self._update_mark()

    def _format_changed(self) -> None:
        self._suggest_path()
        self._update_mark()

    def _update_mark(self) -> None:
        printable = self.current_format() in MARKED_FORMATS
        self.mark.setEnabled(printable)
        self.mark.setToolTip("在 Excel、PDF、Word 文件的页眉左上角印上保密标注(默认值见规则设置)" if printable
                             else "CSV 和日历(ICS)文件是供其他程序读取的数据,没有页面,不带标注")

    def _range_changed(self) -> None:
        self.week_label.setText(cn_week(week_start(_date(self.week.date()))))
        self._suggest_path()

    def _whole_year(self) -> None:
        year = self.start.date().year()
        self.start.setDate(QDate(year, 1, 1))
        self.end.setDate(QDate(year, 12, 31))

    def _path_edited(self, _text: str) -> None:
        self._custom_name = True

    def _suggest_path(self) -> None:
        fmt = self.current_format()
        if fmt is None:
            return
        if self._custom_name and self.path.text().strip():
            # the user's name is kept; a format suffix (.xlsx …) follows the format
            current = Path(self.path.text().strip())
            if current.suffix.lower() != f".{fmt}":
                known = current.suffix.lstrip(".").lower() in FORMAT_LABELS
                stem = current.stem if known else current.name
                self.path.setText(str(current.with_name(f"{stem}.{fmt}")))
            return
        name = default_name(self.current_what(), fmt, **self.range_kwargs())
        self.path.setText(str(self._folder / name))

    def browse(self) -> None:
        fmt = self.current_format()
        chosen, _ = QFileDialog.getSaveFileName(self, "导出到", self.path.text(), f"{FORMAT_LABELS[fmt]} (*.{fmt})")
        if chosen:
            self.set_path(chosen)

    def set_path(self, path: str | Path) -> None:
        """Export to ``path`` (what 浏览… does); the name is kept when the range changes."""
        path = Path(path)
        fmt = self.current_format()
        if not path.suffix:
            path = path.with_name(f"{path.name}.{fmt}")
        self.path.setText(str(path))
        self._folder = path.parent
        self._custom_name = True

    # -- messages
    def _show(self, text: str, style: str) -> None:
        self.message.setStyleSheet(style)
        self.message.set_text(text)
        self.message.show()

    def show_error(self, text: str) -> None:
        self.exported = None
        self.warning.hide()
        self.open_folder_button.hide()
        self._show(text, RED_STYLE)

    # -- the export
    def run_export(self) -> ExportResult | None:
        """Export with the dialog's choices; show the result or why not. Returns the result."""
        self.message.hide()
        self.warning.hide()
        self.open_folder_button.hide()
        profile = self.session.profile
        if profile is None:
            self.show_error("尚未设置单位和规则预设,请先完成初始设置。")
            return None
        what, fmt = self.current_what(), self.current_format()
        kwargs = self.range_kwargs()
        if "start" in kwargs and kwargs["end"] < kwargs["start"]:
            self.show_error("结束日期早于开始日期,请改正日期范围。")
            return None
        text = self.path.text().strip()
        if not text:
            self.show_error("请填写保存的文件名,或点“浏览…”选择位置。")
            return None
        try:
            exporter.check_format(what, fmt)
            target = exporter.target_path(text, fmt)
        except UserError as exc:
            self.show_error(str(exc))
            return None
        if target.exists() and not self._confirm_replace(target):
            return None
        org = self.session.org
        org_name = org.name if org else ""
        mark = self.mark.isChecked() and fmt in MARKED_FORMATS
        shown_before = private.notice()
        try:
            fd, name = tempfile.mkstemp(prefix=".dutydesk-导出-", suffix=f".{fmt}", dir=target.parent)
        except OSError as exc:
            self.show_error(f"无法在 {target.parent} 中写入文件({exc.strerror or exc})。请换一个文件夹再试。")
            return None
        os.close(fd)
        staging = Path(name)

        def job(reader: Store, progress: Progress) -> ExportResult:
            progress.check()
            result = qt_export.export(reader, profile, what, fmt, staging, org_name=org_name, mark=mark, **kwargs)
            progress.check()
            return result

        try:
            result = run_store_job(self, self.session.store, f"正在导出{WHAT_LABELS[what]}…", job, title="导出",
                                   discard=lambda _r: staging.unlink(missing_ok=True), started=self.on_started)  # fmt: skip
            try:
                os.replace(staging, target)
            except OSError as exc:
                raise UserError(f"无法写入 {target}:文件可能正在{_APPS[fmt]}中打开。请关闭该文件后重试,或另存为其他文件名。") from exc
        except Cancelled:
            self._show("已取消导出,没有写入文件。", GREY_STYLE)
            return None
        except UserError as exc:
            self.show_error(str(exc))
            return None
        except Exception as exc:  # a bug: say so (the other kind of error), never a half-written file
            detail = "".join(traceback.format_exception_only(exc)).strip()
            self.show_error(f"导出时遇到程序缺陷,没有写入文件,数据没有被改动。请把以下信息发给维护人员:\n{detail}")
            if sys.stderr is not None:
                traceback.print_exception(exc, file=sys.stderr)
            return None
        finally:
            with contextlib.suppress(OSError):
                staging.unlink(missing_ok=True)
        self.exported = ExportResult(target, result.rows, result.provisional, result.what, result.format)
        self._show(f"已导出{WHAT_LABELS[what]}({FORMAT_LABELS[fmt]}),{rows_text(self.exported)}:\n{target}", _GREEN_STYLE)
        notes = []
        if result.provisional:
            notes.append("导出内容用到了暂定日历(该年份尚未导入国务院放假通知):放假和调休以正式通知为准,"
                         "通知公布后请导入并重新导出。")  # fmt: skip
        if private.notice() and private.notice() != shown_before:
            notes.append(private.notice())  # the first file this run could not make the user's only
        if notes:
            self.warning.set_text("\n".join(notes))
            self.warning.show()
        self.open_folder_button.show()
        return self.exported

    def _confirm_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(self, "文件已存在", f"{target.name} 已存在。要替换它吗?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def open_folder(self) -> bool:
        if self.exported is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.exported.path.parent)))


def open_export_dialog(session: Session, parent: QWidget | None = None) -> ExportDialog:
    """文件 → 导出… (modal)."""
    dialog = ExportDialog(session, parent)
    dialog.exec()
    return dialog
