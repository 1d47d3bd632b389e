"""Issue 12, "Print like an office prints": phone numbers never break inside the number (PDF, xlsx,
docx), and the duty roster marks make-up workdays (调休上班) as the weekly board marks them (班).
PDFs read back with pdftotext, xlsx/docx as LibreOffice lays them out where it is installed."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date

import openpyxl
import pytest
from office import convert, needs_soffice
from test_duty_exports import LEADERS, ORG, PANZHIHUA, PHONES, PRINTED, RIZHAO, plans, roster_pdf
from test_printouts import needs_poppler

from desktop import ops
from desktop.core.calseed import seed_calendar
from desktop.core.duty import build_instance, duty_days, month_scope, solve, year_scope
from desktop.core.profile import DutyDays
from desktop.export import duty_docx, duty_roster, duty_xlsx, phones
from desktop.export.duty_roster import MAKEUP_REMARK, roster_rows, with_makeup
from desktop.export.roster_doc import load_roster_doc
from desktop.resources import available_profiles
from desktop.store import duty

#: Numbers as offices write them: a landline with its area code, spaces, a country code.
LANDLINE = "+86 0812 333 7777"
DESK = "0812-3337778"
MOBILE = "+86 139 0812 0001"


def long_phone_rows():
    leader, officer = plans(year_scope(2026))
    rows = roster_rows(leader, PHONES, officers=officer)
    nd = [r for r in rows if r.holiday == "国庆节"]
    return [dataclasses.replace(r, leader=f"{r.leader}、王建国", leader_phone=f"{LANDLINE}、{DESK}",
                                officers=(("欧阳建国", MOBILE), ("朱琳", DESK))) for r in nd]  # fmt: skip


def lines_of(text: str) -> list[str]:
    return [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]


def whole_on_a_line(text: str, number: str) -> bool:
    return any(number in line for line in lines_of(text))


def test_phone_html_keeps_the_spaces_of_a_number_only():
    assert phones.phone_html("秘书 王某 0812 333 7777") == "秘书 王某 0812&nbsp;333&nbsp;7777"
    assert phones.phone_html("<b>") == "&lt;b&gt;"
    assert phones.split_phones(f"{LANDLINE}、{DESK}") == [LANDLINE, DESK]
    assert phones.fitting_pt(["13908120001"], 100, 12) == 12
    assert phones.fitting_pt([LANDLINE], 80, 12) < 12


@needs_poppler
def test_the_roster_pdf_never_breaks_a_number(qapp, tmp_path):
    from desktop.ui.printing import print_fonts

    rows = long_phone_rows()
    pdf = roster_pdf(rows, tmp_path / "r.pdf", print_fonts())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for number in (LANDLINE, DESK, MOBILE):
        assert whole_on_a_line(text, number), f"{number} is cut: {lines_of(text)[:30]}"


def test_the_roster_xlsx_gives_each_number_a_line_wide_enough(tmp_path):
    rows = long_phone_rows()
    path = duty_xlsx.write_roster(rows, tmp_path / "r.xlsx", title="t", org_name=ORG)
    ws = openpyxl.load_workbook(path).active
    headers = [c.value for c in ws[duty_xlsx.HEADER_ROW]]
    tel, crew_tel = headers.index("联系电话") + 1, headers.index("值班员电话") + 1
    assert ws.cell(duty_xlsx.HEADER_ROW + 1, tel).value == f"{LANDLINE}\n{DESK}"  # one number a line
    letter = openpyxl.utils.get_column_letter
    assert ws.column_dimensions[letter(tel)].width >= phones.phone_units([LANDLINE])
    assert ws.column_dimensions[letter(crew_tel)].width >= phones.phone_units([MOBILE])


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_libreoffice_shows_every_number_whole(tmp_path, fmt):
    rows = long_phone_rows()
    if fmt == "xlsx":
        path = duty_xlsx.write_roster(rows, tmp_path / "r.xlsx", title="2026年国庆节期间领导带班及值班安排表", org_name=ORG)
    else:
        rows = [dataclasses.replace(r, leader_phone=f"0812-333-7777、{DESK}", officers=(("欧阳建国", "0812 333 7777"),))
                for r in rows]  # fmt: skip  (the notice's columns hold 13 characters)
        path = duty_docx.write_notice(rows, tmp_path / "r.docx", profile=PANZHIHUA, org_name=ORG,
                                      holiday_label="国庆节", year=2026, issued_on=PRINTED)  # fmt: skip
    text = subprocess.run(["pdftotext", "-layout", str(convert(path, "pdf")), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    numbers = (LANDLINE, DESK, MOBILE) if fmt == "xlsx" else ("0812-333-7777", DESK, "0812 333 7777")
    for number in numbers:
        assert whole_on_a_line(text, number), f"{number} is cut in the {fmt}"


# --------------------------------------------------------------------------------------------
# 调休上班
# --------------------------------------------------------------------------------------------


#: A roster of every day (the ``every_day`` reading: a department's 24-hour duty, 001 art.57), so
#: October's make-up Saturday 10-10 is a duty day. (日照's city roster now reads 000 art.81.)
EVERY_DAY = dataclasses.replace(RIZHAO.duty, days=DutyDays.every_day)


def october_rows():
    cal = seed_calendar()
    scope = month_scope(2026, 10)
    days = duty_days(cal, EVERY_DAY.days, scope.start, scope.end)
    leader = solve(build_instance(days, LEADERS, EVERY_DAY))
    return with_makeup(roster_rows(leader, PHONES), cal)


def test_a_make_up_workday_is_marked_in_every_roster_format(tmp_path):
    rows = october_rows()
    by_day = {r.date: r for r in rows}
    assert by_day[date(2026, 10, 10)].makeup and MAKEUP_REMARK in by_day[date(2026, 10, 10)].remarks(with_holiday=True)
    assert not any(r.makeup for d, r in by_day.items() if d != date(2026, 10, 10))
    assert MAKEUP_REMARK not in by_day[date(2026, 10, 11)].remarks(with_holiday=True)
    html = duty_roster.roster_html(rows, RIZHAO, ORG, "2026年10月节假日领导带班安排表")
    assert html.count(MAKEUP_REMARK) == 1
    ws = openpyxl.load_workbook(duty_xlsx.write_roster(rows, tmp_path / "r.xlsx", title="t", org_name=ORG)).active
    remarks = {ws.cell(r, 1).value.date(): ws.cell(r, ws.max_column).value
               for r in range(duty_xlsx.HEADER_ROW + 1, duty_xlsx.HEADER_ROW + 1 + len(rows))}  # fmt: skip
    assert MAKEUP_REMARK in remarks[date(2026, 10, 10)] and not remarks[date(2026, 10, 9)]
    import docx

    notice = duty_docx.write_notice(rows, tmp_path / "n.docx", profile=RIZHAO, org_name=ORG, holiday_label="10月",
                                    year=2026, issued_on=PRINTED)  # fmt: skip
    cells = {row.cells[0].text: row.cells[-1].text for row in docx.Document(str(notice)).tables[0].rows}
    assert MAKEUP_REMARK in cells["2026年10月10日"] and cells["2026年10月9日"] == ""


def test_stored_plans_load_with_their_make_up_days(demo_store):
    """The export and the 值班 page's printout read the calendar for the stored rows."""
    store = demo_store
    ops.org.init_org(store, "rizhao", ORG, available_profiles())
    ops.profile.save_overrides(store, {"duty.days": "every_day"})  # the office's adjustment (规则 → 调整规则)
    from desktop.cli import _profile

    profile = _profile(store)
    assert profile.duty.days is DutyDays.every_day
    saved = ops.duty.plan(store, profile, month_scope(2026, 10), duty.LEADER).value
    doc = load_roster_doc(store, profile, ORG, saved.info.id)
    marked = [r.date for r in doc.rows if r.makeup]
    assert marked == [date(2026, 10, 10)]
    from desktop.export.exporter import duty_rows

    rows, _label, _stored = duty_rows(store, profile, date(2026, 10, 1), date(2026, 10, 31))
    assert [r.date for r in rows if r.makeup] == [date(2026, 10, 10)]

