"""Turning rows of a people sheet (人员名单 xlsx/csv) into drafts, with a per-row error report.

Headers are matched by their usual Chinese names (姓名, 角色, 职务, 排名, 电话, 单位, 分管, 分管领导, AB角,
备注); a row that cannot be read is reported with its sheet row number, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop.core.errors import UserError
from desktop.core.people import PersonDraft, clean_text, role_from_cell, split_list, validate_draft

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name"),
    "role": ("角色", "类别", "role"),
    "title": ("职务", "职位", "title"),
    "rank": ("排名", "排序", "序号", "rank"),
    "phone": ("电话", "手机", "联系电话", "手机号", "phone"),
    "unit": ("单位", "部门", "所在单位", "unit"),
    "portfolio": ("分管", "分管单位", "分管部门", "portfolio"),
    "supervisor": ("分管领导", "supervisor"),
    "ab": ("AB角", "ab角", "互为AB角", "ab"),
    "note": ("备注", "note"),
}
REQUIRED = ("name", "role")


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as the user sees it in the sheet (header is row 1)
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行:{self.message}"


@dataclass(frozen=True)
class ParsedPeople:
    drafts: tuple[PersonDraft, ...]
    rows: tuple[int, ...]  # sheet row of each draft
    ab: tuple[tuple[str, str, int], ...]  # (name, partner name, row)
    errors: tuple[RowError, ...]


def map_headers(headers: Sequence[str]) -> dict[str, int]:
    """Field -> column index; raises UserError naming the missing columns."""
    mapping: dict[str, int] = {}
    normalized = [clean_text(h).replace(" ", "").lower() for h in headers]
    for field, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            key = alias.lower()
            if key in normalized:
                mapping[field] = normalized.index(key)
                break
    missing = [HEADER_ALIASES[f][0] for f in REQUIRED if f not in mapping]
    if missing:
        seen = "、".join(h for h in headers if clean_text(h)) or "(空)"
        raise UserError(f"表头缺少必需的列:{'、'.join(missing)}。第一行应是表头,读到的是:{seen}。")
    return mapping


def parse_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], first_row: int = 2) -> ParsedPeople:
    mapping = map_headers(headers)
    drafts: list[PersonDraft] = []
    draft_rows: list[int] = []
    ab: list[tuple[str, str, int]] = []
    errors: list[RowError] = []
    seen_names: dict[str, int] = {}

    for offset, raw in enumerate(rows):
        row_no = first_row + offset

        def cell(field: str, raw: Sequence[object] = raw) -> object:
            idx = mapping.get(field)
            return raw[idx] if idx is not None and idx < len(raw) else None

        if all(clean_text(v) == "" for v in raw):
            continue  # blank line in the sheet
        try:
            role = role_from_cell(cell("role"))
            rank_cell = clean_text(cell("rank"))
            rank = None
            if rank_cell:
                try:
                    rank = int(float(rank_cell))
                except ValueError:
                    raise UserError(f"排名“{rank_cell}”不是数字。") from None
            draft = validate_draft(PersonDraft(
                name=str(cell("name") or ""), role=role, title=str(cell("title") or ""),
                phone=clean_text(cell("phone")).removesuffix(".0"), unit=str(cell("unit") or ""),
                note=str(cell("note") or ""), rank=rank, portfolio=split_list(cell("portfolio")),
                supervisor=str(cell("supervisor") or ""),
            ))
        except (UserError, ValueError) as exc:
            errors.append(RowError(row_no, str(exc)))
            continue
        if draft.name in seen_names:
            errors.append(RowError(row_no, f"姓名“{draft.name}”与第 {seen_names[draft.name]} 行重复。"))
            continue
        seen_names[draft.name] = row_no
        drafts.append(draft)
        draft_rows.append(row_no)
        partner = clean_text(cell("ab"))
        if partner:
            ab.append((draft.name, partner, row_no))
    if not drafts and not errors:
        errors.append(RowError(first_row, "表格中没有人员数据。"))
    return ParsedPeople(tuple(drafts), tuple(draft_rows), tuple(ab), tuple(errors))


def rows_from_dicts(records: Sequence[Mapping[str, object]]) -> tuple[list[str], list[list[object]]]:
    headers = list(records[0].keys()) if records else []
    return headers, [[r.get(h) for h in headers] for r in records]
