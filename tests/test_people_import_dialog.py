"""The people import with a column-mapping step: parse_mapped (pure), then the dialog (pytest-qt)."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest

from desktop import ops
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.people_import import (
    FIELDS,
    guess_mapping,
    map_headers,
    missing_fields,
    parse_mapped,
    parse_rows,
)
from desktop.core.roles import Role
from desktop.ops.base import Entity
from desktop.store import people

# ---------------------------------------------------------------- parse_mapped (no Qt)

ODD_HEADER = ["领导姓名", "身份", "职务", "手机"]
ODD_ROWS = [
    ["王建国", "chief", "市长", "13900000001"],
    ["张丽华", "副职", "副市长", "13900000002"],
]


def test_the_guess_never_raises_and_leaves_unknown_headers_unmapped():
    mapping = guess_mapping(ODD_HEADER)
    assert set(mapping) == set(FIELDS)
    assert mapping["name"] is None and mapping["role"] is None  # 领导姓名, 身份: not guessed
    assert mapping["title"] == 2 and mapping["phone"] == 3
    assert missing_fields(mapping) == ["姓名", "角色"]
    with pytest.raises(UserError, match="缺少必需的列:姓名、角色"):
        map_headers(ODD_HEADER)  # the command line still refuses the sheet


def test_an_explicit_mapping_reads_non_standard_headers():
    mapping = guess_mapping(ODD_HEADER) | {"name": 0, "role": 1}
    parsed = parse_mapped(ODD_HEADER, ODD_ROWS, mapping)
    assert parsed.errors == ()
    assert [(d.name, d.role, d.title, d.phone) for d in parsed.drafts] == [
        ("王建国", Role.chief, "市长", "13900000001"), ("张丽华", Role.deputy, "副市长", "13900000002")]
    assert parsed.rows == (2, 3)


def test_a_mapping_without_a_required_field_names_it():
    with pytest.raises(UserError, match="请指定“角色”所在的列"):
        parse_mapped(ODD_HEADER, ODD_ROWS, {"name": 0})
    with pytest.raises(UserError, match="请指定“姓名”、“角色”所在的列"):
        parse_mapped(ODD_HEADER, ODD_ROWS, {"name": None, "role": None, "title": 2})


def test_a_mapping_that_points_nowhere_or_twice_is_refused():
    with pytest.raises(UserError, match="“电话”指定的第 9 列不存在"):
        parse_mapped(ODD_HEADER, ODD_ROWS, {"name": 0, "role": 1, "phone": 8})
    with pytest.raises(UserError, match=re.escape("“姓名”和“职务”指定了同一列(第 1 列“领导姓名”)")):
        parse_mapped(ODD_HEADER, ODD_ROWS, {"name": 0, "role": 1, "title": 0})
    with pytest.raises(UserError, match="未知的字段:email"):
        parse_mapped(ODD_HEADER, ODD_ROWS, {"name": 0, "role": 1, "email": 3})


def test_rows_keep_their_sheet_numbers_and_unmapped_columns_are_ignored():
    rows = [["王建国", "chief", "市长", "x"], ["", "", "", ""], ["张丽华", "领导", "", ""]]
    with_phone = parse_mapped(ODD_HEADER, rows, {"name": 0, "role": 1, "phone": 3}, first_row=5)
    assert [e.row for e in with_phone.errors] == [5, 7]
    assert str(with_phone.errors[0]).startswith("第 5 行:电话“x”格式不对")
    assert str(with_phone.errors[1]).startswith("第 7 行:未知的角色“领导”")
    without_phone = parse_mapped(ODD_HEADER, rows, {"name": 0, "role": 1}, first_row=5)
    assert [e.row for e in without_phone.errors] == [7] and without_phone.rows == (5,)


def test_parse_rows_is_parse_mapped_with_the_guessed_mapping():
    header = ["姓名", "角色", "电话", "AB角"]
    rows = [["张丽华", "deputy", "13900000002", "周晓燕"], ["周晓燕", "deputy", "", ""]]
    assert parse_rows(header, rows) == parse_mapped(header, rows, guess_mapping(header))
    assert parse_rows(header, rows).ab == (("张丽华", "周晓燕", 2),)


# ---------------------------------------------------------------- the dialog


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def write_csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def session(qapp, store):
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(store)


def names(store):
    return [p.name for p in people.list_people(store)]


def report(dialog):
    return [dialog.issues.item(i).text() for i in range(dialog.issues.count())]


def open_dialog(qtbot, session, path):
    from desktop.ui.people_import_dialog import open_people_import

    dialog = open_people_import(session, None, path, show=False)
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def told(monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append((title, text)))
    return shown


def test_non_standard_headers_are_mapped_by_hand_and_imported(qtbot, session, tmp_path, told):
    path = write_xlsx(tmp_path / "名单.xlsx", [
        ["领导姓名", "身份", "职务", "手机", "分管"],
        ["王建国", "chief", "市长", "13900000001", ""],
        ["张丽华", "副职", "副市长", 13900000002, "教育局、卫健委"],
    ])
    changed = []
    session.changed.connect(changed.append)
    dialog = open_dialog(qtbot, session, path)
    mapping = dialog.mapping()
    assert mapping["name"] is None and mapping["role"] is None
    assert mapping["title"] == 2 and mapping["phone"] == 3 and mapping["portfolio"] == 4
    assert dialog.combos["name"].currentText() == "(请选择)"
    assert dialog.combos["note"].currentText() == "(不导入)"
    assert [dialog.combos["name"].itemText(i) for i in range(3)] == ["(请选择)", "A 列:领导姓名", "B 列:身份"]
    assert dialog.summary.text() == "请指定“姓名”、“角色”所在的列(必填)。"
    assert not dialog.import_button.isEnabled() and dialog.do_import() is None
    # the preview: every column of the file, the mapped ones marked
    assert dialog.preview.rowCount() == 2 and dialog.preview.verticalHeaderItem(0).text() == "2"
    assert dialog.preview.horizontalHeaderItem(0).text() == "A 领导姓名"
    assert dialog.preview.horizontalHeaderItem(3).text() == "D 手机\n→ 电话"
    assert dialog.preview.item(1, 3).text() == "13900000002"  # a number cell, shown as written

    dialog.set_column("name", 0)
    assert dialog.summary.text() == "请指定“角色”所在的列(必填)。"
    dialog.set_column("role", 1)
    assert dialog.preview.horizontalHeaderItem(0).text() == "A 领导姓名\n→ 姓名"
    assert dialog.summary.text() == "检查通过:2 人全部可以导入。" and report(dialog) == []
    assert dialog.import_button.isEnabled() and names(session.store) == []  # nothing written yet

    added = dialog.do_import()
    assert [p.name for p in added] == ["王建国", "张丽华"] and [c.entities for c in changed] == [{Entity.person}]
    assert told == [("导入完成", "已导入 2 人。")]
    assert people.get_person(session.store, added[1].id).phone == "13900000002"
    assert people.portfolio_of(session.store, added[1].id) == ["教育局", "卫健委"]


def test_a_missing_required_mapping_names_the_field(qtbot, session, tmp_path):
    path = write_csv(tmp_path / "名单.csv", [["姓名", "身份"], ["王建国", "chief"]])
    dialog = open_dialog(qtbot, session, path)
    assert dialog.mapping()["name"] == 0
    assert dialog.summary.text() == "请指定“角色”所在的列(必填)。"
    assert not dialog.import_button.isEnabled() and not dialog.skip.isVisibleTo(dialog)
    dialog.set_column("role", 1)
    assert dialog.import_button.isEnabled()
    dialog.set_column("name", None)  # back to (请选择)
    assert dialog.summary.text() == "请指定“姓名”所在的列(必填)。" and not dialog.import_button.isEnabled()


def test_a_bad_row_blocks_the_import_until_it_is_skipped(qtbot, session, tmp_path, told):
    path = write_xlsx(tmp_path / "名单.xlsx", [
        ["姓名", "角色", "电话"],
        ["王建国", "chief", "13900000001"],
        ["张丽华", "deputy", "x"],
        [None, None, None],  # a blank line: the rows under it keep their Excel numbers
        ["周晓燕", "deputy", "13900000003"],
        ["坏行", "领导", ""],
    ])
    dialog = open_dialog(qtbot, session, path)
    assert report(dialog)[0].startswith("✗ 第 3 行:电话“x”格式不对")
    assert report(dialog)[1].startswith("✗ 第 6 行:未知的角色“领导”")
    assert dialog.summary.text().startswith("有 2 行无法导入(见下),2 人可以导入。")
    assert dialog.skip.text() == "跳过有错误的第 3、6 行,只导入其余 2 人"
    assert dialog.preview.verticalHeaderItem(1).toolTip().startswith("电话“x”格式不对")
    assert not dialog.import_button.isEnabled() and dialog.do_import() is None
    assert names(session.store) == []

    dialog.set_column("phone", None)  # the mapping changed: the report follows
    assert len(report(dialog)) == 1 and dialog.skip.text() == "跳过有错误的第 6 行,只导入其余 3 人"
    dialog.set_column("phone", 2)
    assert len(report(dialog)) == 2 and not dialog.skip.isChecked()

    dialog.skip.setChecked(True)
    assert dialog.import_button.isEnabled()
    added = dialog.do_import()
    assert [p.name for p in added] == ["王建国", "周晓燕"] and names(session.store) == ["王建国", "周晓燕"]
    assert told == [("导入完成", "已导入 2 人。跳过第 3、6 行。")]


def test_a_refusal_of_the_database_is_reported_and_nothing_is_written(qtbot, session, tmp_path, told):
    ops.people.add_person(session.store, PersonDraft(name="张丽华", role=Role.deputy))
    ops.people.add_person(session.store, PersonDraft(name="王建国", role=Role.chief))
    path = write_csv(tmp_path / "名单.csv", [
        ["姓名", "角色"], ["李志强", "executive_deputy"], ["张丽华", "deputy"], ["刘海峰", "chief"],
        ["周晓燕", "deputy"]])
    changed = []
    session.changed.connect(changed.append)
    dialog = open_dialog(qtbot, session, path)
    assert dialog.summary.text() == "检查通过:4 人全部可以导入。"  # the file itself is fine
    assert dialog.do_import() is None and told == [] and changed == []
    assert names(session.store) == ["张丽华", "王建国"]  # nothing written
    lines = report(dialog)
    assert len(lines) == 2
    assert lines[0].startswith("✗ 第 3 行:已有同名人员“张丽华”")
    assert lines[1].startswith("✗ 第 4 行:已有在任的")
    assert dialog.summary.text().startswith("导入未执行,没有写入任何人员:有 2 行无法导入(见下,其中 2 行与已有人员冲突)")
    assert not dialog.import_button.isEnabled()
    assert dialog.skip.text() == "跳过有错误的第 3、4 行,只导入其余 2 人"

    dialog.skip.setChecked(True)
    added = dialog.do_import()
    assert [p.name for p in added] == ["李志强", "周晓燕"] and [c.entities for c in changed] == [{Entity.person}]
    assert told == [("导入完成", "已导入 2 人。跳过第 3、4 行。")]


def test_the_people_page_opens_the_dialog_and_refuses_a_bad_file(qtbot, session, tmp_path, monkeypatch):
    from desktop.ui import people_import_dialog
    from desktop.ui.people_page import PeoplePage

    page = PeoplePage(session)
    qtbot.addWidget(page)
    opened = []
    monkeypatch.setattr(people_import_dialog, "open_people_import", lambda s, parent, path: opened.append((parent, path)))
    page.actions["import"].trigger()  # the toolbar passes `checked`: still asks for the file
    page.import_file("名单.xlsx")
    assert opened == [(page, None), (page, "名单.xlsx")]

    monkeypatch.undo()
    shown = []
    monkeypatch.setattr(people_import_dialog, "show_error", lambda _p, text, title: shown.append((title, text)))
    (tmp_path / "坏.xlsx").write_bytes(b"not a zip")
    (tmp_path / "旧.xls").write_bytes(b"")
    write_csv(tmp_path / "空.csv", [[""], []])
    for name in ("坏.xlsx", "旧.xls", "空.csv"):
        assert people_import_dialog.open_people_import(session, None, tmp_path / name, show=False) is None
    assert [t for t, _text in shown] == ["无法导入"] * 3
    assert "无法作为 Excel 文件打开" in shown[0][1] and "旧版 Excel" in shown[1][1] and "是空的" in shown[2][1]


def test_the_header_is_the_first_row_that_is_not_blank(tmp_path):
    from desktop.ui.people_import_dialog import read_people_sheet

    path = write_xlsx(tmp_path / "名单.xlsx", [[None], ["姓名", "角色"], ["王建国", "chief", "多出的一格"]])
    sheet = read_people_sheet(path)
    assert sheet.header == ("姓名", "角色", "") and sheet.header_row == 2 and sheet.first_row == 3
    assert sheet.rows == (("王建国", "chief", "多出的一格"),)
