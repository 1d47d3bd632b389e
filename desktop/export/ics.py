"""iCalendar (RFC 5545) exports for the leaders' phones and Outlook, built with `icalendar`.

* `absence_calendar` — one event a record: an all-day event (DTSTART;VALUE=DATE, DTEND the day
  after the last day) or, when the record starts in an afternoon or ends at noon, a timed event
  in Asia/Shanghai (上午 08:30–12:00, 下午 14:30–18:00) with the zone's VTIMEZONE in the file;
* `duty_calendar` — one all-day event an assignment: “带班:张三”, “值班:李四”.

Re-importing a newer export updates the events instead of duplicating them: each UID is derived
from what identifies the record, never from the export — ``absence-{id}-{cal}@dutydesk`` and
``duty-{date}-{slot}-{seq}-{cal}@dutydesk`` (a day's duty slot, whoever takes it: a swap updates
the event) — where ``{cal}`` is the database's own calendar id (desktop.store.org.calendar_id,
made once), so that two offices' calendars never collide on one phone and renaming the office
changes nothing. SEQUENCE is the record's (or the plan's) version, which the store raises on
every change. A withdrawn, rejected or cancelled record is exported with STATUS:CANCELLED, so
that a re-import takes it off the calendar; drafts are left out. A duty place that a plan once
had and has no more (a day dropped from the plan, a second officer no longer needed) is exported
as STATUS:CANCELLED with a SEQUENCE above the one it was last exported with (`CancelledDuty`).
Events are TRANSPARENT: someone else's trip or duty does not make the phone's owner busy.

DTSTAMP is the moment of the export in UTC (a naive clock reading is the computer's local time);
the VTIMEZONE of Asia/Shanghai is icalendar's own (`Calendar.add_missing_timezones`, from the
tz database), not written by hand.

No store, no widgets: the entries are passed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from desktop import __version__
from desktop.core.absence import AbsenceState, Half, cn_date
from desktop.export.absences_xlsx import AbsenceEntry

__all__ = [
    "AM",
    "PM",
    "PRODID",
    "TZID",
    "CancelledDuty",
    "DutyEvent",
    "absence_calendar",
    "absence_uid",
    "duty_calendar",
    "duty_uid",
    "ics_bytes",
    "org_token",
]

TZID = "Asia/Shanghai"
ZONE = ZoneInfo(TZID)
PRODID = f"-//DutyDesk//DutyDesk {__version__}//ZH-CN"
#: Office hours of a half day (上午 / 下午), as the events of a half-day absence show them.
AM = (time(8, 30), time(12, 0))
PM = (time(14, 30), time(18, 0))

_CANCELLED = frozenset({AbsenceState.rejected, AbsenceState.withdrawn, AbsenceState.cancelled})
_TENTATIVE = frozenset({AbsenceState.in_progress})


def org_token(org_name: str) -> str:
    """8 hex digits from an organisation's name: the calendar id of the exports before each
    database had its own (desktop.store.org.calendar_id keeps it for the databases that had it)."""
    return hashlib.sha256(org_name.strip().encode("utf-8")).hexdigest()[:8]


def absence_uid(absence_id: int, token: str) -> str:
    return f"absence-{absence_id}-{token}@dutydesk"


def duty_uid(day: date, slot: str, seq: int, token: str) -> str:
    return f"duty-{day:%Y%m%d}-{slot}-{seq}-{token}@dutydesk"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    return cal


def _stamp(now: datetime) -> datetime:
    """DTSTAMP in UTC. A naive ``now`` (the store's clock reads the computer's clock) is the
    computer's local time, whatever its zone: not assumed to be Beijing time."""
    return now.astimezone(UTC).replace(microsecond=0)


def _event(uid: str, summary: str, sequence: int, stamp: datetime, categories: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", max(int(sequence), 0))
    event.add("summary", summary)
    event.add("categories", [categories])
    event.add("transp", "TRANSPARENT")
    return event


def _span(entry: AbsenceEntry) -> tuple[date | datetime, date | datetime]:
    """All-day dates (DTEND the day after the last day), or Beijing times for a half day."""
    r = entry.record
    end, end_half = entry.end
    if r.start_half is Half.full and end_half is Half.full:
        return r.start, end + timedelta(days=1)
    first = datetime.combine(r.start, (PM if r.start_half is Half.pm else AM)[0], ZONE)
    last = datetime.combine(end, (AM if end_half is Half.am else PM)[1], ZONE)
    return first, last


def _absence_description(entry: AbsenceEntry) -> str:
    r = entry.record
    lines = [f"{entry.name}({entry.title})" if entry.title else entry.name,
             f"类型:{r.kind.label}", f"时间:{entry.span_text}"]  # fmt: skip
    if r.destination:
        lines.append(f"目的地:{r.destination}")
    if r.reason:
        lines.append(f"事由:{r.reason}")
    if entry.acting:
        lines.append(f"代行:{entry.acting_text}")
    if r.contact:
        lines.append(f"联系方式:{r.contact}")
    lines.append(f"状态:{entry.state}")
    lines.append(f"编号:{r.id}")
    return "\n".join(lines)


def absence_calendar(entries: Iterable[AbsenceEntry], *, calendar_name: str, token: str, now: datetime) -> Calendar:
    """The records as events (drafts left out; closed records as STATUS:CANCELLED); ``token`` is
    the database's calendar id."""
    cal = _calendar(calendar_name)
    stamp = _stamp(now)
    timed = False  # a half day is a timed event in Asia/Shanghai
    for entry in entries:
        r = entry.record
        if r.state is AbsenceState.draft or r.id is None:
            continue
        summary = f"{entry.name} {r.kind.label}" + (f" {r.destination}" if r.destination else "")
        event = _event(absence_uid(r.id, token), summary, r.version, stamp, r.kind.label)
        start, end = _span(entry)
        timed = timed or isinstance(start, datetime)
        event.add("dtstart", start)
        event.add("dtend", end)
        if r.destination:
            event.add("location", r.destination)
        event.add("description", _absence_description(entry))
        if r.state in _CANCELLED:
            event.add("status", "CANCELLED")
        elif r.state in _TENTATIVE:
            event.add("status", "TENTATIVE")
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    if timed:
        cal.add_missing_timezones()  # the VTIMEZONE of Asia/Shanghai, first in the calendar
    return cal


@dataclass(frozen=True)
class DutyEvent:
    """One stored duty assignment (desktop.store.duty.DutyRow) with its plan's label and version."""

    date: date
    slot: str  # leader / officer
    seq: int  # the order of the day's people (unique per day and slot)
    name: str
    phone: str = ""
    shift: str = ""  # 全天, 白班, 夜班
    holiday: str | None = None
    heavy_label: str | None = None  # 国庆10月1日, 除夕 …
    label: str = ""  # the plan's scope: 2026年国庆节
    version: int = 1  # the plan's version
    provisional: bool = False


_SLOT_WORD = {"leader": ("带班", "带班领导"), "officer": ("值班", "值班员")}


def _duty_summary(e: DutyEvent, shifts: int) -> str:
    word = _SLOT_WORD.get(e.slot, ("值班", "值班员"))[0]
    shift = f"({e.shift})" if shifts > 1 and e.shift else ""
    return f"{word}{shift}:{e.name}"


@dataclass(frozen=True)
class CancelledDuty:
    """A duty place (day, slot, seq) that a plan once had and has no more, and the SEQUENCE its
    cancellation carries (above any it was exported with)."""

    date: date
    slot: str
    seq: int
    sequence: int


def duty_calendar(events: Sequence[DutyEvent], *, calendar_name: str, token: str, now: datetime,
                  cancelled: Iterable[CancelledDuty] = ()) -> Calendar:  # fmt: skip
    """The assignments as all-day events: 带班:张三, 值班:李四 (值班(夜班):李四 with several shifts);
    ``cancelled`` the places gone from the plans, as STATUS:CANCELLED; ``token`` the database's
    calendar id."""
    cal = _calendar(calendar_name)
    stamp = _stamp(now)
    shifts = len({e.shift for e in events if e.slot == "officer" and e.shift})
    for e in events:
        event = _event(duty_uid(e.date, e.slot, e.seq, token), _duty_summary(e, shifts), e.version, stamp, "值班")
        event.add("dtstart", e.date)
        event.add("dtend", e.date + timedelta(days=1))
        role = _SLOT_WORD.get(e.slot, ("值班", "值班员"))[1]
        lines = [f"{cn_date(e.date)} {role}:{e.name}" + (f"({e.shift})" if shifts > 1 and e.shift else "")]
        if e.phone:
            lines.append(f"联系电话:{e.phone}")
        if e.holiday:
            lines.append(f"假期:{e.holiday}")
        if e.heavy_label:
            lines.append(f"重点值班日:{e.heavy_label}")
        if e.label:
            lines.append(f"排班:{e.label}")
        if e.provisional:
            lines.append("日期按暂定日历安排,以国务院放假通知为准。")
        event.add("description", "\n".join(lines))
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    live = {(e.date, e.slot, e.seq) for e in events}
    for c in cancelled:
        if (c.date, c.slot, c.seq) in live:
            continue
        word = _SLOT_WORD.get(c.slot, ("值班", "值班员"))[0]
        event = _event(duty_uid(c.date, c.slot, c.seq, token), f"{word}(已取消)", c.sequence, stamp, "值班")
        event.add("dtstart", c.date)
        event.add("dtend", c.date + timedelta(days=1))
        event.add("description", f"{cn_date(c.date)}的这一{word}安排已取消。")
        event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal


def ics_bytes(cal: Calendar) -> bytes:
    """The calendar as RFC 5545 text (CRLF, folded lines, UTF-8)."""
    return cal.to_ical()
