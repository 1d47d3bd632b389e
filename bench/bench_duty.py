"""Benchmark: the holiday duty solver against OR-Tools CP-SAT and a greedy baseline (not a test).

    pip install -e .[bench]          (OR-Tools is a bench-only extra, never a runtime dependency)
    python bench/bench_duty.py [--instances 240] [--seed 20261121] [--time-limit 60]

Instances (seeded): the whole 2026 holiday calendar from the seeded calendar, in the
``holiday_block`` mode (every day of a holiday block: 33 days, so there are enough days for the
pool; ``holiday_weekdays`` has only 19), one leader a day. 7–11 leaders: the first is the chief
with quota 0.5, about a third of the others a random quota of 0.8, 1.2 or 1.5, the rest 1.
Absences are runs of 1–5 calendar days placed at random until about 10 % ("typical") or 35 %
("heavy") of the leader-days are away, never leaving a day with nobody; 0–3 random pins;
heavy-day history 0–9 per leader (weights 3/3/2).

Each instance is solved by ours (`desktop.core.duty.solve`) and by CP-SAT with the SAME
objective, lexicographically: first minimise the spread ``max n_p/q_p - min n_p/q_p`` (scaled by
K so that K/q_p is an integer), then fix it and minimise ``sum n_p**2 / q_p`` (scaled by K). The
greedy baseline gives each day, in date order, to the available leader with the lowest load
after taking it ((n_p + 1) / q_p), the usual hand method. Record the table in bench/RESULTS.md
("Holiday duty solver").
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from fractions import Fraction

from desktop.core.calseed import seed_calendar
from desktop.core.duty import DutyInstance, Member, Pin, duty_days, evaluate, solve
from desktop.core.profile import HeavyDays

SEED = 20261121
WEIGHTS = HeavyDays(eve=3, spring_day1=3, national_day1=2)
KINDS = (("typical", 0.10), ("heavy", 0.35))


def make_instance(rng: random.Random, days, away_share: float) -> DutyInstance:
    n = rng.randint(7, 11)
    quotas = [0.5] + [rng.choice((0.8, 1.2, 1.5)) if rng.random() < 1 / 3 else 1.0 for _ in range(n - 1)]
    dates = [d.date for d in days]
    away: list[set[date]] = [set() for _ in range(n)]
    free = {d: n for d in dates}
    target = away_share * n * len(dates)
    marked, tries = 0, 0
    while marked < target and tries < 10_000:
        tries += 1
        p = rng.randrange(n)
        start = rng.choice(dates) - timedelta(days=rng.randint(0, 2))
        span = [start + timedelta(days=k) for k in range(rng.randint(1, 5))]
        new = [d for d in span if d in free and d not in away[p]]
        if not new or any(free[d] <= 1 for d in new):
            continue
        for d in new:
            away[p].add(d)
            free[d] -= 1
            marked += 1
    members = tuple(
        Member(i + 1, f"领导{i + 1}", quotas[i], 0, float(rng.randint(0, 9)), frozenset(away[i]))
        for i in range(n)
    )
    pins = []
    for d in rng.sample(dates, rng.randint(0, 3)):
        cands = [m.person_id for m in members if d not in m.unavailable]
        pins.append(Pin(d, rng.choice(cands)))
    return DutyInstance(tuple(days), members, 1, tuple(pins), WEIGHTS)


def greedy(inst: DutyInstance) -> dict[date, tuple[int, ...]]:
    """Least-loaded greedy in date order (pins kept): the hand method, for contrast."""
    q = {m.person_id: Fraction(str(m.quota)) for m in inst.members}
    count = {m.person_id: m.prior for m in inst.members}
    pinned: dict[date, list[int]] = {}
    for p in inst.pins:
        pinned.setdefault(p.date, []).append(p.person_id)
        if p.person_id in count:
            count[p.person_id] += 1
    out = {}
    for day in inst.days:
        got = list(pinned.get(day.date, ()))
        cands = [
            m.person_id for m in inst.members if day.date not in m.unavailable and m.person_id not in got
        ]
        cands.sort(key=lambda pid: (Fraction(count[pid] + 1) / q[pid], pid))
        for pid in cands[: inst.capacity - len(got)]:
            got.append(pid)
            count[pid] += 1
        out[day.date] = tuple(got)
    return out


def cpsat(inst: DutyInstance, time_limit: float, workers: int):
    """(spread, squares, seconds, both phases proven optimal) by CP-SAT, same objective as ours."""
    from ortools.sat.python import cp_model

    q = [Fraction(str(m.quota)) for m in inst.members]
    K = math.lcm(*(x.numerator for x in q))
    w = [K * x.denominator // x.numerator for x in q]  # K / q_p
    pinned = {(p.date, p.person_id) for p in inst.pins}
    t0 = time.perf_counter()

    def build():
        model = cp_model.CpModel()
        n_vars = []
        x = {}
        for day in inst.days:
            fixed = [pid for (d, pid) in pinned if d == day.date]
            row = []
            for i, m in enumerate(inst.members):
                if m.person_id in fixed:
                    continue
                if day.date in m.unavailable:
                    continue
                x[day.date, i] = model.NewBoolVar(f"x{day.date}_{i}")
                row.append(x[day.date, i])
            model.Add(sum(row) == inst.capacity - len(fixed))
        ub = len(inst.days) + max(m.prior for m in inst.members)
        for i, m in enumerate(inst.members):
            base = m.prior + sum(1 for (_d, pid) in pinned if pid == m.person_id)
            n = model.NewIntVar(0, ub, f"n{i}")
            model.Add(n == base + sum(v for (d, j), v in x.items() if j == i))
            n_vars.append(n)
        hi = model.NewIntVar(0, ub * max(w), "hi")
        lo = model.NewIntVar(0, ub * max(w), "lo")
        for i, n in enumerate(n_vars):
            model.Add(hi >= w[i] * n)
            model.Add(lo <= w[i] * n)
        return model, n_vars, hi, lo, ub

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    model, n_vars, hi, lo, ub = build()
    model.Minimize(hi - lo)
    st1 = solver.Solve(model)
    spread_scaled = int(solver.ObjectiveValue())
    model, n_vars, hi, lo, ub = build()
    model.Add(hi - lo == spread_scaled)
    sq = []
    for i, n in enumerate(n_vars):
        s = model.NewIntVar(0, ub * ub, f"sq{i}")
        model.AddMultiplicationEquality(s, [n, n])
        sq.append(w[i] * s)
    model.Minimize(sum(sq))
    st2 = solver.Solve(model)
    squares_scaled = int(solver.ObjectiveValue())
    secs = time.perf_counter() - t0
    optimal = st1 == cp_model.OPTIMAL and st2 == cp_model.OPTIMAL
    return Fraction(spread_scaled, K), Fraction(squares_scaled, K), secs, optimal


def _ms(xs):
    return statistics.median(xs) * 1000, max(xs) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=240, help="total, split evenly over the two kinds")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--time-limit", type=float, default=60.0, help="CP-SAT seconds per phase")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT search workers")
    args = ap.parse_args(argv)

    from ortools import __version__ as ortools_version

    cal = seed_calendar()
    days = duty_days(cal, "holiday_block", date(2026, 1, 1), date(2026, 12, 31))
    rng = random.Random(args.seed)
    per_kind = args.instances // len(KINDS)
    rows = []
    for kind, share in KINDS:
        ours_t, cp_t, gaps, gaps_sq = [], [], [], []
        equal_spread = greedy_miss = greedy_miss_b = not_proven = away_total = 0
        for _ in range(per_kind):
            inst = make_instance(rng, days, share)
            away_total += sum(len(m.unavailable) for m in inst.members) / (len(inst.members) * len(days))
            t0 = time.perf_counter()
            plan = solve(inst)
            ours_t.append(time.perf_counter() - t0)
            o = plan.objective
            spread, squares, secs, optimal = cpsat(inst, args.time_limit, args.workers)
            cp_t.append(secs)
            not_proven += not optimal
            equal_spread += o.spread == spread
            T = sum(line.total for line in plan.loads)
            Q = sum(Fraction(str(m.quota)) for m in inst.members)
            dev_cp = squares - Fraction(T * T) / Q
            gaps.append(float((o.deviation - dev_cp) / dev_cp) if dev_cp else float(o.deviation != 0))
            gaps_sq.append(float((o.squares - squares) / squares))
            g = evaluate(inst, greedy(inst))
            greedy_miss += g.spread > spread
            greedy_miss_b += (g.spread, g.squares) > (spread, squares)
        m_ours, w_ours = _ms(ours_t)
        m_cp, w_cp = _ms(cp_t)
        rows.append(
            (kind, per_kind, away_total / per_kind, equal_spread, statistics.mean(gaps), max(gaps),
             statistics.mean(gaps_sq), m_ours, w_ours, m_cp, w_cp, greedy_miss, greedy_miss_b, not_proven)
        )  # fmt: skip

    print(f"Python {platform.python_version()} on {platform.machine()}, OR-Tools {ortools_version}, "
          f"{len(days)} duty days (2026, holiday_block), seed {args.seed}")  # fmt: skip
    head = (
        f"{'kind':8} {'n':>4} {'away':>5} {'spread=CP':>10} {'dev gap avg':>11} {'dev gap max':>11} "
        f"{'sq gap avg':>10} {'ours med ms':>11} {'ours max ms':>11} {'CP med ms':>9} {'CP max ms':>9} "
        f"{'greedy spread miss':>18} {'greedy (a,b) miss':>17} {'CP unproven':>11}"
    )
    print(head)
    for r in rows:
        kind, n, away, eq, gavg, gmax, sqavg, mo, wo, mc, wc, gm, gmb, unp = r
        print(
            f"{kind:8} {n:>4} {away:>5.1%} {f'{eq}/{n}':>10} {gavg:>11.2%} {gmax:>11.2%} {sqavg:>10.2%} "
            f"{mo:>11.1f} {wo:>11.1f} {mc:>9.1f} {wc:>9.1f} {f'{gm}/{n} ({gm / n:.0%})':>18} "
            f"{f'{gmb}/{n} ({gmb / n:.0%})':>17} {unp:>11}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
