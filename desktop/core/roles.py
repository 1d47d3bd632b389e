"""Role and kind identifiers shared by every layer (DESIGN.md "People and roles").

The English ids are what the database, profiles and the CLI use; the Chinese labels
are what the user sees.
"""

from __future__ import annotations

from enum import StrEnum

from desktop.core.errors import UserError


class Role(StrEnum):
    chief = "chief"  # 主要负责人 (市长/县长/区长)
    executive_deputy = "executive_deputy"  # 负责常务工作的副职
    deputy = "deputy"  # 副职
    secretary_general = "secretary_general"  # 秘书长
    office_director = "office_director"  # 政府办公室主任
    party_member = "party_member"  # 其他党组成员
    dept_head = "dept_head"  # 部门主要负责人
    township_head = "township_head"  # 乡镇(街道)主要负责人
    staff = "staff"  # 工作人员 (值班员)

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_leader(self) -> bool:
        """政府领导 (on the weekly board, in AB pairs and the duty pool)."""
        return self in LEADER_ROLES


ROLE_LABELS: dict[Role, str] = {
    Role.chief: "主要负责人",
    Role.executive_deputy: "常务副职",
    Role.deputy: "副职",
    Role.secretary_general: "秘书长",
    Role.office_director: "办公室主任",
    Role.party_member: "党组成员",
    Role.dept_head: "部门主要负责人",
    Role.township_head: "乡镇(街道)主要负责人",
    Role.staff: "工作人员",
}

LEADER_ROLES = frozenset(
    {
        Role.chief,
        Role.executive_deputy,
        Role.deputy,
        Role.secretary_general,
        Role.office_director,
        Role.party_member,
    }
)


ROLE_ALIASES: dict[str, Role] = {
    **{t: Role.chief for t in ("市长", "县长", "区长", "旗长", "州长")},
    **{t: Role.executive_deputy for t in ("常务副市长", "常务副县长", "常务副区长", "常务副职")},
    **{t: Role.deputy for t in ("副市长", "副县长", "副区长", "副职领导")},
    **{t: Role.secretary_general for t in ("政府秘书长", "市政府秘书长")},
    **{t: Role.office_director for t in ("政府办公室主任", "政府办主任")},
    **{t: Role.dept_head for t in ("局长", "部门负责人", "部门主要负责人")},
    **{t: Role.township_head for t in ("镇长", "乡长", "乡镇长", "街道办主任", "乡镇负责人", "乡镇(街道)负责人")},
    **{t: Role.staff for t in ("值班员", "值班人员")},
}


def parse_role(text: str) -> Role:
    """Accept the English id, the Chinese label or a common title (副市长, 局长 …).

    Raise ValueError with a Chinese message listing what is accepted.
    """
    value = text.strip()
    for role in Role:
        if value in (role.value, role.label):
            return role
    if value in ROLE_ALIASES:
        return ROLE_ALIASES[value]
    allowed = "、".join(f"{r.value}({r.label})" for r in Role)
    raise UserError(f"未知的角色“{text}”。可用的角色:{allowed}")


class AbsenceKind(StrEnum):
    trip = "trip"  # 出差
    abroad = "abroad"  # 出国(境)
    study = "study"  # 脱产学习
    vacation = "vacation"  # 休假
    personal = "personal"  # 因私请假
    sick = "sick"  # 病假

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[AbsenceKind, str] = {
    AbsenceKind.trip: "出差",
    AbsenceKind.abroad: "出国(境)",
    AbsenceKind.study: "脱产学习",
    AbsenceKind.vacation: "休假",
    AbsenceKind.personal: "因私请假",
    AbsenceKind.sick: "病假",
}

#: The kinds that take the person somewhere (外出: 出差、出国(境)、脱产学习). They need a destination,
#: leave the jurisdiction by default (离攀/离县 is ticked until the secretary unticks it; 出国(境)
#: always leaves), the 今日在岗 board says 外出 with the destination, and the printed form is the
#: 外出报备审批表.
TRAVEL_KINDS = frozenset({AbsenceKind.trip, AbsenceKind.abroad, AbsenceKind.study})
#: The kinds of leave (请假: 休假、因私请假、病假), all the others: no destination required, the
#: person stays by default, the board says 请假, and the printed form is the 请假审批单.
LEAVE_KINDS = frozenset(AbsenceKind) - TRAVEL_KINDS
