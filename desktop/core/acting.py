"""Who acts for whom on a date (代行 / 主持 / AB角 / 补位) — DESIGN.md "Acting and substitution".

Everything comes from the profile's ``[[acting]]`` and ``[[not_together]]`` rules; nothing here
knows a city. For each person away on the date (or half-day), in protocol order:

1. ``explicit`` — the record names acting person(s) (``Absence.acting_ids``): those who are
   present act. If none of them is present, a warning, and the next steps apply. Where the
   person's rule allows a delegate (``delegates``, 主要负责人授权委托), the record's acting person is
   that delegate: ``delegate`` (`check_delegate` keeps it to the allowed roles, present).
2. ``designated`` — the office recorded a `Designation` covering the person and the date
   (由办公室协调其他领导代行, 000 art.61): the designee acts if present (else a warning).
3. the profile's acting rule for the person's role and the record's kind (and, for rules like
   002 art.9 县长离县期间, whether the record leaves the jurisdiction):
   * ``chief_rule`` — a rule naming an actor role (chief → executive deputy): the first present
     person in that role acts. Nobody present: a gap for the absent person's duties;
   * ``succession`` — a rule listing roles in order (``succession``, 按顺次递补): the first person
     present going down the roles (within a role by rank) acts; the first in line is ``chief_rule``,
     anyone after him or her ``succession``. Nobody present: a gap as above;
   * ``ab_partner`` — the AB partner acts if present. Both partners away: a gap (the profile's
     ``both_away`` says whether the office must designate someone: a violation, or the rules say
     nothing: a warning). The rule is about pairs: a person without an AB partner gets no
     acting entry and an info warning (``no_partner``).
   A role without an acting rule (department heads …) needs no acting entry.

Gaps suggest the leaders who are present (the chief excluded), least loaded first: fewest acting
assignments on that date, then the optional ``load`` map (e.g. days acting in the month), then rank.

``not_together`` rules (市长与常务副市长一般不同时外出, 000 art.84) give a warning with the
profile's severity; a warning is ``overridden`` when an `Override` with a reason covers the date.
With ``ab_partners`` the rule is about each AB pair (互为AB角的两人不得同时外出): one warning per pair
away together, overridden by a reason recorded for the pair's roles.

Half days are exact: the morning and the afternoon are resolved separately; a whole-day report
merges them (an entry valid in both halves is ``full``).

Over a range of days: `acting_reports` resolves each day with one context (the records filtered
and sorted once), `record_acting` the days of one record (counted as away even while a draft), and
`day_runs` merges consecutive days that say the same (10月1日至3日 由…代行) into runs.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

from desktop.core.absence import (
    Absence,
    AbsenceState,
    Half,
    away_slots,
    counts_as_away,
    effective_end,
    overlaps,
)
from desktop.core.cndate import cn_date
from desktop.core.errors import UserError
from desktop.core.people import Person, clean_text
from desktop.core.profile import ActingRule, BothAway, NotTogetherRule, Profile, Severity
from desktop.core.roles import Role

#: Who the office may designate when AB partners are both away (000 art.61 其他市政府领导): the government's
#: leaders other than its chief, never the office director (the head of the office that designates) nor
#: department or township heads.
DESIGNATABLE_ROLES = frozenset({Role.executive_deputy, Role.deputy, Role.secretary_general, Role.party_member})

__all__ = [
    "BASIS_AB",
    "BASIS_CHIEF_RULE",
    "BASIS_DELEGATE",
    "BASIS_DESIGNATED",
    "BASIS_EXPLICIT",
    "BASIS_LABELS",
    "BASIS_SUCCESSION",
    "DESIGNATABLE_ROLES",
    "GAP_ACTOR_AWAY",
    "GAP_BOTH_AWAY",
    "MAX_ACTING_DAYS",
    "ActingContext",
    "ActingEntry",
    "ActingReport",
    "ActingWarning",
    "AwayEntry",
    "DayRun",
    "Designation",
    "Gap",
    "Override",
    "Roster",
    "acting_reports",
    "away_spans",
    "check_delegate",
    "day_runs",
    "delegate_rule",
    "live_spans",
    "record_acting",
    "validate_designation",
    "validate_override",
    "who_acts",
]

BASIS_CHIEF_RULE = "chief_rule"  # a rule naming the actor's role (chief → executive deputy)
BASIS_AB = "ab_partner"  # AB角
BASIS_DESIGNATED = "designated"  # 办公室协调其他领导代行
BASIS_EXPLICIT = "explicit"  # the record's own acting person(s)
BASIS_SUCCESSION = "succession"  # 按顺次递补: someone after the first in the rule's line
BASIS_DELEGATE = "delegate"  # 主要负责人授权委托: the delegate the record names

BASIS_LABELS = {
    BASIS_CHIEF_RULE: "按规则代行",
    BASIS_AB: "AB角代行",
    BASIS_DESIGNATED: "办公室协调代行",
    BASIS_EXPLICIT: "报备时指定",
    BASIS_SUCCESSION: "按顺次递补",
    BASIS_DELEGATE: "受委托代行",
}

GAP_BOTH_AWAY = "both_away"  # both AB partners away
GAP_ACTOR_AWAY = "actor_away"  # the actor role (executive deputy) is away or not set

WARN_NOT_TOGETHER = "not_together"
WARN_EXPLICIT_AWAY = "explicit_actor_away"
WARN_DESIGNEE_AWAY = "designee_away"
WARN_NO_PARTNER = "no_partner"  # an AB rule would apply but the person has no AB partner

_HALVES = (Half.am, Half.pm)
# Module constants for the hot paths: on Python 3.11 reading an enum member from its class
# (Half.full) costs about half a microsecond, and a year's check reads them ~20,000 times.
_FULL, _AM, _PM = Half.full, Half.am, Half.pm
_WARNING_SEVERITY, _OFFICE_DESIGNATES = Severity.warning, BothAway.office_designates

#: Who acts is resolved for at most this many days of one record (`record_acting`).
MAX_ACTING_DAYS = 400

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Designation:
    """The office's designation of a leader to act for absent people (000 art.61)."""

    date_from: date
    date_to: date
    absent_ids: frozenset[int]
    designee_id: int
    reason: str = ""
    by: str = ""
    id: int | None = None

    def covers(self, d: date, person_id: int) -> bool:
        return self.date_from <= d <= self.date_to and person_id in self.absent_ids


@dataclass(frozen=True)
class Override:
    """A recorded reason for accepting a not_together warning over a date range."""

    roles: frozenset[Role]
    date_from: date
    date_to: date
    reason: str
    by: str = ""
    id: int | None = None

    def covers(self, rule: NotTogetherRule, d: date, roles: frozenset[Role] | None = None) -> bool:
        """``roles``: the roles of the people away together (an AB pair's); default the rule's."""
        return (
            bool(self.reason.strip())
            and self.roles == (frozenset(rule.roles) if roles is None else roles)
            and self.date_from <= d <= self.date_to
        )


def validate_designation(d: Designation) -> Designation:
    """Return a cleaned designation or raise UserError saying what to fix."""
    if d.date_to < d.date_from:
        raise UserError(f"代行安排的结束日期早于开始日期({cn_date(d.date_to)} 早于 {cn_date(d.date_from)})。")
    if not d.absent_ids:
        raise UserError("请选择由谁的职责需要代行(外出的领导)。")
    if d.designee_id in d.absent_ids:
        raise UserError("代行人不能是外出者本人,请另选一位在岗领导。")
    return Designation(d.date_from, d.date_to, frozenset(d.absent_ids), d.designee_id,
                       clean_text(d.reason), clean_text(d.by), d.id)  # fmt: skip


def validate_override(o: Override) -> Override:
    reason = clean_text(o.reason)
    if not reason:
        raise UserError("请填写同时外出的理由(例如:上级通知两人共同参加的会议)。")
    if o.date_to < o.date_from:
        raise UserError(f"结束日期早于开始日期({cn_date(o.date_to)} 早于 {cn_date(o.date_from)})。")
    if not o.roles:
        raise UserError("请选择同时外出者的角色。")
    return Override(frozenset(o.roles), o.date_from, o.date_to, reason, clean_text(o.by), o.id)


def delegate_rule(profile: Profile, person: Person, record: Absence) -> ActingRule:
    """The acting rule under which ``person`` may name a delegate for ``record`` (主要负责人授权委托);
    UserError saying so when the profile allows none for this absence."""
    rule = profile.acting_rule_for(person.role, record.kind, record.leaves_jurisdiction)
    if rule is None or not rule.delegates:
        title = person.title or profile.title(person.role)
        how = f"按规则由{'、'.join(profile.title(r) for r in rule.actor_roles)}{rule.scope}" if rule and rule.actor_roles \
            else "不指定代行人"  # fmt: skip
        raise UserError(f"本级规则没有规定{title}{record.kind.label}期间可授权委托代行人,不能指定受委托人。"
                        f"请去掉受委托人({how}),或在规则中为此写明 delegates。")
    return rule


def check_delegate(profile: Profile, person: Person, record: Absence, delegate: Person | None,
                   busy: Iterable[Absence] = ()) -> None:
    """A delegate named on ``record`` (its acting person under a rule with ``delegates``) must be an
    active person of one of those roles, not the absent person, and not away on any half-day of the
    record (``busy``: the delegate's records touching those days). UserError saying what to fix."""
    rule = delegate_rule(profile, person, record)
    allowed = "或".join(profile.title(r) for r in rule.delegates)
    if delegate is None:
        raise UserError(f"请选择受委托代行的{allowed}。")
    if delegate.id == person.id:
        raise UserError("受委托代行人不能是外出者本人,请另选一位在岗的" + allowed + "。")
    if not delegate.active:
        raise UserError(f"{delegate.name}已停用,不能受委托代行。请另选一位在岗的{allowed}。")
    if delegate.role not in rule.delegates:
        title = delegate.title or profile.title(delegate.role)
        raise UserError(f"{delegate.name}是{title},按规定只能委托{allowed}代行。请另选一位{allowed},或留空按规则确定代行人。")
    for other in busy:
        if other.person_id == delegate.id and counts_as_away(other) and overlaps(other, record):
            raise UserError(f"{delegate.name}在 {other.span_text} 也外出({other.kind.label}),不能受委托代行。"
                            f"请另选一位在岗的{allowed},或留空按规则确定代行人。")


@dataclass(frozen=True)
class Roster:
    """A snapshot of what acting depends on; the store builds it for a date range."""

    people: Sequence[Person]
    ab_pairs: Sequence[tuple[int, int]] = ()
    absences: Sequence[Absence] = ()
    designations: Sequence[Designation] = ()
    overrides: Sequence[Override] = ()


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwayEntry:
    person: Person
    absence: Absence
    half: Half  # full, am or pm: which part of the day


@dataclass(frozen=True)
class ActingEntry:
    absent_person: Person
    actor: Person | None  # always set by this module; None is reserved for "unknown"
    basis: str  # chief_rule | ab_partner | designated | explicit
    scope: str  # what the actor does, in the article's words
    article: str  # "" when no rule applies (an explicit acting person for a dept head)
    half: Half = Half.full
    duties: tuple[str, ...] = ()
    designation_id: int | None = None

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


@dataclass(frozen=True)
class Gap:
    """Absent people whose duties nobody acts for."""

    kind: str  # both_away | actor_away
    absent: tuple[Person, ...]
    reason: str  # Chinese: what happened and what to do
    suggestions: tuple[Person, ...]  # present leaders, least loaded first
    article: str
    severity: str  # "violation" | "warning"
    half: Half = Half.full

    @property
    def absent_ids(self) -> frozenset[int]:
        return frozenset(p.id for p in self.absent)


@dataclass(frozen=True)
class ActingWarning:
    kind: str  # not_together | explicit_actor_away | designee_away | no_partner
    message: str
    article: str
    severity: str  # "violation" | "warning" | "info"; a not_together rule's own severity
    overridden: bool = False
    reason: str = ""  # the override's reason
    person_ids: tuple[int, ...] = ()
    half: Half = Half.full
    override_id: int | None = None


@dataclass(frozen=True)
class ActingReport:
    date: date
    half: Half  # full: the whole day (both halves merged)
    away: tuple[AwayEntry, ...]
    acting: tuple[ActingEntry, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[ActingWarning, ...]

    @property
    def away_ids(self) -> frozenset[int]:
        return frozenset(e.person.id for e in self.away)

    def is_away(self, person_id: int) -> bool:
        return person_id in self.away_ids

    def actors_for(self, person_id: int) -> tuple[Person, ...]:
        seen: dict[int, Person] = {}
        for e in self.acting:
            if e.absent_person.id == person_id and e.actor is not None:
                seen.setdefault(e.actor.id, e.actor)
        return tuple(seen.values())

    def actor_for(self, person_id: int) -> Person | None:
        """Who acts for the person (the first one; a whole-day entry before a half-day one)."""
        entries = [e for e in self.acting if e.absent_person.id == person_id and e.actor is not None]
        entries.sort(key=lambda e: e.half is not Half.full)
        return entries[0].actor if entries else None


# --------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------


@dataclass
class _Slot:
    away: list[AwayEntry] = field(default_factory=list)
    acting: list[ActingEntry] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    warnings: list[ActingWarning] = field(default_factory=list)


class ActingContext:
    """The indexes acting needs, built once (people, AB partners, designations, overrides) and
    reused for many dates (check_range resolves a year day by day)."""

    def __init__(
        self,
        profile: Profile,
        people: Iterable[Person],
        ab_pairs: Iterable[tuple[int, int]] = (),
        designations: Iterable[Designation] = (),
        overrides: Iterable[Override] = (),
    ) -> None:
        self.profile = profile
        self.people: dict[int, Person] = {p.id: p for p in people if p.active}
        self.partner: dict[int, int] = {}
        for a, b in ab_pairs:
            if a in self.people and b in self.people:
                self.partner[a] = b
                self.partner[b] = a
        ordered = sorted(self.people.values(), key=lambda p: (p.rank, p.id))
        #: person id -> place in protocol order (rank, id): sorting ids by it sorts people by rank
        self.position = {p.id: i for i, p in enumerate(ordered)}
        by_role: dict[Role, list[Person]] = {}
        for p in ordered:
            by_role.setdefault(p.role, []).append(p)
        self.by_role = by_role
        self.leaders = [p for p in ordered if p.role.is_leader and p.role is not Role.chief]
        self.designations = tuple(designations)
        self.overrides = tuple(overrides)
        self._rules: dict[tuple, ActingRule | None] = {}  # (role, kind, leaves) -> the profile's rule
        self._office = profile.office
        self._named_text = {p.id: f"{p.title or profile.title(p.role)} {p.name}" for p in ordered}

    # ---- away maps -----------------------------------------------------------------------

    def away_maps(
        self, absences: Iterable[Absence], day: date
    ) -> tuple[dict[int, Absence], dict[int, Absence]]:
        """Who is away in the morning and in the afternoon of ``day`` (active people only;
        records in AWAY_STATES; the earliest record wins if a person has two)."""
        return self.away_maps_of(away_spans(absences), day)

    def away_maps_of(
        self, spans: Iterable[tuple[Absence, range]], day: date
    ) -> tuple[dict[int, Absence], dict[int, Absence]]:
        """`away_maps` from `away_spans` (sorted and filtered once for many days)."""
        am: dict[int, Absence] = {}
        pm: dict[int, Absence] = {}
        s_am = day.toordinal() * 2
        s_pm = s_am + 1
        people = self.people
        for a, r in spans:
            if a.person_id not in people:
                continue
            if s_am in r:
                am.setdefault(a.person_id, a)
            if s_pm in r:
                pm.setdefault(a.person_id, a)
        return am, pm

    # ---- one half-day --------------------------------------------------------------------

    def _title(self, p: Person) -> str:
        return p.title or self.profile.title(p.role)

    def _named(self, p: Person) -> str:
        text = self._named_text.get(p.id)
        return text if text is not None and self.people[p.id] is p else f"{self._title(p)} {p.name}"

    def _rule(self, p: Person, a: Absence) -> ActingRule | None:
        key = (p.role, a.kind, a.leaves_jurisdiction)
        try:
            return self._rules[key]
        except KeyError:
            rule = self._rules[key] = self.profile.acting_rule_for(p.role, a.kind, a.leaves_jurisdiction)
            return rule

    def _slot(self, day: date, half: Half, away: Mapping[int, Absence], load: Mapping[int, int]) -> _Slot:
        out = _Slot()
        profile = self.profile
        people = self.people

        away_people = [people[pid] for pid in sorted((pid for pid in away if pid in people),
                                                     key=self.position.__getitem__)]  # fmt: skip
        out.away = [AwayEntry(p, away[p.id], half) for p in away_people]
        # Gaps are gathered by key so that two partners away together give one gap.
        gap_ids: dict[tuple, list[int]] = {}
        gap_info: dict[tuple, tuple[str, ActingRule, tuple[Person, ...]]] = {}

        for p in away_people:
            a = away[p.id]
            rule = self._rule(p, a)
            # 1. the record's own acting person(s)
            if a.acting_ids:
                named = [people[i] for i in a.acting_ids if i in people and i != p.id]
                chosen = [x for x in named if x.id not in away]
                delegated = rule is not None and bool(rule.delegates)
                basis = BASIS_DELEGATE if delegated else BASIS_EXPLICIT
                if chosen:
                    for x in chosen:
                        out.acting.append(ActingEntry(
                            p, x, basis, rule.scope if rule else "代行职责(报备时指定)",
                            rule.article if rule else "", half, rule.duties if rule else ()))  # fmt: skip
                    continue
                if named:
                    names = "、".join(x.name for x in named)
                    who = "授权委托的代行人" if delegated else "报备时指定的代行人"
                    then = "按顺次递补" if rule is not None and rule.succession else "按规则"
                    out.warnings.append(ActingWarning(
                        WARN_EXPLICIT_AWAY,
                        f"{p.name} {who} {names} 当天也不在岗,改{then}确定代行人。",
                        rule.article if rule else "", "warning", person_ids=(p.id, *(x.id for x in named)),
                        half=half))  # fmt: skip
            # 2. the office's designation
            designation = next((d for d in self.designations if d.covers(day, p.id)), None) \
                if self.designations else None  # fmt: skip
            if designation is not None:
                designee = people.get(designation.designee_id)
                if designee is not None and designee.id not in away:
                    scope = f"由{self._office}协调代行" + (f":{rule.scope}" if rule else "")
                    out.acting.append(ActingEntry(
                        p, designee, BASIS_DESIGNATED, scope, rule.article if rule else "", half,
                        rule.duties if rule else (), designation.id))  # fmt: skip
                    continue
                who = designee.name if designee is not None else f"编号 {designation.designee_id} 的人员"
                out.warnings.append(ActingWarning(
                    WARN_DESIGNEE_AWAY,
                    f"{self._office}安排代行 {p.name} 职责的 {who} 当天不在岗(外出或已停用),请重新安排。",
                    rule.article if rule else "", "warning", person_ids=(p.id, designation.designee_id),
                    half=half))  # fmt: skip
            if rule is None:
                continue
            # 3. the profile's rule
            if rule.actor is not None:
                candidates = [x for role in rule.actor_roles for x in self.by_role.get(role, []) if x.id != p.id]
                actor = next((x for x in candidates if x.id not in away), None)
                if actor is not None:
                    basis = BASIS_SUCCESSION if rule.succession and actor is not candidates[0] else BASIS_CHIEF_RULE
                    out.acting.append(ActingEntry(p, actor, basis, rule.scope, rule.article, half,
                                                  rule.duties))  # fmt: skip
                    continue
                key = (GAP_ACTOR_AWAY, p.id)
                gap_ids[key] = [p.id]
                gap_info[key] = (GAP_ACTOR_AWAY, rule, tuple(x for x in candidates if x.id in away))
                continue
            partner_id = self.partner.get(p.id)
            if partner_id is not None and partner_id not in away:
                out.acting.append(ActingEntry(p, people[partner_id], BASIS_AB, rule.scope, rule.article, half,
                                              rule.duties))  # fmt: skip
                continue
            if partner_id is None:
                # The AB rule is about pairs (互为AB角的领导同志): without a partner it does not
                # apply, but the office should know nobody stands in.
                out.warnings.append(ActingWarning(
                    WARN_NO_PARTNER,
                    f"{self._named(p)} 外出,未设置AB角,{rule.scope}无人承担。如需他人代行,"
                    f"请在人员页设置AB角,或由{self._office}协调其他领导代行并登记。",
                    rule.article, "info", person_ids=(p.id,), half=half))  # fmt: skip
                continue
            key = (GAP_BOTH_AWAY, frozenset((p.id, partner_id)))
            gap_ids.setdefault(key, []).append(p.id)
            gap_info.setdefault(key, (GAP_BOTH_AWAY, rule, (people[partner_id],)))

        # Suggestions: present government leaders (the chief excluded, and the office director, who runs
        # the office that designates and is not a 政府领导: 000 art.61 其他市政府领导), least loaded first.
        if gap_ids:
            assigned = Counter([e.actor.id for e in out.acting if e.actor is not None])
            present = [x for x in self.leaders if x.id not in away and x.role in DESIGNATABLE_ROLES]
            # By (assigned, load, rank, id): the leaders are in (rank, id) order, so their place breaks ties.
            order = sorted([(assigned.get(x.id, 0), load.get(x.id, 0), i) for i, x in enumerate(present)])
            suggestions = tuple(present[i] for _n, _load, i in order)
            for key, ids in gap_ids.items():
                kind, rule, others = gap_info[key]
                absent = tuple(people[i] for i in ids)
                out.gaps.append(self._gap(kind, rule, absent, others, suggestions, half))

        # Not together (000 art.84).
        for nt in profile.not_together:
            if nt.ab_partners:
                out.warnings += self._ab_together(nt, day, half, away_people, away)
                continue
            groups = [[x for x in self.by_role.get(role, []) if x.id in away] for role in nt.roles]
            if not all(groups):
                continue
            together = [x for g in groups for x in g]
            names = "与".join(self._named(x) for x in together)
            warning = nt.severity is _WARNING_SEVERITY
            rule_text = "一般不同时外出" if warning else "不得同时外出"
            message = f"{names} 同时外出(按规定{rule_text})。"
            override = None
            if warning and self.overrides:
                override = next((o for o in self.overrides if o.covers(nt, day)), None)
            if override is not None:
                message += f"已记录理由:{override.reason}"
            elif warning:
                message += "请调整行程,或记录同时外出的理由。"
            else:
                message += "请调整行程。"
            out.warnings.append(ActingWarning(
                WARN_NOT_TOGETHER, message, nt.article, nt.severity.value, override is not None,
                override.reason if override else "", tuple(x.id for x in together), half,
                override.id if override else None))  # fmt: skip
        return out

    def _ab_together(self, nt: NotTogetherRule, day: date, half: Half, away_people: list[Person],
                     away: Mapping[int, Absence]) -> list[ActingWarning]:
        """互为AB角的两人同时外出: one warning per pair (in protocol order), with the rule's severity."""
        out = []
        for p in away_people:
            partner_id = self.partner.get(p.id)
            if partner_id is None or partner_id not in away or self.position[partner_id] < self.position[p.id]:
                continue
            q = self.people[partner_id]
            if nt.roles and not (p.role in nt.roles and q.role in nt.roles):
                continue
            warning = nt.severity is _WARNING_SEVERITY
            message = (f"{self._named(p)}与{self._named(q)} 互为AB角,同时外出"
                       f"(按规定{'一般不同时外出' if warning else '不得同时外出'})。")
            roles = frozenset((p.role, q.role))
            override = None
            if warning and self.overrides:
                override = next((o for o in self.overrides if o.covers(nt, day, roles)), None)
            if override is not None:
                message += f"已记录理由:{override.reason}"
            else:
                message += "请调整行程" + (",或记录同时外出的理由。" if warning else "。")
            out.append(ActingWarning(
                WARN_NOT_TOGETHER, message, nt.article, nt.severity.value, override is not None,
                override.reason if override else "", (p.id, q.id), half,
                override.id if override else None))  # fmt: skip
        return out

    def _gap(
        self,
        kind: str,
        rule: ActingRule,
        absent: tuple[Person, ...],
        others: tuple[Person, ...],
        suggestions: tuple[Person, ...],
        half: Half,
    ) -> Gap:
        office = self._office
        ids = {p.id for p in absent}
        # ``suggestions`` are the leaders present in the slot, and everyone in ``absent`` is away in it:
        # none of them is among the suggestions.
        hint = (
            f"可考虑:{'、'.join(x.name for x in suggestions[:3])}。"
            if suggestions
            else "当天没有其他在岗领导。"
        )
        if kind == GAP_BOTH_AWAY:
            pair = "、".join(self._named(p) for p in (*absent, *(x for x in others if x.id not in ids)))
            if rule.both_away is _OFFICE_DESIGNATES:
                severity = "violation"
                what = f"应由{office}协调其他领导代行,请登记代行安排。"
            else:
                severity = "warning"
                what = f"规则未规定此时由谁代行,请由{office}协调并登记代行安排。"
            reason = f"{pair} 互为AB角,同时外出,{rule.scope}无人承担。{what}{hint}"
        else:
            severity = "warning"
            actor_title = "、".join(self.profile.title(r) for r in rule.actor_roles)
            names = "、".join(self._named(p) for p in absent)
            also = "、".join(self._named(x) for x in others)
            line = "按顺次递补的" if rule.succession else ""
            why = f"{line}{also} 也外出" if others else f"未设置{line}{actor_title}"
            reason = (f"{names} 外出,{why},无人{rule.scope}(规则未规定此时由谁代行)。"
                      f"请由{office}协调并登记代行安排。{hint}")  # fmt: skip
        return Gap(kind, absent, reason, suggestions, rule.article, severity, half)

    # ---- a whole report ------------------------------------------------------------------

    def report(
        self,
        day: date,
        am: Mapping[int, Absence],
        pm: Mapping[int, Absence],
        half: Half | None = None,
        load: Mapping[int, int] | None = None,
    ) -> ActingReport:
        """The report for ``day`` given who is away in each half (see `away_maps`).
        ``half`` am/pm: that half only; None or full: the whole day, halves merged."""
        load = load or {}
        if half in _HALVES:
            s = self._slot(day, half, am if half is _AM else pm, load)
            return ActingReport(day, half, tuple(s.away), tuple(s.acting), tuple(s.gaps), tuple(s.warnings))
        if not am and not pm:
            return ActingReport(day, _FULL, (), (), (), ())
        if am == pm:  # the usual whole-day case: resolve once, the entries are whole-day already
            s = self._slot(day, _FULL, am, load)
            return ActingReport(day, _FULL, tuple(s.away), tuple(s.acting), tuple(s.gaps), tuple(s.warnings))
        s_am = self._slot(day, _AM, am, load)
        s_pm = self._slot(day, _PM, pm, load)
        away = _merge(s_am.away, s_pm.away, lambda e: e.person.id)
        acting = _merge(s_am.acting, s_pm.acting,
                        lambda e: (e.absent_person.id, e.actor.id if e.actor else None, e.basis))  # fmt: skip
        gaps = _merge(s_am.gaps, s_pm.gaps, lambda g: (g.kind, g.absent_ids))
        warnings = _merge(s_am.warnings, s_pm.warnings, lambda w: (w.kind, w.person_ids, w.overridden))
        return ActingReport(day, _FULL, away, acting, gaps, warnings)


def _merge(am: list, pm: list, key) -> tuple:
    """Entries of both halves: one in both becomes ``full`` (the morning's version is kept)."""
    pm_keys = {key(e) for e in pm}
    am_keys = {key(e) for e in am}
    out = [_whole_day(e) if key(e) in pm_keys else e for e in am]
    out += [e for e in pm if key(e) not in am_keys]
    return tuple(out)


_new = object.__new__
_set = object.__setattr__


def _whole_day(entry):
    """``dataclasses.replace(entry, half=Half.full)`` for an AwayEntry, ActingEntry, Gap or
    ActingWarning, without replace's field walk and the frozen ``__init__``: the same fields but
    ``half``. Valid while those classes compute nothing in ``__init__`` (no ``__post_init__``, no
    slots: tests/test_acting.py keeps it so)."""
    new = _new(type(entry))
    fields = dict(entry.__dict__)
    fields["half"] = _FULL
    _set(new, "__dict__", fields)
    return new


def away_spans(absences: Iterable[Absence]) -> list[tuple[Absence, range]]:
    """The records that count as away, each with its away slots, in the order `away_maps` takes
    them (by start, then id: the earliest record of a person wins)."""
    return [(a, away_slots(a)) for a in sorted(absences, key=lambda a: (a.start, a.id or 0)) if counts_as_away(a)]


def who_acts(
    roster: Roster,
    profile: Profile,
    day: date,
    half: Half | None = None,
    load: Mapping[int, int] | None = None,
) -> ActingReport:
    """Who is away on ``day`` (or its morning/afternoon), who acts for each, gaps and warnings."""
    ctx = ActingContext(profile, roster.people, roster.ab_pairs, roster.designations, roster.overrides)
    am, pm = ctx.away_maps(roster.absences, day)
    return ctx.report(day, am, pm, half, load)


# --------------------------------------------------------------------------------------------
# Over a range of days
# --------------------------------------------------------------------------------------------


def live_spans(ctx: ActingContext, absences: Iterable[Absence], first: date, last: date) -> list[tuple[Absence, range]]:
    """The records that make an active person away on some half-day between first and last, with
    their slots, in the order `ActingContext.away_maps` takes them (`away_spans`)."""
    lo, hi = first.toordinal() * 2, last.toordinal() * 2 + 2
    return [(a, r) for a, r in away_spans(absences) if a.person_id in ctx.people and r.start < hi and r.stop > lo]


def acting_reports(ctx: ActingContext, absences: Iterable[Absence], days: Iterable[date]) -> list[ActingReport]:
    """The acting report of each day (whole days, halves merged), with one context for all.

    ``absences`` must hold every record that touches the days (the store's absences_between).
    """
    days = sorted(days)
    if not days:
        return []
    live = live_spans(ctx, absences, days[0], days[-1])
    out = []
    for d in days:
        am, pm = ctx.away_maps_of(live, d)
        out.append(ctx.report(d, am, pm))
    return out


def record_acting(
    ctx: ActingContext, around: Iterable[Absence], record: Absence, *, limit: int = MAX_ACTING_DAYS
) -> list[ActingReport]:
    """Who acts on each day of ``record``, from its start to its effective end (at most ``limit`` days).

    ``around``: the records touching those days; ``record`` stands in for its stored version among
    them, and a record that does not count as away yet (a draft) is taken as reported, so a form
    or a preview shows the planned acting.
    """
    planned = record if counts_as_away(record) else dataclasses.replace(record, state=AbsenceState.submitted)
    absences = [a for a in around if record.id is None or a.id != record.id]
    absences.append(planned)
    n = min((effective_end(record)[0] - record.start).days + 1, limit)
    return acting_reports(ctx, absences, [record.start + timedelta(days=i) for i in range(n)])


@dataclass(frozen=True)
class DayRun(Generic[T]):
    """Consecutive days that say the same: the first and the last day, and the first day's value."""

    first: date
    last: date
    value: T


def day_runs(items: Iterable[tuple[date, T]], key: Callable[[T], Hashable] | None = None) -> list[DayRun[T]]:
    """(day, value) pairs with consecutive days of the same value (or the same ``key(value)``) merged
    into runs, in date order; a missing day ends a run."""
    out: list[DayRun[T]] = []
    run_key: Hashable = None
    for day, value in sorted(items, key=lambda item: item[0]):
        k = value if key is None else key(value)
        if out and k == run_key and (day - out[-1].last).days == 1:
            out[-1] = DayRun(out[-1].first, day, out[-1].value)
        else:
            out.append(DayRun(day, day, value))
            run_key = k
    return out
