"""主要负责人参加节假日带班 only where the profile's ``chief_share`` says so (000 art.81 读作“市政府领导
轮流在岗带班”, chief_share = 1): among plans equally fair by the spread (a) and the squares (b), the one
giving the chief (市长) fewest days wins, and the explanation says why (desktop/core/duty)."""

from __future__ import annotations

from datetime import date

from desktop.core.calseed import seed_calendar
from desktop.core.duty import build_instance, duty_days, holiday_scope, solve
from desktop.core.people import Person
from desktop.core.profile import DutyDays, DutyRule, HeavyDays
from desktop.core.roles import Role

CAL = seed_calendar()
POOL = (Role.executive_deputy, Role.deputy, Role.secretary_general)


def _people(deputies: int) -> list[Person]:
    out = [Person(1, "王市长", Role.chief, "市长", 1), Person(2, "李常务", Role.executive_deputy, "常务副市长", 2)]
    out += [Person(3 + i, f"副市长{i + 1}", Role.deputy, "副市长", 3 + i) for i in range(deputies)]
    return out


def _rule(share: float) -> DutyRule:
    return DutyRule(DutyDays.holiday_block, POOL, share, 1, ("全天",), "000 art.81", HeavyDays(eve=3, spring_day1=3))


def _plan(share: float, deputies: int, prior: dict[int, int] | None = None):
    scope = holiday_scope(CAL, 2026, "劳动节")  # 5 days, 2026-05-01..05
    rule = _rule(share)
    days = duty_days(CAL, rule, scope.start, scope.end)
    return solve(build_instance(days, _people(deputies), rule, prior=prior or {}))


def test_a_full_share_chief_takes_no_day_while_deputies_have_none():
    # 7 leaders (市长 + 常务 + 5 副市长), 5 days, nobody has served this year: five days go to five
    # deputies; a tie never lands on the 市长.
    plan = _plan(1.0, 5)
    names = [a.name for a in plan.assignments]
    assert len(names) == 5 and "王市长" not in names
    assert plan.objective.chief_days == 0
    # the explanation names the chief who was passed over and the rule
    assert any("主要负责人王市长当天也可带班(份额1),按规则同等情况下先安排其他领导" in r
               for a in plan.assignments for r in a.reasons)


def test_the_chief_takes_his_share_once_the_others_have_theirs():
    # Every other leader has served one day this year: the spread rule now calls for the 市长.
    prior = {pid: 1 for pid in range(2, 9)}
    plan = _plan(1.0, 6, prior)
    chief = [a for a in plan.assignments if a.name == "王市长"]
    assert len(chief) == 1
    assert any(r.startswith("主要负责人按份额1参加轮值") for r in chief[0].reasons)


def test_chief_share_zero_keeps_the_chief_out():
    plan = _plan(0.0, 2)  # 3 leaders for 5 days: the 市长 still takes none
    assert "王市长" not in {a.name for a in plan.assignments}
    assert all(line.name != "王市长" for line in plan.loads)


def test_the_tie_break_is_not_the_id_order():
    # The 市长 has the lowest id (rank 1): without level (b') the solver's tie-break gave him a day.
    plan = _plan(1.0, 5)
    assert date(2026, 5, 1) in {a.date for a in plan.assignments}
    assert [line.count for line in plan.loads if line.name == "王市长"] == [0]
