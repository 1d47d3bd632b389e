"""Solving: the fair plan of an instance, a replan keeping the pins, the objective of any assignment."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from desktop.core.duty.explain import finish
from desktop.core.duty.model import DutyInstance, DutyPlan, Objective
from desktop.core.duty.problem import Problem, free_part

__all__ = ["evaluate", "replan", "solve"]


def solve(instance: DutyInstance) -> DutyPlan:
    """The fair plan of the instance (see the module docstring for the order of fairness).

    Raises UserError (Chinese, naming the day) when a day cannot be filled, a pin conflicts with
    an absence, or a day has more pins than places.
    """
    prob = Problem(instance)
    assign = prob.optimise()
    return finish(prob, assign)


def replan(instance: DutyInstance, keep_pins: bool = True, release: Iterable[date] = ()) -> DutyPlan:
    """Plan again (after absences or people changed): pins, swaps and replacements are kept,
    except on the ``release``d dates, or all of them with ``keep_pins=False``."""
    released = set(release)
    pins = tuple(p for p in instance.pins if keep_pins and p.date not in released)
    return solve(dataclasses.replace(instance, pins=pins))


def evaluate(instance: DutyInstance, assignment: Mapping[date, Sequence[int]]) -> Objective:
    """The objective of any complete assignment (date -> person ids, pins included), e.g. one
    found by another solver. Hard rules are checked: UserError if one is broken."""
    prob = Problem(instance)
    return prob.objective(free_part(prob, assignment))
