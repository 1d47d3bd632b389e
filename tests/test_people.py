"""People, protocol ranks, portfolios (分管), AB pairs (AB角) and the people import."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from desktop import ops
from desktop.core.errors import NotFound, UserError
from desktop.core.people import PersonDraft, validate_draft
from desktop.core.people_import import parse_rows
from desktop.core.roles import Role
from desktop.export.tabular import read_table
from desktop.store import people

pytestmark = pytest.mark.both_engines  # on a file and on a server database


def add(store, name, role=Role.deputy, **kw):
    return ops.people.add_person(store, PersonDraft(name=name, role=role, **kw)).value


def names(store, **kw):
    return [p.name for p in people.list_people(store, **kw)]


def test_people_are_listed_by_rank_never_by_name(store):
    add(store, "周晓燕")
    add(store, "王建国", Role.chief, rank=1)
    add(store, "安然")
    assert names(store) == ["王建国", "周晓燕", "安然"]
    assert [p.rank for p in people.list_people(store)] == [1, 2, 3]


def test_rank_insertion_shifts_the_others(store):
    for n in ("甲", "乙", "丙"):
        add(store, n)
    add(store, "丁", rank=2)
    assert names(store) == ["甲", "丁", "乙", "丙"]
    assert [p.rank for p in people.list_people(store)] == [1, 2, 3, 4]


def test_move_and_reorder(store):
    ids = [add(store, n).id for n in ("甲", "乙", "丙")]
    ops.people.move(store, ids[2], -1)
    assert names(store) == ["甲", "丙", "乙"]
    ops.people.reorder(store, [ids[1], ids[0]])
    assert names(store) == ["乙", "甲", "丙"]
    with pytest.raises(UserError):
        ops.people.reorder(store, [ids[0], ids[0]])


def test_duplicate_names_and_second_chief_are_refused(store):
    add(store, "王建国", Role.chief)
    with pytest.raises(UserError, match="同名"):
        add(store, "王建国")
    with pytest.raises(UserError, match="只能有一位主要负责人"):
        add(store, "李四", Role.chief)
    add(store, "李四", Role.chief, active=False)  # a former chief, kept for history


def test_deactivate_keeps_the_person_and_drops_the_ab_pair(store):
    a, b = add(store, "张丽华"), add(store, "周晓燕")
    ops.people.set_ab(store, a, b)
    ops.people.set_active(store, a.id, False)
    assert names(store, active_only=True) == ["周晓燕"]
    assert names(store) == ["张丽华", "周晓燕"]
    assert people.ab_partner(store, b.id) is None


def test_ab_pairs_replace_earlier_pairings(store):
    a, b, c = add(store, "甲"), add(store, "乙"), add(store, "丙")
    ops.people.set_ab(store, a, b)
    assert people.ab_partner(store, a.id).name == "乙"
    ops.people.set_ab(store, a, c)
    assert people.ab_partner(store, a.id).name == "丙"
    assert people.ab_partner(store, b.id) is None
    assert [(x.name, y.name) for x, y in people.ab_pairs(store)] == [("甲", "丙")]


def test_ab_pairs_only_between_leaders(store):
    chief = add(store, "王建国", Role.chief)
    deputy = add(store, "张丽华")
    head = add(store, "马晓东", Role.dept_head, unit="教育局")
    with pytest.raises(UserError, match="不能设为AB角"):
        ops.people.set_ab(store, chief, deputy)
    with pytest.raises(UserError, match="不能设为AB角"):
        ops.people.set_ab(store, deputy, head)


def test_supervisor_comes_from_the_portfolio(store):
    add(store, "张丽华", portfolio=("教育局", "卫健委"))
    add(store, "马晓东", Role.dept_head, unit="教育局")
    assert people.supervisor_of_unit(store, "教育局").name == "张丽华"
    add(store, "陈明")
    add(store, "罗建军", Role.dept_head, unit="公安局", supervisor="陈明")
    assert people.supervisor_of_unit(store, "公安局").name == "陈明"
    assert people.portfolio_of(store, people.find_person(store, "陈明").id) == ["公安局"]
    assert people.supervisor_of_unit(store, "不存在的局") is None


def test_supervisor_needs_a_unit_and_a_leader(store):
    add(store, "杨帆", Role.staff)
    with pytest.raises(UserError, match="所在的单位"):
        add(store, "马晓东", Role.dept_head, supervisor="杨帆")
    with pytest.raises(UserError, match="必须是政府领导"):
        add(store, "马晓东", Role.dept_head, unit="教育局", supervisor="杨帆")
    assert "马晓东" not in names(store)


def test_edit_refuses_a_stale_version(store):
    p = add(store, "张丽华")
    ops.people.update_person(store, p.id, PersonDraft(name="张丽华", role=Role.deputy, phone="13900000002"), p.version)
    with pytest.raises(people.ConcurrentEdit, match="已被 测试员 于 2026-11-21 09:30 修改:电话 \\(空\\) → 13900000002"):
        ops.people.update_person(store, p.id, PersonDraft(name="张丽华", role=Role.deputy, phone="13900000003"), p.version)
    assert people.get_person(store, p.id).phone == "13900000002"


def test_find_person_suggests_close_names(store):
    add(store, "张丽华")
    with pytest.raises(NotFound, match="是不是:张丽华"):
        people.find_person(store, "张立华")


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (PersonDraft(name="  ", role=Role.deputy), "姓名不能为空"),
        (PersonDraft(name="甲" * 41, role=Role.deputy), "超过40个字"),
        (PersonDraft(name="甲", role=Role.deputy, phone="abc"), "电话"),
        (PersonDraft(name="甲", role=Role.staff, portfolio=("教育局",)), "分管"),
    ],
)
def test_bad_drafts_say_what_to_fix(draft, message):
    with pytest.raises(UserError, match=message):
        validate_draft(draft)


# ---------------------------------------------------------------- import

HEADER = ["序号", "姓名", "角色", "职务", "电话", "单位", "分管", "分管领导", "AB角"]


def test_import_reports_every_bad_row_and_writes_nothing(store):
    rows = [
        [1, "王建国", "chief", "市长", "13900000001", "", "", "", ""],
        [2, "张丽华", "副职", "副市长", "13900000002", "", "教育局", "", "周晓燕"],
        [3, "周晓燕", "deputy", "副市长", "电话坏了", "", "", "", ""],
        [4, "马晓东", "领导", "教育局局长", "", "教育局", "", "", ""],
        [5, "张丽华", "deputy", "", "", "", "", "", ""],
    ]
    parsed = parse_rows(HEADER, rows)
    assert [e.row for e in parsed.errors] == [4, 5, 6]
    assert "电话" in str(parsed.errors[0]) and "未知的角色" in str(parsed.errors[1]) and "第 3 行" in str(parsed.errors[2])
    with pytest.raises(ops.people.ImportRejected, match="没有写入任何人员"):
        ops.people.import_people(store, parsed)
    assert names(store) == []


def test_import_with_skipped_rows_imports_the_rest_with_ab_and_portfolio(store):
    rows = [
        [1, "王建国", "chief", "市长", "13900000001", "", "", "", ""],
        [2, "张丽华", "deputy", "副市长", "13900000002", "", "教育局、卫健委", "", "周晓燕"],
        [3, "周晓燕", "deputy", "副市长", "13900000003", "", "", "", ""],
        [4, "坏行", "领导", "", "", "", "", "", ""],
        [5, "马晓东", "dept_head", "教育局局长", "", "教育局", "", "", ""],
    ]
    parsed = parse_rows(HEADER, rows)
    added = ops.people.import_people(store, parsed, skip_rows=[5]).value
    assert [p.name for p in added] == ["王建国", "张丽华", "周晓燕", "马晓东"]
    assert people.ab_partner(store, added[1].id).name == "周晓燕"
    assert people.supervisor_of_unit(store, "教育局").name == "张丽华"


def test_import_conflicting_with_the_database_is_refused_whole(store):
    add(store, "张丽华")
    parsed = parse_rows(HEADER, [[1, "李志强", "executive_deputy", "", "", "", "", "", ""],
                                 [2, "张丽华", "deputy", "", "", "", "", "", ""]])
    with pytest.raises(ops.people.ImportRejected) as info:
        ops.people.import_people(store, parsed)
    assert [e.row for e in info.value.errors] == [3]
    assert names(store) == ["张丽华"]


def test_roles_accept_ids_labels_and_common_titles():
    from desktop.core.roles import parse_role

    assert parse_role("deputy") is Role.deputy
    assert parse_role("副职") is Role.deputy
    assert parse_role("副县长") is Role.deputy
    assert parse_role("常务副区长") is Role.executive_deputy
    assert parse_role("镇长") is Role.township_head
    with pytest.raises(ValueError, match="未知的角色“主任”"):
        parse_role("主任")


def test_missing_required_columns_are_named():
    with pytest.raises(UserError, match="缺少必需的列:角色"):
        parse_rows(["姓名", "电话"], [["甲", "1"]])


def test_read_table_csv_gbk_and_utf8_bom_and_xlsx(tmp_path):
    rows = [["姓名", "角色"], ["张丽华", "副职"]]
    for encoding in ("gb18030", "utf-8-sig"):
        path = tmp_path / f"p-{encoding}.csv"
        with path.open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh).writerows(rows)
        assert read_table(path) == (["姓名", "角色"], [["张丽华", "副职"]])
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    book.save(tmp_path / "p.xlsx")
    assert read_table(tmp_path / "p.xlsx") == (["姓名", "角色"], [["张丽华", "副职"]])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("old.xls", b"x", "另存为"),
    ("bad.xlsx", b"not a zip", "无法作为 Excel"),
    ("empty.csv", b"", "是空的"),
    ("notes.txt", b"x", "只支持"),
])
def test_read_table_refusals(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_table(path)
