"""Meetings (会议) in the database: the repository of desktop.ops.meetings.

Queries and rows (meetings with their members and topics, leave requests), the snapshots the audit
rows and the conflict message show, and the SQL of each write. No rules (desktop/core/meetings.py),
no audit, no permission, no transaction: the operations in desktop/ops/meetings.py call these
inside theirs. A meeting and a leave request each carry a version: `update_meeting_row` and
`update_leave` write only over the version the caller read (else `ConcurrentEdit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.core.absence import Absence
from desktop.core.errors import NotFound, UserError
from desktop.core.meetings import LeaveState, Meeting, MeetingLeave, Topic
from desktop.store import absences, calcache
from desktop.store.calendar import LAST_SUPPORTED_YEAR, WorkCalendar
from desktop.store.db import Store, insert_id
from desktop.store.history import concurrent_edit
from desktop.store.people import ConcurrentEdit

_M_COLUMNS = "id, type, title, starts_at, ends_at, place, convener_id, minutes_done, documents_done, note, version"
_L_COLUMNS = ("id, meeting_id, person_id, reason, substitute, state, approver_id, approver_for_id, approver_text,"
              " approver_note, absence_id, requested_at, decided_at, decided_by, comment, version,"
               " written, forwarded_at, forwarded_by, filed_at, filed_by")


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _t(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


# ---------------------------------------------------------------- reading

def _load_meetings(store: Store, where: str, args: Sequence) -> list[Meeting]:
    rows = store.conn.execute(f"SELECT {_M_COLUMNS} FROM meeting {where}", args).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    members: dict[int, list[int]] = {}
    attendees: dict[int, list[int]] = {}
    for mid, pid, role in store.conn.execute(
            f"SELECT m.meeting_id, m.person_id, m.role FROM meeting_member m JOIN person p ON p.id = m.person_id"
            f" WHERE m.meeting_id IN ({marks}) ORDER BY p.rank, p.id", ids):
        (members if role == "member" else attendees).setdefault(mid, []).append(pid)
    topics: dict[int, list[Topic]] = {}
    for mid, title, unit in store.conn.execute(
            f"SELECT meeting_id, title, unit FROM meeting_topic WHERE meeting_id IN ({marks}) ORDER BY meeting_id, seq", ids):
        topics.setdefault(mid, []).append(Topic(title, unit))
    out = []
    for mid, type_id, title, starts, ends, place, convener, mdone, ddone, note, version in rows:
        out.append(Meeting(id=mid, type_id=type_id, title=title, starts_at=_t(starts), ends_at=_t(ends), place=place,
                           convener_id=convener, member_ids=tuple(members.get(mid, ())),
                           attendee_ids=tuple(attendees.get(mid, ())), topics=tuple(topics.get(mid, ())),
                           minutes_done=_d(mdone), documents_done=_d(ddone), note=note, version=version))
    return out


def get_meeting(store: Store, meeting_id: int) -> Meeting:
    found = _load_meetings(store, "WHERE id = ?", (meeting_id,))
    if not found:
        raise NotFound(f"找不到编号为 {meeting_id} 的会议。请用 dutydesk meeting list 查看编号。")
    return found[0]


def list_meetings(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> list[Meeting]:
    """Meetings whose day is in [start, end] (either open), in time order."""
    where, args = [], []
    if start is not None:
        where.append("starts_at >= ?")
        args.append(start.isoformat())
    if end is not None:
        where.append("starts_at < ?")
        args.append((end + dt.timedelta(days=1)).isoformat())
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return _load_meetings(store, f"{clause} ORDER BY starts_at, id", args)


def _leave(row: tuple) -> MeetingLeave:
    (lid, mid, pid, reason, sub, state, appr, appr_for, appr_text, appr_note, absence_id, req, dec, dec_by, comment,
     version, written, fwd_at, fwd_by, filed_at, filed_by) = row
    return MeetingLeave(id=lid, meeting_id=mid, person_id=pid, reason=reason, substitute=sub, state=LeaveState(state),
                        approver_id=appr, approver_for_id=appr_for, approver_text=appr_text, approver_note=appr_note,
                        absence_id=absence_id, requested_at=_t(req), decided_at=_t(dec), decided_by=dec_by,
                        comment=comment, version=version, written=bool(written), forwarded_at=_t(fwd_at),
                        forwarded_by=fwd_by, filed_at=_t(filed_at), filed_by=filed_by)


def leaves_of(store: Store, meeting_id: int) -> list[MeetingLeave]:
    return [_leave(r) for r in store.conn.execute(
        f"SELECT {_L_COLUMNS} FROM meeting_leave WHERE meeting_id = ? ORDER BY id", (meeting_id,))]


def get_leave(store: Store, leave_id: int) -> MeetingLeave:
    row = store.conn.execute(f"SELECT {_L_COLUMNS} FROM meeting_leave WHERE id = ?", (leave_id,)).fetchone()
    if row is None:
        raise NotFound(f"找不到编号为 {leave_id} 的会议请假。")
    return _leave(row)


def absences_on(store: Store, m: Meeting) -> list[Absence]:
    return absences.absences_between(store, m.day, m.day)


def calendar_for(store: Store, year: int) -> WorkCalendar | None:
    """The working-day calendar through the year after `year` (None when the database has none)."""
    try:
        return calcache.calendar_for(store, min(year + 1, LAST_SUPPORTED_YEAR))
    except UserError:
        return None


# ---------------------------------------------------------------- what the audit rows and refusals show

def snapshot(m: Meeting) -> dict:
    return {"type": m.type_id, "title": m.title, "starts_at": _iso(m.starts_at), "ends_at": _iso(m.ends_at),
            "place": m.place, "convener_id": m.convener_id, "members": list(m.member_ids),
            "attendees": list(m.attendee_ids), "topics": [[t.title, t.unit] for t in m.topics],
            "minutes_done": _iso(m.minutes_done), "documents_done": _iso(m.documents_done), "note": m.note}


def leave_snapshot(lv: MeetingLeave) -> dict:
    return {"meeting_id": lv.meeting_id, "person_id": lv.person_id, "reason": lv.reason, "substitute": lv.substitute,
            "state": lv.state.value, "approver_id": lv.approver_id, "approver_for_id": lv.approver_for_id,
            "decided_by": lv.decided_by, "comment": lv.comment, "absence_id": lv.absence_id,
            "written": lv.written, "forwarded_at": _iso(lv.forwarded_at), "forwarded_by": lv.forwarded_by,
            "filed_at": _iso(lv.filed_at), "filed_by": lv.filed_by}


def label(m: Meeting) -> str:
    return f"{m.title}({m.when_text})"


def stale(store: Store, now: Meeting, had_version: int) -> ConcurrentEdit:
    """The refusal of a meeting saved over a newer version: what the other user changed (desktop.store.history)."""
    return concurrent_edit(store, "meeting", now.id, f"会议“{now.title}”", had_version, now.version, snapshot(now))


def stale_leave(store: Store, now: MeetingLeave, had_version: int) -> ConcurrentEdit:
    """The refusal of a leave request changed over a newer version."""
    return concurrent_edit(store, "meeting_leave", now.id, f"编号 {now.id} 的会议请假", had_version, now.version,
                           leave_snapshot(now))


# ---------------------------------------------------------------- writing (inside an operation)

def write_members_and_topics(store: Store, m: Meeting, meeting_id: int) -> None:
    store.conn.execute("DELETE FROM meeting_member WHERE meeting_id = ?", (meeting_id,))
    store.conn.executemany("INSERT INTO meeting_member (meeting_id, person_id, role) VALUES (?, ?, ?)",
                           [(meeting_id, pid, "member") for pid in m.member_ids]
                           + [(meeting_id, pid, "attendee") for pid in m.attendee_ids])
    store.conn.execute("DELETE FROM meeting_topic WHERE meeting_id = ?", (meeting_id,))
    store.conn.executemany("INSERT INTO meeting_topic (meeting_id, seq, title, unit) VALUES (?, ?, ?, ?)",
                           [(meeting_id, i, t.title, t.unit) for i, t in enumerate(m.topics, start=1)])


def insert_meeting(store: Store, m: Meeting) -> int:
    """A new meeting row with its members and topics; its id."""
    now = store.clock.now().isoformat(timespec="seconds")
    mid = insert_id(store,
        "INSERT INTO meeting (type, title, starts_at, ends_at, place, convener_id, note, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (m.type_id, m.title, _iso(m.starts_at), _iso(m.ends_at), m.place, m.convener_id, m.note, now, now),
    )
    write_members_and_topics(store, m, mid)
    return mid


def update_meeting_row(store: Store, m: Meeting, expected_version: int) -> None:
    """Write `m`'s fields, members and topics over the stored meeting if it is still at
    `expected_version` (else ConcurrentEdit); the version goes up by one."""
    cur = store.conn.execute(
        "UPDATE meeting SET type = ?, title = ?, starts_at = ?, ends_at = ?, place = ?, convener_id = ?, note = ?,"
        " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        (m.type_id, m.title, _iso(m.starts_at), _iso(m.ends_at), m.place, m.convener_id, m.note,
         store.clock.now().isoformat(timespec="seconds"), m.id, expected_version))
    if cur.rowcount != 1:
        raise stale(store, get_meeting(store, m.id), expected_version)
    write_members_and_topics(store, m, m.id)


def update_issued(store: Store, meeting_id: int, what: str, on: dt.date | None) -> None:
    """The day the minutes (``what="minutes"``) or the documents were issued (None clears it); the
    meeting's version goes up by one."""
    column = {"minutes": "minutes_done", "documents": "documents_done"}[what]
    store.conn.execute(f"UPDATE meeting SET {column} = ?, version = version + 1, updated_at = ? WHERE id = ?",
                       (_iso(on), store.clock.now().isoformat(timespec="seconds"), meeting_id))


def delete_meeting_row(store: Store, meeting_id: int) -> None:
    """The meeting with its members, topics and leave requests (ON DELETE CASCADE)."""
    store.conn.execute("DELETE FROM meeting WHERE id = ?", (meeting_id,))


def insert_leave(store: Store, lv: MeetingLeave) -> int:
    """A new leave request row; its id."""
    return insert_id(store,
        "INSERT INTO meeting_leave (meeting_id, person_id, reason, substitute, state, approver_id, approver_for_id,"
        " approver_text, approver_note, absence_id, requested_at, decided_at, decided_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (lv.meeting_id, lv.person_id, lv.reason, lv.substitute, lv.state.value, lv.approver_id, lv.approver_for_id,
         lv.approver_text, lv.approver_note, lv.absence_id, _iso(lv.requested_at), _iso(lv.decided_at),
         lv.decided_by))


def update_leave(store: Store, lv: MeetingLeave, expected_version: int) -> MeetingLeave:
    """Write `lv`'s state, decision and approver (who decided, for whom) over the stored request if it
    is still at `expected_version` (else ConcurrentEdit); the version goes up by one."""
    cur = store.conn.execute(
        "UPDATE meeting_leave SET state = ?, decided_at = ?, decided_by = ?, comment = ?, approver_id = ?,"
        " approver_for_id = ?, approver_text = ?, approver_note = ?, version = version + 1 WHERE id = ? AND version = ?",
        (lv.state.value, _iso(lv.decided_at), lv.decided_by, lv.comment, lv.approver_id, lv.approver_for_id,
         lv.approver_text, lv.approver_note, lv.id, expected_version))
    if cur.rowcount != 1:
        raise stale_leave(store, get_leave(store, lv.id), expected_version)
    return get_leave(store, lv.id)


def write_leave_steps(store: Store, lv: MeetingLeave) -> None:
    """Write `lv`'s substitute, written request and office steps (呈报, 书面报备) over the stored request.

    Called inside an operation right after `insert_leave` or `update_leave` (which checked and raised
    the version), so it neither checks nor raises the version itself."""
    store.conn.execute(
        "UPDATE meeting_leave SET substitute = :substitute, written = :written, forwarded_at = :forwarded_at,"
        " forwarded_by = :forwarded_by, filed_at = :filed_at, filed_by = :filed_by WHERE id = :id",
        {"substitute": lv.substitute, "written": 1 if lv.written else 0, "forwarded_at": _iso(lv.forwarded_at),
         "forwarded_by": lv.forwarded_by, "filed_at": _iso(lv.filed_at), "filed_by": lv.filed_by, "id": lv.id})
