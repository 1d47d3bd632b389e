"""Whether a destination leaves the jurisdiction (离攀 / 离县 / 离市), read from its text.

Issue 14 "Each article's own scope": 004 art.69 applies to 离市出差或休假, 002 art.9's acting to 离县;
the flag must not default silently. Each profile lists the places inside its jurisdiction
(``[places] inside``, its districts, counties, townships; 伍家岗's rule says 离市, so its list is
宜昌市's) and its province. `infer_leaves` reads a destination:

* going abroad (出国(境)) always leaves;
* a province-level name other than the profile's own (北京, 海南三亚, 香港) leaves;
* a well-known city (a provincial capital or one of a few big cities) that is not inside leaves
  (成都 leaves 攀枝花 although both are in 四川);
* a place inside (宜昌, 西陵区, 东区) or words such as 市内/县内/本市 stay within;
* anything else (三亚 alone, 会议中心, an empty field) cannot be inferred: None. The form then asks
  and the CLI refuses until ``--leaves`` or ``--within`` is given — but only where the answer changes
  a rule (`leaves_matters`): the chain, its notice period or who acts.

Pure Python: no Qt, no database.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.core.roles import AbsenceKind, Role

if TYPE_CHECKING:  # pragma: no cover - typing only
    from desktop.core.profile import Profile

__all__ = ["KNOWN_CITIES", "PROVINCES", "infer_leaves", "leaves_matters", "leaves_question"]

#: The province-level divisions, by their short names.
PROVINCES: tuple[str, ...] = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏",
    "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
)  # fmt: skip

#: Cities a destination often names without its province: the provincial capitals and a few big cities.
KNOWN_CITIES: tuple[str, ...] = (
    "石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南",
    "郑州", "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁",
    "银川", "乌鲁木齐", "深圳", "青岛", "大连", "厦门", "宁波", "苏州", "无锡", "三亚", "桂林", "珠海",
    "绵阳", "襄阳", "洛阳", "烟台", "潍坊", "临沂", "喀什", "伊宁", "库尔勒", "克拉玛依", "驻马店",
    "漯河", "许昌", "荆州", "十堰", "恩施", "西昌", "乐山", "宜宾", "泸州", "雄安",
)  # fmt: skip

_WITHIN_WORDS = re.compile(r"(本市|本县|本区|市内|县内|区内|辖区内|境内|市区|县城|本地)")


def _inside(profile: Profile) -> tuple[str, ...]:
    return profile.places.inside


def infer_leaves(profile: Profile, destination: str, kind: AbsenceKind) -> bool | None:
    """True (leaves), False (stays within) or None (cannot tell from the text)."""
    if kind is AbsenceKind.abroad:
        return True
    text = re.sub(r"\s+", "", destination or "")
    if not text:
        return None
    inside = _inside(profile)
    own = profile.places.province
    for name in PROVINCES:
        if name in text and name != own and not any(name in place for place in inside):
            return True
    for city in KNOWN_CITIES:
        if city in text and not any(city in place or place in city for place in inside):
            return True
    if any(place in text for place in inside):
        return False
    if _WITHIN_WORDS.search(text) and "外" not in text:
        return False
    return None


def leaves_matters(profile: Profile, role: Role, kind: AbsenceKind) -> bool:
    """Whether leaving the jurisdiction changes a rule for this role and kind: the chain (and so its
    notice period) or the acting rule (002 art.9 县长离县期间)."""
    if kind is AbsenceKind.abroad:
        return False
    if profile.chain_for(role, kind, True) != profile.chain_for(role, kind, False):
        return True
    return profile.acting_rule_for(role, kind, True) != profile.acting_rule_for(role, kind, False)


def leaves_question(profile: Profile, destination: str) -> str:
    """The Chinese question the form and the CLI ask when the answer cannot be inferred."""
    label = profile.jurisdiction_label or "离开辖区"
    where = f"目的地“{destination.strip()}”" if destination.strip() else "没有填写目的地,"
    return (f"{where}无法判断是否{label}(规则按是否{label}确定流程和代行人):"
            f"请写明省市(如“湖北武汉”“北京”),或明确选择是否{label}")
