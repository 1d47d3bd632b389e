"""What a spreadsheet would take for a formula, and how stored text is kept from becoming one.

Excel, WPS and LibreOffice read a cell that is typed (or a CSV field that is opened) as a formula
when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP "CSV Injection").
Stored text — a name, a destination, a phone ``+86 138 0000 0000`` — must stay text:

* xlsx: `desktop.export.xlsx_style.keep_text` writes every text cell as a string;
* CSV: `neutralise` puts one ``'`` before such a field (what the spreadsheet reads as "text
  follows"), `restore` takes it off again when DutyDesk reads a CSV back (desktop.export.tabular).

No openpyxl, no Qt: the importers read this too.
"""

from __future__ import annotations

__all__ = ["FORMULA_START", "neutralise", "restore"]

#: The first characters that make a spreadsheet evaluate a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The field as text a spreadsheet will not evaluate: ``'`` before a field that starts with
    = + - @ TAB or CR (``'=1+1``, ``'+86 13800000000``), every other field as it is; None is empty."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(field: str) -> str:
    """The text `neutralise` was given: one ``'`` before = + - @ TAB or CR taken off, other fields as they are."""
    return field[1:] if field.startswith("'") and field[1:].startswith(FORMULA_START) else field
