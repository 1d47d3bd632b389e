"""Bad-input fuzzing of every importer (issue 7): the holiday notice, the people sheet, the duty
roster and the profile files.

Each fuzzer feeds realistic-but-wrong inputs (a real notice with a date mutated, a people sheet
with unknown roles and 10,000-character cells, a roster with dates out of range, a profile with a
key of the wrong type) and raw random text or bytes. The outcome must be a success or a UserError
whose message is Chinese and says what to fix (a row-level refusal names its row); anything else
is a bug. A refused import changes nothing in the database (the whole file is compared).

Budget and seed: see tests/fuzz_strategies.py (``DUTYDESK_FUZZ_EXAMPLES``, ``DUTYDESK_FUZZ_SEED``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import shutil
import tempfile
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fuzz_strategies import (
    CJK,
    DEMO_LEADERS,
    DEMO_STAFF,
    FOUR_BYTE,
    ROW_REF,
    assert_user_message,
    fuzz,
    long_text,
    odd_text,
    person_name,
    snapshot,
)
from hypothesis import event, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from test_notice import NOTICES

from desktop import ops
from desktop.core.clock import FixedClock
from desktop.core.errors import UserError
from desktop.core.notice import parse_notice
from desktop.core.people_import import HEADER_ALIASES, guess_mapping, parse_mapped, parse_rows
from desktop.core.profile import ProfileError, load_profile, parse_profile
from desktop.core.roles import ROLE_ALIASES, Role
from desktop.core.roster_import import guess_columns, guess_year
from desktop.export import tabular
from desktop.export.tabular import read_roster_sheet
from desktop.ops import roster_import
from desktop.resources import available_profiles, profiles_dir
from desktop.store import calendar, demo, people
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)
SAMPLE = (Path(__file__).parent / "data" / "notice_2027_sample.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- a demo database per example

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The demo government in a database file, copied for every example (about 2 ms)."""
    path = tmp_path_factory.mktemp("fuzz") / "template.db"
    store = open_store(path, FixedClock(NOW), operator="测试员")
    ops.org.populate(store, available_profiles())
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


class Fresh:
    """A copy of the template database in a temporary folder, opened; files can be written next to it."""

    def __init__(self, template: Path):
        self._dir = tempfile.TemporaryDirectory(prefix="dutydesk-fuzz-")
        self.dir = Path(self._dir.name)
        shutil.copy(template, self.dir / "t.db")
        self.store = open_store(self.dir / "t.db", FixedClock(NOW), operator="测试员", daily_backup=False)

    def __enter__(self) -> Fresh:
        return self

    def __exit__(self, *exc) -> None:
        self.store.close()
        self._dir.cleanup()


def refused_unchanged(store, action):
    """Run ``action()``; a UserError must leave the database exactly as it was. Returns (result, error)."""
    before = snapshot(store.conn)
    try:
        return action(), None
    except UserError as exc:
        assert_user_message(exc)
        assert snapshot(store.conn) == before, f"a refused import changed the database: {exc}"
        return None, exc


# ---------------------------------------------------------------- holiday notice

_NUMBER = re.compile(r"\d+")
_TOKENS = ("月", "日", "年", "至", "—", "、", "，", "上班", "放假", "调休", "补休", "共", "天", "（", "）", "星期", "：")


def _replace_at(text: str, match: re.Match, new: str) -> str:
    return text[: match.start()] + new + text[match.end():]


@st.composite
def mutated_notice(draw) -> str:
    """A real notice with one to four of its tokens changed: numbers, 月/日, years, lines, characters."""
    text = draw(st.sampled_from([SAMPLE, *NOTICES.values()]))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["number", "number", "year", "token", "swap_range", "insert", "line", "truncate"]))
        if kind == "number":
            found = list(_NUMBER.finditer(text))
            if found:
                m = found[draw(st.integers(0, len(found) - 1))]
                n = int(m.group())
                new = draw(st.sampled_from([0, 1, 13, 29, 30, 31, 32, 99, 1899, 10000, 99999, n + 1, max(n - 1, 0),
                                            n + 7, 2**31]))
                text = _replace_at(text, m, draw(st.sampled_from([str(new), str(new).translate(
                    str.maketrans("0123456789", "０１２３４５６７８９")), f"{new:02d}"[-2:]])))
        elif kind == "year":
            new = draw(st.sampled_from(["1899", "1900", "2099", "2100", "9999", "0000", "0001", "27", "10000", "２０２７"]))
            text = re.sub(r"\d{4}(?=年部分节假日)", new, text, count=1)
        elif kind == "token":
            present = [t for t in _TOKENS if t in text]
            if present:
                old = draw(st.sampled_from(present))
                new = draw(st.sampled_from([*_TOKENS, "", "𠮷", "😀"]))
                starts = [m.start() for m in re.finditer(re.escape(old), text)]
                at = starts[draw(st.integers(0, len(starts) - 1))]
                text = text[:at] + new + text[at + len(old):]
        elif kind == "swap_range":  # end before start: 1日至3日 -> 3日至1日
            found = list(re.finditer(r"(\d+)日((?:（[^）]*）)?)(至|—)(\d+)日", text))
            if found:
                m = found[draw(st.integers(0, len(found) - 1))]
                text = _replace_at(text, m, f"{m[4]}日{m[2]}{m[3]}{m[1]}日")
        elif kind == "insert":
            at = draw(st.integers(0, len(text)))
            piece = draw(st.one_of(st.sampled_from(FOUR_BYTE), long_text(100), odd_text()))
            text = text[:at] + piece + text[at:]
        elif kind == "line":
            lines = text.splitlines() or [""]
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            op = draw(st.sampled_from(["dup", "drop", "swap"]))
            if op == "dup":
                lines.insert(j, lines[i])
            elif op == "drop":
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            text = text[: draw(st.integers(0, len(text)))]
    return text


CN_NUM = "一二三四五六七八九十"


@st.composite
def composed_notice(draw) -> str:
    """A notice built from random sections: months and days that may not exist, ranges that may run
    backwards, counts that may be wrong, make-up days that may be weekdays, years far out of range."""
    year = draw(st.one_of(st.integers(2025, 2030), st.sampled_from([1, 99, 1899, 1900, 1999, 2099, 2100, 9998, 9999])))
    lines = [f"国务院办公厅关于{year:04d}年部分节假日安排的通知"]
    names = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "𠮷节"]
    for k in range(draw(st.integers(1, 4))):
        month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
        span = draw(st.integers(-3, 40))
        end_day = day + span
        body = f"{month}月{day}日"
        if span:
            end_month = draw(st.sampled_from([None, month, month + 1]))
            body += "至" + (f"{end_month}月" if end_month else "") + f"{end_day}日"
        body += draw(st.sampled_from(["放假调休", "放假", "放假,与周末连休", "公休", ""]))
        if draw(st.booleans()):
            body += f",共{draw(st.integers(0, 40))}天"
        body += "。"
        for _ in range(draw(st.integers(0, 2))):
            wm, wd = draw(st.integers(1, 12)), draw(st.integers(1, 31))
            body += f"{wm}月{wd}日(星期{draw(st.sampled_from('一二三四五六日'))})上班。"
        lines.append(f"{CN_NUM[k]}、{draw(st.sampled_from(names))}:{body}")
    return "\n".join(lines)


def notice_outcome(text: str):
    try:
        return parse_notice(text)
    except UserError as exc:
        assert_user_message(exc)
        return None


@st.composite
def reyeared_notice(draw) -> str:
    """A plain notice (no weekday notes, so any year parses) for a year in or out of range: the store
    must refuse years it cannot take (after 2099, a gap after the last stored year) and change nothing."""
    year = draw(st.one_of(st.sampled_from(["2004", "2026", "2027", "2027", "2028", "2030", "2099"]), st.sampled_from(
        ["1899", "1999", "2000", "2100", "9999", "0000", "27", "10000", "２０２７"])))
    newyear = draw(st.sampled_from(["1月1日放假,共1天。", "1月1日至3日放假调休,共3天。", "12月31日至1月2日放假,共3天。",
                                    "1月3日至1月1日放假。", "2月30日放假。"]))
    national = draw(st.sampled_from(["10月1日至7日放假调休,共7天。", "10月1日至8日放假调休,共8天。",
                                     "10月7日至1日放假,共7天。", "10月1日放假。"]))
    return f"国务院办公厅关于{year}年部分节假日安排的通知\n一、元旦:{newyear}\n二、国庆节:{national}\n"


@fuzz(250)
@given(text=mutated_notice())
def test_fuzz_mutated_notice_is_read_or_refused_in_chinese(text):
    notice = notice_outcome(text)
    if notice is not None:
        assert notice.entries and all(1999 <= e.day.year <= 2100 for e in notice.entries)


@fuzz(150)
@given(text=composed_notice())
def test_fuzz_composed_notice_is_read_or_refused_in_chinese(text):
    notice = notice_outcome(text)
    if notice is not None:
        assert notice.entries and all(1999 <= e.day.year <= 2100 for e in notice.entries)


@fuzz(150)
@given(text=st.one_of(st.text(), st.binary().map(lambda b: b.decode("utf-8", "replace")),
                      st.lists(st.sampled_from([*SAMPLE.splitlines(), "", "二、春节:"]), max_size=8).map("\n".join)))
def test_fuzz_random_notice_text_is_refused_in_chinese(text):
    notice_outcome(text)


@fuzz(80)
@given(text=st.one_of(reyeared_notice(), reyeared_notice(), mutated_notice(), composed_notice()), dry_run=st.booleans())
def test_fuzz_notice_import_refused_changes_nothing(template, text, dry_run):
    notice = notice_outcome(text)
    event(f"notice parsed: {notice is not None}")
    if notice is None:
        return
    with Fresh(template) as fresh:
        store = fresh.store
        before = snapshot(store.conn)
        apply = ops.calendar.notice_changes if dry_run else (lambda s, n: ops.calendar.import_notice(s, n).value)
        changes, error = refused_unchanged(store, lambda: apply(store, notice))
        event(f"notice store: {'ok' if error is None else 'refused'}")
        if dry_run:
            assert snapshot(store.conn) == before
        if error is None:
            assert isinstance(changes, list)
            calendar.load_calendar(store, notice.year)  # the stored calendar still loads


@pytest.mark.parametrize("year", ["1899", "10000", "27", "0000", "2100"])
def test_notice_refuses_year_out_of_range(year):
    """Found by the fuzzer: a notice “关于1899年…” was read as 1899; “10000年” was read as year 0."""
    text = f"国务院办公厅关于{year}年部分节假日安排的通知\n一、元旦:1月1日放假,共1天。"
    with pytest.raises(UserError, match=f"通知的年份“{int(year)}”不在可导入的范围内"):
        parse_notice(text)


def test_notice_refuses_feb_30():
    with pytest.raises(UserError, match="日期不存在:2月30日"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n一、春节:2月30日放假。")


def test_notice_refuses_end_before_start():
    with pytest.raises(UserError, match="日期范围不成立"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n一、国庆节:10月7日至1日放假,共7天。")


def test_notice_for_a_year_before_the_calendar_is_refused(template):
    """Found by the fuzzer: importing a 2000 notice (the calendar starts in 2004) raised ValueError from the
    provisional calendar instead of refusing the year."""
    notice = parse_notice("国务院办公厅关于2000年部分节假日安排的通知\n一、元旦:1月1日放假,共1天。")
    with Fresh(template) as fresh:
        before = snapshot(fresh.store.conn)
        for apply in (ops.calendar.notice_changes, ops.calendar.import_notice):
            with pytest.raises(UserError, match="不支持导入 2000 年的通知"):
                apply(fresh.store, notice)
        assert snapshot(fresh.store.conn) == before


# ---------------------------------------------------------------- people sheet (xlsx / csv)

PEOPLE_FIELDS = tuple(HEADER_ALIASES)


def _cell_value(field: str):
    """A cell for one field: mostly plausible, often wrong (unknown role, bad rank, 4-byte text …)."""
    plausible = {
        "name": person_name(),
        "role": st.one_of(st.sampled_from([r.value for r in Role] + [r.label for r in Role] + list(ROLE_ALIASES)),
                          st.sampled_from(["副市长 ", "市长助理", "CHIEF", "局 长", "值班", "领导", "deputy,chief"]),
                          odd_text()),
        "title": st.one_of(st.sampled_from(["副市长", "局长", ""]), long_text(101)),
        "rank": st.one_of(st.integers(-3, 50), st.sampled_from([0.5, 1e300, -1e300, float("nan"), float("inf")]),
                          st.sampled_from(["inf", "-inf", "nan", "1e400", "1e18", "99999999999999999999", "三",
                                           "1.0", " 2 ", "２", "1,000", "--1"])),
        "phone": st.one_of(st.sampled_from(["13908120001", "0812-3331234", "13908120001.0", "+86 139 0812 0001",
                                            "12345678901234567890123456789012345", "电话"]),
                           st.integers(0, 10**12)),
        "unit": st.one_of(st.sampled_from(["教育局", "东城街道", "市政府办公室", ""]), long_text(101)),
        "portfolio": st.sampled_from(["", "教育局、公安局", "教育局,教育局", "𠮷局", "发展和改革委员会", ";;、、"]),
        "supervisor": st.sampled_from(["", "张丽华", "王建国", "杨帆", "不存在的领导", "何振华"]),
        "ab": st.one_of(st.sampled_from(["", "张丽华", "周晓燕", "王建国", "杨帆", "本人"]), person_name()),
        "note": st.one_of(st.sampled_from(["", "备注"]), long_text(101)),
    }[field]
    return st.one_of(plausible, plausible, st.none(), odd_text(),
                     st.sampled_from([dt.datetime(2026, 10, 1), 46296, 3.14, True, "=A1&B1", "=1/0"]))


CELLS = {field: _cell_value(field) for field in PEOPLE_FIELDS}


@st.composite
def people_sheet(draw):
    """(header, rows, blank sheet rows) of a people sheet: columns shuffled, sometimes missing or doubled."""
    fields = draw(st.lists(st.sampled_from(PEOPLE_FIELDS), unique=True, min_size=0, max_size=len(PEOPLE_FIELDS)))
    if draw(st.integers(0, 4)):  # mostly: the required columns are there
        fields = list(dict.fromkeys(["name", "role", *fields]))
    fields = draw(st.permutations(fields))
    header = [draw(st.sampled_from(HEADER_ALIASES[f])) for f in fields]
    if draw(st.integers(0, 5)) == 0:
        header.append(draw(st.sampled_from(["姓名", "其他", "", "𠮷", "职务 ", " 姓 名"])))
        fields.append("note")
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 6)) == 0:
            rows.append([None] * len(header))  # a blank row in the sheet
            continue
        row = [draw(CELLS[f]) for f in fields]
        if draw(st.integers(0, 6)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    if rows and draw(st.integers(0, 3)) == 0:  # a duplicate of an earlier row
        rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))
    return header, rows


def _text_cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def write_sheet(folder: Path, header, rows, fmt: str, name: str = "名单") -> Path:
    """Write the table as the user's file: csv in UTF-8 (with/without BOM), GBK or GB18030, or xlsx."""
    if fmt == "xlsx":
        path = folder / f"{name}.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        for row in [header, *rows]:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else
                          (None if isinstance(v, float) and not math.isfinite(v) else v) for v in row])
        book.save(path)
        return path
    path = folder / f"{name}.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([[_text_cell(v) for v in row] for row in [header, *rows]])
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gbk", "csv-gb18030": "gb18030"}[fmt]
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


SHEET_FORMATS = st.sampled_from(["xlsx", "csv-utf8", "csv-bom", "csv-gbk", "csv-gb18030"])


def sheet_row(path: Path, number: int) -> list:
    """The values of sheet row ``number`` (1 = the first) as the file holds them."""
    rows = tabular.read_rows(path)
    return rows[number - 1] if 1 <= number <= len(rows) else []


def check_row_errors(path: Path, errors) -> None:
    """Every row-level refusal names a row of the sheet that holds something, in Chinese."""
    for error in errors:
        text = str(error)
        assert ROW_REF.search(text) and CJK.search(text), text
        if "没有" not in error.message:  # “表格中没有人员数据” points at where the data should start
            assert any(tabular.clean_text(c) for c in sheet_row(path, error.row)), f"{text}: that row is blank"


@fuzz(80)
@given(sheet=people_sheet(), fmt=SHEET_FORMATS, skip=st.booleans())
def test_fuzz_people_import_command_line_path(template, sheet, fmt, skip):
    """What `dutydesk people import FILE [--skip-rows]` does: read, check, import all or nothing."""
    header, rows = sheet
    with Fresh(template) as fresh:
        store = fresh.store
        path = write_sheet(fresh.dir, header, rows, fmt)
        before = snapshot(store.conn)
        count = len(people.list_people(store))
        try:
            sheet_read = tabular.read_sheet(path, "人员名单", "第一行应是表头(姓名、角色……),下面每行一个人。")
            parsed = parse_rows(list(sheet_read.header), sheet_read.rows, sheet_read.first_row)
        except UserError as exc:
            assert_user_message(exc)
            assert snapshot(store.conn) == before
            return
        check_row_errors(path, parsed.errors)
        skip_rows = [e.row for e in parsed.errors] if skip else []
        added, error = refused_unchanged(store, lambda: ops.people.import_people(store, parsed, skip_rows=skip_rows).value)
        event(f"people: {'imported' if error is None else 'refused'}")
        if error is not None:
            check_row_errors(path, getattr(error, "errors", ()))
        else:
            assert len(people.list_people(store)) == count + len(added)
            assert not [e for e in parsed.errors if e.row not in skip_rows]


@fuzz(80)
@given(sheet=people_sheet(), fmt=SHEET_FORMATS, data=st.data())
def test_fuzz_people_import_dialog_mapping(template, sheet, fmt, data):
    """The import dialog's path: any column mapping the user may choose, valid or not."""
    header, rows = sheet
    with Fresh(template) as fresh:
        path = write_sheet(fresh.dir, header, rows, fmt)
        try:
            read = tabular.read_sheet(path, "人员名单", "第一行应是表头(姓名、角色……),下面每行一个人。")
        except UserError as exc:
            assert_user_message(exc)
            return
        mapping = guess_mapping(read.header)
        width = len(read.header)
        for field in data.draw(st.lists(st.sampled_from(PEOPLE_FIELDS), max_size=3)):
            mapping[field] = data.draw(st.one_of(st.none(), st.integers(-1, width + 1)))
        if data.draw(st.integers(0, 9)) == 0:
            mapping["unknown_field"] = 0
        try:
            parsed = parse_mapped(read.header, read.rows, mapping, read.first_row)
        except UserError as exc:
            assert_user_message(exc)
            return
        check_row_errors(path, parsed.errors)
        refused_unchanged(fresh.store, lambda: ops.people.import_people(fresh.store, parsed).value)


# ---------------------------------------------------------------- raw and damaged files

def _valid_xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "角色", "排名"])
    sheet.append(["张𠮷", "副市长", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _valid_xlsx_bytes()


@st.composite
def damaged_xlsx(draw) -> bytes:
    """A real .xlsx cut short, with bytes flipped, or with one of its parts replaced by garbage."""
    how = draw(st.sampled_from(["truncate", "flip", "part", "part", "extra"]))
    if how == "truncate":
        return VALID_XLSX[: draw(st.integers(0, len(VALID_XLSX) - 1))]
    if how == "flip":
        data = bytearray(VALID_XLSX)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    names = source.namelist()
    target = draw(st.sampled_from(names))
    garbage = draw(st.one_of(st.binary(max_size=64), st.sampled_from([b"", b"<x>", b"<?xml version='1.0'?><worksheet>"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name in names:
            body = source.read(name)
            if name == target:
                if how == "extra":
                    continue  # a part left out
                body = body[: draw(st.integers(0, len(body)))] + garbage
            zout.writestr(name, body)
    return out.getvalue()


@fuzz(150)
@given(data=st.one_of(st.binary(max_size=300), damaged_xlsx(),
                      st.text(max_size=200).map(lambda t: t.encode("utf-8")),
                      st.text(max_size=200).map(lambda t: t.encode("gb18030")),
                      st.text(max_size=200).map(lambda t: "\ufeff".encode() + t.encode("utf-8"))),
       suffix=st.sampled_from([".xlsx", ".csv", ".xlsm", ".xls", ".txt", ""]))
def test_fuzz_raw_files_are_read_or_refused(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"导入{suffix}"
        path.write_bytes(data)
        for read in (tabular.read_rows, lambda p: tabular.read_sheet(p, "人员名单", "第一行应是表头。"),
                     read_roster_sheet):
            try:
                read(path)
            except UserError as exc:
                assert_user_message(exc)


def test_damaged_xlsx_sheet_is_refused_in_chinese(tmp_path):
    """Found by the fuzzer: a .xlsx whose sheet XML is cut short raised a bare XML ParseError (and a
    workbook openpyxl gave up on was left open: pytest reports the unclosed file)."""
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        for name in source.namelist():
            body = source.read(name)
            out.writestr(name, body[: len(body) // 2] if name.endswith("sheet1.xml") else body)
    with pytest.raises(UserError, match="无法作为 Excel 文件打开"):
        tabular.read_rows(path)


def test_folder_named_like_a_sheet_is_refused_in_chinese(tmp_path):
    """Found by the fuzzer: a folder called 名单.csv raised IsADirectoryError."""
    (tmp_path / "名单.csv").mkdir()
    with pytest.raises(UserError, match="是一个文件夹"):
        tabular.read_rows(tmp_path / "名单.csv")


def test_csv_neither_utf8_nor_gb18030_is_refused_in_chinese(tmp_path):
    (tmp_path / "名单.csv").write_bytes("姓名,角色\n张三,副市长\n".encode() + b"\x80\xff")
    with pytest.raises(UserError, match="编码无法识别"):
        tabular.read_rows(tmp_path / "名单.csv")


def test_people_rank_inf_is_a_row_error_not_a_crash():
    """Found by the fuzzer: 排名 “inf” or “1e400” raised OverflowError instead of a row error."""
    parsed = parse_rows(["姓名", "角色", "排名"], [["张三", "副市长", "inf"], ["李四", "副市长", "1e400"]])
    assert [str(e) for e in parsed.errors] == [
        "第 2 行:排名“inf”不是数字,请写 1、2、3 这样的正整数。",
        "第 3 行:排名“1e400”不是数字,请写 1、2、3 这样的正整数。",
    ]


# ---------------------------------------------------------------- duty roster

PROFILE = load_profile(profiles_dir() / f"{demo.DEMO_PROFILE}.toml")

ROSTER_DATE = st.one_of(
    st.dates(dt.date(2026, 9, 25), dt.date(2027, 2, 20)),  # around 国庆、元旦、春节
    st.dates(dt.date(2026, 9, 25), dt.date(2026, 10, 10)).map(lambda d: f"{d.month}月{d.day}日"),
    st.dates(dt.date(2026, 9, 25), dt.date(2026, 10, 10)).map(lambda d: f"{d.year}/{d.month}/{d.day}(星期{'一二三四五六日'[d.weekday()]})"),
    st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)).map(lambda d: (d - dt.date(1899, 12, 30)).days),
    st.sampled_from([
        dt.datetime(1900, 1, 1), dt.date(2099, 12, 31), dt.date(9999, 12, 31), dt.date(2100, 1, 1),
        "2026-02-30", "2026-13-01", "13月1日", "2月30日", "0001-01-01", "1899-12-31", "9999-12-31", "2100-01-01",
        "99999", "46296", "46296.5", "20000", "80000", "0", "-1", 1e10, 46296.5, 19999, 80001, float("nan"),
        "2026.10.01", "20261001", "10-01", "10/1", "１０月１日", "2026年10月1日号", "国庆", "", None, True,
    ]),
    odd_text(),
)
ROSTER_NAMES = st.one_of(
    st.sampled_from(DEMO_LEADERS + DEMO_STAFF),
    st.lists(st.sampled_from(DEMO_STAFF + DEMO_LEADERS + ("何振华", "不存在")), min_size=2, max_size=4).map(
        lambda names: "、".join(names)),
    st.sampled_from(["张丽华(副市长)", "陈 明", "杨帆 13908120001", "杨帆 朱琳", "杨帆\n朱琳", "何振华", ""]),
    person_name(),
    st.none(),
)


HOLIDAY_DAYS_2026 = [dt.date(2026, 10, d) for d in range(1, 9)] + [dt.date(2027, 1, d) for d in range(1, 4)]


@st.composite
def roster_sheet(draw):
    header = draw(st.sampled_from([["日期", "带班领导", "值班员"], ["值班日期", "星期", "带班领导", "值班人员", "备注"],
                                   ["日期", "领导"], ["时间", "值班"], ["带班领导", "值班员"], ["日期", "日期", "值班员"]]))
    rows = []
    good_days = draw(st.permutations(HOLIDAY_DAYS_2026))
    for k in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):  # a good row: a holiday day, a leader, an officer
            row = {"date": good_days[k].isoformat(), "leader": draw(st.sampled_from(DEMO_LEADERS)),
                   "officers": draw(st.sampled_from(DEMO_STAFF))}
            rows.append([row["date"] if "日期" in n or n == "时间" else row["leader"] if "领导" in n
                         else row["officers"] if "值班" in n else "" for n in header])
            continue
        row = []
        for name in header:
            if "日期" in name or name == "时间":
                row.append(draw(ROSTER_DATE))
            elif name in ("星期", "备注"):
                row.append(draw(st.sampled_from(["星期四", "", "𠮷"])))
            else:
                row.append(draw(ROSTER_NAMES))
        rows.append(row)
    if rows and draw(st.integers(0, 3)) == 0:
        rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))  # a date given twice
    if draw(st.integers(0, 4)) == 0:  # a title and a 单位 line above the header, as in our own export
        return [["2026年国庆节值班表"], ["单位:演示市人民政府办公室"]], header, rows
    return [], header, rows


def _roster_cell(value):
    if isinstance(value, dt.date) and not 1900 <= value.year <= 9999:
        return value.isoformat()
    return value


@fuzz(60)
@given(sheet=roster_sheet(), fmt=SHEET_FORMATS, skip=st.booleans())
def test_fuzz_roster_import_is_all_or_nothing(template, sheet, fmt, skip):
    """The roster import dialog's path: read, guess the columns and year, check every row, import."""
    above, header, rows = sheet
    with Fresh(template) as fresh:
        store = fresh.store
        table = [[_roster_cell(v) for v in row] for row in rows]
        path = write_sheet(fresh.dir, header, table, fmt, name="值班表") if not above else \
            write_sheet(fresh.dir, above[0], [*above[1:], header, *table], fmt, name="值班表")
        before = snapshot(store.conn)
        try:
            read = read_roster_sheet(path)
            columns = guess_columns(read.header)
            year = guess_year(read.rows, columns.date, NOW.year)
            parsed = roster_import.check_roster(store, PROFILE, read.header, read.rows, columns, year=year,
                                                first_row=read.first_row)
        except UserError as exc:
            assert_user_message(exc)
            assert snapshot(store.conn) == before
            return
        assert snapshot(store.conn) == before, "checking a roster wrote to the database"
        for issue in parsed.issues:
            assert ROW_REF.search(str(issue)) and CJK.search(issue.message), str(issue)
        skip_rows = {e.row for e in parsed.errors} if skip else set()
        result, error = refused_unchanged(
            store, lambda: ops.duty.import_roster(store, PROFILE, parsed, path.name, skip_rows=skip_rows).value)
        event(f"roster: {'imported' if result is not None else type(error).__name__ + str(error)[:12]}")
        if error is not None and isinstance(error, roster_import.RosterRejected):
            assert all(ROW_REF.search(str(e)) for e in error.errors)
        if result is not None:
            assert result.days == len(parsed.importable(skip_rows))


# ---------------------------------------------------------------- profile files

PROFILE_TEXTS = {p: (profiles_dir() / f"{p}.toml").read_text(encoding="utf-8") for p in available_profiles()}
PROFILE_DATA = {p: tomllib.loads(text) for p, text in PROFILE_TEXTS.items()}

WRONG_VALUES = st.one_of(
    st.sampled_from([0, -1, 1, 2**63, -(2**63), 1.5, float("nan"), float("inf"), True, False, "", " ", "chief",
                     "deputy", "role:chief", "any:chief", "any:chief,chief", "office:nowhere", "supervisor", "leaders",
                     "000 art.0", "000 art.84", "art.84", "𠮷", [], [""], ["chief", "chief"], [1, 2], {}, {"x": 1},
                     [{}], dt.date(2026, 10, 1), dt.datetime(2026, 10, 1, 9, 0), dt.time(9, 0)]),
    long_text(1000),
    odd_text(),
)


def _paths(node, prefix=()):
    """Every key path of the parsed TOML (tables, arrays and their items, leaves)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


def _parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def mutated_profile(draw):
    import copy

    data = copy.deepcopy(PROFILE_DATA[draw(st.sampled_from(sorted(PROFILE_DATA)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        how = draw(st.sampled_from(["replace", "replace", "delete", "extra", "duplicate"]))
        if how == "replace":
            parent[path[-1]] = draw(WRONG_VALUES)
        elif how == "delete":
            del parent[path[-1]]
        elif how == "extra":
            target = parent[path[-1]] if isinstance(parent[path[-1]], dict) else parent
            if isinstance(target, dict):
                target[draw(st.sampled_from(["extra", "Id", "𠮷", "", "article "]))] = draw(WRONG_VALUES)
            else:
                target.append(draw(WRONG_VALUES))
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))  # a duplicated rule, chain or id
    return data


@fuzz(250)
@given(data=mutated_profile())
def test_fuzz_profile_with_wrong_keys_is_loaded_or_refused_naming_the_file(data):
    try:
        parse_profile(data, "测试规则.toml")
    except UserError as exc:
        message = assert_user_message(exc)
        assert isinstance(exc, ProfileError), message
        assert "测试规则.toml" in message, message


@st.composite
def mutated_profile_bytes(draw) -> bytes:
    text = PROFILE_TEXTS[draw(st.sampled_from(sorted(PROFILE_TEXTS)))]
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["drop", "dup", "garble", "insert", "truncate", "nest", "huge"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if how == "drop" and lines:
            del lines[i]
        elif how == "dup" and lines:
            lines.insert(i, lines[i])  # a key defined twice: a TOML error
        elif how == "garble" and lines:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(["=", "[", "]", '"', "\\", "𠮷", "\x00", ":", "#", ""])) + line[at + 1:]
        elif how == "insert":
            lines.insert(i, draw(st.sampled_from(["x = ", "[offices", "id = 1", "[[chains]]", "schema = 2", "[titles]",
                                                  "= 1", "a.b.c = 1", "titles = 1"])))
        elif how == "truncate":
            lines = lines[:i]
        elif how == "nest":
            depth = draw(st.sampled_from([50, 1000, 5000]))
            lines.append("deep = " + "[" * depth + "]" * depth)
        else:
            lines.append("# " + "值班" * 200_000)  # a 1.2 MB comment
    data = "\n".join(lines).encode("utf-8")
    return draw(st.sampled_from([data, b"\xef\xbb\xbf" + data, data.replace("值".encode(), b"\xd6\xb5")]))


@fuzz(120)
@given(data=st.one_of(mutated_profile_bytes(), st.binary(max_size=200)))
def test_fuzz_profile_file_is_loaded_or_refused_naming_the_file(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "测试规则.toml"
        path.write_bytes(data)
        try:
            load_profile(path)
        except UserError as exc:
            message = assert_user_message(exc)
            assert isinstance(exc, ProfileError) and "测试规则.toml" in message, message


def test_profile_nested_too_deep_is_refused_in_chinese(tmp_path):
    """Found by the fuzzer: ``deep = [[[[…]]]]`` 5,000 levels deep raised RecursionError."""
    path = tmp_path / "深.toml"
    path.write_text(PROFILE_TEXTS["generic"] + "\ndeep = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"深\.toml.*嵌套层数过多"):
        load_profile(path)


def test_profile_meeting_leave_with_a_list_for_a_meeting_id_is_refused():
    """Found by the long fuzz run: ``meeting_leave[0].meetings = [[], "executive"]`` raised TypeError
    (unhashable list) instead of naming the key."""
    import copy

    data = copy.deepcopy(PROFILE_DATA["rizhao"])
    assert data.get("meeting_leave"), "the rizhao profile has a meeting_leave rule"
    data["meeting_leave"][0]["meetings"] = [[], *data["meeting_leave"][0].get("meetings", ["executive"])]
    with pytest.raises(ProfileError, match=r"测试规则\.toml 中 meeting_leave\[0\]\.meetings\[0\]"):
        parse_profile(data, "测试规则.toml")
