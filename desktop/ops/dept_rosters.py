"""Operations on the departments' holiday duty rosters (001 art.57: 市政府各部门应当实行24小时值班和领导带班制度).

A 单位录入员 enters his own unit's roster day by day (`set_day`) on his own seat; the office's
录入员 may enter any unit's, or import a unit's filled template (`import_roster`, the whole roster
replaced). Each is one audited transaction (desktop.ops.base); a 单位录入员 is refused another
unit's roster. The reads for the office: `status` (who has sent theirs, who has not, which days
are missing) and `combined` (every unit's lines, for the city-wide printout).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.access import Permission
from desktop.core.dept_roster import DutyLine, check_days, day_lines, holiday_days, missing_days
from desktop.core.duty import PlanScope
from desktop.core.errors import UserError
from desktop.ops.base import Entity, Tx, operation, unit_scope
from desktop.store import dept_rosters as rows
from desktop.store.db import Store
from desktop.store.dept_rosters import DeptRoster, Unit

SOURCE_LABELS = {"entered": "录入", "imported": "导入"}


def holiday(store: Store, year: int, name: str) -> PlanScope:
    """The holiday block (国庆节 finds 国庆节、中秋节); the refusal lists the year's holidays."""
    from desktop.store.duty import holiday_plan_scope

    return holiday_plan_scope(store, year, name)


def _holiday_name(scope: PlanScope, year: int) -> str:
    return scope.label.removeprefix(f"{year}年")


def _unit(tx: Tx, unit: str | None) -> Unit:
    """The unit written: the 单位录入员's own when not named; any unit for the office."""
    name = (unit or "").strip() or (tx.unit or "")
    if not name:
        raise UserError("请写明是哪个单位的值班表(--unit 单位名称,例如 --unit 教育局)。没有修改任何数据。")
    tx.check_unit(name)
    found = rows.find_unit(tx.store, name)
    if found is None:
        raise UserError(f"没有名为“{name}”的单位。单位须是人员名单中已有的部门或乡镇(人员的“所在单位”),请检查名称。"
                        "没有修改任何数据。")
    return found


def _roster(tx: Tx, unit: Unit, year: int, scope: PlanScope, source: str) -> tuple[DeptRoster | None, int]:
    found = rows.find(tx.store, unit.id, scope.start)
    if found is not None:
        rows.touch_roster(tx.store, found.id, source)
        return found, found.id
    return None, rows.insert_roster(tx.store, unit.id, year, _holiday_name(scope, year), scope.start, scope.end, source)


@operation(Permission.unit_record)
def set_day(tx: Tx, year: int, holiday_name: str, day: dt.date, leader: str, leader_phone: str,
            officers: Sequence[tuple[str, str]], *, title: str = "", unit: str | None = None) -> DeptRoster:
    """One day of a unit's holiday roster: its 带班领导 (post, phone) and 值班员 (phones), replacing
    what that day had."""
    u = _unit(tx, unit)
    scope = holiday(tx.store, year, holiday_name)
    lines = day_lines(day, leader, leader_phone, title, officers)
    check_days(lines, scope.start, scope.end, scope.label)
    before, rid = _roster(tx, u, year, scope, "entered")
    rows.delete_lines(tx.store, rid, day)
    rows.insert_lines(tx.store, rid, lines)
    after = rows.get(tx.store, rid)
    tx.audit("set_day", Entity.dept_roster, rid, f"{u.name} {scope.label}值班表:{day.isoformat()} 带班 {lines[0].name}",
             before=rows.snapshot(before) if before else None, after=rows.snapshot(after))
    return after


@operation(Permission.unit_record)
def import_roster(tx: Tx, year: int, holiday_name: str, lines: Sequence[DutyLine], *, unit: str | None = None,
                  file_name: str = "") -> DeptRoster:
    """A unit's whole roster from its filled template (desktop.core.dept_roster.parse_template):
    replaces what the unit had for that holiday."""
    u = _unit(tx, unit)
    scope = holiday(tx.store, year, holiday_name)
    check_days(lines, scope.start, scope.end, scope.label)
    before, rid = _roster(tx, u, year, scope, "imported")
    rows.delete_lines(tx.store, rid)
    rows.insert_lines(tx.store, rid, lines)
    after = rows.get(tx.store, rid)
    days = len({line.day for line in lines})
    tx.audit("import", Entity.dept_roster, rid,
             f"导入{u.name} {scope.label}值班表({days} 天)" + (f":{file_name}" if file_name else ""),
             before=rows.snapshot(before) if before else None, after=rows.snapshot(after))
    return after


# ---------------------------------------------------------------- reads

@dataclass(frozen=True)
class UnitStatus:
    """One unit's roster for a holiday: sent whole, in part (days missing), or not at all."""

    unit: Unit
    roster: DeptRoster | None
    missing: tuple[dt.date, ...]

    @property
    def complete(self) -> bool:
        return self.roster is not None and not self.missing

    @property
    def text(self) -> str:
        if self.roster is None:
            return "未报送"
        if self.missing:
            return f"缺 {len(self.missing)} 天:" + "、".join(f"{d.month}月{d.day}日" for d in self.missing)
        return f"已报送({SOURCE_LABELS.get(self.roster.source, self.roster.source)})"


@dataclass(frozen=True)
class Combined:
    """Every unit's roster for one holiday (those the operator may see)."""

    scope: PlanScope
    year: int
    units: tuple[UnitStatus, ...]
    #: The holiday's dates come from a provisional calendar (no State Council notice for the year yet).
    provisional: bool = False

    @property
    def days(self) -> list[dt.date]:
        return holiday_days(self.scope.start, self.scope.end)

    @property
    def not_sent(self) -> list[UnitStatus]:
        return [u for u in self.units if not u.complete]


def combined(store: Store, year: int, holiday_name: str) -> Combined:
    """The rosters of every unit for the holiday, units without one included; a 单位录入员 sees his
    own unit's only."""
    scope = holiday(store, year, holiday_name)
    own = unit_scope(store)
    sent = {r.unit.id: r for r in rows.rosters_for(store, scope.start, own)}
    out = []
    for unit in rows.units(store):
        if own is not None and unit.name != own:
            continue
        roster = sent.get(unit.id)
        missing = tuple(missing_days(roster.lines if roster else (), scope.start, scope.end))
        out.append(UnitStatus(unit, roster, missing))
    from desktop.store.duty import year_blocks

    provisional = any(b.provisional for b in year_blocks(store, year) if b.start == scope.start)
    return Combined(scope, year, tuple(out), provisional)
