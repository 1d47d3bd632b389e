"""Importing a duty roster from a file (导入值班表): the checks against the database.

`desktop.export.tabular.read_roster_sheet` reads the file (xlsx or csv) with its sheet row numbers and
finds the header row (under a title and a 单位 line, as in our own roster export). `check_roster` runs the core's row
check (desktop.core.roster_import) with what only the database knows: the people, the duty days
under the profile's rule on the stored calendar, who is away (an absence that counts as away) or
declared unavailable on each day. `scope_for` finds the plan scope a day is imported into.

The import itself (the rows stored as pinned assignments, all or nothing) is the operation
`desktop.ops.duty.import_roster`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core.absence import Absence, away_on, cn_date, counts_as_away
from desktop.core.duty import DUTY_RULE_TEXT, PlanScope, SavedPlan, duty_days, month_scope
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.core.roster_import import ColumnMap, ParsedRoster, RowIssue, parse_roster
from desktop.store import duty, people
from desktop.store.absences import absences_between
from desktop.store.calcache import calendar_for
from desktop.store.db import Store

__all__ = ["DUTY_RULE_TEXT", "RosterImported", "RosterRejected", "check_roster", "import_note", "scope_for"]

_VERB = {"leader": "带班", "officers": "值班"}


class RosterRejected(UserError):
    """The import was refused as a whole; ``errors`` lists every bad row; nothing was written."""

    def __init__(self, errors: Sequence[RowIssue]):
        self.errors = tuple(errors)
        lines = "\n".join(str(e) for e in self.errors[:50])
        more = f"\n……另有 {len(self.errors) - 50} 处错误" if len(self.errors) > 50 else ""
        super().__init__(f"导入未执行,没有写入任何值班安排。请修改以下 {len(self.errors)} 处后重新导入,"
                         f"或选择跳过这些行:\n{lines}{more}")  # fmt: skip


@dataclass(frozen=True)
class RosterImported:
    """What an import stored: the plans written (leaders and officers), the days and pins imported,
    and the sheet rows left out (skipped errors and warnings)."""

    plans: tuple[SavedPlan, ...]
    days: int
    pins: int
    skipped: tuple[int, ...]

    @property
    def summary(self) -> str:
        labels = "、".join(dict.fromkeys(f"{s.info.label}{s.info.slot_label}" for s in self.plans))
        text = f"已导入 {self.days} 天的值班安排({self.pins} 人次,均已固定),并重新生成了:{labels}。"
        if self.skipped:
            text += f"跳过第 {'、'.join(map(str, self.skipped))} 行。"
        return text


def import_note(file_name: str) -> str:
    """The note of an imported pin: 导入自 值班表.xlsx"""
    return f"导入自 {file_name}"


class _Days:
    """The profile's duty days and who is away, loaded a year at a time as the rows need them."""

    def __init__(self, store: Store, profile: Profile):
        self.store = store
        self.profile = profile
        self._duty: dict[int, set[dt.date]] = {}
        self._away: dict[int, list[Absence]] = {}
        self._declared: dict[int, dict[int, dict[dt.date, str]]] = {}

    def is_duty_day(self, day: dt.date) -> bool:
        year = day.year
        if year not in self._duty:
            calendar = calendar_for(self.store, year + 1)
            found = duty_days(calendar, self.profile.duty, dt.date(year, 1, 1), dt.date(year, 12, 31))
            self._duty[year] = {d.date for d in found}
        return day in self._duty[year]

    def unavailable(self, person: Person, day: dt.date, slot: str) -> str | None:
        year = day.year
        if year not in self._away:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            self._away[year] = [a for a in absences_between(self.store, first, last) if counts_as_away(a)]
            self._declared[year] = duty.unavailable_between(self.store, first, last)
        verb = _VERB[slot]
        for a in self._away[year]:
            if a.person_id == person.id and away_on(a, day) is not None:
                where = f" {a.destination}" if a.destination else ""
                return f"{person.name} {cn_date(day)}外出({a.kind.label}{where},编号 {a.id}),不能安排{verb}。"
        reason = self._declared[year].get(person.id, {}).get(day)
        if reason is not None:
            return f"{person.name} {cn_date(day)}已登记不能值班" + (f"({reason})" if reason else "") + f",不能安排{verb}。"
        return None


def check_roster(store: Store, profile: Profile, header: Sequence[str], rows: Sequence[Sequence[object]],
                 columns: ColumnMap, *, year: int, first_row: int = 2) -> ParsedRoster:  # fmt: skip
    """Every row checked (desktop.core.roster_import.parse_roster) against the people, the duty
    days and the absences in the database; raises UserError for a mapping that cannot work."""
    columns.check(header)
    days = _Days(store, profile)
    return parse_roster(rows, columns, people.list_people(store), year=year, first_row=first_row,
                        officers_per_day=profile.duty.officers_per_day, is_duty_day=days.is_duty_day,
                        duty_rule=DUTY_RULE_TEXT.get(profile.duty.days.value, profile.duty.days.value),
                        unavailable=days.unavailable)  # fmt: skip


def scope_for(store: Store, day: dt.date, slot: str) -> tuple[PlanScope, int]:
    """The plan scope (and plan year) that covers ``day`` for the slot: the stored plan holding
    the day, else the holiday block around it, else its month."""
    held = duty.plan_on(store, day, slot)
    if held is not None:
        return held.scope, held.year
    for year in (day.year, day.year + 1):  # a block belongs to the year of its last day
        try:
            blocks = duty.year_blocks(store, year)
        except UserError:  # no calendar for the next year: the day's own year decides
            continue
        for block in blocks:
            if day in block:
                return PlanScope(block.start, block.end, f"{year}年{block.name}"), year
    return month_scope(day.year, day.month), day.year
