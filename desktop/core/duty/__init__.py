"""The holiday duty subsystem: which days need duty, and the rotation (节假日领导带班 / 值班): fair, exact and explained (DESIGN.md "Holiday duty").

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
    (b') then give the chief (主要负责人, in the pool only with a ``chief_share`` > 0) the fewest
        days: the chief takes a day only where (a) and (b) — his or her share — call for it, never
        by a tie with deputies who have fewer days than their shares;
    (c) then the heavy days (除夕, 春节初一, 国庆10月1日, weights ``w_d`` from the profile),
        ``H_p`` being the person's weighted heavy-day load of previous years:
        (c1) minimise ``sum_p k_p * (k_p - 1) / 2``, ``k_p`` the person's heavy days in this plan
             (nobody gets a second heavy day while someone else could take it), then
        (c2) minimise ``sum over heavy days d given to p of (H_p + w_d)**2 - H_p**2``: heavy days go
             to the least history, the heaviest day to the very least. When nobody has two heavy
             days this is ``sum_p (H_p + h_p)**2`` up to a constant. H and w are taken to 0.01;
    (d) then minimise the number of times one person is on two calendar-consecutive duty days.

Method (pure Python, see `problem`; the flow algorithms are in `flow`):
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

The modules, by what they do:
    days      which days need duty under the profile (`duty_days`), plan scopes, heavy days
    model     the instance (`build_instance`, `Member`, `Pin`) and the plan (`DutyPlan`, `Assignment`)
    flow      the max-flow and min-cost-flow algorithms
    problem   the instance indexed and optimised level by level (internal to the package)
    solve     `solve`, `replan`, `evaluate`
    explain   `explain`: the reasons and loads of a given assignment
    edit      `swap`, `replace` (candidates), `reassign`
    stored    a plan as the database keeps it (`PlanInfo`, `DutyRow`, `StoredPlan`) and the pure pieces
              of changing it: the working plan of stored rows, stand-ins, the rows to store, the pins a
              re-plan keeps, who may be put on a day, conflicts, prior and heavy-history loads

Pure Python: no Qt, no SQLite. Callers import from this package (``from desktop.core import duty``
or ``from desktop.core.duty import …``); the modules' other names are internal.
"""

from __future__ import annotations

from desktop.core.duty.days import (
    HEAVY_KINDS,
    HEAVY_LABELS,
    READINGS,
    DutyDay,
    HolidayBlock,
    PlanScope,
    duty_days,
    heavy_kind,
    heavy_weight,
    holiday_blocks,
    holiday_scope,
    lunar_new_year,
    month_scope,
    new_years_eve,
    statutory_dates,
    week_scope,
    year_scope,
)
from desktop.core.duty.edit import reassign, replace, swap
from desktop.core.duty.explain import explain
from desktop.core.duty.flow import MaxFlow, MinCostFlow
from desktop.core.duty.model import (
    LEADER,
    OFFICER,
    PIN,
    REPLACE,
    SWAP,
    Assignment,
    Candidate,
    DutyInstance,
    DutyPlan,
    LoadLine,
    Member,
    Objective,
    Pin,
    build_instance,
)
from desktop.core.duty.solve import evaluate, replan, solve
from desktop.core.duty.stored import (
    DUTY_RULE_TEXT,
    FIXED_LABELS,
    SLOT_LABELS,
    Conflict,
    DutyFacts,
    DutyRow,
    NewRow,
    PlanInfo,
    SavedPlan,
    StoredPlan,
    YearLoad,
    check_pinnable,
    check_present,
    conflicts,
    heavy_history,
    instance_for,
    kept_pins,
    mapping_snapshot,
    no_duty_days,
    rows_snapshot,
    rows_to_store,
    rule_text,
    shift,
    verb,
    working,
    year_loads,
)

__all__ = [
    "DUTY_RULE_TEXT",
    "FIXED_LABELS",
    "HEAVY_KINDS",
    "HEAVY_LABELS",
    "LEADER",
    "OFFICER",
    "PIN",
    "READINGS",
    "REPLACE",
    "SLOT_LABELS",
    "SWAP",
    "Assignment",
    "Candidate",
    "Conflict",
    "DutyDay",
    "DutyFacts",
    "DutyInstance",
    "DutyPlan",
    "DutyRow",
    "HolidayBlock",
    "LoadLine",
    "MaxFlow",
    "Member",
    "MinCostFlow",
    "NewRow",
    "Objective",
    "Pin",
    "PlanInfo",
    "PlanScope",
    "SavedPlan",
    "StoredPlan",
    "YearLoad",
    "build_instance",
    "check_pinnable",
    "check_present",
    "conflicts",
    "duty_days",
    "evaluate",
    "explain",
    "heavy_history",
    "heavy_kind",
    "heavy_weight",
    "holiday_blocks",
    "holiday_scope",
    "instance_for",
    "kept_pins",
    "lunar_new_year",
    "mapping_snapshot",
    "month_scope",
    "new_years_eve",
    "no_duty_days",
    "reassign",
    "replace",
    "replan",
    "rows_snapshot",
    "rows_to_store",
    "rule_text",
    "shift",
    "solve",
    "statutory_dates",
    "swap",
    "verb",
    "week_scope",
    "working",
    "year_loads",
    "year_scope",
]
