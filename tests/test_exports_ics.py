"""Calendars that stay put (issue 12): the ICS exports' UIDs belong to the database, a duty place
that drops out of a plan is cancelled on the phone, DTSTAMP is the real UTC time, and the
VTIMEZONE is icalendar's own. Read back with icalendar and with a second parser, ``ical``
(allenporter/ical, a strict RFC 5545 reader)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import time
from datetime import date

import pytest
from icalendar import Calendar, Timezone
from test_exports import DUTY_DAYS, ORG, _profile, export, gov  # noqa: F401 - the fixture

from desktop import ops
from desktop.export import ics
from desktop.resources import available_profiles
from desktop.store import duty, schema
from desktop.store.opening import open_store
from desktop.store.org import calendar_id


def events(path) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_renaming_the_office_keeps_every_uid(gov, tmp_path):  # noqa: F811
    before = events(export(gov, "duty", "ics", tmp_path / "a.ics").path)
    away = events(export(gov, "absences", "ics", tmp_path / "a2.ics").path)
    ops.org.init_org(gov, "panzhihua", "演示市人民政府办公室(新名称)", available_profiles())  # `init --org`
    after = events(export(gov, "duty", "ics", tmp_path / "b.ics").path)
    away_after = events(export(gov, "absences", "ics", tmp_path / "b2.ics").path)
    assert after.keys() == before.keys() and away_after.keys() == away.keys()
    token = calendar_id(gov)
    assert all(uid.endswith(f"-{token}@dutydesk") for uid in [*after, *away_after])


def test_each_database_has_its_own_calendar_id_made_once(tmp_path, clock):
    one = open_store(tmp_path / "one.db", clock)
    two = open_store(tmp_path / "two.db", clock)
    try:
        first = calendar_id(one)
        assert first and first != calendar_id(two)  # the same (empty) office name, different databases
    finally:
        one.close()
        two.close()
    again = open_store(tmp_path / "one.db", clock)
    try:
        assert calendar_id(again) == first  # made once, kept
    finally:
        again.close()


def test_an_upgraded_database_keeps_the_uids_its_exports_had(tmp_path):
    """A database that had an office name before m008 keeps the id its exports used (the name's
    hash), so a calendar imported before the upgrade is updated, not doubled."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('org_name', :name)", {"name": ORG})

    class Db:  # the part of sqlite_utils.Database the migration uses
        def execute(self, sql, params=None):
            return conn.execute(sql, params or {})

    schema.m008_calendar_id(Db())
    assert conn.execute("SELECT value FROM meta WHERE key = 'calendar_id'").fetchone()[0] == ics.org_token(ORG)


def test_a_duty_place_dropped_from_the_plan_is_cancelled_with_a_higher_sequence(gov, tmp_path):  # noqa: F811
    first = events(export(gov, "duty", "ics", tmp_path / "a.ics").path)
    token = calendar_id(gov)
    second_officer = ics.duty_uid(DUTY_DAYS[0], duty.OFFICER, 1, token)
    assert str(first[second_officer]["STATUS"]) == "CONFIRMED"
    # one officer a day from now on: the second officer's places drop out of the plan
    profile = _profile(gov)
    fewer = dataclasses.replace(profile, duty=dataclasses.replace(profile.duty, officers_per_day=1))
    ops.duty.plan(gov, fewer, duty.holiday_plan_scope(gov, 2026, "国庆节"), duty.OFFICER)
    second = events(export(gov, "duty", "ics", tmp_path / "b.ics").path)
    assert second.keys() == first.keys()  # nothing new, nothing silently gone
    gone = second[second_officer]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) > int(first[second_officer]["SEQUENCE"])
    assert gone.decoded("DTSTART") == DUTY_DAYS[0] and "已取消" in str(gone["SUMMARY"])
    kept = ics.duty_uid(DUTY_DAYS[0], duty.OFFICER, 0, token)
    assert str(second[kept]["STATUS"]) == "CONFIRMED"
    cancelled = [u for u, e in second.items() if str(e["STATUS"]) == "CANCELLED"]
    assert len(cancelled) == len(DUTY_DAYS)  # each day's second officer, nothing else
    # exported again without a change: the same file (the cancellations are stable)
    assert export(gov, "duty", "ics", tmp_path / "c.ics").path.read_bytes() == (tmp_path / "b.ics").read_bytes()


@pytest.fixture
def local_zone(monkeypatch):
    """Set the process's local time zone (TZ) for one test, restored after."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("zone", "stamp"), [("Asia/Shanghai", "20261121T013000Z"), ("UTC", "20261121T093000Z"),
                                             ("Europe/Berlin", "20261121T083000Z")])  # fmt: skip
def test_dtstamp_is_the_real_utc_time_of_the_computers_clock(local_zone, zone, stamp):
    """The store's clock reads the computer's clock (naive local time): 09:30 there is 01:30 UTC in
    Beijing, 09:30 UTC on a computer set to UTC — not always 01:30."""
    local_zone(zone)
    event = ics.DutyEvent(date(2026, 10, 1), duty.LEADER, 0, "张三")
    cal = ics.duty_calendar([event], calendar_name="值班", token="t", now=dt.datetime(2026, 11, 21, 9, 30))
    assert f"DTSTAMP:{stamp}" in cal.to_ical().decode()


def test_the_vtimezone_is_icalendars_own(gov, tmp_path):  # noqa: F811
    cal = Calendar.from_ical(export(gov, "absences", "ics", tmp_path / "away.ics").path.read_bytes())
    (zone,) = cal.walk("VTIMEZONE")
    assert zone.to_ical() == Timezone.from_tzid("Asia/Shanghai").to_ical()
    assert cal.subcomponents[0] is zone  # before the events that use it


def test_a_second_ics_parser_reads_every_export(gov, tmp_path):  # noqa: F811
    """``ical`` (allenporter/ical) validates the files as RFC 5545: every export parses, with the
    same UIDs and statuses icalendar reads."""
    ical_store = pytest.importorskip("ical.calendar_stream")
    profile = _profile(gov)
    fewer = dataclasses.replace(profile, duty=dataclasses.replace(profile.duty, officers_per_day=1))
    export(gov, "duty", "ics", tmp_path / "before.ics")
    ops.duty.plan(gov, fewer, duty.holiday_plan_scope(gov, 2026, "国庆节"), duty.OFFICER)
    for name, what in (("duty.ics", "duty"), ("away.ics", "absences")):
        path = export(gov, what, "ics", tmp_path / name).path
        parsed = ical_store.IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
        theirs = {e.uid: (e.status.value if e.status else None) for e in parsed.events}
        ours = {uid: str(e.get("STATUS")) for uid, e in events(path).items()}
        assert theirs == ours
