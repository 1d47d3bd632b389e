"""The living demo (示例数据): the sample government of desktop.store.demo in the middle of an office week.

`populate_week` writes, relative to the store's today, what a secretary meets on a Monday morning:
trips in every state (草稿、等待市长批准、已批准、外出中、提前返回、延期), the 市长's trip with the
常务副市长 acting (000 art.10), an AB gap with no designation yet (000 art.61), a step whose approver
is away today, a 常务会议 this week with two leave requests and a quorum that hinges on one of them
(000 art.42, 43), the next holiday's duty roster with its officers (000 art.81) and an overdue 销假.

Everything goes through the operations (desktop.ops), so the audit log is real: each step is done at
its own moment of the past days (the store's clock is moved to that moment for the call and put back
after), in the order a real week would have them; all of it is one transaction: nothing half-written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from desktop.core.absence import Absence, AbsenceKind
from desktop.core.access import Permission
from desktop.core.clock import FixedClock
from desktop.core.errors import UserError
from desktop.core.meetings import Meeting, Topic
from desktop.core.profile import Profile
from desktop.ops import absences as absence_ops
from desktop.ops import duty as duty_ops
from desktop.ops import meetings as meeting_ops
from desktop.ops import org as org_ops
from desktop.ops.base import Tx, operation
from desktop.store import duty as duty_rows
from desktop.store import people
from desktop.store.calcache import calendar_for
from desktop.store.db import Store
from desktop.store.org import get_org

_ONE = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class WeekDays:
    """The days the demo's story hangs on, relative to ``today``."""

    today: dt.date
    meeting: dt.date  # the 常务会议: the first workday at least two days ahead
    gap: dt.date  # the AB gap (赵雪梅 and 孙卫东 both away): the meeting's day

    @classmethod
    def of(cls, store: Store, today: dt.date) -> WeekDays:
        cal = calendar_for(store, today.year + 1)
        meeting = cal.next_workday(today + _ONE)
        return cls(today=today, meeting=meeting, gap=meeting)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


class _Week:
    """The week's events, each run at its own moment (the store's clock set to it, never later than the
    real now) in the order of those moments, so the audit log reads like the days it tells."""

    def __init__(self, store: Store, now: dt.datetime):
        self.store, self.now = store, now
        self.events: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        self.ids: dict[str, int] = {}  # the records made so far, by the demo's own key

    def at(self, moment: dt.datetime, call: Callable, *args, key: str = "", **kwargs) -> None:
        """Schedule ``call(store, *args, **kwargs)``; an argument ``"#key"`` is the id of that record."""

        def run() -> None:
            real = [self.ids[a[1:]] if isinstance(a, str) and a.startswith("#") else a for a in args]
            value = call(self.store, *real, **kwargs).value
            if key:
                self.ids[key] = getattr(getattr(value, "record", value), "id", None)

        self.events.append((min(moment, self.now), len(self.events), run))

    def play(self) -> None:
        real = self.store.clock
        try:
            for moment, _n, run in sorted(self.events, key=lambda e: e[:2]):
                self.store.clock = FixedClock(moment)
                run()
        finally:
            self.store.clock = real


@operation(Permission.rules, Permission.people, Permission.record)
def populate_week(tx: Tx, known_profiles: tuple[str, ...], profile: Profile | None = None) -> WeekDays:
    """Fill an empty database with the demo government and its living week (see the module)."""
    store = tx.store
    if get_org(store) is not None or people.list_people(store):
        raise UserError("这个数据库已经有单位或人员,示例数据只写入新的空数据库。请用 --db 指定一个新文件,例如:"
                        "dutydesk --db 示例.db demo")
    now = store.clock.now()
    today = now.date()
    d = lambda n: today + dt.timedelta(days=n)  # noqa: E731 - a day relative to today
    real_clock = store.clock
    store.clock = FixedClock(min(_at(d(-14), 9, 0), now))  # the office entered its people two weeks ago
    try:
        org_ops.populate(store, known_profiles)
    finally:
        store.clock = real_clock
    rules = profile or org_ops.profile_of(store)
    days = WeekDays.of(store, today)
    m = days.meeting
    pid = {p.name: p.id for p in people.list_people(store)}
    week = _Week(store, now)

    def trip(key: str, name: str, kind: AbsenceKind, start: dt.date, end: dt.date, dest: str, reason: str, *,
             reported: dt.datetime, leaves: bool = True, submit: bool = True, contact: str = "") -> None:
        draft = Absence(id=None, person_id=pid[name], kind=kind, start=start, end=end, destination=dest, reason=reason,
                        leaves_jurisdiction=leaves, reported_at=reported if submit else None, contact=contact)
        week.at(reported, absence_ops.add_absence, rules, draft, submit=submit, key=key)

    def step(key: str, by: str, moment: dt.datetime) -> None:
        week.at(moment, absence_ops.advance_absence, f"#{key}", by, profile=rules)

    # -- 秘书长 to 成都 ten days ago, back early (提前返回)
    trip("sg", "吴国栋", AbsenceKind.trip, d(-9), d(-5), "成都", "向省政府办公厅汇报政务服务工作", reported=_at(d(-11), 9, 10))
    step("sg", "王建国", _at(d(-11), 10, 0))  # 报告市长或常务副市长 (000 art.84)
    step("sg", "杨帆", _at(d(-11), 10, 30))  # 向市政府办公室备案
    week.at(_at(d(-7), 18, 0), absence_ops.return_absence, "#sg", d(-7))

    # -- a department head's trip that ended three days ago and was never closed (逾期未销假)
    trip("dh", "何振华", AbsenceKind.trip, d(-6), d(-3), "北京", "赴国家发展改革委对接项目", reported=_at(d(-9), 15, 0),
         contact="13908120011")
    step("dh", "李志强", _at(d(-8), 9, 0))  # 分管领导同意
    step("dh", "杨帆", _at(d(-8), 16, 0))  # 按照市委有关规定报批
    step("dh", "杨帆", _at(d(-7), 9, 30))  # 签报市政府

    # -- under way: 陈明 in 成都 until the meeting's day; 刘海峰, his AB partner, acts meanwhile
    trip("cm", "陈明", AbsenceKind.trip, d(-2), m, "成都", "参加全省公安工作会议", reported=_at(d(-4), 11, 0))
    step("cm", "王建国", _at(d(-4), 14, 0))
    step("cm", "杨帆", _at(d(-3), 9, 0))

    # -- the 市长's trip: 李志强 acts as 市长 (000 art.10); filed with the office
    trip("chief", "王建国", AbsenceKind.trip, d(-1), d(1), "成都", "参加省政府全体会议", reported=_at(d(-3), 16, 0),
         contact="随行秘书 13908120099")
    step("chief", "杨帆", _at(d(-3), 16, 30))

    # -- under way and extended (延期): 赵雪梅's study, one more day, into the meeting's day
    trip("zx", "赵雪梅", AbsenceKind.study, d(-1), m - _ONE, "四川省委党校", "参加市厅级干部专题研讨班",
         reported=_at(d(-5), 10, 0))
    step("zx", "王建国", _at(d(-5), 11, 0))
    step("zx", "杨帆", _at(d(-5), 11, 30))
    week.at(_at(today, 8, 40), absence_ops.extend_absence, "#zx", m, reason="研讨班增加一天现场教学")

    # -- 孙卫东 leaves on the meeting's day too: both AB partners away (AB角缺位), no designation yet
    trip("sw", "孙卫东", AbsenceKind.trip, m, m + _ONE, "昆明", "参加南亚东南亚商品展招商推介", reported=_at(d(-2), 17, 0))
    step("sw", "李志强", _at(d(-1), 9, 0))  # the 市长 is away: 李志强 takes the report

    # -- approved, not yet begun: 周晓燕 to 北京 after the meeting
    trip("zy", "周晓燕", AbsenceKind.trip, m + _ONE, m + 2 * _ONE, "北京", "赴民政部汇报养老服务体系建设",
         reported=_at(d(-1), 10, 0))
    step("zy", "李志强", _at(d(-1), 15, 0))
    step("zy", "杨帆", _at(today, 8, 50))

    # -- waiting for the 市长: 张丽华's leave; the 市长 is away today, so 李志强 (代市长) may approve it
    trip("zl", "张丽华", AbsenceKind.vacation, m + 3 * _ONE, m + 5 * _ONE, "广州", "探望病重的母亲",
         reported=_at(today, 8, 20))

    # -- a step whose approver is away: 罗建军's trip needs 陈明 (分管), who is in 成都: 刘海峰 acts
    trip("lj", "罗建军", AbsenceKind.trip, m + 2 * _ONE, m + 3 * _ONE, "昆明", "参加西南片区禁毒工作协作会",
         reported=_at(d(-1), 16, 20))

    # -- a draft not yet reported (草稿)
    trip("draft", "刘海峰", AbsenceKind.trip, m + 7 * _ONE, m + 8 * _ONE, "重庆", "考察成渝地区城市更新项目",
         reported=_at(today, 9, 0), submit=False)

    # -- the 常务会议 this week: 吴国栋 has leave, 张丽华's request waits; with 陈明, 赵雪梅 and 孙卫东 away
    #    the quorum (半数以上, 000 art.42) holds only while 张丽华's request is not granted
    members = tuple(p.id for p in people.list_people(store, active_only=True)
                    if p.role.value in {"chief", "executive_deputy", "deputy", "secretary_general"})
    draft = Meeting(id=None, type_id="executive", title="市政府第24次常务会议", starts_at=_at(m, 9, 0),
                    ends_at=_at(m, 12, 0), place="市政府三楼常务会议室", convener_id=pid["王建国"], member_ids=members,
                    attendee_ids=(pid["郑文博"], pid["何振华"]),
                    topics=(Topic("研究2027年市级财政预算草案", "财政局"), Topic("审议城市更新三年行动方案", "住房和城乡建设局")))
    week.at(_at(d(-2), 15, 0), meeting_ops.add_meeting, rules, draft, key="meeting")
    week.at(_at(d(-1), 11, 0), meeting_ops.request_leave, rules, "#meeting", pid["吴国栋"], "同一时间陪同省调研组",
            key="leave")
    week.at(_at(d(-1), 11, 30), meeting_ops.decide_leave, "#leave", "李志强", True, profile=rules)
    week.at(_at(today, 8, 30), meeting_ops.request_leave, rules, "#meeting", pid["张丽华"], "陪同教育部专家组督导检查")

    # -- the next holiday's roster, leaders and officers (000 art.81)
    scope = _next_holiday_scope(store, rules, today)
    if scope is not None:
        week.at(_at(d(-3), 10, 0), duty_ops.plan, rules, scope, duty_rows.LEADER)
        week.at(_at(d(-3), 10, 5), duty_ops.plan, rules, scope, duty_rows.OFFICER)
    week.play()
    return days


def _next_holiday_scope(store: Store, profile: Profile, today: dt.date):
    """The first holiday block from today on that has duty days under the profile (or None)."""
    from desktop.core.duty import PlanScope, duty_days

    for year in (today.year, today.year + 1):
        try:
            blocks = duty_rows.year_blocks(store, year)
        except UserError:
            continue
        cal = calendar_for(store, year + 1)
        for b in blocks:
            if b.start > today and duty_days(cal, profile.duty, b.start, b.end):
                return PlanScope(b.start, b.end, f"{year}年{b.name}")
    return None
