"""The 外出/请假 list: a lazy table model over the ids of the current query (Anki's browser idea).

A query returns only the ids of the matching records, in display order (one light SQL query on
the indexed columns). The model holds those ids; rows are fetched by page (`PAGE_SIZE` at a time)
the first time the view asks `data()` for one of them, and kept in a bounded page cache. With
200,000 records the view shows the first screen after reading one page.

The queries (`absence_ids`, `absences_by_ids`) live in ``desktop.store.absences``. `RowSource` turns records into
display rows (names, titles, the derived state); `AbsenceListModel` only maps rows to roles.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.core import checks
from desktop.core.absence import (
    Absence,
    AbsenceState,
    DisplayState,
    Half,
    effective_end,
    effective_state,
    format_span,
    return_note,
)
from desktop.core.chain import state_label
from desktop.core.cndate import cn_month_day
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.core.workcal import CalendarGapError, WorkCalendar
from desktop.store import absences, people
from desktop.store.calcache import calendar_for
from desktop.store.db import Store

Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 200
MAX_PAGES = 60  # the cache keeps at most 12,000 rows; older pages are read again when needed

# ------------------------------------------------------------------------------------------
# Display rows
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AbsenceRow:
    record: Absence
    name: str
    title: str
    acting: str  # the record's acting person(s), or who the rules name
    acting_by_rule: bool  # True: the rules' choice, not named in the record
    display: DisplayState
    late: bool  # reported later than the rules require (迟报)
    late_text: str  # the finding's message, for the tooltip
    state_text: str = ""  # the state as said for its chain (已备案 for a filing-only chain); "" = display.label


STATE_COLOURS: dict[DisplayState, str] = {
    DisplayState.in_progress: "#a05a00",  # amber
    DisplayState.underway: "#1f5fa8",  # blue
    DisplayState.overdue_return: "#b3261e",  # red
    DisplayState.approved: "#1e6b2e",
    DisplayState.submitted: "#1e6b2e",
    DisplayState.returned: "#4a5260",
    DisplayState.draft: "#6b7380",
    DisplayState.rejected: "#8a8a8a",
    DisplayState.withdrawn: "#8a8a8a",
    DisplayState.cancelled: "#8a8a8a",
}
CLOSED = frozenset({DisplayState.rejected, DisplayState.withdrawn, DisplayState.cancelled})
GREY = "#8a8a8a"
RED = "#b3261e"
AMBER = "#a05a00"


def reported_text(record: Absence) -> str:
    if record.reported_at is None:
        return "未登记"
    return record.reported_at.strftime("%Y-%m-%d %H:%M")


class RowSource:
    """Builds display rows for ids: reads the records, names them and derives their state.

    People, AB partners and the calendar are read once per `refresh` (each reload of the list).
    """

    def __init__(self, store: Store, profile: Profile | None):
        self.store = store
        self.profile = profile
        self._people: dict[int, Person] = {}
        self._partner: dict[int, int] = {}
        self._calendar: WorkCalendar | None = None
        self._calendar_loaded = False
        self.refresh()

    def refresh(self, profile: Profile | None = None) -> None:
        if profile is not None:
            self.profile = profile
        self._people = {p.id: p for p in people.list_people(self.store)}
        self._partner = {}
        for a, b in people.ab_pairs(self.store):
            self._partner[a.id], self._partner[b.id] = b.id, a.id
        self._calendar, self._calendar_loaded = None, False

    def title(self, person: Person) -> str:
        if person.title:
            return person.title
        return self.profile.title(person.role) if self.profile else person.role.label

    def _calendar_for_checks(self) -> WorkCalendar | None:
        if not self._calendar_loaded:
            self._calendar_loaded = True
            try:
                self._calendar = calendar_for(self.store, self.store.clock.today().year + 1)
            except UserError:
                self._calendar = None
        return self._calendar

    def _rule_actor(self, person: Person, record: Absence) -> str:
        if self.profile is None:
            return ""
        rule = self.profile.acting_rule_for(person.role, record.kind, record.leaves_jurisdiction)
        if rule is None:
            return ""
        if rule.by_ab_partner:
            partner = self._people.get(self._partner.get(person.id, -1))
            return f"{partner.name}(AB角)" if partner and partner.active else ""
        candidates = sorted((p for p in self._people.values() if p.active and p.role is rule.actor and p.id != person.id),
                            key=lambda p: (p.rank, p.id))
        return f"{candidates[0].name}({self.profile.title(rule.actor)})" if candidates else ""

    def _late(self, record: Absence, person: Person) -> tuple[bool, str]:
        if self.profile is None or record.state in (AbsenceState.draft, AbsenceState.withdrawn,
                                                    AbsenceState.cancelled, AbsenceState.rejected):
            return False, ""
        try:
            found = checks.check_lead_time(record, person, self.profile, self._calendar_for_checks())
        except CalendarGapError:
            return False, ""
        if found is not None and found.kind == checks.LATE_REPORT:
            return True, found.message
        return False, ""

    def row(self, record: Absence) -> AbsenceRow:
        person = self._people.get(record.person_id)
        if person is None:
            person = people.get_person(self.store, record.person_id)
            self._people[person.id] = person
        if record.acting_ids:
            acting = "、".join(self._people[i].name if i in self._people else f"编号{i}" for i in record.acting_ids)
            by_rule = False
        else:
            acting, by_rule = self._rule_actor(person, record), True
        late, late_text = self._late(record, person)
        display = effective_state(record, self.store.clock.today())
        chain = (self.profile.chain_for(person.role, record.kind, record.leaves_jurisdiction)
                 if self.profile else None)
        return AbsenceRow(record, person.name, self.title(person), acting, by_rule, display, late, late_text,
                          state_label(display, chain) if self.profile else "")

    def fetch(self, ids: Sequence[int]) -> dict[int, AbsenceRow]:
        return {rid: self.row(record) for rid, record in absences.absences_by_ids(self.store, ids).items()}


# ------------------------------------------------------------------------------------------
# The model
# ------------------------------------------------------------------------------------------


class Roles(IntEnum):
    AbsenceId = Qt.ItemDataRole.UserRole + 1
    DisplayState = Qt.ItemDataRole.UserRole + 2
    Row = Qt.ItemDataRole.UserRole + 3  # the AbsenceRow (None if the record vanished)


COLUMNS = ("编号", "姓名", "职务", "类型", "时间", "目的地", "离开辖区", "代行", "状态", "报告时间")
COL_ID, COL_NAME, COL_TITLE, COL_KIND, COL_SPAN, COL_DEST, COL_LEAVES, COL_ACTING, COL_STATE, COL_REPORTED = range(10)


class AbsenceListModel(QAbstractTableModel):
    """Ids in display order; rows fetched by page from `fetch(ids) -> {id: AbsenceRow}` on demand."""

    def __init__(self, fetch: Callable[[Sequence[int]], Mapping[int, AbsenceRow]], *,
                 jurisdiction_label: str = "离开辖区", page_size: int = PAGE_SIZE, parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[AbsenceRow | None]] = OrderedDict()
        self.page_size = page_size
        self.jurisdiction_label = jurisdiction_label
        self.page_loads = 0  # how many pages were read (tests and the status line)
        self.rows_fetched = 0

    # -- the query
    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._pages.clear()
        self.endResetModel()

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, absence_id: int) -> int:
        """The row of a record, or -1 when the current query does not show it."""
        try:
            return self._ids.index(absence_id)
        except ValueError:
            return -1

    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def row_at(self, row: int) -> AbsenceRow | None:
        if not 0 <= row < len(self._ids):
            return None
        number = row // self.page_size
        page = self._pages.get(number)
        if page is None:
            page = self._load_page(number)
        else:
            self._pages.move_to_end(number)
        return page[row - number * self.page_size]

    def _load_page(self, number: int) -> list[AbsenceRow | None]:
        ids = self._ids[number * self.page_size:(number + 1) * self.page_size]
        found = self._fetch(ids)
        page = [found.get(i) for i in ids]
        self.page_loads += 1
        self.rows_fetched += len(ids)
        self._pages[number] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    # -- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument idiom
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.jurisdiction_label if section == COL_LEAVES else COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_ACTING:
                return "报备时指定的代行人;灰色为按规则确定的代行人(实际以“今日在岗”为准)"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._ids)) or not (0 <= index.column() < len(COLUMNS)):
            return None
        if role == Roles.AbsenceId:
            return self._ids[index.row()]
        row = self.row_at(index.row())
        if row is None:
            return "(已删除)" if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_NAME else None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, col)
        if role == Qt.ItemDataRole.FontRole and col == COL_STATE and row.display in (
                DisplayState.in_progress, DisplayState.underway, DisplayState.overdue_return):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_ID, COL_LEAVES):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Roles.DisplayState:
            return row.display.value
        if role == Roles.Row:
            return row
        return None

    def _text(self, row: AbsenceRow, col: int) -> str:
        r = row.record
        if col == COL_ID:
            return str(r.id)
        if col == COL_NAME:
            return row.name
        if col == COL_TITLE:
            return row.title
        if col == COL_KIND:
            return r.kind.label
        if col == COL_SPAN:  # as it was: after 销假 the actual return, the planned end beside it
            end, end_half = effective_end(r)
            span = format_span(r.start, r.start_half, end, end_half)
            if (end, end_half) != (r.end, r.end_half):
                span += f"(原计划至{cn_month_day(r.end)}{'上午' if r.end_half is Half.am else ''})"
            return span
        if col == COL_DEST:
            return r.destination
        if col == COL_LEAVES:
            return "是" if r.leaves_jurisdiction else ""
        if col == COL_ACTING:
            return row.acting
        if col == COL_STATE:
            return row.state_text or row.display.label
        tags = [t for t, on in (("迟报", row.late), ("紧急", r.urgent)) if on]
        return reported_text(r) + ("  " + " ".join(tags) if tags else "")

    def _colour(self, row: AbsenceRow, col: int) -> QBrush | None:
        if col == COL_STATE:
            return QBrush(QColor(STATE_COLOURS[row.display]))
        if row.display in CLOSED:
            return QBrush(QColor(GREY))
        if col == COL_ACTING and row.acting_by_rule:
            return QBrush(QColor(GREY))
        if col == COL_REPORTED and row.late:
            return QBrush(QColor(RED))
        if col == COL_REPORTED and row.record.urgent:
            return QBrush(QColor(AMBER))
        return None

    def _tooltip(self, row: AbsenceRow, col: int) -> str | None:
        r = row.record
        if col == COL_REPORTED and row.late:
            return row.late_text
        if col == COL_ACTING and row.acting:
            if row.acting_by_rule:
                return f"{row.acting}:按规则确定的代行人,实际以外出当天“今日在岗”为准"
            return f"{row.acting}:报备时指定的代行人"
        if col == COL_STATE:
            if r.state is AbsenceState.returned:
                return return_note(r)
            if r.state_note:
                return f"理由:{r.state_note}"
        if col in (COL_DEST, COL_SPAN) and r.reason:
            return f"事由:{r.reason}"
        return None
