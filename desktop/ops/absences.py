"""Operations on absence records (外出报备/请假): add, 报送, each step of the chain, 销假, 延期,
撤回/取消, and the office's designations (000 art.61) and together-away reasons (000 art.84).

Each is one transaction (desktop.ops.base): the overlap check, the version check against what the
user saw (``seen``), the chain and the write happen under the write lock, so two secretaries saving
at once can never both save overlapping trips or both do one step.

Who may do a step is decided on the day it is done (DESIGN.md "Acting and substitution"): the
store keeps each pending person step waiting for the approver the rules name
(desktop.core.chain.plain), and every read that shows or does a step routes it for today
(`steps_today`, `pending`, `advance_absence`): when that approver is away today, the person acting
for him or her today may do it, and the approver still may. Nothing is re-written when an
approver's own trip is registered, extended, returned or cancelled — the next read (the pages
reload on every absence change) already shows the new route, and a trip that starts next week
re-routes its steps on that day without anyone saving anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from desktop.core import absence as ab
from desktop.core import chain as ch
from desktop.core import checks
from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.access import Permission
from desktop.core.acting import (
    DESIGNATABLE_ROLES,
    ActingReport,
    Designation,
    Override,
    check_delegate,
    validate_designation,
    validate_override,
    who_acts,
)
from desktop.core.errors import UserError
from desktop.core.profile import Profile, StepAction
from desktop.ops.base import Entity, Tx, operation, unit_scope
from desktop.store import absences as rows
from desktop.store import people
from desktop.store.calcache import calendar_for
from desktop.store.db import Store


@dataclasses.dataclass(frozen=True)
class Saved:
    record: Absence
    steps: list[ch.ResolvedStep]
    findings: list[checks.Finding]


def preview(store: Store, profile: Profile, draft: Absence) -> Saved:
    """What saving `draft` would do — chain, warnings — without writing (the record form, as you type).

    The operations below run the same checks again inside their transaction."""
    record = ab.validate_absence_draft(draft)
    person = people.get_person(store, record.person_id)
    if not person.active:
        raise UserError(f"{person.name}已停用,不能新增外出记录。")
    mine = rows.absences_between(store, record.start, max(record.end, record.actual_return or record.end),
                                 person_id=person.id)
    other = ab.find_overlap(record, [a for a in mine if a.id != record.id])
    if other is not None:
        raise UserError(ab.overlap_message(record, other, person.name))
    _check_delegate(store, profile, person, record)
    on = (record.reported_at or store.clock.now()).date()  # chooses among an any: target's roles
    steps = ch.resolve_chain(profile, person, record, rows.directory(store, profile, on), on=on)
    today = store.clock.today()
    if today != on:  # shown as they stand today (who may do each step is decided on the day)
        steps = ch.route(steps, profile, rows.directory(store, profile, today), today, requester_id=person.id)
    calendar = calendar_for(store, record.end.year + 1)
    findings = checks.check_record(record, person, profile, calendar, existing=mine,
                                   people=people.list_people(store, active_only=True), portfolios=people.portfolios(store))
    return Saved(record, steps, findings)


def _check_delegate(store: Store, profile: Profile, person, record: Absence) -> None:
    """Under a rule that lets the leader name a delegate (``delegates``, 主要负责人授权委托), the record's
    acting person is that delegate: one person of those roles, present on every day of the record."""
    rule = profile.acting_rule_for(person.role, record.kind, record.leaves_jurisdiction)
    if rule is None or not rule.delegates or not record.acting_ids:
        return
    if len(record.acting_ids) > 1:
        raise UserError("只能指定一位受委托代行人,请只留一位。")
    delegate = people.get_person(store, record.acting_ids[0])
    busy = rows.absences_between(store, record.start, record.end, person_id=delegate.id)
    check_delegate(profile, person, record, delegate, [a for a in busy if a.id != record.id])


def _check_seen(store: Store, record: Absence, seen: Absence | None, yours: dict | None = None) -> None:
    """Refuse (ConcurrentEdit) when ``seen``, the record as the user loaded it, is no longer current."""
    if seen is not None and seen.version != record.version:
        raise rows.stale(store, record, seen.version, seen, yours)


def _no_overlap(store: Store, record: Absence, updated: Absence, last: dt.date) -> None:
    """The record's span (now reaching `last`) must not run into another record of the person."""
    mine = rows.absences_between(store, record.start, max(last, record.end), person_id=record.person_id)
    other = ab.find_overlap(updated, [a for a in mine if a.id != record.id])
    if other is not None:
        raise UserError(ab.overlap_message(updated, other, people.get_person(store, record.person_id).name))


@operation(Permission.unit_record)
def add_absence(tx: Tx, profile: Profile, draft: Absence, *, submit: bool = True) -> Saved:
    """Save a new record; submitted at once unless `submit` is False (a draft). A 单位录入员
    files the records of his own unit's heads only."""
    store = tx.store
    tx.check_person(draft.person_id)
    if draft.reported_at is None and submit:
        draft = dataclasses.replace(draft, reported_at=store.clock.now())
    planned = preview(store, profile, draft)
    record = planned.record
    rid = rows.insert_absence(store, record)
    saved = rows.get_absence(store, rid)
    steps: list[ch.ResolvedStep] = []
    if submit:
        saved = ab.submit(saved, has_steps=bool(planned.steps), now=store.clock.now())
        saved = rows.update_absence(store, saved, 1)
        steps = planned.steps
        rows.write_steps(store, rid, ch.plain_steps(steps))
    tx.audit("add", Entity.absence, rid, f"新增外出/请假:{rows.label(store, saved)}", after=rows.snapshot(saved))
    return Saved(saved, steps, planned.findings)


@operation(Permission.unit_record)
def submit_draft(tx: Tx, profile: Profile, absence_id: int, *, seen: Absence | None = None) -> Saved:
    """报送 a draft: the chain is resolved now (who is away today decides the substitutes).

    ``seen`` (here and below): the record as the user loaded it; a save over a newer version is
    refused with `ConcurrentEdit` (what changed, by whom), nothing written."""
    store = tx.store
    record = rows.get_absence(store, absence_id)
    tx.check_person(record.person_id, f"编号 {absence_id} 的外出/请假记录")
    _check_seen(store, record, seen, {"state": AbsenceState.submitted.value})
    if record.state is not AbsenceState.draft:
        raise UserError(f"编号 {absence_id} 的记录当前为“{record.state.label}”,不是草稿,不需要报送。")
    if record.reported_at is None:
        record = dataclasses.replace(record, reported_at=store.clock.now())
    planned = preview(store, profile, record)
    saved = ab.submit(planned.record, has_steps=bool(planned.steps), now=store.clock.now())
    saved = rows.update_absence(store, saved, record.version)
    rows.write_steps(store, absence_id, ch.plain_steps(planned.steps))
    tx.audit("submit", Entity.absence, absence_id, f"报送:{rows.label(store, saved)}",
             before={"state": "draft"}, after=rows.snapshot(saved))
    return Saved(saved, planned.steps, planned.findings)


def _rules(store: Store, profile: Profile | None) -> Profile:
    if profile is not None:
        return profile
    from desktop.ops.org import profile_of  # here: only an operation called without a profile needs it

    return profile_of(store)


def steps_today(store: Store, profile: Profile, absence_id: int, record: Absence | None = None) -> list[ch.ResolvedStep]:
    """The record's steps as they stand today: each pending person step goes to whoever acts for its
    approver today when he or she is away (“常务副县长 陈常务(代县长)”), else to the approver."""
    steps = rows.steps_of(store, absence_id)
    if not any(s.state is ch.StepState.pending and s.is_person_step for s in steps):
        return steps
    record = record or rows.get_absence(store, absence_id)
    today = store.clock.today()
    return ch.route(steps, profile, rows.directory(store, profile, today), today, requester_id=record.person_id)


def office_actor(store: Store) -> str:
    """Who does an office step (报告、通报、报备、汇总) when nobody else is named: the signed-in
    operator (his or her display name), else the office itself (the org's name) — never the
    computer's login name, which would be printed on the forms (issue 14)."""
    from desktop.store import operators
    from desktop.store.org import get_org

    op = operators.current(store)
    if op is not None:
        return op.display_name or op.name
    org = get_org(store)
    return org.name if org is not None and org.name else "政府办公室"


def step_doers(store: Store, steps: list[ch.ResolvedStep]) -> list[str]:
    """Who may do the current stage's pending steps, in the order to offer them: for a person step
    the leader acting for an away approver first, then the approver (`ResolvedStep.may_be_done_by`,
    steps as routed for today by `steps_today`); for an office step the `office_actor`."""
    stage = ch.current_stage(steps)
    names: list[str] = []
    for s in steps:
        if s.stage != stage or s.state is not ch.StepState.pending:
            continue
        names += list(s.may_be_done_by) if s.is_person_step else [office_actor(store)]
    return list(dict.fromkeys(names))


def default_doer(store: Store, steps: list[ch.ResolvedStep]) -> str | None:
    """Who does the next step when nobody is named (the CLI without --by): the `office_actor` when an
    office step is pending in the current stage; None when only a leader may (he or she must be named)."""
    stage = ch.current_stage(steps)
    pending = [s for s in steps if s.stage == stage and s.state is ch.StepState.pending]
    return office_actor(store) if any(not s.is_person_step for s in pending) else None


@dataclasses.dataclass(frozen=True)
class Waiting:
    """One row of the 待办 list: the steps waiting now for one person (routed for today) and action."""

    target_text: str  # as routed today: 县长 / 常务副县长 陈常务(代县长)
    action: StepAction
    count: int
    key: tuple[str, StepAction]  # rows.AbsenceQuery.pending: the step as stored (the approver the rules name)

    @property
    def row(self) -> tuple[str, str, int]:
        """(target, action label, count) for desktop.core.chain.pending_text: 等待 县长 批准:3"""
        return (self.target_text, self.action.label, self.count)


def pending(store: Store, profile: Profile) -> list[Waiting]:
    """What the secretary waits for, routed for today: the pending steps of each record's current
    stage, most first. A step whose approver is away today is counted under the person acting for
    him or her (“等待 常务副县长 陈常务(代县长) 批准:1”); its ``key`` still filters the list."""
    found = rows.pending_steps(store)
    unit = unit_scope(store)
    if unit is not None:  # a 单位录入员: the steps of his own unit's records only
        ours = {p.id for p in people.list_people(store) if p.unit == unit}
        found = [f for f in found if f[1] in ours]
    if not found:
        return []
    today = store.clock.today()
    directory = rows.directory(store, profile, today)
    counts: dict[tuple[str, StepAction, tuple[str, StepAction]], int] = {}
    for _absence_id, requester, step in found:
        (routed,) = ch.route([step], profile, directory, today, requester_id=requester)
        k = (routed.target_text, routed.action, (step.target_text, step.action))
        counts[k] = counts.get(k, 0) + 1
    order = {k: i for i, k in enumerate(counts)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return [Waiting(text, action, n, key) for (text, action, key), n in ranked]


@operation(Permission.record)
def advance_absence(tx: Tx, absence_id: int, by_name: str, *, reject: bool = False, comment: str = "",
                    seen: Absence | None = None, profile: Profile | None = None) -> tuple[Absence, str]:
    """Do the next step of the record's chain (or reject it with a reason).

    The steps are routed for today first (`steps_today`): a step whose approver is away today may be
    done by whoever acts for him or her today, recorded as “陈常务(代县长)”; the approver may still
    do it. ``profile``: the rules (the government's own preset when not given).

    Every step done raises the record's version: a colleague who saw the record before this step
    (``seen``) is refused instead of doing the next step in the belief it is this one.
    A record returned (销假) with a filing still pending stays returned when the filing is done."""
    store = tx.store
    record = rows.get_absence(store, absence_id)
    _check_seen(store, record, seen)
    if record.state is AbsenceState.draft:
        raise UserError(f"编号 {absence_id} 的记录还是草稿,请先报送。")
    before = rows.steps_of(store, absence_id)
    open_chain = record.state is AbsenceState.returned and ch.current_stage(before) is not None
    if record.state is not AbsenceState.in_progress and not open_chain:
        raise UserError(f"编号 {absence_id} 的记录当前为“{record.state.label}”,没有待办的审批步骤。")
    if open_chain and reject:
        raise UserError(f"编号 {absence_id} 的记录已经销假,不能再退回;剩下的报备或通报步骤请直接办理。")
    routed = steps_today(store, _rules(store, profile), absence_id, record)
    steps, outcome = ch.advance(routed, by_name, store.clock.now(), reject=reject, comment=comment)
    rows.write_steps(store, absence_id, ch.plain_steps(steps))
    changed = record if outcome == "step_done" else ab.apply_chain_outcome(record, outcome, comment)
    updated = rows.update_absence(store, changed, record.version)
    done = [s for s, b in zip(steps, before, strict=True) if s.state != b.state]
    what = "、".join(f"{s.target_text}{s.action.label}" for s in done) or "步骤"
    who = done[0].done_by if done else by_name
    tx.audit("reject" if reject else "advance", Entity.absence, absence_id,
             f"{who}:{what}{'(退回)' if reject else ''} — {rows.label(store, record)}",
             before={"state": record.state.value}, after={"state": updated.state.value, "outcome": outcome,
                                                          "comment": comment, "version": updated.version})
    return updated, outcome


def _only_notices_pending(store: Store, record: Absence) -> bool:
    """An in_progress record waiting only for report, notification or filing steps: 销假, 延期 and
    取消 do not wait for them (desktop.core.chain.only_notices_pending)."""
    return record.state is AbsenceState.in_progress and ch.only_notices_pending(rows.steps_of(store, record.id))


@operation(Permission.unit_record)
def return_absence(tx: Tx, absence_id: int, on: dt.date, half: Half = Half.full, *,
                   seen: Absence | None = None) -> Absence:
    """销假: the actual last day away (early return and extension both allowed).

    A record still waiting only for a report, a notification or a filing (a chief's trip the office
    has not filed yet) may be returned: the step stays pending and is done later."""
    store = tx.store
    record = rows.get_absence(store, absence_id)
    tx.check_person(record.person_id, f"编号 {absence_id} 的外出/请假记录")
    _check_seen(store, record, seen, {"state": AbsenceState.returned.value, "actual_return": on.isoformat(),
                                      "actual_return_half": half.value})
    updated = ab.mark_returned(record, on, half, today=store.clock.today(),
                               only_notices_pending=_only_notices_pending(store, record))
    _no_overlap(store, record, updated, on)
    saved = rows.update_absence(store, updated, record.version)
    tx.audit("return", Entity.absence, absence_id, f"销假:{rows.label(store, saved)},{ab.return_note(saved)}",
             before=rows.snapshot(record), after=rows.snapshot(saved))
    return saved


@operation(Permission.unit_record)
def extend_absence(tx: Tx, absence_id: int, new_end: dt.date, half: Half = Half.full, reason: str = "", *,
                   seen: Absence | None = None) -> Absence:
    """延期 (or an earlier planned end) of a granted record, or of one waiting only for a report, a
    notification or a filing (those steps stay pending); the first planned end is kept."""
    store = tx.store
    record = rows.get_absence(store, absence_id)
    tx.check_person(record.person_id, f"编号 {absence_id} 的外出/请假记录")
    _check_seen(store, record, seen, {"end": new_end.isoformat(), "end_half": half.value})
    updated, change = ab.extend(record, new_end, half, reason=reason,
                                only_notices_pending=_only_notices_pending(store, record))
    _no_overlap(store, record, updated, new_end)
    saved = rows.update_absence(store, updated, record.version)
    tx.audit("extend", Entity.absence, absence_id, f"{change.message} — {rows.label(store, saved)}",
             before=change.before, after=change.after)
    return saved


@operation(Permission.unit_record)
def set_state(tx: Tx, absence_id: int, action: str, reason: str = "", *, seen: Absence | None = None) -> Absence:
    """withdraw 撤回 / cancel 取消 (报送 a draft is `submit_draft`). A record waiting only for a
    report, a notification or a filing may be cancelled before it starts, like a granted one."""
    store = tx.store
    record = rows.get_absence(store, absence_id)
    tx.check_person(record.person_id, f"编号 {absence_id} 的外出/请假记录")
    target = {"withdraw": AbsenceState.withdrawn, "cancel": AbsenceState.cancelled}.get(action)
    _check_seen(store, record, seen, {"state": target.value if target else action, "state_note": reason})
    if action == "withdraw":
        updated = ab.withdraw(record, reason)
    elif action == "cancel":
        updated = ab.cancel(record, today=store.clock.today(), reason=reason,
                            only_notices_pending=_only_notices_pending(store, record))
    else:
        raise ValueError(action)
    saved = rows.update_absence(store, updated, record.version)
    tx.audit(action, Entity.absence, absence_id, f"{updated.state.label}:{rows.label(store, saved)}",
             before=rows.snapshot(record), after=rows.snapshot(saved))
    return saved


@operation(Permission.record)
def designate(tx: Tx, designation: Designation) -> Designation:
    """The office designates a leader to act for absent leaders (000 art.61).

    The designee must not be away then: checked in the same transaction as the write, so a trip
    saved by a colleague a moment earlier is seen."""
    store = tx.store
    d = validate_designation(designation)
    designee = people.get_person(store, d.designee_id)
    if designee.role not in DESIGNATABLE_ROLES:
        raise UserError(f"{designee.name}是{designee.title or designee.role.label},不是政府领导:互为AB角的领导同时外出时,"
                        "由办公室协调其他政府领导(常务副职、副职、秘书长、党组成员)代行。请另选一位在岗的政府领导。")
    busy = rows.absences_between(store, d.date_from, d.date_to, person_id=designee.id,
                                 states=[AbsenceState.submitted, AbsenceState.in_progress, AbsenceState.approved])
    if busy:
        raise UserError(f"{designee.name}在 {busy[0].span_text} 也外出({busy[0].kind.label}),不能指定其代行。请另选一位在岗的领导。")
    did = rows.insert_designation(store, d)
    names = "、".join(people.get_person(store, pid).name for pid in sorted(d.absent_ids))
    tx.audit("designate", Entity.designation, did, f"指定{designee.name}代行{names}的职责({d.date_from}至{d.date_to})",
             after={"designee": designee.name, "absent": names, "reason": d.reason})
    return dataclasses.replace(d, id=did, by=store.operator)


@operation(Permission.record)
def override(tx: Tx, o: Override) -> Override:
    """Record the reason for accepting a not-together warning (e.g. 市长与常务副市长同时外出)."""
    o = validate_override(o)
    oid = rows.insert_override(tx.store, o)
    tx.audit("override", Entity.warning_override, oid, f"记录同时外出的理由:{o.reason}",
             after={"roles": sorted(r.value for r in o.roles), "from": o.date_from, "to": o.date_to})
    return dataclasses.replace(o, id=oid, by=tx.store.operator)


# ---------------------------------------------------------------- reports (reads with the rules)

def acting_on(store: Store, profile: Profile, day: dt.date) -> ActingReport:
    return who_acts(rows.roster(store, day, day), profile, day)


def check(store: Store, profile: Profile, start: dt.date, end: dt.date) -> list[checks.Finding]:
    """Every finding in [start, end], the stored duty leaders who are away included (000 art.81)."""
    from desktop.store import duty as duty_rows  # here: who acts today needs no duty solver imported

    r = rows.roster(store, start, end)
    calendar = calendar_for(store, end.year + 1)
    found = checks.check_range(start, end, profile, calendar, r.people, r.ab_pairs, r.absences, r.designations,
                              r.overrides, duty_rows.duty_assignments(store, start, end), today=store.clock.today(),
                              portfolios=people.portfolios(store))
    found += _after_return_findings(store, profile, r, start, end)
    order = {s: i for i, s in enumerate(checks.SEVERITIES)}
    return sorted(found, key=lambda f: (f.date, order.get(f.severity, 9)))


def _after_return_findings(store: Store, profile: Profile, r, start: dt.date, end: dt.date) -> list[checks.Finding]:
    """Steps due after the return (000 art.59 出访报告) still pending for records that ended in [start, end]."""
    kinds = {(role, kind, leaves) for c in profile.chains if any(s.after_return for s in c.steps)
             for role in c.roles for kind in c.kinds for leaves in (True, False) if c.scope.matches(leaves)}
    if not kinds:
        return []
    today = store.clock.today()
    by_id = {p.id: p for p in r.people}
    out = []
    for record in r.absences:
        person = by_id.get(record.person_id)
        if person is None or (person.role, record.kind, record.leaves_jurisdiction) not in kinds:
            continue
        if not start <= record.end <= end:
            continue
        # Only the steps' order and state are read: no names (steps_of would list the people per record,
        # 0.6 s of a year's check at 200,000 records: bench/bench_absences.py).
        states = [(s.seq, s.state is ch.StepState.done) for s in rows.steps_of(store, record.id, names={})]
        finding = checks.after_return_pending(record, person, profile, states, today)
        if finding is not None:
            out.append(finding)
    return out
