"""The duty solver's words: the instance (days, pool members, pins), and the plan it returns.

One instance fills one kind of slot: the leader on duty (带班领导, ``LEADER``, one a day) or the
duty officers (值班员, ``OFFICER``); `build_instance` makes it from the people list and the
profile's duty rule. A `DutyPlan` is the assignments with their reasons and the load lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from desktop.core.absence import Absence, away_on, counts_as_away
from desktop.core.duty.days import DutyDay
from desktop.core.errors import UserError
from desktop.core.people import Person, ordered
from desktop.core.profile import DutyRule, HeavyDays
from desktop.core.roles import Role

__all__ = [
    "FIXED_KINDS",
    "LEADER",
    "NOUN",
    "OFFICER",
    "PIN",
    "REPLACE",
    "SWAP",
    "VERB",
    "WHO",
    "Assignment",
    "Candidate",
    "DutyInstance",
    "DutyPlan",
    "LoadLine",
    "Member",
    "Objective",
    "Pin",
    "build_instance",
    "fraction",
]

ONE_DAY = timedelta(days=1)

LEADER = "leader"
OFFICER = "officer"
NOUN = {LEADER: "带班领导", OFFICER: "值班员"}
VERB = {LEADER: "带班", OFFICER: "值班"}
WHO = {LEADER: "领导", OFFICER: "值班员"}

PIN = "pin"
SWAP = "swap"
REPLACE = "replace"
FIXED_KINDS = (PIN, SWAP, REPLACE)


def fraction(x: float | int | Fraction) -> Fraction:
    """A quota as an exact fraction (0.8 -> 4/5, not the binary float)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(str(x)).limit_denominator(10_000)


@dataclass(frozen=True)
class Member:
    """A pool member: who takes turns, with what share, and what the solver must know of him or her.

    ``quota`` is the share (1 = a full turn, 0.5 = half; must be > 0: leave out who takes no
    turn); ``prior`` the duty days already served this year before this plan; ``heavy_history``
    the weighted heavy-day load of previous years; ``unavailable`` the duty days he or she
    cannot take (away for any part of the day, or declared unavailable); ``chief`` the 主要负责人
    taking part by the profile's ``chief_share``: among plans equally fair by (a) and (b) the one
    giving the chief fewest days wins (level (b'), see the package docstring).
    """

    person_id: int
    name: str
    quota: float | Fraction = 1.0
    prior: int = 0
    heavy_history: float = 0.0
    unavailable: frozenset[date] = frozenset()
    chief: bool = False


@dataclass(frozen=True)
class Pin:
    """A fixed assignment: 手动指定 (pin), 调班 (swap) or 临时替换 (replace), kept by every replan."""

    date: date
    person_id: int
    kind: str = PIN
    note: str = ""  # why: 与李四互换(原定10月3日) / 原定张三临时出差

    def __post_init__(self) -> None:
        if self.kind not in FIXED_KINDS:
            raise ValueError(f"unknown pin kind {self.kind!r}")


@dataclass(frozen=True)
class DutyInstance:
    """Everything one solve needs. ``slot`` is "leader" (带班领导) or "officer" (值班员);
    ``names`` gives the names of pinned people outside the pool (a leader pinned by hand)."""

    days: tuple[DutyDay, ...]
    members: tuple[Member, ...]
    capacity: int = 1
    pins: tuple[Pin, ...] = ()
    heavy_weights: HeavyDays = field(default_factory=HeavyDays)
    slot: str = LEADER
    names: tuple[tuple[int, str], ...] = ()
    article: str = ""

    def __post_init__(self) -> None:
        if self.slot not in (LEADER, OFFICER):
            raise ValueError(f"unknown slot {self.slot!r}")
        if self.capacity < 1:
            raise UserError("每天值班人数至少为 1,请检查规则中的 officers_per_day。")

    def name_of(self, person_id: int) -> str:
        for m in self.members:
            if m.person_id == person_id:
                return m.name
        for pid, name in self.names:
            if pid == person_id:
                return name
        return f"人员{person_id}"

    @property
    def noun(self) -> str:
        return NOUN[self.slot]

    @property
    def verb(self) -> str:
        return VERB[self.slot]


def build_instance(
    days: Iterable[DutyDay],
    people: Iterable[Person],
    rule: DutyRule,
    *,
    slot: str = LEADER,
    absences: Iterable[Absence] = (),
    unavailable: Mapping[int, Iterable[date]] | None = None,
    pins: Iterable[Pin] = (),
    prior: Mapping[int, int] | None = None,
    heavy_history: Mapping[int, float] | None = None,
    quotas: Mapping[int, float] | None = None,
) -> DutyInstance:
    """An instance from the people list and the profile's duty rule.

    Leaders: the active people whose role is in ``rule.pool`` (quota 1) and the chief when
    ``rule.chief_share`` > 0 (quota chief_share), one a day. Officers: the active staff
    (工作人员), ``rule.officers_per_day`` a day. ``quotas`` overrides a person's share (0 takes
    him or her out of the pool). A person is unavailable on a duty day when an absence that
    counts as away (`counts_as_away`) covers any part of it, or the day is listed in
    ``unavailable``.
    """
    days = tuple(sorted(days, key=lambda d: d.date))
    dates = {d.date for d in days}
    quotas = dict(quotas or {})
    prior = dict(prior or {})
    heavy_history = dict(heavy_history or {})
    extra = {pid: set(ds) for pid, ds in (unavailable or {}).items()}
    for a in absences:
        if not counts_as_away(a):
            continue
        d = max(a.start, min(dates, default=a.start))
        last = max(a.actual_return or a.end, a.end)
        while d <= last:
            if d in dates and away_on(a, d) is not None:
                extra.setdefault(a.person_id, set()).add(d)
            d += ONE_DAY
    everyone = ordered([p for p in people if p.active])
    members: list[Member] = []
    for p in everyone:
        if slot == LEADER:
            if p.role is Role.chief:
                share = rule.chief_share
            elif p.role in rule.pool:
                share = 1.0
            else:
                continue
        elif p.role is Role.staff:
            share = 1.0
        else:
            continue
        share = quotas.get(p.id, share)
        if share <= 0:
            continue
        members.append(
            Member(
                p.id,
                p.name,
                share,
                prior.get(p.id, 0),
                heavy_history.get(p.id, 0.0),
                frozenset(extra.get(p.id, set()) & dates),
                chief=p.role is Role.chief,
            )
        )
    # officers_per_day is per shift: with 白班/夜班 (001 art.57, 24小时值班) a day needs twice as many.
    capacity = 1 if slot == LEADER else rule.officers_per_day * max(1, len(rule.shifts))
    return DutyInstance(
        days,
        tuple(members),
        capacity,
        tuple(pins),
        rule.heavy_days,
        slot,
        tuple((p.id, p.name) for p in everyone),
        rule.article,
    )




@dataclass(frozen=True)
class Objective:
    """The levels of the fairness order (see the module docstring), lower is better.

    ``squares`` is level (b) as ``sum n_p**2 / q_p``; ``deviation`` the same level as the
    quota-weighted squared deviation ``sum q_p (l_p - T/Q)**2``; ``heavy_cost`` level (c2) in
    units of 1/10000.
    """

    spread: Fraction
    squares: Fraction
    deviation: Fraction
    heavy_repeats: int
    heavy_cost: int
    adjacent: int
    chief_days: int = 0  # level (b'): the chief's days planned now (0 when the chief takes no turn)

    @property
    def key(self) -> tuple[Fraction, Fraction, int, int, int, int]:
        return (self.spread, self.squares, self.chief_days, self.heavy_repeats, self.heavy_cost, self.adjacent)


@dataclass(frozen=True)
class Assignment:
    """One person on one day, with why (Chinese, for the UI)."""

    date: date
    person_id: int
    name: str
    fixed: str | None  # None (planned), "pin", "swap", "replace"
    heavy: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LoadLine:
    """One pool member's load, for the table under the plan."""

    person_id: int
    name: str
    quota: Fraction
    prior: int
    count: int  # days in this plan, pins included
    fixed: int  # of which pinned / swapped / replaced
    total: int  # prior + count
    target: Fraction  # quota-proportional target q_p * T / Q
    load: Fraction  # total / quota
    heavy_days: tuple[date, ...]
    heavy_history: float
    text: str


@dataclass(frozen=True)
class DutyPlan:
    instance: DutyInstance
    assignments: tuple[Assignment, ...]  # by date, then by the pool's order
    loads: tuple[LoadLine, ...]
    objective: Objective
    provisional: bool  # some day comes from a provisional calendar

    def on(self, d: date) -> tuple[Assignment, ...]:
        return tuple(a for a in self.assignments if a.date == d)

    def person_on(self, d: date) -> int | None:
        """The (first) person on day d, or None."""
        got = self.on(d)
        return got[0].person_id if got else None

    def mapping(self) -> dict[date, tuple[int, ...]]:
        out: dict[date, list[int]] = {}
        for a in self.assignments:
            out.setdefault(a.date, []).append(a.person_id)
        return {d: tuple(v) for d, v in out.items()}


@dataclass(frozen=True)
class Candidate:
    """A possible replacement for a day (`replace`)."""

    person_id: int
    name: str
    available: bool
    count: int  # days this year so far (prior + this plan)
    load_after: Fraction  # (count + 1) / quota
    target: Fraction
    adjacent: bool  # on duty the day before or after
    heavy_history: float
    reasons: tuple[str, ...]
