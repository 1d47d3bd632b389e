"""Meetings (会议) in the database: add and edit, leave requests and decisions, quorum, deadlines.

The rules live in desktop/core/meetings.py; this module loads the snapshot they need (people,
absences on the meeting day, who acts for whom), runs them, and writes the result in one audited
transaction. A meeting carries a version: an edit made on a stale copy is refused
(people.ConcurrentEdit), never silently merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.core import meetings as mt
from desktop.core.absence import Absence, cn_date
from desktop.core.errors import NotFound, UserError
from desktop.core.meetings import LeaveState, Meeting, MeetingLeave, MeetingView, Topic
from desktop.core.profile import Profile
from desktop.store import absences, audit, people
from desktop.store.calendar import LAST_SUPPORTED_YEAR, load_calendar
from desktop.store.db import Store
from desktop.store.history import concurrent_edit
from desktop.store.people import ConcurrentEdit

_M_COLUMNS = "id, type, title, starts_at, ends_at, place, convener_id, minutes_done, documents_done, note, version"
_L_COLUMNS = ("id, meeting_id, person_id, reason, substitute, state, approver_id, approver_for_id, approver_text,"
              " approver_note, absence_id, requested_at, decided_at, decided_by, comment, version")


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
     version) = row
    return MeetingLeave(id=lid, meeting_id=mid, person_id=pid, reason=reason, substitute=sub, state=LeaveState(state),
                        approver_id=appr, approver_for_id=appr_for, approver_text=appr_text, approver_note=appr_note,
                        absence_id=absence_id, requested_at=_t(req), decided_at=_t(dec), decided_by=dec_by,
                        comment=comment, version=version)


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


# ---------------------------------------------------------------- snapshots for the rules

def _calendar(store: Store, year: int):
    try:
        return load_calendar(store, min(year + 1, LAST_SUPPORTED_YEAR))
    except UserError:
        return None


def view(store: Store, profile: Profile, meeting_id: int) -> MeetingView:
    m = get_meeting(store, meeting_id)
    everyone = {p.id: p for p in people.list_people(store)}
    leaves = leaves_of(store, meeting_id)
    on_file = absences_on(store, m)
    q = mt.quorum(profile, m, everyone, leaves, on_file)
    items = mt.deadlines(profile, m, _calendar(store, m.day.year), store.clock.today())
    return MeetingView(m, everyone, leaves, q, mt.likely_leave(m, on_file, leaves), items,
                       any(i.provisional for i in items))


def quorum_of(store: Store, profile: Profile, meeting_id: int) -> mt.QuorumResult:
    return view(store, profile, meeting_id).quorum


# ---------------------------------------------------------------- writing

def _stale(store: Store, entity: str, entity_id: int, what: str, had: int, current: int, now: dict) -> ConcurrentEdit:
    """The refusal of a save made on a stale copy, listing what the other user changed (desktop.store.history)."""
    return concurrent_edit(store, entity, entity_id, what, had, current, now)


def _snapshot(m: Meeting) -> dict:
    return {"type": m.type_id, "title": m.title, "starts_at": _iso(m.starts_at), "ends_at": _iso(m.ends_at),
            "place": m.place, "convener_id": m.convener_id, "members": list(m.member_ids),
            "attendees": list(m.attendee_ids), "topics": [[t.title, t.unit] for t in m.topics],
            "minutes_done": _iso(m.minutes_done), "documents_done": _iso(m.documents_done), "note": m.note}


def _leave_snapshot(lv: MeetingLeave) -> dict:
    return {"meeting_id": lv.meeting_id, "person_id": lv.person_id, "reason": lv.reason, "substitute": lv.substitute,
            "state": lv.state.value, "approver_id": lv.approver_id, "approver_for_id": lv.approver_for_id,
            "decided_by": lv.decided_by, "comment": lv.comment, "absence_id": lv.absence_id}


def _check_people(store: Store, m: Meeting) -> None:
    """Everyone named exists; a new name must be an active person (one already in the meeting
    may stay after being deactivated: the record keeps who was there)."""
    ids = [*m.member_ids, *m.attendee_ids] + ([m.convener_id] if m.convener_id is not None else [])
    already: set[int] = set()
    if m.id is not None:
        old = get_meeting(store, m.id)
        already = {*old.member_ids, *old.attendee_ids, *([old.convener_id] if old.convener_id else [])}
    for pid in dict.fromkeys(ids):
        p = people.get_person(store, pid)
        if not p.active and pid not in already:
            raise UserError(f"{p.name}已停用,不能加入会议。")


def _write_children(store: Store, m: Meeting, meeting_id: int) -> None:
    store.conn.execute("DELETE FROM meeting_member WHERE meeting_id = ?", (meeting_id,))
    store.conn.executemany("INSERT INTO meeting_member (meeting_id, person_id, role) VALUES (?, ?, ?)",
                           [(meeting_id, pid, "member") for pid in m.member_ids]
                           + [(meeting_id, pid, "attendee") for pid in m.attendee_ids])
    store.conn.execute("DELETE FROM meeting_topic WHERE meeting_id = ?", (meeting_id,))
    store.conn.executemany("INSERT INTO meeting_topic (meeting_id, seq, title, unit) VALUES (?, ?, ?, ?)",
                           [(meeting_id, i, t.title, t.unit) for i, t in enumerate(m.topics, start=1)])


def _label(m: Meeting) -> str:
    return f"{m.title}({m.when_text})"


def add_meeting(store: Store, profile: Profile, draft: Meeting) -> Meeting:
    """Save a new meeting (validated against the profile's meeting type)."""
    m = mt.validate_meeting(draft, profile)
    _check_people(store, m)
    with store.atomic():
        now = store.clock.now().isoformat(timespec="seconds")
        mid = store.conn.execute(
            "INSERT INTO meeting (type, title, starts_at, ends_at, place, convener_id, note, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (m.type_id, m.title, _iso(m.starts_at), _iso(m.ends_at), m.place, m.convener_id, m.note, now, now),
        ).lastrowid
        _write_children(store, m, mid)
        saved = get_meeting(store, mid)
        audit.record(store, "add", "meeting", mid, f"新增会议:{_label(saved)}", after=_snapshot(saved))
    return saved


def update_meeting(store: Store, profile: Profile, draft: Meeting, expected_version: int) -> Meeting:
    """Save an edited meeting; refused (ConcurrentEdit) if someone saved it since it was loaded.

    A person taken off the meeting keeps no standing leave request: it is withdrawn with a note.
    """
    if draft.id is None:
        raise UserError("会议还没有保存,不能修改。")
    m = mt.validate_meeting(draft, profile)
    _check_people(store, m)
    with store.atomic():
        before = get_meeting(store, m.id)
        now = store.clock.now()
        cur = store.conn.execute(
            "UPDATE meeting SET type = ?, title = ?, starts_at = ?, ends_at = ?, place = ?, convener_id = ?, note = ?,"
            " version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            (m.type_id, m.title, _iso(m.starts_at), _iso(m.ends_at), m.place, m.convener_id, m.note,
             now.isoformat(timespec="seconds"), m.id, expected_version))
        if cur.rowcount != 1:
            saved = get_meeting(store, m.id)
            raise _stale(store, "meeting", m.id, f"会议“{before.title}”", expected_version, saved.version, _snapshot(saved))
        _write_children(store, m, m.id)
        kept = {*m.member_ids, *m.attendee_ids}
        for lv in leaves_of(store, m.id):
            if lv.state in mt.OPEN_LEAVE and lv.person_id not in kept:
                _save_leave(store, mt.withdraw_leave(lv, now, "已不在参会人员中"), lv.version)
        saved = get_meeting(store, m.id)
        audit.record(store, "update", "meeting", m.id, f"修改会议:{_label(saved)}", before=_snapshot(before),
                     after=_snapshot(saved))
    return saved


def delete_meeting(store: Store, meeting_id: int, expected_version: int | None = None) -> None:
    """Delete a meeting with its members, topics and leave requests (audited with a full copy)."""
    with store.atomic():
        m = get_meeting(store, meeting_id)
        if expected_version is not None and m.version != expected_version:
            raise _stale(store, "meeting", meeting_id, f"会议“{m.title}”", expected_version, m.version, _snapshot(m))
        snapshot = _snapshot(m) | {"leaves": [_leave_snapshot(lv) for lv in leaves_of(store, meeting_id)]}
        store.conn.execute("DELETE FROM meeting WHERE id = ?", (meeting_id,))
        audit.record(store, "delete", "meeting", meeting_id, f"删除会议:{_label(m)}", before=snapshot)


def mark_done(store: Store, meeting_id: int, what: str, on: dt.date | None) -> Meeting:
    """Record the day the minutes (``what="minutes"``) or the documents were issued; None clears it."""
    column = {"minutes": "minutes_done", "documents": "documents_done"}.get(what)
    if column is None:
        raise ValueError(what)
    with store.atomic():
        m = get_meeting(store, meeting_id)
        if on is not None and on < m.day:
            raise UserError(f"印发日期 {cn_date(on)} 早于会议日期 {cn_date(m.day)},请改正。")
        if on is not None and on > store.clock.today():
            raise UserError(f"印发日期 {cn_date(on)} 还没有到,请在印发后再登记。")
        before = getattr(m, column)
        store.conn.execute(f"UPDATE meeting SET {column} = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           (_iso(on), store.clock.now().isoformat(timespec="seconds"), meeting_id))
        label = mt.WHAT_LABELS[what]
        text = f"{label}印发于 {cn_date(on)}" if on else f"撤销{label}的印发登记"
        audit.record(store, "update", "meeting", meeting_id, f"{text}:{_label(m)}",
                     before={column: _iso(before)}, after={column: _iso(on)})
        return get_meeting(store, meeting_id)


# ---------------------------------------------------------------- leave

def _save_leave(store: Store, lv: MeetingLeave, expected_version: int) -> MeetingLeave:
    cur = store.conn.execute(
        "UPDATE meeting_leave SET state = ?, decided_at = ?, decided_by = ?, comment = ?, version = version + 1"
        " WHERE id = ? AND version = ?",
        (lv.state.value, _iso(lv.decided_at), lv.decided_by, lv.comment, lv.id, expected_version))
    if cur.rowcount != 1:
        current = get_leave(store, lv.id)
        raise _stale(store, "meeting_leave", lv.id, f"编号 {lv.id} 的会议请假", expected_version, current.version,
                     _leave_snapshot(current))
    return get_leave(store, lv.id)


def approver_for(store: Store, profile: Profile, meeting_id: int, person_id: int) -> mt.Approver:
    """Who would decide this person's leave if asked today (the acting person when the approver is away)."""
    m = get_meeting(store, meeting_id)
    person = people.get_person(store, person_id)
    today = store.clock.today()
    everyone = {p.id: p for p in people.list_people(store)}
    return mt.resolve_approver(profile, m, person, absences.directory(store, profile, today), everyone, today)


def request_leave(store: Store, profile: Profile, meeting_id: int, person_id: int, reason: str, substitute: str = "",
                  *, absence_id: int | None = None) -> MeetingLeave:  # fmt: skip
    """Register a request; its approver is resolved now (who is away today decides the substitute).

    When the rules make the person his or her own approver (the chief at a meeting he convenes),
    the request is approved at once.
    """
    with store.atomic():
        m = get_meeting(store, meeting_id)
        person = people.get_person(store, person_id)
        existing = leaves_of(store, meeting_id)
        reason, substitute = mt.validate_leave_request(profile, m, person, reason, substitute, existing)
        approver = approver_for(store, profile, meeting_id, person_id)
        now = store.clock.now()
        state, decided_at, decided_by = LeaveState.requested, None, ""
        if approver.self_approved:
            state, decided_at, decided_by = LeaveState.approved, now, person.name
        lid = store.conn.execute(
            "INSERT INTO meeting_leave (meeting_id, person_id, reason, substitute, state, approver_id, approver_for_id,"
            " approver_text, approver_note, absence_id, requested_at, decided_at, decided_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (meeting_id, person_id, reason, substitute, state.value,
             approver.person.id if approver.person else None, approver.original.id if approver.original else None,
             approver.text, approver.note, absence_id, _iso(now), _iso(decided_at), decided_by)).lastrowid
        saved = get_leave(store, lid)
        sub = f",{substitute}代为参会" if substitute else ""
        audit.record(store, "add", "meeting_leave", lid,
                     f"会议请假:{person.name}({reason}{sub}),{_label(m)},审批:{approver.text}",
                     after=_leave_snapshot(saved))
    return saved


def leave_from_absence(store: Store, profile: Profile, meeting_id: int, absence_id: int,
                       substitute: str = "") -> MeetingLeave:  # fmt: skip
    """登记为请假: a request whose reason is the absence record on file (出差 北京 …)."""
    record = absences.get_absence(store, absence_id)
    where = f" {record.destination}" if record.destination else ""
    reason = f"{record.kind.label}{where}({record.span_text})"
    return request_leave(store, profile, meeting_id, record.person_id, reason, substitute, absence_id=absence_id)


def decide_leave(store: Store, leave_id: int, by_name: str, approve: bool, comment: str = "") -> MeetingLeave:
    """Approve (准假) or refuse a request, by its approver or the away approver he or she stands in for."""
    with store.atomic():
        lv = get_leave(store, leave_id)
        names = {p.id: p.name for p in people.list_people(store)}
        decided = mt.decide_leave(lv, by_name, approve, store.clock.now(), names, comment)
        saved = _save_leave(store, decided, lv.version)
        m = get_meeting(store, lv.meeting_id)
        verb = "准假" if approve else "不准假"
        audit.record(store, "approve" if approve else "reject", "meeting_leave", leave_id,
                     f"{decided.decided_by}{verb}:{names.get(lv.person_id, lv.person_id)},{_label(m)}",
                     before={"state": lv.state.value}, after=_leave_snapshot(saved))
    return saved


def withdraw_leave(store: Store, leave_id: int, comment: str = "") -> MeetingLeave:
    with store.atomic():
        lv = get_leave(store, leave_id)
        saved = _save_leave(store, mt.withdraw_leave(lv, store.clock.now(), comment), lv.version)
        name = people.get_person(store, lv.person_id).name
        audit.record(store, "withdraw", "meeting_leave", leave_id, f"撤回会议请假:{name}",
                     before={"state": lv.state.value}, after=_leave_snapshot(saved))
    return saved


def find_leave(store: Store, meeting_id: int, person_id: int) -> MeetingLeave:
    """The person's standing request for the meeting (待批 or 已准假)."""
    found = mt.active_leave(leaves_of(store, meeting_id), person_id)
    if found is None:
        name = people.get_person(store, person_id).name
        raise NotFound(f"{name}在这次会议没有待批或已准的请假。登记请假请写 --reason。")
    return found


def upcoming_deadlines(store: Store, profile: Profile, start: dt.date, end: dt.date) -> list[tuple[Meeting, mt.DeadlineItem]]:
    """The minutes and documents of the meetings in [start, end] that are due or overdue."""
    out = []
    today = store.clock.today()
    for m in list_meetings(store, start, end):
        for item in mt.deadlines(profile, m, _calendar(store, m.day.year), today):
            if item.status in (mt.DUE, mt.OVERDUE):
                out.append((m, item))
    return out

