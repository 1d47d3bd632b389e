"""The memo of the WorkCalendar (desktop/store/calcache.py): reused while nothing is written, rebuilt
at once after any write on this connection or a commit by another one."""

from __future__ import annotations

import datetime as dt
import gc

from desktop import ops
from desktop.store import calcache, calendar
from desktop.store.opening import open_store

D = dt.date


def same(a, b) -> bool:
    return a.entries() == b.entries() and a.year_sources == b.year_sources


def test_reused_while_nothing_is_written(store):
    first = calcache.calendar_for(store, 2026)
    assert calcache.calendar_for(store, 2026) is first
    assert same(first, calendar.load_calendar(store, 2026))
    later = calcache.calendar_for(store, 2028)  # provisional years: another calendar, kept beside it
    assert later is not first and same(later, calendar.load_calendar(store, 2028))
    assert calcache.calendar_for(store, 2026) is first and calcache.calendar_for(store, 2028) is later


def test_a_correction_on_this_connection_is_seen_at_once(store):
    before = calcache.calendar_for(store, 2026)
    assert not before.is_workday(D(2026, 10, 3))
    ops.calendar.correct_day(store, D(2026, 10, 3), False, "调休上班", "测试:按更正通知")
    after = calcache.calendar_for(store, 2026)
    assert after is not before and after.is_workday(D(2026, 10, 3))
    assert same(after, calendar.load_calendar(store, 2026))


def test_a_commit_by_another_connection_is_seen_at_once(store, db_path, clock):
    before = calcache.calendar_for(store, 2026)
    other = open_store(db_path, clock, operator="另一台电脑")
    try:
        ops.calendar.correct_day(other, D(2026, 10, 4), False, "调休上班", "测试:另一位秘书更正")
    finally:
        other.close()
    after = calcache.calendar_for(store, 2026)
    assert after is not before and after.is_workday(D(2026, 10, 4))


def test_an_unrelated_write_only_rebuilds_and_a_closed_store_is_forgotten(store, db_path, clock):
    first = calcache.calendar_for(store, 2026)
    store.conn.execute("INSERT INTO meta (key, value) VALUES ('calcache-test', '1')")
    assert calcache.calendar_for(store, 2026) is not first  # conservative: any write drops the memo
    n = len(calcache._memo)
    store2 = open_store(db_path, clock, operator="测试员")
    calcache.calendar_for(store2, 2026)
    assert len(calcache._memo) == n + 1
    store2.close()
    del store2
    gc.collect()
    assert len(calcache._memo) == n
