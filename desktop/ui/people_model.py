"""PeopleModel: an adapter from the people list to a Qt table (no business logic here).

Rows are in protocol order (排名). Dragging rows asks the owner to reorder through
`on_reorder(ids)`; the model itself never writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.core.people import Person

MIME = "application/x-dutydesk-person-ids"
Index = QModelIndex | QPersistentModelIndex


class Roles(IntEnum):
    PersonId = Qt.ItemDataRole.UserRole + 1
    Version = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class PersonRow:
    person: Person
    title: str  # as printed (profile's title if the person has none)
    portfolio: str  # 分管 (leaders) or 分管领导 (heads)
    partner: str  # AB角


COLUMNS = ("排名", "姓名", "职务", "角色", "电话", "单位 / 分管", "AB角", "状态")


class PeopleModel(QAbstractTableModel):
    def __init__(self, on_reorder: Callable[[list[int]], None] | None = None, parent=None):
        super().__init__(parent)
        self._rows: list[PersonRow] = []
        self._on_reorder = on_reorder

    def set_rows(self, rows: Sequence[PersonRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> PersonRow:
        return self._rows[row]

    def ids(self) -> list[int]:
        return [r.person.id for r in self._rows]

    # -- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument idiom
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        p = row.person
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(p.rank), p.name, row.title, p.role.label, p.phone, row.portfolio, row.partner,
                    "在任" if p.active else "已停用")[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 5 and row.portfolio:
            return row.portfolio
        if role == Qt.ItemDataRole.ForegroundRole and not p.active:
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Roles.PersonId:
            return p.id
        if role == Roles.Version:
            return p.version
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled if self._on_reorder else Qt.ItemFlag.NoItemFlags
        if not index.isValid():
            return base
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._on_reorder:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- drag and drop to reorder ranks
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(MIME, json.dumps([self._rows[r].person.id for r in rows]).encode())
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return self._on_reorder is not None and data.hasFormat(MIME) and action == Qt.DropAction.MoveAction

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        moved = json.loads(bytes(data.data(MIME).data()).decode())
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._rows))
        ids = self.ids()
        before = [pid for pid in ids[:target] if pid not in moved]
        after = [pid for pid in ids[target:] if pid not in moved]
        new_order = before + moved + after
        if new_order != ids and self._on_reorder is not None:
            self._on_reorder(new_order)
        return False  # the reload after the reorder redraws; Qt must not remove the source rows itself
