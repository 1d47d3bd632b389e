"""The travel and leave printouts: PDFs rendered offscreen and read back with poppler
(pdfinfo, pdftotext -layout), the notification text, the preview and notification dialogs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from desktop import ops
from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.board import build_board
from desktop.core.calseed import seed_calendar
from desktop.core.people import Person, PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.export import absence_html, notify
from desktop.resources import available_profiles
from desktop.store import people
from desktop.store.opening import open_store

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
PANZHIHUA = load_profile(PROFILES / "panzhihua.toml")
XIPING = load_profile(PROFILES / "xiping.toml")
WEEK = date(2026, 11, 23)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


#: The CJK Radicals Supplement and the Kangxi Radicals: a PDF whose text holds one of them names
#: the radical where an ideograph was printed (desktop.export.pdf_unicode).
RADICAL_BLOCKS = (0x2E80, 0x2FDF)


def radicals_in(text: str) -> str:
    return "".join(ch for ch in text if RADICAL_BLOCKS[0] <= ord(ch) <= RADICAL_BLOCKS[1])


def column_text(path: Path, x_from: float, x_to: float) -> str:
    """The words printed between x_from and x_to (points), top to bottom: a table column."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(y), float(x), w) for x, y, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
             if x_from <= float(x) < x_to]  # fmt: skip
    return squeezed("".join(w for _y, _x, w in sorted(words)))


def squeezed(text: str) -> str:
    """The text without layout spaces (pdftotext spreads table cells over a line), full-width
    punctuation folded (NFKC). A PDF's text must hold the ideographs printed, never radicals."""
    assert not radicals_in(text), f"radicals in the PDF's text: {radicals_in(text)}"
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------------------------
# The weekly board: 20 leaders on one A4 landscape page
# --------------------------------------------------------------------------------------------

SURNAMES = "王李张陈刘赵孙周吴郑冯朱秦许何吕施杨韩曹"


def twenty_leaders() -> tuple[list[Person], list[tuple[int, int]]]:
    roles = ([Role.chief, Role.executive_deputy] + [Role.deputy] * 12 + [Role.secretary_general, Role.office_director]
             + [Role.party_member] * 4)  # fmt: skip
    titles = {Role.chief: "市长", Role.executive_deputy: "常务副市长", Role.deputy: "副市长",
              Role.secretary_general: "市政府秘书长", Role.office_director: "市政府办公室主任",
              Role.party_member: "市政府党组成员"}  # fmt: skip
    leaders = [Person(i, f"{SURNAMES[i - 1]}晓{'东南西北中'[i % 5]}", role, titles[role], i)
               for i, role in enumerate(roles, start=1)]  # fmt: skip
    pairs = [(i, i + 1) for i in range(3, 15, 2)]
    return leaders, pairs


def busy_week(leaders: list[Person]) -> list[Absence]:
    """Something for everyone: long destinations, half days, two records a day, a long study leave."""
    out = []
    dests = ["北京市海淀区", "成都", "西昌", "省委党校", "昆明", "重庆市渝中区", "上海", "米易县"]
    for p in leaders:
        start = WEEK + dt.timedelta(days=p.id % 5)
        out.append(Absence(id=p.id * 10, person_id=p.id, kind=AbsenceKind.trip, start=start,
                           end=start + dt.timedelta(days=1 + p.id % 3), destination=dests[p.id % len(dests)],
                           leaves_jurisdiction=True, state=AbsenceState.approved))  # fmt: skip
        if p.id % 4 == 0:
            day = WEEK if start != WEEK else WEEK + dt.timedelta(days=4)
            out.append(Absence(id=p.id * 10 + 1, person_id=p.id, kind=AbsenceKind.personal, start=day, end=day,
                               end_half=Half.am, state=AbsenceState.approved))  # fmt: skip
    return out


@pytest.fixture
def fonts(qapp):
    from desktop.ui.printing import print_fonts

    return print_fonts()


@needs_poppler
def test_the_weekly_board_of_20_leaders_prints_on_one_a4_landscape_page(fonts, tmp_path):
    from desktop.ui.printing import render_pdf

    leaders, pairs = twenty_leaders()
    board = build_board(WEEK, PANZHIHUA, leaders, busy_week(leaders), ab_pairs=pairs, calendar=seed_calendar())
    assert len(board.rows) == 20
    html = absence_html.weekly_board_html(board, PANZHIHUA, "攀枝花市人民政府办公室", printed_on=date(2026, 11, 21),
                                          fonts=fonts)  # fmt: skip
    # without shrinking to fit: the layout itself holds 20 leaders on a page
    pdf = render_pdf(html, tmp_path / "board.pdf", landscape=True, fit_one_page=False)
    info = pdf_info(pdf)
    assert info["Pages"] == "1"
    assert info["Page size"] == "842 x 595 pts (A4)"  # landscape
    text = pdf_text(pdf)
    flat = squeezed(text)
    assert "攀枝花市人民政府一周领导在岗情况表" in flat
    assert "2026年11月23日—11月29日(第48周)" in flat
    for p in leaders:
        assert p.name in flat, p.name
    assert "11月23日" in flat and "星期一" in flat and "星期日" in flat
    assert "代:" in flat and "上午因私请假" in flat
    assert "制表:攀枝花市人民政府办公室" in flat and "制表日期:2026年11月21日" in flat
    # the fonts are CJK fonts embedded in the file (GB/T 9704 ones when installed, else fallbacks)
    fonts_out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CJK|Song|Fang|SimSun|YaHei", fonts_out, re.IGNORECASE)


@needs_poppler
@pytest.mark.parametrize("n", [8, 11, 13, 14, 15, 17])
def test_every_size_of_board_up_to_20_fits_one_page_by_itself(fonts, tmp_path, n):
    from desktop.ui.printing import render_pdf

    leaders, pairs = twenty_leaders()
    board = build_board(WEEK, PANZHIHUA, leaders[:n], busy_week(leaders[:n]), ab_pairs=pairs, calendar=seed_calendar())
    html = absence_html.weekly_board_html(board, PANZHIHUA, "攀枝花市人民政府办公室", fonts=fonts)
    assert pdf_info(render_pdf(html, tmp_path / "b.pdf", landscape=True, fit_one_page=False))["Pages"] == "1"


@needs_poppler
def test_a_board_with_the_national_day_marks(fonts, tmp_path):
    from desktop.ui.printing import render_pdf

    leaders, pairs = twenty_leaders()
    board = build_board(date(2026, 10, 5), PANZHIHUA, leaders[:8], [], ab_pairs=pairs, calendar=seed_calendar())
    html = absence_html.weekly_board_html(board, PANZHIHUA, "攀枝花市人民政府办公室", printed_on=date(2026, 9, 30),
                                          fonts=fonts)  # fmt: skip
    flat = squeezed(pdf_text(render_pdf(html, tmp_path / "oct.pdf", landscape=True)))
    assert "休国庆节" in flat and "班调休上班" in flat and "(第41周)" in flat


# --------------------------------------------------------------------------------------------
# The approval form: a 西平县 township head's leave (002 art.55)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def xiping(tmp_path, clock):
    store = open_store(tmp_path / "xiping.db", clock, operator="测试员")
    ops.org.init_org(store, "xiping", "西平县人民政府办公室", available_profiles())
    for name, role, title in [("赵县长", Role.chief, "县长"), ("钱常务", Role.executive_deputy, "常务副县长"),
                              ("孙副县", Role.deputy, "副县长"), ("李主任", Role.office_director, "县政府办公室主任"),
                              ("周镇长", Role.township_head, "城关镇镇长")]:  # fmt: skip
        ops.people.add_person(store, PersonDraft(name=name, role=role, title=title, unit="城关镇" if
                                             role is Role.township_head else ""))  # fmt: skip
    yield store
    store.close()


def township_leave(store) -> int:
    head = people.find_person(store, "周镇长")
    draft = Absence(id=None, person_id=head.id, kind=AbsenceKind.personal, start=date(2026, 11, 26),
                    end=date(2026, 11, 27), destination="郑州", reason="探望父母", leaves_jurisdiction=True,
                    contact="13800000001", reported_at=dt.datetime(2026, 11, 20, 15, 0))  # fmt: skip
    saved = ops.absences.add_absence(store, XIPING, draft).value
    assert [s.label for s in saved.steps] == ["县政府办公室汇总", "办公室主任签报县长", "县长同意", "按程序报备"]
    return saved.record.id


@needs_poppler
def test_the_leave_form_has_one_signature_box_per_step_in_chain_order(fonts, xiping, tmp_path):
    from desktop.export.absence_loaders import approval_form_for
    from desktop.ui.printing import render_pdf

    rid = township_leave(xiping)
    ops.absences.advance_absence(xiping, rid, "测试员", comment="已汇总")
    record, html = approval_form_for(xiping, XIPING, "西平县人民政府办公室", rid, fonts)
    assert absence_html.form_title(record) == "请假审批单"
    pdf = render_pdf(html, tmp_path / "form.pdf", landscape=False, fit_one_page=False)
    info = pdf_info(pdf)
    assert info["Pages"] == "1"
    assert info["Page size"] == "595 x 842 pts (A4)"  # portrait
    flat = squeezed(pdf_text(pdf))
    assert "请假审批单" in flat and "填报单位:西平县人民政府办公室" in flat
    for field in ("周镇长", "城关镇镇长", "因私请假", "是(离县)", "2026年11月26日至27日", "共2天", "郑州",
                  "探望父母", "13800000001", "2026年11月20日15:00"):
        assert field in flat, field
    labels = ["县政府办公室汇总", "办公室主任签报县长", "县长同意", "按程序报备"]
    left = column_text(pdf, 0, 115)  # the label column, top to bottom (labels wrap in it)
    assert "代行人员" + "".join(labels) + "依据" in left, left  # after the record's fields, in chain order
    assert flat.count("日期:________年____月____日") == 4  # one signature box per step
    assert "已汇总:测试员2026年11月21日09:30" in flat and "意见:已汇总" in flat
    assert "依据:《西平县人民政府工作规则(征求意见稿)》第五十五条" in flat


def test_a_trip_prints_as_a_travel_report_form():
    record = Absence(id=1, person_id=1, kind=AbsenceKind.trip, start=WEEK, end=WEEK, destination="北京")
    assert absence_html.form_title(record) == "外出报备审批表"
    html = absence_html.approval_form_html(record, Person(1, "张丽华", Role.deputy, "副市长", 3), [], PANZHIHUA,
                                           "攀枝花市人民政府办公室", ["周晓燕(副市长)"])  # fmt: skip
    assert "外出报备审批表" in html and "周晓燕（副市长）" in html and "按规定无需审批" in html


# --------------------------------------------------------------------------------------------
# The notification text (通报)
# --------------------------------------------------------------------------------------------


def demo_trip(store, profile=PANZHIHUA) -> int:
    draft = Absence(id=None, person_id=people.find_person(store, "张丽华").id, kind=AbsenceKind.trip,
                    start=date(2026, 11, 26), end=date(2026, 11, 28), destination="北京", leaves_jurisdiction=True,
                    reported_at=dt.datetime(2026, 11, 20, 16, 0))  # fmt: skip
    return ops.absences.add_absence(store, profile, draft).value.record.id


def test_the_notification_names_who_agreed_and_who_acts(demo_store):
    from desktop.export.absence_loaders import notification_for

    rid = demo_trip(demo_store)
    ops.absences.advance_absence(demo_store, rid, "王建国", comment="同意")
    _record, text = notification_for(demo_store, PANZHIHUA, "攀枝花市人民政府办公室", rid)
    assert text == (
        "各位领导：\n"
        "\u3000\u3000张丽华副市长于2026年11月26日至28日赴北京出差（已事先报告市长），期间由周晓燕副市长代行部分政务活动职责。\n"
        "\u3000\u3000特此通报。\n\n攀枝花市人民政府办公室\n2026年11月21日\n"
    )


def test_the_notification_of_a_trip_not_yet_agreed_has_no_consent_and_acting_changes_are_dated(demo_store):
    from desktop.export.absence_loaders import notification_for

    rid = demo_trip(demo_store)
    partner = people.find_person(demo_store, "周晓燕")
    ops.absences.add_absence(demo_store, PANZHIHUA, Absence(
        id=None, person_id=partner.id, kind=AbsenceKind.trip, start=date(2026, 11, 28), end=date(2026, 11, 28),
        destination="盐边县", reported_at=dt.datetime(2026, 11, 20, 16, 0)))  # fmt: skip
    _record, text = notification_for(demo_store, PANZHIHUA, "攀枝花市人民政府办公室", rid)
    assert "经市长同意" not in text
    assert "期间11月26日至27日由周晓燕副市长代行部分政务活动职责；11月28日代行工作由市政府办公室另行协调安排。" in text


def test_the_chief_rule_reads_as_the_article_says():
    chief = Person(1, "王建国", Role.chief, "市长", 1)
    deputy = Person(2, "李志强", Role.executive_deputy, "常务副市长", 2)
    trip = Absence(id=5, person_id=1, kind=AbsenceKind.trip, start=WEEK, end=WEEK + dt.timedelta(days=1),
                   destination="成都", reason="参加省政府全体会议", leaves_jurisdiction=True,
                   state=AbsenceState.approved)  # fmt: skip
    from desktop.core.acting import ActingContext, acting_reports

    ctx = ActingContext(PANZHIHUA, [chief, deputy])
    reports = acting_reports(ctx, [trip], [WEEK, WEEK + dt.timedelta(days=1)])
    text = notify.notification_text(trip, chief, PANZHIHUA, reports, org_name="攀枝花市人民政府办公室",
                                    on=date(2026, 11, 21))  # fmt: skip
    assert ("王建国市长于2026年11月23日至24日赴成都出差（参加省政府全体会议），"
            "期间受市长委托，由李志强常务副市长代行市长职责。") in text  # fmt: skip
    assert not set(",:;()") & set(text)  # an official text: full-width punctuation only (issue 14)
    assert notify.acting_summary(PANZHIHUA, chief, reports) == ["李志强(常务副市长)"]


def test_a_township_heads_leave_has_no_acting_sentence(xiping):
    from desktop.export.absence_loaders import notification_for

    rid = township_leave(xiping)
    _record, text = notification_for(xiping, XIPING, "西平县人民政府办公室", rid)
    assert "周镇长" in text and "城关镇镇长" in text and "因私请假（赴郑州）" in text
    assert "期间" not in text and text.endswith("西平县人民政府办公室\n2026年11月21日\n")


# --------------------------------------------------------------------------------------------
# Dialogs and the menu
# --------------------------------------------------------------------------------------------


@pytest.fixture
def session(qapp, demo_store):
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(demo_store, demo=True)


@needs_poppler
def test_preview_weekly_is_a4_landscape_and_prints_through_the_same_layout(session, monkeypatch, tmp_path):
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from desktop.ui.printing import make_printer, preview_weekly

    demo_trip(session.store)
    shown = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    dialog = preview_weekly(session, date(2026, 11, 25))
    assert shown == ["打印预览 — 一周领导在岗情况表 2026年11月23日—11月29日(第48周)"]
    layout = dialog.printer().pageLayout()
    assert layout.orientation() is QPageLayout.Orientation.Landscape
    assert layout.pageSize().id() is QPageSize.PageSizeId.A4
    printer = make_printer(True)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "from-preview.pdf"))
    dialog.paintRequested.emit(printer)  # what 打印 in the preview does
    assert pdf_info(tmp_path / "from-preview.pdf")["Pages"] == "1"
    flat = squeezed(pdf_text(tmp_path / "from-preview.pdf"))
    assert "出差北京" in flat and "代:周晓燕" in flat


def test_preview_approval_form_is_portrait(session, monkeypatch):
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from desktop.ui.printing import preview_approval_form

    rid = demo_trip(session.store)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: 0)
    dialog = preview_approval_form(session, rid)
    assert dialog.windowTitle() == "打印预览 — 外出报备审批表 — 张丽华 2026年11月26日至28日"
    assert dialog.printer().pageLayout().orientation() is QPageLayout.Orientation.Portrait


def test_show_notification_copies_the_text(session, monkeypatch):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog

    from desktop.ui.printing import show_notification

    rid = demo_trip(session.store)
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    dialog = show_notification(session, rid)
    text = dialog.text.toPlainText()
    assert dialog.text.isReadOnly() and "由周晓燕副市长" in text
    assert not dialog.warning.isHidden()  # 审批中: check before sending
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
    assert dialog.status.text() == "已复制到剪贴板。"


def test_missing_records_are_refused_with_a_message(session, monkeypatch):
    from desktop.ui import printing

    errors = []
    monkeypatch.setattr(printing, "show_error", lambda parent, message: errors.append(message))
    assert printing.show_notification(session, 999) is None
    assert printing.preview_approval_form(session, 999) is None
    assert len(errors) == 2 and "999" in errors[0]


def test_the_print_menu_opens_this_weeks_board(qtbot, session, monkeypatch):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    window = MainWindow(session, Settings())
    qtbot.addWidget(window)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "打印(&P)")
    action = next(a for a in menu.actions() if a.text() == "一周领导在岗情况表…")
    assert action.shortcut() == QKeySequence("Ctrl+Shift+P")
    shown = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0)
    action.trigger()
    # the clock says Saturday 2026-11-21: from Thursday on the board defaults to next week, 23–29 November
    assert shown == ["打印预览 — 一周领导在岗情况表 2026年11月23日—11月29日(第48周)"]


# --------------------------------------------------------------------------------------------
# The layout helper
# --------------------------------------------------------------------------------------------


@needs_poppler
def test_fit_one_page_shrinks_a_longer_printout_onto_one_page(fonts, tmp_path):
    from desktop.ui.printing import render_pdf

    leaders, pairs = twenty_leaders()
    more = leaders + [Person(100 + p.id, p.name + "乙", Role.party_member, "市政府党组成员", 100 + p.id) for p in leaders]
    board = build_board(WEEK, PANZHIHUA, more, busy_week(more), ab_pairs=pairs, calendar=seed_calendar())
    html = absence_html.weekly_board_html(board, PANZHIHUA, "攀枝花市人民政府办公室", fonts=fonts)
    assert pdf_info(render_pdf(html, tmp_path / "two.pdf", landscape=True, fit_one_page=False))["Pages"] == "2"
    one = render_pdf(html, tmp_path / "one.pdf", landscape=True)
    assert pdf_info(one)["Pages"] == "1"
    assert "曹晓东乙" in squeezed(pdf_text(one))  # the last row is on the page, not cut off


@needs_poppler
def test_render_pdf_prints_the_calendar_month_too(qapp, tmp_path):
    from desktop.export.month_html import render_month
    from desktop.ui.calendar_page import print_fonts as calendar_fonts
    from desktop.ui.printing import render_pdf

    html = render_month(seed_calendar(), 2026, 2, org="攀枝花市人民政府办公室", printed_on=date(2026, 2, 10))
    pdf = render_pdf(html, tmp_path / "month.pdf", landscape=True, default_font=calendar_fonts(10))
    assert pdf_info(pdf)["Pages"] == "1"
    assert "春节" in squeezed(pdf_text(pdf))


def page_text(pdf: Path, n: int) -> str:
    return squeezed(subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout)  # fmt: skip


@needs_poppler
def test_every_page_is_numbered_as_its_kind_says(qapp, fonts, xiping, tmp_path):
    """Tables: 第 N 页 共 M 页; the approval form, an official document: — N — (GB/T 9704)."""
    from desktop.export.absence_loaders import approval_form_for
    from desktop.export.month_html import render_month
    from desktop.ui.calendar_page import print_fonts as calendar_fonts
    from desktop.ui.printing import render_pdf

    leaders, pairs = twenty_leaders()
    more = leaders + [Person(100 + p.id, p.name + "乙", Role.party_member, "市政府党组成员", 100 + p.id) for p in leaders]
    board = build_board(WEEK, PANZHIHUA, more, busy_week(more), ab_pairs=pairs, calendar=seed_calendar())
    html = absence_html.weekly_board_html(board, PANZHIHUA, "攀枝花市人民政府办公室", fonts=fonts)
    two = render_pdf(html, tmp_path / "two.pdf", landscape=True, fit_one_page=False)
    assert pdf_info(two)["Pages"] == "2"
    assert page_text(two, 1).endswith("第1页共2页") and page_text(two, 2).endswith("第2页共2页")
    one = render_pdf(html, tmp_path / "one.pdf", landscape=True)
    assert page_text(one, 1).endswith("第1页共1页")

    month = render_month(seed_calendar(), 2026, 2, org="攀枝花市人民政府办公室", printed_on=date(2026, 2, 10))
    pdf = render_pdf(month, tmp_path / "month.pdf", landscape=True, default_font=calendar_fonts(10))
    assert page_text(pdf, 1).endswith("第1页共1页")

    _record, form = approval_form_for(xiping, XIPING, "西平县人民政府办公室", township_leave(xiping), fonts)
    pdf = render_pdf(form, tmp_path / "form.pdf", landscape=False, fit_one_page=False, page_numbers="official")
    text = page_text(pdf, 1)
    assert text.endswith("—1—") and "第1页" not in text


def test_page_number_texts():
    from desktop.export.pdf import page_number_text

    assert page_number_text("table", 1, 2) == "第 1 页 共 2 页"
    assert page_number_text("official", 3, 9) == "— 3 —"
    assert page_number_text("", 1, 1) == ""
    with pytest.raises(ValueError):
        page_number_text("roman", 1, 1)
