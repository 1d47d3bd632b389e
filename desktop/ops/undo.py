"""撤销 (编辑 → 撤销, Ctrl+Z): undo the last operation of this seat, as a new audited change.

Every operation this seat (this open store) commits is noted by desktop.ops.base (`seat_history`):
its audit rows and the records it wrote. An undo

1. refuses, in Chinese, an operation that wrote records an undo cannot put back (people, accounts,
   the calendar, settings: their own pages change them back);
2. compares each record as stored now with its image right after that operation (the log's image,
   its version included): a record someone else changed since — a colleague, another seat, a later
   operation — is refused with who changed it and when, nothing written;
3. writes each record back as it was before the operation (the log's earlier image; a record the
   operation created is deleted, one it deleted comes back), with a new version (the current + 1:
   a colleague's screen that showed the undone state is refused on save, as after any change);
4. writes an ``undo`` audit row per record with what it was and what it is again.

Undoing again undoes this seat's operation before that one (the undo itself is not undone).
"""

from __future__ import annotations

import json
from typing import Any

from desktop.core.access import Permission
from desktop.core.errors import UserError
from desktop.ops.base import Result, SeatEntry, Tx, composite, operation, seat_history
from desktop.store import images
from desktop.store import undo as rows
from desktop.store.db import Store

#: The order records are written back in (a leave refers to a meeting and an absence): created or
#: restored records parents first, deleted ones children first.
_ORDER = ("meeting", "absence", "designation", "warning_override", "duty_plan", "duty_quota", "duty_unavailable",
          "meeting_leave")
_MISSING = object()


def last(store: Store) -> SeatEntry | None:
    """The operation 撤销 would undo now, or None."""
    history = seat_history(store)
    return history[-1] if history else None


def action_text(store: Store) -> str:
    """The menu item's text: 撤销“销假:张三 出差 …”(Ctrl+Z), or 撤销 when there is nothing."""
    entry = last(store)
    if entry is None:
        return "撤销"
    text = entry.summary if len(entry.summary) <= 30 else entry.summary[:29] + "…"
    return f"撤销“{text}”"


def _name(kind: str, key: str) -> str:
    k = images.BY_NAME[kind]
    return f"第 {key} 条{k.label}" if k.numeric else f"{k.label}({key})"


def _plain(image: Any) -> Any:
    if isinstance(image, dict):
        return {c: v for c, v in image.items() if c != "version"}
    return image


def refusal(entry: SeatEntry) -> str | None:
    """Why `entry` cannot be undone at all (what it wrote), or None. (A colleague's change since is
    found by the undo itself, under the write lock.)"""
    if not entry.written:  # wrote no record an undo can put back (the rules' adjustments, a setting)
        return f"“{entry.summary}”不能撤销,请在相应页面直接改回(历史记录中可查看原来的内容)。没有修改任何数据。"
    other = sorted(images.BY_NAME[k].label for k in entry.written if k not in rows.FAMILIES)
    if other:
        return (f"“{entry.summary}”修改了{'、'.join(other)},这类修改不能撤销。"
                "请在相应页面直接改回(历史记录中可查看原来的内容)。没有修改任何数据。")
    return None


@operation(Permission.record)
def undo_entry(tx: Tx, entry: SeatEntry) -> dict[str, dict[str, Any]]:
    """Undo one operation of this seat (`entry`); returns the images written back {kind: {key: image}}."""
    store = tx.store
    tx.undoable = False
    why = refusal(entry)
    if why:
        raise UserError(why)
    row = store.conn.execute("SELECT image FROM audit WHERE id = :id", {"id": entry.last_audit}).fetchone()
    logged = json.loads(row[0]) if row and row[0] else None
    if logged is None:
        raise UserError(f"审计记录中没有“{entry.summary}”修改后的内容,不能撤销。请在该记录上直接改回。没有修改任何数据。")
    now: dict[str, dict[str, Any]] = {}
    for kind, keys in entry.written.items():
        now[kind] = rows.current(store, kind, keys)
        for key in keys:
            expected = entry.expected.get(kind, {}).get(key, logged.get(kind, {}).get(key, _MISSING))
            if now[kind].get(key) != expected:
                later = rows.later_change(store, kind, key, entry.last_audit)
                who = f"已在 {later[0].replace('T', ' ')} 被 {later[1]} 修改({later[2]})" if later else "已被修改"
                raise UserError(f"{_name(kind, key)}在“{entry.summary}”之后{who},不能撤销,以免覆盖后来的修改。"
                                "请在该记录上直接修改。没有修改任何数据。")
    before: dict[str, dict[str, Any]] = {}
    for kind, keys in entry.written.items():
        found, unknown = rows.image_before(store, kind, keys, entry.first_audit)
        if unknown:
            names = "、".join(_name(kind, k) for k in sorted(unknown))
            raise UserError(f"审计记录中找不到{names}在“{entry.summary}”之前的内容(旧版本写入的记录),不能撤销。"
                            "请在该记录上直接改回。没有修改任何数据。")
        before[kind] = found
    ordered = sorted(entry.written, key=_ORDER.index)
    for delete in (False, True):
        for kind in (reversed(ordered) if delete else ordered):
            for key in entry.written[kind]:
                image = before[kind][key]
                if (image is None) != delete:
                    continue
                current = now[kind].get(key)
                version = None
                if isinstance(current, dict) and isinstance(current.get("version"), int):
                    version = current["version"] + 1
                elif isinstance(image, dict) and isinstance(image.get("version"), int):
                    version = image["version"] + 1
                rows.put(store, kind, key, image, version=version)
    restored: dict[str, dict[str, Any]] = {}
    for kind in ordered:
        keys = entry.written[kind]
        restored[kind] = rows.current(store, kind, keys)
        for key in keys:
            what = "删除" if restored[kind].get(key) is None else "恢复为此前的内容"
            tx.audit("undo", kind, int(key) if images.BY_NAME[kind].numeric else None,
                     f"撤销“{entry.summary}”:{_name(kind, key)}{what}",
                     before=now[kind].get(key), after=restored[kind].get(key))
    return restored


@composite(Permission.record)
def undo_last(store: Store) -> Result[str]:
    """撤销 this seat's last operation (`undo_entry`); the value is what was undone, for the status bar."""
    history = seat_history(store)
    if not history:
        raise UserError("没有可以撤销的操作:本窗口打开以来还没有保存过修改(或已全部撤销)。")
    entry = history[-1]
    result = undo_entry(store, entry)
    history.pop()
    # The nearest earlier operation of this seat that wrote a restored record now expects it as
    # restored, provided it is what that operation left (nobody changed it in between; only the
    # version moved on).
    for kind, restored in result.value.items():
        for key, image in restored.items():
            earlier = next((e for e in reversed(history) if key in e.written.get(kind, ())), None)
            if earlier is None:
                continue
            theirs = earlier.expected.get(kind, {}).get(key, _MISSING)
            if theirs is _MISSING:
                found, _unknown = rows.image_before(store, kind, [key], earlier.last_audit + 1)
                theirs = found.get(key, _MISSING)
            if _plain(theirs) == _plain(image):
                earlier.expected.setdefault(kind, {})[key] = image
    return Result(f"已撤销:{entry.summary}", result.changes)
