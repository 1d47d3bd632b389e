"""The holiday duty roster (节假日领导带班及值班安排表) as plain data, Qt-free: `RosterDoc` (everything its
printout, Excel table and Word notice need, loaded once) and `write_roster` (the file by its suffix).

A document is built from stored assignments (`stored_rows`, `load_roster_doc`) or from the
solver's plans and the people's phones (`roster_doc`): the tests and the command line build it
without a window. The PDF is laid out by Qt (desktop.ui.printing.render_pdf_job), handed in as
``pdf`` (desktop.export.pdf); the print preview is desktop/ui/duty_print.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.core.duty import LEADER, OFFICER, DutyPlan
from desktop.core.errors import UserError
from desktop.core.profile import Profile
from desktop.export import duty_docx, duty_roster, duty_xlsx
from desktop.export.absence_html import PrintFonts, government_name
from desktop.export.duty_roster import RosterRow
from desktop.export.marking import mark_html
from desktop.export.pdf import PdfJob, PdfRenderer

__all__ = ["RosterDoc", "load_roster_doc", "roster_calendar", "roster_doc", "roster_pdf_job", "stored_rows",
           "write_roster"]


@dataclass(frozen=True)
class RosterDoc:
    """Everything the roster's printout and exports need, loaded once."""

    rows: tuple[RosterRow, ...]
    label: str  # the plan scope's label: 2026年国庆节, 2026年
    profile: Profile
    org_name: str  # the office that makes the table / issues the notice
    printed_on: date  # the store clock's today
    notes: tuple[str, ...] = ()  # the user's lines (值班电话 …): on the roster and in the notice
    mark: str = ""  # the confidentiality mark (内部资料 注意保存) or "" (desktop.export.marking)

    @property
    def roster_notes(self) -> list[str]:
        """Under the roster: the user's lines, then the 说明 and the rule it follows."""
        return [*self.notes, *duty_roster.default_notes(self.profile)]

    @property
    def with_officers(self) -> bool:
        return any(r.officers for r in self.rows)

    @property
    def title(self) -> str:
        """2026年国庆节期间领导带班及值班安排表"""
        return duty_roster.roster_title(self.label, officers=self.with_officers)

    @property
    def year(self) -> int:
        year, _rest = duty_roster.split_label(self.label)
        if year is not None:
            return year
        return self.rows[0].date.year if self.rows else self.printed_on.year

    @property
    def holiday(self) -> str:
        """The label without its year, for the notice: 国庆节; "" for a year, 10月 for a month."""
        return duty_roster.split_label(self.label)[1]

    @property
    def unit(self) -> str:
        """Whose leaders are on duty: 攀枝花市人民政府."""
        return government_name(self.profile, self.org_name)

    @property
    def one_page(self) -> bool:
        return duty_roster.fits_one_page(self.rows)

    def html(self, fonts: PrintFonts | None = None, page_breaks: Sequence[int] = ()) -> str:
        return mark_html(duty_roster.roster_html(self.rows, self.profile, self.org_name or self.profile.office,
                                                 self.title, printed_on=self.printed_on, fonts=fonts,
                                                 notes=self.roster_notes, page_breaks=page_breaks), self.mark)

    @property
    def file_stem(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# From the store's plan to plain data
# --------------------------------------------------------------------------------------------


def roster_doc(
    leader: DutyPlan | None,
    officer: DutyPlan | None,
    label: str,
    phones: Mapping[int, str],
    profile: Profile,
    org_name: str,
    printed_on: date,
    notes: Iterable[str] = (),
) -> RosterDoc:
    """The roster of the plans (either may be None); ``notes`` are the user's extra lines."""
    main = leader or officer
    if main is None:
        raise UserError("这份值班安排是空的:请在“值班”页生成带班或值班安排后再打印。")
    rows = duty_roster.roster_rows(main, phones, officers=officer if leader is not None else None,
                                   shifts=profile.duty.shifts)  # fmt: skip
    label = label or duty_roster.scope_label_of(rows)
    return RosterDoc(tuple(rows), label, profile, org_name, printed_on, tuple(n for n in notes if n.strip()))


def stored_rows(duty_store: Any, store: Any, loaded: Any, shifts: Sequence[str] = ()) -> tuple[list[RosterRow], str]:
    """The roster rows and label of a stored plan (``desktop.store.duty.StoredPlan``: ``info`` and
    ``rows``; ``duty_store`` is that module, imported lazily). A stored plan holds one slot: the
    other slot's assignments on the plan's days (``rows_between``, from whichever plan holds
    them) fill the other columns, so a leader plan prints with its officers and an officer plan
    with its leaders."""
    info, own = loaded.info, list(loaded.rows)
    dates = sorted({r.date for r in own})
    other_slot = OFFICER if info.slot == LEADER else LEADER
    other: list[Any] = []
    if dates:
        wanted = set(dates)
        other = [r for r in duty_store.rows_between(store, dates[0], dates[-1], other_slot) if r.date in wanted]
    leaders, officers = (own, other) if info.slot == LEADER else (other, own)
    return duty_roster.rows_from_assignments(leaders, officers, days=dates, shifts=shifts), info.label


def roster_calendar(store: Any, rows: Sequence[RosterRow]) -> Any:
    """The working calendar through the rows' last year, to mark their make-up workdays
    (duty_roster.with_makeup); None when there are no rows or no calendar data for those years."""
    from desktop.core.workcal import CalendarGapError
    from desktop.store.calcache import calendar_for

    if not rows:
        return None
    try:
        return calendar_for(store, max(r.date.year for r in rows))
    except (CalendarGapError, ValueError):
        return None


def load_roster_doc(store: Any, profile: Profile, org_name: str, plan_id: int) -> RosterDoc:
    """The stored plan's roster (and the other slot's assignments on its days), dated by the store's
    clock, marked as the profile's ``[export]`` says; UserError (Chinese) when there is no such plan."""
    from desktop.store import duty as duty_store  # when it is needed: the 值班 page opens without it

    rows, label = stored_rows(duty_store, store, duty_store.load_plan(store, plan_id), profile.duty.shifts)
    rows = duty_roster.with_makeup(rows, roster_calendar(store, rows))
    return RosterDoc(tuple(rows), label or duty_roster.scope_label_of(rows), profile, org_name,
                     store.clock.today(), mark=profile.export.mark)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def roster_pdf_job(doc: RosterDoc) -> PdfJob:
    """The roster's printout on A4 portrait: a holiday block kept on one page; a longer roster (a whole
    year) cut into pages between days, the table's header repeated on each."""
    return PdfJob(doc.html, landscape=False, doc_name=doc.title, fit_one_page=doc.one_page,
                  table_rows=0 if doc.one_page else len(doc.rows))  # fmt: skip


def write_roster(doc: RosterDoc, path: Path | str, pdf: PdfRenderer | None = None) -> Path:
    """Write the roster as .xlsx, the notice as .docx, or the printout as .pdf (by the suffix; the PDF
    laid out by ``pdf``, required for it)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return duty_xlsx.write_roster(doc.rows, target, title=doc.title, org_name=doc.org_name or doc.profile.office,
                                      notes=doc.roster_notes, unit=doc.unit, printed_on=doc.printed_on,
                                      mark=doc.mark)  # fmt: skip
    if suffix == ".docx":
        return duty_docx.write_notice(doc.rows, target, profile=doc.profile, org_name=doc.org_name,
                                      holiday_label=doc.holiday, year=doc.year, notes=doc.notes,
                                      issued_on=doc.printed_on, mark=doc.mark)  # fmt: skip
    if suffix == ".pdf":
        if pdf is None:
            raise ValueError("write_roster(..., '.pdf') needs pdf=, the PDF renderer (desktop.ui.printing.render_pdf_job)")
        return pdf(roster_pdf_job(doc), target)
    raise UserError(f"无法导出为“{target.suffix or target.name}”:请选择 .xlsx、.docx 或 .pdf。")
