"""The holiday duty rotation (节假日领导带班 / 值班): fair, exact and explained (DESIGN.md "Holiday duty").

One solve fills one kind of slot: the leader on duty (带班领导, one a day) or the duty officers
(值班员, ``officers_per_day`` a day); the per-day capacity is a parameter of the instance.

Hard rules
    * nobody who is unavailable on a day is put on it: away for any part of it (an absence in
      a state that counts as away) or an explicit unavailable date;
    * pins (手动指定, 调班, 临时替换) are kept as they are and counted;
    * every day gets exactly ``capacity`` different people. A day that cannot be filled raises
      a UserError naming the day.

Fairness, lexicographic — (a), (b) and (c) are each optimised exactly among the optima of the
levels above; (d) by local improvement:

    Let the pool be P, ``q_p > 0`` the quota (份额: 1 by default, the chief ``chief_share``),
    ``n_p`` the person's duty days this year = prior days (earlier plans of the year) + pinned
    days + days planned now, and the *weighted load* ``l_p = n_p / q_p``. With ``T = sum n_p``
    (fixed for a given instance) and ``Q = sum q_p``, the quota target is ``t_p = q_p * T / Q``,
    so ``n_p - t_p = q_p * (l_p - T/Q)``: comparing loads is comparing days against
    quota-proportional targets.

    (a) minimise the spread ``S = max_p l_p - min_p l_p`` (over the whole pool, people who
        cannot take any day included: their load counts);
    (b) then minimise ``sum_p n_p**2 / q_p``. As T is fixed this is the same as minimising the
        quota-weighted squared deviation ``sum_p q_p * (l_p - T/Q)**2`` (= ``sum n_p**2/q_p - T**2/Q``);
        with unit quotas it is the plain sum of squared deviations from the mean;
    (c) then the heavy days (除夕, 春节初一, 国庆10月1日, weights ``w_d`` from the profile),
        ``H_p`` being the person's weighted heavy-day load of previous years:
        (c1) minimise ``sum_p k_p * (k_p - 1) / 2``, ``k_p`` the person's heavy days in this plan
             (nobody gets a second heavy day while someone else could take it), then
        (c2) minimise ``sum over heavy days d given to p of (H_p + w_d)**2 - H_p**2``: heavy days go
             to the least history, the heaviest day to the very least. When nobody has two heavy
             days this is ``sum_p (H_p + h_p)**2`` up to a constant. H and w are taken to 0.01;
    (d) then minimise the number of times one person is on two calendar-consecutive duty days.

Method (pure Python, the flow algorithms are below):
    * every assignment is a flow source -> day (capacity) -> person -> sink in a bipartite
      network; the count vectors ``n`` of the assignments are the integer points of a base
      polyhedron (a polymatroid), so bounds ``lo_p <= x_p <= hi_p`` on the days planned now are
      feasible iff one max-flow with person capacities ``hi`` carries every slot AND one with
      capacities ``lo`` carries ``sum lo`` (a box and a base polyhedron meet iff each one's
      lower bound is below the other's upper bound: Frank's intersection theorem for
      generalised polymatroids; the tests check it against brute force);
    * (a): a window ``[L, U]`` of loads gives such bounds; the minimum spread is the smallest
      ``U - L`` over feasible windows with L and U attainable load values; feasibility is
      monotone, so a two-pointer scan over the candidate values near the mean needs a few
      max-flows (Dinic);
    * (b)+(c): for every feasible window of width ``S*`` (distinct bounds, dominated ones
      dropped), a min-cost flow with convex costs: the k-th unit on person p's sink arc costs the
      marginal ``(2 n - 1) / q_p`` of (b), lower bounds are forced by a big surcharge on the units
      above them, heavy days go through a per-person node whose k-th unit costs ``k - 1`` (c1) and
      whose entry arc costs ``w_d (2 H_p + w_d)`` (c2); the levels are weighted so that each
      dominates the sum of all the ones below (exact integer arithmetic);
    * (d): a local-improvement pass, not an exact method: a day of a consecutive pair moves to
      someone else, two people swap two days, or two people exchange all their days over a run
      of days (a Kempe-chain move); a move is taken only when (a)–(c) stay the same and the
      number of pairs goes down. On small random instances (4 people, 7 days, brute force) it
      reaches the fewest pairs in about 99.8 % of the cases.

Pure Python: no Qt, no SQLite.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from desktop.core.absence import Absence, away_on, cn_date, counts_as_away
from desktop.core.duty_days import HEAVY_LABELS, DutyDay, heavy_weight
from desktop.core.errors import UserError
from desktop.core.people import Person, ordered
from desktop.core.profile import DutyRule, HeavyDays
from desktop.core.roles import Role

__all__ = [
    "LEADER",
    "OFFICER",
    "PIN",
    "REPLACE",
    "SWAP",
    "Assignment",
    "Candidate",
    "DutyInstance",
    "DutyPlan",
    "LoadLine",
    "MaxFlow",
    "Member",
    "MinCostFlow",
    "Objective",
    "Pin",
    "build_instance",
    "evaluate",
    "reassign",
    "replace",
    "replan",
    "solve",
    "swap",
]

_ONE = timedelta(days=1)
#: Heavy weights and histories are taken to 1/_HEAVY_SCALE in level (c2).
_HEAVY_SCALE = 100

LEADER = "leader"
OFFICER = "officer"
_NOUN = {LEADER: "带班领导", OFFICER: "值班员"}
_VERB = {LEADER: "带班", OFFICER: "值班"}
_WHO = {LEADER: "领导", OFFICER: "值班员"}

PIN = "pin"
SWAP = "swap"
REPLACE = "replace"
_FIXED_KINDS = (PIN, SWAP, REPLACE)


# ============================================================================================
# Flow algorithms
# ============================================================================================


def _dinic(
    adj: list[list[int]],
    head: list[int],
    cap: list[int],
    s: int,
    t: int,
    limit: int,
    allowed: list[bool] | None = None,
) -> int:
    """Push up to ``limit`` units from s to t by Dinic's blocking flows, in place on ``cap``.

    Arcs are numbered in pairs (``e`` and its reverse ``e ^ 1``), ``head[e]`` is the arc's end.
    With ``allowed``, only the arcs marked True may carry flow (the admissible arcs of the
    min-cost flow); a reverse arc is allowed when its arc is. The depth-first search is
    iterative, so a long plan (every day of several years) cannot overflow the stack.
    """
    n = len(adj)
    total = 0
    while total < limit:
        level = [-1] * n
        level[s] = 0
        queue = [s]
        for u in queue:
            for e in adj[u]:
                v = head[e]
                if cap[e] > 0 and level[v] < 0 and (allowed is None or allowed[e]):
                    level[v] = level[u] + 1
                    queue.append(v)
        if level[t] < 0:
            break
        it = [0] * n
        path: list[int] = []
        u = s
        while total < limit:
            if u == t:
                got = min(limit - total, min(cap[e] for e in path))
                for e in path:
                    cap[e] -= got
                    cap[e ^ 1] += got
                total += got
                path.clear()
                u = s
                continue
            arcs = adj[u]
            i = it[u]
            while i < len(arcs):
                e = arcs[i]
                v = head[e]
                if cap[e] > 0 and level[v] == level[u] + 1 and (allowed is None or allowed[e]):
                    break
                i += 1
            it[u] = i
            if i < len(arcs):
                path.append(arcs[i])
                u = head[arcs[i]]
            elif path:  # dead end: step back and skip the arc that led here
                e = path.pop()
                u = head[e ^ 1]
                it[u] += 1
            else:
                break
    return total


class MaxFlow:
    """Maximum flow (Dinic) on a small graph with integer capacities.

    `set_capacity` changes an arc's capacity for the next `run`; every run starts from zero flow.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.head: list[int] = []
        self.cap: list[int] = []
        self._capacity: list[int] = []

    def add_arc(self, u: int, v: int, cap: int) -> int:
        e = len(self.head)
        self.head += (v, u)
        self._capacity += (cap, 0)
        self.cap += (cap, 0)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e

    def set_capacity(self, e: int, cap: int) -> None:
        self._capacity[e] = cap

    def flow(self, e: int) -> int:
        """The flow on arc e after the last run."""
        return self._capacity[e] - self.cap[e]

    def run(self, s: int, t: int) -> int:
        """The maximum flow value from s to t (starting from zero flow)."""
        self.cap[:] = self._capacity
        return _dinic(self.adj, self.head, self.cap, s, t, sum(self._capacity[e] for e in self.adj[s]))


class MinCostFlow:
    """Minimum-cost flow by the primal–dual method.

    Dijkstra with node potentials finds the shortest-path distances in the residual network
    (reduced costs stay non-negative), then blocking flows (Dinic) are pushed along the arcs of
    zero reduced cost: all the shortest paths of a length at once. Costs are integers (Python
    ints, so the lexicographic weights can be as large as needed) and must be non-negative when
    the run starts. A convex cost on an arc is modelled by parallel unit arcs with
    non-decreasing costs.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.head: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self._capacity: list[int] = []

    def add_arc(self, u: int, v: int, cap: int, cost: int) -> int:
        if cost < 0:
            raise ValueError("MinCostFlow needs non-negative costs")
        e = len(self.head)
        self.head += (v, u)
        self.cap += (cap, 0)
        self._capacity += (cap, 0)
        self.cost += (cost, -cost)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e

    def flow(self, e: int) -> int:
        return self._capacity[e] - self.cap[e]

    def run(self, s: int, t: int, amount: int) -> tuple[int, int]:
        """Send up to ``amount`` units from s to t at minimum cost: (units sent, total cost)."""
        head, cap, cost, adj, n = self.head, self.cap, self.cost, self.adj, self.n
        tail = [head[e ^ 1] for e in range(len(head))]
        pot = [0] * n
        sent = 0
        while sent < amount:
            dist: list[int | None] = [None] * n  # None: not reached
            dist[s] = 0
            heap = [(0, s)]
            while heap:
                du, u = heapq.heappop(heap)
                if du != dist[u]:
                    continue
                pu = pot[u]
                for e in adj[u]:
                    if cap[e] > 0:
                        v = head[e]
                        nd = du + cost[e] + pu - pot[v]
                        dv = dist[v]
                        if dv is None or nd < dv:
                            dist[v] = nd
                            heapq.heappush(heap, (nd, v))
            dt = dist[t]
            if dt is None:
                break
            # New potentials; nodes farther than t are raised by dist(t) only, which keeps
            # every reduced cost non-negative.
            for v in range(n):
                dv = dist[v]
                pot[v] += dt if dv is None or dv > dt else dv
            allowed = [cost[e] + pot[tail[e]] - pot[head[e]] == 0 for e in range(len(head))]
            got = _dinic(adj, head, cap, s, t, amount - sent, allowed)
            if not got:  # pragma: no cover - a shortest path always exists after Dijkstra
                break
            sent += got
        total = sum(cost[e] * (self._capacity[e] - cap[e]) for e in range(0, len(head), 2))
        return sent, total


# ============================================================================================
# The instance
# ============================================================================================


def _fraction(x: float | int | Fraction) -> Fraction:
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
    cannot take (away for any part of the day, or declared unavailable).
    """

    person_id: int
    name: str
    quota: float | Fraction = 1.0
    prior: int = 0
    heavy_history: float = 0.0
    unavailable: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Pin:
    """A fixed assignment: 手动指定 (pin), 调班 (swap) or 临时替换 (replace), kept by every replan."""

    date: date
    person_id: int
    kind: str = PIN
    note: str = ""  # why: 与李四互换(原定10月3日) / 原定张三临时出差

    def __post_init__(self) -> None:
        if self.kind not in _FIXED_KINDS:
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
        return _NOUN[self.slot]

    @property
    def verb(self) -> str:
        return _VERB[self.slot]


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
            d += _ONE
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


# ============================================================================================
# Results
# ============================================================================================


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

    @property
    def key(self) -> tuple[Fraction, Fraction, int, int, int]:
        return (self.spread, self.squares, self.heavy_repeats, self.heavy_cost, self.adjacent)


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


# ============================================================================================
# The problem, indexed
# ============================================================================================


class _Problem:
    """An instance validated and indexed by position (days 0..D-1, members 0..P-1)."""

    def __init__(self, inst: DutyInstance) -> None:
        self.inst = inst
        self.days = [d.date for d in inst.days]
        if len(set(self.days)) != len(self.days):
            raise UserError("值班日期有重复,请检查排班范围。")
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.members = list(inst.members)
        ids = [m.person_id for m in self.members]
        if len(set(ids)) != len(ids):
            raise UserError("轮值名单中有重复的人员。")
        self.member_index = {pid: i for i, pid in enumerate(ids)}
        self.q = [_fraction(m.quota) for m in self.members]
        for m, q in zip(self.members, self.q, strict=True):
            if q <= 0:
                raise UserError(f"{m.name} 的轮值份额必须大于 0(不参加轮值的人请移出名单)。")
            if m.prior < 0:
                raise UserError(f"{m.name} 今年此前的{inst.verb}天数不能为负数。")
            if m.heavy_history < 0:
                raise UserError(f"{m.name} 往年重点日负荷不能为负数。")
        # K / q_p is an integer for every p: the marginal costs of (b) become integers.
        self.K = math.lcm(*(q.numerator for q in self.q)) if self.q else 1
        self.w = [self.K * q.denominator // q.numerator for q in self.q]
        self.cap = inst.capacity
        nd, nm = len(self.days), len(self.members)

        # Pins: validated, kept, counted.
        self.pinned: list[list[int]] = [[] for _ in range(nd)]  # person ids
        self.pin_of: dict[tuple[int, int], Pin] = {}
        for pin in inst.pins:
            di = self.day_index.get(pin.date)
            name = inst.name_of(pin.person_id)
            if di is None:
                raise UserError(f"{cn_date(pin.date)}不是本次排班的值班日,不能指定{name}。请取消该指定。")
            if pin.person_id in self.pinned[di]:
                continue
            mi = self.member_index.get(pin.person_id)
            if mi is not None and pin.date in self.members[mi].unavailable:
                raise UserError(
                    f"{name} 已被指定在{cn_date(pin.date)}{inst.verb},但当天外出或不能{inst.verb}。"
                    "请取消该指定或调班,再重新排班。"
                )
            self.pinned[di].append(pin.person_id)
            self.pin_of[(di, pin.person_id)] = pin
            if len(self.pinned[di]) > self.cap:
                raise UserError(
                    f"{cn_date(pin.date)}指定的{inst.noun}超过每天 {self.cap} 人,请取消多余的指定。"
                )
        self.free = [self.cap - len(p) for p in self.pinned]
        self.base = [m.prior for m in self.members]
        for di in range(nd):
            for pid in self.pinned[di]:
                mi = self.member_index.get(pid)
                if mi is not None:
                    self.base[mi] += 1

        # Who can take each free slot.
        self.avail: list[list[int]] = []
        for di, d in enumerate(self.days):
            cands = [
                mi
                for mi, m in enumerate(self.members)
                if d not in m.unavailable and m.person_id not in self.pinned[di]
            ]
            if len(cands) < self.free[di]:
                raise UserError(self._shortage(di, len(cands)))
            self.avail.append(cands if self.free[di] else [])
        self.n_avail = [0] * nm
        for cands in self.avail:
            for mi in cands:
                self.n_avail[mi] += 1
        self.D = sum(self.free)

        # Heavy days: weight (in 1/100) per day, 0 for an ordinary day or a zero weight.
        self.heavy_w = [round(heavy_weight(inst.heavy_weights, d.heavy) * _HEAVY_SCALE) for d in inst.days]
        self.H = [round(m.heavy_history * _HEAVY_SCALE) for m in self.members]
        # Calendar neighbours inside the plan.
        self.next_day = [self.day_index.get(d + _ONE, -1) for d in self.days]

    def _shortage(self, di: int, have: int) -> str:
        inst, d = self.inst, self.days[di]
        if not self.members:
            return (
                f"{cn_date(d)}没有可以{inst.verb}的{_WHO[inst.slot]}:{inst.verb}名单为空。"
                "请在人员中设置角色,或检查规则中的轮值范围。"
            )
        if self.cap == 1 and have == 0 and not self.pinned[di]:
            who = _WHO[inst.slot]
            return f"{cn_date(d)}没有可以{inst.verb}的{who}:全部外出。请调整外出安排或手动指定。"
        return (
            f"{cn_date(d)}{inst.noun}不足:需要 {self.free[di]} 人,只有 {have} 人可以{inst.verb}"
            "(其余外出或已指定)。请调整外出安排或手动指定。"
        )

    # ------------------------------------------------------------------ objective
    def objective(self, assign: Sequence[Sequence[int]]) -> Objective:
        """The objective of an assignment of the free slots (``assign[di]``: member indices)."""
        counts = list(self.base)
        for cands in assign:
            for mi in cands:
                counts[mi] += 1
        return self._objective(counts, assign)

    def _objective(self, counts: Sequence[int], assign: Sequence[Sequence[int]]) -> Objective:
        if self.members:
            loads = [Fraction(n) / q for n, q in zip(counts, self.q, strict=True)]
            spread = max(loads) - min(loads)
            squares = sum((Fraction(n * n) / q for n, q in zip(counts, self.q, strict=True)), Fraction(0))
            T, Q = sum(counts), sum(self.q)
            deviation = squares - Fraction(T * T) / Q
        else:
            spread = squares = deviation = Fraction(0)
        k = [0] * len(self.members)
        heavy_cost = 0
        for di, w in enumerate(self.heavy_w):
            if not w:
                continue
            for pid in self.pinned[di]:
                mi = self.member_index.get(pid)
                if mi is not None:
                    k[mi] += 1
                    heavy_cost += w * (2 * self.H[mi] + w)
            for mi in assign[di]:
                k[mi] += 1
                heavy_cost += w * (2 * self.H[mi] + w)
        repeats = sum(x * (x - 1) // 2 for x in k)
        return Objective(spread, squares, deviation, repeats, heavy_cost, self._adjacent(assign))

    def people_on(self, assign: Sequence[Sequence[int]], di: int) -> set[int]:
        return set(self.pinned[di]) | {self.members[mi].person_id for mi in assign[di]}

    def _adjacent(self, assign: Sequence[Sequence[int]]) -> int:
        total = 0
        for di, nx in enumerate(self.next_day):
            if nx >= 0:
                total += len(self.people_on(assign, di) & self.people_on(assign, nx))
        return total

    # ------------------------------------------------------------------ (a) the spread
    def _greedy(self) -> list[list[int]]:
        """A quick feasible assignment (least resulting load first): an upper bound on the spread."""
        counts = list(self.base)
        assign: list[list[int]] = [[] for _ in self.days]
        order = sorted(range(len(self.days)), key=lambda di: (len(self.avail[di]) - self.free[di], di))
        for di in order:
            cands = sorted(self.avail[di], key=lambda mi: (Fraction(counts[mi] + 1) / self.q[mi], mi))
            for mi in cands[: self.free[di]]:
                assign[di].append(mi)
                counts[mi] += 1
        return assign

    def _bounds(self, L: Fraction, U: Fraction) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """Bounds on the days planned now that keep every load in [L, U], or None if empty."""
        lo, hi = [], []
        for b, q, na in zip(self.base, self.q, self.n_avail, strict=True):
            a = max(0, math.ceil(L * q) - b)
            z = min(na, math.floor(U * q) - b)
            if z < a:
                return None
            lo.append(a)
            hi.append(z)
        if sum(lo) > self.D or sum(hi) < self.D:
            return None
        return tuple(lo), tuple(hi)

    def _build_maxflow(self) -> None:
        nd, nm = len(self.days), len(self.members)
        g = MaxFlow(2 + nd + nm)
        self._mf = g
        for di in range(nd):
            if self.free[di]:
                g.add_arc(0, 2 + di, self.free[di])
                for mi in self.avail[di]:
                    g.add_arc(2 + di, 2 + nd + mi, 1)
        self._mf_sink = [g.add_arc(2 + nd + mi, 1, 0) for mi in range(nm)]
        self._feasible_memo: dict[tuple[tuple[int, ...], tuple[int, ...]], bool] = {}

    def feasible(self, bounds: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
        """Is there an assignment with lo_p <= x_p <= hi_p for every p (x_p: days planned now)?"""
        got = self._feasible_memo.get(bounds)
        if got is not None:
            return got
        lo, hi = bounds
        g = self._mf
        for e, z in zip(self._mf_sink, hi, strict=True):
            g.set_capacity(e, z)
        ok = g.run(0, 1) == self.D
        need = sum(lo)
        if ok and need:
            for e, a in zip(self._mf_sink, lo, strict=True):
                g.set_capacity(e, a)
            ok = g.run(0, 1) == need
        self._feasible_memo[bounds] = ok
        return ok

    def _values(self, low: Fraction, high: Fraction) -> list[Fraction]:
        """Every attainable load value in [low, high], ascending."""
        vals: set[Fraction] = set()
        for b, q, na in zip(self.base, self.q, self.n_avail, strict=True):
            k0 = max(0, math.ceil(low * q) - b)
            k1 = min(na, math.floor(high * q) - b)
            for k in range(k0, k1 + 1):
                vals.add(Fraction(b + k) / q)
        return sorted(vals)

    def min_spread(self, start: Sequence[Sequence[int]]) -> Fraction:
        """The minimum spread S* (level a), exact."""
        first = self.objective(start).spread
        T = sum(self.base) + self.D
        mean = Fraction(T) / sum(self.q)
        top = max(Fraction(b) / q for b, q in zip(self.base, self.q, strict=True))
        bottom = min(Fraction(b + na) / q for b, q, na in zip(self.base, self.q, self.n_avail, strict=True))
        u_min, l_max = max(mean, top), min(mean, bottom)
        best = first
        lows = self._values(u_min - best, l_max)
        highs = self._values(u_min, l_max + best)
        j = 0
        for L in lows:
            while j < len(highs) and highs[j] - L < best:
                bounds = self._bounds(L, highs[j])
                if bounds is not None and self.feasible(bounds):
                    best = highs[j] - L
                    break
                j += 1
        self._u_min, self._l_max = u_min, l_max
        return best

    def windows(self, S: Fraction) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """The distinct, undominated bounds of the feasible windows [L, L + S]."""
        found: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        for L in self._values(self._u_min - S, self._l_max):
            bounds = self._bounds(L, L + S)
            if bounds is not None and bounds not in found and self.feasible(bounds):
                found.append(bounds)

        def inside(a, b) -> bool:  # window a within window b
            return (
                a != b
                and all(x >= y for x, y in zip(a[0], b[0], strict=True))
                and all(x <= y for x, y in zip(a[1], b[1], strict=True))
            )

        return [a for a in found if not any(inside(a, b) for b in found)]

    # ------------------------------------------------------------------ (b) + (c)
    def best_in_window(self, bounds: tuple[tuple[int, ...], tuple[int, ...]]) -> list[list[int]]:
        """The assignment minimising (b), then (c1), then (c2) with these bounds, by min-cost flow."""
        lo, hi = bounds
        nd, nm = len(self.days), len(self.members)
        heavy_days = [di for di in range(nd) if self.heavy_w[di] and self.free[di]]
        k0 = [0] * nm
        for di, w in enumerate(self.heavy_w):
            if w:
                for pid in self.pinned[di]:
                    mi = self.member_index.get(pid)
                    if mi is not None:
                        k0[mi] += 1
        heavy_avail = [0] * nm
        for di in heavy_days:
            for mi in self.avail[di]:
                heavy_avail[mi] += 1
        slots = sum(self.free[di] for di in heavy_days)
        # Level weights: each level outweighs the largest possible sum of the levels below.
        c2_max = sum(
            self.free[di]
            * max(self.heavy_w[di] * (2 * self.H[mi] + self.heavy_w[di]) for mi in self.avail[di])
            for di in heavy_days
        )
        m_c1 = c2_max + 1
        c1_max = sum(slots + k for k in k0) * slots if slots else 0
        m_b = (c1_max + 1) * m_c1
        b_max = sum(self.w[mi] * (2 * (self.base[mi] + hi[mi]) - 1) * hi[mi] for mi in range(nm))
        big = (b_max + 1) * m_b

        S, T = 0, 1
        day0, per0, hv0 = 2, 2 + nd, 2 + nd + nm
        g = MinCostFlow(2 + nd + 2 * nm)
        arcs: list[tuple[int, int, int]] = []  # (arc, day, member)
        for di in range(nd):
            if not self.free[di]:
                continue
            g.add_arc(S, day0 + di, self.free[di], 0)
            w = self.heavy_w[di]
            for mi in self.avail[di]:
                if w:
                    e = g.add_arc(day0 + di, hv0 + mi, 1, w * (2 * self.H[mi] + w))
                else:
                    e = g.add_arc(day0 + di, per0 + mi, 1, 0)
                arcs.append((e, di, mi))
        for mi in range(nm):
            for k in range(1, heavy_avail[mi] + 1):
                g.add_arc(hv0 + mi, per0 + mi, 1, (k0[mi] + k - 1) * m_c1)
            for k in range(1, hi[mi] + 1):
                n = self.base[mi] + k
                g.add_arc(per0 + mi, T, 1, self.w[mi] * (2 * n - 1) * m_b + (big if k > lo[mi] else 0))
        sent, _cost = g.run(S, T, self.D)
        if sent != self.D:  # pragma: no cover - the window was checked feasible
            raise AssertionError("duty flow lost units in a feasible window")
        assign: list[list[int]] = [[] for _ in range(nd)]
        for e, di, mi in arcs:
            if g.flow(e):
                assign[di].append(mi)
        return assign

    # ------------------------------------------------------------------ (d)
    def improve_adjacent(self, assign: list[list[int]]) -> list[list[int]]:
        """Local improvement of level (d): moves and swaps that keep (a)–(c) and cut pairs."""
        assign = [list(x) for x in assign]
        current = self.objective(assign)
        for _round in range(4 * len(self.days) + 10):
            if current.adjacent == 0:
                break
            move = self._better_move(assign, current)
            if move is None:
                break
            assign, current = move
        return assign

    def _better_move(self, assign: list[list[int]], current: Objective):
        key = current.key
        nd = len(self.days)
        prev_day = [-1] * nd
        for di, nx in enumerate(self.next_day):
            if nx >= 0:
                prev_day[nx] = di
        # Days holding a person who is also on a neighbouring day, that person being free to move.
        spots: list[tuple[int, int]] = []
        for di in range(nd):
            for mi in assign[di]:
                pid = self.members[mi].person_id
                for nb in (prev_day[di], self.next_day[di]):
                    if nb >= 0 and pid in self.people_on(assign, nb):
                        spots.append((di, mi))
                        break
        for di, mi in spots:
            # Move the day to someone else.
            for mj in self.avail[di]:
                if mj == mi or mj in assign[di]:
                    continue
                trial = [list(x) for x in assign]
                trial[di][trial[di].index(mi)] = mj
                obj = self.objective(trial)
                if obj.key < key:
                    return trial, obj
            # Swap with another person's day.
            for dj in range(nd):
                if dj == di:
                    continue
                for mj in assign[dj]:
                    if mj == mi or mj in assign[di] or mi in assign[dj]:
                        continue
                    if mj not in self.avail[di] or mi not in self.avail[dj]:
                        continue
                    trial = [list(x) for x in assign]
                    trial[di][trial[di].index(mi)] = mj
                    trial[dj][trial[dj].index(mj)] = mi
                    obj = self.objective(trial)
                    if obj.key < key:
                        return trial, obj
        # Exchange two people on every day of a run of days (a Kempe-chain move): the run
        # starts or ends at the spot, and where one of the two is on duty the other takes over.
        for di, mi in spots:
            for mj in range(len(self.members)):
                if mj == mi:
                    continue
                for step in (1, -1):
                    trial = [list(x) for x in assign]
                    dj = di
                    while 0 <= dj < nd:
                        a, b = mi in trial[dj], mj in trial[dj]
                        if a != b:
                            leaving, coming = (mi, mj) if a else (mj, mi)
                            if coming not in self.avail[dj]:
                                break
                            trial[dj][trial[dj].index(leaving)] = coming
                            if dj != di:
                                obj = self.objective(trial)
                                if obj.key < key:
                                    return trial, obj
                        dj += step
        return None

    # ------------------------------------------------------------------ all levels
    def optimise(self) -> list[list[int]]:
        if self.D == 0:
            return [[] for _ in self.days]
        self._build_maxflow()
        start = self._greedy()
        S = self.min_spread(start)
        best: list[list[int]] | None = None
        best_key = None
        for bounds in self.windows(S):
            assign = self.best_in_window(bounds)
            k = self.objective(assign).key
            if best_key is None or k < best_key:
                best, best_key = assign, k
        if best is None:  # pragma: no cover - the greedy start is itself in a window of width S
            raise AssertionError("no window of the minimum spread")
        return self.improve_adjacent(best)


# ============================================================================================
# Solving, explaining, changing
# ============================================================================================


def solve(instance: DutyInstance) -> DutyPlan:
    """The fair plan of the instance (see the module docstring for the order of fairness).

    Raises UserError (Chinese, naming the day) when a day cannot be filled, a pin conflicts with
    an absence, or a day has more pins than places.
    """
    prob = _Problem(instance)
    assign = prob.optimise()
    return _finish(prob, assign)


def replan(instance: DutyInstance, keep_pins: bool = True, release: Iterable[date] = ()) -> DutyPlan:
    """Plan again (after absences or people changed): pins, swaps and replacements are kept,
    except on the ``release``d dates, or all of them with ``keep_pins=False``."""
    released = set(release)
    pins = tuple(p for p in instance.pins if keep_pins and p.date not in released)
    return solve(dataclasses.replace(instance, pins=pins))


def evaluate(instance: DutyInstance, assignment: Mapping[date, Sequence[int]]) -> Objective:
    """The objective of any complete assignment (date -> person ids, pins included), e.g. one
    found by another solver. Hard rules are checked: UserError if one is broken."""
    prob = _Problem(instance)
    return prob.objective(_free_part(prob, assignment))


def _free_part(prob: _Problem, assignment: Mapping[date, Sequence[int]]) -> list[list[int]]:
    assign: list[list[int]] = [[] for _ in prob.days]
    for d, pids in assignment.items():
        di = prob.day_index.get(d)
        if di is None:
            raise UserError(f"{cn_date(d)}不是本次排班的值班日。")
        if len(set(pids)) != len(pids) or len(pids) != prob.cap:
            raise UserError(f"{cn_date(d)}应安排 {prob.cap} 个不同的人。")
        if not set(prob.pinned[di]) <= set(pids):
            raise UserError(f"{cn_date(d)}的指定人员被改动了。")
        for pid in pids:
            if pid in prob.pinned[di]:
                continue
            mi = prob.member_index.get(pid)
            if mi is None or mi not in prob.avail[di]:
                raise UserError(f"{prob.inst.name_of(pid)} 不能在{cn_date(d)}{prob.inst.verb}。")
            assign[di].append(mi)
    missing = [d for d in prob.days if d not in assignment]
    if missing:
        raise UserError(f"{cn_date(missing[0])}没有安排{prob.inst.noun}。")
    return assign


def _num(x: Fraction | float) -> str:
    """2, 2.5, 2.7 (one decimal at most)."""
    text = f"{float(x):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _finish(prob: _Problem, assign: Sequence[Sequence[int]]) -> DutyPlan:
    """The plan of an assignment, with the reasons of each day and the load lines."""
    inst = prob.inst
    verb = inst.verb
    nm = len(prob.members)
    counts = list(prob.base)
    for cands in assign:
        for mi in cands:
            counts[mi] += 1
    T, Q = sum(counts), sum(prob.q) or Fraction(1)
    target = [q * T / Q for q in prob.q]
    loads = [Fraction(n) / q for n, q in zip(counts, prob.q, strict=True)]
    heavy_of: list[list[date]] = [[] for _ in range(nm)]
    heavy_days_taken: dict[int, list[int]] = {}
    for di, day in enumerate(inst.days):
        if day.heavy is None:
            continue
        for pid in prob.people_on(assign, di):
            mi = prob.member_index.get(pid)
            if mi is not None:
                heavy_of[mi].append(day.date)
                heavy_days_taken.setdefault(mi, []).append(di)

    out: list[Assignment] = []
    for di, day in enumerate(inst.days):
        d = day.date
        on_prev = prob.people_on(assign, prob.day_index[d - _ONE]) if (d - _ONE) in prob.day_index else set()
        on_next = prob.people_on(assign, prob.day_index[d + _ONE]) if (d + _ONE) in prob.day_index else set()
        entries = [(pid, prob.pin_of[(di, pid)]) for pid in prob.pinned[di]]
        entries += [(prob.members[mi].person_id, None) for mi in assign[di]]
        for pid, pin in entries:
            mi = prob.member_index.get(pid)
            reasons: list[str] = []
            if pin is not None:
                if pin.kind == PIN:
                    reasons.append("已手动指定(固定)")
                elif pin.kind == SWAP:
                    reasons.append(f"调班:{pin.note}" if pin.note else "调班(固定)")
                else:
                    reasons.append(f"临时替换:{pin.note}" if pin.note else "临时替换(固定)")
                if mi is None:
                    reasons.append(f"不在{verb}轮值名单中,不计入均衡")
            else:
                others = [mj for mj in prob.avail[di] if mj != mi and mj not in assign[di]]
                away = [m.name for m in prob.members if d in m.unavailable]
                if away:
                    reasons.append(f"当天{'、'.join(away)}外出或不能{verb}")
                if not others:
                    reasons.append(f"当天只有{prob.members[mi].name}可以{verb}")
                before = Fraction(counts[mi] - 1) / prob.q[mi]
                if all(before <= loads[mj] for mj in others):
                    reasons.append(
                        f"负荷最低(除本日外今年{verb}{counts[mi] - 1}天,按份额目标{_num(target[mi])}天)"
                    )
                else:
                    reasons.append(
                        f"按全年均衡安排(今年共{verb}{counts[mi]}天,按份额目标{_num(target[mi])}天)"
                    )
                if day.heavy is not None:
                    label = HEAVY_LABELS[day.heavy]
                    h = prob.members[mi].heavy_history
                    lower = [mj for mj in others if prob.members[mj].heavy_history < h]
                    if not lower:
                        reasons.append(f"重点日({label}):往年重点日最少({_num(h)})")
                    elif all(heavy_days_taken.get(mj) for mj in lower):
                        names = "、".join(prob.members[mj].name for mj in lower)
                        reasons.append(
                            f"重点日({label}):往年重点日{_num(h)},更少的{names}已安排本次其他重点日"
                        )
                    else:
                        names = "、".join(prob.members[mj].name for mj in lower)
                        reasons.append(
                            f"重点日({label}):往年重点日{_num(h)}(往年更少的{names}因全年均衡"
                            "或已承担其他重点日未安排)"
                        )
            side = (
                "前后两天"
                if pid in on_prev and pid in on_next
                else "前一天"
                if pid in on_prev
                else "后一天"
                if pid in on_next
                else None
            )
            if side is None:
                reasons.append("前后一天未安排")
            elif pin is None:
                reasons.append(f"与{side}连续(未找到不影响均衡的调整)")
            else:
                reasons.append(f"与{side}连续")
            if day.provisional:
                reasons.append("该日按暂定日历安排,放假通知公布后请核对")
            out.append(
                Assignment(d, pid, inst.name_of(pid), pin.kind if pin else None, day.heavy, tuple(reasons))
            )

    lines: list[LoadLine] = []
    for mi, m in enumerate(prob.members):
        count = counts[mi] - m.prior
        fixed = sum(1 for di in range(len(prob.days)) if m.person_id in prob.pinned[di])
        parts = [f"此前{m.prior}天"] if m.prior else []
        parts.append(f"本次{count}天" + (f",其中固定{fixed}天" if fixed else ""))
        heavy = (
            "、".join(HEAVY_LABELS[inst.days[prob.day_index[d]].heavy or ""] for d in heavy_of[mi]) or "无"
        )
        text = (
            f"{m.name}:今年{verb}{counts[mi]}天({','.join(parts)}),份额{_num(prob.q[mi])},"
            f"目标{_num(target[mi])}天;本次重点日:{heavy};往年重点日{_num(m.heavy_history)}"
        )
        lines.append(
            LoadLine(
                m.person_id, m.name, prob.q[mi], m.prior, count, fixed, counts[mi],
                target[mi], loads[mi], tuple(heavy_of[mi]), m.heavy_history, text,
            )
        )  # fmt: skip
    return DutyPlan(
        inst,
        tuple(out),
        tuple(lines),
        prob.objective(assign),
        any(d.provisional for d in inst.days),
    )


def _pick(plan: DutyPlan, d: date, person_id: int | None) -> int:
    on = [a.person_id for a in plan.on(d)]
    if not on:
        raise UserError(f"{cn_date(d)}不在本次排班中。")
    if person_id is None:
        if len(on) > 1:
            raise UserError(f"{cn_date(d)}有 {len(on)} 位{plan.instance.noun},请指明是哪一位。")
        return on[0]
    if person_id not in on:
        raise UserError(f"{plan.instance.name_of(person_id)} 不在{cn_date(d)}的安排中。")
    return person_id


def _can_take(inst: DutyInstance, pid: int, d: date, on_day: Iterable[int]) -> str | None:
    """Why pid cannot take day d (None if he or she can)."""
    name = inst.name_of(pid)
    for m in inst.members:
        if m.person_id == pid and d in m.unavailable:
            return f"{name} {cn_date(d)}外出或不能{inst.verb},不能安排在这一天。"
    if pid in on_day:
        return f"{name} {cn_date(d)}已经在{inst.verb}名单中。"
    return None


def swap(
    plan: DutyPlan, a_date: date, b_date: date, a_person: int | None = None, b_person: int | None = None
) -> DutyPlan:
    """调班: the person on ``a_date`` and the person on ``b_date`` exchange their days.

    Both must be able to take the other's day (not away, not already on it). Both new
    assignments become fixed (kind "swap") and survive `replan`. With several people a day,
    name them with ``a_person`` / ``b_person``.
    """
    inst = plan.instance
    if a_date == b_date:
        raise UserError("调班的两天是同一天,请选择另一天。")
    pa, pb = _pick(plan, a_date, a_person), _pick(plan, b_date, b_person)
    if pa == pb:
        raise UserError(f"{cn_date(a_date)}和{cn_date(b_date)}都是{inst.name_of(pa)},无需调班。")
    current = plan.mapping()
    for pid, d in ((pa, b_date), (pb, a_date)):
        why = _can_take(inst, pid, d, current[d])
        if why:
            raise UserError(why + "请另选调班日期。")
    na, nb = inst.name_of(pa), inst.name_of(pb)
    pins = [p for p in inst.pins if (p.date, p.person_id) not in ((a_date, pa), (b_date, pb))]
    pins.append(Pin(a_date, pb, SWAP, f"与{na}互换(原定{_md(b_date)})"))
    pins.append(Pin(b_date, pa, SWAP, f"与{nb}互换(原定{_md(a_date)})"))
    new_inst = dataclasses.replace(inst, pins=tuple(pins))
    mapping = {d: list(v) for d, v in current.items()}
    mapping[a_date][mapping[a_date].index(pa)] = pb
    mapping[b_date][mapping[b_date].index(pb)] = pa
    prob = _Problem(new_inst)
    return _finish(prob, _free_part(prob, {d: tuple(v) for d, v in mapping.items()}))


def replace(plan: DutyPlan, day: date, reason: str = "", person_id: int | None = None) -> list[Candidate]:
    """Who could take ``day`` instead of its person (who became unavailable), best first.

    Order: available first; then the lowest load after taking the day (count + 1) / quota; then
    not on duty the day before or after; then the least heavy-day history (on a heavy day);
    then the pool's order (rank). ``reason`` is shown in the candidates' reasons.
    """
    inst = plan.instance
    gone = _pick(plan, day, person_id)
    current = plan.mapping()
    by_id = {line.person_id: line for line in plan.loads}
    heavy = next((d.heavy for d in inst.days if d.date == day), None)
    neighbours = set(current.get(day - _ONE, ())) | set(current.get(day + _ONE, ()))
    out: list[Candidate] = []
    for m in inst.members:
        if m.person_id == gone:
            continue
        line = by_id[m.person_id]
        why = _can_take(inst, m.person_id, day, current[day])
        available = why is None
        load_after = Fraction(line.total + 1) / line.quota
        adjacent = m.person_id in neighbours
        reasons: list[str] = []
        if reason:
            reasons.append(f"原定{inst.name_of(gone)}:{reason}")
        reasons.append("可以安排" if available else (why or ""))
        reasons.append(f"今年已{inst.verb}{line.total}天,按份额目标{_num(line.target)}天")
        reasons.append("前后一天已安排" if adjacent else "前后一天未安排")
        if heavy:
            reasons.append(f"重点日({HEAVY_LABELS[heavy]}):往年重点日{_num(m.heavy_history)}")
        out.append(
            Candidate(
                m.person_id, m.name, available, line.total, load_after, line.target,
                adjacent, m.heavy_history, tuple(reasons),
            )
        )  # fmt: skip
    rank = {m.person_id: i for i, m in enumerate(inst.members)}
    out.sort(
        key=lambda c: (
            not c.available,
            c.load_after,
            c.adjacent,
            c.heavy_history if heavy else 0.0,
            rank[c.person_id],
        )
    )
    return out


def reassign(
    plan: DutyPlan, day: date, person_id: int, reason: str = "", replaced: int | None = None
) -> DutyPlan:
    """临时替换: ``person_id`` takes ``day`` instead of its person, who is marked unavailable that
    day (so a replan does not put him or her back). The new assignment is fixed (kind "replace")."""
    inst = plan.instance
    gone = _pick(plan, day, replaced)
    current = plan.mapping()
    why = _can_take(inst, person_id, day, current[day])
    if why:
        raise UserError(why + "请从候选名单中另选。")
    note = f"原定{inst.name_of(gone)}" + (f"({reason.strip()})" if reason.strip() else "")
    pins = [p for p in inst.pins if not (p.date == day and p.person_id == gone)]
    pins.append(Pin(day, person_id, REPLACE, note))
    members = tuple(
        dataclasses.replace(m, unavailable=m.unavailable | {day}) if m.person_id == gone else m
        for m in inst.members
    )
    new_inst = dataclasses.replace(inst, pins=tuple(pins), members=members)
    mapping = {d: list(v) for d, v in current.items()}
    mapping[day][mapping[day].index(gone)] = person_id
    prob = _Problem(new_inst)
    return _finish(prob, _free_part(prob, {d: tuple(v) for d, v in mapping.items()}))
