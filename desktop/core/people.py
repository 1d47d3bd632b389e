"""People, protocol ranks, portfolios and AB pairs (人员、排名、分管、AB角) — pure data and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.errors import UserError
from desktop.core.roles import Role, parse_role
from desktop.core.text import safe_text

NAME_MAX = 40
FIELD_MAX = 100
_PHONE = re.compile(r"^[0-9+\-() 转]{3,30}$")


class UnitKind:
    department = "department"  # 部门
    township = "township"  # 乡镇(街道)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: Role
    title: str
    rank: int
    phone: str = ""
    unit: str = ""
    active: bool = True
    note: str = ""
    version: int = 1

    @property
    def display_title(self) -> str:
        return self.title or self.role.label


@dataclass(frozen=True)
class PersonDraft:
    """What the user typed for a new or edited person, validated by `validate_draft`."""

    name: str
    role: Role
    title: str = ""
    phone: str = ""
    unit: str = ""
    note: str = ""
    rank: int | None = None  # None: after everyone else
    portfolio: tuple[str, ...] = field(default_factory=tuple)  # 分管单位 (deputies)
    supervisor: str = ""  # 分管领导 name (for dept/township heads)
    active: bool = True


def clean_text(value: object) -> str:
    """Normalise user text: str(), strip, collapse inner whitespace runs."""
    if value is None:
        return ""
    text = safe_text(str(value)).replace("\u3000", " ").strip()
    return re.sub(r"\s+", " ", text)


def validate_draft(draft: PersonDraft) -> PersonDraft:
    """Return a cleaned draft or raise UserError saying what to fix."""
    name = clean_text(draft.name).replace(" ", "")
    if not name:
        raise UserError("姓名不能为空,请填写姓名。")
    if len(name) > NAME_MAX:
        raise UserError(f"姓名“{name[:NAME_MAX]}…”超过{NAME_MAX}个字,请检查是否填错了列。")
    title = clean_text(draft.title)
    unit = clean_text(draft.unit)
    note = clean_text(draft.note)
    for label, value in (("职务", title), ("单位", unit), ("备注", note)):
        if len(value) > FIELD_MAX:
            raise UserError(f"{label}超过{FIELD_MAX}个字,请缩短后再保存。")
    phone = clean_text(draft.phone)
    if phone and not _PHONE.match(phone):
        raise UserError(f"电话“{phone}”格式不对:只能包含数字、空格、+、-、括号和“转”,例如 0812-3331234 或 13800000000。")
    if draft.rank is not None and draft.rank < 1:
        raise UserError("排名必须是从 1 开始的正整数。")
    portfolio = tuple(dict.fromkeys(u for u in (clean_text(p) for p in draft.portfolio) if u))
    if portfolio and draft.role not in (Role.executive_deputy, Role.deputy, Role.secretary_general,
                                        Role.office_director, Role.party_member, Role.chief):
        raise UserError(f"只有政府领导才有分管单位;{draft.role.label}不能设置分管。")
    return PersonDraft(
        name=name,
        role=draft.role,
        title=title,
        phone=phone,
        unit=unit,
        note=note,
        rank=draft.rank,
        portfolio=portfolio,
        supervisor=clean_text(draft.supervisor),
        active=draft.active,
    )


def split_list(text: object) -> tuple[str, ...]:
    """Split a cell like “发改委、教育局,公安局” into unit names."""
    raw = clean_text(text)
    if not raw:
        return ()
    return tuple(p.strip() for p in re.split(r"[、,，;；/\s]+", raw) if p.strip())


def role_from_cell(text: object) -> Role:
    return parse_role(clean_text(text))


def ordered(people: list[Person]) -> list[Person]:
    """Protocol order (排名), never by name; ties broken by id so the order is stable."""
    return sorted(people, key=lambda p: (p.rank, p.id))
