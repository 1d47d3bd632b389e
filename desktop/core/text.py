"""Text from outside the program, made safe to store: one function for every entry point.

A NUL byte or a right-to-left override (U+202E) in an imported name is invisible on screen but
changes what a list, a printout or a search shows: "陈明\u202e" sorts and compares as another name,
and an override turns the rest of a line around on the notice board. `safe_text` removes them:

- C0 control characters except tab, line feed and carriage return (multi-line fields keep their
  lines), DEL, and the C1 controls U+0080–U+009F;
- the bidirectional embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069,
  and the invisible direction marks U+200E, U+200F and U+061C.

Every operation (desktop.ops.base.operation) passes its arguments through `safe_value`, so forms,
the command line, imports and the holiday notice all store clean text; the importers' parsers call
`safe_text` too, so their previews show what will be stored.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def safe_text(text: str) -> str:
    """`text` without control and bidirectional-override characters (tab and line breaks kept)."""
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


def safe_value(value: Any) -> Any:
    """`safe_text` applied to every string in ``value``: strings, lists, tuples, sets, dict keys and
    values, and the fields of dataclasses (a new object only where something changed)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [(v, safe_value(v)) for v in value]
        if all(new is old for old, new in items):
            return value
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple
            return type(value)(*(new for _, new in items))
        return type(value)(new for _, new in items)
    if isinstance(value, dict):
        pairs = [(k, v, safe_value(k), safe_value(v)) for k, v in value.items()]
        if all(nk is k and nv is v for k, v, nk, nv in pairs):
            return value
        return {nk: nv for _, _, nk, nv in pairs}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = safe_value(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
