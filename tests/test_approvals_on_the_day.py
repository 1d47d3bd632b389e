"""审批不停摆:审批人外出时,由办理当天代行其职责的人办理(DESIGN.md "Acting and substitution"; issue 14).

The approver who leaves *after* a record was filed: the step goes to whoever acts for him or her on
the day it is done, the approver may still sign, and the step keeps who was represented.
Articles (../shared/seeds, see seeds/README.md):

* 002 西平 art.55 — 乡镇主要负责人请假:县政府办公室汇总,办公室主任签报县长同意后,按程序报备;
* 002 西平 art.9  — 县长离县期间,由负责常务工作的副县长主持县政府工作;
* 000 攀枝花 art.84 — 副市长因私离岗须向市长请假;市长外出活动安排向市政府办公室备案;
* 000 攀枝花 art.10 — 市长出差、请假等期间,由负责常务工作的副市长代行市长职责;
* 000 攀枝花 art.43 — 会议请假向市长请假.
* 003 吐鲁番 art.57 — 离开吐鲁番外出严格执行请销假制度;art.5 — 市长外出期间由负责常务工作的副市长主持工作;
* 001 日照 art.6 — 补位和外出报备(无审批);004 伍家岗 art.69 — 离市报告、报备(无审批),art.6 — 区长外出由常务副区长主持.

Dates are relative to an injected clock that the tests move (`DayClock`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core import chain as ch
from desktop.core import meetings as mt
from desktop.core.absence import Absence, AbsenceState, cancel, extend, mark_returned
from desktop.core.acting import Roster
from desktop.core.errors import UserError
from desktop.core.people import Person, PersonDraft
from desktop.core.profile import StepAction, load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import available_profiles
from desktop.store import absences as rows
from desktop.store import people
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines  # on a file and on a server database

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
XP = load_profile(PROFILES / "xiping.toml")
PZH = load_profile(PROFILES / "panzhihua.toml")
FILED = dt.datetime(2026, 11, 23, 9, 0)  # Monday: the leave is filed, every approver present
LEFT = dt.date(2026, 11, 25)  # Wednesday: the approver leaves on a trip (after the filing)


@dataclasses.dataclass
class DayClock:
    """An injected clock the test moves from day to day (FixedClock is frozen)."""

    moment: dt.datetime

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.date()

    def go(self, day: dt.date) -> None:
        self.moment = dt.datetime.combine(day, dt.time(9, 30))


# ============================================================================ the core, pure

XP_PEOPLE = [Person(1, "刘县长", Role.chief, "县长", 1), Person(2, "陈常务", Role.executive_deputy, "常务副县长", 2),
             Person(3, "王主任", Role.office_director, "县政府办公室主任", 3),
             Person(9, "李镇长", Role.township_head, "出山镇镇长", 9, unit="出山镇")]  # fmt: skip


def _trip(pid: int, start: dt.date, end: dt.date, *, leaves: bool = True, rid: int = 100) -> Absence:
    return Absence(id=rid, person_id=pid, kind=AbsenceKind.trip, start=start, end=end, destination="北京",
                   leaves_jurisdiction=leaves, reported_at=FILED, state=AbsenceState.approved)


def _township_leave() -> Absence:
    return Absence(id=1, person_id=9, kind=AbsenceKind.personal, start=dt.date(2026, 11, 30),
                   end=dt.date(2026, 12, 2), leaves_jurisdiction=True, reported_at=FILED,
                   state=AbsenceState.in_progress)


def _xp_directory(*away: Absence) -> ch.RosterDirectory:
    return ch.RosterDirectory(XP, Roster(XP_PEOPLE, [], list(away)))


def test_002第55条_第9条_县长在报送后离县_县长同意一步转由常务副县长办理():
    """002 art.55 乡镇主要负责人请假 … 签报县长同意;002 art.9 县长离县期间由常务副县长主持工作:
    filed while the county head is present, the step waits for 县长; on the day he is in 北京 it is
    陈常务's, recorded as "陈常务(代县长)", and the county head himself may still sign."""
    filed = ch.resolve_chain(XP, XP_PEOPLE[-1], _township_leave(), _xp_directory(), on=FILED.date())
    stored = ch.plain_steps(filed)
    assert [(s.action, s.target_text) for s in stored] == [
        (StepAction.summarize, "县政府办公室"), (StepAction.sign, "县政府办公室主任"),
        (StepAction.approve, "县长"), (StepAction.file, "县委办公室")]  # fmt: skip
    stored, _ = ch.advance(stored, "县办小张", FILED)
    stored, _ = ch.advance(stored, "王主任", FILED)

    trip = _trip(1, LEFT, LEFT + dt.timedelta(days=3))
    routed = ch.route(stored, XP, _xp_directory(trip), LEFT, requester_id=9)
    approve = routed[2]
    assert approve.target_text == "常务副县长 陈常务(代县长)" and approve.note == "县长外出,由常务副县长陈常务代为审批"
    assert approve.may_be_done_by == ("陈常务", "刘县长")
    done, outcome = ch.advance(routed, "陈常务", dt.datetime.combine(LEFT, dt.time(10)))
    assert outcome == "step_done"
    assert (done[2].done_by, done[2].assignee_id, done[2].substitute_for_id) == ("陈常务(代县长)", 2, 1)
    assert ch.plain_steps(done)[2] == done[2]  # a done step keeps who was represented
    # the county head signs by phone from 北京: the plain step, done by him
    by_him, _ = ch.advance(routed, "刘县长", dt.datetime.combine(LEFT, dt.time(10)))
    assert (by_him[2].done_by, by_him[2].target_text, by_him[2].substitute_for_id) == ("刘县长", "县长", None)


def test_002第9条_县长回来后_这一步回到县长_常务副县长不能再代办():
    """Acting lasts while the county head is away (002 art.9): back, the step is his again."""
    stored = ch.plain_steps(ch.resolve_chain(XP, XP_PEOPLE[-1], _township_leave(), _xp_directory(), on=FILED.date()))
    stored, _ = ch.advance(stored, "县办小张", FILED)
    stored, _ = ch.advance(stored, "王主任", FILED)
    trip = _trip(1, LEFT, LEFT + dt.timedelta(days=1))
    routed_away = ch.route(stored, XP, _xp_directory(trip), LEFT, requester_id=9)
    back = LEFT + dt.timedelta(days=2)
    routed = ch.route(routed_away, XP, _xp_directory(trip), back, requester_id=9)  # routed again: idempotent
    assert routed == ch.route(stored, XP, _xp_directory(trip), back, requester_id=9)
    assert (routed[2].target_text, routed[2].assignee_name, routed[2].substitute_for_id) == ("县长", "刘县长", None)
    with pytest.raises(UserError) as exc:
        ch.advance(routed, "陈常务", dt.datetime.combine(back, dt.time(10)))
    assert str(exc.value) == "当前这一步“县长同意”应由 刘县长 办理,不能由 陈常务 办理。请填写实际签批人的姓名。"


def test_002第9条_县长在县内外出_无人代行_步骤仍由县长办理():
    """002 art.9 names 离县 only: a trip inside the county makes nobody act, the step stays with him."""
    stored = ch.plain_steps(ch.resolve_chain(XP, XP_PEOPLE[-1], _township_leave(), _xp_directory(), on=FILED.date()))
    inside = _trip(1, LEFT, LEFT, leaves=False)
    routed = ch.route(stored, XP, _xp_directory(inside), LEFT, requester_id=9)
    assert routed[2].assignee_name == "刘县长" and routed[2].substitute_for_id is None
    assert routed[2].note == "县长当天外出且无人代行:可由本人远程审批,或由办公室协调后登记"


PZH_PEOPLE = [Person(1, "王市长", Role.chief, "市长", 1), Person(2, "李常务", Role.executive_deputy, "常务副市长", 2),
              Person(3, "张副", Role.deputy, "副市长", 3), Person(4, "周副", Role.deputy, "副市长", 4)]  # fmt: skip


def test_000第84条_第10条_副市长因私请假等市长_市长出差后由常务副市长代为审批():
    """000 art.84 副市长因私离岗须向市长请假;000 art.10 市长出差期间由常务副市长代行市长职责."""
    leave = Absence(id=1, person_id=3, kind=AbsenceKind.personal, start=dt.date(2026, 11, 27),
                    end=dt.date(2026, 11, 27), reported_at=FILED, state=AbsenceState.in_progress)
    d0 = ch.RosterDirectory(PZH, Roster(PZH_PEOPLE, [(3, 4)], []))
    stored = ch.plain_steps(ch.resolve_chain(PZH, PZH_PEOPLE[2], leave, d0, on=FILED.date()))
    assert (stored[0].action, stored[0].target_text) == (StepAction.approve, "市长")
    d1 = ch.RosterDirectory(PZH, Roster(PZH_PEOPLE, [(3, 4)], [_trip(1, LEFT, LEFT)]))
    routed = ch.route(stored, PZH, d1, LEFT, requester_id=3)
    assert routed[0].target_text == "常务副市长 李常务(代市长)"
    with pytest.raises(UserError, match=r"应由 李常务\(或王市长本人\) 办理,不能由 周副 办理"):
        ch.advance(routed, "周副", FILED)
    done, _ = ch.advance(routed, "李常务", FILED)
    assert done[0].done_by == "李常务(代市长)"


def test_000第84条_只剩备案的记录可以销假_备案仍待办理():
    """000 art.84: 市长外出活动的安排 … 向市政府办公室备案 — the office's filing never holds back 销假."""
    trip = dataclasses.replace(_trip(1, LEFT, LEFT + dt.timedelta(days=2)), state=AbsenceState.in_progress)
    steps = ch.plain_steps(ch.resolve_chain(PZH, PZH_PEOPLE[0], trip, ch.RosterDirectory(PZH, Roster(PZH_PEOPLE)),
                                            on=FILED.date()))  # fmt: skip
    assert [s.action for s in steps] == [StepAction.file] and ch.only_notices_pending(steps)
    back = mark_returned(trip, LEFT + dt.timedelta(days=1), today=LEFT + dt.timedelta(days=1),
                         only_notices_pending=ch.only_notices_pending(steps))
    assert back.state is AbsenceState.returned
    with pytest.raises(UserError, match="请先完成审批步骤"):  # an approval still pending does hold it back
        mark_returned(trip, LEFT + dt.timedelta(days=1))


# ============================================================================ the operations


class Gov:
    """A store on one real profile, people by (name, role, title), a clock the test moves."""

    def __init__(self, tmp_path: Path, profile_id: str, staff: list[tuple[str, Role, str]]):
        self.clock = DayClock(FILED)
        self.store = open_store(tmp_path / f"{profile_id}.db", self.clock, operator="秘书")
        ops.org.init_org(self.store, profile_id, f"{profile_id}办公室", available_profiles())
        self.profile = load_profile(PROFILES / f"{profile_id}.toml")
        for name, role, title in staff:
            ops.people.add_person(self.store, PersonDraft(name=name, role=role, title=title))

    def id(self, name: str) -> int:
        return people.find_person(self.store, name).id

    def add(self, name: str, kind: AbsenceKind, start: dt.date, end: dt.date, *, leaves: bool = True) -> Absence:
        draft = Absence(id=None, person_id=self.id(name), kind=kind, start=start, end=end, destination="北京",
                        leaves_jurisdiction=leaves)
        return ops.absences.add_absence(self.store, self.profile, draft).value.record

    def waiting(self) -> list[tuple[str, str, int]]:
        return [w.row for w in ops.absences.pending(self.store, self.profile)]


@pytest.fixture
def xiping(tmp_path):
    gov = Gov(tmp_path, "xiping", [("刘县长", Role.chief, "县长"), ("陈常务", Role.executive_deputy, "常务副县长"),
                                   ("王主任", Role.office_director, "县政府办公室主任"),
                                   ("李镇长", Role.township_head, "出山镇镇长")])  # fmt: skip
    yield gov
    gov.store.close()


@pytest.fixture
def panzhihua(tmp_path):
    gov = Gov(tmp_path, "panzhihua", [("王市长", Role.chief, "市长"), ("李常务", Role.executive_deputy, "常务副市长"),
                                      ("张副", Role.deputy, "副市长"), ("周副", Role.deputy, "副市长")])  # fmt: skip
    yield gov
    gov.store.close()


def _township_leave_waiting_for_the_county_head(gov: Gov) -> Absence:
    record = gov.add("李镇长", AbsenceKind.personal, dt.date(2026, 11, 30), dt.date(2026, 12, 2))
    ops.absences.advance_absence(gov.store, record.id, "县办小张")
    ops.absences.advance_absence(gov.store, record.id, "王主任")
    return record


def test_002第55条_第9条_县长报送后才出差_待办和流程立即改由常务副县长办理(xiping):
    """The 待办 list, the record's steps and 办理 follow the county head's trip at once (002 art.9)."""
    gov = xiping
    record = _township_leave_waiting_for_the_county_head(gov)
    assert gov.waiting() == [("县长", "批准", 1)]
    gov.clock.go(LEFT)
    trip = gov.add("刘县长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=3))
    assert gov.waiting() == [("常务副县长 陈常务(代县长)", "批准", 1)]
    (row,) = ops.absences.pending(gov.store, gov.profile)
    assert row.key == ("县长", StepAction.approve)  # the list's filter: the step as the rules name it
    assert rows.absence_ids(gov.store, rows.AbsenceQuery(pending=row.key), LEFT) == [record.id]
    shown = ops.absences.steps_today(gov.store, gov.profile, record.id)
    assert shown[2].target_text == "常务副县长 陈常务(代县长)" and shown[2].may_be_done_by == ("陈常务", "刘县长")

    updated, outcome = ops.absences.advance_absence(gov.store, record.id, "陈常务", comment="同意").value
    assert outcome == "step_done" and updated.state is AbsenceState.in_progress
    step = rows.steps_of(gov.store, record.id)[2]
    assert (step.done_by, step.assignee_id, step.substitute_for_id) == ("陈常务(代县长)", gov.id("陈常务"),
                                                                        gov.id("刘县长"))
    assert gov.waiting() == [("县委办公室", "报备", 1)]
    assert trip.state is AbsenceState.submitted  # the county head's own trip needs no chain in 西平


def test_002第9条_县长提前返回或延期_待办随之改变(xiping):
    """Registered, returned early, extended: each change of the approver's trip shows in the 待办 list."""
    gov = xiping
    _township_leave_waiting_for_the_county_head(gov)
    gov.clock.go(LEFT)
    trip = gov.add("刘县长", AbsenceKind.trip, LEFT - dt.timedelta(days=1), LEFT)
    assert gov.waiting() == [("常务副县长 陈常务(代县长)", "批准", 1)]
    ops.absences.return_absence(gov.store, trip.id, LEFT - dt.timedelta(days=1))  # back a day early
    assert gov.waiting() == [("县长", "批准", 1)]
    gov.clock.go(LEFT + dt.timedelta(days=2))
    second = gov.add("刘县长", AbsenceKind.trip, LEFT + dt.timedelta(days=1), LEFT + dt.timedelta(days=1))
    assert gov.waiting() == [("县长", "批准", 1)]  # that trip ended yesterday
    ops.absences.extend_absence(gov.store, second.id, LEFT + dt.timedelta(days=3))  # 延期
    assert gov.waiting() == [("常务副县长 陈常务(代县长)", "批准", 1)]


def test_002第55条_县长同意未办时不能销假(xiping):
    gov = xiping
    record = _township_leave_waiting_for_the_county_head(gov)
    gov.clock.go(dt.date(2026, 12, 1))
    with pytest.raises(UserError, match="请先完成审批步骤"):
        ops.absences.return_absence(gov.store, record.id, dt.date(2026, 12, 1))


def test_000第84条_第10条_副市长因私请假_市长随后出差_常务副市长代为审批(panzhihua):
    gov = panzhihua
    record = gov.add("张副", AbsenceKind.personal, dt.date(2026, 11, 27), dt.date(2026, 11, 27), leaves=False)
    assert gov.waiting() == [("市长", "批准", 1)]
    gov.clock.go(LEFT)
    gov.add("王市长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=1))  # its own filing waits too (000 art.84)
    assert gov.waiting() == [("常务副市长 李常务(代市长)", "批准", 1), ("市政府办公室", "报备", 1)]
    with pytest.raises(UserError, match=r"应由 李常务\(或王市长本人\) 办理,不能由 周副 办理"):
        ops.absences.advance_absence(gov.store, record.id, "周副")
    ops.absences.advance_absence(gov.store, record.id, "李常务", profile=gov.profile)
    assert rows.steps_of(gov.store, record.id)[0].done_by == "李常务(代市长)"


def test_000第84条_市长返回后可以销假_备案仍待办理(panzhihua):
    """000 art.84: the mayor's trip is filed by the office; 销假 does not wait for the filing."""
    gov = panzhihua
    trip = gov.add("王市长", AbsenceKind.trip, FILED.date(), FILED.date() + dt.timedelta(days=1))
    assert trip.state is AbsenceState.in_progress
    gov.clock.go(FILED.date() + dt.timedelta(days=2))
    back = ops.absences.return_absence(gov.store, trip.id, FILED.date() + dt.timedelta(days=1)).value
    assert back.state is AbsenceState.returned
    assert [s.state for s in rows.steps_of(gov.store, trip.id)] == [ch.StepState.pending]
    assert gov.waiting() == [("市政府办公室", "报备", 1)]
    with pytest.raises(UserError, match="已经销假,不能再退回"):
        ops.absences.advance_absence(gov.store, trip.id, "秘书", reject=True, comment="材料不全")
    filed, outcome = ops.absences.advance_absence(gov.store, trip.id, "秘书").value
    assert outcome == "approved" and filed.state is AbsenceState.returned and gov.waiting() == []


def test_000第43条_第10条_会议请假由决定当天的代行人审批(panzhihua):
    """000 art.43 向市长请假: filed while the mayor is present, decided while he is away — the
    executive deputy decides (000 art.10); the meeting itself counts the mayor present on its date."""
    gov = panzhihua
    everyone = people.list_people(gov.store)
    meeting_day = dt.datetime(2026, 11, 30, 9, 0)
    members = tuple(p.id for p in mt.default_members(gov.profile, "executive", everyone))
    m = ops.meetings.add_meeting(gov.store, gov.profile, mt.Meeting(
        id=None, type_id="executive", title="", starts_at=meeting_day, convener_id=gov.id("王市长"),
        member_ids=members)).value
    lv = ops.meetings.request_leave(gov.store, gov.profile, m.id, gov.id("张副"), "赴省汇报").value
    assert lv.approver_text == "市长 王市长"
    gov.clock.go(LEFT)
    gov.add("王市长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=1))
    shown = next(x for x in ops.meetings.view(gov.store, gov.profile, m.id).leaves if x.id == lv.id)
    assert shown.approver_text == "常务副市长 李常务(代市长)"
    with pytest.raises(UserError, match="应由常务副市长 李常务\\(代市长\\)审批,不能由 周副 办理"):
        ops.meetings.decide_leave(gov.store, lv.id, "周副", True, profile=gov.profile)
    decided = ops.meetings.decide_leave(gov.store, lv.id, "李常务", True, profile=gov.profile).value
    assert (decided.approver_id, decided.approver_for_id) == (gov.id("李常务"), gov.id("王市长"))
    q = ops.meetings.quorum_of(gov.store, gov.profile, m.id)
    assert next(r for r in q.rows if r.person.name == "王市长").present  # back by the meeting's date


def test_000第43条_报送时市长外出_决定时市长已回_由市长审批(panzhihua):
    gov = panzhihua
    gov.add("王市长", AbsenceKind.trip, FILED.date(), FILED.date())
    everyone = people.list_people(gov.store)
    members = tuple(p.id for p in mt.default_members(gov.profile, "executive", everyone))
    m = ops.meetings.add_meeting(gov.store, gov.profile, mt.Meeting(
        id=None, type_id="executive", title="", starts_at=dt.datetime(2026, 11, 30, 9), convener_id=gov.id("王市长"),
        member_ids=members)).value
    lv = ops.meetings.request_leave(gov.store, gov.profile, m.id, gov.id("张副"), "赴省汇报").value
    assert lv.approver_for_id == gov.id("王市长")  # filed: the executive deputy for the away mayor
    gov.clock.go(LEFT)
    with pytest.raises(UserError, match="应由市长 王市长审批,不能由 李常务 办理"):
        ops.meetings.decide_leave(gov.store, lv.id, "李常务", True)  # the government's own profile
    assert ops.meetings.decide_leave(gov.store, lv.id, "王市长", True).value.state is mt.LeaveState.approved


# ============================================================================ the command line


def test_命令行_002第55条_第9条_县长出差后_常务副县长办理_json(tmp_path, capsys):
    clock = DayClock(FILED)
    db = str(tmp_path / "xp.db")

    def run(*argv: str) -> dict | list:
        code = main(["--db", db, *argv], clock)
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out) if "--json" in argv else {}

    run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")
    for name, role, title in [("刘县长", "chief", "县长"), ("陈常务", "executive_deputy", "常务副县长"),
                              ("王主任", "office_director", "县政府办公室主任"), ("李镇长", "township_head", "出山镇镇长")]:
        run("people", "add", name, "--role", role, "--title", title)
    added = run("absence", "add", "李镇长", "--kind", "personal", "--from", "2026-11-30", "--to", "2026-12-02",
                "--dest", "郑州", "--leaves", "--json")
    rid = str(added["id"])
    assert added["steps"][2] | {"target": "县长", "assignee": "刘县长", "acting_for": None,
                                "may_be_done_by": ["刘县长"]} == added["steps"][2]
    run("absence", "advance", rid, "--by", "县办小张")
    run("absence", "advance", rid, "--by", "王主任")
    clock.go(LEFT)
    run("absence", "add", "刘县长", "--kind", "trip", "--from", LEFT.isoformat(), "--to", "2026-11-28",
        "--dest", "北京", "--leaves")
    acting = run("acting", LEFT.isoformat(), "--json")
    assert acting["acting"][0] | {"for": "刘县长", "actor": "陈常务", "article": "002 art.9"} == acting["acting"][0]
    listed = run("absence", "list", "--state", "in_progress", "--json")
    assert listed[0]["waiting"][0] | {"label": "县长同意", "target": "常务副县长 陈常务(代县长)", "acting_for": "刘县长",
                                      "may_be_done_by": ["陈常务", "刘县长"]} == listed[0]["waiting"][0]
    done = run("absence", "advance", rid, "--by", "陈常务", "--json")
    assert done["outcome"] == "step_done"
    assert done["steps"][2] | {"state": "done", "done_by": "陈常务(代县长)", "assignee": "陈常务",
                               "acting_for": "刘县长", "may_be_done_by": []} == done["steps"][2]


def test_旧版本按报送日代办的待办步骤_按今天重新确定办理人(xiping):
    """A step stored routed on the report date (before this change: 陈常务(代县长)) is routed for
    today when read: the county head back, the step is his again."""
    gov = xiping
    record = _township_leave_waiting_for_the_county_head(gov)
    stored = rows.steps_of(gov.store, record.id)
    legacy = dataclasses.replace(stored[2], assignee_id=gov.id("陈常务"), substitute_for_id=gov.id("刘县长"),
                                 target_text="常务副县长 陈常务(代县长)", note="县长外出,由常务副县长陈常务代为审批")
    with gov.store.atomic():
        rows.write_steps(gov.store, record.id, [*stored[:2], legacy, stored[3]])
    shown = ops.absences.steps_today(gov.store, gov.profile, record.id)[2]
    assert (shown.target_text, shown.assignee_name, shown.substitute_for_id, shown.note) == ("县长", "刘县长", None, "")
    assert gov.waiting() == [("县长", "批准", 1)]


# ============================================================================ the other three governments


def test_003第5条_第57条_副市长离开吐鲁番请假_市长随后外出_常务副市长代为审批(tmp_path):
    """003 art.57 市政府组成人员……离开吐鲁番外出,要严格执行请销假制度(向市长请假,见 turpan.toml);
    003 art.5 市长外出期间,受市长委托,由负责常务工作的副市长主持市政府工作:副市长的请假在市长在岗时
    报送,市长随后离开吐鲁番,当天由常务副市长办理“向市长请假”一步,记为“李常务(代市长)”,市长本人仍可签批."""
    gov = Gov(tmp_path, "turpan", [("王市长", Role.chief, "市长"), ("李常务", Role.executive_deputy, "常务副市长"),
                                   ("张副", Role.deputy, "副市长"), ("周副", Role.deputy, "副市长")])  # fmt: skip
    try:
        first = gov.add("张副", AbsenceKind.trip, dt.date(2026, 11, 30), dt.date(2026, 12, 2))
        second = gov.add("周副", AbsenceKind.trip, dt.date(2026, 11, 30), dt.date(2026, 12, 1))
        assert [(s.action, s.target_text) for s in rows.steps_of(gov.store, first.id)] == [
            (StepAction.approve, "市长"), (StepAction.file, "市政府办公室")]  # fmt: skip
        assert gov.waiting() == [("市长", "批准", 2)]
        gov.clock.go(LEFT)
        gov.add("王市长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=2))  # its own filing (003 art.57)
        assert gov.waiting() == [("常务副市长 李常务(代市长)", "批准", 2), ("市政府办公室", "报备", 1)]
        shown = ops.absences.steps_today(gov.store, gov.profile, first.id)[0]
        assert shown.may_be_done_by == ("李常务", "王市长") and shown.note == "市长外出,由常务副市长李常务代为审批"
        with pytest.raises(UserError, match=r"应由 李常务\(或王市长本人\) 办理,不能由 周副 办理"):
            ops.absences.advance_absence(gov.store, first.id, "周副")
        _, outcome = ops.absences.advance_absence(gov.store, first.id, "李常务", comment="同意").value
        assert outcome == "step_done"
        step = rows.steps_of(gov.store, first.id)[0]
        assert (step.done_by, step.assignee_id, step.substitute_for_id) == ("李常务(代市长)", gov.id("李常务"),
                                                                            gov.id("王市长"))
        # the mayor signs the other one himself from where he is: done by him, nobody represented
        ops.absences.advance_absence(gov.store, second.id, "王市长")
        step = rows.steps_of(gov.store, second.id)[0]
        assert (step.done_by, step.substitute_for_id) == ("王市长", None)
        assert gov.waiting() == [("市政府办公室", "报备", 3)]
    finally:
        gov.store.close()


def _person_actions(profile_id: str) -> set[StepAction]:
    profile = load_profile(PROFILES / f"{profile_id}.toml")
    return {step.action for chain in profile.chains if AbsenceKind.abroad not in chain.kinds or len(chain.kinds) > 1
            for stage in chain.stages for step in stage}


@pytest.mark.parametrize("profile_id", ["rizhao", "wujiagang"])
def test_001第6条_004第69条_日照和伍家岗的国内外出流程只有报告报备_没有审批一步(profile_id):
    """日照 001 art.6 只规定“实行市政府领导工作补位和外出报备制度”,未规定任何审批;伍家岗 004 art.69
    区长离市由区政府办公室报备,副区长、办公室主任离市“应事先报告区长”并报备,街乡、部门主要负责同志
    “提前3日向区政府办公室报告”:国内外出只有报告、通报、报备,没有批准或同意的一步.两个政府的审批
    只在出国(境):日照 001 art.50(四) 预批件、伍家岗 004 art.56(四) 出国审批公文由区长签发,
    “审批人报送后外出”在这两条上的测试见 tests/test_rules_abroad.py."""
    assert _person_actions(profile_id) <= ch.NOTICE_ACTIONS


@pytest.mark.parametrize(("profile_id", "article", "titles"), [
    ("rizhao", "001 art.6", ("市长", "常务副市长", "副市长")),
    ("wujiagang", "004 art.6", ("区长", "常务副区长", "副区长")),
])  # fmt: skip
def test_001第6条_004第6条_报告首长一步_首长随后外出_改由常务副职听取_不影响销假(tmp_path, profile_id, article, titles):
    """日照 001 art.6 补位(profile 读作常务副市长补位市长)、伍家岗 004 art.6 区长外出或休假期间由常务副区长
    主持区政府工作:副职“报告市长/区长”一步在首长报送后外出时,待办改为常务副职(代首长),常务副职办理记为
    “李常务(代市长)”;这只是报告,销假从不等它(与批准不同)."""
    chief, executive, deputy = titles
    gov = Gov(tmp_path, profile_id, [("王首长", Role.chief, chief), ("李常务", Role.executive_deputy, executive),
                                     ("张副", Role.deputy, deputy), ("周副", Role.deputy, deputy)])  # fmt: skip
    try:
        record = gov.add("张副", AbsenceKind.trip, dt.date(2026, 11, 30), dt.date(2026, 12, 2))
        steps = rows.steps_of(gov.store, record.id)
        assert steps[0].action is StepAction.report and steps[0].target_text == chief
        assert all(s.action in ch.NOTICE_ACTIONS for s in steps)
        gov.clock.go(LEFT)
        gov.add("王首长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=2))
        assert (f"{executive} 李常务(代{chief})", "报告", 1) in gov.waiting()
        acting = next(a for a in gov.profile.acting if a.absent_role is Role.chief)
        assert acting.article == article
        shown = ops.absences.steps_today(gov.store, gov.profile, record.id)[0]
        assert shown.may_be_done_by == ("李常务", "王首长")
        ops.absences.advance_absence(gov.store, record.id, "李常务")
        assert rows.steps_of(gov.store, record.id)[0].done_by == f"李常务(代{chief})"
        gov.clock.go(dt.date(2026, 12, 3))
        back = ops.absences.return_absence(gov.store, record.id, dt.date(2026, 12, 2)).value
        assert back.state is AbsenceState.returned  # the rest are notices and filings
    finally:
        gov.store.close()


# ============================================================================ 延期 and 取消 with only a filing left


def test_000第84条_只剩备案的记录可以延期和取消_有待批准步骤时仍不行():
    """000 art.84 市长外出活动安排向市政府办公室备案: like 销假, 延期 and 取消 never wait for the
    office's filing; a record with an approval still pending is still refused."""
    trip = dataclasses.replace(_trip(1, LEFT, LEFT + dt.timedelta(days=2)), state=AbsenceState.in_progress)
    longer, change = extend(trip, LEFT + dt.timedelta(days=4), only_notices_pending=True)
    assert longer.state is AbsenceState.in_progress and longer.original_end == LEFT + dt.timedelta(days=2)
    assert change.message.startswith("延期:")
    with pytest.raises(UserError, match="还有待批准的步骤,请先完成审批步骤"):
        extend(trip, LEFT + dt.timedelta(days=4))
    gone = cancel(trip, today=FILED.date(), reason="行程取消", only_notices_pending=True)
    assert (gone.state, gone.state_note) == (AbsenceState.cancelled, "行程取消")
    with pytest.raises(UserError, match="审批中的记录请用“撤回”"):
        cancel(trip, today=FILED.date())
    with pytest.raises(UserError, match="不能再取消;请办理销假"):  # started: 销假, as for a granted record
        cancel(trip, today=LEFT, only_notices_pending=True)


def test_000第84条_市长外出只待备案_延期后备案仍待办理_取消后不再待办(panzhihua):
    gov = panzhihua
    trip = gov.add("王市长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=1))
    assert trip.state is AbsenceState.in_progress
    longer = ops.absences.extend_absence(gov.store, trip.id, LEFT + dt.timedelta(days=3), reason="会议延长").value
    assert (longer.state, longer.end, longer.original_end) == (AbsenceState.in_progress, LEFT + dt.timedelta(days=3),
                                                              LEFT + dt.timedelta(days=1))  # fmt: skip
    assert gov.waiting() == [("市政府办公室", "报备", 1)]
    gone = ops.absences.set_state(gov.store, trip.id, "cancel", "行程取消").value
    assert gone.state is AbsenceState.cancelled and gov.waiting() == []  # a trip that does not happen is not filed


def test_000第84条_副市长请假待市长批准_不能延期也不能取消(panzhihua):
    gov = panzhihua
    record = gov.add("张副", AbsenceKind.personal, dt.date(2026, 11, 27), dt.date(2026, 11, 27), leaves=False)
    with pytest.raises(UserError, match="还有待批准的步骤"):
        ops.absences.extend_absence(gov.store, record.id, dt.date(2026, 11, 28))
    with pytest.raises(UserError, match="请用“撤回”"):
        ops.absences.set_state(gov.store, record.id, "cancel")
    assert rows.get_absence(gov.store, record.id).state is AbsenceState.in_progress


def test_命令行_000第84条_市长外出只待备案_可以延期和取消(tmp_path, capsys):
    clock = DayClock(FILED)
    db = str(tmp_path / "pzh.db")

    def run(*argv: str, code: int = 0) -> dict:
        got = main(["--db", db, *argv], clock)
        out, err = capsys.readouterr()
        assert got == code, err
        return json.loads(out) if "--json" in argv and code == 0 else {"err": err}

    run("init", "--profile", "panzhihua", "--org", "攀枝花市人民政府办公室")
    for name, role, title in [("王市长", "chief", "市长"), ("李常务", "executive_deputy", "常务副市长")]:
        run("people", "add", name, "--role", role, "--title", title)
    added = run("absence", "add", "王市长", "--kind", "trip", "--from", "2026-11-25", "--to", "2026-11-26",
                "--dest", "成都", "--leaves", "--json")
    assert added["state"] == "in_progress"
    rid = str(added["id"])
    longer = run("absence", "extend", rid, "--to", "2026-11-27", "--reason", "会议延长", "--json")
    assert (longer["state"], longer["end"], longer["original_end"]) == ("in_progress", "2026-11-27", "2026-11-26")
    gone = run("absence", "cancel", rid, "--reason", "行程取消", "--json")
    assert gone["state"] == "cancelled"
    refused = run("absence", "extend", rid, "--to", "2026-11-28", code=2)
    assert "此记录当前状态为“已取消”,不能修改结束日期" in refused["err"]
