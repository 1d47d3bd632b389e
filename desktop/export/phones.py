"""Phone numbers that never break inside the number, in every printout and file.

A phone is printed whole on one line: it may move to the next line as a whole (after a name,
after the 、 between two numbers), never be cut between its digits. What each format needs:

* printed HTML (Qt's QTextDocument: the roster, the approval form): a space inside a number is a
  no-break space (`phone_html`), and the column is wide enough for the longest number at the
  size it is printed in (`fitting_pt`): Qt cuts a word that does not fit a cell's width anywhere,
  digits included, so the size is the guarantee;
* xlsx: a column as wide as its longest number (`phone_units`), one number a line;
* docx: Word's non-breaking hyphen and no-break spaces inside the number, columns that hold 13
  characters of Times New Roman 小四, a longer number set smaller (desktop.export.duty_docx).
"""

from __future__ import annotations

import re
from html import escape

__all__ = ["DIGIT_EM", "PHONE_RE", "fitting_pt", "phone_html", "phone_units", "split_phones"]

#: A phone inside free text (联系方式: 秘书 王某 0812-3336666): digits with spaces, hyphens or a
#: leading +, at least 7 characters long.
PHONE_RE = re.compile(r"\+?\d[\d\- ]{5,}\d")
#: A digit's advance in em, the widest of the print fonts' (DejaVu Serif 0.636; Times 0.5).
DIGIT_EM = 0.64


def split_phones(text: str) -> list[str]:
    """``13908120001、0812-3336666`` (two leaders on one day) -> one number a line."""
    return [p.strip() for p in text.split("、") if p.strip()]


def phone_html(text: str) -> str:
    """``text`` escaped for HTML, each space inside a phone number a no-break space."""
    out, last = [], 0
    for m in PHONE_RE.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(escape(m.group()).replace(" ", "&nbsp;"))
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def fitting_pt(phones: list[str], width_pt: float, size_pt: float, digit_em: float = DIGIT_EM) -> float:
    """``size_pt``, or the largest half point under it at which the longest of ``phones`` fits
    ``width_pt`` (with half a character of room); ``digit_em`` a digit's advance in the font used."""
    longest = max((len(p) for p in phones), default=0)
    if not longest:
        return size_pt
    fits = width_pt / (digit_em * longest + 0.5)
    return min(size_pt, max(6.0, int(fits * 2) / 2))


def phone_units(phones: list[str], size_pt: float = 12.0) -> float:
    """Excel character units a column needs for the longest of ``phones`` at ``size_pt`` (a
    column unit is a digit of the default 11 pt font: about 1.1 units a digit at 12 pt)."""
    longest = max((len(p) for p in phones), default=0)
    return longest * size_pt / 11.0 * 1.05 + 2.0
