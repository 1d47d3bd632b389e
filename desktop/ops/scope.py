"""What the signed-in operator may see: a 单位录入员 sees only his own unit's heads (people whose
所在单位 is his unit), their absences with their chains and acting, and his unit's duty roster.

The writes are refused in the operations themselves (desktop.ops.base: `Tx.check_person`, and the
check at every audit row); these are the reads' filters, used by the GUI's pages and the CLI's
reads so what a 单位录入员 is shown is what he may file. Every other role sees everything.

`of(store)` reads the operator's `Scope` once (his unit and the ids of its people); each read cuts
what it is about to show with the one method for its kind of item (people, absences, the acting
report of a day, rule findings, AB pairs, duty plans and their conflicts, meetings), so a list
keeps its shape and only has fewer items. What concerns a person of the unit is shown whole (a
record's chain names the leaders who sign it; an acting entry names who acts): that is "his
unit's heads, their chains and acting".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from desktop.core.access import PermissionDenied
from desktop.core.people import Person
from desktop.ops.base import unit_scope
from desktop.store.db import Store

if TYPE_CHECKING:
    from desktop.core.absence import Absence
    from desktop.core.acting import ActingReport
    from desktop.core.checks import Finding
    from desktop.core.duty import Conflict, PlanInfo
    from desktop.core.meetings import MeetingView

P = TypeVar("P", bound=Person)
A = TypeVar("A", bound="Absence")

__all__ = ["Scope", "of", "unit_of", "visible", "visible_people"]


@dataclass(frozen=True)
class Scope:
    """The signed-in operator's view: ``unit`` None sees everything; else only the people
    ``person_ids`` (every person of that unit, deactivated ones included) and what concerns them."""

    unit: str | None
    person_ids: frozenset[int] = frozenset()

    @property
    def everything(self) -> bool:
        return self.unit is None

    def sees(self, person_id: int | None) -> bool:
        return self.unit is None or (person_id is not None and person_id in self.person_ids)

    def sees_any(self, person_ids: Iterable[int | None]) -> bool:
        return self.unit is None or any(self.sees(i) for i in person_ids)

    # ---------------------------------------------------------------- one cut per kind of item

    def people(self, people: Iterable[P]) -> list[P]:
        return [p for p in people if self.sees(p.id)]

    def absences(self, records: Iterable[A]) -> list[A]:
        """The records of the unit's people (their chains come with them)."""
        return [r for r in records if self.sees(r.person_id)]

    def acting(self, report: ActingReport) -> ActingReport:
        """The day's report cut to the unit's people: who of them is away, who acts for them, the gaps
        and warnings that name one of them."""
        if self.unit is None:
            return report
        ids = self.person_ids
        return dataclasses.replace(
            report,
            away=tuple(e for e in report.away if e.person.id in ids),
            acting=tuple(e for e in report.acting if e.absent_person.id in ids),
            gaps=tuple(g for g in report.gaps if g.absent_ids & ids),
            warnings=tuple(w for w in report.warnings if set(w.person_ids) & ids),
        )

    def findings(self, findings: Iterable[Finding]) -> list[Finding]:
        """The rule findings about one of the unit's people (his record late, overlapping, not returned…)."""
        return [f for f in findings if self.sees_any((f.person_id, *f.person_ids))]

    def ab_pairs(self, pairs: Iterable[tuple[Person, Person]]) -> list[tuple[Person, Person]]:
        """The AB pairs with one of the unit's people in them."""
        return [(a, b) for a, b in pairs if self.sees_any((a.id, b.id))]

    def duty_plans(self, store: Store, plans: Sequence[PlanInfo]) -> list[PlanInfo]:
        """The duty plans (the government's 带班/值班 rotation) that put one of the unit's people on duty."""
        if self.unit is None:
            return list(plans)
        from desktop.store import duty

        return [p for p in plans if self.sees_any(r.person_id for r in duty.load_plan(store, p.id).rows)]

    def conflicts(self, conflicts: Iterable[Conflict]) -> list[Conflict]:
        return [c for c in conflicts if self.sees(c.person_id)]

    def sees_meeting(self, view: MeetingView) -> bool:
        """A meeting one of the unit's people is a member of, attends (列席), convenes or asked leave from."""
        m = view.meeting
        return self.sees_any((m.convener_id, *m.member_ids, *m.attendee_ids, *(lv.person_id for lv in view.leaves)))

    def meetings(self, views: Iterable[MeetingView]) -> list[MeetingView]:
        """The meetings the unit's people take part in, each cut by `meeting`."""
        return [self.meeting(v) for v in views if self.sees_meeting(v)]

    def meeting(self, view: MeetingView) -> MeetingView:
        """One meeting as the operator is shown it: the unit's people among the members and those attending,
        their leave requests, their 可能请假 and their rows of the quorum. What belongs to the meeting
        itself stays (time, place, convener, topics, the counts 应到/实到/须到 and 能否召开, the deadlines):
        it is what the notice sent to every participant says. Refused (Chinese) for a meeting none of
        the unit's people takes part in."""
        if self.unit is None:
            return view
        if not self.sees_meeting(view):
            raise PermissionDenied(f"会议 #{view.meeting.id} 没有本单位({self.unit})人员参加:单位录入员只能查看本单位"
                                   "负责同志参加的会议。请向政府办公室了解这次会议。")
        m, ids = view.meeting, self.person_ids
        meeting = dataclasses.replace(m, member_ids=tuple(i for i in m.member_ids if i in ids),
                                      attendee_ids=tuple(i for i in m.attendee_ids if i in ids))
        quorum = dataclasses.replace(view.quorum, rows=tuple(r for r in view.quorum.rows if r.person.id in ids))
        return dataclasses.replace(view, meeting=meeting, leaves=[lv for lv in view.leaves if lv.person_id in ids],
                                   likely=[(pid, a) for pid, a in view.likely if pid in ids], quorum=quorum)

    def refuse(self, what: str, instead: str = "") -> None:
        """Refuse a read that shows the whole government (a printout, a rotation's candidates) to a
        单位录入员, in Chinese, saying who does it and what he may use instead; nothing is written."""
        if self.unit is not None:
            raise PermissionDenied(f"单位录入员({self.unit})不能{what},请由政府办公室办理。{instead}")


def of(store: Store) -> Scope:
    """The signed-in operator's scope, read afresh (a role changed on another seat counts)."""
    unit = unit_scope(store)
    if unit is None:
        return Scope(None)
    from desktop.store import people  # here: the window's first paint does not wait for it

    return Scope(unit, frozenset(p.id for p in people.list_people(store) if p.unit == unit))


def unit_of(store: Store) -> str | None:
    """The one unit the signed-in operator sees; None: every unit."""
    return unit_scope(store)


def visible(person: Person, unit: str | None) -> bool:
    return unit is None or person.unit == unit


def visible_people(store: Store, people: Iterable[P], unit: str | None = ...) -> list[P]:  # type: ignore[assignment]
    """`people` the operator may see (``unit``: `unit_of`, when the caller has it already)."""
    unit = unit_of(store) if unit is ... else unit
    return [p for p in people if visible(p, unit)]
