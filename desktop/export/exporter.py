"""The one export path: what (weekly / duty / absences) × format (xlsx / pdf / ics / csv / docx).

``export(store, profile, what, fmt, path, ...)`` loads the data from the store, builds the file
with the builders of this package and writes it atomically; the command line
(``dutydesk export``) calls it, and so will the GUI. It returns an `ExportResult` (the path
written, the number of rows or events, whether a provisional calendar was used).

=========  ====================================================================  ===================
what       data                                                                  formats
=========  ====================================================================  ===================
weekly     一周领导在岗情况表 of the week holding ``week`` (default: the store       xlsx, pdf, csv
           clock's today), as printed (desktop.export.absence_loaders)
duty       the duty roster between ``start`` and ``end`` (default: this year),      xlsx, pdf, docx,
           both slots, from every stored plan (desktop.store.duty.rows_between);   csv, ics
           xlsx / docx / pdf through desktop.export.roster_doc.write_roster
absences   the records touching [start, end] (default: this year), with who acts   xlsx, pdf, docx,
           (xlsx / csv / ics by date; the pdf / docx register by rank, for the       csv, ics
           files: desktop.export.absence_register)
=========  ====================================================================  ===================

A format that does not fit (a weekly board as a calendar, the absence list as a Word notice)
is refused with a Chinese message listing those that do. Every file is written to a temporary
file in the target folder and moved into place (os.replace): a target that is open in Excel or
cannot be written raises UserError and leaves nothing half-written.

PDFs are laid out by Qt, which this package does not import: the caller hands in the renderer
(``pdf``, a desktop.export.pdf.PdfRenderer: desktop.ui.printing.render_pdf_job, the one PDF
path, which also makes the QApplication the command line lacks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.core.absence import (
    CLOSED_STATES,
    Absence,
    AbsenceState,
    cn_date,
    effective_end,
    effective_state,
    return_note,
)
from desktop.core.acting import ActingContext, record_acting
from desktop.core.board import week_start
from desktop.core.errors import UserError
from desktop.core.profile import Profile
from desktop.export import absence_html, csv_export, duty_roster, ics, notify
from desktop.export.absences_xlsx import AbsenceEntry, absences_workbook
from desktop.export.duty_roster import RosterRow
from desktop.export.duty_xlsx import save_atomically
from desktop.export.marking import mark_html, mark_workbook, resolve_mark
from desktop.export.pdf import PdfJob, PdfRenderer
from desktop.export.weekly_xlsx import board_title, weekly_workbook

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "WHAT",
    "WHAT_LABELS",
    "ExportResult",
    "absence_entries",
    "check_format",
    "duty_rows",
    "export",
    "target_path",
]

WHAT = ("weekly", "duty", "absences")
#: The formats each export has, in the order the error lists them.
FORMATS: dict[str, tuple[str, ...]] = {
    "weekly": ("xlsx", "pdf", "csv"),
    "duty": ("xlsx", "pdf", "docx", "csv", "ics"),
    "absences": ("xlsx", "pdf", "docx", "csv", "ics"),
}
WHAT_LABELS = {"weekly": "一周领导在岗情况表", "duty": "值班安排", "absences": "外出报备及请假记录"}
FORMAT_LABELS = {"xlsx": "Excel 工作簿", "pdf": "PDF 文件", "docx": "Word 文档", "csv": "CSV 表格", "ics": "日历文件(ICS)"}
#: What may hold the target open, for the message when it cannot be replaced.
_APPS = {"xlsx": "Excel 或 WPS", "csv": "Excel 或 WPS", "docx": "Word 或 WPS", "pdf": "PDF 阅读器",
         "ics": "日历程序"}  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int  # rows of the table (leaders, duty days, records) or events of a calendar
    provisional: bool  # the export used days of a provisional calendar
    what: str = ""
    format: str = ""


def check_format(what: str, fmt: str) -> None:
    """Raise UserError (Chinese) unless ``what`` can be exported as ``fmt``."""
    if what not in FORMATS:
        raise UserError(f"无法导出“{what}”:可以导出 weekly(一周领导在岗情况表)、duty(值班安排)、absences(外出报备及请假记录)。")
    allowed = FORMATS[what]
    if fmt not in allowed:
        listed = "、".join(f"{f}({FORMAT_LABELS[f]})" for f in allowed)
        raise UserError(f"{WHAT_LABELS[what]}不能导出为 {fmt} 格式。可以导出为:{listed}。")


def _is_dir(path: Path) -> bool:
    """Path.is_dir(), with an impossible name (too long, NUL) refused in Chinese instead of OSError."""
    try:
        return path.is_dir()
    except (OSError, ValueError) as exc:
        shown = str(path) if len(str(path)) <= 60 else str(path)[:60] + "…"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"无法使用文件名 {shown}({reason})。请换一个较短的文件名或别的文件夹。") from exc


def _is_special(path: Path) -> bool:
    """An existing name that is neither a file nor a folder (/dev/full, a pipe)."""
    try:
        return path.exists() and not path.is_file() and not path.is_dir()
    except (OSError, ValueError):
        return False


def target_path(path: Path | str, fmt: str) -> Path:
    """The file to write: ``path`` with the format's suffix added when it has none; a suffix of
    another format, a folder or a missing folder is refused (UserError)."""
    target = Path(path).expanduser()
    suffix = f".{fmt}"
    if _is_special(target):
        raise UserError(f"{target} 不是普通文件(是设备或管道),无法把导出文件写到那里。请写出一个文件名,例如 {Path.home() / ('导出' + suffix)}。")
    if _is_dir(target):
        raise UserError(f"{target} 是一个文件夹。请写出文件名,例如 {target / ('导出' + suffix)}。")
    if not target.suffix:
        target = target.with_name(target.name + suffix)
    elif target.suffix.lower() != suffix:
        raise UserError(f"文件名 {target.name} 的后缀与导出格式 {fmt} 不一致。请写成 {target.stem}{suffix},"
                        f"或用 --format {target.suffix.lstrip('.').lower()} 导出。")  # fmt: skip
    if not _is_dir(target.parent):
        raise UserError(f"文件夹 {target.parent} 不存在。请先创建它,或换一个文件夹。")
    return target


def _write(target: Path, fmt: str, writer: Callable[[Path], object]) -> Path:
    """``writer(temporary path)`` beside the target, then moved into place (nothing half-written).
    The file is readable by the user only (0600), like the database and its backups."""
    save_atomically(lambda tmp: writer(Path(tmp)), target, _APPS[fmt])
    return target


def _this_year(store: Any, start: date | None, end: date | None) -> tuple[date, date]:
    """[start, end]: by default the store clock's year; one bound given, the rest of its year."""
    if start is None and end is None:
        today = store.clock.today()
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    elif start is None:
        start = date(end.year, 1, 1)
    elif end is None:
        end = date(start.year, 12, 31)
    if end < start:
        raise UserError(f"结束日期 {end} 早于开始日期 {start},请检查 --from 和 --to。")
    return start, end


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def absence_entries(store: Any, profile: Profile, start: date, end: date) -> list[AbsenceEntry]:
    """The records touching [start, end], by start date then protocol order, each with who acts
    (resolved for its days with one acting context for all, a draft taken as reported) and the
    state as the list displays it on the store clock's today."""
    from desktop.store import absences as absence_store
    from desktop.store import people as people_store

    records = absence_store.absences_between(store, start, end)
    everyone = {p.id: p for p in people_store.list_people(store)}
    records.sort(key=lambda r: (r.start, everyone[r.person_id].rank if r.person_id in everyone else 1 << 20, r.id))
    live = [r for r in records if r.state not in CLOSED_STATES]
    ctx, around = None, []
    if live:
        roster = absence_store.roster(store, min(r.start for r in live), max(effective_end(r)[0] for r in live))
        ctx = ActingContext(profile, roster.people, roster.ab_pairs, roster.designations, roster.overrides)
        around = list(roster.absences)
    today = store.clock.today()
    out = []
    for r in records:
        person = everyone[r.person_id]
        acting: tuple[str, ...] = ()
        if ctx is not None and r.state not in CLOSED_STATES:
            acting = tuple(notify.acting_summary(profile, person, record_acting(ctx, around, r)))
        out.append(AbsenceEntry(r, person.name, person.title or profile.title(person.role), acting, _state_text(r, today),
                                person.rank))  # fmt: skip
    return out


def _state_text(record: Absence, today: date) -> str:
    if record.state is AbsenceState.returned and record.actual_return is not None:
        return return_note(record)
    return effective_state(record, today).label


def duty_rows(store: Any, profile: Profile, start: date, end: date) -> tuple[list[RosterRow], str, list[Any]]:
    """The roster rows between start and end (both slots, from every stored plan), the label
    (the plan's scope when one plan holds them all: 2026年国庆节; else 2026年) and the stored
    assignments (desktop.store.duty.DutyRow, leaders first on each day)."""
    from desktop.store import duty

    leaders = duty.rows_between(store, start, end, duty.LEADER)
    officers = duty.rows_between(store, start, end, duty.OFFICER)
    rows = duty_roster.rows_from_assignments(leaders, officers, shifts=profile.duty.shifts)
    from desktop.export.roster_doc import roster_calendar

    rows = duty_roster.with_makeup(rows, roster_calendar(store, rows))
    labels = {duty.get_plan(store, pid).label for pid in {r.plan_id for r in leaders + officers}}
    label = labels.pop() if len(labels) == 1 else duty_roster.scope_label_of(rows)
    stored = sorted(leaders + officers, key=lambda r: (r.date, r.slot != duty.LEADER, r.seq))
    return rows, label, stored


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------


def export(
    store: Any,
    profile: Profile,
    what: str,
    fmt: str,
    path: Path | str,
    *,
    week: date | None = None,
    start: date | None = None,
    end: date | None = None,
    org_name: str,
    mark: bool | None = None,
    pdf: PdfRenderer | None = None,
) -> ExportResult:
    """Export ``what`` as ``fmt`` to ``path`` (see the module's table); raise UserError (Chinese)
    for a refused combination, a bad range or a file that cannot be written.

    ``week`` is any day of the board's week (weekly only); ``start``/``end`` bound the duty
    roster or the absence list (not the board). ``mark``: print the confidentiality mark
    (内部资料 注意保存) on xlsx / pdf / docx — None: as the profile's ``[export]`` says. ``pdf``: the
    renderer that lays a PDF out (desktop.export.pdf), required for ``fmt="pdf"``.
    """
    text = resolve_mark(profile, mark)
    check_format(what, fmt)
    if what == "weekly":
        if start is not None or end is not None:
            raise UserError("一周领导在岗情况表按周导出:请用 --week 2026-W49 指定周次(不用 --from/--to)。")
        target = target_path(path, fmt)
        return _weekly(store, profile, org_name, fmt, target, week or store.clock.today(), text, pdf)
    if week is not None:
        raise UserError(f"{WHAT_LABELS[what]}按日期范围导出:请用 --from 和 --to(--week 只用于 weekly)。")
    start, end = _this_year(store, start, end)
    target = target_path(path, fmt)
    if what == "duty":
        return _duty(store, profile, org_name, fmt, target, start, end, text, pdf)
    return _absences(store, profile, org_name, fmt, target, start, end, text, pdf)


def _weekly(store: Any, profile: Profile, org_name: str, fmt: str, target: Path, day: date,
            mark: str = "", pdf: PdfRenderer | None = None) -> ExportResult:  # fmt: skip
    from desktop.export import absence_loaders  # the board's loader (shared with the printout)

    today = store.clock.today()
    if fmt == "pdf":
        if pdf is None:
            raise ValueError("export(..., fmt='pdf') needs pdf=, the PDF renderer (desktop.ui.printing.render_pdf_job)")
        board = absence_loaders.load_week_board(store, profile, week_start(day))
        title = f"{board_title(board, profile, org_name)} {board.range_text}"

        def html(fonts, _page_breaks) -> str:
            return mark_html(absence_html.weekly_board_html(board, profile, org_name, printed_on=today, fonts=fonts),
                             mark)  # fmt: skip

        job = PdfJob(html, landscape=True, doc_name=title)
        _write(target, fmt, lambda tmp: pdf(job, tmp))
    else:
        board = absence_loaders.load_week_board(store, profile, day)
        if fmt == "xlsx":
            book = weekly_workbook(board, profile, org_name, printed_on=today)
            mark_workbook(book, mark)
            _write(target, fmt, lambda tmp: book.save(tmp))
        else:
            data = csv_export.csv_bytes(*csv_export.weekly_table(board))
            _write(target, fmt, lambda tmp: tmp.write_bytes(data))
    return ExportResult(target, len(board.rows), board.provisional, "weekly", fmt)


def _duty(store: Any, profile: Profile, org_name: str, fmt: str, target: Path, start: date,
          end: date, mark: str = "", pdf: PdfRenderer | None = None) -> ExportResult:  # fmt: skip
    rows, label, stored = duty_rows(store, profile, start, end)
    if not rows:
        raise UserError(f"{cn_date(start)}至{cn_date(end)}还没有值班安排。请先用 dutydesk duty plan {start.year} "
                        "--holiday <假期> 生成排班,或换一个日期范围。")  # fmt: skip
    provisional = any(r.provisional for r in rows)
    count = len(rows)
    if fmt in ("xlsx", "docx", "pdf"):
        from desktop.export.roster_doc import RosterDoc, write_roster

        doc = RosterDoc(tuple(rows), label, profile, org_name, store.clock.today(), mark=mark)
        _write(target, fmt, lambda tmp: write_roster(doc, tmp, pdf))
    elif fmt == "csv":
        data = csv_export.csv_bytes(*csv_export.duty_table(rows))
        _write(target, fmt, lambda tmp: tmp.write_bytes(data))
    else:
        from desktop.store import duty
        from desktop.store.org import calendar_id

        plans = {pid: duty.get_plan(store, pid) for pid in {r.plan_id for r in stored}}
        events = [ics.DutyEvent(r.date, r.slot, r.seq, r.name, r.phone, r.shift, r.holiday, r.heavy_label,
                                plans[r.plan_id].label, plans[r.plan_id].version, r.provisional) for r in stored]  # fmt: skip
        gov = absence_html.government_name(profile, org_name)
        name = f"{gov}值班安排({label})" if label else f"{gov}值班安排"
        cal = ics.duty_calendar(events, calendar_name=name, token=calendar_id(store), now=store.clock.now(),
                                cancelled=_cancelled_duty(store, start, end))  # fmt: skip
        data = ics.ics_bytes(cal)
        _write(target, fmt, lambda tmp: tmp.write_bytes(data))
        count = len(events)
    return ExportResult(target, count, provisional, "duty", fmt)


def _cancelled_duty(store: Any, start: date, end: date) -> list[ics.CancelledDuty]:
    """The duty places between start and end that a plan once had (the audit log's images,
    desktop.store.duty_history), each with a SEQUENCE above the plan version it last had the place
    in and no lower than that plan's latest: the events a re-import must take off the phone. The
    places still held are left out by ics.duty_calendar."""
    from desktop.store import duty_history

    return [ics.CancelledDuty(p.day, p.slot, p.seq, max(p.version + 1, p.plan_version))
            for p in duty_history.past_places(store, start, end)]  # fmt: skip


def _absences(store: Any, profile: Profile, org_name: str, fmt: str, target: Path, start: date,
              end: date, mark: str = "", pdf: PdfRenderer | None = None) -> ExportResult:  # fmt: skip
    from desktop.export import absence_register

    entries = absence_entries(store, profile, start, end)
    count = len(entries)
    today = store.clock.today()
    if fmt in ("pdf", "docx"):
        count = len(absence_register.register_rows(entries))  # drafts are not in the register
    if fmt == "pdf":
        if pdf is None:
            raise ValueError("export(..., fmt='pdf') needs pdf=, the PDF renderer (desktop.ui.printing.render_pdf_job)")
        job = absence_register.register_pdf_job(entries, profile, org_name, start, end, printed_on=today, mark=mark)
        _write(target, fmt, lambda tmp: pdf(job, tmp))
    elif fmt == "docx":
        _write(target, fmt, lambda tmp: absence_register.write_register_docx(
            entries, tmp, profile=profile, org_name=org_name, start=start, end=end, printed_on=today, mark=mark))
    elif fmt == "xlsx":
        book = absences_workbook(entries, profile, org_name, start, end, printed_on=store.clock.today())
        mark_workbook(book, mark)
        _write(target, fmt, lambda tmp: book.save(tmp))
    elif fmt == "csv":
        data = csv_export.csv_bytes(*csv_export.absences_table(entries))
        _write(target, fmt, lambda tmp: tmp.write_bytes(data))
    else:
        name = f"{absence_html.government_name(profile, org_name)}外出报备及请假"
        from desktop.store.org import calendar_id

        cal = ics.absence_calendar(entries, calendar_name=name, token=calendar_id(store), now=store.clock.now())
        data = ics.ics_bytes(cal)
        _write(target, fmt, lambda tmp: tmp.write_bytes(data))
        count = len(cal.walk("VEVENT"))
    return ExportResult(target, count, False, "absences", fmt)
