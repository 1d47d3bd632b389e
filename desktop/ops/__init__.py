"""Every change to data (DESIGN.md: desktop/ops, the only write path for the UI and the CLI).

An operation is ``op(store, …) -> Result(value, changes)``: permission at its entry, every rule
check and write in one transaction, the audit row, and the typed `Changes` it made (see
`desktop.ops.base`). The modules here are grouped by what they change; the repositories they
write through are in desktop.store, the rules they check are in desktop.core.

Callers write ``from desktop import ops`` and ``ops.absences.add_absence(store, …)``; a module of
this package is imported when it is first named (a module ``__getattr__``), so a command that
records a trip does not import the duty solver.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.ops import (
        absences,
        backups,
        calendar,
        demo,
        dept_rosters,
        duty,
        meetings,
        operators,
        org,
        people,
        profile,
        roster_import,
        scope,
        server,
        undo,
    )

__all__ = ["absences", "backups", "calendar", "demo", "dept_rosters", "duty", "meetings", "operators", "org", "people",
           "profile", "roster_import", "scope", "server", "undo"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f"desktop.ops.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
