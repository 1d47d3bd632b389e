"""Golden checks of issue 12 ("Done when"): every export read back in its own library and as
LibreOffice opens it; the PDF printouts' text (pdftotext) is the text their HTML says, each page
numbered.

* every printout kind — the weekly board, the duty roster, the absences register, the approval
  form, the meeting sign-in sheet and leave summary, the month calendar (from the 日历 page's own
  print path) — is rendered to PDF; pdftotext gives back every text of its HTML, and no character
  the HTML does not have (no radical for an ideograph, nothing invented), and 第 N 页 共 M 页 (or
  — N — for the approval form) on each page;
* the xlsx exports open in LibreOffice: the weekly board on one page, the absences list with
  every date and time whole (报告时间 …(紧急) was cut off), stored text never evaluated as a
  formula (LibreOffice's CSV of the hostile government's workbooks has the text as stored).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from office import convert, needs_soffice
from test_exports import _profile, export, gov  # noqa: F401 - the fixture
from test_printouts import needs_poppler, pdf_info, radicals_in
from test_stored_text import DDE, DEST, GOLDEN, hostile  # noqa: F401 - the fixture
from test_stored_text import export as export_hostile

from desktop import ops
from desktop.core.meetings import Meeting
from desktop.export.pdf import PdfJob
from desktop.store import people
from desktop.store.org import get_org

# --------------------------------------------------------------------------------------------
# Intended text: the HTML's text nodes
# --------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "head"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "head"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


def intended(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [squash(p) for p in parser.parts if squash(p)]


def pdf_pages(pdf: Path) -> list[str]:
    pages = int(pdf_info(pdf)["Pages"])
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout for n in range(1, pages + 1)]  # fmt: skip


def check_reads_back(pdf: Path, html: str, numbers: str = "table") -> None:
    """pdftotext of ``pdf`` is the text of ``html``: the same characters, each as many times (a
    cell that wraps interleaves with its neighbours in reading order, so the text is compared as
    a multiset, and each short text node found whole), plus each page's number."""
    pages = pdf_pages(pdf)
    assert not radicals_in("".join(pages))
    body = []
    for n, page in enumerate(pages, start=1):
        expected = f"第{n}页共{len(pages)}页" if numbers == "table" else f"—{n}—"
        flat = squash(page)
        assert flat.count(expected) == 1, f"page {n} is not numbered {expected}: …{flat[-20:]}"
        body.append(flat.replace(expected, ""))
    got, wanted = Counter("".join(body)), Counter("".join(intended(html)))
    assert got == wanted, f"missing {dict(wanted - got)}, not in the HTML {dict(got - wanted)}"
    flat = "".join(body)
    short = [w for w in intended(html) if len(w) <= 6]
    assert all(w in flat for w in short), [w for w in short if w not in flat]


def recording():
    """A PDF renderer (desktop.ui.printing.render_pdf_job) that keeps the HTML it was given."""
    from desktop.ui.printing import print_fonts, render_pdf_job

    seen: dict[str, str] = {}

    def render(job: PdfJob, path: Path) -> Path:
        def html(fonts, breaks):
            seen["html"] = job.html(fonts, breaks)  # the last call is the one printed
            return seen["html"]

        seen["numbers"] = job.page_numbers
        return render_pdf_job(dataclasses.replace(job, html=html), path, fonts=print_fonts())

    return render, seen


@needs_poppler
@pytest.mark.parametrize("what", ["weekly", "duty", "absences"])
def test_each_exported_pdf_reads_back_as_its_html(qapp, gov, tmp_path, what):  # noqa: F811
    render, seen = recording()
    pdf = export(gov, what, "pdf", tmp_path / f"{what}.pdf", pdf=render).path
    check_reads_back(pdf, seen["html"], seen["numbers"])


@needs_poppler
def test_the_approval_form_reads_back_with_its_official_page_number(qapp, gov, tmp_path):  # noqa: F811
    from desktop.export.absence_loaders import approval_form_for
    from desktop.ui.printing import print_fonts, render_pdf

    _record, html = approval_form_for(gov, _profile(gov), get_org(gov).name, 1, print_fonts())
    pdf = render_pdf(html, tmp_path / "form.pdf", landscape=False, fit_one_page=False, page_numbers="official")
    check_reads_back(pdf, html, "official")


@needs_poppler
@pytest.mark.parametrize("what", ["sheet", "leave"])
def test_the_meeting_printouts_read_back(qapp, gov, tmp_path, what):  # noqa: F811
    """As `dutydesk meeting print ID sheet|leave` makes them."""
    import datetime as dt

    from desktop.export.meeting_html import attendance_sheet_html, leave_summary_html
    from desktop.ui.printing import print_fonts, render_pdf_job

    profile = _profile(gov)
    members = tuple(p.id for p in people.list_people(gov) if p.role.is_leader)[:6]
    meeting = ops.meetings.add_meeting(gov, profile, Meeting(
        id=None, type_id=profile.meetings[0].id, title="", starts_at=dt.datetime(2026, 11, 25, 9, 0),
        place="第一会议室", member_ids=members)).value  # fmt: skip
    view = ops.meetings.view(gov, profile, meeting.id)
    build = attendance_sheet_html if what == "sheet" else leave_summary_html
    html = build(view, profile, get_org(gov).name, printed_on=gov.clock.today(), fonts=print_fonts())
    job = PdfJob(lambda fonts, _b: build(view, profile, get_org(gov).name, printed_on=gov.clock.today(), fonts=fonts),
                 landscape=False)  # fmt: skip
    pdf = render_pdf_job(job, tmp_path / f"{what}.pdf")
    check_reads_back(pdf, html)


@needs_poppler
def test_the_calendar_pages_printout_is_numbered_and_reads_back(qtbot, gov, tmp_path):  # noqa: F811
    """The 日历 page prints through the shared layout: 第 1 页 共 1 页, its text as printed."""
    from PySide6.QtPrintSupport import QPrinter

    from desktop.ui.calendar_page import CalendarPage
    from desktop.ui.session import Session

    page = CalendarPage(Session(gov))
    qtbot.addWidget(page)
    page.show_month(2026, 10)
    page.document()
    printer = page.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "month.pdf"))
    page.print_to(printer)
    check_reads_back(tmp_path / "month.pdf", page._html)


# --------------------------------------------------------------------------------------------
# xlsx as LibreOffice opens it
# --------------------------------------------------------------------------------------------


def test_the_weekly_xlsx_prints_on_one_page_tall_and_wide(gov, tmp_path):  # noqa: F811
    ws = openpyxl.load_workbook(export(gov, "weekly", "xlsx", tmp_path / "w.xlsx").path).active
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)


def lo_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(convert(path, "pdf")), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@needs_soffice
@needs_poppler
def test_libreoffice_prints_the_weekly_xlsx_on_one_page(gov, tmp_path):  # noqa: F811
    from datetime import date

    pdf = convert(export(gov, "weekly", "xlsx", tmp_path / "w.xlsx", week=date(2026, 11, 24)).path, "pdf")
    assert pdf_info(pdf)["Pages"] == "1"
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "一周领导在岗情况表" in text and "出差成都" in text and "第1页" in text


@needs_soffice
@needs_poppler
def test_libreoffice_shows_every_date_and_time_of_the_absences_xlsx_whole(gov, tmp_path):  # noqa: F811
    lines = [" ".join(line.split()) for line in lo_text(export(gov, "absences", "xlsx", tmp_path / "a.xlsx").path)
             .splitlines()]  # fmt: skip
    for shown in ("2026年11月21日 09:30(紧急)", "2026年11月24日下午", "2026年11月19日上午", "2026年11月14日 10:00"):
        assert any(shown in line for line in lines), f"{shown} is cut off"


@needs_soffice
@pytest.mark.parametrize("what", ["weekly", "duty", "absences"])
def test_libreoffice_never_evaluates_stored_text(hostile, tmp_path, what):  # noqa: F811
    """LibreOffice's own CSV of each xlsx: the golden names and the destination as stored, no
    result of a formula (2 for =1+1, 1 for -2+3) and no error (#NAME?)."""
    path = export_hostile(hostile, what, "xlsx", tmp_path / f"{what}.xlsx")
    out = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "lo")
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for c in row]
    text = "\n".join(cells)
    assert "#NAME?" not in text and "Err:" not in text and "#N/A" not in cells[:0]
    stored = {str(c.value) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows()
              for c in row if isinstance(c.value, str)}  # fmt: skip
    golden = [n for n in GOLDEN.values() if n in stored]
    assert golden, "the golden names are on the sheet"
    assert all(n in cells for n in golden), [n for n in golden if n not in cells]  # as stored, not 2 or 1
    if what == "absences":
        assert DEST in cells and DDE in cells
