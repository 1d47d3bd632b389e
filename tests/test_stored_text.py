"""Stored text never becomes a formula: every xlsx and csv export, read back.

A government whose leaders and duty officers carry names a spreadsheet would evaluate
(``=1+1``, ``-2+3``, ``@SUM(A1)``, ``#N/A``, every other one with = + - @ before it), phones
written ``+86 13800000000``, and a trip to ``=HYPERLINK("http://x","点我")`` for
``=cmd|' /C calc'!A0``. Each xlsx is read back with openpyxl: no cell is a formula or an error,
each text is a string equal to the stored text (with Excel's quote prefix). Each csv is read back
with the csv module: a field that starts with = + - @ TAB CR has one ``'`` before it, no other does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.export import exporter
from desktop.export.csv_export import BOM, csv_bytes
from desktop.export.formulas import FORMULA_START, neutralise, restore
from desktop.resources import available_profiles
from desktop.store import duty, people
from desktop.store.opening import open_store
from desktop.store.org import get_org

PHONE = "+86 13800000000"
DEST = '=HYPERLINK("http://x","点我")'
DDE = "=cmd|' /C calc'!A0"
#: The leaders and the first duty officer renamed to the golden names; everyone else gets a
#: prefix (=王建国, +刘海峰 …), so every name on every export is text a spreadsheet would evaluate.
GOLDEN = {"李志强": "=1+1", "张丽华": "-2+3", "陈明": "@SUM(A1)"}
PREFIXES = ("=", "+", "-", "@")
WEEK = date(2026, 11, 16)
TRIP = (date(2026, 11, 17), date(2026, 11, 19))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The demo government renamed: (store, the stored names of everyone renamed)."""
    from desktop.core.clock import FixedClock

    path = tmp_path_factory.mktemp("hostile") / "test.db"
    store = open_store(path, FixedClock(dt.datetime(2026, 11, 21, 9, 30)), operator="测试员")
    ops.org.populate(store, available_profiles())
    names = []
    first_staff = True
    for i, p in enumerate(people.list_people(store)):
        if p.role is Role.staff and first_staff:
            name, first_staff = "#N/A", False
        elif p.name in GOLDEN:
            name = GOLDEN[p.name]
        elif p.role.is_leader or p.role is Role.staff:
            name = PREFIXES[i % len(PREFIXES)] + p.name
        else:
            continue
        draft = PersonDraft(name=name, role=p.role, title=p.title, phone=PHONE, unit=p.unit, note=p.note,
                            rank=p.rank, portfolio=tuple(people.portfolio_of(store, p.id)))  # fmt: skip
        ops.people.update_person(store, p.id, draft, p.version)
        names.append(name)
    profile = ops.org.profile_of(store)
    trip = Absence(id=None, person_id=people.find_person(store, "=1+1").id, kind=AbsenceKind.trip, start=TRIP[0],
                   end=TRIP[1], destination=DEST, reason=DDE, leaves_jurisdiction=True,
                   reported_at=dt.datetime(2026, 11, 14, 10, 0))  # fmt: skip
    ops.absences.add_absence(store, profile, trip, submit=True)
    scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    for slot in (duty.LEADER, duty.OFFICER):
        ops.duty.plan(store, profile, scope, slot)
    yield store, profile, frozenset(names)
    store.close()


def export(hostile, what: str, fmt: str, path: Path) -> Path:
    store, profile, _names = hostile
    kw = {"week": WEEK} if what == "weekly" else {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    exporter.export(store, profile, what, fmt, path, org_name=get_org(store).name, **kw)
    return path


def text_cells(path: Path) -> list:
    """Every cell of every sheet that holds something."""
    book = openpyxl.load_workbook(path, rich_text=True)
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))



XLSX = [(what, "xlsx") for what in exporter.WHAT]
CSV = [(what, "csv") for what in exporter.WHAT]


@pytest.mark.parametrize(("what", "fmt"), XLSX)
def test_no_xlsx_cell_is_a_formula_or_an_error(hostile, tmp_path, what, fmt):
    cells = text_cells(export(hostile, what, fmt, tmp_path / f"{what}.xlsx"))
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    for c in cells:
        if isinstance(c.value, str):
            assert c.data_type == "s", c.coordinate
            assert c.quotePrefix == c.value.startswith(FORMULA_START), (c.coordinate, c.value)


def strings(path: Path) -> dict[str, object]:
    """The text cells of a workbook: their text (rich text as plain text) -> the cell."""
    return {str(c.value): c for c in text_cells(path) if c.data_type == "s"}


def test_the_weekly_board_xlsx_keeps_the_leaders_names_and_the_destination(hostile, tmp_path):
    cells = strings(export(hostile, "weekly", "xlsx", tmp_path / "weekly.xlsx"))
    _store, _profile, names = hostile
    for name in GOLDEN.values():
        assert cells[name].value == name
        assert cells[name].quotePrefix
    assert f"出差 {DEST}" in cells  # the away cell (rich text), merged over the three days
    board_names = {c.value for c in cells.values() if c.column == 1 and c.row > 4 and c.value in names}
    assert len(board_names) >= 10  # every leader, each under its stored name


def test_the_duty_roster_xlsx_keeps_names_and_phones_as_typed(hostile, tmp_path):
    cells = text_cells(export(hostile, "duty", "xlsx", tmp_path / "duty.xlsx"))
    _store, _profile, names = hostile
    header = {c.value: c.column for c in cells if c.row == 3}
    body = [c for c in cells if c.row > 3 and c.column in (header["带班领导"], header["联系电话"])]
    leaders = {c.value for c in body if c.column == header["带班领导"]}
    assert set(GOLDEN.values()) <= leaders <= names
    phones = [c for c in body if c.column == header["联系电话"]]
    assert phones and all(c.value == PHONE and c.data_type == "s" and c.quotePrefix for c in phones)
    officers = [c.value for c in cells if c.row > 3 and c.column == header["值班员"]]
    assert officers and all(set(v.split("\n")) <= names for v in officers)
    assert any("#N/A" in v.split("\n") for v in officers)


def test_the_absences_xlsx_keeps_the_destination_and_the_dde_payload_as_text(hostile, tmp_path):
    cells = strings(export(hostile, "absences", "xlsx", tmp_path / "absences.xlsx"))
    for text in ("=1+1", DEST, DDE):
        assert cells[text].value == text
        assert cells[text].data_type == "s" and cells[text].quotePrefix


@pytest.mark.parametrize(("what", "fmt"), CSV)
def test_no_csv_field_starts_as_a_formula(hostile, tmp_path, what, fmt):
    rows = read_csv(export(hostile, what, fmt, tmp_path / f"{what}.csv"))
    fields = [f for row in rows for f in row]
    assert not [f for f in fields if f.startswith(FORMULA_START)]
    quoted = [f for f in fields if f.startswith("'")]
    assert quoted and all(f[1:].startswith(FORMULA_START) for f in quoted)


def test_the_csv_exports_write_the_neutralised_stored_text(hostile, tmp_path):
    weekly = read_csv(export(hostile, "weekly", "csv", tmp_path / "weekly.csv"))
    assert {"'=1+1", "'-2+3", "'@SUM(A1)"} <= {row[0] for row in weekly}
    assert f"出差 {DEST}" in {f for row in weekly for f in row}  # not at the start: as stored

    duty_rows = read_csv(export(hostile, "duty", "csv", tmp_path / "duty.csv"))
    header, body = duty_rows[0], duty_rows[1:]
    leaders = {row[header.index("带班领导")] for row in body}
    assert {"'=1+1", "'-2+3", "'@SUM(A1)"} <= leaders
    assert {row[header.index("带班领导电话")] for row in body} == {"'" + PHONE}
    assert {row[0] for row in body} >= {"2026-10-01", "2026-10-03"}  # dates as they were (000 art.81: the statutory days)

    absences = read_csv(export(hostile, "absences", "csv", tmp_path / "absences.csv"))
    header, (row,) = absences[0], absences[1:]
    assert row[header.index("姓名")] == "'=1+1"
    assert row[header.index("目的地")] == "'" + DEST
    assert row[header.index("事由")] == "'" + DDE  # the pipe kept: dropping the ' gives the stored text
    assert row[header.index("开始")] == "2026-11-17"


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    (PHONE, "'" + PHONE),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    (DDE, "'" + DDE),
    ("13800000000", "13800000000"),
    ("0812-3331234", "0812-3331234"),
    ("2026-10-01 上午", "2026-10-01 上午"),
    ("#N/A", "#N/A"),
    ("", ""),
    (None, ""),
    ("'=1+1", "'=1+1"),  # a quote already there is the user's text: one more is not needed
])  # fmt: skip
def test_neutralise_quotes_only_what_a_spreadsheet_would_evaluate(text, written):
    assert neutralise(text) == written
    if text is not None and not text.startswith("'"):
        assert restore(written) == text


def test_a_csv_export_reads_back_as_the_stored_text(hostile, tmp_path):
    from desktop.export.tabular import read_roster_sheet

    sheet = read_roster_sheet(export(hostile, "duty", "csv", tmp_path / "duty.csv"))
    leaders = {row[sheet.header.index("带班领导")] for row in sheet.rows}
    assert {"=1+1", "-2+3", "@SUM(A1)"} <= leaders
    assert {row[sheet.header.index("带班领导电话")] for row in sheet.rows} == {PHONE}


def test_a_tab_or_cr_at_the_start_of_a_field_is_quoted(tmp_path):
    data = csv_bytes(["姓名"], [["\t=1+1"], ["\r-2"]])
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert read_csv(path)[1:] == [["'\t=1+1"], ["'\r-2"]]


def test_keep_text_turns_formulas_and_error_codes_back_to_text(tmp_path):
    from desktop.export.xlsx_style import keep_text

    book = openpyxl.Workbook()
    ws = book.active
    for row, text in enumerate(("=1+1", "#N/A", "#DIV/0!", "+86 13800000000", "普通文字"), start=1):
        ws.cell(row, 1, text)
    ws.cell(6, 1, 42)
    keep_text(book).save(tmp_path / "k.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "k.xlsx").active
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for (c,) in ws.iter_rows()] == [
        ("=1+1", "s", True), ("#N/A", "s", False), ("#DIV/0!", "s", False),
        ("+86 13800000000", "s", True), ("普通文字", "s", False), (42, "n", False),
    ]  # fmt: skip
