"""Operations on meetings (会议): add, edit, delete, the issue dates of the minutes and documents,
and leave from a meeting (会议请假: request, from an absence on file, 准假/不准假, 撤回).

Each is one transaction (desktop.ops.base): the meeting's version check, the leave's state and
version checks, the rules (desktop.core.meetings) and the writes (desktop.store.meetings) happen
under the write lock, so two secretaries deciding one request at once can never both decide it,
and a refused command writes nothing (`request_and_decide_leave`: ``meeting leave … --reason X
--approve --by WRONG`` no longer leaves the request behind).

A leave request has its own version (every decision or withdrawal raises it); a meeting's version
covers what the meeting form edits (fields, members, topics, issue dates).

The reads that apply rules (`view`, `quorum_of`, `approver_for`, `find_leave`) are plain functions
here, as `desktop.ops.absences.check` is.

Who decides a request is resolved for the day it is decided, not the day it was filed (DESIGN.md
"Acting and substitution"): a request still waiting is shown (`view`) and decided (`decide_leave`)
with its approver resolved for today, so an approver who leaves after the request arrived is
replaced by whoever acts for him or her today, and one who is back decides again. Who is expected
at the meeting (the quorum, 可能请假) is counted on the meeting's own date.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt

from desktop.core import meetings as mt
from desktop.core.absence import cn_date
from desktop.core.access import Permission
from desktop.core.errors import NotFound, UserError
from desktop.core.meetings import Meeting, MeetingLeave, MeetingView
from desktop.core.profile import Profile
from desktop.ops.base import Entity, Tx, operation
from desktop.store import absences, people
from desktop.store import meetings as rows
from desktop.store.db import Store

# ---------------------------------------------------------------- reads with the rules


def view(store: Store, profile: Profile, meeting_id: int) -> MeetingView:
    """The meeting with its people, leave requests, quorum, likely leave and deadlines."""
    m = rows.get_meeting(store, meeting_id)
    everyone = {p.id: p for p in people.list_people(store)}
    leaves = _as_of_today(store, profile, m, rows.leaves_of(store, meeting_id), everyone)
    on_file = rows.absences_on(store, m)
    q = mt.quorum(profile, m, everyone, leaves, on_file)
    items = mt.deadlines(profile, m, rows.calendar_for(store, m.day.year), store.clock.today())
    return MeetingView(m, everyone, leaves, q, mt.likely_leave(m, on_file, leaves), items,
                       any(i.provisional for i in items))


def quorum_of(store: Store, profile: Profile, meeting_id: int) -> mt.QuorumResult:
    return view(store, profile, meeting_id).quorum


def approver_for(store: Store, profile: Profile, meeting_id: int, person_id: int,
                 on: dt.date | None = None) -> mt.Approver:
    """Who decides this person's leave on ``on`` (default today, the day a decision made now is
    made): the acting person when the approver is away that day."""
    m = rows.get_meeting(store, meeting_id)
    person = people.get_person(store, person_id)
    day = on or store.clock.today()
    everyone = {p.id: p for p in people.list_people(store)}
    return mt.resolve_approver(profile, m, person, absences.directory(store, profile, day), everyone, day)


def _as_of_today(store: Store, profile: Profile, m: Meeting, leaves: list[MeetingLeave],
                 everyone: dict) -> list[MeetingLeave]:
    """The requests still waiting with their approver resolved for today; decided ones as stored
    (they keep who decided, for whom). A request whose approver cannot be resolved any more (the
    rules or the people changed) keeps the stored one."""
    if not any(lv.state is mt.LeaveState.requested for lv in leaves):
        return leaves
    today = store.clock.today()
    directory = absences.directory(store, profile, today)
    out = []
    for lv in leaves:
        person = everyone.get(lv.person_id)
        if lv.state is mt.LeaveState.requested and person is not None:
            with contextlib.suppress(UserError):
                lv = mt.with_approver(lv, mt.resolve_approver(profile, m, person, directory, everyone, today))
        out.append(lv)
    return out


def find_leave(store: Store, meeting_id: int, person_id: int) -> MeetingLeave:
    """The person's standing request for the meeting (待批 or 已准假)."""
    found = mt.active_leave(rows.leaves_of(store, meeting_id), person_id)
    if found is None:
        name = people.get_person(store, person_id).name
        raise NotFound(f"{name}在这次会议没有待批或已准的请假。登记请假请写 --reason。")
    return found


def upcoming_deadlines(store: Store, profile: Profile, start: dt.date, end: dt.date) -> list[tuple[Meeting, mt.DeadlineItem]]:
    """The minutes and documents of the meetings in [start, end] that are due or overdue."""
    out = []
    today = store.clock.today()
    for m in rows.list_meetings(store, start, end):
        for item in mt.deadlines(profile, m, rows.calendar_for(store, m.day.year), today):
            if item.status in (mt.DUE, mt.OVERDUE):
                out.append((m, item))
    return out


# ---------------------------------------------------------------- meetings


def _check_people(store: Store, m: Meeting, before: Meeting | None = None) -> None:
    """Everyone named exists (NotFound) and a new name is an active person (desktop.core.meetings)."""
    mt.check_people([people.get_person(store, pid) for pid in mt.people_named(m)], before)


@operation(Permission.record)
def add_meeting(tx: Tx, profile: Profile, draft: Meeting) -> Meeting:
    """Save a new meeting (validated against the profile's meeting type)."""
    store = tx.store
    m = mt.validate_meeting(draft, profile)
    _check_people(store, m)
    mid = rows.insert_meeting(store, m)
    saved = rows.get_meeting(store, mid)
    tx.audit("add", Entity.meeting, mid, f"新增会议:{rows.label(saved)}", after=rows.snapshot(saved))
    return saved


@operation(Permission.record)
def update_meeting(tx: Tx, profile: Profile, draft: Meeting, expected_version: int) -> Meeting:
    """Save an edited meeting; refused (ConcurrentEdit) if someone saved it since it was loaded
    (`expected_version`, checked under the write lock).

    A person taken off the meeting keeps no standing leave request: it is withdrawn with a note.
    """
    store = tx.store
    if draft.id is None:
        raise UserError("会议还没有保存,不能修改。")
    m = mt.validate_meeting(draft, profile)
    before = rows.get_meeting(store, m.id)
    _check_people(store, m, before)
    rows.update_meeting_row(store, m, expected_version)
    now = store.clock.now()
    kept = {*m.member_ids, *m.attendee_ids}
    for lv in rows.leaves_of(store, m.id):
        if lv.state in mt.OPEN_LEAVE and lv.person_id not in kept:
            rows.update_leave(store, mt.withdraw_leave(lv, now, "已不在参会人员中"), lv.version)
            tx.touch(Entity.meeting_leave, lv.id)
    saved = rows.get_meeting(store, m.id)
    tx.audit("update", Entity.meeting, m.id, f"修改会议:{rows.label(saved)}", before=rows.snapshot(before),
             after=rows.snapshot(saved))
    return saved


@operation(Permission.record)
def delete_meeting(tx: Tx, meeting_id: int, expected_version: int | None = None) -> None:
    """Delete a meeting with its members, topics and leave requests (audited with a full copy);
    refused (ConcurrentEdit) when `expected_version` is given and someone saved the meeting since."""
    store = tx.store
    m = rows.get_meeting(store, meeting_id)
    if expected_version is not None and m.version != expected_version:
        raise rows.stale(store, m, expected_version)
    leaves = rows.leaves_of(store, meeting_id)
    snapshot = rows.snapshot(m) | {"leaves": [rows.leave_snapshot(lv) for lv in leaves]}
    rows.delete_meeting_row(store, meeting_id)
    for lv in leaves:
        tx.touch(Entity.meeting_leave, lv.id)
    tx.audit("delete", Entity.meeting, meeting_id, f"删除会议:{rows.label(m)}", before=snapshot)


@operation(Permission.record)
def mark_done(tx: Tx, meeting_id: int, what: str, on: dt.date | None) -> Meeting:
    """Record the day the minutes (``what="minutes"``) or the documents were issued; None clears it."""
    if what not in mt.WHAT_LABELS:
        raise ValueError(what)
    store = tx.store
    column = {"minutes": "minutes_done", "documents": "documents_done"}[what]
    m = rows.get_meeting(store, meeting_id)
    if on is not None and on < m.day:
        raise UserError(f"印发日期 {cn_date(on)} 早于会议日期 {cn_date(m.day)},请改正。")
    if on is not None and on > store.clock.today():
        raise UserError(f"印发日期 {cn_date(on)} 还没有到,请在印发后再登记。")
    before = getattr(m, column)
    rows.update_issued(store, meeting_id, what, on)
    label = mt.WHAT_LABELS[what]
    text = f"{label}印发于 {cn_date(on)}" if on else f"撤销{label}的印发登记"
    tx.audit("update", Entity.meeting, meeting_id, f"{text}:{rows.label(m)}",
             before={column: before.isoformat() if before else None}, after={column: on.isoformat() if on else None})
    return rows.get_meeting(store, meeting_id)


# ---------------------------------------------------------------- leave


def _check_seen(store: Store, lv: MeetingLeave, seen: MeetingLeave | None) -> None:
    """Refuse (ConcurrentEdit) when ``seen``, the request as the user loaded it, is no longer current."""
    if seen is not None and seen.version != lv.version:
        raise rows.stale_leave(store, lv, seen.version)


@operation(Permission.record)
def request_leave(tx: Tx, profile: Profile, meeting_id: int, person_id: int, reason: str, substitute: str = "",
                  *, absence_id: int | None = None, written: bool = False,
                  _deciding: bool = False) -> MeetingLeave:  # fmt: skip
    """Register a request; its approver is resolved now (who is away today decides the substitute).

    The person's standing requests are read under the write lock: two requests of one person for
    one meeting saved at once are never both kept. When the rules make the person his or her own
    approver (the chief at a meeting he convenes), the request is approved at once. ``written``:
    the written request (书面请假) is on file, which a rule with ``written`` requires (003 art.43).
    """
    store = tx.store
    m = rows.get_meeting(store, meeting_id)
    person = people.get_person(store, person_id)
    existing = rows.leaves_of(store, meeting_id)
    now = store.clock.now()
    reason, substitute = mt.validate_leave_request(profile, m, person, reason, substitute, existing,
                                                   written=written, now=now, deciding=_deciding)
    approver = approver_for(store, profile, meeting_id, person_id)
    new = mt.new_leave(m, person, reason, substitute, approver, now, absence_id, written)
    lid = rows.insert_leave(store, new)
    rows.write_leave_steps(store, dataclasses.replace(new, id=lid))
    saved = rows.get_leave(store, lid)
    sub = f",{substitute}代为参会" if substitute else ""
    tx.audit("add", Entity.meeting_leave, lid, f"会议请假:{person.name}({reason}{sub}),{rows.label(m)},审批:{approver.text}",
             after=rows.leave_snapshot(saved))
    return saved


@operation(Permission.record)
def leave_from_absence(tx: Tx, profile: Profile, meeting_id: int, absence_id: int, substitute: str = "",
                       *, written: bool = False) -> MeetingLeave:  # fmt: skip
    """登记为请假: a request whose reason is the absence record on file (出差 北京 …)."""
    record = absences.get_absence(tx.store, absence_id)
    where = f" {record.destination}" if record.destination else ""
    reason = f"{record.kind.label}{where}({record.span_text})"
    return request_leave(tx.store, profile, meeting_id, record.person_id, reason, substitute,
                         absence_id=absence_id, written=written).value


@operation(Permission.record)
def decide_leave(tx: Tx, leave_id: int, by_name: str, approve: bool, comment: str = "", *,
                 seen: MeetingLeave | None = None, profile: Profile | None = None) -> MeetingLeave:  # fmt: skip
    """Approve (准假) or refuse a request, by its approver or the away approver he or she stands in for.

    The approver is resolved for today, the day of the decision (not the day of the request): when
    the approver the rules name is away today, whoever acts for him or her today decides, and the
    approver still may; the decision keeps who decided for whom. ``profile``: the rules (the
    government's own preset when not given).

    The request must still wait for a decision when the write lock is held, and a decision raises
    its version: of two secretaries deciding it at once, one decides and the other is refused.
    ``seen``: the request as the user loaded it (the page); a decision over a newer version is
    refused with `ConcurrentEdit`."""
    store = tx.store
    lv = rows.get_leave(store, leave_id)
    _check_seen(store, lv, seen)
    everyone = {p.id: p for p in people.list_people(store)}
    names = {pid: p.name for pid, p in everyone.items()}
    m = rows.get_meeting(store, lv.meeting_id)
    rules = profile
    if rules is None:
        from desktop.ops.org import profile_of  # here: only a call without a profile needs it

        rules = profile_of(store)
    if lv.state is mt.LeaveState.requested:
        (lv,) = _as_of_today(store, rules, m, [lv], everyone)
    policy = mt.leave_policy(rules, m, everyone[lv.person_id]) if lv.person_id in everyone else None
    decided = mt.decide_leave(lv, by_name, approve, store.clock.now(), names, comment, policy, m, rules)
    saved = rows.update_leave(store, decided, lv.version)
    verb = "准假" if approve else "不准假"
    tx.audit("approve" if approve else "reject", Entity.meeting_leave, leave_id,
             f"{decided.decided_by}{verb}:{names.get(lv.person_id, lv.person_id)},{rows.label(m)}",
             before={"state": lv.state.value}, after=rows.leave_snapshot(saved))
    return saved


@operation(Permission.record)
def request_and_decide_leave(tx: Tx, profile: Profile, meeting_id: int, person_id: int, reason: str,
                             substitute: str, by_name: str, approve: bool, comment: str = "",
                             *, written: bool = False) -> MeetingLeave:  # fmt: skip
    """Register a request and decide it at once (``meeting leave ID NAME --reason X --approve --by Y``):
    one transaction, so a refused decision (the wrong approver) leaves no request behind. Where the
    rules name the substitute only after consent (001 art.42), it is named right after the approval."""
    store = tx.store
    m = rows.get_meeting(store, meeting_id)
    policy = mt.leave_policy(profile, m, people.get_person(store, person_id))
    later = substitute if policy.substitute_after_approval else ""
    lv = request_leave(store, profile, meeting_id, person_id, reason, "" if later else substitute,
                       written=written, _deciding=True).value
    lv = decide_leave(store, lv.id, by_name, approve, comment, profile=profile).value
    if later and approve:
        lv = name_substitute(store, profile, lv.id, later).value
    elif later:
        raise UserError("不准假的请假不能指定代为参会人员:请去掉 --substitute。")
    return lv


@operation(Permission.record)
def withdraw_leave(tx: Tx, leave_id: int, comment: str = "", *, seen: MeetingLeave | None = None) -> MeetingLeave:
    """撤回 a standing request (待批 or 已准假); ``seen`` as in `decide_leave`."""
    store = tx.store
    lv = rows.get_leave(store, leave_id)
    _check_seen(store, lv, seen)
    saved = rows.update_leave(store, mt.withdraw_leave(lv, store.clock.now(), comment), lv.version)
    name = people.get_person(store, lv.person_id).name
    tx.audit("withdraw", Entity.meeting_leave, leave_id, f"撤回会议请假:{name}",
             before={"state": lv.state.value}, after=rows.leave_snapshot(saved))
    return saved


def _policy_of(store: Store, profile: Profile, lv: MeetingLeave) -> mt.LeavePolicy:
    return mt.leave_policy(profile, rows.get_meeting(store, lv.meeting_id), people.get_person(store, lv.person_id))


@operation(Permission.record)
def office_step(tx: Tx, profile: Profile, leave_id: int, kind: str, by_name: str, *,
                seen: MeetingLeave | None = None) -> MeetingLeave:  # fmt: skip
    """The office's own step of a request, as the rules order it: ``kind="forward"`` before the
    approval (003 art.43 由市政府办公室呈报市长审批), ``kind="file"`` after it (004 art.48 向区政府
    办公室书面报备). ``by_name``: who did it (the signed-in operator or the clerk's name). The step
    raises the request's version; ``seen`` as in `decide_leave`."""
    if kind not in ("forward", "file"):
        raise ValueError(kind)
    store = tx.store
    lv = rows.get_leave(store, leave_id)
    _check_seen(store, lv, seen)
    policy = _policy_of(store, profile, lv)
    done = mt.do_office_step(policy, lv, kind, by_name, store.clock.now(), profile)
    rows.update_leave(store, done, lv.version)
    rows.write_leave_steps(store, done)
    saved = rows.get_leave(store, leave_id)
    label = policy.office_forward if kind == "forward" else policy.office_filing
    name = people.get_person(store, lv.person_id).name
    m = rows.get_meeting(store, lv.meeting_id)
    tx.audit("forward" if kind == "forward" else "file", Entity.meeting_leave, leave_id,
             f"{saved.forwarded_by if kind == 'forward' else saved.filed_by}办理“{label}”:{name},{rows.label(m)}",
             before=rows.leave_snapshot(lv), after=rows.leave_snapshot(saved))
    return saved


@operation(Permission.record)
def name_substitute(tx: Tx, profile: Profile, leave_id: int, substitute: str, *,
                    seen: MeetingLeave | None = None) -> MeetingLeave:  # fmt: skip
    """指定代为参会人员 on a standing request: where the rules say so, only once leave is granted
    (001 art.42 经同意后,方可指定代替参加会议人员) and only a deputy post (004 art.48 其他副职)."""
    store = tx.store
    lv = rows.get_leave(store, leave_id)
    _check_seen(store, lv, seen)
    policy = _policy_of(store, profile, lv)
    named = mt.name_substitute(policy, lv, substitute, profile)
    rows.update_leave(store, named, lv.version)
    rows.write_leave_steps(store, named)
    saved = rows.get_leave(store, leave_id)
    name = people.get_person(store, lv.person_id).name
    tx.audit("update", Entity.meeting_leave, leave_id, f"指定代为参会人员:{saved.substitute}代{name}参会",
             before=rows.leave_snapshot(lv), after=rows.leave_snapshot(saved))
    return saved
