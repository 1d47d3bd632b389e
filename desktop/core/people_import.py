"""Turning rows of a people sheet (人员名单 xlsx/csv) into drafts, with a per-row error report.

Headers are matched by their usual Chinese names (姓名, 角色, 职务, 排名, 电话, 单位, 分管, 分管领导, AB角,
备注); a row that cannot be read is reported with its sheet row number, never guessed.

`guess_mapping` proposes a field → column mapping from the header names (never raising: a
field it cannot place is None), the import dialog lets the user change it, and `parse_mapped`
reads the rows with the mapping given. `parse_rows` (the command line) is `parse_mapped` with
the guessed mapping, refusing a sheet whose header lacks a required column (`map_headers`).
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
FIELDS = tuple(HEADER_ALIASES)
FIELD_LABELS: dict[str, str] = {field: aliases[0] for field, aliases in HEADER_ALIASES.items()}


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


def _norm(header: object) -> str:
    return clean_text(header).replace(" ", "").lower()


def guess_mapping(headers: Sequence[object]) -> dict[str, int | None]:
    """Field -> column index from the header names (exact names only), None where none fits.

    Never raises; a column is given to one field only.
    """
    names = [_norm(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[str, int | None] = {}
    for field, aliases in HEADER_ALIASES.items():
        keys = [a.lower() for a in aliases]
        hit = next((i for key in keys for i, n in enumerate(names) if n == key and i not in taken), None)
        if hit is not None:
            taken.add(hit)
        mapping[field] = hit
    return mapping


def missing_fields(mapping: Mapping[str, int | None]) -> list[str]:
    """The labels of the required fields (姓名, 角色) the mapping leaves out."""
    return [FIELD_LABELS[f] for f in REQUIRED if mapping.get(f) is None]


def _column_name(headers: Sequence[object], column: int) -> str:
    name = clean_text(headers[column]) if column < len(headers) else ""
    return f"第 {column + 1} 列“{name}”" if name else f"第 {column + 1} 列"


def check_mapping(headers: Sequence[object], mapping: Mapping[str, int | None]) -> None:
    """Raise UserError (Chinese) for a mapping that cannot be imported: a required field left out,
    an unknown field, a column that does not exist, or one column given to two fields."""
    unknown = [f for f in mapping if f not in HEADER_ALIASES]
    if unknown:
        raise UserError(f"未知的字段:{'、'.join(map(str, unknown))}。")
    missing = missing_fields(mapping)
    if missing:
        raise UserError(f"请指定{'、'.join(f'“{m}”' for m in missing)}所在的列(必填)。")
    seen: dict[int, str] = {}
    for field in FIELDS:
        column = mapping.get(field)
        if column is None:
            continue
        if not 0 <= column < len(headers):
            raise UserError(f"“{FIELD_LABELS[field]}”指定的第 {column + 1} 列不存在。")
        if column in seen:
            raise UserError(f"“{FIELD_LABELS[seen[column]]}”和“{FIELD_LABELS[field]}”指定了同一列"
                            f"({_column_name(headers, column)}),请分别指定。")
        seen[column] = field


def map_headers(headers: Sequence[str]) -> dict[str, int]:
    """Field -> column index; raises UserError naming the missing columns."""
    guessed = guess_mapping(headers)
    missing = missing_fields(guessed)
    if missing:
        seen = "、".join(h for h in headers if clean_text(h)) or "(空)"
        raise UserError(f"表头缺少必需的列:{'、'.join(missing)}。第一行应是表头,读到的是:{seen}。")
    return {field: column for field, column in guessed.items() if column is not None}


def parse_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], first_row: int = 2) -> ParsedPeople:
    """The rows read with the mapping guessed from the header names (see `map_headers`)."""
    return parse_mapped(headers, rows, map_headers(headers), first_row)


def parse_mapped(headers: Sequence[object], rows: Sequence[Sequence[object]], mapping: Mapping[str, int | None],
                 first_row: int = 2) -> ParsedPeople:
    """Read every row with an explicit field -> column mapping (None or absent: not imported).

    `first_row` is the sheet row of ``rows[0]``; blank rows are passed over (their numbers still
    count). Raises UserError if the mapping itself cannot be used (`check_mapping`); a bad row is
    reported in ``errors`` with its sheet row number.
    """
    check_mapping(headers, mapping)
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
                except (ValueError, OverflowError):  # OverflowError: “inf”, “1e400”
                    raise UserError(f"排名“{rank_cell}”不是数字,请写 1、2、3 这样的正整数。") from None
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
