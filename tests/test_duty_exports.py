"""The holiday duty roster's printout and exports (desktop/export/duty_roster, duty_xlsx, duty_docx,
desktop/ui/duty_print): plans made by the core solver on the 2026 国庆 block, then the PDF read back
with poppler, the xlsx with openpyxl and the docx with python-docx."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

# The PDF helpers of the other printouts: pdfinfo, pdftotext -layout, radicals read back.
from test_printouts import needs_poppler, pdf_info, pdf_text, squeezed

from desktop import ops
from desktop.core.calseed import seed_calendar
from desktop.core.duty import (
    OFFICER,
    DutyPlan,
    PlanScope,
    build_instance,
    duty_days,
    holiday_scope,
    solve,
    year_scope,
)
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import Role
from desktop.export import duty_docx, duty_roster, duty_xlsx
from desktop.export.duty_roster import RosterRow, roster_rows

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
PANZHIHUA = load_profile(PROFILES / "panzhihua.toml")
RIZHAO = load_profile(PROFILES / "rizhao.toml")
XIPING = load_profile(PROFILES / "xiping.toml")
TURPAN = load_profile(PROFILES / "turpan.toml")
WUJIAGANG = load_profile(PROFILES / "wujiagang.toml")
GENERIC = load_profile(PROFILES / "generic.toml")
CAL = seed_calendar()
ORG = "攀枝花市人民政府办公室"
PRINTED = date(2026, 9, 25)

LEADERS = [
    Person(1, "王建国", Role.chief, "市长", 1, "13908120001"),
    Person(2, "李志强", Role.executive_deputy, "常务副市长", 2, "13908120002"),
    Person(3, "张丽华", Role.deputy, "副市长", 3, "13908120003"),
    Person(4, "陈明", Role.deputy, "副市长", 4, "13908120004"),
    Person(5, "刘海峰", Role.deputy, "副市长", 5, "13908120005"),
    Person(6, "吴国栋", Role.secretary_general, "市政府秘书长", 6, "13908120006"),
]
STAFF = [Person(10 + i, name, Role.staff, "值班员", 10 + i, f"1380812{i:04d}")
         for i, name in enumerate(["杨帆", "朱琳", "秦川", "蒋悦", "丁宁", "范伟"])]  # fmt: skip
PHONES = {p.id: p.phone for p in LEADERS + STAFF}
BY_NAME = {p.name: p for p in LEADERS + STAFF}


def plans(scope: PlanScope, mode: str = "holiday_block", profile=PANZHIHUA) -> tuple[DutyPlan, DutyPlan]:
    days = duty_days(CAL, mode, scope.start, scope.end)
    leader = solve(build_instance(days, LEADERS + STAFF, profile.duty))
    officer = solve(build_instance(days, LEADERS + STAFF, profile.duty, slot=OFFICER))
    return leader, officer


NATIONAL_DAY = holiday_scope(CAL, 2026, "国庆节")
LEADER_PLAN, OFFICER_PLAN = plans(NATIONAL_DAY)


@pytest.fixture(scope="module")
def rows() -> list[RosterRow]:
    return roster_rows(LEADER_PLAN, PHONES, officers=OFFICER_PLAN, shifts=PANZHIHUA.duty.shifts)


@pytest.fixture
def fonts(qapp):
    from desktop.ui.printing import print_fonts

    return print_fonts()


# --------------------------------------------------------------------------------------------
# Rows and wording
# --------------------------------------------------------------------------------------------


def test_one_row_a_day_of_the_national_day_block_with_phones(rows):
    assert NATIONAL_DAY.label == "2026年国庆节"
    assert [r.date for r in rows] == [date(2026, 10, d) for d in range(1, 8)]
    first = rows[0]
    assert (first.date_text, first.weekday, first.holiday, first.heavy) == ("2026年10月1日", "星期四", "国庆节", "national_day1")
    assert first.heavy_label == "国庆10月1日" and first.remarks(with_holiday=False) == ["★国庆节"]
    assert [r.weekday for r in rows] == ["星期四", "星期五", "星期六", "星期日", "星期一", "星期二", "星期三"]
    for r in rows:
        leader = LEADER_PLAN.on(r.date)[0]
        assert r.leader == leader.name and r.leader_phone == PHONES[leader.person_id]
        assert len(r.officers) == PANZHIHUA.duty.officers_per_day
        assert all(phone == BY_NAME[name].phone for name, phone in r.officers)
        assert r.shift == "全天" and not r.provisional
    assert all(r.heavy is None for r in rows[1:])


def test_rows_from_a_leader_plan_alone_and_an_officer_plan_alone():
    leaders_only = roster_rows(LEADER_PLAN, PHONES)
    assert all(r.leader and not r.officers for r in leaders_only)
    officers_only = roster_rows(OFFICER_PLAN, PHONES)
    assert all(not r.leader and len(r.officers) == 2 for r in officers_only)
    # a missing phone prints blank, never "None"
    blank = roster_rows(LEADER_PLAN, {})
    assert all(r.leader_phone == "" for r in blank)


def test_titles_from_the_scope_label():
    assert duty_roster.roster_title("2026年国庆节") == "2026年国庆节期间领导带班及值班安排表"
    assert duty_roster.roster_title("2026年") == "2026年节假日领导带班及值班安排表"
    assert duty_roster.roster_title("2026年", officers=False) == "2026年节假日领导带班安排表"
    assert duty_roster.roster_title("2026年10月") == "2026年10月节假日领导带班及值班安排表"
    assert duty_roster.notice_title(2026, "国庆节") == "关于2026年国庆节期间值班安排的通知"
    assert duty_roster.notice_title(2026, "") == "关于2026年节假日值班安排的通知"
    assert duty_roster.notice_title(2026, "10月") == "关于2026年10月节假日值班安排的通知"
    assert duty_roster.split_label("2026年国庆节、中秋节") == (2026, "国庆节、中秋节")


def test_remarks_and_legend_lines():
    first = RosterRow(date(2026, 10, 1), "星期四", "国庆节", "national_day1", "李志强", "1", shift="白班、夜班")
    eve = RosterRow(date(2026, 2, 16), "星期一", "春节", "eve", "王建国", "2", provisional=True)
    assert first.remarks(with_holiday=True) == ["★国庆节"]  # not 国庆节 twice
    assert eve.remarks(with_holiday=True) == ["春节", "★除夕", "日期暂定"]
    assert eve.remarks(with_holiday=False) == ["★除夕", "日期暂定"]
    assert duty_roster.legend_lines([eve, first]) == ["注：★为重点值班日（除夕、国庆10月1日）。", "值班班次：白班、夜班。"]
    rizhao = roster_rows(LEADER_PLAN, PHONES, shifts=("白班", "夜班"))  # a 24-hour roster (001 art.57, departments)
    assert rizhao[0].shift == "白班、夜班" and "值班班次：白班、夜班。" in duty_roster.legend_lines(rizhao)


def test_article_numbers_and_the_cited_rule():
    assert [duty_roster.cn_number(n) for n in (1, 10, 11, 20, 57, 81, 100, 105, 110, 119)] == [
        "一", "十", "十一", "二十", "五十七", "八十一", "一百", "一百零五", "一百一十", "一百一十九"]  # fmt: skip
    assert duty_roster.duty_basis(PANZHIHUA) == "《攀枝花市人民政府工作规则》第八十一条"  # 000 art.81
    # 吐鲁番, 西平 and 日照 borrow 000 art.81 (日照's 001 art.57 is the departments' 24-hour duty, issue 14):
    # a notice never cites another city's rules
    assert duty_roster.duty_basis(TURPAN) is None and duty_roster.duty_basis(XIPING) is None
    assert duty_roster.duty_basis(RIZHAO) is None
    assert duty_roster.duty_basis(GENERIC) is None
    assert duty_roster.default_notes(PANZHIHUA)[-1] == "依据：《攀枝花市人民政府工作规则》第八十一条。"
    assert len(duty_roster.default_notes(TURPAN)) == 1


def test_date_ranges():
    def row(d: date) -> RosterRow:
        return RosterRow(d, "", None, None, "", "")

    assert duty_roster.date_range_text([row(date(2026, 10, 1)), row(date(2026, 10, 7))]) == "2026年10月1日至7日"
    assert duty_roster.date_range_text([row(date(2026, 9, 30)), row(date(2026, 10, 2))]) == "2026年9月30日至10月2日"
    assert duty_roster.date_range_text([row(date(2026, 12, 31)), row(date(2027, 1, 1))]) == "2026年12月31日至2027年1月1日"


# --------------------------------------------------------------------------------------------
# The printout (A4 portrait PDF)
# --------------------------------------------------------------------------------------------


def roster_pdf(rows, path, fonts, *, title=None, notes=()) -> Path:
    from desktop.ui.printing import render_pdf

    title = title or duty_roster.roster_title(NATIONAL_DAY.label)
    html = duty_roster.roster_html(rows, PANZHIHUA, ORG, title, printed_on=PRINTED, fonts=fonts, notes=notes)
    return render_pdf(html, path, landscape=False, fit_one_page=duty_roster.fits_one_page(rows))


@needs_poppler
def test_the_holiday_roster_prints_on_one_a4_portrait_page(rows, fonts, tmp_path):
    notes = ["值班电话：0812-3330000（24小时）", *duty_roster.default_notes(PANZHIHUA)]
    pdf = roster_pdf(rows, tmp_path / "roster.pdf", fonts, notes=notes)
    info = pdf_info(pdf)
    assert info["Pages"] == "1"
    assert "A4" in info["Page size"] and info["Page size"].startswith("595")  # portrait: 595 x 842 pt
    flat = squeezed(pdf_text(pdf))
    assert "2026年国庆节期间领导带班及值班安排表" in flat
    assert squeezed("单位：攀枝花市人民政府") in flat and "2026年10月1日至7日" in flat
    assert "日期星期带班领导联系电话值班员备注" in flat
    for r in rows:
        assert f"{r.date_text}{r.weekday}{r.leader}{r.leader_phone}" in flat, r
        for name, phone in r.officers:
            assert f"{name}{phone}" in flat
    assert "★国庆节" in flat and squeezed("★为重点值班日（国庆10月1日）") in flat
    assert "0812-3330000" in flat and "第八十一条" in flat
    assert squeezed("制表单位：攀枝花市人民政府办公室　制表日期：2026年9月25日") in flat


@needs_poppler
def test_a_leaders_only_roster_has_no_officer_column(fonts, tmp_path):
    rows = roster_rows(LEADER_PLAN, PHONES)
    title = duty_roster.roster_title(NATIONAL_DAY.label, officers=False)
    pdf = roster_pdf(rows, tmp_path / "leaders.pdf", fonts, title=title)
    flat = squeezed(pdf_text(pdf))
    assert "2026年国庆节期间领导带班安排表" in flat
    assert "日期星期带班领导联系电话备注" in flat and "值班员" not in flat


def page_texts(pdf: Path) -> list[str]:
    pages = int(pdf_info(pdf)["Pages"])
    return [squeezed(subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                    capture_output=True, text=True, check=True).stdout)
            for n in range(1, pages + 1)]  # fmt: skip


@pytest.fixture
def demo_people(tmp_path, clock) -> list[Person]:
    from desktop.resources import available_profiles
    from desktop.store import people as people_store
    from desktop.store.opening import open_store

    store = open_store(tmp_path / "people.db", clock, operator="测试员")
    ops.org.populate(store, available_profiles())
    yield people_store.list_people(store)
    store.close()


@needs_poppler
def test_a_whole_year_runs_over_pages_with_the_header_on_each_and_no_day_split(qapp, demo_people, tmp_path):
    from desktop.export.roster_doc import roster_doc
    from desktop.ui.duty_print import write_export

    # the demo government: laid out in one table, Qt would cut 2026-06-21 in two (a day's
    # officers on two pages); the measured page breaks keep every day whole
    year = year_scope(2026)
    days = duty_days(CAL, "holiday_block", year.start, year.end)
    leader, officer = (solve(build_instance(days, demo_people, PANZHIHUA.duty, slot=slot)) for slot in ("leader", OFFICER))
    phones = {p.id: p.phone for p in demo_people}
    doc = roster_doc(leader, officer, "2026年", phones, PANZHIHUA, ORG, PRINTED)
    rows = doc.rows
    assert len({r.holiday for r in rows}) >= 6 and not doc.one_page
    assert doc.title == "2026年节假日领导带班及值班安排表"
    pages = page_texts(write_export(doc, tmp_path / "year.pdf"))
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert "日期星期带班领导联系电话值班员备注" in text, f"no header on page {n}"
    for r in rows:
        # a day reads: first officer, the day's line (centred between), second officer — all on
        # one page: the day was not cut in two (its officers' names recur on other days)
        (n1, p1), (n2, p2) = r.officers
        day = re.escape(f"{r.date_text}{r.weekday}{r.leader}{r.leader_phone}")
        whole = re.compile(f"{n1}{p1}.{{0,12}}{day}.{{0,12}}{n2}{p2}")
        assert sum(1 for text in pages if whole.search(text)) == 1, r
    flat = "".join(pages)
    # the holiday names are printed when the roster spans several holidays
    assert "春节" in flat and "国庆节" in flat and "★除夕" in flat and "★春节初一" in flat
    for n, text in enumerate(pages, start=1):  # numbered as a table: 第 N 页 共 M 页, in the foot
        assert text.endswith(f"第{n}页共{len(pages)}页"), f"page {n}"
    assert pages[-1].endswith(squeezed("制表单位：攀枝花市人民政府办公室　制表日期：2026年9月25日") + f"第{len(pages)}页共{len(pages)}页")


def laid_out_pages(html: str, printer) -> int:
    from PySide6.QtCore import QSizeF

    from desktop.ui import printing

    qdoc = printing._document(html, printer, None)
    width, height, _top = printing._page_box(printer, "table")
    qdoc.setPageSize(QSizeF(width, height))
    return qdoc.pageCount()


@needs_poppler
def test_a_roster_whose_table_fills_a_page_keeps_its_notes_with_rows(qapp, demo_people, tmp_path):
    from desktop.export.roster_doc import roster_doc
    from desktop.ui import printing
    from desktop.ui.duty_print import write_export

    year = year_scope(2026)
    days = duty_days(CAL, "holiday_block", year.start, year.end)
    leader, officer = (solve(build_instance(days, demo_people, PANZHIHUA.duty, slot=slot)) for slot in ("leader", OFFICER))
    phones = {p.id: p.phone for p in demo_people}
    full = roster_doc(leader, officer, "2026年", phones, PANZHIHUA, ORG, PRINTED)
    fonts = printing.print_fonts()
    printer = printing.make_printer(False)
    printer.setOutputFormat(printing.QPrinter.OutputFormat.PdfFormat)
    # the first cut of the year whose table ends so low on a page that its 说明/依据/制表 lines,
    # cut as before, would make a page of their own
    for k in range(duty_roster.ONE_PAGE_ROWS + 1, len(full.rows) + 1):
        doc = dataclasses.replace(full, rows=full.rows[:k])
        plain = printing.table_page_breaks(printer, doc.html(fonts), k, keep_tail=False)
        if laid_out_pages(doc.html(fonts, plain), printer) > len(plain) + 1:
            break
    else:  # pragma: no cover - the fonts decide; the year always has such a cut here
        pytest.skip("no cut of the year fills a page exactly with these fonts")
    kept = printing.table_page_breaks(printer, doc.html(fonts), k)
    assert kept == [*plain, k - 1]  # the last day moves over to the notes
    pages = page_texts(write_export(doc, tmp_path / "filled.pdf", fonts))
    assert len(pages) == len(kept) + 1
    for n, text in enumerate(pages, start=1):
        assert any(f"{r.date_text}{r.weekday}" in text for r in doc.rows), f"page {n} holds only notes"
        assert text.endswith(f"第{n}页共{len(pages)}页")
    assert "依据" in pages[-1] and "制表单位" in pages[-1]


@needs_poppler
def test_a_provisional_day_is_marked(fonts, tmp_path):
    scope = holiday_scope(seed_calendar(provisional_years=[2027]), 2027, "国庆节")
    days = duty_days(seed_calendar(provisional_years=[2027]), "holiday_block", scope.start, scope.end)
    plan = solve(build_instance(days, LEADERS, PANZHIHUA.duty))
    rows = roster_rows(plan, PHONES)
    assert all(r.provisional for r in rows)
    pdf = roster_pdf(rows, tmp_path / "provisional.pdf", fonts, title=duty_roster.roster_title(scope.label))
    flat = squeezed(pdf_text(pdf))
    assert "日期暂定" in flat and "以国务院放假通知为准" in flat


# --------------------------------------------------------------------------------------------
# xlsx
# --------------------------------------------------------------------------------------------


def test_the_xlsx_reads_back_print_ready(rows, tmp_path, recwarn):
    import openpyxl

    title = duty_roster.roster_title(NATIONAL_DAY.label)
    notes = ["值班电话：0812-3330000", *duty_roster.default_notes(PANZHIHUA)]
    path = duty_xlsx.write_roster(rows, tmp_path / "roster.xlsx", title=title, org_name=ORG, notes=notes,
                                  unit="攀枝花市人民政府", printed_on=PRINTED)  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert len(recwarn) == 0, [str(w.message) for w in recwarn]  # opens cleanly
    ws = book.active
    assert ws.title == "值班安排表"
    assert ws["A1"].value == title and "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.name == "方正小标宋简体"
    assert ws["A2"].value == "单位：攀枝花市人民政府" and ws["D2"].value == "2026年10月1日至7日"
    header = [c.value for c in ws[duty_xlsx.HEADER_ROW]]
    assert header == ["日期", "星期", "带班领导", "联系电话", "值班员", "值班员电话", "备注"]
    body = list(ws.iter_rows(min_row=duty_xlsx.HEADER_ROW + 1, max_row=duty_xlsx.HEADER_ROW + len(rows)))
    for r, cells in zip(rows, body, strict=True):
        when, weekday, leader, phone, officers, officer_phones, remark = (c.value for c in cells)
        assert when == datetime(r.date.year, r.date.month, r.date.day)  # a real date
        assert cells[0].number_format == 'yyyy"年"m"月"d"日"' and cells[0].is_date
        assert (weekday, leader, phone) == (r.weekday, r.leader, r.leader_phone)
        assert isinstance(phone, str)  # no 1.39E+10
        assert officers.split("\n") == [n for n, _p in r.officers]
        assert officer_phones.split("\n") == [p for _n, p in r.officers]
        assert (remark or "") == "\n".join(r.remarks(with_holiday=False))
        assert cells[2].font.name == "仿宋_GB2312" and cells[2].border.left.style == "thin"
    after = [ws.cell(row, 1).value for row in range(duty_xlsx.HEADER_ROW + len(rows) + 1, ws.max_row + 1)]
    assert after[0] == "值班电话：0812-3330000" and "注：★为重点值班日（国庆10月1日）。" in after
    assert after[-1] == "制表单位：攀枝花市人民政府办公室　　制表日期：2026年9月25日"
    # print set-up: A4 portrait, fitted to one page wide, the header row on every page
    assert ws.print_title_rows == "$3:$3"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.freeze_panes == "A4"


def test_the_xlsx_without_officers_has_five_columns(tmp_path):
    import openpyxl

    rows = roster_rows(LEADER_PLAN, PHONES)
    path = duty_xlsx.write_roster(rows, tmp_path / "leaders.xlsx", title="t", org_name=ORG)
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[3]] == ["日期", "星期", "带班领导", "联系电话", "备注"]
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}


def test_a_failed_write_leaves_nothing_behind(rows, tmp_path):
    target = tmp_path / "busy.xlsx"
    target.mkdir()  # cannot be replaced by a file, like a workbook locked by Excel on Windows
    with pytest.raises(UserError, match="无法写入"):
        duty_xlsx.write_roster(rows, target, title="t", org_name=ORG)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy.xlsx"]


# --------------------------------------------------------------------------------------------
# docx
# --------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def east_asian(run) -> str | None:
    fonts = run._element.rPr.find(f"{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_the_docx_notice_reads_back(rows, tmp_path):
    import docx

    path = duty_docx.write_notice(rows, tmp_path / "notice.docx", profile=PANZHIHUA, org_name=ORG,
                                  holiday_label="国庆节", year=2026, notes=["值班电话：0812-3330000"],
                                  issued_on=PRINTED)  # fmt: skip
    doc = docx.Document(str(path))
    paras = list(doc.paragraphs)
    texts = [p.text for p in paras]
    assert texts[0] == "关于2026年国庆节期间值班安排的通知"
    title_run = paras[0].runs[0]
    assert east_asian(title_run) == "方正小标宋简体" and title_run.font.size.pt == 22  # 二号
    assert texts[2] == "各县（市、区）人民政府，市政府各部门："
    assert texts[3].startswith("为做好2026年国庆节期间值班工作") and texts[3].endswith("通知如下：")
    body = "".join(texts)
    assert "一、严格落实领导带班和24小时值班制度。按照《攀枝花市人民政府工作规则》第八十一条规定" in body
    assert "二、带班期间保持通信畅通。" in body and "三、遇重大突发事件及时报告。" in body
    assert "值班电话：0812-3330000" in body
    assert texts[-2:] == [ORG, "2026年9月25日"]
    # fonts: 黑体 for the headings, 仿宋_GB2312 三号 for the body, on every run
    item = next(p for p in paras if p.text.startswith("一、"))
    assert [east_asian(r) for r in item.runs] == ["黑体", "仿宋_GB2312"]
    assert all(east_asian(r) for p in paras for r in p.runs)
    assert paras[3].runs[0].font.size.pt == 16 and east_asian(paras[3].runs[0]) == "仿宋_GB2312"
    # the roster table: a header, then one row a day
    (table,) = doc.tables
    got = [[c.text for c in row.cells] for row in table.rows]
    assert got[0] == ["日期", "星期", "带班领导", "联系电话", "值班员", "备注"]
    assert got[1:] == [[r.date_text, r.weekday, r.leader, r.leader_phone,
                        "\n".join(f"{n} {p}" for n, p in r.officers),
                        "\n".join(r.remarks(with_holiday=True))] for r in rows]  # fmt: skip
    cell_runs = [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert {east_asian(r) for r in cell_runs} == {"黑体", "仿宋_GB2312"}
    # A4 with the GB/T 9704 margins, page numbers in the footers
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    defaults = doc.styles.element.find(f"{W}docDefaults").find(f"{W}rPrDefault").find(f"{W}rPr").find(f"{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋_GB2312" and defaults.get(f"{W}eastAsiaTheme") is None


@pytest.mark.parametrize(
    ("profile", "addressee", "gov"),
    [(XIPING, "各乡镇人民政府、街道办事处，县政府各部门：", "县政府领导"),
     (WUJIAGANG, "各街道办事处、乡镇人民政府，区政府各部门：", "区政府领导"),
     (RIZHAO, "各县（市、区）人民政府，市政府各部门：", "市政府领导")],
)  # fmt: skip
def test_the_notice_speaks_for_the_profiles_level(rows, tmp_path, profile, addressee, gov):
    import docx

    path = duty_docx.write_notice(rows, tmp_path / "n.docx", profile=profile, org_name="", holiday_label="国庆节",
                                  year=2026, issued_on=PRINTED)  # fmt: skip
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert texts[2] == addressee
    body = "".join(texts)
    assert gov + "轮流在岗带班" in body
    assert texts[-2] == profile.office  # no org name: the profile's office signs
    assert "工作规则》" not in body  # all three borrow 000 art.81 for the leaders' roster


def test_a_year_notice_has_no_holiday_in_its_title(tmp_path):
    import docx

    leader, _officer = plans(year_scope(2026))
    rows = roster_rows(leader, PHONES)
    path = duty_docx.write_notice(rows, tmp_path / "y.docx", profile=PANZHIHUA, org_name=ORG, holiday_label="",
                                  year=2026, issued_on=PRINTED)  # fmt: skip
    doc = docx.Document(str(path))
    assert doc.paragraphs[0].text == "关于2026年节假日值班安排的通知"
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["日期", "星期", "带班领导", "联系电话", "备注"]
    assert len(doc.tables[0].rows) == len(rows) + 1


# --------------------------------------------------------------------------------------------
# The UI entry points, on plans stored by desktop.store.duty
# --------------------------------------------------------------------------------------------


@pytest.fixture
def gov(demo_store):
    return demo_store


@pytest.fixture
def stored(gov) -> dict[str, int]:
    """The 2026 国庆 plans of the demo government (攀枝花 rules, 000 art.81 read as the statutory days:
    10-01 to 10-03, the Saturday included)."""
    from desktop.store import duty

    scope = duty.holiday_plan_scope(gov, 2026, "国庆节")
    return {slot: ops.duty.plan(gov, PANZHIHUA, scope, slot).value.info.id for slot in ("leader", OFFICER)}


@pytest.fixture
def session(qapp, gov):
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(gov, demo=True)


def test_stored_plans_make_one_roster_whichever_slot_is_opened(gov, stored):
    from desktop.export.roster_doc import stored_rows
    from desktop.store import duty

    leader_rows, label = stored_rows(duty, gov, duty.load_plan(gov, stored["leader"]), PANZHIHUA.duty.shifts)
    assert label == "2026年国庆节"
    # 000 art.81: 除双休日外的法定节假日 — the weekend inside the block is not rostered
    assert [r.date for r in leader_rows] == [date(2026, 10, d) for d in (1, 2, 3)]
    officer_rows, _label = stored_rows(duty, gov, duty.load_plan(gov, stored["officer"]), PANZHIHUA.duty.shifts)
    assert officer_rows == leader_rows
    for r, day in zip(leader_rows, duty.load_plan(gov, stored["leader"]).rows, strict=True):
        assert (r.leader, r.leader_phone) == (day.name, day.phone) and day.phone
        officers = duty.rows_between(gov, r.date, r.date, OFFICER)
        assert r.officers == tuple((o.name, o.phone) for o in officers) and len(r.officers) == 2
    assert leader_rows[0].heavy == "national_day1" and leader_rows[0].holiday == "国庆节"


def test_a_leader_plan_without_officers_prints_leaders_only(gov):
    from desktop.export.roster_doc import stored_rows
    from desktop.store import duty

    saved = ops.duty.plan(gov, PANZHIHUA, duty.holiday_plan_scope(gov, 2026, "春节")).value
    rows, label = stored_rows(duty, gov, duty.load_plan(gov, saved.info.id))
    assert label == "2026年春节" and rows and all(r.leader and not r.officers for r in rows)
    assert [r.date.day for r in rows] == [16, 17, 18, 19]  # 除夕至初三, the statutory days (000 art.81)
    assert [r.heavy for r in rows[:3]] == ["eve", "spring_day1", None]


@needs_poppler
def test_preview_roster_is_a4_portrait_and_prints_one_page(session, stored, monkeypatch, tmp_path):
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from desktop.store import duty
    from desktop.ui.duty_print import preview_roster
    from desktop.ui.printing import make_printer

    shown = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    dialog = preview_roster(session, stored["leader"])
    assert shown == ["打印预览 — 2026年国庆节期间领导带班及值班安排表"]
    layout = dialog.printer().pageLayout()
    assert layout.orientation() is QPageLayout.Orientation.Portrait
    assert layout.pageSize().id() is QPageSize.PageSizeId.A4
    printer = make_printer(False)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "from-preview.pdf"))
    dialog.paintRequested.emit(printer)  # what 打印 in the preview does
    assert pdf_info(tmp_path / "from-preview.pdf")["Pages"] == "1"
    flat = squeezed(pdf_text(tmp_path / "from-preview.pdf"))
    assert squeezed("单位：演示市人民政府(示例数据)") in flat
    for r in duty.load_plan(session.store, stored["leader"]).rows:
        assert f"{r.date.year}年{r.date.month}月{r.date.day}日{r.weekday}{r.name}{r.phone}" in flat
    for r in duty.load_plan(session.store, stored["officer"]).rows:
        assert f"{r.name}{r.phone}" in flat
    # the officer plan opens the same roster
    assert preview_roster(session, stored["officer"]).windowTitle() == shown[0]


@needs_poppler
def test_export_roster_writes_each_format(session, stored, monkeypatch, tmp_path):
    import docx
    import openpyxl

    from desktop.ui import duty_print

    told = []
    monkeypatch.setattr(duty_print, "_tell", lambda parent, message: told.append(message))
    xlsx = duty_print.export_roster(session, stored["leader"], path=tmp_path / "值班.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["A1"].value == "2026年国庆节期间领导带班及值班安排表"
    assert [ws.cell(row, 1).value.day for row in range(4, 7)] == [1, 2, 3]
    notice = duty_print.export_roster(session, stored["leader"], path=tmp_path / "通知.docx")
    document = docx.Document(str(notice))
    assert document.paragraphs[0].text == "关于2026年国庆节期间值班安排的通知"
    assert len(document.tables[0].rows) == 4  # the header and the three statutory days
    signature = [p.text for p in document.paragraphs][-2:]
    assert signature == ["演示市人民政府办公室（示例数据）", "2026年11月21日"]  # the org, the store clock's today
    pdf = duty_print.export_roster(session, stored["officer"], path=tmp_path / "值班.pdf")
    assert pdf_info(pdf)["Pages"] == "1"
    assert told == [f"已导出值班安排表(Excel):\n{xlsx}", f"已导出值班通知(Word):\n{notice}",
                    f"已导出值班安排表(PDF):\n{pdf}"]  # fmt: skip


def test_the_save_dialog_picks_the_format(session, stored, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from desktop.ui import duty_print

    told = []
    monkeypatch.setattr(duty_print, "_tell", lambda parent, message: told.append(message))
    asked = []

    def fake_dialog(parent, caption, start, filters, selected):
        asked.append((caption, Path(start).name, filters.split(";;")))
        return str(tmp_path / "安排"), "值班通知 Word 文档 (*.docx)"  # no suffix typed: the filter's

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    written = duty_print.export_roster(session, stored["leader"])
    assert written == tmp_path / "安排.docx" and written.exists()
    assert asked[0][1] == "2026年国庆节期间领导带班及值班安排表.xlsx"
    assert asked[0][2] == [f for f, _s in duty_print.EXPORT_FILTERS]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert duty_print.export_roster(session, stored["leader"]) is None  # cancelled: nothing written, nothing said
    assert len(told) == 1


def test_a_missing_plan_or_a_bad_suffix_is_refused_with_a_message(session, stored, monkeypatch, tmp_path):
    from desktop.ui import duty_print

    errors = []
    monkeypatch.setattr(duty_print, "show_error", lambda parent, message, title="": errors.append(message))
    assert duty_print.preview_roster(session, 999) is None
    assert duty_print.export_roster(session, 999, path=tmp_path / "x.xlsx") is None
    assert duty_print.export_roster(session, stored["leader"], path=tmp_path / "x.csv") is None
    assert len(errors) == 3 and all("999" in e for e in errors[:2])
    assert "请选择 .xlsx、.docx 或 .pdf" in errors[2]
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.csv").exists()
