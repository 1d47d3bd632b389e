"""Approval and report chains (审批/报备流程) resolved from the profile for one record.

DESIGN.md "Travel reporting and leave". The profile's first ``[[chains]]`` entry that matches the
person's role, the record's kind and whether it leaves the jurisdiction gives the steps; this
module turns them into `ResolvedStep` rows for a record (who signs, in which stage) and advances
them one step at a time (``dutydesk absence advance ID --by NAME``).

* Targets: ``role:X`` — the active person in role X, first by rank; ``any:X,Y`` — the first of
  those roles who is present on the report date (报告市长或常务副市长: the executive deputy when
  the mayor is away), never the requester; ``supervisor`` — the leader whose portfolio holds the
  requester's unit (分管领导); ``office:K`` and ``leaders`` — done by the office, any operator.
* Substitution, on the day the step is done (DESIGN.md "Acting and substitution"): a pending person
  step waits for the approver the rules name (its *plain* form, as the store keeps it); `route`
  turns it, for one day, into the person acting for that approver when he or she is away that day
  (县长外出,由常务副县长代为审批), ``substitute_for_id`` keeping the approver, who may still sign
  (e.g. by phone). The operations route the stored steps for today before a step is done and
  whenever they are shown, so an approver who leaves after a record was filed never stalls it, and
  one who comes back takes the step back. A step done by the acting person keeps who was
  represented: ``substitute_for_id`` and ``done_by`` "陈常务(代县长)".
* Stages: steps with ``parallel_with_previous`` share a stage (县长、分管副县长同意); a stage is
  done when all its steps are; the record is approved when every stage is done. `advance` only
  ever works on the first stage that still has pending steps.

The report date is the day the record was reported (``reported_at``), or its start when it has
none: it chooses among the roles of an ``any:`` target; pass ``on`` to resolve for another date.
`resolve_chain` returns the steps routed for that date; `plain_steps` gives what to store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from desktop.core.absence import Absence, AbsenceState
from desktop.core.acting import BASIS_AB, ActingContext, Roster
from desktop.core.errors import UserError
from desktop.core.people import Person, clean_text
from desktop.core.profile import Chain, ChainStep, Profile, StepAction, TargetKind
from desktop.core.roles import Role

__all__ = [
    "NOTICE_ACTIONS",
    "OUTCOME_APPROVED",
    "OUTCOME_LABELS",
    "OUTCOME_REJECTED",
    "OUTCOME_STEP_DONE",
    "Directory",
    "ResolvedStep",
    "RosterDirectory",
    "StepState",
    "advance",
    "chain_for_record",
    "current_stage",
    "is_complete",
    "only_notices_pending",
    "outcome_label",
    "pending_summary",
    "pending_text",
    "plain",
    "plain_steps",
    "resolve_chain",
    "route",
    "state_label",
    "supervisor_from_portfolios",
    "waiting_text",
]

OUTCOME_STEP_DONE = "step_done"
OUTCOME_APPROVED = "approved"
OUTCOME_REJECTED = "rejected"
#: What an outcome of `advance` says: the command line's text output (a stable contract), the 外出/请假
#: page's status line and the history view (审批结果).
OUTCOME_LABELS: dict[str, str] = {
    OUTCOME_STEP_DONE: "已办理本步骤",
    OUTCOME_APPROVED: "全部步骤已完成,已批准",
    OUTCOME_REJECTED: "已退回",
}
#: The last step done on a record already 销假 (its filing done after the return): nothing is approved then.
ALL_DONE_LABEL = "全部步骤已完成"


def outcome_label(outcome: str, approved: bool = True, steps: Sequence[ResolvedStep] | None = None) -> str:
    """`OUTCOME_LABELS`, except that the last step of a record that is not (or no longer) waiting for
    approval says only 全部步骤已完成, and one whose steps only report or file says 已备案 / 已报告
    (``steps``: the record's steps; issue 14)."""
    if outcome != OUTCOME_APPROVED:
        return OUTCOME_LABELS[outcome]
    if not approved:
        return ALL_DONE_LABEL
    said = state_label("approved", steps) if steps else "已批准"
    return f"{ALL_DONE_LABEL},{said}" if said != "已批准" else OUTCOME_LABELS[outcome]


class StepState(StrEnum):
    pending = "pending"
    done = "done"
    rejected = "rejected"
    skipped = "skipped"  # not done because an earlier step rejected the record

    @property
    def label(self) -> str:
        return {"pending": "待办", "done": "已办", "rejected": "已退回", "skipped": "未办理"}[self.value]


#: How the substitute's work is described: 由常务副县长代为审批.
_VERBS = {
    StepAction.summarize: "汇总",
    StepAction.report: "听取报告",
    StepAction.sign: "签报",
    StepAction.approve: "审批",
    StepAction.notify: "通报",
    StepAction.file: "备案",
}


@dataclass(frozen=True)
class ResolvedStep:
    seq: int  # 1, 2, … in chain order
    stage: int  # 1, 2, …; parallel steps share a stage
    action: StepAction
    label: str  # as on the approval form: 县长同意
    target_text: str  # 县长 / 分管领导 张丽华 / 区委办公室 / 常务副县长 李四(代县长)
    assignee_id: int | None  # None: an office step or a ``leaders`` notification
    office: str | None  # the office that does an office/leaders step
    substitute_for_id: int | None = None  # the away approver this step went around
    state: StepState = StepState.pending
    done_by: str | None = None
    done_at: datetime | None = None
    comment: str = ""
    assignee_name: str = ""
    substitute_for_name: str = ""
    note: str = ""  # 县长外出,由常务副县长李四代为审批
    #: The target as the rules name it (县长, 分管领导 张丽华), kept while the step is routed to the
    #: person acting for its approver; "" when ``target_text`` is that already (a plain step).
    approver_text: str = ""

    @property
    def action_label(self) -> str:
        return self.action.label

    @property
    def is_person_step(self) -> bool:
        return self.assignee_id is not None

    @property
    def may_be_done_by(self) -> tuple[str, ...]:
        """Who may do this pending person step: the acting person and the approver (或本人); ()
        for an office step (any operator) and for a step no longer pending."""
        if self.state is not StepState.pending or not self.is_person_step:
            return ()
        return tuple(dict.fromkeys(n for n in (self.assignee_name, self.substitute_for_name) if n))


class Directory(Protocol):
    """What resolving a chain needs to know about people; the store implements it."""

    def first_in_role(self, role: Role) -> Person | None: ...

    def supervisor_of(self, person: Person) -> Person | None: ...

    def portfolio_holder(self, area: str) -> Person | None: ...

    def is_away(self, person_id: int, day: date) -> bool: ...

    def acting_for(self, person_id: int, day: date) -> Person | None: ...


# --------------------------------------------------------------------------------------------
# Resolving
# --------------------------------------------------------------------------------------------


def chain_for_record(profile: Profile, person: Person, absence: Absence) -> Chain | None:
    return profile.chain_for(person.role, absence.kind, absence.leaves_jurisdiction)


def _gov_prefix(profile: Profile) -> str:
    """市 / 县 / 区 from the chief's title (市长 → 市)."""
    title = profile.title(Role.chief)
    return title[:-1] if title.endswith("长") and len(title) > 1 else profile.short_name


def resolve_chain(
    profile: Profile,
    person: Person,
    absence: Absence,
    directory: Directory,
    *,
    on: date | None = None,
) -> list[ResolvedStep]:
    """The steps of the chain that applies to this record ([] when the rules require none).

    Raise UserError for the secretary when a step cannot be assigned (no supervisor, nobody in
    the role).
    """
    chain = chain_for_record(profile, person, absence)
    if chain is None:
        return []
    day = on or (absence.reported_at.date() if absence.reported_at else absence.start)
    steps: list[ResolvedStep] = []
    seq = 0
    for stage_no, stage in enumerate(chain.stages, start=1):
        for step in stage:
            seq += 1
            steps.append(_resolve_step(profile, person, step, seq, stage_no, directory, day))
    return steps


def _person_title(profile: Profile, p: Person) -> str:
    return profile.title(p.role)


def _resolve_step(
    profile: Profile,
    requester: Person,
    step: ChainStep,
    seq: int,
    stage: int,
    directory: Directory,
    day: date,
) -> ResolvedStep:
    target = step.target
    base = {"seq": seq, "stage": stage, "action": step.action, "label": step.label}
    if target.kind is TargetKind.office:
        name = profile.office_name(target.office or "office")
        return ResolvedStep(**base, target_text=name, assignee_id=None, office=name)
    if target.kind is TargetKind.leaders:
        text = f"{_gov_prefix(profile)}政府其他领导同志"
        return ResolvedStep(**base, target_text=text, assignee_id=None, office=profile.office)

    if target.kind is TargetKind.role:
        role = target.roles[0]
        original = directory.first_in_role(role)
        if original is None:
            raise UserError(
                f"流程“{step.label}”需要{profile.title(role)},但人员中没有在任的{profile.title(role)}:"
                "请先在人员页添加。"
            )
        if original.id == requester.id:
            raise UserError(
                f"流程“{step.label}”要由{profile.title(role)}办理,而{requester.name}本人就是"
                f"{profile.title(role)}:请检查规则中的流程设置。"
            )
        text = profile.title(role)
    elif target.kind is TargetKind.any:
        found = [(r, p) for r in target.roles if (p := directory.first_in_role(r)) is not None]
        found = [(r, p) for r, p in found if p.id != requester.id]
        if not found:
            titles = "或".join(profile.title(r) for r in target.roles)
            raise UserError(f"流程“{step.label}”需要{titles},但人员中没有在任的人选:请先在人员页添加。")
        present = [(r, p) for r, p in found if not directory.is_away(p.id, day)]
        role, original = (present or found)[0]
        text = profile.title(role)
    elif target.kind is TargetKind.supervisor:
        original = directory.supervisor_of(requester)
        if original is None or original.id == requester.id:
            raise UserError(f"未找到{requester.name}的分管领导:请在人员页为其所在单位设置分管领导。")
        text = f"分管领导 {original.name}"
    elif target.kind is TargetKind.portfolio:
        area = target.office or ""
        original = directory.portfolio_holder(area)
        if original is None or original.id == requester.id:
            raise UserError(f"流程“{step.label}”需要分管{area}工作的领导,但人员中没有人分管“{area}”:"
                            f"请在人员页为一位领导的分管单位加上“{area}”。")
        text = f"分管{area}工作的{profile.title(original.role)} {original.name}"
    else:  # convener: only for meetings, rejected by the profile parser for chains
        raise ValueError(f"chain step target {target} cannot be resolved")

    plain_step = ResolvedStep(**base, target_text=text, assignee_id=original.id, office=None,
                              assignee_name=original.name)
    return _route_step(profile, plain_step, requester.id, directory, day)


def plain(step: ResolvedStep) -> ResolvedStep:
    """A pending person step as the store keeps it: waiting for the approver the rules name, not
    routed to anyone acting for him or her (done, rejected and office steps are returned as they are)."""
    if step.state is not StepState.pending or not step.is_person_step:
        return step
    if step.substitute_for_id is None:
        return dataclasses.replace(step, note="", approver_text="")
    return dataclasses.replace(step, assignee_id=step.substitute_for_id, assignee_name=step.substitute_for_name,
                               substitute_for_id=None, substitute_for_name="",
                               target_text=step.approver_text or step.target_text, note="", approver_text="")


def plain_steps(steps: Iterable[ResolvedStep]) -> list[ResolvedStep]:
    """`plain` for every step: what the store writes."""
    return [plain(s) for s in steps]


def _route_step(profile: Profile, step: ResolvedStep, requester_id: int | None, directory: Directory,
                day: date) -> ResolvedStep:
    step = plain(step)
    if step.state is not StepState.pending or step.assignee_id is None:
        return step
    original_id, text = step.assignee_id, step.target_text
    if not directory.is_away(original_id, day):
        return step
    verb = _VERBS[step.action]
    actor = directory.acting_for(original_id, day)
    if actor is None or actor.id in (original_id, requester_id):
        partner = getattr(directory, "ab_partner_not_approving", lambda _i, _d: None)(original_id, day)
        why = f",其AB角{partner.name}按规则不代为{verb}" if partner is not None else "且无人代行"
        return dataclasses.replace(step, note=f"{text}当天外出{why}:可由本人远程{verb},或由办公室协调后登记")
    actor_title = _person_title(profile, actor)
    return dataclasses.replace(
        step,
        assignee_id=actor.id,
        assignee_name=actor.name,
        substitute_for_id=original_id,
        substitute_for_name=step.assignee_name,
        target_text=f"{actor_title} {actor.name}(代{text})",
        approver_text=text,
        note=f"{text}外出,由{actor_title}{actor.name}代为{verb}",
    )


def route(
    steps: Iterable[ResolvedStep],
    profile: Profile,
    directory: Directory,
    day: date,
    requester_id: int | None = None,
) -> list[ResolvedStep]:
    """The steps as they stand on ``day``: each pending person step goes to whoever acts for its
    approver that day when the approver is away (the approver may still sign), else back to the
    approver; done and office steps are unchanged. ``requester_id``: never routed to the requester
    (nobody approves his or her own leave). Idempotent: routed steps may be routed again."""
    return [_route_step(profile, s, requester_id, directory, day) for s in steps]


# --------------------------------------------------------------------------------------------
# Advancing
# --------------------------------------------------------------------------------------------


def current_stage(steps: Sequence[ResolvedStep]) -> int | None:
    """The first stage with a pending step, or None (all done, or rejected)."""
    if any(s.state is StepState.rejected for s in steps):
        return None
    pending = [s.stage for s in steps if s.state is StepState.pending]
    return min(pending) if pending else None


def is_complete(steps: Sequence[ResolvedStep]) -> bool:
    """Every step done (an empty chain is complete)."""
    return all(s.state is StepState.done for s in steps)


#: Steps that only tell or file (报告、通报、报备): they never hold a record back from 销假.
NOTICE_ACTIONS = frozenset({StepAction.report, StepAction.notify, StepAction.file})


def state_label(state: object, chain: Chain | Sequence[ResolvedStep] | None) -> str:
    """The state as the list, the CLI and the form say it (issue 14 "What a secretary reads"): a record
    whose chain only reports, notifies or files is 报备中 / 已备案 (已报告 when nothing is filed), never
    审批中 / 已批准; a record under no chain at all is 已登记 once in force. ``state`` is an AbsenceState
    or DisplayState (the other states keep their label); ``chain`` the profile's chain or the record's
    steps."""
    value = getattr(state, "value", state)
    label = getattr(state, "label", None) or AbsenceState(value).label
    if value not in ("in_progress", "approved"):
        return label
    actions = [s.action for s in (chain.steps if isinstance(chain, Chain) else chain or ())]
    if not actions:
        return "已登记" if value == "approved" else label
    if any(action not in NOTICE_ACTIONS for action in actions):
        return label
    if value == "in_progress":
        return "报备中"
    return "已备案" if StepAction.file in actions else "已报告"


def only_notices_pending(steps: Sequence[ResolvedStep]) -> bool:
    """True when the record waits only for report, notification or filing steps (no approval,
    signature or summary left): the person may be marked returned (销假) and the step stays
    pending (a chief's trip filed by the office after he is back)."""
    if any(s.state is StepState.rejected for s in steps):
        return False
    pending = [s for s in steps if s.state is StepState.pending]
    return bool(pending) and all(s.action in NOTICE_ACTIONS for s in pending)


def _who(step: ResolvedStep) -> str:
    if step.substitute_for_id is not None:
        return f"{step.assignee_name}(或{step.substitute_for_name}本人)"
    return step.assignee_name


def advance(
    steps: Sequence[ResolvedStep],
    by_name: str,
    now: datetime,
    reject: bool = False,
    comment: str = "",
) -> tuple[list[ResolvedStep], str]:
    """Do one pending step of the current stage; return the new steps and the outcome
    ("step_done", "approved" or "rejected").

    ``steps`` are routed for the day it is done (`route`). A person step must be done by its
    assignee or by the approver it substitutes for; office and notification steps by any operator.
    Done by the acting person, the step keeps the approver represented (``substitute_for_id``) and
    ``done_by`` says it: "陈常务(代县长)"; done by the approver, it is the plain step. ``by_name`` picks the step when several are pending in
    the stage (县长 and 分管副县长): the one assigned to that person, else an office step.
    Rejecting needs a comment; it ends the chain (the later steps become ``skipped``).
    """
    who = clean_text(by_name)
    note = clean_text(comment)
    if not who:
        raise UserError("请填写办理人姓名。")
    if not steps:
        raise UserError("此记录没有审批步骤,无需办理。")
    if any(s.state is StepState.rejected for s in steps):
        raise UserError("此记录已被退回,不能继续办理。")
    stage = current_stage(steps)
    if stage is None:
        raise UserError("此记录的审批步骤已全部办结。")
    if reject and not note:
        raise UserError("退回时请填写理由(将告知申请人)。")
    pending = [s for s in steps if s.stage == stage and s.state is StepState.pending]
    mine = [s for s in pending if s.is_person_step and who in (s.assignee_name, s.substitute_for_name)]
    offices = [s for s in pending if not s.is_person_step]
    if mine:
        target = mine[0]
    elif offices:
        target = offices[0]
    else:
        expected = "、".join(f"“{s.label}”应由 {_who(s)} 办理" for s in pending)
        raise UserError(f"当前这一步{expected},不能由 {who} 办理。请填写实际签批人的姓名。")
    done_by = who
    if target.substitute_for_id is not None and who == target.assignee_name:
        done_by = f"{who}(代{target.approver_text or target.substitute_for_name})"
    elif target.substitute_for_id is not None:  # the approver signs himself or herself
        target = plain(target)
    done = dataclasses.replace(
        target,
        state=StepState.rejected if reject else StepState.done,
        done_by=done_by,
        done_at=now,
        comment=note,
    )
    new_steps = []
    for s in steps:
        if s.seq == target.seq:
            new_steps.append(done)
        elif reject and s.state is StepState.pending:
            new_steps.append(dataclasses.replace(s, state=StepState.skipped))
        else:
            new_steps.append(s)
    if reject:
        return new_steps, OUTCOME_REJECTED
    if all(s.state is StepState.done for s in new_steps):
        return new_steps, OUTCOME_APPROVED
    return new_steps, OUTCOME_STEP_DONE


def pending_summary(records_with_steps: Iterable[Sequence[ResolvedStep]]) -> list[tuple[str, str, int]]:
    """For the secretary's list: (target_text, action label, count) of the steps waiting now
    (the current stage of each record), most first: [("县长", "批准", 3), …]."""
    counts: dict[tuple[str, str], int] = {}
    for steps in records_with_steps:
        stage = current_stage(steps)
        if stage is None:
            continue
        for s in steps:
            if s.stage == stage and s.state is StepState.pending:
                key = (s.target_text, s.action.label)
                counts[key] = counts.get(key, 0) + 1
    order = {k: i for i, k in enumerate(counts)}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return [(text, label, n) for (text, label), n in rows]


#: How a waiting step reads, by its action's label: the person reports *to* the target (待向市长报告),
#: the target approves (待县长批准).
_WAITING = {"报告": "待向{t}报告", "报备": "待向{t}报备", "签报": "待向{t}签报", "批准": "待{t}批准",
            "通报": "待通报{t}", "汇总": "待{t}汇总"}


def waiting_text(target: str, label: str) -> str:
    """待向市长报告, 待县长批准, 待向市政府办公室报备 (a step that waits, in the secretary's words)."""
    return _WAITING.get(label, "待{t}" + label).format(t=target)


def pending_text(row: tuple[str, str, int]) -> str:
    """待县长批准:3, 待向市长报告:1"""
    text, label, n = row
    return f"{waiting_text(text, label)}:{n}"


# --------------------------------------------------------------------------------------------
# An in-memory directory (the CLI, the demo and the tests; the store may use it too)
# --------------------------------------------------------------------------------------------


def supervisor_from_portfolios(
    person: Person, people: Iterable[Person], portfolios: Mapping[int, Collection[str]]
) -> Person | None:
    """The active leader whose portfolio (分管单位) holds the person's unit, first by rank."""
    if not person.unit:
        return None
    found = [p for p in people if p.active and p.id != person.id and person.unit in portfolios.get(p.id, ())]
    return min(found, key=lambda p: (p.rank, p.id)) if found else None


class RosterDirectory:
    """`Directory` over a `Roster` snapshot and the leaders' portfolios (leader id → units)."""

    def __init__(
        self, profile: Profile, roster: Roster, portfolios: Mapping[int, Collection[str]] | None = None
    ) -> None:
        self.profile = profile
        self.roster = roster
        self.portfolios = portfolios or {}
        self._ctx = ActingContext(profile, roster.people, roster.ab_pairs, roster.designations,
                                  roster.overrides)  # fmt: skip

    def first_in_role(self, role: Role) -> Person | None:
        people = self._ctx.by_role.get(role)
        return people[0] if people else None

    def supervisor_of(self, person: Person) -> Person | None:
        return supervisor_from_portfolios(person, self._ctx.people.values(), self.portfolios)

    def portfolio_holder(self, area: str) -> Person | None:
        """The active leader whose portfolio names ``area`` (外事, or a unit such as 市外事办), first by rank."""
        found = [p for p in self._ctx.people.values()
                 if p.active and any(area == u or area in u for u in self.portfolios.get(p.id, ()))]
        return min(found, key=lambda p: (p.rank, p.id)) if found else None

    def is_away(self, person_id: int, day: date) -> bool:
        """Away in any part of the day (a half-day absence counts)."""
        mine = [a for a in self.roster.absences if a.person_id == person_id]
        am, pm = self._ctx.away_maps(mine, day)
        return person_id in am or person_id in pm

    def ab_partner_not_approving(self, person_id: int, day: date) -> Person | None:
        """The AB partner acting for the person that day who, by the profile (``approves = false``), does
        not do his or her approval steps; None otherwise."""
        am, pm = self._ctx.away_maps(self.roster.absences, day)
        report = self._ctx.report(day, am, pm)
        actor = report.actor_for(person_id)
        if actor is None or self.acting_for(person_id, day) is not None:
            return None
        return actor

    def acting_for(self, person_id: int, day: date) -> Person | None:
        """Who acts for the person that day and may do his or her approval steps: an AB partner only
        when the profile's AB rule says so (``approves``, 000 art.61 部分政务活动职责)."""
        am, pm = self._ctx.away_maps(self.roster.absences, day)
        report = self._ctx.report(day, am, pm)
        actor = report.actor_for(person_id)
        if actor is None:
            return None
        person = self._ctx.people.get(person_id)
        entry = next((e for e in report.acting if e.absent_person.id == person_id and e.actor is actor), None)
        if person is not None and entry is not None and entry.basis == BASIS_AB:
            # The AB rule of that absence (a profile may scope partners by kind: 出县、出访、休假).
            away = next((w.absence for w in report.away if w.person.id == person_id), None)
            rule = (self.profile.acting_rule_for(person.role, away.kind, away.leaves_jurisdiction) if away is not None
                    else next((r for r in self.profile.acting if r.by_ab_partner and r.absent_role is person.role), None))
            if rule is not None and not rule.approves:
                return None
        return actor
