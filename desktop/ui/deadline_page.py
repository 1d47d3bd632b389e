"""期限计算 page: N working (or natural) days after a date, on the official holiday calendar.

The result is live: it follows every change of the start date, the number and the unit, says
how many rest days it skipped (and which holidays), and warns when a provisional year was used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.citation import cite
from desktop.core.cndate import cn_date, cn_date_weekday, cn_weekday
from desktop.core.errors import UserError
from desktop.core.profile import DayUnit, Deadline, Profile
from desktop.core.workcal import LATE_DECEMBER_FROM, CalendarGapError, WorkCalendar
from desktop.export.month_html import day_list_text
from desktop.export.profile_html import article_text
from desktop.ops.base import Changes, Entity
from desktop.store import calendar
from desktop.ui.notice_dialog import Banner, open_notice_dialog
from desktop.ui.session import Session
from desktop.ui.widgets import date_edit

CUSTOM = "custom"

RULE_TEXT = (
    "<b>计算规则</b>:起始日不计算在内,从次日起算;第N个工作日即为期限(参照《民法典》第二百零一条)。"
    "工作日以国务院办公厅放假通知为准:节假日和周末不计,调休上班日计为工作日,遇节假日顺延,期限不会落在休息日。"
    "负数表示“提前N个工作日”,即起始日之前的第N个工作日。"
    "按自然日计算时,第N天即为期限;勾选“遇休息日顺延”后,落在休息日的期限顺延至其后第一个工作日"
    "(提前计算时提前至其前一个工作日)。"
)


@dataclass(frozen=True)
class DeadlineResult:
    """What the page shows: the date, and the facts behind it."""

    date: date
    provisional: bool
    skipped_rest_days: int
    holidays: tuple[str, ...]  # the holidays among the skipped days
    holiday_days: int
    weekend_days: int
    makeup_days: tuple[date, ...]  # 调休上班 days counted as working days
    provisional_years: tuple[int, ...]


def _span(start: date, end: date) -> list[date]:
    """Every day from start to end, both included (in either order)."""
    lo, hi = min(start, end), max(start, end)
    return [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]


def compute(cal: WorkCalendar, start: date, n: int, unit: DayUnit, roll: bool) -> DeadlineResult:
    """The deadline and its explanation; raises CalendarGapError outside the calendar."""
    if unit is DayUnit.workdays:
        r = cal.add_workdays_ex(start, n)
        result, provisional, skipped = r.date, r.provisional, r.skipped_rest_days
        if n > 0:
            days = _span(start + timedelta(days=1), result) if result > start else []
        elif n < 0:
            days = _span(result, start - timedelta(days=1))
        else:
            days = _span(start, result - timedelta(days=1)) if result > start else []
    else:
        raw = start + timedelta(days=n)
        result = cal.add_days(start, n, ("forward" if n >= 0 else "backward") if roll else "none")
        skipped = abs((result - raw).days)
        provisional = cal.span_is_provisional(raw, result)
        if result > raw:
            days = _span(raw, result - timedelta(days=1))
        elif result < raw:
            days = _span(result + timedelta(days=1), raw)
        else:
            days = []
    names: Counter[str] = Counter()
    weekend = holiday = 0
    makeup = []
    for d in days:
        e = cal.entry(d)
        if not e.rest:
            if d.weekday() >= 5:
                makeup.append(d)
        elif e.name:
            holiday += 1
            names[e.name] += 1
        else:
            weekend += 1
    prov_years: tuple[int, ...] = ()
    if provisional:
        years = sorted({d.year for d in (*days, start, result)})
        prov_years = tuple(y for y in years if cal.covers(date(y, 1, 1)) and cal.year_source(y) == "provisional")
    return DeadlineResult(result, provisional, skipped, tuple(names), holiday, weekend, tuple(makeup), prov_years)


def preset_text(deadline: Deadline, profile: Profile | None = None) -> str:
    """`征求意见、会签回复 7个工作日 〔第四十九条〕`."""
    basis = article_text(deadline.article, profile)
    cite = f" 〔{basis}〕" if basis else ""
    return f"{deadline.label} {deadline.days}{deadline.unit.label}{cite}"


class DeadlinePage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._cal: WorkCalendar | None = None
        self._through = 0
        self._syncing = False
        self.result: DeadlineResult | None = None

        today = self.today()
        self.start = date_edit()
        self.start.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.start.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.start.setMaximumDate(QDate(calendar.LAST_SUPPORTED_YEAR, 12, 31))
        self.start.setDate(QDate(today.year, today.month, today.day))
        self.start.setMinimumWidth(150)
        self.start_info = QLabel()
        self.start_info.setStyleSheet("color: #555;")
        self.today_button = QPushButton("今天")
        self.preset = QComboBox()
        self.preset.setMinimumWidth(320)
        self.days = QSpinBox()
        self.days.setRange(-999, 999)
        self.days.setValue(7)
        self.days.setMinimumWidth(80)
        self.days.setToolTip("负数表示提前,例如 -3 即起始日之前的第3个工作日")
        self.unit = QComboBox()
        self.unit.addItem("工作日", DayUnit.workdays)
        self.unit.addItem("自然日", DayUnit.natural)
        self.roll = QCheckBox("遇休息日顺延")
        self.roll.setChecked(True)

        self.result_date = QLabel()
        self.result_date.setStyleSheet("font-size: 20pt; font-weight: bold; color: #1f4e8c;")
        self.result_date.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_detail = QLabel()
        self.result_detail.setWordWrap(True)
        self.result_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = Banner(button_text="导入放假通知…")
        self.warning.action.connect(lambda: open_notice_dialog(self.session, self))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")

        start_row = QHBoxLayout()
        start_row.addWidget(self.start)
        start_row.addWidget(self.today_button)
        start_row.addWidget(self.start_info, 1)
        count_row = QHBoxLayout()
        count_row.addWidget(self.days)
        count_row.addWidget(self.unit)
        count_row.addWidget(self.roll)
        count_row.addStretch(1)
        form = QFormLayout()
        form.addRow("起始日:", start_row)
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset)
        preset_row.addStretch(1)
        form.addRow("期限依据:", preset_row)
        form.addRow("期限:", count_row)
        inputs = QGroupBox("计算条件")
        inputs.setLayout(form)

        result_box = QGroupBox("期限")
        result_layout = QVBoxLayout(result_box)
        result_layout.addWidget(self.result_date)
        result_layout.addWidget(self.result_detail)
        result_layout.addWidget(self.error)
        result_layout.addWidget(self.warning)

        rule = QLabel(RULE_TEXT)
        rule.setWordWrap(True)
        rule.setStyleSheet("color: #555;")
        rule.setFrameShape(QFrame.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.addWidget(inputs)
        layout.addWidget(result_box)
        layout.addWidget(rule)
        layout.addStretch(1)

        self.start.dateChanged.connect(lambda _d: self.recompute())
        self.today_button.clicked.connect(self.go_today)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.days.valueChanged.connect(self._inputs_changed)
        self.unit.currentIndexChanged.connect(self._inputs_changed)
        self.roll.toggled.connect(lambda _c: self.recompute())
        session.changed.connect(self._on_changed)
        self._fill_presets()
        self._update_minimum()
        self.recompute()

    # -- data
    def today(self) -> date:
        return self.session.store.clock.today()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.calendar):
            self._cal = None
            self._through = 0
            self._update_minimum()
            self.recompute()
        if changes.touches(Entity.org):
            self._fill_presets()

    def _update_minimum(self) -> None:
        years = calendar.stored_years(self.session.store)
        if years:
            self.start.setMinimumDate(QDate(min(years), 1, 1))

    def calendar(self, through: int) -> WorkCalendar:
        if self._cal is None or through > self._through:
            self._cal = calendar.load_calendar(self.session.store, through)
            self._through = through
        return self._cal

    def _fill_presets(self) -> None:
        profile = self.session.profile
        self._syncing = True
        self.preset.clear()
        for deadline in profile.deadlines if profile else ():
            self.preset.addItem(preset_text(deadline, profile), deadline)
            if profile:
                self.preset.setItemData(self.preset.count() - 1, cite(deadline.article, profile),
                                        Qt.ItemDataRole.ToolTipRole)
        self.preset.addItem("自定义", CUSTOM)
        self._syncing = False
        self._preset_chosen(0)

    # -- inputs
    def set_start(self, day: date) -> None:
        self.start.setDate(QDate(day.year, day.month, day.day))

    def go_today(self) -> None:
        self.set_start(self.today())

    def choose_preset(self, deadline_id: str) -> None:
        for i in range(self.preset.count()):
            data = self.preset.itemData(i)
            if isinstance(data, Deadline) and data.id == deadline_id:
                self.preset.setCurrentIndex(i)
                return
        raise KeyError(deadline_id)

    def _preset_chosen(self, index: int) -> None:
        if self._syncing:
            return
        data = self.preset.itemData(index)
        if isinstance(data, Deadline):
            self._syncing = True
            self.days.setValue(data.days)
            self.unit.setCurrentIndex(self.unit.findData(data.unit))
            self._syncing = False
        self.recompute()

    def _inputs_changed(self) -> None:
        if self._syncing:
            return
        data = self.preset.currentData()
        if isinstance(data, Deadline) and (data.days, data.unit) != (self.days.value(), DayUnit(self.unit.currentData())):
            self._syncing = True
            self.preset.setCurrentIndex(self.preset.count() - 1)  # 自定义
            self._syncing = False
        self.recompute()

    # -- result
    def recompute(self) -> None:
        start: date = self.start.date().toPython()  # type: ignore[assignment]
        n = self.days.value()
        unit = DayUnit(self.unit.currentData())
        natural = unit is DayUnit.natural
        self.roll.setVisible(natural)
        self.roll.setText("遇休息日顺延" if n >= 0 else "遇休息日提前")
        self.result = None
        self.warning.hide()
        self.error.hide()
        try:
            cal = self.calendar(min(calendar.LAST_SUPPORTED_YEAR, start.year + 2 + abs(n) // 200))
            self.start_info.setText(self._day_status(cal, start))
            result = compute(cal, start, n, unit, natural and self.roll.isChecked())
        except CalendarGapError as exc:
            self._show_error(self._gap_message(exc.year))
            return
        except UserError as exc:
            self._show_error(str(exc))
            return
        self.result = result
        self.result_date.setText(cn_date_weekday(result.date))
        self.result_detail.setText(self._explain(cal, start, n, unit, result))
        self.result_detail.show()
        if result.provisional:
            if result.provisional_years:
                years = "、".join(f"{y}年" for y in result.provisional_years)
                text = (f"注意:计算用到了{years}的暂定日历(尚无国务院放假通知,只含法定节日,不含调休),"
                        "结果可能变化。国务院办公厅的通知公布后,请导入通知并重新核对期限。")
            else:
                text = (f"注意:计算涉及{start.year if start.month == 12 else result.date.year}年12月"
                        f"{LATE_DECEMBER_FROM}日以后的日期,这些日期可能被下一年的放假通知调整(例如元旦调休),"
                        "结果可能变化。通知公布后,请导入通知并重新核对期限。")
            self.warning.set_text(text)
            self.warning.show()

    def _show_error(self, message: str) -> None:
        self.result_date.setText("—")
        self.result_detail.setText("")
        self.result_detail.hide()
        self.error.setText(message)
        self.error.show()

    def _gap_message(self, year: int) -> str:
        years = calendar.stored_years(self.session.store)
        if years and year < min(years):
            return f"无法计算:日历数据从{min(years)}年开始,{year}年没有节假日数据。"
        if year > calendar.LAST_SUPPORTED_YEAR:
            return f"无法计算:本程序的日历支持到{calendar.LAST_SUPPORTED_YEAR}年。"
        return f"无法计算:{year}年没有节假日数据。请导入国务院办公厅的放假通知。"

    @staticmethod
    def _day_status(cal: WorkCalendar, d: date) -> str:
        e = cal.entry(d)
        weekday = cn_weekday(d)
        if e.rest:
            state = f"休息日({e.name})" if e.name else "休息日"
        else:
            state = f"工作日({e.name})" if e.name else "工作日"
        return f"{weekday} · {state}" + (" · 暂定" if cal.is_provisional(d) else "")

    @staticmethod
    def _explain(cal: WorkCalendar, start: date, n: int, unit: DayUnit, r: DeadlineResult) -> str:
        s = cn_date(start)
        lines = []
        if unit is DayUnit.workdays:
            if n > 0:
                lines.append(f"自{s}(不含当日)起算的第{n}个工作日。")
            elif n < 0:
                lines.append(f"{s}之前(不含当日)的第{-n}个工作日。")
            else:
                lines.append(f"{s}当日;如为休息日,则为其后第一个工作日。")
        else:
            raw = start + timedelta(days=n)
            lines.append(f"{s}{'之后' if n >= 0 else '之前'}第{abs(n)}个自然日是{cn_date_weekday(raw)}"
                         + ("。" if r.date == raw else f",遇休息日{'顺延' if n >= 0 else '提前'}。"))
            if r.date == raw and not cal.is_workday(raw):
                e = cal.entry(raw)
                lines.append(f"该日是休息日{'(' + e.name + ')' if e.name else ''},未顺延。")
        if r.skipped_rest_days:
            parts = []
            if r.holiday_days:
                parts.append(f"节假日{r.holiday_days}天:{'、'.join(r.holidays)}")
            if r.weekend_days:
                parts.append(f"周末{r.weekend_days}天")
            lines.append(f"跳过{r.skipped_rest_days}个休息日({';'.join(parts)})。")
        elif unit is DayUnit.workdays and n != 0:
            lines.append("期间没有休息日。")
        if r.makeup_days:
            lines.append(f"{day_list_text(r.makeup_days, weekday=True)}为调休上班日,计为工作日。")
        return "".join(lines)
