"""Meetings (会议): quorum, leave, approvers, substitutes and deadlines, on the real profiles.

Each scenario cites the article it comes from (../shared/seeds, see seeds/README.md):
000 攀枝花 art.42 (常务会议 半数以上组成人员到会方可召开) and art.43 (向市长请假,部门负责人指派人员代为参会);
001 日照 art.38 (超过半数时方能召开) and art.42 (经同意后方可指定代替参加会议人员);
002 西平 art.44 (副县长召开的会议向分管副县长请假); 003 吐鲁番 art.44 (文件7个工作日内印发);
004 伍家岗 art.48 (部门主要负责同志报会议召集人同意,安排副职参会) and art.49 (纪要5个工作日内印发).
"""

from __future__ import annotations

import datetime as dt

import pytest

from desktop import ops
from desktop.core import meetings as mt
from desktop.core.absence import Absence, Half
from desktop.core.errors import UserError
from desktop.core.meetings import LeaveState, Meeting, Topic
from desktop.core.people import PersonDraft
from desktop.core.profile import ProfileError, Quorum, parse_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.ops.base import Entity
from desktop.resources import available_profiles
from desktop.store import audit, meetings, people
from desktop.store.opening import open_store
from desktop.store.people import ConcurrentEdit

pytestmark = pytest.mark.both_engines  # on a file and on a server database

MON = dt.datetime(2026, 11, 23, 9, 0)  # Monday morning, after the fixture clock's 2026-11-21


class Gov:
    """A store on one profile with people added by (name, role, title[, unit])."""

    def __init__(self, tmp_path, clock, profile_id: str, staff: list[tuple]):
        self.store = open_store(tmp_path / f"{profile_id}.db", clock, operator="秘书")
        ops.org.init_org(self.store, profile_id, f"{profile_id}办公室", available_profiles())
        from desktop.core.profile import load_profile
        from desktop.resources import profiles_dir

        self.profile = load_profile(profiles_dir() / f"{profile_id}.toml")
        for row in staff:
            name, role, title, *rest = row
            unit, supervisor = (*rest, "", "")[:2]
            ops.people.add_person(self.store, PersonDraft(name=name, role=role, title=title, unit=unit, supervisor=supervisor))

    def id(self, name: str) -> int:
        return people.find_person(self.store, name).id

    def meeting(self, type_id: str, at: dt.datetime = MON, *, members=None, attendees=(), convener=None,
                until: dt.time | None = None, topics=()) -> Meeting:
        everyone = people.list_people(self.store)
        member_ids = ([self.id(n) for n in members] if members is not None
                      else [p.id for p in mt.default_members(self.profile, type_id, everyone)])
        conv = self.id(convener) if convener else mt.default_convener(self.profile, type_id, everyone).id
        draft = Meeting(id=None, type_id=type_id, title="", starts_at=at,
                        ends_at=dt.datetime.combine(at.date(), until) if until else None, convener_id=conv,
                        member_ids=tuple(member_ids), attendee_ids=tuple(self.id(n) for n in attendees),
                        topics=tuple(topics))
        return ops.meetings.add_meeting(self.store, self.profile, draft).value

    def away(self, name: str, start: dt.date, end: dt.date, *, kind=AbsenceKind.trip, start_half=Half.full,
             end_half=Half.full, dest="北京"):
        draft = Absence(id=None, person_id=self.id(name), kind=kind, start=start, start_half=start_half, end=end,
                        end_half=end_half, destination=dest, reason="公务", leaves_jurisdiction=True,
                        reported_at=dt.datetime(2026, 11, 20, 9, 0))
        return ops.absences.add_absence(self.store, self.profile, draft).value.record

    def leave(self, m: Meeting, name: str, reason="另有公务", substitute=""):
        return ops.meetings.request_leave(self.store, self.profile, m.id, self.id(name), reason, substitute).value

    def quorum(self, m: Meeting) -> mt.QuorumResult:
        return ops.meetings.quorum_of(self.store, self.profile, m.id)


CITY_LEADERS = [("王市长", Role.chief, "市长"), ("李常务", Role.executive_deputy, "常务副市长"),
                ("张副", Role.deputy, "副市长"), ("陈副", Role.deputy, "副市长"), ("刘副", Role.deputy, "副市长"),
                ("赵副", Role.deputy, "副市长"), ("孙副", Role.deputy, "副市长"), ("吴秘书长", Role.secretary_general, "秘书长")]


@pytest.fixture
def panzhihua(tmp_path, clock):
    gov = Gov(tmp_path, clock, "panzhihua", [*CITY_LEADERS, ("何局长", Role.dept_head, "市财政局局长", "财政局", "李常务")])
    yield gov
    gov.store.close()


@pytest.fixture
def rizhao(tmp_path, clock):
    gov = Gov(tmp_path, clock, "rizhao", [*CITY_LEADERS, ("马局长", Role.dept_head, "市教育局局长", "教育局")])
    yield gov
    gov.store.close()


# --------------------------------------------------------------------------------------------
# Quorum: 000 art.42 半数以上 vs 001 art.38 超过半数
# --------------------------------------------------------------------------------------------


def test_000_art42_executive_meeting_with_exactly_half_present_can_be_held(panzhihua):
    """攀枝花常务会议 8 名组成人员:4 人到会即“半数以上”(以上含本数)。"""
    gov = panzhihua
    m = gov.meeting("executive")
    assert gov.profile.meeting("executive").quorum is Quorum.at_least_half
    assert len(m.member_ids) == 8
    for name in ("张副", "陈副", "刘副"):
        ops.meetings.decide_leave(gov.store, gov.leave(m, name).id, "王市长", True)
    gov.away("赵副", dt.date(2026, 11, 22), dt.date(2026, 11, 24))  # 出差 on file counts as away
    q = gov.quorum(m)
    assert (q.members, q.present, q.required) == (8, 4, 4) and q.can_hold
    assert q.text.startswith("可以召开") and "(第四十二条)" in q.text


def test_000_art42_executive_meeting_cannot_be_held_when_too_many_are_away(panzhihua):
    """5 of 8 away (leave approved or travel on file): fewer than half — 不能召开, and it says who and why."""
    gov = panzhihua
    m = gov.meeting("executive")
    for name in ("张副", "陈副", "刘副"):
        ops.meetings.decide_leave(gov.store, gov.leave(m, name, "赴省参加会议").id, "王市长", True)
    gov.away("赵副", dt.date(2026, 11, 23), dt.date(2026, 11, 23))
    gov.away("孙副", dt.date(2026, 11, 20), dt.date(2026, 11, 25), kind=AbsenceKind.study, dest="省委党校")
    q = gov.quorum(m)
    assert (q.present, q.required, q.can_hold) == (3, 4, False)
    assert q.text.startswith("不能召开")
    away = {r.person.name: r for r in q.away}
    assert set(away) == {"张副", "陈副", "刘副", "赵副", "孙副"}
    assert away["张副"].status == mt.LEAVE and "已准假(赴省参加会议" in away["张副"].reasons[0]
    assert away["孙副"].status == mt.AWAY and "脱产学习 省委党校" in away["孙副"].reasons[0]


def test_001_art38_more_than_half_refuses_exactly_half(rizhao):
    """日照常务会议“超过半数时方能召开”:8 名组成人员中 4 人到会不够,5 人才行。"""
    gov = rizhao
    m = gov.meeting("executive")
    assert gov.profile.meeting("executive").quorum is Quorum.more_than_half
    names = ["张副", "陈副", "刘副", "赵副"]
    for name in names[:3]:
        ops.meetings.decide_leave(gov.store, gov.leave(m, name).id, "王市长", True)
    q = gov.quorum(m)
    assert (q.members, q.present, q.required, q.can_hold) == (8, 5, 5, True)
    ops.meetings.decide_leave(gov.store, gov.leave(m, "赵副").id, "王市长", True)
    q = gov.quorum(m)
    assert (q.present, q.required, q.can_hold) == (4, 5, False)
    assert "超过半数" in q.text and "(第三十八条)" in q.text


def test_required_present_counts():
    assert [mt.required_present(Quorum.at_least_half, n) for n in (1, 7, 8, 9)] == [1, 4, 4, 5]
    assert [mt.required_present(Quorum.more_than_half, n) for n in (1, 7, 8, 9)] == [1, 4, 5, 5]
    assert mt.required_present(Quorum.none, 9) == 0


def test_half_day_absence_counts_only_for_its_half(panzhihua):
    """A 下午 absence does not take a member out of a 上午 meeting; a meeting spanning noon counts both."""
    gov = panzhihua
    morning = gov.meeting("executive", dt.datetime(2026, 11, 24, 9, 0))
    gov.away("张副", dt.date(2026, 11, 24), dt.date(2026, 11, 25), start_half=Half.pm)
    assert gov.quorum(morning).present == 8
    long = gov.meeting("executive", dt.datetime(2026, 11, 24, 10, 0), until=dt.time(15, 0))
    assert gov.quorum(long).present == 7
    afternoon = gov.meeting("executive", dt.datetime(2026, 11, 24, 14, 30))
    assert gov.quorum(afternoon).present == 7


def test_withdrawn_absence_and_pending_or_rejected_leave_count_as_present(panzhihua):
    gov = panzhihua
    m = gov.meeting("executive")
    record = gov.away("张副", dt.date(2026, 11, 23), dt.date(2026, 11, 23))
    ops.absences.set_state(gov.store, record.id, "withdraw", "行程取消")
    pending = gov.leave(m, "陈副")
    refused = gov.leave(m, "刘副")
    ops.meetings.decide_leave(gov.store, refused.id, "王市长", False, "会议研究其分管事项,须参加")
    q = gov.quorum(m)
    assert q.present == 8 and q.pending == 1
    row = next(r for r in q.rows if r.person.name == "陈副")
    assert row.present and "请假待批" in row.reasons[0]
    assert pending.state is LeaveState.requested


# --------------------------------------------------------------------------------------------
# Leave: approver, acting approver, substitutes (000 art.43, 001 art.42, 002 art.44, 004 art.48)
# --------------------------------------------------------------------------------------------


def test_000_art43_leaders_ask_the_mayor_department_heads_send_a_substitute(panzhihua):
    gov = panzhihua
    m = gov.meeting("plenary")
    assert gov.id("何局长") in m.member_ids  # 全体会议 includes the department heads (000 art.41)
    lv = gov.leave(m, "张副", "带队招商")
    assert lv.approver_text == "市长 王市长" and lv.substitute == ""
    with pytest.raises(UserError, match=r"第四十三条.*指派人员代为参会"):
        gov.leave(m, "何局长", "参加省财政厅会议")
    lv = gov.leave(m, "何局长", "参加省财政厅会议", "周五 副局长")
    assert lv.substitute == "周五 副局长" and lv.approver_id == gov.id("王市长")
    with pytest.raises(UserError, match="应由市长 王市长审批"):
        ops.meetings.decide_leave(gov.store, lv.id, "李常务", True)
    approved = ops.meetings.decide_leave(gov.store, lv.id, "王市长", True).value
    assert approved.state is LeaveState.approved and approved.decided_by == "王市长"


def test_000_approver_away_the_executive_deputy_acts_for_the_mayor(panzhihua, clock):
    """市长出差 on the day of the request: 常务副市长代行 (000 art.10) approves; the mayor still may."""
    gov = panzhihua
    gov.away("王市长", dt.date(2026, 11, 21), dt.date(2026, 11, 22))  # today is 2026-11-21
    m = gov.meeting("executive", convener="李常务")
    lv = gov.leave(m, "张副", "陪同省领导调研")
    assert lv.approver_id == gov.id("李常务") and lv.approver_for_id == gov.id("王市长")
    assert "代市长" in lv.approver_text and "由常务副市长李常务代为审批" in lv.approver_note
    assert ops.meetings.decide_leave(gov.store, lv.id, "李常务", True).value.state is LeaveState.approved
    lv2 = gov.leave(m, "陈副", "接待考察团")
    assert ops.meetings.decide_leave(gov.store, lv2.id, "王市长", False).value.state is LeaveState.rejected


def test_the_chief_is_his_own_approver_and_the_leave_stands_at_once(panzhihua):
    gov = panzhihua
    m = gov.meeting("executive")
    lv = gov.leave(m, "王市长", "赴京汇报")
    assert lv.state is LeaveState.approved and lv.approver_text == "王市长(本人)"


def test_leave_only_for_people_of_the_meeting_and_once(panzhihua):
    gov = panzhihua
    m = gov.meeting("executive")
    with pytest.raises(UserError, match="不是“市政府常务会议”的参会人员"):
        gov.leave(m, "何局长")
    gov.leave(m, "张副")
    with pytest.raises(UserError, match="已有一条待批的请假"):
        gov.leave(m, "张副")
    with pytest.raises(UserError, match="请填写陈副不能参会的事由"):
        ops.meetings.request_leave(gov.store, gov.profile, m.id, gov.id("陈副"), "  ")
    lv = ops.meetings.find_leave(gov.store, m.id, gov.id("张副"))
    ops.meetings.withdraw_leave(gov.store, lv.id)
    assert gov.leave(m, "张副").state is LeaveState.requested  # asked again after withdrawing



def test_a_decision_over_a_request_changed_since_it_was_shown_is_refused_and_writes_nothing(panzhihua):
    """The page passes the request it showed (``seen``): decided or withdrawn meanwhile by a
    colleague, the click is refused with what changed, and nothing is written."""
    gov = panzhihua
    m = gov.meeting("executive")
    shown = gov.leave(m, "张副")
    decided = ops.meetings.decide_leave(gov.store, shown.id, "王市长", True, seen=shown)
    assert decided.value.version == shown.version + 1 and decided.changes.ids_of(Entity.meeting_leave) == {shown.id}
    rows = len(audit.history(gov.store))
    for act in (lambda: ops.meetings.decide_leave(gov.store, shown.id, "王市长", False, seen=shown),
                lambda: ops.meetings.withdraw_leave(gov.store, shown.id, seen=shown)):
        with pytest.raises(ConcurrentEdit, match="您的修改没有保存"):
            act()
    assert meetings.get_leave(gov.store, shown.id) == decided.value and len(audit.history(gov.store)) == rows

def test_001_art42_department_head_names_a_substitute_after_consent(rizhao):
    """经同意后,方可指定代替参加会议人员: not asked at filing, named once leave is granted."""
    gov = rizhao
    m = gov.meeting("plenary")
    with pytest.raises(UserError, match=r"《日照市人民政府工作规则》第四十二条.*经同意后,方可指定"):
        gov.leave(m, "马局长", "外出学习", "田七 副局长")
    lv = gov.leave(m, "马局长", "外出学习")
    assert lv.approver_text == "市长 王市长" and lv.substitute == ""


@pytest.fixture
def xiping(tmp_path, clock):
    gov = Gov(tmp_path, clock, "xiping", [
        ("周县长", Role.chief, "县长"), ("吴常务", Role.executive_deputy, "常务副县长"),
        ("郑副", Role.deputy, "副县长"), ("冯副", Role.deputy, "副县长"),
        ("卫局长", Role.dept_head, "县农业农村局局长", "农业农村局"), ("蒋镇长", Role.township_head, "出山镇镇长", "出山镇"),
    ])
    yield gov
    gov.store.close()


def test_002_art44_leave_from_a_deputys_meeting_goes_to_that_deputy(xiping):
    """不能出席副县长召开的会议需请假的,向分管副县长报告 — not the county head."""
    gov = xiping
    m = gov.meeting("deputy_meeting", members=["郑副", "卫局长", "蒋镇长"], convener="郑副",
                    topics=[Topic("秋粮收储", "农业农村局")])
    lv = gov.leave(m, "蒋镇长", "防汛值守")
    assert lv.approver_id == gov.id("郑副") and lv.approver_text == "会议召集人 郑副"
    with pytest.raises(UserError, match="应由会议召集人 郑副审批"):
        ops.meetings.decide_leave(gov.store, lv.id, "周县长", True)
    assert ops.meetings.decide_leave(gov.store, lv.id, "郑副", True).value.state is LeaveState.approved


def test_002_art44_plenary_leave_goes_to_the_county_head_with_someone_else_attending(xiping):
    gov = xiping
    m = gov.meeting("plenary")
    assert gov.leave(m, "冯副", "赴市汇报").approver_text == "县长 周县长"
    with pytest.raises(UserError, match=r"第四十四条"):
        gov.leave(m, "卫局长", "下乡督导")  # 经县长同意后,安排其他人员参加
    assert gov.leave(m, "卫局长", "下乡督导", "褚副局长").substitute == "褚副局长"


@pytest.fixture
def wujiagang(tmp_path, clock):
    gov = Gov(tmp_path, clock, "wujiagang", [
        ("韩区长", Role.chief, "区长"), ("杨常务", Role.executive_deputy, "常务副区长"),
        ("朱副", Role.deputy, "副区长"), ("秦副", Role.deputy, "副区长"),
        ("尤主任", Role.office_director, "区政府办公室主任"), ("许局长", Role.dept_head, "区财政局局长", "财政局"),
    ])
    yield gov
    gov.store.close()


def test_004_art48_department_head_asks_the_convener_and_sends_a_deputy(wujiagang):
    """部门主要负责同志确不能与会的,提前报会议召集人同意,安排熟悉议题内容的其他副职参会。"""
    gov = wujiagang
    special = gov.meeting("special", members=["秦副", "许局长"], convener="秦副",
                          topics=[Topic("专项债券申报", "财政局")])
    with pytest.raises(UserError, match="熟悉议题内容的其他副职参会"):
        gov.leave(special, "许局长", "赴市财政局对接")
    lv = gov.leave(special, "许局长", "赴市财政局对接", "施副局长")
    assert lv.approver_id == gov.id("秦副")  # the convener, not the district head
    # A deputy at the same meeting asks the district head (区政府领导同志不能出席的,向区长请假).
    executive = gov.meeting("executive", attendees=["许局长"])
    assert gov.leave(executive, "朱副", "赴省培训").approver_text == "区长 韩区长"
    # At the executive meeting the department head attends (列席) and still sends a deputy.
    lv = gov.leave(executive, "许局长", "赴市财政局对接", "施副局长")
    assert lv.approver_text == "会议召集人 韩区长"


# --------------------------------------------------------------------------------------------
# Absences on file: likely leave, registering one (登记为请假)
# --------------------------------------------------------------------------------------------


def test_absence_on_file_is_likely_leave_until_registered(panzhihua):
    gov = panzhihua
    m = gov.meeting("plenary")
    record = gov.away("何局长", dt.date(2026, 11, 23), dt.date(2026, 11, 24), dest="成都")
    view = ops.meetings.view(gov.store, gov.profile, m.id)
    assert [(pid, a.id) for pid, a in view.likely] == [(gov.id("何局长"), record.id)]
    with pytest.raises(UserError, match="指派人员代为参会"):
        ops.meetings.leave_from_absence(gov.store, gov.profile, m.id, record.id)
    lv = ops.meetings.leave_from_absence(gov.store, gov.profile, m.id, record.id, "周五 副局长").value
    assert lv.absence_id == record.id and lv.reason.startswith("出差 成都")
    assert ops.meetings.view(gov.store, gov.profile, m.id).likely == []


# --------------------------------------------------------------------------------------------
# Deadlines: 004 art.49 (5 working days), 003 art.44 (7), provisional calendars
# --------------------------------------------------------------------------------------------


def test_004_art49_minutes_within_5_working_days_over_national_day(wujiagang):
    """Meeting 2026-09-28: 9-29, 9-30, (国庆 10-1…10-7 休), 10-8, 10-9, 10-10 (调休上班) → due 10-10."""
    gov = wujiagang
    m = gov.meeting("executive", dt.datetime(2026, 9, 28, 9, 0))
    view = ops.meetings.view(gov.store, gov.profile, m.id)
    items = {i.what: i for i in view.deadlines}
    assert items["minutes"].due == dt.date(2026, 10, 10) and items["minutes"].article == "004 art.49"
    assert items["minutes"].status == mt.OVERDUE  # today is 2026-11-21
    assert items["documents"].due == dt.date(2026, 10, 10)
    ops.meetings.mark_done(gov.store, m.id, "minutes", dt.date(2026, 10, 9))
    ops.meetings.mark_done(gov.store, m.id, "documents", dt.date(2026, 10, 12))
    items = {i.what: i for i in ops.meetings.view(gov.store, gov.profile, m.id).deadlines}
    assert items["minutes"].status == mt.DONE and items["documents"].status == mt.DONE_LATE
    with pytest.raises(UserError, match="早于会议日期"):
        ops.meetings.mark_done(gov.store, m.id, "minutes", dt.date(2026, 9, 1))
    with pytest.raises(UserError, match="还没有到"):
        ops.meetings.mark_done(gov.store, m.id, "minutes", dt.date(2026, 12, 1))
    ops.meetings.mark_done(gov.store, m.id, "minutes", None)
    assert next(i for i in ops.meetings.view(gov.store, gov.profile, m.id).deadlines if i.what == "minutes").done is None


def test_004_study_meeting_has_no_deadline(wujiagang):
    gov = wujiagang
    m = gov.meeting("study", members=["韩区长", "朱副"])
    (item,) = ops.meetings.view(gov.store, gov.profile, m.id).deadlines
    assert item.what == "minutes" and item.due is None and item.status == mt.OPEN


def test_003_art44_documents_within_7_working_days_and_a_provisional_year(tmp_path, clock):
    gov = Gov(tmp_path, clock, "turpan", CITY_LEADERS)
    m = gov.meeting("executive", dt.datetime(2026, 11, 23, 9, 0))
    items = {i.what: i for i in ops.meetings.view(gov.store, gov.profile, m.id).deadlines}
    assert items["documents"].due == dt.date(2026, 12, 2) and items["documents"].status == mt.DUE
    assert items["minutes"].due is None  # 003 art.44 sets no deadline for the minutes
    later = gov.meeting("executive", dt.datetime(2027, 3, 1, 9, 0))
    view = ops.meetings.view(gov.store, gov.profile, later.id)
    assert view.provisional and "暂定日历" in next(i for i in view.deadlines if i.what == "documents").text
    gov.store.close()


# --------------------------------------------------------------------------------------------
# The store: validation, versions, audit, edits
# --------------------------------------------------------------------------------------------


def test_validation_messages(panzhihua):
    gov = panzhihua
    base = Meeting(id=None, type_id="executive", title="", starts_at=MON, member_ids=(gov.id("王市长"),))
    with pytest.raises(UserError, match="没有会议类型“weekly”"):
        ops.meetings.add_meeting(gov.store, gov.profile, Meeting(**{**base.__dict__, "type_id": "weekly"}))
    with pytest.raises(UserError, match="不晚于开始时间"):
        ops.meetings.add_meeting(gov.store, gov.profile, Meeting(**{**base.__dict__, "ends_at": MON.replace(hour=8)}))
    with pytest.raises(UserError, match="请选择参加市政府常务会议的组成人员"):
        ops.meetings.add_meeting(gov.store, gov.profile, Meeting(**{**base.__dict__, "member_ids": ()}))
    assert mt.parse_topic("城市更新方案:住建局") == Topic("城市更新方案", "住建局")
    assert mt.parse_topic("听取汇报") == Topic("听取汇报", "")


def test_edit_with_a_stale_version_is_refused_and_removed_members_lose_their_leave(panzhihua):
    gov = panzhihua
    m = gov.meeting("executive")
    lv = gov.leave(m, "孙副")
    fewer = tuple(i for i in m.member_ids if i != gov.id("孙副"))
    edited = ops.meetings.update_meeting(gov.store, gov.profile, Meeting(**{**m.__dict__, "member_ids": fewer,
                                                                       "place": "市政府第一会议室"}), m.version).value
    assert edited.version == m.version + 1 and edited.place == "市政府第一会议室"
    assert meetings.get_leave(gov.store, lv.id).state is LeaveState.withdrawn
    with pytest.raises(ConcurrentEdit):
        ops.meetings.update_meeting(gov.store, gov.profile, Meeting(**{**m.__dict__, "title": "改名"}), m.version)
    assert meetings.get_meeting(gov.store, m.id).title == "市政府常务会议"


def test_every_write_is_audited_and_delete_keeps_a_copy(panzhihua):
    gov = panzhihua
    m = gov.meeting("executive", dt.datetime(2026, 11, 20, 9, 0), topics=[Topic("审议规划", "自然资源局")])
    lv = gov.leave(m, "张副")
    ops.meetings.decide_leave(gov.store, lv.id, "王市长", True)
    ops.meetings.mark_done(gov.store, m.id, "minutes", dt.date(2026, 11, 21))
    ops.meetings.delete_meeting(gov.store, m.id)
    rows = audit.history(gov.store, "meeting") + audit.history(gov.store, "meeting_leave")
    actions = sorted((r.entity, r.action) for r in rows)
    assert actions == [("meeting", "add"), ("meeting", "delete"), ("meeting", "update"), ("meeting_leave", "add"),
                       ("meeting_leave", "approve")]
    assert "审议规划" in next(r.before for r in rows if r.action == "delete")
    assert audit.verify(gov.store)[1] is None
    with pytest.raises(UserError, match="找不到编号为"):
        meetings.get_meeting(gov.store, m.id)


# --------------------------------------------------------------------------------------------
# The profile field [[meeting_leave]]
# --------------------------------------------------------------------------------------------


def test_every_profile_encodes_meeting_leave_with_its_article():
    from desktop.core.profile import load_profile
    from desktop.resources import profiles_dir

    expected = {"panzhihua": "000 art.43", "rizhao": "001 art.42", "xiping": "002 art.44", "turpan": "003 art.43",
                "wujiagang": "004 art.48", "generic": "000 art.43"}
    for pid, article in expected.items():
        p = load_profile(profiles_dir() / f"{pid}.toml")
        rule = p.meeting_leave_rule("plenary", Role.dept_head)
        assert rule is not None and rule.article == article and article in p.articles()
        # 003 art.43 asks for a written request, 001 art.42 names the substitute after consent
        assert rule.substitute_required is (pid not in ("turpan", "rizhao"))
        assert rule.substitute_after_approval is (pid == "rizhao")
        assert rule.written is (pid == "turpan") and bool(rule.office_forward) is (pid == "turpan")
        assert bool(rule.office_filing) is rule.substitute_deputy is rule.in_advance is (pid == "wujiagang")
    wjg = load_profile(profiles_dir() / "wujiagang.toml")
    assert str(wjg.meeting_leave_rule("special", Role.dept_head).approver) == "convener"


_MINIMAL = {
    "schema": 1, "id": "t", "name": "测试市人民政府", "short_name": "测试市", "level": "city",
    "source_title": "测试规则", "jurisdiction_label": "离市",
    "titles": {r.value: r.label for r in Role}, "offices": {"office": "市政府办公室"},
    "duty": {"days": "holiday_block", "pool": ["deputy"], "article": "000 art.81"},
    "deadlines": [{"id": "minutes", "label": "纪要", "days": 5, "unit": "workdays", "article": "004 art.49"}],
    "meetings": [{"id": "plenary", "label": "全体会议", "members": ["chief"], "article": "000 art.41"}],
}


@pytest.mark.parametrize(("change", "path"), [
    ({"meeting_leave": [{"roles": ["dept_head"], "meetings": ["weekly"], "article": "000 art.43"}]},
     "meeting_leave[0].meetings[0]"),
    ({"meeting_leave": [{"roles": ["dept_head"], "approver": "boss", "article": "000 art.43"}]},
     "meeting_leave[0].approver"),
    ({"meeting_leave": [{"roles": ["dept_head"]}]}, "meeting_leave[0].article"),
    ({"meeting_leave": [{"roles": ["dept_head"], "substitute": True, "article": "000 art.43"}]},
     "meeting_leave[0].substitute"),
    ({"meetings": [{"id": "plenary", "label": "全体会议", "members": ["chief"], "article": "000 art.41",
                    "minutes_deadline": "nope"}]}, "meetings[0].minutes_deadline"),
])
def test_malformed_meeting_rules_name_the_key(change, path):
    with pytest.raises(ProfileError) as info:
        parse_profile({**_MINIMAL, **change}, "t.toml")
    assert info.value.path == path and "t.toml" in str(info.value)


def test_a_valid_meeting_leave_rule_parses():
    p = parse_profile({**_MINIMAL, "meeting_leave": [{"roles": ["dept_head"], "approver": "convener",
                                                      "substitute_required": True, "note": "安排副职参会",
                                                      "article": "004 art.48"}]}, "t.toml")
    rule = p.meeting_leave_rule("plenary", Role.dept_head)
    assert rule.substitute_required and rule.note == "安排副职参会"
    assert p.meeting_leave_rule("plenary", Role.deputy) is None
