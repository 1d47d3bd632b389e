"""The problem indexed (days 0..D-1, members 0..P-1) and its exact optimisation, level by level.

Method (pure Python, the flow algorithms are in `desktop.core.duty.flow`):
    * every assignment is a flow source -> day (capacity) -> person -> sink in a bipartite
      network; the count vectors ``n`` of the assignments are the integer points of a base
      polyhedron (a polymatroid), so bounds ``lo_p <= x_p <= hi_p`` on the days planned now are
      feasible iff one max-flow with person capacities ``hi`` carries every slot AND one with
      capacities ``lo`` carries ``sum lo`` (Frank's intersection theorem for generalised
      polymatroids; the tests check it against brute force);
    * (a): the minimum spread over feasible windows ``[L, U]`` of loads, by a two-pointer scan;
    * (b)+(c): for every feasible window of width ``S*``, a min-cost flow with convex costs;
    * (d): a local-improvement pass (see `desktop.core.duty` for the order of fairness).

`free_part` turns a complete assignment (date -> person ids) into the indexed free slots, checking
the hard rules: what `desktop.core.duty.explain` and `evaluate` work on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from desktop.core.absence import cn_date
from desktop.core.duty.days import heavy_weight
from desktop.core.duty.flow import MaxFlow, MinCostFlow
from desktop.core.duty.model import ONE_DAY, WHO, DutyInstance, Objective, Pin, fraction
from desktop.core.errors import UserError

__all__ = ["HEAVY_SCALE", "Problem", "free_part"]

#: Heavy weights and histories are taken to 1/HEAVY_SCALE in level (c2).
HEAVY_SCALE = 100


class Problem:
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
        self.q = [fraction(m.quota) for m in self.members]
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
        self.heavy_w = [round(heavy_weight(inst.heavy_weights, d.heavy) * HEAVY_SCALE) for d in inst.days]
        self.H = [round(m.heavy_history * HEAVY_SCALE) for m in self.members]
        # Calendar neighbours inside the plan.
        self.next_day = [self.day_index.get(d + ONE_DAY, -1) for d in self.days]

    def _shortage(self, di: int, have: int) -> str:
        inst, d = self.inst, self.days[di]
        if not self.members:
            return (
                f"{cn_date(d)}没有可以{inst.verb}的{WHO[inst.slot]}:{inst.verb}名单为空。"
                "请在人员中设置角色,或检查规则中的轮值范围。"
            )
        if self.cap == 1 and have == 0 and not self.pinned[di]:
            who = WHO[inst.slot]
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
        chief = sum(1 for cands in assign for mi in cands if self.members[mi].chief)
        return Objective(spread, squares, deviation, repeats, heavy_cost, self._adjacent(assign), chief)

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
        """The assignment minimising (b), then (b') the chief's days, then (c1), then (c2) with these
        bounds, by min-cost flow."""
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
        m_chief = (c1_max + 1) * m_c1  # (b'): each day given to the chief
        m_b = (self.D + 1) * m_chief
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
                g.add_arc(per0 + mi, T, 1, self.w[mi] * (2 * n - 1) * m_b + (m_chief if self.members[mi].chief else 0)
                          + (big if k > lo[mi] else 0))
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




def free_part(prob: Problem, assignment: Mapping[date, Sequence[int]]) -> list[list[int]]:
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
