"""Changing a plan by hand: 调班 (`swap`), the candidates for a day (`replace`), 临时替换 (`reassign`).

Each works on a `DutyPlan` (a solved plan, or a stored one explained by `explain`) and returns the
new plan with the changed days fixed, so every replan keeps them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from desktop.core.cndate import cn_date, cn_month_day
from desktop.core.duty.days import HEAVY_LABELS
from desktop.core.duty.explain import explain, num
from desktop.core.duty.model import ONE_DAY, REPLACE, SWAP, Candidate, DutyInstance, DutyPlan, Pin
from desktop.core.errors import UserError

__all__ = ["can_take", "pick", "reassign", "replace", "swap"]


def pick(plan: DutyPlan, d: date, person_id: int | None) -> int:
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


def can_take(inst: DutyInstance, pid: int, d: date, on_day: Iterable[int]) -> str | None:
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
    pa, pb = pick(plan, a_date, a_person), pick(plan, b_date, b_person)
    if pa == pb:
        raise UserError(f"{cn_date(a_date)}和{cn_date(b_date)}都是{inst.name_of(pa)},无需调班。")
    current = plan.mapping()
    for pid, d in ((pa, b_date), (pb, a_date)):
        why = can_take(inst, pid, d, current[d])
        if why:
            raise UserError(why + "请另选调班日期。")
    na, nb = inst.name_of(pa), inst.name_of(pb)
    pins = [p for p in inst.pins if (p.date, p.person_id) not in ((a_date, pa), (b_date, pb))]
    pins.append(Pin(a_date, pb, SWAP, f"与{na}互换(原定{cn_month_day(b_date)})"))
    pins.append(Pin(b_date, pa, SWAP, f"与{nb}互换(原定{cn_month_day(a_date)})"))
    new_inst = dataclasses.replace(inst, pins=tuple(pins))
    mapping = {d: list(v) for d, v in current.items()}
    mapping[a_date][mapping[a_date].index(pa)] = pb
    mapping[b_date][mapping[b_date].index(pb)] = pa
    return explain(new_inst, {d: tuple(v) for d, v in mapping.items()})


def replace(plan: DutyPlan, day: date, reason: str = "", person_id: int | None = None) -> list[Candidate]:
    """Who could take ``day`` instead of its person (who became unavailable), best first.

    Order: available first; then the lowest load after taking the day (count + 1) / quota; then
    not on duty the day before or after; then the least heavy-day history (on a heavy day);
    then the pool's order (rank). ``reason`` is shown in the candidates' reasons.
    """
    inst = plan.instance
    gone = pick(plan, day, person_id)
    current = plan.mapping()
    by_id = {line.person_id: line for line in plan.loads}
    heavy = next((d.heavy for d in inst.days if d.date == day), None)
    neighbours = set(current.get(day - ONE_DAY, ())) | set(current.get(day + ONE_DAY, ()))
    out: list[Candidate] = []
    for m in inst.members:
        if m.person_id == gone:
            continue
        line = by_id[m.person_id]
        why = can_take(inst, m.person_id, day, current[day])
        available = why is None
        load_after = Fraction(line.total + 1) / line.quota
        adjacent = m.person_id in neighbours
        reasons: list[str] = []
        if reason:
            reasons.append(f"原定{inst.name_of(gone)}:{reason}")
        reasons.append("可以安排" if available else (why or ""))
        reasons.append(f"今年已{inst.verb}{line.total}天,按份额目标{num(line.target)}天")
        reasons.append("前后一天已安排" if adjacent else "前后一天未安排")
        if heavy:
            reasons.append(f"重点日({HEAVY_LABELS[heavy]}):往年重点日{num(m.heavy_history)}")
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
    gone = pick(plan, day, replaced)
    current = plan.mapping()
    why = can_take(inst, person_id, day, current[day])
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
    return explain(new_inst, {d: tuple(v) for d, v in mapping.items()})
