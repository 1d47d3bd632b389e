"""The Word notice (关于…期间值班安排的通知.docx) as GB/T 9704 and issue 12 ask: the mark on every page
(even pages too), the 22 × 28 document grid, a 备注 column naming each date's holiday with ★ for
the heavy days and 日期暂定 on a provisional calendar, phone numbers that never break. Read back
with python-docx and, where LibreOffice is installed, as LibreOffice lays it out (pdftotext of
its PDF, page by page)."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import docx
import pytest
from office import convert, needs_soffice
from test_duty_exports import LEADERS, ORG, PANZHIHUA, PHONES, PRINTED, plans
from test_printouts import needs_poppler

from desktop.core.calseed import seed_calendar
from desktop.core.duty import build_instance, duty_days, holiday_scope, solve, year_scope
from desktop.export import duty_docx
from desktop.export.duty_roster import roster_rows

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARK = "内部资料 注意保存"


def notice(rows, path, **kw):
    args = {"profile": PANZHIHUA, "org_name": ORG, "holiday_label": "", "year": 2026, "issued_on": PRINTED,
            "mark": MARK} | kw  # fmt: skip
    return duty_docx.write_notice(rows, path, **args)


@pytest.fixture(scope="module")
def year_rows():
    leader, officer = plans(year_scope(2026))
    return roster_rows(leader, PHONES, officers=officer)


def test_the_mark_is_in_the_odd_and_the_even_page_header(year_rows, tmp_path):
    doc = docx.Document(str(notice(year_rows, tmp_path / "n.docx")))
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    assert section.header.paragraphs[0].text == MARK
    assert section.even_page_header.paragraphs[0].text == MARK  # page 2, 4 …: not blank


def test_the_document_grid_is_22_lines_of_28_characters(year_rows, tmp_path):
    doc = docx.Document(str(notice(year_rows[:3], tmp_path / "n.docx")))
    grid = doc.sections[0]._sectPr.find(f"{W}docGrid")
    # 225 mm / 22 lines = 28.99 pt = 579 twentieths of a point
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"
    # 28 三号 characters in 156 mm (442.2 pt): each set 0.25 pt closer, 15.75 pt
    body = next(p for p in doc.paragraphs if p.text.startswith("为做好"))
    for run in body.runs:
        assert run.font.size.pt == 16 and run._element.rPr.find(f"{W}spacing").get(f"{W}val") == "-5"


@needs_soffice
@needs_poppler
def test_libreoffice_sets_28_characters_a_line(year_rows, tmp_path):
    pdf = convert(notice(year_rows[:3], tmp_path / "n.docx"), "pdf")
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    lines = [line.replace(" ", "") for line in text.splitlines()]
    # the first item (一、…) runs over several full lines of Chinese text: 28 characters each
    start = next(i for i, line in enumerate(lines) if line.startswith("一、"))
    full = [line for line in lines[start + 1:start + 4] if line and not any(ch.isdigit() for ch in line)]
    assert full and all(len(line) == 28 for line in full), full


def table_rows(path) -> list[list[str]]:
    (table,) = docx.Document(str(path)).tables
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_remarks_column_names_the_holiday_and_stars_the_heavy_days(year_rows, tmp_path):
    got = table_rows(notice(year_rows, tmp_path / "n.docx"))
    assert got[0][-1] == "备注"
    by_date = {r.date: row for r, row in zip(year_rows, got[1:], strict=True)}
    assert by_date[date(2026, 2, 16)][-1] == "春节\n★除夕"  # 2026-02-16 is 除夕
    assert by_date[date(2026, 2, 17)][-1] == "春节\n★春节初一"
    assert by_date[date(2026, 10, 1)][-1] == "★国庆节"
    assert by_date[date(2026, 10, 2)][-1] == "国庆节"
    assert by_date[date(2026, 5, 1)][-1] == "劳动节"
    body = "\n".join(p.text for p in docx.Document(str(tmp_path / "n.docx")).paragraphs)
    assert "注：★为重点值班日（除夕、春节初一、国庆10月1日）。" in body


def test_a_provisional_year_says_date_provisional_on_each_day(tmp_path):
    cal = seed_calendar(provisional_years=[2027])
    scope = holiday_scope(cal, 2027, "国庆节")
    rows = roster_rows(solve(build_instance(duty_days(cal, "holiday_block", scope.start, scope.end), LEADERS,
                                            PANZHIHUA.duty)), PHONES)  # fmt: skip
    assert rows and all(r.provisional for r in rows)
    got = table_rows(notice(rows, tmp_path / "n.docx", holiday_label="国庆节", year=2027))
    assert all(row[-1].endswith("日期暂定") for row in got[1:])


def test_phone_numbers_never_break_inside_the_number(year_rows, tmp_path):
    import dataclasses

    rows = [dataclasses.replace(r, leader_phone="0812-3336666", officers=(("杨帆", "0812 333 7777"),))
            for r in year_rows[:2]]  # fmt: skip
    path = notice(rows, tmp_path / "n.docx")
    got = table_rows(path)
    assert got[1][3] == "0812-3336666"  # Word's non-breaking hyphen reads back as the hyphen
    assert got[1][4] == "杨帆 0812\u00a0333\u00a07777"  # may break after the name, never inside the number
    xml = docx.Document(str(path)).tables[0]._tbl.xml
    assert xml.count("<w:noBreakHyphen/>") == 2


@needs_soffice
@needs_poppler
def test_libreoffice_prints_the_mark_and_the_page_number_on_every_page(year_rows, tmp_path):
    pdf = convert(notice(year_rows, tmp_path / "n.docx"), "pdf")
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))  # fmt: skip
    assert pages >= 2
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert MARK in text, f"page {page} has no mark"
        assert re.search(rf"—\s*{page}\s*—", text), f"page {page} has no page number"
    whole = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.replace(" ", "")  # fmt: skip
    assert "关于2026年节假日值班安排的通知" in whole and "备注" in whole and "★除夕" in whole


#: ECMA-376's order of the children of a run's and a paragraph's properties (the ones we write).
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
             "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
             "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath"]  # fmt: skip
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]  # fmt: skip


@pytest.mark.parametrize("write", ["notice", "register"])
def test_properties_are_in_the_schemas_order(year_rows, tmp_path, write):
    """Word calls a file damaged when a property element is out of the schema's order."""
    if write == "notice":
        path = notice(year_rows, tmp_path / "n.docx")
    else:
        from test_exports import ORG as DEMO_ORG

        from desktop.export.absence_register import write_register_docx

        path = write_register_docx([], tmp_path / "r.docx", profile=PANZHIHUA, org_name=DEMO_ORG,
                                   start=date(2026, 1, 1), end=date(2026, 12, 31), mark=MARK)  # fmt: skip
    body = docx.Document(str(path)).element
    for tag, order in ((f"{W}rPr", RPR_ORDER), (f"{W}pPr", PPR_ORDER)):
        for props in body.iter(tag):
            names = [child.tag.split("}")[1] for child in props]
            known = [order.index(n) for n in names if n in order]
            assert known == sorted(known), names
