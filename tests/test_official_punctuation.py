"""Official texts use full-width Chinese punctuation (issue 14 "What a secretary reads"; GB/T 15834):
the forms (approval forms, the meeting sign-in sheet and leave summary, the absence register, the duty
roster and its Word notice) and the weekly board with its notes never put an ASCII ``: , ; ( )``
next to Chinese text. Built from the demo government (攀枝花 rules), dates from the injected clock.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from desktop import ops
from desktop.core.citation import official_html, official_text
from desktop.export import absence_loaders, duty_roster, exporter
from desktop.export.absence_register import register_html
from desktop.export.meeting_html import attendance_sheet_html, leave_summary_html
from desktop.resources import available_profiles
from desktop.store import absences, meetings
from desktop.store.opening import open_store
from desktop.store.org import get_org

pytestmark = pytest.mark.both_engines  # on a file and on a server database

_CJK = "\u3400-\u9fff“”《》、。"
#: An ASCII colon, comma, semicolon or bracket right before or after a Chinese character.
HALF_WIDTH = re.compile(rf"[{_CJK}][:,;()]|[:,;()][{_CJK}]")


def text_of(html: str) -> str:
    """What a printout shows: the HTML without its style sheet, tags and entities."""
    html = re.sub(r"<style[^>]*>.*?</style>", "", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]*>", "\n", html))


def half_width(text: str) -> list[str]:
    return [text[max(m.start() - 8, 0):m.end() + 8] for m in HALF_WIDTH.finditer(text)]


def test_the_pattern_and_the_html_conversion():
    assert half_width("时间:2026年") and half_width("出差(北京)") and not half_width("时间：09:30，A4 (PDF)")
    # what a person typed in Latin letters keeps its own marks (tests/test_stored_text.py)
    for kept in ("@SUM(A1)", '=HYPERLINK("http://x","点我")', "09:30", "(PDF) A4"):
        assert official_text(kept) == kept
    assert official_text("周晓燕(副市长) 11-21 09:30(代)") == "周晓燕（副市长） 11-21 09:30（代）"
    html = '<p style="margin: 0;">地点:东区;议题(一)&nbsp;09:30</p><style>td { a: b; }</style>'
    assert official_html(html) == '<p style="margin: 0;">地点：东区；议题（一）&nbsp;09:30</p><style>td { a: b; }</style>'


@pytest.fixture
def week(db_path, clock):
    """The live demo week (`dutydesk --demo`): records in every state, a meeting with leave, an AB gap."""
    store = open_store(db_path, clock, operator="测试员")
    days = ops.demo.populate_week(store, available_profiles()).value
    yield store, days
    store.close()


def test_forms_and_board_of_the_demo_use_full_width_punctuation(week, tmp_path):
    store, days = week
    profile = ops.org.profile_of(store)
    org = get_org(store).name
    today = store.clock.today()
    found: dict[str, list[str]] = {}

    def check(name: str, text: str) -> None:
        assert text.strip(), name
        if bad := half_width(text):
            found[name] = bad

    notes = 0
    for week in (today, days.gap):  # the weekly board and its notes (注: the demo's AB gap, 000 art.61)
        board, html = absence_loaders.weekly_html_for(store, profile, org, week)
        notes += len(board.notes)
        check(f"一周领导在岗情况表 {week}", text_of(html))
        if board.notes:
            check(f"注 {week}", " ".join(n.text for n in board.notes))
    assert notes, "the demo's week has an acting gap: its note is checked"
    records = absences.list_absences(store)
    assert records
    for record in records:  # every record's 外出报备审批表 / 请假审批单
        check(f"审批表 #{record.id}", text_of(absence_loaders.approval_form_for(store, profile, org, record.id)[1]))
    start, end = today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    check("外出登记簿", text_of(register_html(exporter.absence_entries(store, profile, start, end), profile, org,
                                            start, end, printed_on=today)))  # fmt: skip
    listed = meetings.list_meetings(store)
    assert listed
    for m in listed:
        view = ops.meetings.view(store, profile, m.id)
        check(f"签到表 #{m.id}", text_of(attendance_sheet_html(view, profile, org, printed_on=today)))
        check(f"请假汇总 #{m.id}", text_of(leave_summary_html(view, profile, org, printed_on=today)))
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year + 1, 12, 31)
    rows, label, _ = exporter.duty_rows(store, profile, year_start, year_end)
    assert rows
    check("带班表", text_of(duty_roster.roster_html(rows, profile, org, label, printed_on=today)))

    # The files: the weekly board's workbook (its notes and legend) and the duty notice (.docx).
    from docx import Document
    from openpyxl import load_workbook

    xlsx = exporter.export(store, profile, "weekly", "xlsx", tmp_path / "weekly.xlsx", org_name=org).path
    cells = [str(c.value) for ws in load_workbook(xlsx) for row in ws.iter_rows() for c in row if c.value]
    check("一周领导在岗情况表.xlsx", "\n".join(cells))
    docx = exporter.export(store, profile, "duty", "docx", tmp_path / "duty.docx", start=year_start, end=year_end,
                           org_name=org).path
    doc = Document(str(docx))
    paragraphs = [p.text for p in doc.paragraphs]
    paragraphs += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    check("值班安排通知.docx", "\n".join(paragraphs))
    assert found == {}
