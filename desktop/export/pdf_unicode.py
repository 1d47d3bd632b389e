"""A PDF's text is the text that was printed: radicals read back as the ideographs they stand for.

What a reader copies, searches and extracts from a PDF is not the drawn glyphs but each font's
ToUnicode map (glyph -> character). Qt writes that map from the font's cmap, naming each glyph by
the lowest code point that maps to it. CJK fonts (Noto/Source Han CJK among them) draw a radical
and its ideograph with one glyph — ⼈ U+2F08 and 人 U+4EBA, ⺠ U+2EA0 and 民 U+6C11 — and the
radicals (U+2E80–U+2FDF) come first, so a board printed 人民政府一周 extracts as ⼈⺠政府⼀周 and a
search for 区长 finds nothing.

`remap_to_unicode` rewrites a written PDF in place: every ToUnicode entry that names a radical the
font shares with an ideograph names that ideograph instead. ``aliases`` (radical -> ideograph) is
read from the fonts themselves by the renderer (desktop.ui.printing.radical_aliases), so only a
radical that is drawn with an ideograph's glyph is renamed. The glyphs, the layout and every other
entry stay as they are; the file is written beside the target and moved into place. pypdf does the
reading and writing.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["RADICALS", "remap_cmap", "remap_to_unicode"]

#: The CJK Radicals Supplement and the Kangxi Radicals: the code points Qt names shared glyphs by.
RADICALS = range(0x2E80, 0x2FE0)

_SECTION = re.compile(rb"(begin(bfchar|bfrange)\b)(.*?)(end\2\b)", re.DOTALL)
_CHAR = re.compile(rb"(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]+)>")  # <source> <destination>, in pairs
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>(\s*)<([0-9A-Fa-f]+)>(\s*)(\[[^\]]*\]|<[0-9A-Fa-f]+>)")
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _hex(code: int) -> bytes:
    return b"<%04X>" % code


def _one(code: bytes, aliases: Mapping[int, int]) -> bytes:
    """A single-code destination (hex digits ``2F08``) as its ideograph ``<4EBA>``, else as it is
    (a multi-character destination, a ligature's ``00660069``, is never a radical)."""
    value = int(code, 16) if len(code) == 4 else -1
    return _hex(aliases[value]) if value in aliases else b"<%s>" % code


def _range(match: re.Match[bytes], aliases: Mapping[int, int]) -> bytes:
    """<lo> <hi> [<d> …] with each <d> remapped; <lo> <hi> <d> (consecutive destinations) as an
    array when one of them is remapped."""
    lo, gap1, hi, gap2, dest = match.groups()
    if dest.startswith(b"["):
        return b"<%s>%s<%s>%s%s" % (lo, gap1, hi, gap2, _CODE.sub(lambda m: _one(m[1], aliases), dest))
    if len(dest) != 6:  # a multi-character destination (a ligature): not a radical
        return match[0]
    first, count = int(dest[1:-1], 16), int(hi, 16) - int(lo, 16) + 1
    codes = [first + i for i in range(count)]
    if not any(c in aliases for c in codes):
        return match[0]
    array = b" ".join(_hex(aliases.get(c, c)) for c in codes)
    return b"<%s>%s<%s>%s[%s]" % (lo, gap1, hi, gap2, array)


def remap_cmap(cmap: bytes, aliases: Mapping[int, int]) -> bytes:
    """A ToUnicode CMap program with the destinations in ``aliases`` (code point -> code point)
    replaced; sources, code space and everything else as they are."""

    def section(match: re.Match[bytes]) -> bytes:
        begin, kind, body, end = match.groups()
        if kind == b"bfchar":
            body = _CHAR.sub(lambda m: m[1] + _one(m[2], aliases), body)
        else:
            body = _RANGE.sub(lambda m: _range(m, aliases), body)
        return begin + body + end

    return _SECTION.sub(section, cmap)


def remap_to_unicode(path: Path | str, aliases: Mapping[int, int]) -> int:
    """Rewrite the ToUnicode maps of the PDF at ``path`` so that the radicals in ``aliases`` read as
    their ideographs; return how many maps changed (0: the file is left untouched)."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    aliases = {k: v for k, v in aliases.items() if k in RADICALS}
    if not aliases:
        return 0
    target = Path(path)
    writer = PdfWriter(clone_from=target)
    seen: set[int] = set()
    changed = 0
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for ref in fonts.values():
            to_unicode = ref.get_object().get(NameObject("/ToUnicode"))
            if to_unicode is None or id(stream := to_unicode.get_object()) in seen:
                continue
            seen.add(id(stream))
            before = stream.get_data()
            after = remap_cmap(before, aliases)
            if after != before:
                stream.set_data(after)
                changed += 1
    if changed:
        fd, tmp = tempfile.mkstemp(suffix=".pdf", prefix=".dutydesk-", dir=target.parent)
        os.close(fd)
        try:
            writer.write(tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return changed
