"""The register of travel reports and leave for the files (issue 12): `dutydesk export absences
--format pdf|docx`, by protocol order (排名), drafts left out, page numbers on each page, a long
register cut between records with its header on every page. PDFs read back with poppler, the docx
with python-docx and, where LibreOffice is installed, as LibreOffice prints it."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import docx
import pytest
from office import convert, needs_soffice
from test_exports import _add, _profile, export, gov  # noqa: F401 - the fixture
from test_printouts import needs_poppler, pdf_info, squeezed

from desktop.core.roles import AbsenceKind
from desktop.export.absence_register import REGISTER_COLUMNS
from desktop.ui.printing import render_pdf_job

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADERS = [h for h, _w in REGISTER_COLUMNS]


def page_text(pdf, page: int) -> str:
    """pdftotext of one page in reading order (a wrapped cell's lines together)."""
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


@needs_poppler
def test_the_register_pdf_lists_the_records_by_rank_without_drafts(qapp, gov, tmp_path):  # noqa: F811
    result = export(gov, "absences", "pdf", tmp_path / "register.pdf", pdf=render_pdf_job)
    assert result.rows == 4  # 赵雪梅's draft is not in the register
    assert pdf_info(result.path)["Pages"] == "1"
    text = page_text(result.path, 1)
    flat = squeezed(text)
    assert "演示市人民政府(示例数据)外出报备及请假登记表" in flat and "时间范围:2026年1月1日至12月31日" in flat
    assert "共4条" in flat and "内部资料注意保存" in flat and "第1页共1页" in flat
    assert all(h in flat for h in HEADERS)
    # protocol order: 李志强 (常务副市长, rank 2), 张丽华 (3), 陈明 (4), 孙卫东 (7)
    names = ["李志强", "张丽华", "陈明", "孙卫东"]
    assert [flat.index(n) for n in names] == sorted(flat.index(n) for n in names)
    assert "休假" not in flat  # 赵雪梅's 休假 is a draft
    assert "2026年11月24日下午至26日" in flat and "2026年11月21日09:30(紧急)" in flat
    # full-width brackets (issue 14) are wider: 周晓燕（副市长） wraps in its column
    assert "提前1天销假" in flat and "周晓燕(副市" in flat


@pytest.fixture
def many(gov):  # noqa: F811
    """Forty more trips: a register of several pages."""
    profile = _profile(gov)
    names = ["王建国", "李志强", "张丽华", "陈明", "刘海峰"]
    for i in range(40):
        start = date(2026, 1, 5) + timedelta(days=7 * (i // 5))
        _add(gov, profile, names[i % 5], AbsenceKind.trip, start, start + timedelta(days=1),
             destination=f"第{i + 1}站", reason="调研", leaves_jurisdiction=True, submit=True)  # fmt: skip
    return gov


@needs_poppler
def test_a_long_register_runs_over_pages_cut_between_records(qapp, many, tmp_path):
    pdf = export(many, "absences", "pdf", tmp_path / "register.pdf", pdf=render_pdf_job).path
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 2
    stops: list[str] = []
    for page in range(1, pages + 1):
        flat = squeezed(page_text(pdf, page))
        assert f"第{page}页共{pages}页" in flat
        assert "序号" in flat and "起止时间" in flat  # the header on every page
        stops += re.findall(r"第(\d+)站", flat)
    assert sorted(map(int, stops)) == list(range(1, 41))  # every record once
    last = squeezed(page_text(pdf, pages))
    assert "制表" in last and re.search(r"第\d+站", last)  # 制表 not alone on the last page


def test_the_register_docx_reads_back(gov, tmp_path):  # noqa: F811
    path = export(gov, "absences", "docx", tmp_path / "register.docx").path
    doc = docx.Document(str(path))
    assert doc.paragraphs[0].text == "演示市人民政府（示例数据）外出报备及请假登记表"
    (table,) = doc.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == ["李志强", "张丽华", "陈明", "孙卫东"]
    assert rows[2][4] == "2026年11月16日至17日" and rows[2][-1] == "周晓燕（副市长）"
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # repeated on each page
    assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in table.rows)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210  # landscape
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert section.header.paragraphs[0].text == "内部资料 注意保存"
    assert doc.paragraphs[-1].text.startswith("制表：")


@needs_soffice
@needs_poppler
def test_libreoffice_prints_the_register_docx_with_page_numbers(many, tmp_path):
    pdf = convert(export(many, "absences", "docx", tmp_path / "register.docx").path, "pdf")
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 2
    for page in range(1, pages + 1):
        flat = squeezed(page_text(pdf, page))
        assert f"第{page}页共{pages}页" in flat and "序号" in flat and "内部资料注意保存" in flat
