"""Scenarios of the five governments, on their real profiles; each test cites its article.

The profiles are resources/profiles/*.toml; the articles are the seeds' (../shared/seeds).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.core.absence import (
    Absence,
    AbsenceState,
    apply_chain_outcome,
    mark_returned,
    return_note,
    submit,
)
from desktop.core.acting import (
    BASIS_AB,
    BASIS_CHIEF_RULE,
    BASIS_DESIGNATED,
    GAP_BOTH_AWAY,
    Designation,
    Override,
    Roster,
    who_acts,
)
from desktop.core.calseed import seed_calendar
from desktop.core.chain import RosterDirectory, StepState, advance, resolve_chain
from desktop.core.checks import (
    ACTING_GAP,
    LATE_REPORT,
    NOT_TOGETHER,
    URGENT_REPORT,
    check_lead_time,
    check_range,
)
from desktop.core.errors import UserError
from desktop.core.people import Person
from desktop.core.profile import Profile, StepAction, load_profile
from desktop.core.roles import AbsenceKind, Role

pytestmark = pytest.mark.both_engines  # on a file and on a server database

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
CAL = seed_calendar()
NOW = datetime(2026, 11, 24, 9, 0)
DAY = date(2026, 11, 26)  # a Thursday

_ids = iter(range(1000, 10**6))


def load(pid: str) -> Profile:
    return load_profile(PROFILES / f"{pid}.toml")


class Gov:
    """A small government: people by name, AB pairs, portfolios, and the records entered."""

    def __init__(self, profile_id: str, people: list[tuple[str, Role]], pairs=(), portfolios=None):
        self.profile = load(profile_id)
        self.people = [Person(i, name, role, "", i, unit=f"{name}单位") for i, (name, role) in
                       enumerate(people, start=1)]  # fmt: skip
        self.by_name = {p.name: p for p in self.people}
        self.pairs = [(self.by_name[a].id, self.by_name[b].id) for a, b in pairs]
        self.portfolios = {self.by_name[k].id: {f"{u}单位" for u in v} for k, v in (portfolios or {}).items()}
        self.absences: list[Absence] = []
        self.designations: list[Designation] = []
        self.overrides: list[Override] = []

    def id(self, name: str) -> int:
        return self.by_name[name].id

    def away(self, name: str, start: date = DAY, end: date | None = None, **kw) -> Absence:
        base = dict(id=next(_ids), person_id=self.id(name), kind=AbsenceKind.trip, start=start,
                    end=end or start, destination="省城", leaves_jurisdiction=True,
                    reported_at=datetime.combine(start - timedelta(days=3), datetime.min.time()),
                    state=AbsenceState.approved)  # fmt: skip
        base.update(kw)
        a = Absence(**base)
        self.absences.append(a)
        return a

    @property
    def roster(self) -> Roster:
        return Roster(self.people, self.pairs, self.absences, self.designations, self.overrides)

    def acting(self, day: date = DAY, load=None):
        return who_acts(self.roster, self.profile, day, load=load)

    def directory(self) -> RosterDirectory:
        return RosterDirectory(self.profile, self.roster, self.portfolios)

    def steps(self, record: Absence):
        person = next(p for p in self.people if p.id == record.person_id)
        return resolve_chain(self.profile, person, record, self.directory())

    def check(self, start: date = DAY - timedelta(days=10), end: date = DAY + timedelta(days=10)):
        return check_range(start, end, self.profile, CAL, self.people, self.pairs, self.absences,
                           self.designations, self.overrides)  # fmt: skip


def acting_map(report) -> dict[str, tuple[str, str]]:
    return {e.absent_person.name: (e.actor.name, e.basis) for e in report.acting}


# ============================================================================ 攀枝花 (seed 000)


def panzhihua() -> Gov:
    return Gov(
        "panzhihua",
        [("王市长", Role.chief), ("陈常务", Role.executive_deputy), ("张丽华", Role.deputy),
         ("李明", Role.deputy), ("赵六", Role.deputy), ("钱七", Role.deputy),
         ("孙秘书长", Role.secretary_general), ("马晓东", Role.dept_head)],
        pairs=[("张丽华", "李明"), ("赵六", "钱七")],
        portfolios={"张丽华": ["马晓东"]},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("reported", "urgent", "expected"),
    [
        (datetime(2026, 11, 25, 17, 0), False, None),  # the day before: on time
        (datetime(2026, 11, 26, 8, 0), False, LATE_REPORT),  # the morning it starts: late
        (datetime(2026, 11, 26, 8, 0), True, URGENT_REPORT),  # urgent: flagged urgent, not late
    ],
)
def test_panzhihua_deputy_leaving_the_city_reports_one_day_ahead(reported, urgent, expected):
    """000 art.84: 副市长、秘书长离攀外出,应提前1天报告市长或负责常务工作的副市长,
    因紧急事项临时外出的应当及时报告."""
    g = panzhihua()
    r = g.away("张丽华", DAY, DAY + timedelta(days=2), reported_at=reported, urgent=urgent)
    f = check_lead_time(r, g.by_name["张丽华"], g.profile, CAL)
    assert (f.kind if f else None) == expected
    if f is not None:
        assert f.article == "000 art.84"
        assert f.severity == ("violation" if expected == LATE_REPORT else "info")
    in_range = [x.kind for x in g.check() if x.record_id == r.id]
    assert in_range == ([expected] if expected else [])


def test_panzhihua_report_goes_to_the_mayor_or_the_executive_deputy():
    """000 art.84: 报告市长或负责常务工作的副市长 … 向市政府办公室备案."""
    g = panzhihua()
    r = g.away("张丽华", state=AbsenceState.draft, reported_at=None)
    steps = g.steps(r)
    assert [(s.action, s.target_text) for s in steps] == [(StepAction.report, "市长"),
                                                         (StepAction.file, "市政府办公室")]  # fmt: skip
    g.away("王市长", NOW.date(), DAY)  # the mayor is away when it is reported
    steps = g.steps(r)
    assert steps[0].target_text == "常务副市长" and steps[0].assignee_id == g.id("陈常务")


def test_panzhihua_mayor_away_executive_deputy_is_acting_mayor():
    """000 art.10: 市长出国出境、脱产学习、出差、请假休假等期间,由负责常务工作的副市长代行市长职责."""
    g = panzhihua()
    g.away("王市长", kind=AbsenceKind.abroad, destination="新加坡")
    rep = g.acting()
    assert acting_map(rep) == {"王市长": ("陈常务", BASIS_CHIEF_RULE)}
    assert rep.acting[0].article == "000 art.10"
    assert rep.acting[0].scope == "受市长委托,代行市长职责"


def test_panzhihua_both_ab_partners_away_until_the_office_designates():
    """000 art.61: 互为AB角的领导同志同时外出时,由市政府办公室协调其他市政府领导代行."""
    g = panzhihua()
    g.away("张丽华", DAY, DAY + timedelta(days=2))
    g.away("李明", DAY, DAY + timedelta(days=1))
    rep = g.acting(load={g.id("陈常务"): 5})
    (gap,) = rep.gaps
    assert gap.kind == GAP_BOTH_AWAY and gap.severity == "violation" and gap.article == "000 art.61"
    assert [p.name for p in gap.suggestions] == ["赵六", "钱七", "孙秘书长", "陈常务"]  # least loaded first
    (finding,) = [f for f in g.check() if f.kind == ACTING_GAP]
    assert (finding.date, finding.date_to) == (DAY, DAY + timedelta(days=1))
    g.designations.append(Designation(DAY, DAY + timedelta(days=1), frozenset({g.id("张丽华"), g.id("李明")}),
                                      g.id("赵六"), "办公室协调", "办公室"))  # fmt: skip
    rep = g.acting()
    assert rep.gaps == ()
    assert acting_map(rep) == {"张丽华": ("赵六", BASIS_DESIGNATED), "李明": ("赵六", BASIS_DESIGNATED)}
    assert not [f for f in g.check() if f.kind == ACTING_GAP]


def test_panzhihua_mayor_and_executive_deputy_not_together():
    """000 art.84: 市长与负责常务工作的副市长一般不同时外出 — a warning, overridable with a reason."""
    g = panzhihua()
    g.away("王市长")
    g.away("陈常务")
    (w,) = [w for w in g.acting().warnings if w.kind == "not_together"]
    assert (w.severity, w.overridden, w.article) == ("warning", False, "000 art.84")
    assert [f.severity for f in g.check() if f.kind == NOT_TOGETHER] == ["warning"]
    g.overrides.append(Override(frozenset({Role.chief, Role.executive_deputy}), DAY, DAY, "共同赴省汇报"))
    (w,) = [w for w in g.acting().warnings if w.kind == "not_together"]
    assert w.overridden and w.reason == "共同赴省汇报"
    assert [f.severity for f in g.check() if f.kind == NOT_TOGETHER] == ["info"]
    # the mayor's duties: nobody acts (the rules say no more) — a gap with suggestions
    (gap,) = g.acting().gaps
    assert [p.name for p in gap.absent] == ["王市长"] and gap.suggestions[0].name == "张丽华"


def test_panzhihua_dept_head_needs_the_supervisor_then_the_party_office():
    """000 art.84: 市政府各部门主要负责人离攀外出,须经市政府分管领导同意后,按照市委有关规定报批;
    外出开会…以签报形式报市政府."""
    g = panzhihua()
    steps = g.steps(g.away("马晓东", state=AbsenceState.draft))
    assert [(s.stage, s.target_text) for s in steps] == [(1, "分管领导 张丽华"), (2, "市委办公室"),
                                                         (3, "市政府办公室")]  # fmt: skip


# ============================================================================ 西平 (seed 002)


def xiping() -> Gov:
    return Gov(
        "xiping",
        [("县长甲", Role.chief), ("常务乙", Role.executive_deputy), ("副县长丙", Role.deputy),
         ("副县长丁", Role.deputy), ("主任戊", Role.office_director), ("镇长己", Role.township_head),
         ("局长庚", Role.dept_head)],
        pairs=[("副县长丙", "副县长丁")],
        portfolios={"副县长丙": ["局长庚", "镇长己"]},
    )  # fmt: skip


def test_xiping_township_head_leave_full_chain_with_substitute():
    """002 art.55: 乡镇主要负责人请假的,由县政府办公室汇总后报办公室主任,办公室主任签报县长同意后,
    按程序报备; the county head away (离县, 002 art.9) → the executive deputy approves instead."""
    g = xiping()
    draft = g.away("镇长己", DAY + timedelta(days=5), kind=AbsenceKind.personal, destination="",
                   state=AbsenceState.draft, reported_at=None)  # fmt: skip
    record = submit(draft, has_steps=True, now=NOW)
    assert record.state is AbsenceState.in_progress and record.reported_at == NOW
    steps = g.steps(record)
    assert [(s.stage, s.action, s.target_text) for s in steps] == [
        (1, StepAction.summarize, "县政府办公室"),
        (2, StepAction.sign, "县政府办公室主任"),
        (3, StepAction.approve, "县长"),
        (4, StepAction.file, "县委办公室"),
    ]
    assert steps[2].substitute_for_id is None
    # the county head leaves the county on the report date: the executive deputy signs for him
    g.away("县长甲", NOW.date(), NOW.date() + timedelta(days=2), destination="郑州")
    steps = g.steps(record)
    approve = steps[2]
    assert (approve.assignee_id, approve.substitute_for_id) == (g.id("常务乙"), g.id("县长甲"))
    assert approve.note == "县长外出,由常务副县长常务乙代为审批"
    outcome = None
    for who in ("办公室", "主任戊", "常务乙", "办公室"):
        steps, outcome = advance(steps, who, NOW)
        record = apply_chain_outcome(record, outcome)
    assert outcome == "approved" and record.state is AbsenceState.approved
    assert steps[2].done_by == "常务乙(代县长)" and all(s.state is StepState.done for s in steps)
    assert (steps[2].assignee_id, steps[2].substitute_for_id) == (g.id("常务乙"), g.id("县长甲"))
    back = mark_returned(record, DAY + timedelta(days=5))
    assert return_note(back) == "按期销假(2026年12月1日返回)"


def test_xiping_county_head_within_the_county_has_no_acting_rule():
    """002 art.9: 县长离县期间 … 由负责常务工作的副县长主持 — only when leaving the county."""
    g = xiping()
    g.away("县长甲", leaves_jurisdiction=False, destination="出山镇")
    rep = g.acting()
    assert [e.person.name for e in rep.away] == ["县长甲"] and rep.acting == () and rep.gaps == ()
    g2 = xiping()
    g2.away("县长甲", destination="郑州")
    (entry,) = g2.acting().acting
    assert (entry.actor.name, entry.article, entry.scope) == (
        "常务乙",
        "002 art.9",
        "受县长委托,主持县政府工作",
    )
    # an approval while the county head is inside the county stays with him
    steps = g.steps(g.away("镇长己", DAY, state=AbsenceState.draft, reported_at=datetime(2026, 11, 26, 8)))
    assert steps[2].assignee_id == g.id("县长甲") and "无人代行" in steps[2].note


def test_xiping_dept_head_county_head_and_supervisor_in_one_stage():
    """002 art.55: 县政府组成部门主要负责人请假的 … 办公室主任签报县长、副县长同意后,按程序报备."""
    g = xiping()
    steps = g.steps(g.away("局长庚", state=AbsenceState.draft))
    assert [(s.stage, s.target_text) for s in steps] == [
        (1, "县政府办公室"),
        (2, "县政府办公室主任"),
        (3, "县长"),
        (3, "分管领导 副县长丙"),
        (4, "县委办公室"),
    ]
    steps, _ = advance(steps, "办公室", NOW)
    steps, _ = advance(steps, "主任戊", NOW)
    with pytest.raises(UserError, match="应由 县长甲 办理"):
        advance(steps, "办公室", NOW)  # stage 3 has only person steps: no operator may skip them
    steps, out = advance(steps, "副县长丙", NOW)
    assert out == "step_done" and steps[4].state is StepState.pending
    steps, out = advance(steps, "县长甲", NOW)
    steps, out = advance(steps, "办公室", NOW)
    assert out == "approved"


def test_xiping_ab_partner_acts_for_trips_and_vacation_only():
    """002 art.8: 副县长实行工作互补制度,因公外出、休假期间,由互补的另一方代行 … 代行审签紧急公文."""
    g = xiping()
    g.away("副县长丙")
    (entry,) = g.acting().acting
    assert (entry.actor.name, entry.basis, entry.article) == ("副县长丁", BASIS_AB, "002 art.8")
    assert "代行审签紧急公文" in entry.duties
    sick = xiping()
    sick.away("副县长丙", kind=AbsenceKind.sick, destination="")
    assert sick.acting().acting == ()  # the article names 因公外出、休假 only


def test_xiping_deputy_reports_before_leaving_and_the_office_notifies():
    """002 art.55: 副县长、办公室主任出访、出差和休假,应当事先报告县长,由县政府办公室通报县政府其他领导同志."""
    g = xiping()
    r = g.away("副县长丙", reported_at=datetime(2026, 11, 27, 9))
    steps = g.steps(r)
    assert [(s.action, s.target_text) for s in steps] == [(StepAction.report, "县长"),
                                                         (StepAction.notify, "县政府其他领导同志")]  # fmt: skip
    f = check_lead_time(r, g.by_name["副县长丙"], g.profile, CAL)
    assert (f.kind, f.severity, f.article) == (LATE_REPORT, "warning", "002 art.55")


# ============================================================================ 伍家岗 (seed 004)


def wujiagang() -> Gov:
    return Gov(
        "wujiagang",
        [("区长甲", Role.chief), ("常务乙", Role.executive_deputy), ("副区长丙", Role.deputy),
         ("副区长丁", Role.deputy), ("局长戊", Role.dept_head), ("主任己", Role.office_director)],
        pairs=[("副区长丙", "副区长丁")],
    )  # fmt: skip


def test_wujiagang_district_head_trip_is_filed_with_three_offices():
    """004 art.69: 区长离市出差或休假,由区政府办公室向市委办公室、市政府办公室和区委办公室报备."""
    g = wujiagang()
    steps = g.steps(g.away("区长甲", state=AbsenceState.draft))
    assert [(s.stage, s.action, s.target_text, s.assignee_id) for s in steps] == [
        (1, StepAction.file, "市委办公室", None),
        (1, StepAction.file, "市政府办公室", None),
        (1, StepAction.file, "区委办公室", None),
    ]
    for _ in range(3):
        steps, out = advance(steps, "区政府办公室", NOW)
    assert out == "approved"
    # leaving the city is what counts: inside the city there is no chain
    assert g.steps(g.away("区长甲", DAY + timedelta(days=9), leaves_jurisdiction=False)) == []


@pytest.mark.parametrize(("days_ahead", "late"), [(2, True), (3, False)])
def test_wujiagang_heads_report_three_days_ahead(days_ahead, late):
    """004 art.69: 各街乡行政负责同志和区政府各部门主要负责同志离市出差或休假,应提前3日向区政府办公室报告."""
    g = wujiagang()
    r = g.away("局长戊", reported_at=datetime.combine(DAY - timedelta(days=days_ahead), datetime.min.time()))
    f = check_lead_time(r, g.by_name["局长戊"], g.profile, CAL)
    assert (f is not None) == late
    if late:
        assert (f.kind, f.article) == (LATE_REPORT, "004 art.69") and "提前3天报告" in f.message
    assert [s.target_text for s in g.steps(r)] == ["区政府办公室", "区政府其他领导同志"]


def test_wujiagang_ab_roles_and_an_unspecified_both_away():
    """004 art.8: 互为AB角的副区长,一位外出或休假期间,由另一位代行政务活动职责 (nothing said when both are
    away: the gap is reported as a warning)."""
    g = wujiagang()
    g.away("副区长丙", kind=AbsenceKind.vacation, destination="")
    assert acting_map(g.acting()) == {"副区长丙": ("副区长丁", BASIS_AB)}
    g.away("副区长丁")
    (gap,) = g.acting().gaps
    assert (gap.kind, gap.severity, gap.article) == (GAP_BOTH_AWAY, "warning", "004 art.8")
    assert "规则未规定此时由谁代行" in gap.reason


def test_wujiagang_deputy_reports_notify_and_file():
    """004 art.69: 副区长 … 应事先报告区长,由区政府办公室通报区政府其他领导同志,并向区委办公室报备;
    the district head acts as chief while away: 004 art.6 (区长外出 … 由常务副区长主持)."""
    g = wujiagang()
    steps = g.steps(g.away("副区长丙"))
    assert [s.action for s in steps] == [StepAction.report, StepAction.notify, StepAction.file]
    g.away("区长甲", kind=AbsenceKind.vacation, destination="", leaves_jurisdiction=False)
    assert acting_map(g.acting())["区长甲"] == ("常务乙", BASIS_CHIEF_RULE)


# ============================================================================ 吐鲁番 (seed 003)


def turpan() -> Gov:
    return Gov(
        "turpan",
        [("市长甲", Role.chief), ("常务乙", Role.executive_deputy), ("副市长丙", Role.deputy),
         ("副市长丁", Role.deputy), ("局长戊", Role.dept_head)],
        pairs=[("副市长丙", "副市长丁")],
        portfolios={"副市长丙": ["局长戊"]},
    )  # fmt: skip


def test_turpan_chief_away_executive_deputy_presides():
    """003 art.5: 市长外出期间,受市长委托,由负责常务工作的副市长主持市政府工作."""
    g = turpan()
    g.away("市长甲", kind=AbsenceKind.study, destination="北京")
    (entry,) = g.acting().acting
    assert (entry.actor.name, entry.basis, entry.article) == ("常务乙", BASIS_CHIEF_RULE, "003 art.5")


def test_turpan_members_ask_the_mayor_for_leave():
    """003 art.57: 市政府组成人员 … 离开吐鲁番外出,要严格执行请销假制度 (asked of the mayor, filed with
    the office); the rules have no AB roles, so a deputy's absence needs no acting entry."""
    g = turpan()
    r = g.away("副市长丙", kind=AbsenceKind.personal, destination="乌鲁木齐")
    steps = g.steps(r)
    assert [(s.action, s.target_text, s.assignee_id) for s in steps] == [
        (StepAction.approve, "市长", g.id("市长甲")),
        (StepAction.file, "市政府办公室", None),
    ]
    rep = g.acting()
    assert rep.acting == () and rep.gaps == ()
    dept = g.steps(g.away("局长戊", DAY + timedelta(days=4)))
    assert dept[0].target_text == "分管领导 副市长丙"


# ============================================================================ 日照 (seed 001)


def rizhao() -> Gov:
    return Gov(
        "rizhao",
        [("市长甲", Role.chief), ("常务乙", Role.executive_deputy), ("副市长丙", Role.deputy),
         ("副市长丁", Role.deputy), ("秘书长戊", Role.secretary_general)],
        pairs=[("副市长丙", "副市长丁")],
    )  # fmt: skip


def test_rizhao_generic_fill_in_and_reporting():
    """001 art.6: 实行市政府领导工作补位和外出报备制度 — the plain reading: the paired deputy fills in
    (补位), leaders report to the mayor and file with the office."""
    g = rizhao()
    r = g.away("副市长丙", leaves_jurisdiction=False)
    assert [(s.action, s.target_text) for s in g.steps(r)] == [(StepAction.report, "市长"),
                                                               (StepAction.file, "市政府办公室")]  # fmt: skip
    (entry,) = g.acting().acting
    assert (entry.actor.name, entry.basis, entry.article) == ("副市长丁", BASIS_AB, "001 art.6")
    assert entry.scope == "补位,代行政务活动职责"
    g.away("市长甲", kind=AbsenceKind.vacation, destination="")
    assert acting_map(g.acting())["市长甲"] == ("常务乙", BASIS_CHIEF_RULE)
    g.away("副市长丁")
    (gap,) = g.acting().gaps
    # 常务乙 already acts for the mayor that day: the least loaded leader comes first
    assert gap.severity == "warning" and [p.name for p in gap.suggestions] == ["秘书长戊", "常务乙"]
    assert [s.target_text for s in g.steps(g.away("市长甲", DAY + timedelta(days=7)))] == ["市政府办公室"]
