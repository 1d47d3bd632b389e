"""值班 page: plan the holiday duty of a scope, see why each person got each day, fix what changed.

A scope (a year, one holiday block of the year, a month) is picked at the top; 生成排班 plans it
(`ops.duty.plan`, keeping pins, swaps and replacements unless 释放手动指定 is ticked; 含值班员 plans the
duty officers too). The grid shows the scope's duty days with the stored assignments of every
plan that holds them; a row whose person is now away (an absence added after planning) or
declared unavailable is red, and a red notice lists those conflicts with 替换…. Selecting a row
shows the reasons of its assignments in the side panel. 固定此人 / 取消固定 / 调班… / 替换… work on
the selected cell's person (the leader by default, an officer in an officer column). The 全年负荷
tab is `ops.duty.year_loads`. Every change is one operation (desktop.ops.duty) run through `Session.run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core.cndate import cn_date, cn_date_weekday, cn_span
from desktop.core.duty import (
    HEAVY_LABELS,
    LEADER,
    OFFICER,
    READINGS,
    Candidate,
    Conflict,
    DutyRow,
    PlanScope,
    duty_days,
    month_scope,
    year_scope,
)
from desktop.core.errors import UserError
from desktop.export.profile_html import article_text
from desktop.ops.base import Changes, Entity
from desktop.store import duty
from desktop.store.calcache import calendar_for
from desktop.ui.banner import RED_STYLE, Banner
from desktop.ui.history_dialog import HISTORY_SHORTCUT, show_history
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session, show_error
from desktop.ui.widgets import empty_hint, ok_cancel, readonly_table

CONFLICT_BG = "#fdecea"
CONFLICT_FG = "#b3261e"
HEAVY_BG = "#fff6e0"
FIXED_FG = "#1f5fa8"
MUTED_FG = "#8a93a0"
NUMBERS = "一二三四五六七八九十"


def num(x) -> str:
    """2, 2.5, 0.6 (one decimal at most)."""
    if x is None:
        return "—"
    text = f"{float(x):.1f}"
    return text[:-2] if text.endswith(".0") else text


# ------------------------------------------------------------------------------------------
# The grid's rows and model
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    """One duty day of the scope: its leader and officers (stored rows) and their conflicts."""

    date: dt.date
    holiday: str | None
    heavy: str | None
    leader: DutyRow | None
    officers: tuple[DutyRow, ...]
    conflicts: tuple[Conflict, ...]

    def person(self, slot: str, index: int = 0) -> DutyRow | None:
        if slot == LEADER:
            return self.leader
        return self.officers[index] if index < len(self.officers) else None

    def conflict_of(self, row: DutyRow | None) -> Conflict | None:
        if row is None:
            return None
        return next((c for c in self.conflicts if c.person_id == row.person_id and c.slot == row.slot), None)


class Roles(IntEnum):
    Date = Qt.ItemDataRole.UserRole + 1
    Conflict = Qt.ItemDataRole.UserRole + 2  # True when the row has a conflict
    Fixed = Qt.ItemDataRole.UserRole + 3  # the cell's fixed kind (pin/swap/replace) or None


COL_DATE, COL_HOLIDAY, COL_HEAVY, COL_LEADER, COL_PHONE = range(5)
BASE_HEADERS = ("日期", "节日", "重点日", "带班领导", "电话")
LOAD_HEADERS = ("姓名", "份额", "今年天数", "目标", "重点日", "往年重点日", "各次排班")


def note_text(row: GridRow) -> str:
    """固定 / 调班:与王建国互换(原定10月7日) / 替换:原定李志强(临时出差); 冲突:张丽华外出."""
    parts = []
    people = ([row.leader] if row.leader else []) + list(row.officers)
    several = len(people) > 1
    for r in people:
        if r.fixed:
            text = r.fixed_label + (f":{r.note}" if r.note else "")
            parts.append(f"{r.name} {text}" if several and r.slot == OFFICER else text)
    for c in row.conflicts:
        parts.append(f"冲突:{c.name}{'外出' if c.kind == 'away' else '不能值班' if c.kind == 'unavailable' else '已停用'}")
    return ";".join(parts)


class DutyGridModel(QAbstractTableModel):
    """The duty days of the scope (an adapter over `GridRow`s, no logic)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.officer_columns = 0

    # -- shape
    @property
    def note_column(self) -> int:
        return COL_PHONE + 1 + self.officer_columns

    def set_rows(self, rows: list[GridRow], officer_columns: int) -> None:
        self.beginResetModel()
        self.rows = rows
        self.officer_columns = officer_columns
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BASE_HEADERS) + self.officer_columns + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < len(BASE_HEADERS):
            return BASE_HEADERS[section]
        if section < self.note_column:
            k = section - len(BASE_HEADERS)
            return "值班员" if self.officer_columns == 1 else f"值班员{NUMBERS[k] if k < len(NUMBERS) else k + 1}"
        if section == self.note_column:
            return "备注"
        return None

    def cell_person(self, row: GridRow, column: int) -> DutyRow | None:
        if column in (COL_LEADER, COL_PHONE):
            return row.leader
        if len(BASE_HEADERS) <= column < self.note_column:
            return row.person(OFFICER, column - len(BASE_HEADERS))
        return None

    def slot_of(self, column: int) -> tuple[str, int]:
        """The slot (and officer index) a column stands for; the leader for the other columns."""
        if len(BASE_HEADERS) <= column < self.note_column:
            return OFFICER, column - len(BASE_HEADERS)
        return LEADER, 0

    # -- data
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        person = self.cell_person(row, col)
        conflict = row.conflict_of(person)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_DATE:
                return cn_date_weekday(row.date, year=False)
            if col == COL_HOLIDAY:
                return row.holiday or ""
            if col == COL_HEAVY:
                return f"★{HEAVY_LABELS[row.heavy]}" if row.heavy else ""
            if col == COL_PHONE:
                return row.leader.phone if row.leader else ""
            if col == self.note_column:
                return note_text(row)
            if col == COL_LEADER or col < self.note_column:
                if person is None:
                    return "(未排)" if col == COL_LEADER or row.officers or not row.leader else ""
                return person.name
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.conflicts:
                return QBrush(QColor(CONFLICT_BG))
            if row.heavy:
                return QBrush(QColor(HEAVY_BG))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if conflict is not None and col != COL_PHONE:
                return QBrush(QColor(CONFLICT_FG))
            if col == COL_HEAVY:
                return QBrush(QColor("#a05a00"))
            if person is not None and person.fixed and col != COL_PHONE:
                return QBrush(QColor(FIXED_FG))
            if person is None and (col == COL_LEADER or len(BASE_HEADERS) <= col < self.note_column):
                return QBrush(QColor(MUTED_FG))
            if col == self.note_column and row.conflicts:
                return QBrush(QColor(CONFLICT_FG))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if person is not None and col != COL_PHONE and (person.fixed or conflict is not None):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [c.message for c in row.conflicts]
            if person is not None and col != COL_PHONE:
                lines += [f"{person.name}:"] + [f"· {r}" for r in person.reasons]
            return "\n".join(lines) or None
        if role == Roles.Date:
            return row.date.isoformat()
        if role == Roles.Conflict:
            return bool(row.conflicts)
        if role == Roles.Fixed:
            return person.fixed if person is not None else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class GridDelegate(QStyledItemDelegate):
    """A selected conflict row stays red (a darker red), so selecting it to read why keeps the warning."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.data(Roles.Conflict):
            option.palette.setColor(QPalette.ColorRole.Highlight, QColor("#e7a39b"))
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#4d0c08"))


# ------------------------------------------------------------------------------------------
# Dialogs
# ------------------------------------------------------------------------------------------


class SwapDialog(FittedDialog):
    """调班: the selected person and the person of another day of the same plan exchange days."""

    def __init__(self, target: DutyRow, others: list[DutyRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("调班")
        self.setMinimumWidth(460)
        intro = QLabel(f"<b>{escape(target.name)}</b>({escape(cn_date_weekday(target.date, year=False))})与哪一天的人互换?"
                       "<br>互换后两天的安排都固定,重新排班时保留。")
        intro.setWordWrap(True)
        self.others = others
        self.other = QComboBox()
        for r in others:
            mark = "(固定)" if r.fixed else ""
            self.other.addItem(f"{cn_date_weekday(r.date, year=False)}  {r.name}{mark}")
        form = QFormLayout()
        form.addRow("另一天 *", self.other)
        self.buttons = ok_cancel(self, "调班")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(others))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def index_of(self, day: dt.date, person_id: int) -> int:
        return next((i for i, r in enumerate(self.others) if (r.date, r.person_id) == (day, person_id)), -1)

    def choice(self) -> tuple[dt.date, int] | None:
        i = self.other.currentIndex()
        return (self.others[i].date, self.others[i].person_id) if 0 <= i < len(self.others) else None


class ReplaceDialog(FittedDialog):
    """替换: the candidates for a day (best first), with the core's reasons; a reason is required."""

    def __init__(self, target: DutyRow, candidates: list[Candidate], reason: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("临时替换")
        self.setMinimumSize(560, 420)
        intro = QLabel(f"{escape(cn_date_weekday(target.date, year=False))}原定 <b>{escape(target.name)}</b>。请选择替换人选"
                       "(按合适程度排序;灰色的当天不能安排):")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.candidates = candidates
        for c in candidates:
            status = "可以安排" if c.available else "不能安排"
            load = f"今年{c.count}天,目标{num(c.target)}天" + (",前后一天已安排" if c.adjacent else "")
            item = QListWidgetItem(f"{c.name.ljust(4, chr(0x3000))}{status}    {load}")
            item.setData(Qt.ItemDataRole.UserRole, c.person_id)
            if not c.available:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setForeground(QColor(MUTED_FG))
            item.setToolTip("\n".join(c.reasons))
            self.list.addItem(item)
        self.why = QTextBrowser()
        self.why.setMaximumHeight(140)
        self.reason = QLineEdit(reason)
        self.reason.setPlaceholderText("例如:临时出差")
        form = QFormLayout()
        form.addRow("替换原因 *", self.reason)
        self.buttons = ok_cancel(self, "替换")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.why)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._show)
        self.reason.textChanged.connect(lambda _t: self._validate())
        first = next((i for i, c in enumerate(candidates) if c.available), -1)
        self.list.setCurrentRow(first)
        self._validate()

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.candidates):
            c = self.candidates[row]
            self.why.setHtml(f"<b>{escape(c.name)}</b><ul>" + "".join(f"<li>{escape(r)}</li>" for r in c.reasons) + "</ul>")
        self._validate()

    def _validate(self) -> None:
        ok = self.person_id() is not None and bool(self.reason.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def person_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return item.data(Qt.ItemDataRole.UserRole)


# ------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------


class ReplanDialog(FittedDialog):
    """生成排班 on a scope already planned: who changes on which day (desktop.ops.duty.replan_preview),
    and the choice between 只补空缺 (the planned days stay) and planning everything again."""

    def __init__(self, store, profile, preview, keep_pins: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile, self.keep_pins = store, profile, keep_pins
        self.scope = preview.scope
        self.setWindowTitle("重新生成排班")
        self.setMinimumWidth(560)
        lines = [f"{escape(preview.scope.label)}已排带班 {preview.planned_days} 天。重新排班前请先看看谁在哪天会有变化。"]
        if preview.issued:
            lines.append(f"<b>该排班已{escape('、'.join(preview.issued))}</b>:建议“只补空缺”,"
                         "以免与已经发出的安排表不一致。")
        if preview.was_provisional and not preview.provisional:
            lines.append("<b>该排班是按暂定日历排出的</b>,放假通知现已导入:下表是按正式日历重新排班后的变化。")
        intro = QLabel("<br>".join(lines))
        intro.setWordWrap(True)
        self.fill = QRadioButton("只补空缺:已排的日子不变,只安排空着的日子(以及当天带班人已外出的日子)")
        self.full = QRadioButton("全部重新排:按全年均衡重新安排,已排的日子可能换人(固定的安排保留)")
        (self.fill if preview.recommend_fill_only else self.full).setChecked(True)
        self.fill.toggled.connect(self._update)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "原安排", "重新排班后"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = ok_cancel(self, "生成排班")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fill)
        layout.addWidget(self.full)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self._previews = {preview.fill_only: preview}
        self._update()

    def fill_only(self) -> bool:
        return self.fill.isChecked()

    def preview(self):
        wanted = self.fill_only()
        if wanted not in self._previews:
            self._previews[wanted] = ops.duty.replan_preview(self.store, self.profile, self.scope, LEADER,
                                                             keep_pins=self.keep_pins, fill_only=wanted)
        return self._previews[wanted]

    def _update(self) -> None:
        try:
            preview = self.preview()
        except UserError as exc:
            self.summary.setText(str(exc))
            self.table.setRowCount(0)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        changes = preview.changes
        self.summary.setText(f"带班领导将有 {len(changes)} 天变化:" if changes else "带班领导没有任何变化。")
        self.table.setRowCount(len(changes))
        for r, c in enumerate(changes):
            for col, text in enumerate((cn_date(c.date), "、".join(c.before) or "(空)",
                                        "、".join(c.after) or "(不再是值班日)")):
                self.table.setItem(r, col, QTableWidgetItem(text))


class DutyPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.store = session.store
        self.scope: PlanScope | None = None
        self.conflict_list: list[Conflict] = []

        # -- the scope and the planning controls
        today = self.store.clock.today()
        self.year = QSpinBox()
        self.year.setRange(2004, 2099)
        self.year.setSuffix(" 年")
        self.scope_combo = QComboBox()
        self.scope_combo.setMinimumContentsLength(20)
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.officers_check = QCheckBox("含值班员")
        self.officers_check.setToolTip("同时排值班员(每天人数见规则)")
        self.release_check = QCheckBox("释放手动指定")
        self.release_check.setToolTip("重新排班时不保留手动指定、调班和替换")
        self.plan_button = QPushButton("生成排班")
        self.plan_button.setDefault(True)
        self.plan_button.setToolTip("按规则排班:公平轮换,避开外出,保留手动指定(Ctrl+G)")
        self.plan_button.clicked.connect(self.generate)
        self.preview_button = QPushButton("打印预览…")
        self.preview_button.clicked.connect(self.print_preview)
        self.export_button = QPushButton("导出…")
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(QLabel("范围"))
        top.addWidget(self.scope_combo)
        top.addSpacing(8)
        top.addWidget(self.officers_check)
        top.addWidget(self.release_check)
        top.addWidget(self.plan_button)
        top.addStretch(1)
        top.addWidget(self.preview_button)
        top.addWidget(self.export_button)

        self.provisional_banner = Banner(button_text="重新排班…")
        self.provisional_banner.button.setToolTip("查看按正式日历重新排班后谁在哪天有变化,再决定是否重新排班")
        self.provisional_banner.button.clicked.connect(self.generate)
        self.provisional_banner.button.hide()
        self.provisional_banner.hide()
        self.conflict_box = Banner(button_text="替换…", style=RED_STYLE)
        self.conflict_box.button.setToolTip("为第一处冲突选择替换人选")
        self.conflict_box.button.clicked.connect(self.replace_first_conflict)
        self.conflict_box.hide()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold; color: #1f2f46;")
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #4a5260;")
        self.subtitle.setWordWrap(True)
        self.reading = QLabel()  # which days the profile rosters, in one sentence (issue 14)
        self.reading.setStyleSheet("color: #4a5260;")
        self.reading.setWordWrap(True)

        # -- the grid and its actions
        self.model = DutyGridModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(GridDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        empty_hint(self.table, "所选范围内没有按规则需要领导带班的日子。请在上方选择一个假期(下拉列表中列出本年的各个假期),"
                               "再点“生成排班”(Ctrl+G);已有的 Excel 值班表可用 文件 → 导入值班表…。")
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        bar = QToolBar()
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("pin", "固定此人", QKeySequence("Ctrl+P"), self.pin_selected),
            ("release", "取消固定", QKeySequence("Ctrl+Shift+R"), self.release_selected),
            ("swap", "调班…", QKeySequence("Ctrl+W"), self.swap_selected),
            ("replace", "替换…", QKeySequence("Ctrl+H"), self.replace_selected),
            ("history", "历史记录", QKeySequence(HISTORY_SHORTCUT), self.show_history),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text.rstrip('…')}({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(slot)
            bar.addAction(action)
            self.addAction(action)
            self.actions[key] = action
        generate = QAction(self)
        generate.setShortcut(QKeySequence("Ctrl+G"))
        generate.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        generate.triggered.connect(self.generate)
        self.addAction(generate)
        hint = QLabel("选中一行查看排班理由;右键可固定、调班、替换。")
        hint.setStyleSheet("color: #6b7380;")
        bar.addSeparator()
        bar.addWidget(hint)

        self.explain = QTextBrowser()
        self.explain.setOpenLinks(False)
        explain_title = QLabel("排班理由")
        explain_title.setStyleSheet("font-weight: bold; color: #22304a;")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(explain_title)
        right_layout.addWidget(self.explain, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(bar)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 300])
        splitter.setChildrenCollapsible(False)

        # -- the year's loads
        self.load_slot = QComboBox()
        self.load_slot.addItem("带班领导", LEADER)
        self.load_slot.addItem("值班员", OFFICER)
        self.load_slot.currentIndexChanged.connect(lambda _i: self.refresh_loads())
        self.load_title = QLabel()
        self.load_title.setStyleSheet("color: #22304a; font-weight: bold;")
        self.loads = readonly_table(LOAD_HEADERS)
        self.loads.horizontalHeader().setMinimumSectionSize(72)  # each column its content's width, numbers not squashed
        self.load_note = QLabel()
        self.load_note.setWordWrap(True)
        self.load_note.setStyleSheet("color: #4a5260;")
        loads_tab = QWidget()
        loads_layout = QVBoxLayout(loads_tab)
        load_top = QHBoxLayout()
        load_top.addWidget(self.load_title)
        load_top.addStretch(1)
        load_top.addWidget(QLabel("类别"))
        load_top.addWidget(self.load_slot)
        loads_layout.addLayout(load_top)
        loads_layout.addWidget(self.loads, 1)
        loads_layout.addWidget(self.load_note)

        self.tabs = QTabWidget()
        plan_tab = QWidget()
        plan_layout = QVBoxLayout(plan_tab)
        plan_layout.setContentsMargins(4, 4, 4, 4)
        plan_layout.addWidget(splitter)
        self.tabs.addTab(plan_tab, "排班表")
        self.tabs.addTab(loads_tab, "全年负荷")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.provisional_banner)
        layout.addWidget(self.conflict_box)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle, 1)
        layout.addLayout(heading)
        layout.addWidget(self.reading)
        layout.addWidget(self.tabs, 1)

        self.table.selectionModel().currentChanged.connect(lambda *_: self._selection_changed())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.year.valueChanged.connect(lambda _y: self._fill_scopes())
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        session.changed.connect(self._on_changed)

        year, key = self._default_scope(today)
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)
        self._fill_scopes(select=key)

    # ------------------------------------------------------------------ scope
    def _default_scope(self, today: dt.date) -> tuple[int, tuple]:
        """The next holiday block from today (this year or the next), else the whole year."""
        for year in (today.year, today.year + 1):
            try:
                blocks = duty.year_blocks(self.store, year)
            except UserError:
                continue
            for block in blocks:
                if block.end >= today:
                    return year, ("holiday", block.name)
        return today.year, ("year", None)

    def _fill_scopes(self, select: tuple | None = None) -> None:
        year = self.year.value()
        current = select or self.scope_combo.currentData()
        try:
            blocks = duty.year_blocks(self.store, year)
        except UserError:
            blocks = []
        planned = {(p.start, p.end) for p in duty.plans(self.store, year)}
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        mark = " · 已排"
        whole = year_scope(year)
        self.scope_combo.addItem("全年" + (mark if (whole.start, whole.end) in planned else ""), ("year", None))
        for b in blocks:
            span = cn_span(b.start, b.end, year=False, sep="—")
            self.scope_combo.addItem(f"{b.name}({span}){mark if (b.start, b.end) in planned else ''}", ("holiday", b.name))
        for m in range(1, 13):
            s = month_scope(year, m)
            self.scope_combo.addItem(f"{m}月" + (mark if (s.start, s.end) in planned else ""), ("month", m))
        items = [tuple(self.scope_combo.itemData(i)) for i in range(self.scope_combo.count())]
        current = tuple(current) if current else None
        index = items.index(current) if current in items else -1
        if index < 0 and current and current[0] == "holiday":  # 国庆节 also finds 国庆节、中秋节
            index = next((i for i, (kind, name) in enumerate(items)
                          if kind == "holiday" and current[1] in name.split("、")), -1)
        self.scope_combo.setCurrentIndex(max(index, 0))
        self.scope_combo.blockSignals(False)
        self.refresh()

    def set_scope(self, year: int, kind: str, value: str | int | None = None) -> None:
        """Show a scope: ("year", None), ("holiday", "国庆节") or ("month", 10)."""
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)
        self._fill_scopes(select=(kind, value))

    def current_scope(self) -> PlanScope:
        year = self.year.value()
        kind, value = self.scope_combo.currentData() or ("year", None)
        if kind == "holiday":
            for b in duty.year_blocks(self.store, year):
                if b.name == value:
                    return PlanScope(b.start, b.end, f"{year}年{b.name}")
            return duty.holiday_plan_scope(self.store, year, value)
        if kind == "month":
            return month_scope(year, value)
        return year_scope(year)

    # ------------------------------------------------------------------ data
    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.duty_plan, Entity.duty_quota, Entity.duty_unavailable, Entity.calendar):
            self._fill_scopes()  # the scope list marks the planned scopes; a notice changes the blocks
        elif changes.touches(Entity.absence, Entity.person, Entity.ab_pair, Entity.org):
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_row()
        try:
            before = self.scope
            self.scope = self.current_scope()
            if before is None or (before.start, before.end) != (self.scope.start, self.scope.end):
                # a scope whose officers are planned re-plans them too, unless the user says otherwise
                self.officers_check.setChecked(
                    duty.plan_for(self.store, self.scope.start, self.scope.end, OFFICER) is not None)
            self._load()
        except UserError as exc:
            self.model.set_rows([], 0)
            self.title.setText("值班排班")
            self.subtitle.setText(str(exc))
            self.conflict_box.hide()
            self.provisional_banner.hide()
        if selected is not None:
            self.select_date(selected.date)
        self._selection_changed()
        self.refresh_loads()

    def _load(self) -> None:
        scope = self.scope
        profile = self.session.profile
        assert scope is not None
        calendar = calendar_for(self.store, scope.end.year + 1)
        wanted = duty_days(calendar, profile.duty, scope.start, scope.end) if profile else []
        stored = duty.rows_between(self.store, scope.start, scope.end)
        plan_ids = list(dict.fromkeys(r.plan_id for r in stored))
        conflicts: list[Conflict] = []
        for pid in plan_ids:
            conflicts += [c for c in ops.duty.conflicts(self.store, pid) if scope.start <= c.date <= scope.end]
        conflicts.sort(key=lambda c: (c.date, c.slot != LEADER))
        self.conflict_list = conflicts
        by_day: dict[dt.date, list[DutyRow]] = {}
        for r in stored:
            by_day.setdefault(r.date, []).append(r)
        info: dict[dt.date, tuple[str | None, str | None]] = {d.date: (d.holiday, d.heavy) for d in wanted}
        for d, rows in by_day.items():
            info.setdefault(d, (rows[0].holiday, rows[0].heavy))
        grid: list[GridRow] = []
        for d in sorted(info):
            rows = by_day.get(d, [])
            leader = next((r for r in rows if r.slot == LEADER), None)
            officers = tuple(r for r in rows if r.slot == OFFICER)
            grid.append(GridRow(d, info[d][0], info[d][1], leader, officers,
                                tuple(c for c in conflicts if c.date == d)))
        officer_columns = max((len(g.officers) for g in grid), default=0)
        self.model.set_rows(grid, officer_columns)
        self._size_columns()

        self.leader_plan = duty.plan_for(self.store, scope.start, scope.end, LEADER)
        infos = [duty.get_plan(self.store, pid) for pid in plan_ids]
        self.plan_infos = infos
        stale = profile is not None and ops.duty.stale_provisional(self.store, profile, plan_ids)
        provisional = calendar.span_is_provisional(scope.start, scope.end) or any(i.provisional for i in infos)
        if stale:  # the notice came after the plan was made: say so, offer the re-plan with its diff
            self.provisional_banner.set_text(
                f"{scope.label}的排班是按暂定日历排出的,{scope.end.year}年的放假通知现已导入,值班日可能已经变化。"
                "请点“重新排班…”查看谁在哪天有变化,再重新排班(可只补空缺)。")
        elif provisional:
            self.provisional_banner.set_text(
                f"{scope.label}的值班日按暂定日历排出:该年的国务院放假通知尚未导入,暂定日历只含法定节日、不含调休。"
                "通知公布后请在“文件 → 导入放假通知”中导入,再重新生成排班。")
        self.provisional_banner.button.setVisible(stale and self.session.can("record"))
        self.provisional_banner.setVisible(provisional or stale)
        self._fill_conflicts()

        n_days = len(grid)
        planned = sum(1 for g in grid if g.leader is not None)
        article = article_text(profile.duty.article, profile) if profile and profile.duty.article else ""
        self.reading.setText(f"值班日:{READINGS[profile.duty.days]}" + (f"〔{article}〕" if article else "")
                             if profile else "")
        self.title.setText(f"{scope.label}值班安排")
        if not stored:
            self.subtitle.setText(f"{n_days} 个值班日,尚未排班:点“生成排班”按规则排出。")  # the article: self.reading
        else:
            fixed = sum(1 for r in stored if r.fixed)
            labels = "、".join(dict.fromkeys(i.label for i in infos if i.label != scope.label))
            parts = [f"{n_days} 个值班日,已排带班 {planned} 天"]
            if any(r.slot == OFFICER for r in stored):
                parts.append("含值班员")
            if fixed:
                parts.append(f"固定 {fixed} 处")
            if labels:
                parts.append(f"部分来自{labels}的排班")
            self.subtitle.setText(",".join(parts))
        has_plan = bool(infos)
        self.preview_button.setEnabled(has_plan)
        self.export_button.setEnabled(has_plan)
        self.plan_button.setEnabled(self.session.can("record"))
        self.conflict_box.button.setEnabled(self.session.can("record"))

    def _size_columns(self) -> None:
        widths = {COL_DATE: 118, COL_HOLIDAY: 96, COL_HEAVY: 108, COL_LEADER: 84, COL_PHONE: 104}
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)
        for k in range(self.model.officer_columns):
            self.table.setColumnWidth(len(BASE_HEADERS) + k, 72)

    def _fill_conflicts(self) -> None:
        found = self.conflict_list
        if not found:
            self.conflict_box.hide()
            return
        lines = [escape(c.message) for c in found[:3]]
        more = f"<br>……另有 {len(found) - 3} 处" if len(found) > 3 else ""
        self.conflict_box.label.setText(f"<b>冲突 {len(found)} 处</b>:排班后登记的外出或不能值班(表中红色行)。<br>"
                                        + "<br>".join(lines) + more)
        self.conflict_box.show()

    # ------------------------------------------------------------------ selection
    def selected_row(self) -> GridRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            rows = self.table.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        return self.model.rows[index.row()] if 0 <= index.row() < len(self.model.rows) else None

    def selected_person(self) -> DutyRow | None:
        """The person of the selected cell: an officer in an officer column, the leader otherwise."""
        row = self.selected_row()
        if row is None:
            return None
        index = self.table.currentIndex()
        slot, k = self.model.slot_of(index.column() if index.isValid() else COL_LEADER)
        return row.person(slot, k) or row.leader

    def select_date(self, day: dt.date, column: int = COL_LEADER) -> bool:
        for i, r in enumerate(self.model.rows):
            if r.date == day:
                index = self.model.index(i, column)
                self.table.setCurrentIndex(index)
                self.table.selectRow(i)
                self.table.setCurrentIndex(index)
                return True
        return False

    def _selection_changed(self) -> None:
        row = self.selected_row()
        person = self.selected_person()
        has = person is not None and self.session.can("record")  # not for 只读 (desktop.core.access)
        self.actions["pin"].setEnabled(has and not person.fixed)
        self.actions["release"].setEnabled(has and bool(person.fixed))
        self.actions["swap"].setEnabled(has)
        self.actions["replace"].setEnabled(has)
        self.actions["history"].setEnabled(self.print_plan_id() is not None)
        self.explain.setHtml(self._explain_html(row) if row else
                             "<p style='color:#6b7380'>选中表中的一天,这里显示为什么安排这个人。</p>")

    def _explain_html(self, row: GridRow) -> str:
        parts = [f"<h3 style='margin:0'>{escape(cn_date_weekday(row.date, year=False))}</h3>"]
        meta = [x for x in (row.holiday, f"★{HEAVY_LABELS[row.heavy]}(重点日)" if row.heavy else None) if x]
        if meta:
            parts.append(f"<p style='color:#4a5260;margin-top:2px'>{escape(' · '.join(meta))}</p>")
        people = ([row.leader] if row.leader else []) + list(row.officers)
        if not people:
            parts.append("<p style='color:#6b7380'>尚未排班。</p>")
        for r in people:
            noun = duty.SLOT_LABELS[r.slot]
            fixed = f" <span style='color:{FIXED_FG}'>【{escape(r.fixed_label)}】</span>" if r.fixed else ""
            parts.append(f"<p style='margin-bottom:2px'><b>{noun}:{escape(r.name)}</b>{fixed}"
                         f"<br><span style='color:#4a5260'>{escape(r.title)} {escape(r.phone)}</span></p>")
            conflict = row.conflict_of(r)
            if conflict is not None:
                parts.append(f"<p style='color:{CONFLICT_FG};margin:2px 0'><b>冲突:</b>{escape(conflict.message)}</p>")
            if r.note and r.fixed:
                parts.append(f"<p style='margin:2px 0'>{escape(r.note)}</p>")
            parts.append("<ul style='margin-top:2px'>" + "".join(f"<li>{escape(x)}</li>" for x in r.reasons) + "</ul>")
        return "".join(parts)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        for key in ("pin", "release", "swap", "replace", "history"):
            menu.addAction(self.actions[key])
        menu.exec(self.table.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ operations
    def show_history(self) -> None:
        """历史记录 of the plan shown (the selected row's): generations, pins, swaps, replacements."""
        plan_id = self.print_plan_id()
        if plan_id is not None:
            show_history(self, self.store, "duty_plan", plan_id, duty.get_plan(self.store, plan_id).title)

    def version_of(self, plan_id: int) -> int | None:
        """The version of a plan as this page shows it: a change saved since then by someone else is refused."""
        return next((i.version for i in getattr(self, "plan_infos", []) if i.id == plan_id), None)

    def reload_record(self, _exc) -> None:
        """重新载入 after a refused change (someone else changed the plan meanwhile)."""
        if self.scope is not None:
            self._load()

    def _run(self, operation, *args, **kwargs):
        profile = self.session.profile
        if profile is None:
            show_error(self, "尚未设置单位和规则,不能排班。")
            return None
        return self.session.run(self, operation, profile, *args, **kwargs)

    def generate(self) -> None:
        """生成排班: a scope already planned asks first (ReplanDialog: who changes on which day,
        只补空缺 or all again — 只补空缺 first once the roster was printed or exported)."""
        scope = self.scope or self.current_scope()
        keep = not self.release_check.isChecked()
        profile = self.session.profile
        if profile is None:
            show_error(self, "尚未设置单位和规则,不能排班。")
            return
        fill_only = False
        try:
            preview = ops.duty.replan_preview(self.store, profile, scope, LEADER, keep_pins=keep)
        except UserError as exc:
            show_error(self, str(exc))
            return
        expected = self.leader_plan.version if getattr(self, "leader_plan", None) is not None else None
        if preview.already_planned:
            dialog = ReplanDialog(self.store, profile, preview, keep, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            fill_only = dialog.fill_only()
        saved = self._run(ops.duty.plan, scope, LEADER, keep_pins=keep, fill_only=fill_only, expected_version=expected)
        if saved is not None and self.officers_check.isChecked():
            self._run(ops.duty.plan, scope, OFFICER, keep_pins=keep, fill_only=fill_only)

    def pin_selected(self) -> None:
        p = self.selected_person()
        if p is not None and not p.fixed:
            self._run(ops.duty.pin, p.plan_id, p.date, p.person_id, expected_version=self.version_of(p.plan_id))

    def release_selected(self) -> None:
        p = self.selected_person()
        if p is not None and p.fixed:
            self._run(ops.duty.release, p.plan_id, p.date, p.person_id, expected_version=self.version_of(p.plan_id))

    def swap_selected(self) -> None:
        p = self.selected_person()
        if p is None:
            return
        others = [r for r in duty.load_plan(self.store, p.plan_id).rows if r.date != p.date]
        dialog = SwapDialog(p, others, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice() is None:
            return
        other_date, other_person = dialog.choice()
        several = p.slot == OFFICER
        self._run(ops.duty.swap, p.plan_id, p.date, other_date, p.person_id if several else None,
                  other_person if several else None, expected_version=self.version_of(p.plan_id))
        self.select_date(p.date)

    def replace_selected(self) -> None:
        p = self.selected_person()
        if p is not None:
            self.replace_person(p)

    def replace_first_conflict(self) -> None:
        if not self.conflict_list:
            return
        c = self.conflict_list[0]
        row = next((g for g in self.model.rows if g.date == c.date), None)
        person = next((r for r in ([row.leader] if row and row.leader else []) + list(row.officers if row else ())
                       if r.person_id == c.person_id and r.slot == c.slot), None)
        if person is not None:
            self.select_date(c.date)
            self.replace_person(person)

    def replace_person(self, p: DutyRow) -> None:
        profile = self.session.profile
        if profile is None:
            return
        conflict = next((c for c in self.conflict_list if c.date == p.date and c.person_id == p.person_id), None)
        reason = ""
        if conflict is not None and conflict.absence_id is not None:
            from desktop.store.absences import get_absence

            a = get_absence(self.store, conflict.absence_id)
            reason = f"{a.kind.label}{' ' + a.destination if a.destination else ''}"
        try:
            cands = ops.duty.candidates(self.store, profile, p.plan_id, p.date, p.person_id, reason)
        except UserError as exc:
            show_error(self, str(exc))
            return
        dialog = ReplaceDialog(p, cands, reason, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.person_id() is None:
            return
        self._run(ops.duty.replace, p.plan_id, p.date, dialog.person_id(), dialog.reason.text().strip(), p.person_id,
                  expected_version=self.version_of(p.plan_id))
        self.select_date(p.date)

    # ------------------------------------------------------------------ printing
    def print_plan_id(self) -> int | None:
        """The plan to print: the scope's own leader plan, else the selected row's, else the first shown."""
        if getattr(self, "leader_plan", None) is not None:
            return self.leader_plan.id
        p = self.selected_person()
        if p is not None:
            return p.plan_id
        infos = getattr(self, "plan_infos", [])
        return infos[0].id if infos else None

    def print_preview(self) -> None:
        plan_id = self.print_plan_id()
        if plan_id is None:
            return
        from desktop.ui.duty_print import preview_roster

        preview_roster(self.session, plan_id, self)

    def export(self) -> None:
        plan_id = self.print_plan_id()
        if plan_id is None:
            return
        from desktop.ui.duty_print import export_roster

        export_roster(self.session, plan_id, self)

    # ------------------------------------------------------------------ loads
    def refresh_loads(self) -> None:
        profile = self.session.profile
        year = self.year.value()
        slot = self.load_slot.currentData()
        if profile is None:
            self.loads.setRowCount(0)
            return
        lines = ops.duty.year_loads(self.store, profile, year, slot)
        noun = duty.SLOT_LABELS[slot]
        self.load_title.setText(f"{year}年{noun}负荷(全部排班合计)")
        self.loads.setRowCount(len(lines) + 1)
        total_days = sum(x.days for x in lines)
        total_target = sum((x.target for x in lines if x.target is not None), 0)
        heavy_total = sum(len(x.heavy_days) for x in lines)
        for r, x in enumerate(lines):
            heavy = x.heavy_labels
            plans = ";".join(f"{label.removeprefix(f'{year}年')} {n} 天" for _pid, label, n in x.by_plan)
            cells = (x.name, num(x.quota) if x.quota is not None else "不在轮值", str(x.days), num(x.target),
                     heavy, num(x.heavy_history), plans or "今年尚未安排")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(";".join(f"{label} {n} 天" for _pid, label, n in x.by_plan) or "今年尚未安排")
                if c in (1, 2, 3, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 2 and x.target is not None and abs(x.days - float(x.target)) >= 1:
                    item.setForeground(QColor("#a05a00"))
                if x.quota is None:
                    item.setForeground(QColor(MUTED_FG))
                self.loads.setItem(r, c, item)
        bold = QFont()
        bold.setBold(True)
        for c, text in enumerate(("合计", "", str(total_days), num(total_target), f"{heavy_total} 天", "", "")):
            item = QTableWidgetItem(text)
            item.setFont(bold)
            item.setBackground(QColor("#eef2f7"))
            if c in (2, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.loads.setItem(len(lines), c, item)
        share = f"主要负责人份额 {num(profile.duty.chief_share)}," if slot == LEADER else ""
        self.load_note.setText(
            f"目标 = 份额 × 今年已排天数 ÷ 份额合计;{share}重点日(除夕、春节初一、国庆10月1日)按规则权重计入往年重点日"
            f"(除夕 {num(profile.duty.heavy_days.eve)}、初一 {num(profile.duty.heavy_days.spring_day1)}、"
            f"国庆 {num(profile.duty.heavy_days.national_day1)})。")

    def load_rows(self) -> list[list[str]]:
        """The load table's texts (for tests and screenshots)."""
        return [[self.loads.item(r, c).text() if self.loads.item(r, c) else "" for c in range(self.loads.columnCount())]
                for r in range(self.loads.rowCount())]

