"""What changed in a record, said in Chinese: field labels, values as shown, and diffs.

Two users of it: the refusal of a stale save (`ConcurrentEdit`: “张三”的信息在您打开后已被
李四 于 2026-11-21 09:40 修改:电话 138… → 139…) and the record history view (审计记录 of one
person, absence record or duty plan, before → after). Snapshots are the plain dicts the store
writes into the audit log (``before`` / ``after``), so the same diff reads both a live record
and an old audit row.

Pure Python: no Qt, no SQLite.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.chain import OUTCOME_LABELS
from desktop.core.cndate import cn_month_day
from desktop.core.errors import UserError
from desktop.core.roles import AbsenceKind, Role

__all__ = [
    "ACTION_LABELS",
    "ENTITY_LABELS",
    "FIELD_LABELS",
    "ConcurrentEdit",
    "FieldChange",
    "conflict_message",
    "diff",
    "label_of",
    "show_value",
]

#: Field labels per entity, in the order a change list shows them.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "person": {
        "name": "姓名", "role": "角色", "title": "职务", "rank": "排名", "phone": "电话", "unit": "所在单位",
        "portfolio": "分管单位", "supervisor": "分管领导", "ab_partner": "AB角", "active": "在任", "note": "备注",
    },
    "absence": {
        "person_id": "人员", "kind": "类别", "start": "开始日期", "start_half": "开始(半天)", "end": "结束日期",
        "end_half": "结束(半天)", "destination": "去向", "reason": "事由", "leaves_jurisdiction": "离开辖区",
        "reported_at": "报备时间", "urgent": "紧急外出", "acting_ids": "代行人", "contact": "联系方式",
        "state": "状态", "actual_return": "实际返回", "actual_return_half": "返回(半天)",
        "state_note": "状态说明", "original_end": "原定结束日期", "original_end_half": "原定结束(半天)",
        "outcome": "审批结果", "comment": "意见", "extend_reason": "延期理由",
    },
    "duty_plan": {"provisional": "临时日历"},
    "meeting": {
        "type": "会议类型", "title": "会议名称", "starts_at": "开始时间", "ends_at": "结束时间", "place": "地点",
        "convener_id": "召集人", "members": "组成人员", "attendees": "列席人员", "topics": "议题",
        "minutes_done": "纪要印发", "documents_done": "文件印发", "note": "备注",
    },
    "meeting_leave": {
        "person_id": "请假人", "reason": "事由", "substitute": "代为参会", "state": "状态", "approver_id": "审批人",
        "approver_for_id": "代谁审批", "decided_by": "审批", "comment": "意见", "absence_id": "外出记录",
    },
}  # fmt: skip

ENTITY_LABELS = {"person": "人员", "absence": "外出/请假记录", "duty_plan": "值班安排", "ab_pair": "AB角",
                 "org": "单位", "calendar": "日历", "designation": "指定代行", "warning_override": "同时外出理由",
                 "duty_quota": "值班份额", "duty_unavailable": "不宜值班日", "meeting": "会议",
                 "meeting_leave": "会议请假"}  # fmt: skip

#: The audit log's actions (desktop.ops.*: tx.audit(ACTION, ...)) in Chinese.
ACTION_LABELS = {
    "add": "新增", "edit": "修改", "activate": "启用", "deactivate": "停用", "reorder": "调整排名",
    "ab_set": "设置AB角", "ab_clear": "取消AB角", "submit": "报送", "advance": "办理审批步骤", "reject": "退回",
    "return": "销假", "extend": "延期", "withdraw": "撤回", "cancel": "取消", "designate": "指定代行",
    "override": "记录同时外出理由", "plan": "生成排班", "pin": "固定", "release": "取消固定", "swap": "调班",
    "replace": "替班", "init": "初始化单位", "correct_day": "更正日历", "import_notice": "导入放假通知",
    "quota": "设置值班份额", "unavailable": "登记不宜值班", "available": "取消不宜值班",
    "update": "修改", "delete": "删除", "approve": "批准", "rehash": "更新密码摘要",
    "forward": "办公室呈报", "file": "书面报备",
}  # fmt: skip

#: Keys that are bookkeeping, never a change the user made.
IGNORED = frozenset({"id", "version", "created_at", "updated_at"})

_ROLE = {r.value: r.label for r in Role}
_KIND = {k.value: k.label for k in AbsenceKind}
_STATE = {"draft": "草稿", "submitted": "已报送", "in_progress": "审批中", "approved": "已批准", "returned": "已销假",
          "rejected": "已退回", "withdrawn": "已撤回", "cancelled": "已取消", "requested": "待批"}  # fmt: skip
_HALF = {"full": "全天", "am": "上午", "pm": "下午"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")
EMPTY = "(空)"


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its key, Chinese label, and both values as shown to the user."""

    key: str
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} {self.before} → {self.after}"


def label_of(entity: str, key: str) -> str:
    labels = FIELD_LABELS.get(entity, {})
    if key in labels:
        return labels[key]
    if _ISO_DAY.match(key):  # a duty plan's snapshot: date -> names
        return cn_month_day(dt.date.fromisoformat(key))
    return key


def show_value(entity: str, key: str, value: Any, names: Mapping[int, str] | None = None) -> str:
    """A stored value as the user reads it: labels for codes, 是/否, names for person ids."""
    names = names or {}
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in ("active", "urgent", "leaves_jurisdiction", "provisional") and value in (0, 1):
        return "是" if value else "否"
    if key == "role":
        return _ROLE.get(str(value), str(value))
    if key == "kind":
        return _KIND.get(str(value), str(value))
    if key == "state":
        return _STATE.get(str(value), str(value))
    if key == "outcome":
        return OUTCOME_LABELS.get(str(value), str(value))
    if key.endswith("_half"):
        return _HALF.get(str(value), str(value))
    if key in ("person_id", "acting_ids", "ab_partner", "convener_id", "members", "attendees", "approver_id",
               "approver_for_id"):
        ids = value if isinstance(value, list | tuple) else [value]
        return "、".join(names.get(i, f"编号 {i}") if isinstance(i, int) else str(i) for i in ids) or EMPTY
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or EMPTY
    if isinstance(value, dict):
        return ";".join(f"{k}:{show_value(entity, str(k), v, names)}" for k, v in value.items())
    text = str(value)
    if _ISO_TIME.match(text):
        return text[:16].replace("T", " ")
    return text


def _order(entity: str, keys: Iterable[str]) -> list[str]:
    known = list(FIELD_LABELS.get(entity, {}))
    return sorted(keys, key=lambda k: (known.index(k) if k in known else len(known), k))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    if (isinstance(a, bool) and isinstance(b, int)) or (isinstance(b, bool) and isinstance(a, int)):
        return bool(a) == bool(b)
    return (None if a == "" else a) == (None if b == "" else b)


def diff(entity: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
         names: Mapping[int, str] | None = None) -> list[FieldChange]:
    """The fields whose values differ, in the entity's field order.

    ``before`` None is a creation (every non-empty field of ``after`` is listed), ``after`` None a
    removal. Otherwise only keys present on both sides are compared: a snapshot that does not
    carry a field says nothing about it.
    """
    if not isinstance(before, Mapping) and not isinstance(after, Mapping):
        return []
    b = dict(before) if isinstance(before, Mapping) else {}
    a = dict(after) if isinstance(after, Mapping) else {}
    if before is None or not isinstance(before, Mapping):
        keys = [k for k in a if a[k] not in (None, "", [], ())]
    elif after is None or not isinstance(after, Mapping):
        keys = [k for k in b if b[k] not in (None, "", [], ())]
    else:
        keys = [k for k in a if k in b]
    out = []
    for key in _order(entity, (k for k in keys if k not in IGNORED)):
        old, new = b.get(key), a.get(key)
        if _same(old, new):
            continue
        out.append(FieldChange(key, label_of(entity, key), show_value(entity, key, old, names),
                               show_value(entity, key, new, names)))
    return out


def conflict_message(title: str, changes: Sequence[FieldChange], by: Sequence[str], at: str) -> str:
    """“张三”的信息在您打开后已被 李四 于 2026-11-21 09:40 修改:电话 A → B;排名 3 → 2。您的修改没有保存。…"""
    who = f" {'、'.join(by)} " if by else "他人"
    when = f"于 {show_value('', 'at', at)} " if at else ""
    what = ":" + ";".join(str(c) for c in changes) if changes else ""
    return (f"{title}在您打开后已被{who}{when}修改{what}。您的修改没有保存。"
            "请点“重新载入”(或刷新)查看最新内容后再修改。")


class ConcurrentEdit(UserError):
    """Someone else saved the record after this user loaded it: the save is refused (no lost update).

    Carries what the refusal shows: ``entity`` and ``entity_id``, the version the user had and the
    one saved now, ``changes`` (what the other user changed: the value this user started from →
    the value saved now), ``by`` / ``at`` (operators and time of the newest audit rows), and
    ``yours`` (what this user tried to save, so it can be entered again after reloading).
    """

    def __init__(self, entity: str, entity_id: int | None, title: str, had_version: int | None,
                 current_version: int | None, changes: Sequence[FieldChange] = (), by: Sequence[str] = (),
                 at: str = "", yours: Sequence[FieldChange] = (), message: str | None = None):
        self.entity = entity
        self.entity_id = entity_id
        self.title = title
        self.had_version = had_version
        self.current_version = current_version
        self.changes = tuple(changes)
        self.by = tuple(by)
        self.at = at
        self.yours = tuple(yours)
        super().__init__(message or conflict_message(title, self.changes, self.by, at))
