"""Every change to data (DESIGN.md: desktop/ops, the only write path for the UI and the CLI).

An operation is ``op(store, …) -> Result(value, changes)``: permission at its entry, every rule
check and write in one transaction, the audit row, and the typed `Changes` it made (see
`desktop.ops.base`). The modules here are grouped by what they change; the repositories they
write through are in desktop.store, the rules they check are in desktop.core.

Callers write ``from desktop import ops`` and ``ops.absences.add_absence(store, …)``.
"""

from desktop.ops import absences, backups, calendar, duty, meetings, operators, org, people

__all__ = ["absences", "backups", "calendar", "duty", "meetings", "operators", "org", "people"]
