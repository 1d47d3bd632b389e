"""The weekly whereabouts board (一周领导在岗/外出情况表) as data — DESIGN.md "What the user sees".

A `WeekBoard` is a grid: the government's leaders in protocol order (排名; `Role.is_leader`) ×
the seven days of a week, Monday to Sunday. Each cell says whether the leader is at work
(在岗) or away: the kind and destination of the record, which half of the day (上午/下午) for a
half-day absence, and who acts meanwhile (代:张三) — or that nobody does and the office has to
arrange it (代:待协调). The day headers carry the date, the weekday and the calendar's marks:
休 with the holiday's name on a holiday rest day, 班 on a make-up workday (调休上班); weekends
are rest days unless they are make-up days.

Acting is resolved with one `ActingContext` for the whole week (the indexes are built once);
each day costs one `away_maps` + `report`, never a `who_acts` from scratch per cell.

The printout (desktop.export.absence_html.weekly_board_html) and any screen showing the week
read the same cells. Pure: no Qt, no SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.core.absence import Absence, Half
from desktop.core.acting import (
    GAP_BOTH_AWAY,
    ActingContext,
    ActingEntry,
    ActingReport,
    Designation,
    Override,
    day_runs,
    live_spans,
)
from desktop.core.citation import official_text
from desktop.core.cndate import cn_month_day, cn_week, cn_weekday
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.core.workcal import CalendarGapError, WorkCalendar

__all__ = [
    "AwayPart",
    "BoardCell",
    "BoardDay",
    "BoardNote",
    "BoardRow",
    "WeekBoard",
    "board_day",
    "build_board",
    "week_start",
]

_FULL, _AM, _PM = Half.full, Half.am, Half.pm  # read once (an enum member from its class is slow on 3.11)

#: Shown instead of an acting person when the rules want one and nobody is available.
TO_ARRANGE = "待协调"


def week_start(d: date) -> date:
    """The Monday of d's week."""
    return d - timedelta(days=d.weekday())


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardDay:
    """A column header: the date and what the calendar says about it."""

    day: date
    rest: bool  # a rest day (weekend or holiday); without calendar data, the weekend rule
    mark: str  # "休" a holiday rest day, "班" a make-up workday (调休上班), "" otherwise
    name: str  # the calendar entry's name: 国庆节, 国庆节调休上班; "" for an ordinary day
    covered: bool = True  # the calendar has data for the day's year
    provisional: bool = False  # the day's status may still change (no State Council notice yet)

    @property
    def weekday_label(self) -> str:
        return cn_weekday(self.day)

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def date_label(self) -> str:
        return cn_month_day(self.day)

    @property
    def caption(self) -> str:
        """休 国庆节 / 班 调休上班 / "" (an ordinary day)."""
        if self.mark == "休":
            return f"休 {self.name}" if self.name else "休"
        if self.mark == "班":
            return "班 调休上班"
        return ""


@dataclass(frozen=True)
class AwayPart:
    """One absence in a cell: a whole day, or a morning / an afternoon."""

    half: Half  # full, am or pm
    absence: Absence
    actors: tuple[tuple[Person, Half], ...] = ()  # who acts, in which half (full: the whole part)
    to_arrange: bool = False  # in some half nobody acts although the rules want someone (a gap)

    @property
    def what(self) -> str:
        """出差 北京 / 休假 (with 上午/下午 for half a day)."""
        text = self.absence.kind.label
        if self.absence.destination:
            text += f" {self.absence.destination}"
        if self.half is not Half.full:
            text = f"{self.half.label} {text}"
        return text

    @property
    def acting_text(self) -> str:
        """代:周晓燕 / 代:上午周晓燕、下午待协调 / 代:待协调 / "" (nobody needs to act)."""
        if not self.actors:
            return f"代:{TO_ARRANGE}" if self.to_arrange else ""
        halves = {h for _p, h in self.actors}
        if halves == {Half.full}:
            return "代:" + "、".join(p.name for p, _h in self.actors)
        pieces = [f"{h.label}{p.name}" if h is not Half.full else p.name for p, h in self.actors]
        if self.to_arrange:
            pieces += [f"{h.label}{TO_ARRANGE}" for h in (Half.am, Half.pm) if h not in halves]
        return "代:" + "、".join(pieces)


@dataclass(frozen=True)
class BoardCell:
    day: BoardDay
    parts: tuple[AwayPart, ...] = ()  # empty: at work (在岗)

    @property
    def present(self) -> bool:
        return not self.parts

    @property
    def entries(self) -> tuple[tuple[str, str], ...]:
        """The cell's lines with their kind: ("在岗", "here") on a workday, nothing on a rest day;
        else each absence ("away") and who acts ("acting", or "gap" when to be arranged). One
        acting line for all parts when it is the same."""
        if not self.parts:
            return () if self.day.rest else (("在岗", "here"),)

        def acting(part: AwayPart) -> tuple[str, str]:
            return part.acting_text, "gap" if part.to_arrange and not part.actors else "acting"

        texts = [part.acting_text for part in self.parts]
        same = len(set(texts)) == 1
        out: list[tuple[str, str]] = []
        for part, text in zip(self.parts, texts, strict=True):
            out.append((part.what, "away"))
            if text and not same:
                out.append(acting(part))
        if same and texts[0]:
            out.append(acting(self.parts[0]))
        return tuple(out)

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(text for text, _kind in self.entries)


@dataclass(frozen=True)
class BoardRow:
    person: Person
    title: str  # as printed: 常务副市长, 市政府秘书长
    cells: tuple[BoardCell, ...]  # Monday to Sunday

    @property
    def away_days(self) -> int:
        return sum(1 for c in self.cells if not c.present)

    def runs(self) -> tuple[tuple[int, int, BoardCell], ...]:
        """(first column, number of columns, cell), Monday = column 0: consecutive days away with
        the same text make one run (a printout merges them); every other day is a run of one."""
        out: list[tuple[int, int, BoardCell]] = []
        for i, cell in enumerate(self.cells):
            if out and not cell.present:
                first, n, prev = out[-1]
                if not prev.present and prev.entries == cell.entries and first + n == i:
                    out[-1] = (first, n + 1, prev)
                    continue
            out.append((i, 1, cell))
        return tuple(out)


@dataclass(frozen=True)
class BoardNote:
    """A remark under the table: an acting gap (AB partners both away …) over some days."""

    first: date
    last: date
    text: str  # Chinese, without the dates


@dataclass(frozen=True)
class WeekBoard:
    start: date  # the Monday
    days: tuple[BoardDay, ...]
    rows: tuple[BoardRow, ...]
    notes: tuple[BoardNote, ...] = ()
    reports: tuple[ActingReport, ...] = ()  # one per day, Monday first

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def week_number(self) -> int:
        return self.start.isocalendar().week

    @property
    def range_text(self) -> str:
        return cn_week(self.start)

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.days)

    def cell(self, person_id: int, day: date) -> BoardCell:
        for row in self.rows:
            if row.person.id == person_id:
                return row.cells[(day - self.start).days]
        raise KeyError(person_id)


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def board_day(calendar: WorkCalendar | None, d: date) -> BoardDay:
    """The header of day d: rest day or workday, 休/班 mark and holiday name, from the calendar."""
    weekend = d.weekday() >= 5
    if calendar is None:
        return BoardDay(d, weekend, "", "", covered=False)
    try:
        entry = calendar.entry(d)
        provisional = calendar.is_provisional(d)
    except CalendarGapError:
        return BoardDay(d, weekend, "", "", covered=False)
    if entry.rest and (entry.name or not weekend):
        mark = "休"
    elif not entry.rest and weekend:
        mark = "班"
    else:
        mark = ""
    return BoardDay(d, entry.rest, mark, entry.name or "", True, provisional)


def _actors(entries: Sequence[ActingEntry], half: Half) -> tuple[tuple[Person, Half], ...]:
    """Who acts for the person in ``half`` of the day (full: either half), from the report's acting
    entries for the person (in the report's order)."""
    out: dict[tuple[int, Half], tuple[Person, Half]] = {}
    for e in entries:
        if half is _FULL or e.half is _FULL or e.half is half:
            h = e.half if half is _FULL else _FULL
            out.setdefault((e.actor.id, h), (e.actor, h))
    # one actor in both halves, reported once per half: a whole-day actor
    ids = {pid for pid, _h in out}
    if len(ids) == 1 and len(out) > 1:
        (person, _h), *_ = out.values()
        return ((person, _FULL),)
    return tuple(out.values())


def _has_gap(gap_halves: set[Half] | None, half: Half) -> bool:
    """Whether a gap of the report holds the person in ``half`` (``gap_halves``: the halves of the
    report's gaps that hold the person)."""
    return bool(gap_halves) and (half is _FULL or _FULL in gap_halves or half in gap_halves)


class _ReportIndex:
    """A day's acting report by person: the acting entries with an actor, the halves of the gaps."""

    __slots__ = ("acting", "gap_halves")

    def __init__(self, report: ActingReport) -> None:
        self.acting: dict[int, list[ActingEntry]] = {}
        for e in report.acting:
            if e.actor is not None:
                self.acting.setdefault(e.absent_person.id, []).append(e)
        self.gap_halves: dict[int, set[Half]] = {}
        for g in report.gaps:
            for p in g.absent:
                self.gap_halves.setdefault(p.id, set()).add(g.half)


def _cell(day: BoardDay, index: _ReportIndex, person_id: int,
          am: Absence | None, pm: Absence | None) -> BoardCell:  # fmt: skip
    if am is None and pm is None:
        return BoardCell(day)
    if am is not None and pm is not None and (am is pm or (am.id is not None and am.id == pm.id)):
        halves = [(_FULL, am)]
    else:
        halves = [(h, a) for h, a in ((_AM, am), (_PM, pm)) if a is not None]
    entries = index.acting.get(person_id, ())
    gap_halves = index.gap_halves.get(person_id)
    parts = tuple(AwayPart(h, a, _actors(entries, h), _has_gap(gap_halves, h)) for h, a in halves)
    return BoardCell(day, parts)


def _title(profile: Profile, p: Person) -> str:
    return p.title or profile.title(p.role)


def _notes(reports: Sequence[ActingReport], profile: Profile) -> tuple[BoardNote, ...]:
    """Acting gaps, one note per group of absent people and run of consecutive days."""
    groups: dict[frozenset[int], dict[date, str]] = {}  # absent people -> day -> the day's first note
    for report in reports:
        for g in report.gaps:
            names = "、".join(p.name for p in g.absent)
            if g.kind == GAP_BOTH_AWAY:
                text = f"{names}外出,AB角不在岗,代行人请{profile.office}协调安排"
            else:
                text = f"{names}外出,按规定代行的领导不在岗,请{profile.office}协调安排"
            groups.setdefault(g.absent_ids, {}).setdefault(report.date, official_text(text))
    # a run of days of one group keeps its first day's note
    notes = [BoardNote(r.first, r.last, r.value) for days in groups.values()
             for r in day_runs(days.items(), key=lambda _text: ())]  # fmt: skip
    return tuple(sorted(notes, key=lambda n: (n.first, n.text)))


def build_board(
    start: date,
    profile: Profile,
    people: Iterable[Person],
    absences: Iterable[Absence],
    *,
    ab_pairs: Iterable[tuple[int, int]] = (),
    designations: Iterable[Designation] = (),
    overrides: Iterable[Override] = (),
    calendar: WorkCalendar | None = None,
) -> WeekBoard:
    """The board of the week that holds ``start`` (moved back to its Monday).

    ``people``: every person (the actors of explicit designations need not be leaders; inactive
    people are left out); ``absences``: every record touching the week, any state (drafts and
    closed records do not count as away).
    """
    monday = week_start(start)
    days = [monday + timedelta(days=i) for i in range(7)]
    ctx = ActingContext(profile, people, ab_pairs, designations, overrides)
    headers = tuple(board_day(calendar, d) for d in days)
    live = live_spans(ctx, absences, monday, days[-1])
    leaders = [p for p in sorted(ctx.people.values(), key=lambda p: (p.rank, p.id)) if p.role.is_leader]
    cells: dict[int, list[BoardCell]] = {p.id: [] for p in leaders}
    reports = []
    for header in headers:
        am, pm = ctx.away_maps_of(live, header.day)
        report = ctx.report(header.day, am, pm)
        reports.append(report)
        index = _ReportIndex(report)
        for p in leaders:
            cells[p.id].append(_cell(header, index, p.id, am.get(p.id), pm.get(p.id)))
    rows = tuple(BoardRow(p, _title(profile, p), tuple(cells[p.id])) for p in leaders)
    return WeekBoard(monday, headers, rows, _notes(reports, profile), tuple(reports))
