"""Meeting leave as each text says (issue 14), one scenario per profile, dates from the injected clock.

* 003 吐鲁番 art.43: 其他参会人员请假,向市政府办公室书面请假并由市政府办公室呈报市长审批 — the written
  request on file, an office step (呈报) before the mayor decides.
* 004 伍家岗 art.48: 各部门主要负责同志确不能与会的,必须提前报会议召集人同意后,安排熟悉议题内容的其他
  副职参会,并向区政府办公室书面报备 — consent before the meeting, a deputy post, the filing as a step.
* 001 日照 art.42: 经同意后,方可指定代替参加会议人员 — the substitute is named after consent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_meetings import CITY_LEADERS, Gov

from desktop import ops
from desktop.core import meetings as mt
from desktop.core.errors import UserError
from desktop.core.meetings import LeaveState, Topic
from desktop.core.roles import Role
from desktop.store import audit, meetings

pytestmark = pytest.mark.both_engines  # on a file and on a server database


class EngineGov(Gov):
    """test_meetings.Gov on the test's database (`db_path`: a file, or a server database)."""

    def __init__(self, db_path, clock, profile_id: str, staff: list[tuple]):
        from desktop.core.people import PersonDraft
        from desktop.core.profile import load_profile
        from desktop.resources import available_profiles, profiles_dir
        from desktop.store.opening import open_store

        self.store = open_store(db_path, clock, operator="秘书")
        ops.org.init_org(self.store, profile_id, f"{profile_id}办公室", available_profiles())
        self.profile = load_profile(profiles_dir() / f"{profile_id}.toml")
        for name, role, title, *rest in staff:
            unit, supervisor = (*rest, "", "")[:2]
            ops.people.add_person(self.store, PersonDraft(name=name, role=role, title=title, unit=unit,
                                                          supervisor=supervisor))


def in_days(clock, days: int, hour: int = 9) -> dt.datetime:
    """A meeting ``days`` after the injected clock's today, at ``hour`` o'clock."""
    return dt.datetime.combine(clock.today() + dt.timedelta(days=days), dt.time(hour, 0))


def writes(gov) -> int:
    return len(audit.history(gov.store))


# --------------------------------------------------------------------------------------------
# 003 吐鲁番 art.43
# --------------------------------------------------------------------------------------------


@pytest.fixture
def turpan(db_path, clock):
    gov = EngineGov(db_path, clock, "turpan", [*CITY_LEADERS, ("艾局长", Role.dept_head, "市财政局局长", "财政局")])
    yield gov
    gov.store.close()


def test_003_art43_written_request_then_the_office_forwards_then_the_mayor_decides(turpan, clock):
    gov = turpan
    m = gov.meeting("plenary", in_days(clock, 3))
    before = writes(gov)
    with pytest.raises(UserError, match=r"《吐鲁番市人民政府工作规则》第四十三条.*书面请假.*--written"):
        gov.leave(m, "艾局长", "赴自治区财政厅汇报")
    assert writes(gov) == before and meetings.leaves_of(gov.store, m.id) == []

    lv = ops.meetings.request_leave(gov.store, gov.profile, m.id, gov.id("艾局长"), "赴自治区财政厅汇报",
                                    written=True).value
    assert lv.written and lv.approver_text == "市长 王市长" and lv.forwarded_at is None
    policy = mt.leave_policy(gov.profile, m, ops.meetings.view(gov.store, gov.profile, m.id).people[gov.id("艾局长")])
    assert mt.leave_status(policy, lv) == "待批(待办公室呈报)"
    assert [s.kind for s in mt.leave_steps(policy, lv)] == ["forward", "decide"]

    # The mayor decides only after the office has forwarded the request (呈报市长审批).
    with pytest.raises(UserError, match="须先“由市政府办公室呈报市长审批”"):
        ops.meetings.decide_leave(gov.store, lv.id, "王市长", True)
    assert meetings.get_leave(gov.store, lv.id) == lv and writes(gov) == before + 1
    with pytest.raises(UserError, match="第四十三条没有规定这条请假由办公室报备"):
        ops.meetings.office_step(gov.store, gov.profile, lv.id, "file", "刘秘书")  # no filing in 003 art.43

    forwarded = ops.meetings.office_step(gov.store, gov.profile, lv.id, "forward", "刘秘书", seen=lv).value
    assert forwarded.forwarded_by == "刘秘书" and forwarded.forwarded_at == clock.now()
    assert forwarded.version == lv.version + 1 and forwarded.state is LeaveState.requested
    with pytest.raises(UserError, match="无需重复办理"):
        ops.meetings.office_step(gov.store, gov.profile, lv.id, "forward", "刘秘书")
    decided = ops.meetings.decide_leave(gov.store, lv.id, "王市长", True).value
    assert decided.state is LeaveState.approved and decided.forwarded_by == "刘秘书" and decided.written
    assert mt.leave_status(policy, decided) == "已准假"
    actions = [r.action for r in audit.history(gov.store, "meeting_leave")]
    assert sorted(actions) == ["add", "approve", "forward"]


def test_003_art43_two_secretaries_forwarding_one_request_at_once_forward_it_once(turpan, clock, db_path, rounds):
    """两位秘书同时点“呈报”: the office step is checked and written inside the transaction, so exactly
    one is done and the other is told it needs no second doing (tests/race.py: released together)."""
    from race import one_wins, race

    gov = turpan
    for i in range(max(rounds // 5, 3)):
        m = gov.meeting("plenary", in_days(clock, 3 + i))
        lv = ops.meetings.request_leave(gov.store, gov.profile, m.id, gov.id("艾局长"), "赴自治区财政厅汇报",
                                        written=True).value
        _winner, loser = one_wins(race(db_path, clock,
                                       lambda s, x=lv.id: ops.meetings.office_step(s, gov.profile, x, "forward", "刘秘书"),
                                       lambda s, x=lv.id: ops.meetings.office_step(s, gov.profile, x, "forward", "陈秘书")),
                                  UserError)
        assert "无需重复办理" in str(loser.error)
        now = meetings.get_leave(gov.store, lv.id)
        assert now.version == lv.version + 1 and now.forwarded_by in ("刘秘书", "陈秘书")
        assert [r.action for r in audit.history(gov.store, "meeting_leave", lv.id)].count("forward") == 1


def test_003_art43_city_leaders_ask_the_mayor_without_the_office_step(turpan, clock):
    """市政府领导同志不能出席的,应向市长请假: no written request, no office step."""
    gov = turpan
    m = gov.meeting("executive", in_days(clock, 2))
    lv = gov.leave(m, "张副", "赴乌鲁木齐开会")
    policy = mt.leave_policy(gov.profile, m, ops.meetings.view(gov.store, gov.profile, m.id).people[gov.id("张副")])
    assert not policy.written and not policy.office_forward
    assert ops.meetings.decide_leave(gov.store, lv.id, "王市长", True).value.state is LeaveState.approved


# --------------------------------------------------------------------------------------------
# 004 伍家岗 art.48
# --------------------------------------------------------------------------------------------


@pytest.fixture
def wujiagang(db_path, clock):
    gov = EngineGov(db_path, clock, "wujiagang", [
        ("韩区长", Role.chief, "区长"), ("杨常务", Role.executive_deputy, "常务副区长"),
        ("朱副", Role.deputy, "副区长"), ("秦副", Role.deputy, "副区长"),
        ("许局长", Role.dept_head, "区财政局局长", "财政局"),
    ])
    yield gov
    gov.store.close()


def test_004_art48_the_substitute_holds_a_deputy_post(wujiagang, clock):
    gov = wujiagang
    m = gov.meeting("special", in_days(clock, 4), members=["秦副", "许局长"], convener="秦副",
                    topics=[Topic("专项债券申报", "财政局")])
    before = writes(gov)
    for text in ("施科长", "施明 科员", "施明"):
        with pytest.raises(UserError, match=r"第四十八条.*其他副职.*“" + text + "”没有写明副职职务"):
            gov.leave(m, "许局长", "赴市财政局对接", text)
    assert writes(gov) == before
    lv = gov.leave(m, "许局长", "赴市财政局对接", "施明 副局长")
    assert lv.substitute == "施明 副局长" and lv.approver_text == "会议召集人 秦副"
    with pytest.raises(UserError, match="没有写明副职职务"):
        ops.meetings.name_substitute(gov.store, gov.profile, lv.id, "施明 办公室科员")
    assert ops.meetings.name_substitute(gov.store, gov.profile, lv.id, "钱亮 党组副书记").value.substitute == \
        "钱亮 党组副书记"


def test_004_art48_consent_in_advance_and_the_written_filing_is_a_step(wujiagang, clock, tmp_path):
    gov = wujiagang
    m = gov.meeting("executive", in_days(clock, 2), attendees=["许局长"])
    lv = gov.leave(m, "许局长", "赴市财政局对接", "施明 副局长")
    policy = mt.leave_policy(gov.profile, m, ops.meetings.view(gov.store, gov.profile, m.id).people[gov.id("许局长")])
    assert [s.kind for s in mt.leave_steps(policy, lv)] == ["decide", "file"]
    with pytest.raises(UserError, match="须在准假后办理"):
        ops.meetings.office_step(gov.store, gov.profile, lv.id, "file", "刘秘书")
    approved = ops.meetings.decide_leave(gov.store, lv.id, "韩区长", True).value
    assert mt.leave_status(policy, approved) == "已准假(待书面报备)"
    assert mt.pending_office_step(policy, approved).label == "向区政府办公室书面报备"
    filed = ops.meetings.office_step(gov.store, gov.profile, lv.id, "file", "刘秘书").value
    assert filed.filed_by == "刘秘书" and mt.leave_status(policy, filed) == "已准假"
    assert mt.pending_office_step(policy, filed) is None

    # 必须提前: once the meeting has begun, neither a request nor the convener's consent is taken.
    late = gov.meeting("executive", in_days(clock, 0, 9), attendees=["许局长"])  # today 09:00, clock 09:30
    before = writes(gov)
    with pytest.raises(UserError, match=r"第四十八条.*须在会前报会议召集人同意.*不能再请假"):
        gov.leave(late, "许局长", "临时接待", "施明 副局长")
    assert writes(gov) == before
    soon = gov.meeting("executive", in_days(clock, 0, 15), attendees=["许局长"])  # today 15:00
    waiting = gov.leave(soon, "许局长", "临时接待", "施明 副局长")
    clock.moment = dt.datetime.combine(clock.today(), dt.time(15, 30))  # the meeting has begun
    with pytest.raises(UserError, match="不能再同意请假"):
        ops.meetings.decide_leave(gov.store, waiting.id, "韩区长", True)
    assert meetings.get_leave(gov.store, waiting.id).state is LeaveState.requested


# --------------------------------------------------------------------------------------------
# 001 日照 art.42
# --------------------------------------------------------------------------------------------


@pytest.fixture
def rizhao(db_path, clock):
    gov = EngineGov(db_path, clock, "rizhao", [*CITY_LEADERS, ("马局长", Role.dept_head, "市教育局局长", "教育局")])
    yield gov
    gov.store.close()


def test_001_art42_substitute_named_only_after_consent(rizhao, clock):
    gov = rizhao
    m = gov.meeting("plenary", in_days(clock, 3))
    before = writes(gov)
    with pytest.raises(UserError, match=r"《日照市人民政府工作规则》第四十二条.*经同意后,方可指定代替参加会议人员"):
        gov.leave(m, "马局长", "外出学习", "田七 副局长")
    assert writes(gov) == before
    lv = gov.leave(m, "马局长", "外出学习")  # not required at filing
    with pytest.raises(UserError, match="还没有准假,请准假后再指定"):
        ops.meetings.name_substitute(gov.store, gov.profile, lv.id, "田七 副局长")
    ops.meetings.decide_leave(gov.store, lv.id, "王市长", True)
    named = ops.meetings.name_substitute(gov.store, gov.profile, lv.id, "田七 副局长").value
    assert named.substitute == "田七 副局长" and named.state is LeaveState.approved
    q = ops.meetings.quorum_of(gov.store, gov.profile, m.id)
    assert any("田七 副局长代为参会" in ";".join(r.reasons) for r in q.rows)
    # Asked and granted in one command: the substitute is named right after the consent.
    other = gov.meeting("chief_office", in_days(clock, 5), members=["王市长", "张副", "马局长"])
    both = ops.meetings.request_and_decide_leave(gov.store, gov.profile, other.id, gov.id("马局长"), "外出学习",
                                                 "田七 副局长", "王市长", True).value
    assert both.state is LeaveState.approved and both.substitute == "田七 副局长"


# --------------------------------------------------------------------------------------------
# The printout shows the steps
# --------------------------------------------------------------------------------------------


def test_004_art48_printed_leave_summary_shows_the_filing(wujiagang, clock):
    from desktop.export.meeting_html import leave_summary_html

    gov = wujiagang
    m = gov.meeting("executive", in_days(clock, 2), attendees=["许局长"])
    lv = gov.leave(m, "许局长", "赴市财政局对接", "施明 副局长")
    ops.meetings.decide_leave(gov.store, lv.id, "韩区长", True)
    html = leave_summary_html(ops.meetings.view(gov.store, gov.profile, m.id), gov.profile, "伍家岗区人民政府办公室")
    assert "已准假（待书面报备）" in html and "向区政府办公室书面报备：待办" in html
    ops.meetings.office_step(gov.store, gov.profile, lv.id, "file", "刘秘书")
    html = leave_summary_html(ops.meetings.view(gov.store, gov.profile, m.id), gov.profile, "伍家岗区人民政府办公室")
    assert "向区政府办公室书面报备：刘秘书" in html


def test_003_art43_the_page_waits_for_the_office_then_the_mayor(qtbot, qapp, turpan, clock, monkeypatch):
    """The 会议 page: 准假 stays off until the office has done “办公室呈报…”, whose 经办人 is asked (the
    signed-in operator or the unit by default) — never the computer's login name."""
    from PySide6.QtWidgets import QInputDialog

    from desktop.app import configure_app
    from desktop.ui.meetings_page import MeetingsPage
    from desktop.ui.session import Session

    configure_app(qapp)
    gov = turpan
    m = gov.meeting("plenary", in_days(clock, 3))
    lv = ops.meetings.request_leave(gov.store, gov.profile, m.id, gov.id("艾局长"), "赴自治区财政厅汇报",
                                    written=True).value
    page = MeetingsPage(Session(gov.store))
    qtbot.addWidget(page)
    page.show()
    page.select_meeting(m.id)
    page.leaves.selectRow(0)
    assert page.leaves.item(0, 4).text() == "待批(待办公室呈报);书面请假:已收到"
    assert not page.approve_button.isEnabled() and page.office_button.isEnabled()
    assert page.office_button.text() == "办公室呈报…"
    asked = []

    def answer(parent, title, label, text=""):
        asked.append((title, text))
        return "刘秘书", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    page.office_button.click()
    assert asked == [("由市政府办公室呈报市长审批", "turpan办公室")]
    assert meetings.get_leave(gov.store, lv.id).forwarded_by == "刘秘书"
    page.leaves.selectRow(0)
    assert page.approve_button.isEnabled() and not page.office_button.isEnabled()
    assert page.approve_button.text() == "准假(王市长)"
