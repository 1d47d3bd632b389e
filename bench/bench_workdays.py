"""Benchmark: working-day arithmetic, ours against chinese-calendar (not a test).

    python bench/bench_workdays.py        (with the project installed: pip install -e .)

Builds the calendar from the seed, then times on the same random inputs (fixed seed):
`WorkCalendar.add_workdays` vs `chinese_calendar.find_workday` (n in 1..30, dates 2005–2025),
and `WorkCalendar.is_workday` vs `chinese_calendar.is_workday`. Record the figures in
bench/RESULTS.md ("Working-day arithmetic").
"""

from __future__ import annotations

import platform
import random
import time
from datetime import date, timedelta

import chinese_calendar

from desktop.core.calseed import seed_entries, seed_year_sources
from desktop.core.provisional import provisional_entries
from desktop.core.workcal import WorkCalendar

SEED = 20261121
N_OURS = 200_000
N_THEIRS = 2_000


def _ns_per_call(fn, args) -> float:
    t0 = time.perf_counter_ns()
    for a in args:
        fn(*a)
    return (time.perf_counter_ns() - t0) / len(args)


def main() -> int:
    rng = random.Random(SEED)
    first, last = date(2005, 1, 1).toordinal(), date(2025, 12, 31).toordinal()
    days = [date.fromordinal(rng.randint(first, last)) for _ in range(N_OURS)]
    steps = [rng.randint(1, 30) for _ in range(N_OURS)]

    # Build: the seed once (chinese-calendar is slow), then the calendar itself, best of 5.
    t0 = time.perf_counter_ns()
    entries = seed_entries() + provisional_entries(2027)
    seed_ms = (time.perf_counter_ns() - t0) / 1e6
    sources = seed_year_sources() | {2027: "provisional"}
    builds = []
    for _ in range(5):
        t0 = time.perf_counter_ns()
        cal = WorkCalendar(entries, sources)
        builds.append((time.perf_counter_ns() - t0) / 1e6)

    # Same answers where both define the same thing (from a working day; 2005-12-31 corrected).
    for d, n in zip(days[:N_THEIRS], steps[:N_THEIRS], strict=True):
        if chinese_calendar.is_workday(d) and not (date(2005, 11, 1) <= d <= date(2006, 1, 1)):
            assert cal.add_workdays(d, n) == chinese_calendar.find_workday(n, d), (d, n)

    add_args = list(zip(days, steps, strict=True))
    ours_add = min(_ns_per_call(cal.add_workdays, add_args) for _ in range(3))
    theirs_add = _ns_per_call(lambda d, n: chinese_calendar.find_workday(n, d), add_args[:N_THEIRS])
    one = [(d,) for d in days]
    ours_is = min(_ns_per_call(cal.is_workday, one) for _ in range(3))
    theirs_is = _ns_per_call(chinese_calendar.is_workday, one[:N_THEIRS])
    cnt_args = [(d, d + timedelta(days=s * 2)) for d, s in add_args]
    ours_count = min(_ns_per_call(cal.count_workdays, cnt_args) for _ in range(3))

    print(
        f"Python {platform.python_version()} on {platform.machine()}, chinese-calendar {chinese_calendar.__version__}"
    )
    print(f"seed_entries() 2004-2026 + provisional 2027: {seed_ms:8.1f} ms")
    print(f"WorkCalendar build 2004-2027 (best of 5):    {min(builds):8.2f} ms")
    print(f"{'operation':<34}{'ours µs/call':>14}{'chinese-calendar µs/call':>26}{'ratio':>10}")
    print(
        f"{'add_workdays / find_workday':<34}{ours_add / 1e3:>14.3f}{theirs_add / 1e3:>26.2f}"
        f"{theirs_add / ours_add:>9.0f}x"
    )
    print(
        f"{'is_workday / is_workday':<34}{ours_is / 1e3:>14.3f}{theirs_is / 1e3:>26.2f}{theirs_is / ours_is:>9.0f}x"
    )
    print(f"{'count_workdays':<34}{ours_count / 1e3:>14.3f}{'-':>26}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
