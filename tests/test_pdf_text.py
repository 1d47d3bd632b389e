"""A PDF's text is its real text: what pdftotext (a search, a copy) reads is what was printed.

Qt names each glyph in a PDF's ToUnicode map by the lowest code point the font maps to it, and CJK
fonts draw a radical and its ideograph with one glyph: 人民政府 came back as ⼈⺠政府, 区长 as 区⻓.
desktop.export.pdf_unicode rewrites those entries with the aliases read from the fonts
(desktop.ui.printing.radical_aliases). Every printout kind is also read back through
test_printouts.squeezed, which refuses a radical in a PDF's text.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from test_printouts import PROFILES, WEEK, busy_week, needs_poppler, radicals_in

from desktop.core.board import build_board
from desktop.core.calseed import seed_calendar
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import Role
from desktop.export import absence_html
from desktop.export.pdf_unicode import remap_cmap

WUJIAGANG = load_profile(PROFILES / "wujiagang.toml")
ALIASES = {0x2F08: 0x4EBA, 0x2EA0: 0x6C11, 0x2F00: 0x4E00, 0x2ED3: 0x957F}  # ⼈人 ⺠民 ⼀一 ⻓长


def test_bfrange_arrays_and_bfchar_entries_name_the_ideograph():
    cmap = (b"2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0004> [<0031> <2F08> <2EA0> <653F> ]\n"
            b"endbfrange\n2 beginbfchar\n<0005> <2F00>\n<0006> <00660069>\nendbfchar\n")  # fmt: skip
    assert remap_cmap(cmap, ALIASES) == (
        b"2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0004> [<0031> <4EBA> <6C11> <653F> ]\n"
        b"endbfrange\n2 beginbfchar\n<0005> <4E00>\n<0006> <00660069>\nendbfchar\n")  # fmt: skip


def test_a_consecutive_range_through_a_radical_becomes_an_array():
    cmap = b"1 beginbfrange\n<0010> <0012> <2EA0>\nendbfrange\n"
    assert remap_cmap(cmap, ALIASES) == b"1 beginbfrange\n<0010> <0012> [<6C11> <2EA1> <2EA2>]\nendbfrange\n"


def test_entries_without_a_radical_and_sources_are_left_alone():
    cmap = b"1 beginbfrange\n<2F08> <2F08> <4EBA>\n<0020> <0021> <0041>\nendbfrange\n"
    assert remap_cmap(cmap, ALIASES) == cmap  # <2F08> here is a glyph number, not a character


@pytest.fixture
def aliases(qapp):
    from desktop.ui.printing import radical_aliases

    found = radical_aliases()
    if not found:
        pytest.skip("no CJK font that draws radicals with the ideographs' glyphs is installed")
    return found


def test_the_aliases_come_from_the_installed_fonts(aliases):
    for radical, ideograph in ALIASES.items():
        assert aliases[radical] == ideograph
    assert all(0x2E80 <= r <= 0x2FDF and 0x4E00 <= i <= 0x9FFF for r, i in aliases.items())


def plain_text(pdf: Path) -> str:
    """pdftotext as a reader uses it: no layout, no normalisation."""
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_the_district_board_reads_back_as_printed(aliases, tmp_path):
    from desktop.ui.printing import print_fonts, render_pdf

    titles = [(Role.chief, "区长"), (Role.executive_deputy, "常务副区长"), (Role.deputy, "副区长"),
              (Role.deputy, "副区长"), (Role.secretary_general, "区政府办公室主任")]  # fmt: skip
    leaders = [Person(i, name, role, title, i)
               for i, (name, (role, title)) in enumerate(zip(["王民", "李长青", "何一鸣", "张见", "陈门"], titles,
                                                              strict=True), start=1)]  # fmt: skip
    board = build_board(WEEK, WUJIAGANG, leaders, busy_week(leaders), calendar=seed_calendar())
    html = absence_html.weekly_board_html(board, WUJIAGANG, "宜昌市伍家岗区人民政府办公室",
                                          printed_on=date(2026, 11, 21), fonts=print_fonts())  # fmt: skip
    text = plain_text(render_pdf(html, tmp_path / "board.pdf", landscape=True))
    assert not radicals_in(text)
    for wanted in ("宜昌市伍家岗区人民政府一周领导在岗情况表", "11月23日", "区长", "常务副区长", "王民", "李长青", "何一鸣"):
        assert wanted in text, wanted


@needs_poppler
def test_a_pdf_without_radicals_in_its_fonts_is_left_as_written(qapp, tmp_path):
    from desktop.export.pdf_unicode import remap_to_unicode
    from desktop.ui.printing import render_pdf

    pdf = render_pdf("<p>Duty roster 2026</p>", tmp_path / "latin.pdf", False)
    before = pdf.read_bytes()
    assert remap_to_unicode(pdf, ALIASES) == 0
    assert pdf.read_bytes() == before
