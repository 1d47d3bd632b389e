"""部门值班: the departments' holiday duty rosters (001 art.57: 市政府各部门应当实行24小时值班和领导带班制度).

Pick a year and a holiday: the left list shows every unit (a 单位录入员: his own only) and whether it
has sent its roster (已报送 / 缺 N 天 / 未报送); the right table the selected unit's days — 带班领导,
职务, 电话, 值班员 with their phones. 填报这一天… enters one day (desktop.ops.dept_rosters.set_day),
导入单位模板… a unit's filled template, 生成模板… the template to hand out; 打印预览…, 导出 PDF… and
导出 Excel… make the combined city-wide roster (desktop.export.dept_roster_doc). The page refreshes on
every change of a roster, a unit or the calendar, from this seat or another.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core import dept_roster as core
from desktop.core.cndate import cn_date_weekday, cn_weekday
from desktop.core.errors import UserError
from desktop.ops.base import Changes, Entity
from desktop.ops.dept_rosters import Combined, UnitStatus
from desktop.ui.screen_fit import FittedDialog
from desktop.ui.session import Session, show_error
from desktop.ui.widgets import ok_cancel, readonly_table

SENT_COLOR, PART_COLOR, NONE_COLOR = "#1e7b34", "#a05a00", "#b3261e"


class DayDialog(FittedDialog):
    """One day of a unit's roster: the 带班领导 (post, phone) and the 值班员, one a line: 姓名 电话."""

    def __init__(self, unit: str, day: dt.date, lines: list[core.DutyLine], parent: QWidget | None = None):
        super().__init__(parent)
        self.day = day
        self.setWindowTitle(f"填报 {unit} {cn_date_weekday(day, year=False)}")
        lead = next((x for x in lines if x.slot == core.LEADER), None)
        self.leader = QLineEdit(lead.name if lead else "")
        self.title_edit = QLineEdit(lead.title if lead else "")
        self.title_edit.setPlaceholderText("例如 副局长")
        self.phone = QLineEdit(lead.phone if lead else "")
        self.officers = QPlainTextEdit("\n".join(f"{x.name} {x.phone}" for x in lines if x.slot != core.LEADER))
        self.officers.setPlaceholderText("每行一位:姓名 电话,例如\n张三 13800000000")
        self.officers.setFixedHeight(96)
        form = QFormLayout()
        form.addRow("带班领导", self.leader)
        form.addRow("职务", self.title_edit)
        form.addRow("联系电话", self.phone)
        form.addRow("值班员", self.officers)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "保存"))

    def officer_list(self) -> list[tuple[str, str]]:
        return [core.parse_officers(line) for line in self.officers.toPlainText().splitlines() if line.strip()]


class DeptRosterPage(QWidget):
    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.store = session.store
        self.combined: Combined | None = None
        today = self.store.clock.today()
        self.year = QSpinBox()
        self.year.setRange(2004, 2099)
        self.year.setValue(today.year + (not self._holidays_ahead(today)))  # after 国庆: next year's 元旦
        self.holiday = QComboBox()
        self.holiday.setMinimumWidth(160)
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #22304a;")
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(QLabel("假期"))
        top.addWidget(self.holiday)
        top.addWidget(self.summary, 1)
        basis = QLabel("各部门、乡镇(街道)应实行24小时值班和领导带班制度:节前报送本单位每天的带班领导、值班员及联系电话,"
                       "由政府办公室汇总。")
        basis.setWordWrap(True)
        basis.setStyleSheet("color: #5f6b7a;")

        self.units = readonly_table(["单位", "报送情况"])
        self.units.itemSelectionChanged.connect(self._show_unit)
        self.days = readonly_table(["日期", "星期", "带班领导", "职务", "联系电话", "值班员及电话"])
        self.days.itemDoubleClicked.connect(lambda _item: self.enter_day())
        self.days.itemSelectionChanged.connect(self._update_enter)
        self.days.horizontalHeader().setStretchLastSection(True)
        self.units.horizontalHeader().setStretchLastSection(True)
        self.unit_title = QLabel()
        self.unit_title.setStyleSheet("font-weight: bold; color: #22304a;")

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot in (("enter", "填报这一天…", self.enter_day), ("import", "导入单位模板…", self.import_file),
                                ("template", "生成模板…", self.make_template), ("preview", "打印预览…", self.preview),
                                ("pdf", "导出 PDF…", self.export_pdf), ("xlsx", "导出 Excel…", self.export_xlsx)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.units)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.unit_title)
        right_layout.addWidget(self.days)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([330, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(basis)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)

        self.year.valueChanged.connect(lambda _v: self._fill_holidays())
        self.holiday.currentIndexChanged.connect(lambda _i: self.reload())
        session.changed.connect(self._on_changed)
        self._fill_holidays(prefer_after=today)

    # -- data
    def _holidays_ahead(self, today: dt.date) -> bool:
        from desktop.store.duty import year_blocks

        try:
            return any(b.end >= today for b in year_blocks(self.store, today.year))
        except UserError:
            return True

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Entity.calendar):
            self._fill_holidays()
        elif changes.touches(Entity.dept_roster, Entity.unit, Entity.person, Entity.operator, Entity.org):
            self.reload()

    def _fill_holidays(self, prefer_after: dt.date | None = None) -> None:
        from desktop.store.duty import year_blocks

        current = self.holiday.currentData()
        self.holiday.blockSignals(True)
        self.holiday.clear()
        try:
            blocks = year_blocks(self.store, self.year.value())
        except UserError:
            blocks = []
        for b in blocks:
            self.holiday.addItem(f"{b.name}({b.start.month}月{b.start.day}日起)", b.name)
        index = self.holiday.findData(current)
        if index < 0 and prefer_after is not None:
            index = next((i for i, b in enumerate(blocks) if b.end >= prefer_after), 0)
        self.holiday.setCurrentIndex(max(index, 0))
        self.holiday.blockSignals(False)
        self.reload()

    def holiday_name(self) -> str | None:
        return self.holiday.currentData()

    def reload(self) -> None:
        selected = self.selected_unit()
        name = self.holiday_name()
        self.combined = None
        if name:
            try:
                self.combined = ops.dept_rosters.combined(self.store, self.year.value(), name)
            except UserError as exc:
                self.summary.setText(str(exc))
        c = self.combined
        self.units.setRowCount(0)
        if c is None:
            if not name:
                self.summary.setText(f"{self.year.value()}年的日历中没有假期。")
            self._show_unit()
            self._update_buttons()
            return
        self.units.setRowCount(len(c.units))
        for r, status in enumerate(c.units):
            color = SENT_COLOR if status.complete else PART_COLOR if status.roster else NONE_COLOR
            for col, text in enumerate((status.unit.name, status.text)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, status.unit.name)
                if col == 1:
                    item.setForeground(QColor(color))
                self.units.setItem(r, col, item)
        late = len(c.not_sent)
        self.summary.setText(f"{c.scope.label}({c.scope.start.month}月{c.scope.start.day}日至{c.scope.end.month}月"
                             f"{c.scope.end.day}日):{len(c.units)} 个单位," + (f"{late} 个尚未报送完整" if late else "全部已报送")
                             + ("。日期按暂定日历(放假通知尚未公布)" if c.provisional else ""))
        names = [s.unit.name for s in c.units]
        self.units.selectRow(names.index(selected) if selected in names else 0)
        self._show_unit()

    def selected_unit(self) -> str | None:
        rows = self.units.selectionModel().selectedRows() if self.units.selectionModel() else []
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def _status(self) -> UnitStatus | None:
        name = self.selected_unit()
        if self.combined is None or name is None:
            return None
        return next((s for s in self.combined.units if s.unit.name == name), None)

    def _show_unit(self) -> None:
        status = self._status()
        self.days.setRowCount(0)
        if status is None or self.combined is None:
            self.unit_title.setText("")
            self._update_buttons()
            return
        self.unit_title.setText(f"{status.unit.name} · {self.combined.scope.label} · {status.text}")
        days = self.combined.days
        self.days.setRowCount(len(days))
        for r, day in enumerate(days):
            found = status.roster.on(day) if status.roster else []
            lead = next((x for x in found if x.slot == core.LEADER), None)
            officers = "、".join(f"{x.name} {x.phone}" for x in found if x.slot != core.LEADER)
            cells = (f"{day.month}月{day.day}日", cn_weekday(day), lead.name if lead else "未报",
                     lead.title if lead else "", lead.phone if lead else "", officers)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
                if lead is None and col == 2:
                    item.setForeground(QColor(NONE_COLOR))
                self.days.setItem(r, col, item)
        self.days.resizeColumnsToContents()
        self.days.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        can = self.session.can("unit_record")
        have = self.combined is not None
        self.buttons["enter"].setEnabled(can and self._status() is not None and bool(self.days.selectedItems()))
        self.buttons["import"].setEnabled(can and have)
        for key in ("template", "preview", "pdf", "xlsx"):
            self.buttons[key].setEnabled(have)

    def _update_enter(self) -> None:
        self.buttons["enter"].setEnabled(self.session.can("unit_record") and self._status() is not None
                                         and bool(self.days.selectedItems()))

    # -- actions
    def selected_day(self) -> dt.date | None:
        items = self.days.selectedItems()
        return dt.date.fromisoformat(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def enter_day(self) -> None:
        status, day, name = self._status(), self.selected_day(), self.holiday_name()
        if status is None or day is None or name is None:
            return
        dialog = DayDialog(status.unit.name, day, status.roster.on(day) if status.roster else [], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            officers = dialog.officer_list()
        except UserError as exc:
            show_error(self, str(exc))
            return
        self.session.run(self, ops.dept_rosters.set_day, self.year.value(), name, day, dialog.leader.text(),
                         dialog.phone.text(), officers, title=dialog.title_edit.text(), unit=status.unit.name)

    def import_file(self, path: str | None = None) -> None:
        name = self.holiday_name()
        if name is None:
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入单位值班表", "", "单位值班表 (*.xlsx *.csv)")
            if not path:
                return
        from desktop.export.tabular import read_rows

        try:
            rows = read_rows(path, "值班表")
            head = core.read_head(rows)
            year = head.year or self.year.value()
            holiday = head.holiday or name
            lines = core.parse_template(rows, year, Path(path).name)
        except UserError as exc:
            show_error(self, str(exc))
            return
        unit = head.unit or self.selected_unit()
        saved = self.session.run(self, ops.dept_rosters.import_roster, year, holiday, lines, unit=unit,
                                 file_name=Path(path).name)
        if saved is not None:
            QMessageBox.information(self, "已导入", f"已导入{saved.unit.name} {saved.year}年{saved.holiday}值班表:"
                                    f"{len({x.day for x in saved.lines})} 天。")

    def make_template(self) -> None:
        c = self.combined
        if c is None:
            return
        unit = self.selected_unit() or ""
        suggested = f"{unit}{c.scope.label}值班表模板.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "生成值班表模板", suggested, "Excel 文件 (*.xlsx)")
        if not path:
            return
        from desktop.export.dept_roster_doc import write_template

        try:
            write_template(Path(path), c.year, c.scope.label.removeprefix(f"{c.year}年"), c.scope.start, c.scope.end, unit)
        except UserError as exc:
            show_error(self, str(exc))

    def _government(self) -> tuple[str, str]:
        from desktop.export.absence_html import government_name
        from desktop.store.org import get_org

        org = get_org(self.store)
        org_name = org.name if org else ""
        profile = self.session.profile
        return (government_name(profile, org_name) if profile else org_name), org_name

    def preview(self) -> None:
        if self.combined is None:
            return
        from desktop.export import dept_roster_doc as doc
        from desktop.ui.printing import preview_html, print_fonts

        government, org_name = self._government()
        html = doc.combined_html(self.combined, government, self.store.clock.today(), print_fonts(), (), org_name)
        preview_html(html, landscape=True, title=doc.title_of(self.combined, government), parent=self)

    def export_pdf(self, path: str | None = None) -> Path | None:
        return self._export(".pdf", path)

    def export_xlsx(self, path: str | None = None) -> Path | None:
        return self._export(".xlsx", path)

    def _export(self, suffix: str, path: str | None) -> Path | None:
        c = self.combined
        if c is None:
            return None
        from desktop.export import dept_roster_doc as doc

        government, org_name = self._government()
        if path is None:
            kind = "PDF 文件 (*.pdf)" if suffix == ".pdf" else "Excel 文件 (*.xlsx)"
            path, _ = QFileDialog.getSaveFileName(self, "导出各部门值班安排汇总表", f"{doc.title_of(c, government)}{suffix}", kind)
            if not path:
                return None
        target = Path(path)
        try:
            if suffix == ".pdf":
                from desktop.ui.printing import render_pdf_job

                return render_pdf_job(doc.combined_job(c, government, self.store.clock.today(), org_name), target)
            return doc.write_combined_xlsx(c, government, self.store.clock.today(), target, org_name)
        except UserError as exc:
            show_error(self, str(exc))
            return None
