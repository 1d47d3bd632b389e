"""Rule profiles: one government's working rules as data (DESIGN.md "The rules it encodes").

A profile is a TOML file under resources/profiles/ (one per government). This module reads it
into frozen dataclasses and validates it strictly: unknown keys, unknown roles, malformed approval
targets and missing article citations are errors, never silently ignored, because a typo in a rule
file would otherwise change who has to sign a leave request.

Every rule carries ``article = "<seed prefix> art.<n>"``, the article of the working rules it
encodes (the prefix names the seed file, e.g. ``000`` for 攀枝花市人民政府工作规则).

Keys added for issue 14 ("The rules, read exactly"), for an editor to offer (each optional):

=========================================  ================================================================
``[places] province`` / ``inside``         the province's short name ("湖北") and the places inside the
                                           jurisdiction ("宜昌", "夷陵" …): whether a destination leaves it
                                           (desktop.core.places; 004 art.69 离市, 002 art.9 离县)
``[[chains.steps]] target =                the leader whose 分管 portfolio names that area (001 art.50(四)
"portfolio:外事"``                          分管外事工作的副市长)
``[[chains.steps]] after_return``          true: the step is due after the return (000 art.59 出访报告); only
                                           for report/file steps; never holds back 销假
``[[chains.steps]] article``               the step's own article when it is not the chain's
``[[acting]] approves`` /                  whether the acting person (an AB partner) also does the absent
``approves_reason``                        leader's approval steps, and why (000 art.61 部分政务活动职责)
``[duty] days = "statutory_days"``         除双休日外的法定节假日 read as the statutory holiday days, weekends
                                           included (the other reading: ``holiday_weekdays``)
=========================================  ================================================================

Keys for rules beyond the five documents ("Beyond the five"; each optional, documented for offices in
resources/profiles/generic.toml and the README section 自定义规则):

=========================================  ==================================================================================================  ================================================================

``[[acting]] succession = [roles]``        按顺次递补: instead of ``actor``, the first person present going
                                           down the roles in order (within a role by 排名)
``[[acting]] delegates = [roles]``         主要负责人授权委托: a record may name one delegate of these roles
                                           (its acting person), who must be present for the whole absence
``[[acting]] leaving_kinds = [kinds]``     kinds the rule covers only when the record leaves the
                                           jurisdiction (出差 only as 出县), beside ``kinds`` that always count
``[[not_together]] ab_partners = true``    互为AB角的两人不得(一般不)同时外出; ``roles`` then optional, a
                                           filter: both partners must hold one of them
=======
Keys of ``[[meeting_leave]]`` for meeting leave as each text says (each optional, false / "" by default):

=========================================  ================================================================
``written``                                the request is made in writing (书面请假, 003 art.43): filing it
                                           needs the written request on file
``office_forward = "…"``                   an office step before the approval, its label (由市政府办公室呈报
                                           市长审批, 003 art.43): the approver decides only after it
``office_filing = "…"``                    an office step after the approval, its label (向区政府办公室书面
                                           报备, 004 art.48)
``in_advance``                             consent is asked and given before the meeting starts (必须提前报
                                           会议召集人同意, 004 art.48)
``substitute_deputy``                      the substitute holds a deputy post (安排熟悉议题内容的其他副职参会,
                                           004 art.48)
``substitute_after_approval``              the substitute is named only once leave is granted (经同意后,方可
                                           指定代替参加会议人员, 001 art.42); excludes ``substitute_required``
=========================================  ================================================================

Citations shown to people come from desktop.core.citation (《…工作规则》第八十四条), never the raw id.

Pure Python (stdlib ``tomllib`` only): no Qt, no SQLite. Locating the profiles folder is the job of
the resource accessor, not of the core.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from desktop.core.errors import UserError
from desktop.core.roles import AbsenceKind, Role

__all__ = [
    "ALL_KINDS",
    "PROFILE_IDS",
    "SCHEMA_VERSION",
    "ActingRule",
    "BothAway",
    "Chain",
    "ChainScope",
    "ChainStep",
    "DayUnit",
    "Deadline",
    "DutyDays",
    "DutyRule",
    "ExportRule",
    "HeavyDays",
    "Level",
    "MeetingLeaveRule",
    "MeetingType",
    "NotTogetherRule",
    "Places",
    "Profile",
    "ProfileError",
    "Quorum",
    "Severity",
    "StepAction",
    "Target",
    "TargetKind",
    "Urgent",
    "load_profile",
    "parse_profile",
    "split_article",
]

SCHEMA_VERSION = 1

#: The presets shipped in resources/profiles/ (DESIGN.md "Command line": ``init --profile``).
PROFILE_IDS: tuple[str, ...] = ("panzhihua", "rizhao", "xiping", "turpan", "wujiagang", "generic")

#: Every absence kind, in the order of roles.AbsenceKind: the default of every ``kinds`` list.
ALL_KINDS: tuple[AbsenceKind, ...] = tuple(AbsenceKind)

AB_PARTNER = "ab_partner"


# --------------------------------------------------------------------------------------------
# Enumerations used in profile files
# --------------------------------------------------------------------------------------------


class Level(StrEnum):
    city = "city"  # 市
    county = "county"  # 县
    district = "district"  # 区


class ChainScope(StrEnum):
    """Which absences a chain covers, by whether they leave the jurisdiction (离攀/离县/离市)."""

    leaves_jurisdiction = "leaves_jurisdiction"
    within = "within"
    any = "any"

    def matches(self, leaves_jurisdiction: bool) -> bool:
        if self is ChainScope.any:
            return True
        return leaves_jurisdiction == (self is ChainScope.leaves_jurisdiction)


class DayUnit(StrEnum):
    natural = "natural"  # 自然日 (提前1天、提前3日)
    workdays = "workdays"  # 工作日

    @property
    def label(self) -> str:
        return "天" if self is DayUnit.natural else "个工作日"


class Urgent(StrEnum):
    """How a report made too late for an urgent trip is treated."""

    promptly = "promptly"  # 因紧急事项临时外出的应当及时报告: flagged urgent, not late
    none = "none"  # the article makes no exception: a late report is late


class StepAction(StrEnum):
    summarize = "summarize"  # 汇总
    report = "report"  # 报告
    sign = "sign"  # 签报
    approve = "approve"  # 批准/同意
    notify = "notify"  # 通报
    file = "file"  # 报备/备案

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    StepAction.summarize: "汇总",
    StepAction.report: "报告",
    StepAction.sign: "签报",
    StepAction.approve: "批准",
    StepAction.notify: "通报",
    StepAction.file: "报备",
}


class TargetKind(StrEnum):
    role = "role"  # the active person in that role, first by rank
    any = "any"  # any one of the roles, the first present
    supervisor = "supervisor"  # the deputy whose 分管 portfolio covers the person's unit
    portfolio = "portfolio"  # portfolio:外事 — the leader whose 分管 portfolio names that area (001 art.50(四))
    office = "office"  # an office named in [offices]
    leaders = "leaders"  # the other government leaders
    convener = "convener"  # the leader who convened the meeting (meetings.leave_approver only)


class BothAway(StrEnum):
    """What happens when both AB partners are away at the same time."""

    office_designates = "office_designates"  # 由政府办公室协调其他领导代行 (000 art.61)
    unspecified = "unspecified"  # the rules say nothing: the app reports the gap


class Severity(StrEnum):
    warning = "warning"  # overridable with a recorded reason (一般不同时外出)
    violation = "violation"  # not overridable


class DutyDays(StrEnum):
    holiday_weekdays = "holiday_weekdays"  # 除双休日外的法定节假日 read as: the holiday's rest days on Mon–Fri
    #: 除双休日外的法定节假日 read as (issue 14): the statutory holiday days the national regulation names
    #: (元旦, 春节 除夕至初三, 清明, 劳动节, 端午, 中秋, 国庆 1–3), on any day of the week; ordinary weekends and
    #: the rest days moved into a block (调休) are not duty days.
    statutory_days = "statutory_days"
    holiday_block = "holiday_block"  # every day of a holiday block (放假调休期间每一天)
    rest_days = "rest_days"  # every rest day: weekends and holidays
    every_day = "every_day"  # every day of the year (24小时值班)


class Quorum(StrEnum):
    none = "none"  # the rules set no quorum
    at_least_half = "at_least_half"  # 半数以上 (以上 includes the half itself)
    more_than_half = "more_than_half"  # 超过半数


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class ProfileError(UserError):
    """A profile file that cannot be used; the message is Chinese and names the file and key.

    A UserError (hence a ValueError): the CLI and the GUI show the message as it is.

    ``source`` is the file name, ``path`` the key path inside it (``chains[2].steps[0].target``)
    or None, ``line`` the line of a TOML syntax error or None.
    """

    def __init__(self, message: str, *, source: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.source = source
        self.path = path
        self.line = line


# --------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Who does a chain step (parsed from ``role:chief``, ``any:chief,executive_deputy`` …)."""

    kind: TargetKind
    roles: tuple[Role, ...] = ()
    office: str | None = None

    def __str__(self) -> str:
        if self.kind is TargetKind.role:
            return f"role:{self.roles[0]}"
        if self.kind is TargetKind.any:
            return "any:" + ",".join(self.roles)
        if self.kind is TargetKind.office:
            return f"office:{self.office}"
        if self.kind is TargetKind.portfolio:
            return f"portfolio:{self.office}"
        return self.kind.value


@dataclass(frozen=True)
class ChainStep:
    action: StepAction
    target: Target
    label: str  # as printed on the approval form, e.g. 报告市长或常务副市长
    parallel_with_previous: bool = False  # same stage as the step before (县长、副县长同意)
    #: Due only once the person is back (000 art.59 回国后按规定提交出访报告): never holds back 销假,
    #: and `dutydesk check` lists it while it is pending after the absence ended.
    after_return: bool = False
    article: str | None = None  # the step's own article when it is not the chain's (000 art.59)


@dataclass(frozen=True)
class Chain:
    """An approval/report chain (外出报备 / 请销假) for some roles and absence kinds."""

    id: str
    label: str
    roles: tuple[Role, ...]
    kinds: tuple[AbsenceKind, ...]
    scope: ChainScope
    lead_days: int  # advance notice; 0 = none
    lead_unit: DayUnit
    urgent: Urgent
    steps: tuple[ChainStep, ...]
    article: str

    def matches(self, role: Role, kind: AbsenceKind, leaves_jurisdiction: bool) -> bool:
        return role in self.roles and kind in self.kinds and self.scope.matches(leaves_jurisdiction)

    @property
    def stages(self) -> tuple[tuple[ChainStep, ...], ...]:
        """The steps grouped into stages (parallel steps share a stage), in order."""
        stages: list[list[ChainStep]] = []
        for step in self.steps:
            if step.parallel_with_previous and stages:
                stages[-1].append(step)
            else:
                stages.append([step])
        return tuple(tuple(stage) for stage in stages)


@dataclass(frozen=True)
class ActingRule:
    """Who acts for an absent leader (代行 / 主持 / AB角 / 补位).

    ``actor`` is a role, or None when the person's AB partner acts (``actor = "ab_partner"``).
    """

    absent_role: Role
    actor: Role | None
    kinds: tuple[AbsenceKind, ...]
    scope: str  # what the acting person does, in the article's words
    article: str
    duties: tuple[str, ...] = ()  # AB: 公务接待、出席会议…
    both_away: BothAway = BothAway.unspecified
    leaves_jurisdiction_only: bool = False  # e.g. 县长离县期间 (002 art.9)
    #: Whether the acting person also does the absent leader's approval steps (分管领导同意 …) — an
    #: open reading for AB partners (000 art.61 代行"部分政务活动职责"); ``approves_reason`` says why.
    approves: bool = True
    approves_reason: str = ""
    #: 按顺次递补: the roles in order (``actor`` is the first); the first person present acts.
    succession: tuple[Role, ...] = ()
    #: 授权委托: the roles of whom the absent leader may name a delegate on the record (empty: none).
    delegates: tuple[Role, ...] = ()
    #: Kinds covered only when the record leaves the jurisdiction (出县的出差), beside ``kinds``.
    leaving_kinds: tuple[AbsenceKind, ...] = ()

    @property
    def by_ab_partner(self) -> bool:
        return self.actor is None

    @property
    def actor_roles(self) -> tuple[Role, ...]:
        """The roles that act, in order: the succession, or the one actor role; () for AB partners."""
        if self.succession:
            return self.succession
        return (self.actor,) if self.actor is not None else ()

    def matches(self, role: Role, kind: AbsenceKind, leaves_jurisdiction: bool = True) -> bool:
        if role is not self.absent_role:
            return False
        if kind in self.kinds:
            return leaves_jurisdiction or not self.leaves_jurisdiction_only
        return leaves_jurisdiction and kind in self.leaving_kinds


@dataclass(frozen=True)
class NotTogetherRule:
    """Leaders who should not be away at the same time: one of each role (市长与常务副市长), or, with
    ``ab_partners``, the two partners of an AB pair (``roles`` then filters the pairs; empty: all)."""

    roles: tuple[Role, ...]
    severity: Severity
    article: str
    ab_partners: bool = False


@dataclass(frozen=True)
class HeavyDays:
    """Weights of the heaviest duty days, for fairness across years."""

    eve: float = 1.0  # 除夕
    spring_day1: float = 1.0  # 春节初一
    national_day1: float = 1.0  # 国庆节10月1日


@dataclass(frozen=True)
class DutyRule:
    """Holiday duty (节假日领导带班)."""

    days: DutyDays
    pool: tuple[Role, ...]  # roles that take turns leading the duty (the chief excluded)
    chief_share: float  # 0 = chief not in the rotation, 0.5 = half a share, 1 = a full share
    officers_per_day: int
    shifts: tuple[str, ...]
    article: str
    heavy_days: HeavyDays = field(default_factory=HeavyDays)


@dataclass(frozen=True)
class Deadline:
    """A preset of the deadline calculator (会签回复 7 个工作日 …)."""

    id: str
    label: str
    days: int
    unit: DayUnit
    article: str


@dataclass(frozen=True)
class MeetingType:
    id: str
    label: str
    members: tuple[Role, ...]  # 组成人员 (empty: set per meeting)
    quorum: Quorum
    convener: Target | None  # who convenes and chairs
    leave_approver: Target | None  # to whom a member asks leave (None: the rules do not say)
    article: str
    leave_article: str | None = None  # where the leave rule is, if not in ``article``
    leave_discouraged: bool = False  # 原则上不得请假
    minutes_deadline: str | None = None  # [[deadlines]] id for issuing the minutes (纪要印发)
    documents_deadline: str | None = None  # [[deadlines]] id for issuing the decided documents


@dataclass(frozen=True)
class MeetingLeaveRule:
    """Who asks whom for leave from a meeting, and whether a substitute must attend
    (``[[meeting_leave]]``; e.g. 000 art.43 部门主要负责人 … 向市长请假,并指派人员代为参会).

    ``meetings`` empty: every meeting type; ``approver`` None: the meeting type's leave_approver.
    """

    roles: tuple[Role, ...]
    meetings: tuple[str, ...]
    approver: Target | None
    substitute_required: bool
    note: str  # the article's words on how to ask (向区政府办公室书面报备 …), "" if none
    article: str
    written: bool = False  # 书面请假 (003 art.43)
    office_forward: str = ""  # the office step before the approval (呈报市长审批, 003 art.43), its label
    office_filing: str = ""  # the office step after the approval (向区政府办公室书面报备, 004 art.48)
    in_advance: bool = False  # consent before the meeting starts (必须提前, 004 art.48)
    substitute_deputy: bool = False  # the substitute holds a deputy post (其他副职, 004 art.48)
    substitute_after_approval: bool = False  # named once leave is granted (经同意后方可指定, 001 art.42)

    def matches(self, meeting_type: str, role: Role) -> bool:
        return role in self.roles and (not self.meetings or meeting_type in self.meetings)


@dataclass(frozen=True)
class Places:
    """``[places]``: what is inside the jurisdiction, to tell from a destination whether a record
    leaves it (desktop.core.places.infer_leaves; 004 art.69 离市, 002 art.9 离县, 000 art.84 离攀).

    ``inside``: names of the places inside (the city or county itself, its districts, counties,
    townships: "宜昌", "西陵", "夷陵" …); ``province``: the short name of its province ("湖北"), so
    that naming the own province is not read as leaving. Empty: nothing can be inferred, the form
    asks and the CLI needs ``--leaves`` or ``--within`` wherever the answer changes a rule.
    """

    inside: tuple[str, ...] = ()
    province: str = ""


#: The mark of internal documents (内部资料 注意保存), printed top left as GB/T 9704 places 密级.
DEFAULT_MARK = "内部资料 注意保存"


@dataclass(frozen=True)
class ExportRule:
    """``[export]``: whether exports and printouts carry the confidentiality mark by default.

    The text is printed in the header area of xlsx, PDF / printouts and docx (not CSV or ICS);
    the export dialog and ``dutydesk export --mark/--no-mark`` override it for one file.
    """

    confidential_mark: bool = False
    mark_text: str = DEFAULT_MARK
    article: str | None = None  # the 保密纪律 article it follows, e.g. "000 art.82"

    @property
    def mark(self) -> str:
        """The mark to print by default: the text, or "" when the profile does not mark exports."""
        return self.mark_text if self.confidential_mark else ""


@dataclass(frozen=True)
class Profile:
    schema: int
    id: str
    name: str  # 攀枝花市人民政府
    short_name: str  # 攀枝花市
    level: Level
    seed: str | None  # seed file prefix; None for the generic profile
    source_title: str  # 攀枝花市人民政府工作规则
    jurisdiction_label: str  # 离攀 / 离县 / 离市
    titles: tuple[tuple[Role, str], ...]  # every role, in roles.Role order
    offices: tuple[tuple[str, str], ...]  # key -> Chinese name; always contains "office"
    acting: tuple[ActingRule, ...]
    not_together: tuple[NotTogetherRule, ...]
    chains: tuple[Chain, ...]
    duty: DutyRule
    deadlines: tuple[Deadline, ...]
    meetings: tuple[MeetingType, ...]
    meeting_leave: tuple[MeetingLeaveRule, ...] = ()
    export: ExportRule = field(default_factory=ExportRule)
    places: Places = field(default_factory=Places)
    source: str = field(default="", compare=False)  # file name it was read from
    _chains_memo: dict = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)

    def title(self, role: Role) -> str:
        """The title as printed (市长, 常务副市长 …)."""
        for r, text in self.titles:
            if r is role:
                return text
        return role.label  # unreachable for a validated profile

    def office_name(self, key: str) -> str:
        for k, name in self.offices:
            if k == key:
                return name
        raise KeyError(f"规则“{self.name}”中没有办公室“{key}”")

    @property
    def office(self) -> str:
        """The government's own general office (市政府办公室 …)."""
        return self.office_name("office")

    def chain_for(self, role: Role, kind: AbsenceKind, leaves_jurisdiction: bool) -> Chain | None:
        """The first chain that covers this absence, or None if the rules require none (memoised:
        a year's check asks this for every record)."""
        key = (role, kind, leaves_jurisdiction)
        if key not in self._chains_memo:
            self._chains_memo[key] = next((c for c in self.chains if c.matches(role, kind, leaves_jurisdiction)), None)
        return self._chains_memo[key]

    def acting_rule_for(
        self, role: Role, kind: AbsenceKind, leaves_jurisdiction: bool = True
    ) -> ActingRule | None:
        """The first acting rule for this absence, or None if nobody is designated to act."""
        for rule in self.acting:
            if rule.matches(role, kind, leaves_jurisdiction):
                return rule
        return None

    def deadline(self, id: str) -> Deadline | None:
        for item in self.deadlines:
            if item.id == id:
                return item
        return None

    def meeting(self, id: str) -> MeetingType | None:
        for item in self.meetings:
            if item.id == id:
                return item
        return None

    def meeting_leave_rule(self, meeting_type: str, role: Role) -> MeetingLeaveRule | None:
        """The first ``[[meeting_leave]]`` rule for this role at this meeting type, or None."""
        return next((r for r in self.meeting_leave if r.matches(meeting_type, role)), None)

    def articles(self) -> tuple[str, ...]:
        """Every article the profile cites, in file order (for the 规则 page and the tests)."""
        cited: list[str] = [r.article for r in self.acting]
        cited += [r.article for r in self.not_together]
        for c in self.chains:
            cited.append(c.article)
            cited += [s.article for s in c.steps if s.article]
        cited.append(self.duty.article)
        cited += [d.article for d in self.deadlines]
        for m in self.meetings:
            cited.append(m.article)
            if m.leave_article:
                cited.append(m.leave_article)
        cited += [r.article for r in self.meeting_leave]
        return tuple(cited)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_profile(path: Path) -> Profile:
    """Read and validate a profile file; raise ProfileError (Chinese message) if it is unusable."""
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(
            f"无法读取规则文件 {source}:{exc.strerror or exc}。请检查文件是否存在、是否有读取权限。",
            source=source,
        ) from exc
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM that Windows Notepad writes
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"规则文件 {source} 不是 UTF-8 编码,请用 UTF-8 编码另存后重新加载。", source=source
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        match = re.search(r"line (\d+)", detail)
        line = int(match.group(1)) if match else None
        where = f"第 {line} 行" if line is not None else ""
        raise ProfileError(
            f"规则文件 {source} {where}有 TOML 语法错误({detail}),请改正后重新加载。",
            source=source,
            line=line,
        ) from exc
    except RecursionError as exc:  # tomllib recurses once per level of [[[…]]] or {a={b=…}}
        raise ProfileError(
            f"规则文件 {source} 中的列表或表嵌套层数过多,无法读取。请检查是否误粘贴了大量“[”或“{{”,改正后重新加载。",
            source=source,
        ) from exc
    return parse_profile(data, source)


def parse_profile(data: Mapping[str, Any], source: str) -> Profile:
    """Validate already-parsed TOML data; ``source`` names the file in error messages."""
    return _Parser(source).profile(data)


_ARTICLE_RE = re.compile(r"^([0-9A-Za-z_-]+) art\.([1-9][0-9]*)$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def split_article(article: str) -> tuple[str, int]:
    """``"000 art.84"`` -> ``("000", 84)``; ValueError if the text is not a citation."""
    match = _ARTICLE_RE.match(article)
    if not match:
        raise ValueError(f"条款引用“{article}”的格式应为“000 art.84”")
    return match.group(1), int(match.group(2))


_E = TypeVar("_E", bound=StrEnum)

_TARGET_HINT = "role:<角色>、any:<角色>,<角色>、supervisor、portfolio:<分管领域,如 外事>、office:<键>、leaders"
_ROLE_IDS = "、".join(r.value for r in Role)
_KIND_IDS = "、".join(k.value for k in AbsenceKind)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{…}"
    return str(value)


_TYPE_NAMES = {str: "文字", int: "整数", bool: "true 或 false", list: "列表", dict: "表"}


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.offices: dict[str, str] = {}
        self.deadline_ids: set[str] = set()

    # ---- errors --------------------------------------------------------------------------

    def _invalid(self, path: str, value: Any, allowed: str) -> ProfileError:
        return ProfileError(
            f"规则文件 {self.source} 中 {path} 的值“{_show(value)}”无效:可用 {allowed}",
            source=self.source,
            path=path,
        )

    def _problem(self, path: str, message: str) -> ProfileError:
        return ProfileError(f"规则文件 {self.source} 中 {path} {message}", source=self.source, path=path)

    # ---- structure -----------------------------------------------------------------------

    def _table(
        self, value: Any, path: str, allowed: Iterable[str], required: Iterable[str] = ()
    ) -> Mapping[str, Any]:
        allowed = tuple(allowed)
        if not isinstance(value, dict):
            where = path or "文件顶层"
            raise self._problem(where, f"应为表(TOML 的 [表] 或 {{ … }}),实际为“{_show(value)}”")
        for key in value:
            if key not in allowed:
                key_path = f"{path}.{key}" if path else key
                raise self._problem(key_path, f"是未知的键:可用 {'、'.join(allowed)}")
        for key in required:
            if key not in value:
                key_path = f"{path}.{key}" if path else key
                raise ProfileError(
                    f"规则文件 {self.source} 中缺少 {key_path}" + self._missing_hint(key),
                    source=self.source,
                    path=key_path,
                )
        return value

    @staticmethod
    def _missing_hint(key: str) -> str:
        if key in ("article", "leave_article"):
            return ":每条规则都要注明所依据的条款,格式如“000 art.84”"
        return ",请补上后重新加载"

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def _typed(self, tbl: Mapping[str, Any], key: str, path: str, kind: type) -> Any:
        value = tbl[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise self._problem(self._join(path, key), f"应为{_TYPE_NAMES[kind]},实际为“{_show(value)}”")
        return value

    def _str(self, tbl: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
        if key not in tbl:
            if default is None:
                raise self._problem(self._join(path, key), "缺失,请补上后重新加载")
            return default
        value: str = self._typed(tbl, key, path, str)
        if not value.strip():
            raise self._problem(self._join(path, key), "不能为空")
        return value.strip()

    def _int(self, tbl: Mapping[str, Any], key: str, path: str, default: int, minimum: int = 0) -> int:
        if key not in tbl:
            return default
        value: int = self._typed(tbl, key, path, int)
        if value < minimum:
            raise self._invalid(self._join(path, key), value, f"不小于 {minimum} 的整数")
        return value

    def _number(
        self, tbl: Mapping[str, Any], key: str, path: str, default: float, lo: float, hi: float
    ) -> float:
        if key not in tbl:
            return default
        value = tbl[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self._invalid(self._join(path, key), value, f"{lo:g} 到 {hi:g} 之间的数")
        return float(value)

    def _bool(self, tbl: Mapping[str, Any], key: str, path: str) -> bool:
        if key not in tbl:
            return False
        value: bool = self._typed(tbl, key, path, bool)
        return value

    def _list(self, tbl: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value: list[Any] = self._typed(tbl, key, path, list)
        return value

    def _enum(self, tbl: Mapping[str, Any], key: str, path: str, enum: type[_E], default: _E | None) -> _E:
        if key not in tbl:
            if default is None:
                raise self._problem(self._join(path, key), "缺失,请补上后重新加载")
            return default
        value = tbl[key]
        try:
            return enum(value)
        except ValueError:
            raise self._invalid(self._join(path, key), value, "、".join(e.value for e in enum)) from None

    def _article(self, tbl: Mapping[str, Any], key: str, path: str) -> str:
        value: str = self._typed(tbl, key, path, str)
        if not _ARTICLE_RE.match(value.strip()):
            raise self._invalid(
                self._join(path, key), value, "“<规则文件编号> art.<条>”,如“000 art.84”(条号用阿拉伯数字)"
            )
        return value.strip()

    def _id(self, tbl: Mapping[str, Any], key: str, path: str, seen: set[str]) -> str:
        value = self._str(tbl, key, path)
        if not _ID_RE.match(value):
            raise self._invalid(self._join(path, key), value, "小写英文字母、数字和下划线,以字母开头")
        if value in seen:
            raise self._problem(self._join(path, key), f"“{value}”重复,每个 id 只能用一次")
        seen.add(value)
        return value

    def _items(self, data: Mapping[str, Any], key: str) -> list[tuple[str, Any]]:
        """An array of tables (``[[chains]]``), as (path, item) pairs."""
        if key not in data:
            return []
        items = self._list(data, key, "")
        return [(f"{key}[{i}]", item) for i, item in enumerate(items)]

    # ---- roles, kinds, targets -----------------------------------------------------------

    def _role(self, value: Any, path: str) -> Role:
        try:
            return Role(value)
        except ValueError:
            raise self._invalid(path, value, _ROLE_IDS) from None

    def _roles(
        self, tbl: Mapping[str, Any], key: str, path: str, *, allow_empty: bool = False
    ) -> tuple[Role, ...]:
        key_path = self._join(path, key)
        values = self._list(tbl, key, path)
        if not values and not allow_empty:
            raise self._problem(key_path, "不能为空,至少列出一个角色")
        roles = tuple(self._role(v, f"{key_path}[{i}]") for i, v in enumerate(values))
        if len(set(roles)) != len(roles):
            raise self._problem(key_path, "中有重复的角色")
        return roles

    def _kinds(self, tbl: Mapping[str, Any], path: str, key: str = "kinds") -> tuple[AbsenceKind, ...]:
        if key not in tbl:
            return ALL_KINDS
        key_path = self._join(path, key)
        values = self._list(tbl, key, path)
        if not values:
            raise self._problem(key_path, f"不能为空;要涵盖全部外出类型请删去 {key}")
        kinds: list[AbsenceKind] = []
        for i, value in enumerate(values):
            try:
                kinds.append(AbsenceKind(value))
            except ValueError:
                raise self._invalid(f"{key_path}[{i}]", value, _KIND_IDS) from None
        if len(set(kinds)) != len(kinds):
            raise self._problem(key_path, "中有重复的外出类型")
        return tuple(kinds)

    def _target(self, value: Any, path: str, *, allow_convener: bool = False) -> Target:
        hint = _TARGET_HINT + ("、convener" if allow_convener else "")
        if not isinstance(value, str):
            raise self._invalid(path, value, hint)
        text = value.strip()
        head, sep, rest = text.partition(":")
        if not sep:
            if text == TargetKind.supervisor:
                return Target(TargetKind.supervisor)
            if text == TargetKind.leaders:
                return Target(TargetKind.leaders)
            if text == TargetKind.convener and allow_convener:
                return Target(TargetKind.convener)
            raise self._invalid(path, value, hint)
        if head == TargetKind.role:
            try:
                return Target(TargetKind.role, roles=(Role(rest.strip()),))
            except ValueError:
                raise self._invalid(path, value, f"{hint}(<角色> 为 {_ROLE_IDS})") from None
        if head == TargetKind.any:
            parts = [p.strip() for p in rest.split(",")]
            try:
                roles = tuple(Role(p) for p in parts)
            except ValueError:
                raise self._invalid(path, value, f"{hint}(<角色> 为 {_ROLE_IDS})") from None
            if len(roles) < 2 or len(set(roles)) != len(roles):
                raise self._invalid(path, value, f"{hint}(any: 后列出至少两个不同的角色,只有一个时用 role:)")
            return Target(TargetKind.any, roles=roles)
        if head == TargetKind.office:
            key = rest.strip()
            if key not in self.offices:
                known = "、".join(f"office:{k}" for k in self.offices)
                raise self._invalid(path, value, f"{hint}([offices] 中已有 {known})")
            return Target(TargetKind.office, office=key)
        if head == TargetKind.portfolio:
            area = rest.strip()
            if not area or len(area) > 20:
                raise self._invalid(path, value, f"{hint}(portfolio: 后写分管的领域或单位,如“portfolio:外事”)")
            return Target(TargetKind.portfolio, office=area)
        raise self._invalid(path, value, hint)

    # ---- sections ------------------------------------------------------------------------

    def profile(self, data: Mapping[str, Any]) -> Profile:
        top = self._table(
            data,
            "",
            (
                "schema", "id", "name", "short_name", "level", "seed", "source_title",
                "jurisdiction_label", "titles", "offices", "acting", "not_together", "chains",
                "duty", "deadlines", "meetings", "meeting_leave", "export", "places",
            ),
            ("schema", "id", "name", "short_name", "level", "source_title", "jurisdiction_label",
             "titles", "offices", "duty"),
        )  # fmt: skip
        schema = self._typed(top, "schema", "", int)
        if schema != SCHEMA_VERSION:
            raise self._invalid(
                "schema", schema, f"{SCHEMA_VERSION}(此文件可能由更新版本的值班报备台写成,请升级程序)"
            )
        profile_id = self._str(top, "id", "")
        if not _ID_RE.match(profile_id):
            raise self._invalid("id", profile_id, "小写英文字母、数字和下划线,以字母开头")
        seed = None
        if "seed" in top:
            seed = self._str(top, "seed", "")
            if not re.fullmatch(r"[0-9A-Za-z_-]+", seed):
                raise self._invalid("seed", seed, "规则文件编号,如“000”")
        self.offices = self._offices(top["offices"])
        deadlines = self._deadlines(top)
        self.deadline_ids = {d.id for d in deadlines}
        meetings = self._meetings(top)
        return Profile(
            schema=schema,
            id=profile_id,
            name=self._str(top, "name", ""),
            short_name=self._str(top, "short_name", ""),
            level=self._enum(top, "level", "", Level, None),
            seed=seed,
            source_title=self._str(top, "source_title", ""),
            jurisdiction_label=self._str(top, "jurisdiction_label", ""),
            titles=self._titles(top["titles"]),
            offices=tuple(self.offices.items()),
            acting=tuple(self._acting(p, item) for p, item in self._items(top, "acting")),
            not_together=tuple(self._not_together(p, item) for p, item in self._items(top, "not_together")),
            chains=self._chains(top),
            duty=self._duty(top["duty"]),
            deadlines=deadlines,
            meetings=meetings,
            meeting_leave=self._meeting_leave(top, meetings),
            export=self._export(top),
            places=self._places(top),
            source=self.source,
        )

    def _export(self, top: Mapping[str, Any]) -> ExportRule:
        if "export" not in top:
            return ExportRule()
        path = "export"
        tbl = self._table(top["export"], path, ("confidential_mark", "mark_text", "article"), ("confidential_mark",))
        text = self._str(tbl, "mark_text", path, DEFAULT_MARK)
        if len(text) > 20 or "\n" in text:
            raise self._invalid(f"{path}.mark_text", text, "一行不超过 20 个字的标注,如“内部资料 注意保存”")
        return ExportRule(
            confidential_mark=self._bool(tbl, "confidential_mark", path),
            mark_text=text,
            article=self._article(tbl, "article", path) if "article" in tbl else None,
        )

    def _places(self, top: Mapping[str, Any]) -> Places:
        if "places" not in top:
            return Places()
        path = "places"
        tbl = self._table(top["places"], path, ("inside", "province"))
        inside: list[str] = []
        if "inside" in tbl:
            for i, v in enumerate(self._list(tbl, "inside", path)):
                if not isinstance(v, str) or not v.strip() or len(v.strip()) > 20:
                    raise self._invalid(f"{path}.inside[{i}]", v, "辖区内地名,如“西陵”“夷陵区”(不超过 20 字)")
                inside.append(v.strip())
        province = self._str(tbl, "province", path, "") if "province" in tbl else ""
        return Places(inside=tuple(dict.fromkeys(inside)), province=province)

    def _titles(self, value: Any) -> tuple[tuple[Role, str], ...]:
        tbl = self._table(value, "titles", [r.value for r in Role], [r.value for r in Role])
        return tuple((role, self._str(tbl, role.value, "titles")) for role in Role)

    def _offices(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self._problem("offices", f"应为表,实际为“{_show(value)}”")
        if "office" not in value:
            raise ProfileError(
                f"规则文件 {self.source} 中缺少 offices.office:须写明本级政府办公室的名称,如“市政府办公室”",
                source=self.source,
                path="offices.office",
            )
        offices: dict[str, str] = {}
        for key in value:
            if not _ID_RE.match(key):
                raise self._problem(f"offices.{key}", "的键应为小写英文字母、数字和下划线,以字母开头")
            offices[key] = self._str(value, key, "offices")
        return offices

    def _acting(self, path: str, item: Any) -> ActingRule:
        tbl = self._table(
            item,
            path,
            ("absent_role", "actor", "succession", "delegates", "kinds", "leaving_kinds", "scope", "article",
             "duties", "both_away", "leaves_jurisdiction_only", "approves", "approves_reason"),
            ("absent_role", "scope", "article"),
        )  # fmt: skip
        absent = self._role(tbl["absent_role"], f"{path}.absent_role")
        succession: tuple[Role, ...] = ()
        if "succession" in tbl:
            if "actor" in tbl:
                raise self._problem(f"{path}.succession", "与 actor 只能写一个:按顺次递补时删去 actor")
            succession = self._roles(tbl, "succession", path)
            if len(succession) < 2:
                raise self._problem(f"{path}.succession", "至少列出两个角色(只有一个时用 actor)")
            if Role.chief in succession:
                raise self._invalid(f"{path}.succession[{succession.index(Role.chief)}]", "chief",
                                    "主要负责人以外的角色,如 executive_deputy、deputy")
        elif "actor" not in tbl:
            raise ProfileError(
                f"规则文件 {self.source} 中缺少 {path}.actor:写明由谁代行(角色,或 ab_partner),"
                "或用 succession 列出按顺次递补的角色",
                source=self.source, path=f"{path}.actor",
            )
        actor_value = tbl["actor"] if not succession else succession[0].value
        actor: Role | None
        if actor_value == AB_PARTNER:
            actor = None
        else:
            try:
                actor = Role(actor_value)
            except ValueError:
                raise self._invalid(f"{path}.actor", actor_value, f"{_ROLE_IDS}、{AB_PARTNER}") from None
            if actor is absent:
                raise self._problem(f"{path}.actor", "不能与 absent_role 相同")
            for key in ("duties", "both_away"):
                if key in tbl:
                    raise self._problem(f"{path}.{key}", '只用于 actor = "ab_partner" 的AB角规则')
        duties: tuple[str, ...] = ()
        if "duties" in tbl:
            values = self._list(tbl, "duties", path)
            for i, v in enumerate(values):
                if not isinstance(v, str) or not v.strip():
                    raise self._invalid(f"{path}.duties[{i}]", v, "非空的文字")
            duties = tuple(v.strip() for v in values)
        delegates: tuple[Role, ...] = ()
        if "delegates" in tbl:
            if actor is None:
                raise self._problem(f"{path}.delegates", '不能用于 actor = "ab_partner" 的AB角规则:授权委托只用于按角色代行的规则')
            delegates = self._roles(tbl, "delegates", path)
            for i, role in enumerate(delegates):
                if role is absent or not role.is_leader or role is Role.chief:
                    raise self._invalid(f"{path}.delegates[{i}]", role.value,
                                        "外出者以外的政府领导角色,如 executive_deputy、deputy")
        leaving: tuple[AbsenceKind, ...] = ()
        if "leaving_kinds" in tbl:
            if self._bool(tbl, "leaves_jurisdiction_only", path):
                raise self._problem(f"{path}.leaving_kinds", "与 leaves_jurisdiction_only 只能写一个")
            leaving = self._kinds(tbl, path, "leaving_kinds")
        kinds = self._kinds(tbl, path) if "kinds" in tbl or not leaving else ()
        both = [k for k in leaving if k in kinds]
        if both:
            raise self._problem(f"{path}.leaving_kinds", f"与 kinds 重复列出了 {both[0].value}:一个外出类型只写在其中一处")
        return ActingRule(
            absent_role=absent,
            actor=actor,
            succession=succession,
            delegates=delegates,
            leaving_kinds=leaving,
            kinds=kinds,
            scope=self._str(tbl, "scope", path),
            article=self._article(tbl, "article", path),
            duties=duties,
            both_away=self._enum(tbl, "both_away", path, BothAway, BothAway.unspecified),
            leaves_jurisdiction_only=self._bool(tbl, "leaves_jurisdiction_only", path),
            approves=self._bool(tbl, "approves", path) if "approves" in tbl else True,
            approves_reason=self._str(tbl, "approves_reason", path, "") if "approves_reason" in tbl else "",
        )

    def _not_together(self, path: str, item: Any) -> NotTogetherRule:
        tbl = self._table(item, path, ("roles", "ab_partners", "severity", "article"), ("severity", "article"))
        ab_partners = self._bool(tbl, "ab_partners", path)
        if ab_partners:
            roles = self._roles(tbl, "roles", path) if "roles" in tbl else ()
        else:
            if "roles" not in tbl:
                raise self._problem(f"{path}.roles", "缺失:列出不得同时外出的角色,或写 ab_partners = true(互为AB角的两人)")
            roles = self._roles(tbl, "roles", path)
            if len(roles) < 2:
                raise self._problem(f"{path}.roles", "至少要列出两个不同的角色")
        return NotTogetherRule(
            roles=roles,
            severity=self._enum(tbl, "severity", path, Severity, None),
            article=self._article(tbl, "article", path),
            ab_partners=ab_partners,
        )

    def _chains(self, top: Mapping[str, Any]) -> tuple[Chain, ...]:
        seen: set[str] = set()
        chains = []
        for path, item in self._items(top, "chains"):
            tbl = self._table(
                item,
                path,
                ("id", "label", "roles", "kinds", "scope", "lead_days", "lead_unit", "urgent", "article",
                 "steps"),
                ("id", "label", "roles", "scope", "article", "steps"),
            )  # fmt: skip
            steps_value = self._list(tbl, "steps", path)
            if not steps_value:
                raise self._problem(f"{path}.steps", "不能为空,至少要有一步")
            steps = tuple(self._step(f"{path}.steps[{i}]", s, i) for i, s in enumerate(steps_value))
            chains.append(
                Chain(
                    id=self._id(tbl, "id", path, seen),
                    label=self._str(tbl, "label", path),
                    roles=self._roles(tbl, "roles", path),
                    kinds=self._kinds(tbl, path),
                    scope=self._enum(tbl, "scope", path, ChainScope, None),
                    lead_days=self._int(tbl, "lead_days", path, 0),
                    lead_unit=self._enum(tbl, "lead_unit", path, DayUnit, DayUnit.natural),
                    urgent=self._enum(tbl, "urgent", path, Urgent, Urgent.none),
                    steps=steps,
                    article=self._article(tbl, "article", path),
                )
            )
        return tuple(chains)

    def _step(self, path: str, item: Any, index: int) -> ChainStep:
        tbl = self._table(
            item, path, ("action", "target", "label", "parallel_with_previous", "after_return", "article"),
            ("action", "target", "label"),
        )
        parallel = self._bool(tbl, "parallel_with_previous", path)
        if self._bool(tbl, "after_return", path) and tbl.get("action") not in ("report", "file"):
            raise self._problem(f"{path}.after_return", "只用于 action 为 report 或 file 的步骤(回来后提交的报告、备案)")
        if parallel and index == 0:
            raise self._problem(f"{path}.parallel_with_previous", "不能用于第一步(它之前没有步骤)")
        return ChainStep(
            action=self._enum(tbl, "action", path, StepAction, None),
            target=self._target(tbl["target"], f"{path}.target"),
            label=self._str(tbl, "label", path),
            parallel_with_previous=parallel,
            after_return=self._bool(tbl, "after_return", path),
            article=self._article(tbl, "article", path) if "article" in tbl else None,
        )

    def _duty(self, value: Any) -> DutyRule:
        path = "duty"
        tbl = self._table(
            value,
            path,
            ("days", "pool", "chief_share", "officers_per_day", "shifts", "article", "heavy_days"),
            ("days", "pool", "article"),
        )
        pool = self._roles(tbl, "pool", path)
        for i, role in enumerate(pool):
            if role is Role.chief:
                raise self._problem(
                    f"{path}.pool[{i}]", "不应列出 chief:主要负责人是否参加轮值由 chief_share 决定"
                )
            if not role.is_leader:
                raise self._invalid(
                    f"{path}.pool[{i}]",
                    role.value,
                    "、".join(r.value for r in Role if r.is_leader and r is not Role.chief),
                )
        shifts: tuple[str, ...] = ("全天",)
        if "shifts" in tbl:
            values = self._list(tbl, "shifts", path)
            if not values:
                raise self._problem(f"{path}.shifts", '不能为空,如 ["全天"] 或 ["白班", "夜班"]')
            for i, v in enumerate(values):
                if not isinstance(v, str) or not v.strip():
                    raise self._invalid(f"{path}.shifts[{i}]", v, "非空的文字,如“白班”")
            shifts = tuple(v.strip() for v in values)
            if len(set(shifts)) != len(shifts):
                raise self._problem(f"{path}.shifts", "中有重复的班次")
        heavy = HeavyDays()
        if "heavy_days" in tbl:
            hpath = f"{path}.heavy_days"
            htbl = self._table(tbl["heavy_days"], hpath, ("eve", "spring_day1", "national_day1"))
            heavy = HeavyDays(
                eve=self._number(htbl, "eve", hpath, 1.0, 0, 100),
                spring_day1=self._number(htbl, "spring_day1", hpath, 1.0, 0, 100),
                national_day1=self._number(htbl, "national_day1", hpath, 1.0, 0, 100),
            )
        return DutyRule(
            days=self._enum(tbl, "days", path, DutyDays, None),
            pool=pool,
            chief_share=self._number(tbl, "chief_share", path, 0.0, 0, 1),
            officers_per_day=self._int(tbl, "officers_per_day", path, 1),
            shifts=shifts,
            article=self._article(tbl, "article", path),
            heavy_days=heavy,
        )

    def _deadlines(self, top: Mapping[str, Any]) -> tuple[Deadline, ...]:
        seen: set[str] = set()
        deadlines = []
        for path, item in self._items(top, "deadlines"):
            tbl = self._table(
                item,
                path,
                ("id", "label", "days", "unit", "article"),
                ("id", "label", "days", "unit", "article"),
            )
            deadlines.append(
                Deadline(
                    id=self._id(tbl, "id", path, seen),
                    label=self._str(tbl, "label", path),
                    days=self._int(tbl, "days", path, 0, minimum=1),
                    unit=self._enum(tbl, "unit", path, DayUnit, None),
                    article=self._article(tbl, "article", path),
                )
            )
        return tuple(deadlines)

    def _meetings(self, top: Mapping[str, Any]) -> tuple[MeetingType, ...]:
        seen: set[str] = set()
        meetings = []
        for path, item in self._items(top, "meetings"):
            tbl = self._table(
                item,
                path,
                ("id", "label", "members", "quorum", "convener", "leave_approver", "leave_discouraged",
                 "article", "leave_article", "minutes_deadline", "documents_deadline"),
                ("id", "label", "members", "article"),
            )  # fmt: skip
            convener = None
            if "convener" in tbl:
                convener = self._target(tbl["convener"], f"{path}.convener")
            approver = None
            if "leave_approver" in tbl:
                approver = self._target(tbl["leave_approver"], f"{path}.leave_approver", allow_convener=True)
            quorum = self._enum(tbl, "quorum", path, Quorum, Quorum.none)
            members = self._roles(tbl, "members", path, allow_empty=True)
            if quorum is not Quorum.none and not members:
                raise self._problem(f"{path}.quorum", "需要 members 列出组成人员才能计算到会人数")
            meetings.append(
                MeetingType(
                    id=self._id(tbl, "id", path, seen),
                    label=self._str(tbl, "label", path),
                    members=members,
                    quorum=quorum,
                    convener=convener,
                    leave_approver=approver,
                    article=self._article(tbl, "article", path),
                    leave_article=self._article(tbl, "leave_article", path)
                    if "leave_article" in tbl
                    else None,
                    leave_discouraged=self._bool(tbl, "leave_discouraged", path),
                    minutes_deadline=self._deadline_ref(tbl, "minutes_deadline", path),
                    documents_deadline=self._deadline_ref(tbl, "documents_deadline", path),
                )
            )
        return tuple(meetings)

    def _deadline_ref(self, tbl: Mapping[str, Any], key: str, path: str) -> str | None:
        if key not in tbl:
            return None
        value = self._str(tbl, key, path)
        if value not in self.deadline_ids:
            known = "、".join(sorted(self.deadline_ids)) or "(没有 [[deadlines]])"
            raise self._invalid(self._join(path, key), value, f"[[deadlines]] 中已有的 id:{known}")
        return value

    def _meeting_leave(self, top: Mapping[str, Any], meetings: tuple[MeetingType, ...]) -> tuple[MeetingLeaveRule, ...]:
        known = {m.id for m in meetings}
        rules = []
        for path, item in self._items(top, "meeting_leave"):
            tbl = self._table(
                item,
                path,
                ("roles", "meetings", "approver", "substitute_required", "note", "article", "written",
                 "office_forward", "office_filing", "in_advance", "substitute_deputy", "substitute_after_approval"),
                ("roles", "article"),
            )
            ids: tuple[str, ...] = ()
            if "meetings" in tbl:
                values = self._list(tbl, "meetings", path)
                for i, v in enumerate(values):
                    if not isinstance(v, str) or v not in known:  # a list or table here is not an id
                        raise self._invalid(f"{path}.meetings[{i}]", v, "[[meetings]] 中已有的 id:" + "、".join(
                            m.id for m in meetings))
                ids = tuple(values)
                if not ids:
                    raise self._problem(f"{path}.meetings", "不能为空;适用于全部会议请删去 meetings")
            approver = None
            if "approver" in tbl:
                approver = self._target(tbl["approver"], f"{path}.approver", allow_convener=True)
            rules.append(
                MeetingLeaveRule(
                    roles=self._roles(tbl, "roles", path),
                    meetings=ids,
                    approver=approver,
                    substitute_required=self._bool(tbl, "substitute_required", path),
                    note=self._str(tbl, "note", path, "") if "note" in tbl else "",
                    article=self._article(tbl, "article", path),
                    written=self._bool(tbl, "written", path),
                    office_forward=self._str(tbl, "office_forward", path, "") if "office_forward" in tbl else "",
                    office_filing=self._str(tbl, "office_filing", path, "") if "office_filing" in tbl else "",
                    in_advance=self._bool(tbl, "in_advance", path),
                    substitute_deputy=self._bool(tbl, "substitute_deputy", path),
                    substitute_after_approval=self._bool(tbl, "substitute_after_approval", path),
                )
            )
            if rules[-1].substitute_required and rules[-1].substitute_after_approval:
                raise self._problem(f"{path}.substitute_after_approval",
                                    "与 substitute_required 不能同时为 true:代为参会人员要么登记时必填,要么准假后再指定")
        return tuple(rules)
