"""Government meetings (会议制度): members, leave from a meeting, quorum and deadlines.

Every seed regulates the plenary meeting (全体会议), the executive meeting (常务会议), the chief's
office meeting (市长办公会 / 县长办公会议 / 区长例会) and topic meetings (专题会议): who attends,
that members ask the chief for leave (000 art.43, 002 art.44, 003 art.43, 004 art.48), that
department heads send a substitute (000 art.43, 001 art.42, 004 art.48), that the executive
meeting needs more than half of its members (000 art.42 半数以上, 001 art.38 超过半数), and that
minutes and documents are issued within N working days (003 art.44: 7; 004 art.49: 5).

All of it comes from the profile: ``[[meetings]]`` (members, quorum, convener, leave_approver,
leave_discouraged, minutes_deadline / documents_deadline) and ``[[meeting_leave]]`` (per-role
approver, substitute required, how to ask). Nothing here knows a city.

* Quorum (`quorum`): members present = members − approved leave − members away by an absence
  record on file that overlaps the meeting (any state but rejected / withdrawn / cancelled; a
  half-day record counts only if it covers the meeting's half day). Every member's row says why.
* Approver (`resolve_approver`): the rule's target (``role:chief``, ``convener`` …) resolved like
  an approval chain step (desktop.core.chain): when the approver is away on the day the request is
  decided (desktop.ops.meetings resolves it again for that day), whoever acts for him or her
  approves, and the original approver may still decide.
* Steps of a request (`leave_steps`): besides the approval, a text may ask for an office step
  before it (003 art.43 向市政府办公室书面请假并由市政府办公室呈报市长审批: ``office_forward``) or a
  filing after it (004 art.48 向区政府办公室书面报备: ``office_filing``), a written request on file
  (``written``), consent before the meeting (``in_advance``), a substitute with a deputy post
  (``substitute_deputy``) or one named only after consent (001 art.42 经同意后,方可指定代替参加会议
  人员: ``substitute_after_approval``). All of it is ``[[meeting_leave]]`` data.
* Deadlines (`deadlines`): N working days after the meeting day (the day itself not counted),
  on the working-day calendar, flagged when a provisional calendar was used.

Pure Python: no Qt, no SQLite.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from desktop.core.absence import CLOSED_STATES, Absence, Half, away_on, cn_date
from desktop.core.chain import Directory
from desktop.core.citation import cite
from desktop.core.errors import UserError
from desktop.core.people import Person, clean_text
from desktop.core.profile import MeetingType, Profile, Quorum, Target, TargetKind
from desktop.core.workcal import CalendarGapError, WorkCalendar

__all__ = [
    "NOON",
    "Approver",
    "Attendance",
    "DeadlineItem",
    "LeavePolicy",
    "LeaveState",
    "LeaveStep",
    "Meeting",
    "MeetingLeave",
    "MeetingView",
    "QuorumResult",
    "Topic",
    "absences_covering",
    "active_leave",
    "check_in_advance",
    "check_substitute",
    "deadlines",
    "decide_leave",
    "default_convener",
    "default_members",
    "do_office_step",
    "leave_policy",
    "leave_status",
    "leave_steps",
    "likely_leave",
    "meeting_halves",
    "name_substitute",
    "parse_substitute",
    "parse_topic",
    "pending_office_step",
    "quorum",
    "required_present",
    "resolve_approver",
    "short_step_label",
    "substitute_post",
    "validate_leave_request",
    "validate_meeting",
    "with_approver",
    "withdraw_leave",
    "written_text",
]

#: A meeting that starts before noon is a morning meeting (上午), else an afternoon one.
NOON = time(12, 0)
TITLE_MAX = 100
TEXT_MAX = 200

QUORUM_LABELS = {
    Quorum.none: "规则未规定到会人数",
    Quorum.at_least_half: "半数以上组成人员到会方可召开",
    Quorum.more_than_half: "组成人员超过半数时方能召开",
}


class LeaveState(StrEnum):
    requested = "requested"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return _LEAVE_LABELS[self]


_LEAVE_LABELS = {
    LeaveState.requested: "待批",
    LeaveState.approved: "已准假",
    LeaveState.rejected: "未准假",
    LeaveState.withdrawn: "已撤回",
}
#: Requests that still stand (a person has at most one per meeting).
OPEN_LEAVE = frozenset({LeaveState.requested, LeaveState.approved})


@dataclass(frozen=True)
class Topic:
    """One topic (议题) and the department that reports it (汇报单位)."""

    title: str
    unit: str = ""

    def __str__(self) -> str:
        return f"{self.title}({self.unit}汇报)" if self.unit else self.title


@dataclass(frozen=True, kw_only=True)
class Meeting:
    id: int | None
    type_id: str  # a [[meetings]] id of the profile
    title: str  # 市政府第12次常务会议; defaults to the type's label
    starts_at: datetime
    ends_at: datetime | None = None  # None: the meeting takes the half day it starts in
    place: str = ""
    convener_id: int | None = None
    member_ids: tuple[int, ...] = ()  # 组成人员 / 参会人员
    attendee_ids: tuple[int, ...] = ()  # 列席
    topics: tuple[Topic, ...] = ()
    minutes_done: date | None = None  # 纪要印发日期
    documents_done: date | None = None  # 决定文件印发日期
    note: str = ""
    version: int = 1

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def when_text(self) -> str:
        end = f"—{self.ends_at:%H:%M}" if self.ends_at else ""
        return f"{cn_date(self.day)} {self.starts_at:%H:%M}{end}"

    def role_of(self, person_id: int) -> str | None:
        if person_id in self.member_ids:
            return "member"
        if person_id in self.attendee_ids:
            return "attendee"
        return None


@dataclass(frozen=True, kw_only=True)
class MeetingLeave:
    """A request for leave from one meeting (会议请假), with the substitute attending instead."""

    id: int | None
    meeting_id: int
    person_id: int
    reason: str
    substitute: str = ""  # 姓名 职务 of whoever attends instead (代为参会)
    state: LeaveState = LeaveState.requested
    approver_id: int | None = None  # who decides (the acting person when the approver is away)
    approver_for_id: int | None = None  # the away approver that ``approver_id`` stands in for
    approver_text: str = ""  # 市长 王建国 / 常务副市长 李志强(代市长)
    approver_note: str = ""  # 市长外出,由常务副市长李志强代为审批
    absence_id: int | None = None  # the absence record it was registered from
    requested_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str = ""
    comment: str = ""
    version: int = 1
    written: bool = False  # 书面请假 on file (003 art.43)
    forwarded_at: datetime | None = None  # the office step before the approval (呈报, 003 art.43)
    forwarded_by: str = ""
    filed_at: datetime | None = None  # the office step after the approval (书面报备, 004 art.48)
    filed_by: str = ""


# --------------------------------------------------------------------------------------------
# Parsing what the secretary typed
# --------------------------------------------------------------------------------------------


def parse_topic(text: str) -> Topic:
    """``议题:汇报单位`` (full- or half-width colon) → Topic; no colon: no reporting unit."""
    raw = clean_text(text)
    for sep in (":", ":"):
        if sep in raw:
            title, _, unit = raw.partition(sep)
            return Topic(clean_text(title), clean_text(unit))
    return Topic(raw)


def parse_substitute(text: str) -> str:
    return clean_text(text)


# --------------------------------------------------------------------------------------------
# Meetings
# --------------------------------------------------------------------------------------------


def meeting_type(profile: Profile, type_id: str) -> MeetingType:
    found = profile.meeting(type_id)
    if found is None:
        known = "、".join(f"{m.id}({m.label})" for m in profile.meetings)
        raise UserError(f"规则“{profile.name}”中没有会议类型“{type_id}”。可用:{known}。")
    return found


def default_members(profile: Profile, type_id: str, people: Iterable[Person]) -> list[Person]:
    """The active people whose role is among the type's members (组成人员), by protocol rank."""
    roles = set(meeting_type(profile, type_id).members)
    return sorted((p for p in people if p.active and p.role in roles), key=lambda p: (p.rank, p.id))


def default_convener(profile: Profile, type_id: str, people: Iterable[Person]) -> Person | None:
    """Who convenes the type by the profile (``convener = "role:chief"``): the first active person
    in the first listed role, by rank; None when the profile names nobody or nobody holds the role."""
    target = meeting_type(profile, type_id).convener
    if target is None or not target.roles:
        return None
    ordered = sorted((p for p in people if p.active), key=lambda p: (p.rank, p.id))
    for role in target.roles:
        for p in ordered:
            if p.role is role:
                return p
    return None


def meeting_halves(m: Meeting) -> frozenset[Half]:
    """The half days the meeting takes: 上午 before noon, 下午 after; both when it spans noon."""
    start_half = Half.am if m.starts_at.time() < NOON else Half.pm
    if m.ends_at is None:
        return frozenset({start_half})
    end_half = Half.am if m.ends_at.time() <= NOON else Half.pm
    return frozenset({start_half, end_half})


def validate_meeting(m: Meeting, profile: Profile) -> Meeting:
    """Return a cleaned meeting or raise UserError saying what to fix."""
    mtype = meeting_type(profile, m.type_id)
    if not 2000 <= m.starts_at.year <= 2099:
        raise UserError(f"会议日期 {m.starts_at:%Y-%m-%d} 超出范围(2000–2099 年)。")
    ends_at = m.ends_at
    if ends_at is not None:
        if ends_at.date() != m.starts_at.date():
            raise UserError("会议的结束时间应与开始时间在同一天;跨天的会议请分天登记。")
        if ends_at <= m.starts_at:
            raise UserError(f"会议结束时间 {ends_at:%H:%M} 不晚于开始时间 {m.starts_at:%H:%M},请改正。")
    title = clean_text(m.title) or mtype.label
    if len(title) > TITLE_MAX:
        raise UserError(f"会议名称太长(最多 {TITLE_MAX} 个字)。")
    members = tuple(dict.fromkeys(m.member_ids))
    attendees = tuple(dict.fromkeys(i for i in m.attendee_ids if i not in members))
    if not members:
        who = "、".join(profile.title(r) for r in mtype.members)
        hint = f"(规则规定由{who}组成)" if who else ""
        raise UserError(f"请选择参加{mtype.label}的组成人员{hint}。")
    topics = []
    for t in m.topics:
        title_t, unit = clean_text(t.title), clean_text(t.unit)
        if not title_t:
            if unit:
                raise UserError(f"汇报单位“{unit}”的议题名称是空的,请填写议题。")
            continue
        if len(title_t) > TEXT_MAX or len(unit) > TEXT_MAX:
            raise UserError(f"议题“{title_t[:20]}…”太长(最多 {TEXT_MAX} 个字)。")
        topics.append(Topic(title_t, unit))
    return dataclasses.replace(m, title=title, ends_at=ends_at, place=clean_text(m.place), member_ids=members,
                               attendee_ids=attendees, topics=tuple(topics), note=clean_text(m.note))  # fmt: skip


# --------------------------------------------------------------------------------------------
# Leave: the policy, the approver, the decision
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeavePolicy:
    """What the rules say about one person's leave from one meeting."""

    approver: Target | None  # None: the rules name nobody (the convener then decides)
    approver_basis: str  # 规则:向市长请假(000 art.43) …
    substitute_required: bool
    note: str  # how to ask, in the article's words
    article: str  # "" when the rules say nothing
    discouraged: bool  # 原则上不得请假
    written: bool = False  # 书面请假 on file (003 art.43)
    office_forward: str = ""  # label of the office step before the approval ("" none)
    office_filing: str = ""  # label of the office step after the approval ("" none)
    in_advance: bool = False  # asked and decided before the meeting starts
    substitute_deputy: bool = False  # the substitute holds a deputy post (副职)
    substitute_after_approval: bool = False  # the substitute is named once leave is granted


def leave_policy(profile: Profile, m: Meeting, person: Person) -> LeavePolicy:
    mtype = meeting_type(profile, m.type_id)
    rule = profile.meeting_leave_rule(m.type_id, person.role)
    article = (rule.article if rule else None) or mtype.leave_article or (mtype.article if mtype.leave_approver else "")
    target = (rule.approver if rule and rule.approver else None) or mtype.leave_approver
    basis = f"依据{cite(article, profile)}" if article else ""
    if target is None:
        basis = "规则未写明向谁请假,由会议召集人审批"
    return LeavePolicy(
        approver=target,
        approver_basis=basis,
        substitute_required=bool(rule and rule.substitute_required),
        note=rule.note if rule else "",
        article=article,
        discouraged=mtype.leave_discouraged,
        written=bool(rule and rule.written),
        office_forward=rule.office_forward if rule else "",
        office_filing=rule.office_filing if rule else "",
        in_advance=bool(rule and rule.in_advance),
        substitute_deputy=bool(rule and rule.substitute_deputy),
        substitute_after_approval=bool(rule and rule.substitute_after_approval),
    )


@dataclass(frozen=True)
class Approver:
    """Who decides a leave request, resolved for a day."""

    person: Person | None  # None only when the requester is the approver (本人即审批人)
    original: Person | None  # the approver by the rules when ``person`` acts for him or her
    text: str  # 市长 王建国 / 常务副市长 李志强(代市长)
    note: str  # 市长外出,由常务副市长李志强代为审批
    self_approved: bool = False


def _title(profile: Profile, p: Person) -> str:
    return p.title or profile.title(p.role)


def resolve_approver(
    profile: Profile,
    m: Meeting,
    person: Person,
    directory: Directory,
    people: Mapping[int, Person],
    day: date,
) -> Approver:
    """The person who decides ``person``'s leave from ``m`` on ``day``.

    The target is the ``[[meeting_leave]]`` rule's approver, else the type's ``leave_approver``,
    else the convener. ``convener`` is the meeting's own convener (002 art.44: 不能出席副县长召开的
    会议 … 向分管副县长报告). When that person is away on ``day`` and someone acts for him or her
    (desktop.core.acting), the acting person decides; the original may still decide.
    """
    policy = leave_policy(profile, m, person)
    target = policy.approver or Target(TargetKind.convener)
    convener = people.get(m.convener_id) if m.convener_id is not None else None
    text = ""
    original: Person | None
    if target.kind is TargetKind.convener:
        original = convener
        if original is None:
            raise UserError("这次会议还没有填写召集人,无法确定请假由谁审批:请先在会议中填写召集人。")
        text = f"会议召集人 {original.name}"
    elif target.kind is TargetKind.role:
        role = target.roles[0]
        original = directory.first_in_role(role)
        if original is None:
            raise UserError(f"请假应由{profile.title(role)}审批,但人员中没有在任的{profile.title(role)}:请先在人员页添加。")
        text = f"{profile.title(role)} {original.name}"
    elif target.kind is TargetKind.any:
        found = [(r, p) for r in target.roles if (p := directory.first_in_role(r)) is not None and p.id != person.id]
        if not found:
            titles = "或".join(profile.title(r) for r in target.roles)
            raise UserError(f"请假应由{titles}审批,但人员中没有在任的人选:请先在人员页添加。")
        present = [(r, p) for r, p in found if not directory.is_away(p.id, day)]
        role, original = (present or found)[0]
        text = f"{profile.title(role)} {original.name}"
    elif target.kind is TargetKind.supervisor:
        original = directory.supervisor_of(person)
        if original is None:
            raise UserError(f"未找到{person.name}的分管领导:请在人员页为其所在单位设置分管领导。")
        text = f"分管领导 {original.name}"
    else:  # office / leaders: the office decides; not used by the shipped profiles
        raise UserError("规则中的会议请假审批人应为某位领导(role:…、any:…、supervisor 或 convener)。")
    if original.id == person.id:
        return Approver(None, None, f"{person.name}(本人)", "请假人即审批人,登记即生效", self_approved=True)
    if directory.is_away(original.id, day):
        actor = directory.acting_for(original.id, day)
        who = text.split(" ")[0]
        if actor is not None and actor.id not in (original.id, person.id):
            note = f"{who}{original.name}外出,由{_title(profile, actor)}{actor.name}代为审批"
            return Approver(actor, original, f"{_title(profile, actor)} {actor.name}(代{who})", note)
        return Approver(original, None, text, f"{who}当天外出且无人代行:可由本人远程审批")
    return Approver(original, None, text, "")


def people_named(m: Meeting) -> list[int]:
    """Everyone the meeting names (members, attendees, convener), each once, in that order."""
    ids = [*m.member_ids, *m.attendee_ids] + ([m.convener_id] if m.convener_id is not None else [])
    return list(dict.fromkeys(ids))


def check_people(named: Iterable[Person], before: Meeting | None = None) -> None:
    """A new name must be an active person; one already in the meeting (`before`, the stored copy)
    may stay after being deactivated: the record keeps who was there."""
    already = set(people_named(before)) if before is not None else set()
    for p in named:
        if not p.active and p.id not in already:
            raise UserError(f"{p.name}已停用,不能加入会议。")


def new_leave(m: Meeting, person: Person, reason: str, substitute: str, approver: Approver, now: datetime,
              absence_id: int | None = None, written: bool = False) -> MeetingLeave:  # fmt: skip
    """The request to save (reason and substitute as `validate_leave_request` cleaned them).

    When the rules make the person his or her own approver (the chief at a meeting he convenes),
    it is approved at once."""
    approved = approver.self_approved
    return MeetingLeave(id=None, meeting_id=m.id, person_id=person.id, reason=reason, substitute=substitute,
                        state=LeaveState.approved if approved else LeaveState.requested,
                        approver_id=approver.person.id if approver.person else None,
                        approver_for_id=approver.original.id if approver.original else None,
                        approver_text=approver.text, approver_note=approver.note, absence_id=absence_id,
                        requested_at=now, decided_at=now if approved else None,
                        decided_by=person.name if approved else "", written=written)


def with_approver(leave: MeetingLeave, approver: Approver) -> MeetingLeave:
    """The request with its approver resolved again (for the day it is decided)."""
    if approver.self_approved:
        return leave
    return dataclasses.replace(leave, approver_id=approver.person.id if approver.person else None,
                               approver_for_id=approver.original.id if approver.original else None,
                               approver_text=approver.text, approver_note=approver.note)


def active_leave(leaves: Iterable[MeetingLeave], person_id: int) -> MeetingLeave | None:
    """The person's standing request (待批 or 已准假) for the meeting, if any."""
    return next((lv for lv in leaves if lv.person_id == person_id and lv.state in OPEN_LEAVE), None)


def validate_leave_request(
    profile: Profile,
    m: Meeting,
    person: Person,
    reason: str,
    substitute: str,
    existing: Sequence[MeetingLeave],
    *,
    written: bool = False,
    now: datetime | None = None,
    deciding: bool = False,
) -> tuple[str, str]:
    """Check a new request; return the cleaned (reason, substitute) or raise UserError.

    ``written``: the written request (书面请假) is on file; ``now``: when it is filed (a rule with
    ``in_advance`` refuses a request once the meeting has begun); ``deciding``: the request is
    decided in the same command, so a substitute named after consent may come with it."""
    mtype = meeting_type(profile, m.type_id)
    if m.role_of(person.id) is None:
        raise UserError(f"{person.name}不是“{m.title}”的参会人员,无需请假。请先在会议中添加此人。")
    reason, substitute = clean_text(reason), parse_substitute(substitute)
    if not reason:
        raise UserError(f"请填写{person.name}不能参会的事由。")
    if len(reason) > TEXT_MAX or len(substitute) > TEXT_MAX:
        raise UserError(f"事由和代为参会人员各最多 {TEXT_MAX} 个字。")
    policy = leave_policy(profile, m, person)
    where = cite(policy.article, profile)
    if policy.written and not written:
        raise UserError(f"按{where}的规定,{_title(profile, person)}请假须向{profile.office}书面请假:"
                        "请收到书面请假材料后再登记,并勾选“已收到书面请假”(命令行加 --written)。")
    if policy.in_advance and now is not None:
        check_in_advance(policy, m, now, profile, "请假")
    if policy.substitute_after_approval and substitute and not deciding:
        raise UserError(f"按{where}的规定,请假经同意后,方可指定代替参加会议人员:"
                        "请先登记请假(不填代为参会人员),准假后再指定代为参会人员。")
    if substitute:
        check_substitute(policy, substitute, profile)
    if policy.substitute_required and not substitute:
        raise UserError(
            f"按{cite(policy.article, profile)}的规定,{_title(profile, person)}不能参加{mtype.label}的,须{policy.note or '指派人员代为参会'}:"
            "请填写代为参会人员的姓名和职务,例如“王五 副局长”。"
        )
    standing = active_leave(existing, person.id)
    if standing is not None:
        raise UserError(f"{person.name}已有一条{standing.state.label}的请假(编号 {standing.id}),"
                        "不能重复登记;如需修改请先撤回。")  # fmt: skip
    return reason, substitute


def decide_leave(leave: MeetingLeave, by_name: str, approve: bool, now: datetime, names: Mapping[int, str],
                 comment: str = "", policy: LeavePolicy | None = None, m: Meeting | None = None,
                 profile: Profile | None = None) -> MeetingLeave:  # fmt: skip
    """Approve or refuse a request; only its approver (or the away approver it went around) may.

    With the ``policy``: an office step due before the approval (呈报) must be done first, and a
    rule with ``in_advance`` refuses a decision once the meeting ``m`` has begun."""
    who = clean_text(by_name)
    if not who:
        raise UserError("请填写审批人姓名(--by)。")
    if leave.state is not LeaveState.requested:
        raise UserError(f"编号 {leave.id} 的请假当前为“{leave.state.label}”,不是待批状态。")
    if policy is not None and policy.office_forward and leave.forwarded_at is None:
        where = f"按{cite(policy.article, profile)}的规定," if policy.article else ""
        raise UserError(f"{where}这条请假须先“{policy.office_forward}”:请办公室先办理这一步"
                        f"(命令行:dutydesk meeting leave {leave.meeting_id} 请假人 --forward --by 经办人),再审批。")
    if policy is not None and policy.in_advance and m is not None:
        check_in_advance(policy, m, now, profile, "同意请假")
    allowed = [names.get(i, "") for i in (leave.approver_id, leave.approver_for_id) if i is not None]
    if allowed and who not in allowed:
        raise UserError(f"这条请假应由{leave.approver_text}审批,不能由 {who} 办理。请填写实际审批人的姓名。")
    return dataclasses.replace(leave, state=LeaveState.approved if approve else LeaveState.rejected,
                               decided_at=now, decided_by=who, comment=clean_text(comment))  # fmt: skip


def check_in_advance(policy: LeavePolicy, m: Meeting, now: datetime, profile: Profile | None, what: str) -> None:
    """A rule with ``in_advance`` (004 art.48 必须提前报会议召集人同意): refuse once the meeting began."""
    if policy.in_advance and now >= m.starts_at:
        where = f"按{cite(policy.article, profile)}的规定," if policy.article else ""
        raise UserError(f"{where}不能与会的须在会前报会议召集人同意;{m.title}已于{m.when_text}开始,"
                        f"不能再{what}。请在会前办理,或按实际情况登记缺席。")


#: A deputy post (副职): 副局长、副主任、副区长、党组副书记 …
_DEPUTY_POST = re.compile(r"副\S*(长|任|书记|主席|经理|局|职|官|员)|副职")


def substitute_post(text: str) -> str:
    """The post in "姓名 职务" (the text after the first space); the whole text when there is no space."""
    parts = text.split(None, 1)
    return parts[1] if len(parts) == 2 else text


def check_substitute(policy: LeavePolicy, substitute: str, profile: Profile | None) -> None:
    """A rule with ``substitute_deputy`` (004 art.48 安排熟悉议题内容的其他副职参会) refuses a
    substitute whose post is not a deputy post."""
    if not policy.substitute_deputy:
        return
    post = substitute_post(substitute)
    if not _DEPUTY_POST.search(post):
        where = f"按{cite(policy.article, profile)}的规定," if policy.article else ""
        raise UserError(f"{where}代为参会的应是熟悉议题内容的其他副职;“{substitute}”没有写明副职职务。"
                        "请填写副职的姓名和职务,例如“王五 副局长”。")


@dataclass(frozen=True)
class LeaveStep:
    """One step of a request as the rules order it: an office step (呈报, 书面报备) or the decision."""

    kind: str  # forward | decide | file
    label: str  # 由市政府办公室呈报市长审批 / 市长 王建国审批 / 向区政府办公室书面报备
    done_by: str = ""
    done_at: datetime | None = None
    due: bool = False  # the step that waits now

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def text(self) -> str:
        if self.done_at is not None:
            return f"{self.label}:{self.done_by} {self.done_at:%m-%d %H:%M}"
        return f"{self.label}:{'待办' if self.due else '未到'}"


def leave_steps(policy: LeavePolicy, lv: MeetingLeave) -> list[LeaveStep]:
    """The request's steps in order: office forwarding (if the rules have it), the decision, the
    office filing (if the rules have it); ``due`` marks the step that waits now."""
    open_ = lv.state in OPEN_LEAVE
    steps = []
    if policy.office_forward:
        steps.append(LeaveStep("forward", policy.office_forward, lv.forwarded_by, lv.forwarded_at,
                               due=open_ and lv.forwarded_at is None))  # fmt: skip
    decided = lv.state in (LeaveState.approved, LeaveState.rejected)
    verb = {LeaveState.approved: "准假", LeaveState.rejected: "不准假"}.get(lv.state, "审批")
    steps.append(LeaveStep("decide", f"{lv.approver_text}{verb}" if decided else f"{lv.approver_text}审批",
                           lv.decided_by if decided else "", lv.decided_at if decided else None,
                           due=lv.state is LeaveState.requested and (not policy.office_forward
                                                                     or lv.forwarded_at is not None)))  # fmt: skip
    if policy.office_filing and lv.state is not LeaveState.rejected:
        steps.append(LeaveStep("file", policy.office_filing, lv.filed_by, lv.filed_at,
                               due=lv.state is LeaveState.approved and lv.filed_at is None))  # fmt: skip
    return steps


def pending_office_step(policy: LeavePolicy, lv: MeetingLeave) -> LeaveStep | None:
    """The office step (forward or file) the request waits for now, if any."""
    return next((s for s in leave_steps(policy, lv) if s.due and s.kind != "decide"), None)


def leave_status(policy: LeavePolicy, lv: MeetingLeave) -> str:
    """The state with what waits: 待批(待办公室呈报) / 已准假(待书面报备) / 已准假 …"""
    waiting = pending_office_step(policy, lv)
    base = lv.state.label
    if waiting is None:
        return base
    return f"{base}(待{short_step_label(waiting.label)})"


def short_step_label(label: str) -> str:
    """由市政府办公室呈报市长审批 → 办公室呈报; 向区政府办公室书面报备 → 书面报备."""
    if "呈报" in label:
        return "办公室呈报"
    if "报备" in label:
        return "书面报备"
    return label


def written_text(policy: LeavePolicy, lv: MeetingLeave) -> str:
    """书面请假:已收到 where the rules ask for a written request; "" elsewhere."""
    if not policy.written:
        return ""
    return "书面请假:已收到" if lv.written else "书面请假:未登记"


def do_office_step(policy: LeavePolicy, lv: MeetingLeave, kind: str, by_name: str, now: datetime,
                   profile: Profile | None = None) -> MeetingLeave:  # fmt: skip
    """The office step ``kind`` (forward: 呈报, before the decision; file: 书面报备, after the approval)."""
    who = clean_text(by_name)
    label = policy.office_forward if kind == "forward" else policy.office_filing
    if not label:
        what = "呈报" if kind == "forward" else "报备"
        where = cite(policy.article, profile) if policy.article else "规则"
        raise UserError(f"{where}没有规定这条请假由办公室{what},无需办理这一步。")
    if not who:
        raise UserError(f"请填写办理“{label}”的经办人姓名(--by)。")
    step = pending_office_step(policy, lv)
    if step is None or step.kind != kind:
        if lv.state not in OPEN_LEAVE:
            raise UserError(f"编号 {lv.id} 的请假当前为“{lv.state.label}”,不能再办理“{label}”。")
        done = lv.forwarded_at if kind == "forward" else lv.filed_at
        if done is not None:
            raise UserError(f"编号 {lv.id} 的请假已于 {done:%m-%d %H:%M} 办理“{label}”,无需重复办理。")
        raise UserError(f"编号 {lv.id} 的请假还没有准假,“{label}”须在准假后办理。")
    if kind == "forward":
        return dataclasses.replace(lv, forwarded_at=now, forwarded_by=who)
    return dataclasses.replace(lv, filed_at=now, filed_by=who)


def name_substitute(policy: LeavePolicy, lv: MeetingLeave, text: str, profile: Profile | None = None) -> MeetingLeave:
    """指定代为参会人员 on a standing request (001 art.42: once leave is granted)."""
    substitute = parse_substitute(text)
    if not substitute:
        raise UserError("请填写代为参会人员的姓名和职务,例如“王五 副局长”。")
    if len(substitute) > TEXT_MAX:
        raise UserError(f"代为参会人员最多 {TEXT_MAX} 个字。")
    if lv.state not in OPEN_LEAVE:
        raise UserError(f"编号 {lv.id} 的请假当前为“{lv.state.label}”,不能指定代为参会人员。")
    if policy.substitute_after_approval and lv.state is not LeaveState.approved:
        raise UserError(f"按{cite(policy.article, profile)}的规定,请假经同意后,方可指定代替参加会议人员:"
                        "这条请假还没有准假,请准假后再指定。")
    check_substitute(policy, substitute, profile)
    return dataclasses.replace(lv, substitute=substitute)


def withdraw_leave(leave: MeetingLeave, now: datetime, comment: str = "") -> MeetingLeave:
    if leave.state not in OPEN_LEAVE:
        raise UserError(f"编号 {leave.id} 的请假当前为“{leave.state.label}”,不能撤回。")
    return dataclasses.replace(leave, state=LeaveState.withdrawn, decided_at=now, comment=clean_text(comment))


# --------------------------------------------------------------------------------------------
# Absences on file, quorum
# --------------------------------------------------------------------------------------------


def absences_covering(m: Meeting, absences: Iterable[Absence]) -> dict[int, list[Absence]]:
    """Person id → the absence records on file that overlap the meeting's half days.

    Every record counts unless it was rejected, withdrawn or cancelled (a draft too: the person
    plans to be away). A half-day record counts only when it covers the meeting's half day.
    """
    halves = meeting_halves(m)
    out: dict[int, list[Absence]] = {}
    for a in absences:
        if a.state in CLOSED_STATES:
            continue
        covered = away_on(a, m.day)
        if covered is None:
            continue
        if covered is Half.full or covered in halves:
            out.setdefault(a.person_id, []).append(a)
    return out


def _absence_text(a: Absence) -> str:
    where = f" {a.destination}" if a.destination else ""
    return f"{a.kind.label}{where}({a.span_text},{a.state.label})"


def likely_leave(m: Meeting, absences: Iterable[Absence], leaves: Sequence[MeetingLeave]) -> list[tuple[int, Absence]]:
    """Members and attendees with an absence on file over the meeting but no standing leave request
    (可能请假): (person id, the first such record), members first, in the meeting's order."""
    covering = absences_covering(m, absences)
    out = []
    for pid in (*m.member_ids, *m.attendee_ids):
        if pid in covering and active_leave(leaves, pid) is None:
            out.append((pid, covering[pid][0]))
    return out


PRESENT = "present"
LEAVE = "leave"
AWAY = "away"
STATUS_LABELS = {PRESENT: "到会", LEAVE: "请假", AWAY: "外出"}


@dataclass(frozen=True)
class Attendance:
    person: Person
    status: str  # present | leave | away
    reasons: tuple[str, ...]  # why, in Chinese (准假、外出记录、待批的请假 …)
    leave: MeetingLeave | None = None
    absences: tuple[Absence, ...] = ()

    @property
    def present(self) -> bool:
        return self.status == PRESENT

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class QuorumResult:
    rule: Quorum
    article: str
    members: int  # 应到
    present: int  # 实到 (expected)
    required: int  # the least number present for the meeting to be held (0: no rule)
    rows: tuple[Attendance, ...]  # every member, in rank order
    pending: int  # requests still waiting (counted present)

    @property
    def can_hold(self) -> bool:
        return self.present >= self.required

    @property
    def away(self) -> tuple[Attendance, ...]:
        return tuple(r for r in self.rows if not r.present)

    @property
    def text(self) -> str:
        head = "可以召开" if self.can_hold else "不能召开"
        rule = QUORUM_LABELS[self.rule]
        need = f",至少 {self.required} 人" if self.rule is not Quorum.none else ""
        basis = f"({cite(self.article, short=True)})" if self.rule is not Quorum.none and self.article else ""
        pend = f";另有 {self.pending} 人请假待批,按到会计" if self.pending else ""
        return f"{head}:应到 {self.members} 人,预计实到 {self.present} 人({rule}{basis}{need}){pend}"


def required_present(rule: Quorum, members: int) -> int:
    """半数以上 (at least half, 000 art.42) → ceil(n/2); 超过半数 (001 art.38) → n//2 + 1."""
    if rule is Quorum.at_least_half:
        return (members + 1) // 2
    if rule is Quorum.more_than_half:
        return members // 2 + 1
    return 0


def quorum(
    profile: Profile,
    m: Meeting,
    people: Mapping[int, Person],
    leaves: Sequence[MeetingLeave],
    absences: Iterable[Absence],
) -> QuorumResult:
    """Who of the members is expected, and whether the meeting can be held by the type's quorum.

    A member counts as away with approved leave, or with an absence record overlapping the
    meeting (see `absences_covering`); a pending request is shown but counted present until it
    is approved.
    """
    mtype = meeting_type(profile, m.type_id)
    covering = absences_covering(m, absences)
    rows = []
    pending = 0
    members = sorted((people[i] for i in m.member_ids if i in people), key=lambda p: (p.rank, p.id))
    for p in members:
        leave = active_leave(leaves, p.id)
        records = tuple(covering.get(p.id, ()))
        reasons: list[str] = []
        status = PRESENT
        if leave is not None and leave.state is LeaveState.approved:
            status = LEAVE
            sub = f",{leave.substitute}代为参会" if leave.substitute else ""
            reasons.append(f"已准假({leave.reason}{sub};{leave.decided_by}批准)")
        elif leave is not None:
            pending += 1
            reasons.append(f"请假待批({leave.reason}),批准前按到会计")
        if records:
            if status == PRESENT:
                status = AWAY
            reasons += [f"外出记录 #{a.id}:{_absence_text(a)}" for a in records]
        rows.append(Attendance(p, status, tuple(reasons), leave, records))
    present = sum(1 for r in rows if r.present)
    return QuorumResult(
        rule=mtype.quorum,
        article=mtype.article,
        members=len(rows),
        present=present,
        required=required_present(mtype.quorum, len(rows)),
        rows=tuple(rows),
        pending=pending,
    )


# --------------------------------------------------------------------------------------------
# Deadlines (纪要、文件印发)
# --------------------------------------------------------------------------------------------

DUE = "due"  # not done, deadline not passed
OVERDUE = "overdue"
DONE = "done"
DONE_LATE = "done_late"
OPEN = "open"  # the rules set no deadline and it is not done yet
DEADLINE_STATUS_LABELS = {DUE: "待印发", OVERDUE: "已逾期", DONE: "已印发", DONE_LATE: "逾期印发", OPEN: "未规定期限"}
WHAT_LABELS = {"minutes": "会议纪要", "documents": "会议决定的文件"}


@dataclass(frozen=True)
class DeadlineItem:
    what: str  # minutes | documents
    label: str  # 会议纪要印发
    due: date | None  # None: the rules set no deadline for this type
    done: date | None
    status: str  # due | overdue | done | done_late | open
    days: int = 0
    article: str = ""
    provisional: bool = False  # the due date used a provisional calendar

    @property
    def status_label(self) -> str:
        return DEADLINE_STATUS_LABELS[self.status]

    @property
    def text(self) -> str:
        if self.due is None:
            rule = "规则未规定期限"
        else:
            rule = f"期限 {cn_date(self.due)}(会后{self.days}个工作日,{cite(self.article, short=True)})"
            if self.provisional:
                rule += "【暂定日历】"
        done = f",{cn_date(self.done)}已印发" if self.done else ""
        return f"{self.label}:{self.status_label};{rule}{done}"


def _status(due: date | None, done: date | None, today: date) -> str:
    if done is not None:
        return DONE_LATE if due is not None and done > due else DONE
    if due is None:
        return OPEN
    return OVERDUE if today > due else DUE


def deadlines(profile: Profile, m: Meeting, calendar: WorkCalendar | None, today: date) -> list[DeadlineItem]:
    """The minutes and the documents of the meeting: due date (N working days after the meeting
    day, the day itself not counted), done date and status. A type without a preset still has
    its minutes item (no due date) so the secretary can record when they were issued.

    Raise UserError when the calendar does not cover the meeting's year.
    """
    mtype = meeting_type(profile, m.type_id)
    items = []
    for what, preset_id, done in (("minutes", mtype.minutes_deadline, m.minutes_done),
                                  ("documents", mtype.documents_deadline, m.documents_done)):  # fmt: skip
        preset = profile.deadline(preset_id) if preset_id else None
        if preset is None:
            if what == "documents":
                continue
            items.append(DeadlineItem(what, WHAT_LABELS[what] + "印发", None, done, _status(None, done, today)))
            continue
        if calendar is None:
            raise UserError("没有工作日日历,无法计算会议纪要和文件的印发期限。请先导入国务院的放假通知。")
        try:
            result = calendar.add_workdays_ex(m.day, preset.days)
        except CalendarGapError as exc:
            raise UserError(str(exc)) from exc
        items.append(DeadlineItem(what, WHAT_LABELS[what] + "印发", result.date, done,
                                  _status(result.date, done, today), preset.days, preset.article,
                                  result.provisional))  # fmt: skip
    return items


# --------------------------------------------------------------------------------------------
# What the pages and printouts show
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    """Everything the pages and printouts show about one meeting."""

    meeting: Meeting
    people: dict[int, Person]
    leaves: list[MeetingLeave]
    quorum: QuorumResult
    likely: list[tuple[int, Absence]]
    deadlines: list[DeadlineItem]
    provisional: bool

    def name(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        p = self.people.get(person_id)
        return p.name if p else str(person_id)
