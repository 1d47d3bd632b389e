"""Small widget helpers shared by the dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
)

from desktop.core.cndate import parse_typed_date


def ok_cancel(dialog: QDialog, ok_text: str, cancel_text: str = "取消") -> QDialogButtonBox:
    """The dialog's OK/Cancel row with Chinese labels, wired to accept/reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


#: What may stand in a date field while a date is being typed (digits, separators, 年月日, a weekday).
_TYPING = set("0123456789０１２３４５６７８９-/.－／． 年月日号星期周一二三四五六天()（）")


class TypedDateEdit(QDateEdit):
    """A date field that also takes a date typed whole: select the text and type "28" (the 28th of the
    shown month), "12-8" or "12月8日" (in the shown year) or "2026-12-08" (desktop.core.cndate.
    parse_typed_date); typing into one part (the day) and the calendar still work as before."""

    def _typed(self, text: str) -> dt.date | None:
        return parse_typed_date(text, pydate(self.date()))

    def validate(self, text: str, pos: int):
        if self._typed(text) is not None:
            d = self._typed(text)
            inside = self.minimumDate() <= qdate(d) <= self.maximumDate()
            return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate), text, pos
        if all(c in _TYPING for c in text):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:
        d = self._typed(text)
        if d is None:
            return super().dateTimeFromText(text)
        return QDateTime(qdate(d), self.time())

    def fixup(self, text: str) -> str:
        d = self._typed(text)
        return self.locale().toString(qdate(d), self.displayFormat()) if d is not None else text


def date_edit(d: dt.date | None = None) -> QDateEdit:
    """A date field as every form uses it: 2026年10月1日, with a calendar to pick from, and a date may be
    typed whole (`TypedDateEdit`)."""
    edit = TypedDateEdit(qdate(d)) if d is not None else TypedDateEdit()
    edit.setToolTip(edit.toolTip() or "可直接输入日期,如“28”“12-8”“12月8日”“2026-12-08”,或点右侧箭头从日历中选")
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    return edit


def readonly_table(headers: tuple[str, ...] | list[str]) -> QTableWidget:
    """A list to read, not edit: whole rows selected, columns sized to their contents, no row numbers."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class EmptyHint(QLabel):
    """What to do next, written over an empty table (a first run, a filter that finds nothing).

    ``text`` may be a function, asked each time the table empties (the hint can depend on filters).
    The label sits on the table's viewport, centred, and is shown only while the table has no rows."""

    def __init__(self, table: QAbstractItemView, text: str | Callable[[], str]):
        super().__init__(table.viewport())
        self.table = table
        self.source = text
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("color: #5f6b7a; font-size: 11pt; padding: 12px; background: transparent;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        model = table.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
            signal.connect(self.update_hint)
        table.viewport().installEventFilter(self)
        self.hide()  # until the table is shown: the page may still be building what ``text`` reads

    def hint_text(self) -> str:
        return self.source() if callable(self.source) else self.source

    def update_hint(self, *_args) -> None:
        empty = self.table.model().rowCount() == 0
        if empty:
            self.setText(self.hint_text())
            self._place()
        self.setVisible(empty)

    def _place(self) -> None:
        area = self.table.viewport().rect()
        width = max(min(area.width() - 20, 560), 120)
        self.setFixedWidth(width)
        height = self.heightForWidth(width)  # the wrapped text's height at this width
        self.setFixedHeight(min(max(height, self.sizeHint().height()) + 8, max(area.height() - 8, 20)))
        self.move((area.width() - self.width()) // 2, max((area.height() - self.height()) // 3, 8))

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show:
            self.update_hint()
        elif event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False


def empty_hint(table: QAbstractItemView, text: str | Callable[[], str]) -> EmptyHint:
    """Attach an `EmptyHint` to ``table`` (kept as ``table.empty_hint`` for tests and screenshots)."""
    hint = EmptyHint(table, text)
    table.empty_hint = hint
    return hint
