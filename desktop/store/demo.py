"""A realistic sample government for `dutydesk --demo` (示例数据, fictional people and numbers).

The data only; filling a database with it is the operation desktop.ops.org.populate.
"""

from __future__ import annotations

from desktop.core.people import PersonDraft
from desktop.core.roles import Role

DEMO_PROFILE = "panzhihua"
DEMO_ORG = "演示市人民政府办公室(示例数据)"

# (name, role, title, portfolio)
LEADERS = [
    ("王建国", Role.chief, "市长", ()),
    ("李志强", Role.executive_deputy, "常务副市长", ("发展和改革委员会", "财政局", "审计局")),
    ("张丽华", Role.deputy, "副市长", ("教育和体育局", "卫生健康委员会", "东城街道")),
    ("陈  明", Role.deputy, "副市长", ("公安局", "司法局", "西城街道")),
    ("刘海峰", Role.deputy, "副市长", ("自然资源和规划局", "住房和城乡建设局", "南山镇")),
    ("赵雪梅", Role.deputy, "副市长", ("农业农村局", "水利局", "青龙乡")),
    ("孙卫东", Role.deputy, "副市长", ("工业和信息化局", "商务局", "北河镇")),
    ("周晓燕", Role.deputy, "副市长", ("民政局", "文化广播电视和旅游局", "白马镇")),
    ("吴国栋", Role.secretary_general, "市政府秘书长", ()),
    ("郑文博", Role.office_director, "市政府办公室主任", ()),
]
AB = [("张丽华", "周晓燕"), ("陈  明", "刘海峰"), ("赵雪梅", "孙卫东")]
DEPARTMENTS = [
    ("何振华", "发展和改革委员会", "市发展和改革委员会主任"),
    ("马晓东", "教育和体育局", "市教育和体育局局长"),
    ("罗建军", "公安局", "市公安局局长"),
    ("高云", "民政局", "市民政局局长"),
    ("林志远", "司法局", "市司法局局长"),
    ("郭敏", "财政局", "市财政局局长"),
    ("梁国庆", "自然资源和规划局", "市自然资源和规划局局长"),
    ("宋立新", "住房和城乡建设局", "市住房和城乡建设局局长"),
    ("唐春燕", "农业农村局", "市农业农村局局长"),
    ("韩涛", "水利局", "市水利局局长"),
    ("冯斌", "工业和信息化局", "市经济和信息化局局长"),
    ("曹丽", "商务局", "市商务局局长"),
    ("彭勇", "卫生健康委员会", "市卫生健康委员会主任"),
    ("曾红", "文化广播电视和旅游局", "市文化广播电视和旅游局局长"),
    ("谢鹏", "审计局", "市审计局局长"),
]
TOWNSHIPS = [
    ("邓辉", "东城街道", "东城街道办事处主任"),
    ("许文", "西城街道", "西城街道办事处主任"),
    ("袁凯", "南山镇", "南山镇镇长"),
    ("傅强", "北河镇", "北河镇镇长"),
    ("沈玉兰", "青龙乡", "青龙乡乡长"),
    ("卢刚", "白马镇", "白马镇镇长"),
]
STAFF = ["杨帆", "朱琳", "秦川", "蒋悦", "丁宁", "范伟"]


def _phone(i: int) -> str:
    return f"1390812{i:04d}"


def demo_drafts() -> list[PersonDraft]:
    drafts: list[PersonDraft] = []
    n = 0
    for name, role, title, portfolio in LEADERS:
        n += 1
        drafts.append(PersonDraft(name=name.replace(" ", ""), role=role, title=title, phone=_phone(n), portfolio=portfolio))
    supervisor = {u: name.replace(" ", "") for name, _r, _t, units in LEADERS for u in units}
    for group, role in ((DEPARTMENTS, Role.dept_head), (TOWNSHIPS, Role.township_head)):
        for name, unit, title in group:
            n += 1
            drafts.append(PersonDraft(name=name, role=role, title=title, unit=unit, phone=_phone(n),
                                      supervisor=supervisor.get(unit, "")))
    for name in STAFF:
        n += 1
        drafts.append(PersonDraft(name=name, role=Role.staff, title="市政府总值班室值班员", unit="市政府办公室",
                                  phone=_phone(n)))
    return drafts
