"""The travel printouts' loaders, Qt-free: the weekly board (一周领导在岗情况表), the approval form
(外出报备审批表 / 请假审批单) and the 通报 text, loaded from the store and built with
desktop.export.absence_html / notify.

The GUI's print previews (desktop.ui.printing) and the export (desktop.export.exporter) share them,
so the file is what the preview shows; laying the HTML out on paper or in a PDF is Qt's, in
desktop/ui/printing.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from desktop.core import chain as ch
from desktop.core.absence import Absence, AbsenceState, effective_end
from desktop.core.acting import ActingContext, ActingReport, record_acting
from desktop.core.board import WeekBoard, build_board, week_start
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.core.workcal import WorkCalendar
from desktop.export import absence_html, notify
from desktop.store import absences as absence_store
from desktop.store import people as people_store
from desktop.store.calcache import calendar_for
from desktop.store.calendar import LAST_SUPPORTED_YEAR
from desktop.store.db import Store

__all__ = ["approval_form_for", "load_week_board", "notification_for", "weekly_html_for"]

def _calendar(store: Store, through: int) -> WorkCalendar | None:
    try:
        return calendar_for(store, min(through, LAST_SUPPORTED_YEAR))
    except UserError:
        return None  # no calendar data: the board prints without 休/班 marks


def load_week_board(store: Store, profile: Profile, day: date) -> WeekBoard:
    """The board of the week holding ``day``: one range query, one acting context."""
    monday = week_start(day)
    sunday = monday + timedelta(days=6)
    roster = absence_store.roster(store, monday, sunday)
    return build_board(monday, profile, roster.people, roster.absences, ab_pairs=roster.ab_pairs,
                       designations=roster.designations, overrides=roster.overrides,
                       calendar=_calendar(store, sunday.year))  # fmt: skip


def weekly_html_for(store: Store, profile: Profile, org_name: str, day: date,
                    fonts: absence_html.PrintFonts | None = None) -> tuple[WeekBoard, str]:  # fmt: skip
    board = load_week_board(store, profile, day)
    html = absence_html.weekly_board_html(board, profile, org_name, printed_on=store.clock.today(), fonts=fonts)
    return board, html


def _record_reports(store: Store, profile: Profile, record: Absence) -> list[ActingReport]:
    """Who acts on each day of the record. A record that does not count as away yet (a draft)
    is taken as reported, so the form shows the planned acting."""
    roster = absence_store.roster(store, record.start, effective_end(record)[0])
    ctx = ActingContext(profile, roster.people, roster.ab_pairs, roster.designations, roster.overrides)
    return record_acting(ctx, roster.absences, record)


def _steps(store: Store, profile: Profile, record: Absence, person: Person) -> list[ch.ResolvedStep]:
    from desktop.ops.absences import (
        steps_today,  # the steps as they stand today (who acts for an away approver)
    )

    steps = steps_today(store, profile, record.id, record) if record.id is not None else []
    if steps or record.state is not AbsenceState.draft:
        return steps
    # A draft has no stored steps yet: print the chain it will have.
    on = (record.reported_at or store.clock.now()).date()
    try:
        return ch.resolve_chain(profile, person, record, absence_store.directory(store, profile, on), on=on)
    except UserError:
        return []


def approval_form_for(store: Store, profile: Profile, org_name: str, absence_id: int,
                      fonts: absence_html.PrintFonts | None = None) -> tuple[Absence, str]:  # fmt: skip
    """The record and its approval form's HTML."""
    record = absence_store.get_absence(store, absence_id)
    person = people_store.get_person(store, record.person_id)
    steps = _steps(store, profile, record, person)
    reports = _record_reports(store, profile, record)
    names = notify.acting_summary(profile, person, reports)
    html = absence_html.approval_form_html(record, person, steps, profile, org_name, names,
                                           printed_on=store.clock.today(), fonts=fonts)  # fmt: skip
    return record, html


def notification_for(store: Store, profile: Profile, org_name: str, absence_id: int) -> tuple[Absence, str]:
    """The record and its 通报 text, dated by the store's clock."""
    record = absence_store.get_absence(store, absence_id)
    person = people_store.get_person(store, record.person_id)
    steps = _steps(store, profile, record, person)
    reports = _record_reports(store, profile, record)
    text = notify.notification_text(record, person, profile, reports, steps=steps, org_name=org_name,
                                    on=store.clock.today())  # fmt: skip
    return record, text
