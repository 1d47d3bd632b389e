"""What the signed-in operator may see: a 单位录入员 sees only his own unit's heads (people whose
所在单位 is his unit), their absences with their chains and acting, and his unit's duty roster.

The writes are refused in the operations themselves (desktop.ops.base: `Tx.check_person`, and the
check at every audit row); these are the reads' filters, used by the GUI's pages and the CLI's lists
so what a 单位录入员 is shown is what he may file. Every other role sees everything (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from desktop.core.people import Person
from desktop.ops.base import unit_scope
from desktop.store.db import Store

P = TypeVar("P", bound=Person)

__all__ = ["unit_of", "visible", "visible_people"]


def unit_of(store: Store) -> str | None:
    """The one unit the signed-in operator sees; None: every unit."""
    return unit_scope(store)


def visible(person: Person, unit: str | None) -> bool:
    return unit is None or person.unit == unit


def visible_people(store: Store, people: Iterable[P], unit: str | None = ...) -> list[P]:  # type: ignore[assignment]
    """`people` the operator may see (``unit``: `unit_of`, when the caller has it already)."""
    unit = unit_of(store) if unit is ... else unit
    return [p for p in people if visible(p, unit)]
