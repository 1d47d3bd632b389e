"""Explaining a plan: why each person got each day (Chinese, for the UI), and each member's load.

`explain(instance, mapping)` is the plan of a given complete assignment (date -> person ids):
what the store needs to show a stored plan with today's people, absences and loads, and what the
edits (`swap`, `reassign`) return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

from desktop.core.duty.days import HEAVY_LABELS
from desktop.core.duty.model import ONE_DAY, PIN, SWAP, Assignment, DutyInstance, DutyPlan, LoadLine
from desktop.core.duty.problem import Problem, free_part

__all__ = ["explain", "finish", "num"]


def explain(instance: DutyInstance, mapping: Mapping[date, Sequence[int]]) -> DutyPlan:
    """The plan of a complete assignment (date -> person ids, pins included): reasons and loads.
    Hard rules are checked: UserError (Chinese) if one is broken."""
    prob = Problem(instance)
    return finish(prob, free_part(prob, mapping))


def num(x: Fraction | float) -> str:
    """2, 2.5, 2.7 (one decimal at most)."""
    text = f"{float(x):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _chief_reasons(prob: Problem, mi: int, others: Sequence[int],
                   loads: Sequence[Fraction], verb: str) -> list[str]:
    """Why the chief (主要负责人) is on this day, or why a deputy is rather than the chief (level (b'))."""
    m = prob.members[mi]
    if m.chief:
        if not others:
            return []
        return [f"主要负责人按份额{num(prob.q[mi])}参加轮值:当天其他可{verb}的领导按份额计已{verb}"
                "不少于他,同等情况下才安排主要负责人"]
    chiefs = [mj for mj in others if prob.members[mj].chief]
    if chiefs and all(loads[mj] + Fraction(1) / prob.q[mj] <= loads[mi] for mj in chiefs):
        c = prob.members[chiefs[0]]
        return [f"主要负责人{c.name}当天也可{verb}(份额{num(prob.q[chiefs[0]])}),按规则同等情况下先安排其他领导"]
    return []


def finish(prob: Problem, assign: Sequence[Sequence[int]]) -> DutyPlan:
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
        on_prev = prob.people_on(assign, prob.day_index[d - ONE_DAY]) if (d - ONE_DAY) in prob.day_index else set()
        on_next = prob.people_on(assign, prob.day_index[d + ONE_DAY]) if (d + ONE_DAY) in prob.day_index else set()
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
                        f"负荷最低(除本日外今年{verb}{counts[mi] - 1}天,按份额目标{num(target[mi])}天)"
                    )
                else:
                    reasons.append(
                        f"按全年均衡安排(今年共{verb}{counts[mi]}天,按份额目标{num(target[mi])}天)"
                    )
                reasons += _chief_reasons(prob, mi, others, loads, verb)
                if day.heavy is not None:
                    label = HEAVY_LABELS[day.heavy]
                    h = prob.members[mi].heavy_history
                    lower = [mj for mj in others if prob.members[mj].heavy_history < h]
                    if not lower:
                        reasons.append(f"重点日({label}):往年重点日最少({num(h)})")
                    elif all(heavy_days_taken.get(mj) for mj in lower):
                        names = "、".join(prob.members[mj].name for mj in lower)
                        reasons.append(
                            f"重点日({label}):往年重点日{num(h)},更少的{names}已安排本次其他重点日"
                        )
                    else:
                        names = "、".join(prob.members[mj].name for mj in lower)
                        reasons.append(
                            f"重点日({label}):往年重点日{num(h)}(往年更少的{names}因全年均衡"
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
            f"{m.name}:今年{verb}{counts[mi]}天({','.join(parts)}),份额{num(prob.q[mi])},"
            f"目标{num(target[mi])}天;本次重点日:{heavy};往年重点日{num(m.heavy_history)}"
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
