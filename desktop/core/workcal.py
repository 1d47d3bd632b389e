"""Working-day arithmetic on the official holiday calendar (DESIGN.md "Working days").

A `WorkCalendar` is built from the days that are not ordinary — holidays, make-up workdays
(调休上班) and corrected days — plus the years it covers, each with the source of its data.
Every other day of a covered year follows the weekend rule (Saturday and Sunday rest).
A date in a year that is not covered raises `CalendarGapError`: the calendar never guesses.

Counting rule (民法典 art. 201 convention): the start day is not counted, so "N working
days after D" is the N-th working day strictly after D, and a deadline never lands on a
rest day.

Speed: a state byte per day over the covered range is computed in `__init__`; a prefix count
of working days and the list of working days on the first arithmetic call — so `add_workdays`,
`count_workdays` and `is_workday` are O(1) (a few list look-ups, no loop over days), and a
calendar used only to read days (a weekly board) never builds the counting tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from desktop.core.errors import UserError

__all__ = [
    "DAY_SOURCES",
    "LATE_DECEMBER_FROM",
    "YEAR_SOURCES",
    "CalendarGapError",
    "CountResult",
    "DayEntry",
    "WorkCalendar",
    "WorkdayResult",
    "overlay",
]

#: Where a day's status comes from.
#: official — seeded from chinese-calendar; notice — parsed from a State Council notice;
#: corrected — a known error of the seed, fixed by hand with a citation; provisional — the
#: statutory holidays of a year without a notice yet; weekend — the Saturday/Sunday rule.
DAY_SOURCES = frozenset({"official", "notice", "corrected", "provisional", "weekend"})
#: Where a whole year's data comes from (`WorkCalendar(year_sources=...)`).
YEAR_SOURCES = frozenset({"official", "notice", "corrected", "provisional"})

#: The State Council notice for year Y+1 can change the last days of December of year Y
#: (2007-12-29 became a make-up workday and 2007-12-31 a rest day by the 2008 notice, 2018-12-29
#: and 2018-12-31 likewise by the 2019 notice; 2005-12-31, 2006-12-30/31 and 2011-12-31 became
#: make-up workdays). No notice since 2004 touched a day before December 29. So while Y+1 has no
#: notice (provisional or not covered), the days from this day of December Y on are provisional,
#: and only a result that used one of them says so (issue 14: 2026-12-18 + 5 working days = 12-25
#: is not provisional).
LATE_DECEMBER_FROM = 29

_REST, _WORK, _UNKNOWN = 0, 1, 2
_set = object.__setattr__


class CalendarGapError(UserError):
    """A date falls in a year the calendar has no data for."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"{year}年没有节假日数据:请导入国务院办公厅的放假通知,或使用暂定日历")


@dataclass(frozen=True, init=False)
class DayEntry:
    """One day that is not ordinary (or, from `WorkCalendar.entry`, any day).

    `name` is the holiday's Chinese name ("国庆节", "春节调休上班"), None for plain days;
    `note` says why a corrected day differs from its seed, with the document it follows.
    """

    day: date
    rest: bool
    name: str | None
    source: str
    note: str | None = None

    def __init__(self, day: date, rest: bool, name: str | None, source: str, note: str | None = None) -> None:
        # The dataclass's own frozen __init__ sets each field with object.__setattr__; this sets them
        # in one step (a calendar load builds ~800 entries each time it is read).
        if source not in DAY_SOURCES:
            raise ValueError(f"未知的日历来源 {source!r}(应为 {sorted(DAY_SOURCES)} 之一)")
        _set(self, "__dict__", {"day": day, "rest": rest, "name": name, "source": source, "note": note})


@dataclass(frozen=True)
class WorkdayResult:
    """A computed date, whether a provisional calendar was used, and how many rest days it skipped."""

    date: date
    provisional: bool
    skipped_rest_days: int


@dataclass(frozen=True)
class CountResult:
    count: int
    provisional: bool


def overlay(*layers: Iterable[DayEntry]) -> list[DayEntry]:
    """Merge layers of entries; for the same day a later layer wins. Sorted by day."""
    merged: dict[date, DayEntry] = {}
    for layer in layers:
        for e in layer:
            merged[e.day] = e
    return [merged[d] for d in sorted(merged)]


class WorkCalendar:
    """Working days over the covered years; see the module docstring for the rules."""

    __slots__ = (
        "_base",
        "_cum",
        "_entries",
        "_first_year",
        "_gap_cum",
        "_has_gaps",
        "_last_year",
        "_n",
        "_nwd",
        "_prov_cum",
        "_state",
        "_wd",
        "_wd_dates",
        "_year_sources",
    )

    def __init__(self, entries: Iterable[DayEntry], year_sources: Mapping[int, str]) -> None:
        if not year_sources:
            raise ValueError("日历没有覆盖任何年份")
        for y, s in year_sources.items():
            if s not in YEAR_SOURCES:
                raise ValueError(f"{y}年的来源 {s!r} 无效(应为 {sorted(YEAR_SOURCES)} 之一)")
        self._year_sources = dict(sorted(year_sources.items()))
        first, last = min(year_sources), max(year_sources)
        self._first_year, self._last_year = first, last
        base = date(first, 1, 1).toordinal()
        n = date(last + 1, 1, 1).toordinal() - base
        self._base, self._n = base, n

        # Weekend rule for every day, then unknown for years that are not covered.
        week = [_WORK] * 5 + [_REST] * 2
        w0 = date(first, 1, 1).weekday()
        pattern = bytes(week[w0:] + week[:w0])
        state = bytearray((pattern * (n // 7 + 1))[:n])
        gaps = [y for y in range(first, last + 1) if y not in year_sources]
        for y in gaps:
            i, j = date(y, 1, 1).toordinal() - base, date(y + 1, 1, 1).toordinal() - base
            state[i:j] = bytes([_UNKNOWN]) * (j - i)
        self._has_gaps = bool(gaps)

        # Listed days; entries in years that are not covered are not used (kept out of the data).
        kept: dict[date, DayEntry] = {}
        for e in entries:
            i = e.day.toordinal() - base
            if 0 <= i < n and state[i] != _UNKNOWN:
                kept[e.day] = e
                state[i] = _REST if e.rest else _WORK
        self._entries = kept
        self._state = bytes(state)
        # The counting tables are built on the first arithmetic call (`_tables`): a board or a check
        # that only reads days never pays for them.
        self._cum: list[int] | None = None

    def _tables(self) -> None:
        """The prefix counts and the working-day list behind the O(1) arithmetic."""
        base, n, first, last = self._base, self._n, self._first_year, self._last_year
        year_sources = self._year_sources
        work = self._state.translate(bytes([0, 1, 0]) + bytes(253))
        self._wd = [base + i for i, s in enumerate(work) if s]
        self._wd_dates = [date.fromordinal(o) for o in self._wd]
        self._nwd = len(self._wd)
        unknown = self._state.translate(bytes([0, 0, 1]) + bytes(253))
        self._gap_cum = list(accumulate(unknown, initial=0))

        prov = bytearray(n)
        for y in range(first, last + 1):
            src = year_sources.get(y)
            if src is None:
                continue
            if src == "provisional":
                i, j = date(y, 1, 1).toordinal() - base, date(y + 1, 1, 1).toordinal() - base
                prov[i:j] = b"\x01" * (j - i)
            elif year_sources.get(y + 1) in (None, "provisional"):
                i = date(y, 12, LATE_DECEMBER_FROM).toordinal() - base
                j = date(y + 1, 1, 1).toordinal() - base
                prov[i:j] = b"\x01" * (j - i)
        self._prov_cum = list(accumulate(prov, initial=0))
        # _cum[i] = number of working days among the first i days of the range; set last, it marks
        # the tables as built.
        self._cum = list(accumulate(work, initial=0))

    # ----------------------------------------------------------------- coverage
    @property
    def years(self) -> tuple[int, ...]:
        """The covered years, ascending."""
        return tuple(self._year_sources)

    @property
    def year_sources(self) -> dict[int, str]:
        return dict(self._year_sources)

    def year_source(self, year: int) -> str:
        """`official` / `notice` / `corrected` / `provisional`; CalendarGapError if not covered."""
        try:
            return self._year_sources[year]
        except KeyError:
            raise CalendarGapError(year) from None

    def covers(self, d: date) -> bool:
        return d.year in self._year_sources

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if 0 <= i < self._n and self._state[i] != _UNKNOWN:
            return i
        raise CalendarGapError(d.year)

    def _check_span(self, i: int, j: int) -> None:
        """Raise if a gap year lies between indices i <= j (both covered)."""
        if self._cum is None:
            self._tables()
        if self._has_gaps and self._gap_cum[j + 1] != self._gap_cum[i]:
            for y in range(self._year_of(i), self._year_of(j) + 1):
                if y not in self._year_sources:
                    raise CalendarGapError(y)

    def _year_of(self, i: int) -> int:
        return date.fromordinal(self._base + i).year

    def is_provisional(self, d: date) -> bool:
        """True if d's status may still change: its year is provisional, or it is in the last
        week of December before a year without a notice (see LATE_DECEMBER_FROM)."""
        self._index(d)
        source = self._year_sources[d.year]
        if source == "provisional":
            return True
        return (d.month, d.day) >= (12, LATE_DECEMBER_FROM) and self._year_sources.get(d.year + 1) in (None, "provisional")

    def span_is_provisional(self, a: date, b: date) -> bool:
        """True if any day between a and b (both included) is provisional."""
        i, j = sorted((self._index(a), self._index(b)))
        if self._cum is None:
            self._tables()
        return self._prov_cum[j + 1] != self._prov_cum[i]

    # ----------------------------------------------------------------- days
    def is_workday(self, d: date) -> bool:
        i = d.toordinal() - self._base
        if 0 <= i < self._n:
            s = self._state[i]
            if s != _UNKNOWN:
                return s == _WORK
        raise CalendarGapError(d.year)

    def entry(self, d: date) -> DayEntry:
        """The day's entry. A day that is not listed: a Saturday/Sunday has source "weekend";
        a plain weekday has the source of its year (it is a workday according to that data)."""
        d = date(d.year, d.month, d.day)
        self._index(d)
        e = self._entries.get(d)
        if e is not None:
            return e
        if d.weekday() >= 5:
            return DayEntry(d, True, None, "weekend")
        return DayEntry(d, False, None, self._year_sources[d.year])

    def entries(self) -> list[DayEntry]:
        """The listed (non-ordinary) days in use, sorted."""
        return [self._entries[d] for d in sorted(self._entries)]

    # ----------------------------------------------------------------- arithmetic
    def _add_index(self, i: int, n: int) -> int:
        """Index into self._wd of the result of add_workdays from day index i."""
        if self._cum is None:
            self._tables()
        if n > 0:
            k = self._cum[i + 1] + n - 1
            if k >= self._nwd:
                raise CalendarGapError(self._last_year + 1)
        elif n < 0:
            k = self._cum[i] + n
            if k < 0:
                raise CalendarGapError(self._first_year - 1)
        else:
            k = self._cum[i]  # the first working day on or after day i
            if k >= self._nwd:
                raise CalendarGapError(self._last_year + 1)
        if self._has_gaps:
            j = self._wd[k] - self._base
            self._check_span(min(i, j), max(i, j))
        return k

    def add_workdays(self, d: date, n: int) -> date:
        """n > 0: the n-th working day strictly after d; n < 0: the |n|-th working day strictly
        before d; n == 0: d itself if it is a working day, else the next working day."""
        i = d.toordinal() - self._base
        if not (0 <= i < self._n) or self._state[i] == _UNKNOWN:
            raise CalendarGapError(d.year)
        if self._cum is None:
            self._tables()
        k = self._cum[i + 1] + n - 1 if n > 0 else self._cum[i] + n
        if 0 <= k < self._nwd and not self._has_gaps:
            return self._wd_dates[k]
        return self._wd_dates[self._add_index(i, n)]

    def add_workdays_ex(self, d: date, n: int) -> WorkdayResult:
        """`add_workdays` with whether a provisional day lies in the span and the rest days skipped.

        skipped_rest_days counts the rest days between d and the result: in (d, r] for n > 0,
        in [r, d) for n < 0, in [d, r) for n == 0.
        """
        i = self._index(d)
        k = self._add_index(i, n)
        r = self._wd_dates[k]
        j = self._wd[k] - self._base
        lo, hi = min(i, j), max(i, j)
        span = hi - lo
        skipped = span - abs(n) if n != 0 else span
        return WorkdayResult(r, self._prov_cum[hi + 1] != self._prov_cum[lo], skipped)

    def count_workdays(self, start: date, end: date) -> int:
        """Working days between start (excluded) and end (included): in (start, end] when
        end >= start; when end < start, minus the working days in [end, start). So
        count_workdays(d, add_workdays(d, n)) == n for every n != 0."""
        i, j = self._index(start), self._index(end)
        if self._cum is None:
            self._tables()
        if j >= i:
            self._check_span(i, j)
            return self._cum[j + 1] - self._cum[i + 1]
        self._check_span(j, i)
        return self._cum[j] - self._cum[i]

    def count_workdays_ex(self, start: date, end: date) -> CountResult:
        c = self.count_workdays(start, end)
        return CountResult(c, self.span_is_provisional(start, end))

    def next_workday(self, d: date) -> date:
        """The first working day strictly after d."""
        return self.add_workdays(d, 1)

    def previous_workday(self, d: date) -> date:
        """The last working day strictly before d."""
        return self.add_workdays(d, -1)

    def add_days(self, d: date, n: int, roll: str = "none") -> date:
        """d + n natural days; roll="forward" moves a rest day to the next working day,
        "backward" to the previous one, "none" leaves it (and needs no calendar data)."""
        r = d + timedelta(days=n)
        if roll == "none":
            return r
        if roll == "forward":
            return r if self.is_workday(r) else self.add_workdays(r, 1)
        if roll == "backward":
            return r if self.is_workday(r) else self.add_workdays(r, -1)
        raise ValueError(f"roll 应为 none、forward 或 backward,而不是 {roll!r}")
