"""Reading tables the user brings: CSV (UTF-8 with or without BOM, or GBK from Chinese Excel) and xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import UserError
from desktop.core.people import clean_text
from desktop.core.roster_import import find_header
from desktop.export.formulas import restore

MAX_ROWS = 20000


def read_rows(path: Path | str, what: str = "") -> list[list[object]]:
    """Every row of the first sheet as it is, blank rows kept (so row numbers are the sheet's).

    ``what`` names the file's kind in the refusal (“值班表只支持 …”). Raise UserError with what to fix.
    """
    path = Path(path)
    try:
        found = path.exists()
    except OSError as exc:  # a name the file system refuses (too long …)
        raise UserError(f"无法打开 {path.name[:60]}:{exc.strerror or exc}。请检查文件名和路径。") from exc
    if not found:
        raise UserError(f"找不到文件 {path}。请检查路径。")
    if path.is_dir():
        raise UserError(f"{path} 是一个文件夹。请选择要导入的 .xlsx 或 .csv 文件。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    elif suffix == ".xls":
        raise UserError(f"{path.name} 是旧版 Excel 格式(.xls)。请在 Excel 或 WPS 中“另存为”.xlsx 或 .csv 后再导入。")
    else:
        raise UserError(f"无法导入 {path.name}:{what}只支持 .xlsx 和 .csv 文件。")
    if len(rows) > MAX_ROWS:
        raise UserError(f"{path.name} 有 {len(rows)} 行,超过了 {MAX_ROWS} 行的上限。请拆分后分批导入。")
    return rows


@dataclass(frozen=True)
class Sheet:
    """The first sheet of a file: its header and the rows under it, with sheet row numbers."""

    file_name: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]  # every row under the header, blank ones included, padded
    header_row: int  # the header's sheet row (1 = the first)

    @property
    def first_row(self) -> int:
        """The sheet row of ``rows[0]``."""
        return self.header_row + 1


def _filled(row: Sequence[object]) -> bool:
    return any(clean_text(c) for c in row)


def read_sheet(path: Path | str, what: str, empty_hint: str,
               find_header: Callable[[list[list[object]]], int] | None = None) -> Sheet:
    """The header (the first non-blank row, or where ``find_header`` says) and every row under it.

    ``empty_hint`` completes the refusal of an empty file (“第一行应是表头……”). Blank rows are kept,
    so the row numbers in an import report are the ones the user sees in Excel.
    """
    path = Path(path)
    raw = read_rows(path, what)
    filled = [i for i, r in enumerate(raw) if _filled(r)]
    if not filled:
        raise UserError(f"{path.name} 是空的:{empty_hint}")
    at = find_header(raw) if find_header else filled[0]
    width = max(len(r) for r in raw)
    header = tuple(clean_text(c) for c in raw[at]) + ("",) * (width - len(raw[at]))
    rows = tuple(tuple(r) + (None,) * (width - len(r)) for r in raw[at + 1:])
    return Sheet(path.name, header, rows, at + 1)


def read_table(path: Path) -> tuple[list[str], list[list[object]]]:
    """Return (header, rows) of the first sheet, blank rows dropped; raise UserError with what to fix."""
    rows = read_rows(path)
    rows = [r for r in rows if any(str(c).strip() for c in r if c is not None)] if rows else []
    if not rows:
        raise UserError(f"{path.name} 是空的:第一行应是表头(姓名、角色……),下面每行一个人。")
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    return header, rows[1:]


def _read_csv(path: Path) -> list[list[object]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取 {path.name}:{exc.strerror or exc}。请检查文件是否被其他程序占用、是否有读取权限。") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # neither UTF-8 nor GB18030 (e.g. a stray 0x80 or 0xFF byte)
        raise UserError(f"{path.name} 的编码无法识别。请用 UTF-8 编码另存后再导入。")
    try:
        # a field DutyDesk (or another careful exporter) wrote as '=1+1 is the text =1+1
        return [[restore(f) for f in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise UserError(f"{path.name} 不是有效的 CSV 文件:{exc}。请用 Excel 另存为 CSV 后再试。") from exc


def _read_xlsx(path: Path) -> list[list[object]]:
    import openpyxl

    damaged = f"{path.name} 无法作为 Excel 文件打开(文件损坏或不是 .xlsx)。请在 Excel 中重新保存后再试。"
    # The file is opened here, not by openpyxl: a damaged workbook makes openpyxl give up without
    # closing it, which would keep the user's file open (locked, on Windows).
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UserError(f"无法读取 {path.name}:{exc.strerror or exc}。请检查文件是否被其他程序占用、是否有读取权限。") from exc
    with fh:
        try:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # BadZipFile, KeyError, ValueError, and on a damaged part XML ParseError, zlib.error …
            raise UserError(damaged) from exc
        try:
            if not book.worksheets:
                raise UserError(f"{path.name} 里没有工作表。请在 Excel 中检查后重新保存。")
            return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        except UserError:
            raise
        except Exception as exc:  # a damaged sheet is read lazily, row by row
            raise UserError(damaged) from exc
        finally:
            book.close()


def read_roster_sheet(path: Path | str) -> Sheet:
    """Read a duty roster file (导入值班表; .xlsx, or .csv in UTF-8 or GBK); raise UserError (Chinese)
    with what to do. The header is found under any title rows (desktop.core.roster_import.find_header)."""
    return read_sheet(path, "值班表", "值班表应有一行表头(日期、带班领导、值班员),下面每行一天。", find_header)
