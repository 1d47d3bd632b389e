"""The office's own adjustments of its rule preset (规则 → 调整规则): an override layer over the
preset's TOML data, pure (no Qt, no database).

An override is ``path -> value``: the path names one setting of the preset's data, a list element by
its ``id`` when it has one (``chains.deputy_leaves_city.lead_days``) else by its position
(``chains.deputy_leaves_city.steps.1.target``); the value has the preset value's type. `fields`
lists every setting an office may adjust, driven by the preset data itself — a key the rules
engineer adds to the profiles later appears without a change here — each with the article of the
table it sits in. Whether a set of overrides is valid is the profile loader's word
(desktop.core.profile.parse_profile on the merged data), so every rule the loader checks applies.

Overrides travel as a small TOML file (`dumps` / `loads`): the preset's id and an ``[overrides]``
table of quoted paths.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.errors import UserError

#: Settings that identify or describe a rule rather than adjust it: not offered.
FIXED_KEYS = frozenset({"schema", "id", "seed", "article", "leave_article", "source_title", "name", "short_name",
                        "level", "label", "note", "scope_text"})
#: Tables that are not rules an office adjusts (who the titles are, how offices are called).
FIXED_SECTIONS = frozenset({"titles", "offices"})

#: Chinese names of the settings; a key without one is shown as it is written in the profile.
LABELS: dict[str, str] = {
    "lead_days": "提前报告天数",
    "lead_unit": "提前天数的算法(natural 自然日 / workdays 工作日)",
    "urgent": "紧急外出(promptly 及时报告即可 / none 无例外)",
    "target": "审批(报告)对象",
    "action": "步骤类型",
    "roles": "适用角色",
    "kinds": "适用外出类型",
    "scope": "适用范围",
    "days": "天数",
    "unit": "计算单位",
    "pool": "轮值人员角色",
    "chief_share": "主要负责人轮值份额(0 不参加,1 整份)",
    "officers_per_day": "每天值班员人数",
    "shifts": "班次",
    "eve": "重点日权重:除夕",
    "spring_day1": "重点日权重:春节初一",
    "national_day1": "重点日权重:国庆10月1日",
    "confidential_mark": "导出时加保密标注",
    "mark_text": "保密标注文字",
    "jurisdiction_label": "离开辖区的说法",
    "leaves_default": "外出默认离开辖区",
    "leaves_jurisdiction_default": "外出默认离开辖区",
    "quorum": "到会人数要求",
    "convener": "召集人",
    "leave_approver": "会议请假审批人",
    "substitute_required": "须指派人员代会",
    "members": "组成人员",
    "severity": "提醒级别",
    "actor": "代行人",
    "absent_role": "外出人角色",
    "both_away": "双方都外出时",
    "duties": "代行职责",
    "meetings": "适用会议",
    "succession": "按顺次递补的角色(依次)",
    "delegates": "可受委托代行的角色",
    "leaving_kinds": "离开辖区时才适用的外出类型",
    "ab_partners": "互为AB角的两人",
    "leaves_jurisdiction_only": "只在离开辖区时适用",
}
SECTION_LABELS: dict[str, str] = {
    "chains": "外出报告与请假流程",
    "duty": "节假日值班",
    "deadlines": "工作日期限",
    "acting": "代行与AB角",
    "not_together": "不得同时外出",
    "meetings": "会议",
    "meeting_leave": "会议请假",
    "export": "导出",
}
_DUTY_DAYS_NOTE = "值班日(holiday_weekdays 节假日中的工作日 / holiday_block 整个假期 / rest_days 全部休息日 / every_day 每天)"


@dataclass(frozen=True)
class Field:
    """One adjustable setting of a preset."""

    path: str
    section: str  # 节假日值班
    group: str  # the rule it belongs to: 副市长、秘书长离攀外出报告 / 第2步 报告市长或常务副市长
    key: str
    label: str
    preset: Any  # the preset's value
    article: str  # the machine id of the article of the table it sits in ("000 art.84"), or ""

    @property
    def kind(self) -> str:
        return _kind(self.preset)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "list"
    return "str"


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or (
        isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value))


def _segment(item: Any, index: int) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return item["id"]
    return str(index)


def _walk(node: Mapping[str, Any], prefix: str, section: str, group: str, article: str) -> Iterator[Field]:
    article = node.get("article", article) if isinstance(node.get("article"), str) else article
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if key in FIXED_KEYS:
            continue
        if isinstance(value, Mapping):
            if not prefix and key in FIXED_SECTIONS:
                continue
            yield from _walk(value, path, section or SECTION_LABELS.get(key, key), group, article)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for i, item in enumerate(value):
                name = item.get("label") if isinstance(item.get("label"), str) else None
                sub = f"{group} / 第{i + 1}步 {name}" if key == "steps" else (
                    name or f"{SECTION_LABELS.get(key, LABELS.get(key, key))} {i + 1}")
                yield from _walk(item, f"{path}.{_segment(item, i)}", section or SECTION_LABELS.get(key, key),
                                 sub, article)
        elif _scalar(value):
            label = _DUTY_DAYS_NOTE if (key == "days" and section == SECTION_LABELS["duty"]) else LABELS.get(key, key)
            yield Field(path, section or "基本设置", group, key, label, value, article)


def fields(data: Mapping[str, Any]) -> list[Field]:
    """Every adjustable setting of the preset ``data`` (its TOML as read), in the file's order."""
    return list(_walk(data, "", "", "", ""))


def _locate(data: Any, path: str) -> tuple[Any, str | int]:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = _child(node, part, path)
    last = parts[-1]
    if isinstance(node, list):
        return node, _index(node, last, path)
    if not isinstance(node, dict) or last not in node:
        raise UserError(f"规则预设中没有“{path}”这一项(可能是其他版本的规则文件),请删除这一项后再试。")
    return node, last


def _index(node: list, part: str, path: str) -> int:
    for i, item in enumerate(node):
        if _segment(item, i) == part:
            return i
    raise UserError(f"规则预设中没有“{path}”这一项(可能是其他版本的规则文件),请删除这一项后再试。")


def _child(node: Any, part: str, path: str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list):
        return node[_index(node, part, path)]
    raise UserError(f"规则预设中没有“{path}”这一项(可能是其他版本的规则文件),请删除这一项后再试。")


def value_at(data: Mapping[str, Any], path: str) -> Any:
    node, key = _locate(data, path)
    return node[key]


def apply(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The preset data with the overrides put in (a copy; the preset is not changed)."""
    out = copy.deepcopy(dict(data))
    for path, value in overrides.items():
        node, key = _locate(out, path)
        if _kind(node[key]) != _kind(value) and not (_kind(node[key]) == "float" and _kind(value) == "int"):
            raise UserError(f"“{path}”的值类型不对:应为{_KIND_TEXT[_kind(node[key])]}。")
        node[key] = value
    return out


_KIND_TEXT = {"bool": "是或否", "int": "整数", "float": "数字", "list": "用顿号分隔的列表", "str": "文字"}
_TRUE = {"是", "true", "True", "1", "yes"}
_FALSE = {"否", "false", "False", "0", "no"}


def parse_value(text: str, preset: Any, label: str = "") -> Any:
    """The value typed for a setting whose preset value is ``preset`` (its type decides): UserError
    in Chinese saying what to type."""
    t = text.strip()
    name = f"“{label}”" if label else "这一项"
    kind = _kind(preset)
    if kind == "bool":
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        raise UserError(f"{name}请填“是”或“否”。")
    if kind == "int":
        if not re.fullmatch(r"-?\d+", t):
            raise UserError(f"{name}请填整数(例如 3),不能是“{t}”。")
        return int(t)
    if kind == "float":
        try:
            return float(t)
        except ValueError:
            raise UserError(f"{name}请填数字(例如 0.5),不能是“{t}”。") from None
    if kind == "list":
        items = [x.strip() for x in re.split(r"[、,,]", t) if x.strip()]
        if preset and all(isinstance(x, int) for x in preset):
            try:
                return [int(x) for x in items]
            except ValueError:
                raise UserError(f"{name}请填用顿号分隔的整数。") from None
        return items
    if not t:
        raise UserError(f"{name}不能为空。")
    return t


def show(value: Any) -> str:
    """A value as the editor shows it (the inverse of `parse_value`)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def dumps(profile_id: str, overrides: Mapping[str, Any]) -> str:
    """The overrides as a TOML file an office can keep, mail and import again."""
    lines = ["# 值班报备台 规则调整(在规则预设之上的修改)。在“规则 → 调整规则 → 导入…”中导入。",
             f"profile = {json.dumps(profile_id, ensure_ascii=False)}", "", "[overrides]"]
    for path in sorted(overrides):
        lines.append(f"{json.dumps(path, ensure_ascii=False)} = {json.dumps(overrides[path], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def loads(text: str) -> tuple[str, dict[str, Any]]:
    """(profile id, overrides) of a file written by `dumps` (UserError in Chinese when it is not)."""
    try:
        data = tomllib.loads(text.lstrip("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"规则调整文件格式不对({exc}),请选择由“导出…”保存的文件。") from None
    profile = data.get("profile")
    overrides = data.get("overrides", {})
    if not isinstance(profile, str) or not isinstance(overrides, dict):
        raise UserError("这不是规则调整文件:缺少 profile 或 [overrides]。请选择由“导出…”保存的文件。")
    return profile, dict(overrides)
