"""What a 单位录入员 reads on the command line (the issue "Server mode": he "files and sees only the heads
of his own unit, their chains and acting"): `acting`, `check`, `ab list`, `duty list`, `meeting
list|show|quorum|minutes` show only his unit's people and what concerns them, with the same JSON
shape as the office's (fewer items only); what lists the whole government (`meeting print`, `duty
replace` candidates) is refused in Chinese. The office's clerk sees everything. On a file and on a
server database."""

from __future__ import annotations

import json

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core import access
from desktop.core.access import PermissionDenied
from desktop.ops.scope import Scope
from desktop.resources import available_profiles
from desktop.store import duty, people
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines

PASSWORD = "Zhiban-2026!"
UNIT = "教育和体育局"  # the demo government's 教育局: 马晓东 is its head
FAGAI = "发展和改革委员会"  # 何振华, who attends (列席) the demo's 常务会议


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)
    monkeypatch.setenv("DUTYDESK_PASSWORD", PASSWORD)


@pytest.fixture
def living(db_path, clock):
    """The demo's living week (`dutydesk --demo`, relative to the suite's clock): the mayor away, an AB gap
    and a 常务会议 on ``days.meeting``, the next holiday planned."""
    s = open_store(db_path, clock, operator="测试员")
    days = ops.demo.populate_week(s, available_profiles()).value
    yield s, days
    s.close()


@pytest.fixture
def demo_store(living):
    return living[0]


@pytest.fixture
def day(living) -> str:
    """The meeting's day: the mayor and two deputies of one AB pair away."""
    return living[1].meeting.isoformat()


@pytest.fixture
def cli(demo_store, db_path, capsys, clock):
    """The living demo week with accounts (办公室录入员 li, 单位录入员 jiaoyu of 教育和体育局 and fagai of
    发展和改革委员会) and ``cli(operator, *argv) -> (code, out, err)``."""
    ops.operators.add_operator(demo_store, "wang", PASSWORD, "admin")
    ops.operators.authenticate(demo_store, "wang", PASSWORD)
    ops.operators.add_operator(demo_store, "li", PASSWORD, "clerk")
    ops.operators.add_operator(demo_store, "jiaoyu", PASSWORD, "unit_clerk", "教育局 小赵", unit=UNIT)
    ops.operators.add_operator(demo_store, "fagai", PASSWORD, "unit_clerk", "发改委 小钱", unit=FAGAI)

    def run(operator: str, *argv):
        code = main(["--db", str(db_path), "--operator", operator, *map(str, argv)], clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _json(result):
    code, out, err = result
    assert code == 0, err
    return json.loads(out)


def _trips(cli, day: str) -> None:
    """马晓东 (教育和体育局, filed by his unit's clerk) and 罗建军 (公安局, by the office) away on ``day``."""
    for who, name in (("jiaoyu", "马晓东"), ("li", "罗建军")):
        code, _, err = cli(who, "absence", "add", name, "--kind", "trip", "--from", day, "--to", day, "--dest", "北京")
        assert code == 0, err


def _unit_ids(store, unit: str) -> set[int]:
    return {p.id for p in people.list_people(store) if p.unit == unit}


def test_acting_shows_a_unit_clerk_his_units_heads_and_who_acts_for_them(cli, day):
    _trips(cli, day)
    office = _json(cli("li", "acting", day, "--json"))
    away = {e["person"] for e in office["away"]}
    assert {"马晓东", "罗建军"} <= away and len(away) > 2  # the demo's leaders are away that day too
    assert office["acting"] and {a["for"] for a in office["acting"]} - {"马晓东"}
    assert office["gaps"]
    ours = _json(cli("jiaoyu", "acting", day, "--json"))
    assert set(ours) == set(office)  # the same shape
    assert [e["person"] for e in ours["away"]] == ["马晓东"]
    assert {a["for"] for a in ours["acting"]} <= {"马晓东"}
    assert ours["gaps"] == [] and ours["warnings"] == []
    code, out, _ = cli("jiaoyu", "acting", day)
    assert code == 0 and "马晓东" in out and "罗建军" not in out and "王建国" not in out
    # a day his unit's heads are all in
    code, out, _ = cli("jiaoyu", "acting", "2026-12-15")  # the demo week is over by then
    assert code == 0 and "教育和体育局负责同志全部在岗" in out


def test_check_lists_only_the_findings_about_his_units_heads(cli, demo_store, day):
    _trips(cli, day)
    ours_ids = _unit_ids(demo_store, UNIT)
    office = _json(cli("li", "check", "--from", "2026-11-01", "--to", "2026-12-31", "--json"))
    named = {pid for f in office["findings"] for pid in _finding_people(demo_store, f)}
    assert named - ours_ids, "the demo's findings are about other people"
    ours = _json(cli("jiaoyu", "check", "--from", "2026-11-01", "--to", "2026-12-31", "--json"))
    assert set(ours) == set(office)
    assert all(_finding_people(demo_store, f) & ours_ids for f in ours["findings"])
    assert sum(ours["counts"].values()) == len(ours["findings"]) < len(office["findings"])
    code, out, _ = cli("jiaoyu", "check", "--from", "2026-11-01", "--to", "2026-12-31")
    assert code == 0 and "(教育和体育局负责同志)" in out


def _finding_people(store, finding: dict) -> set[int]:
    """Who a finding is about: its record's person, else the leaders its message names."""
    if finding.get("record_id"):
        from desktop.store.absences import get_absence

        return {get_absence(store, finding["record_id"]).person_id}
    return {p.id for p in people.list_people(store) if p.name in finding["message"]}


def test_a_finding_about_his_unit_reaches_him_and_not_another_unit(cli, demo_store, clock):
    # 马晓东's trip, approved, ended before today and never returned (销假): 逾期未销假
    added = _json(cli("jiaoyu", "absence", "add", "马晓东", "--kind", "trip", "--from", "2026-11-12", "--to",
                      "2026-11-16", "--dest", "北京", "--reported-at", "2026-11-05T09:00", "--json"))
    for by in (("--by", "张丽华"), (), ()):  # 分管领导同意, 报批, 签报: the office's steps
        code, _, err = cli("li", "absence", "advance", added["id"], *by)
        assert code == 0, err
    ours = _json(cli("jiaoyu", "check", "--from", "2026-11-01", "--to", "2026-11-30", "--json"))
    assert any("马晓东" in f["message"] for f in ours["findings"])
    theirs = _json(cli("fagai", "check", "--from", "2026-11-01", "--to", "2026-11-30", "--json"))
    assert not any("马晓东" in f["message"] for f in theirs["findings"])


def test_ab_list_has_only_pairs_with_his_units_people(cli, demo_store):
    office = _json(cli("li", "ab", "list", "--json"))
    assert len(office) == 3  # the demo's deputies
    assert _json(cli("jiaoyu", "ab", "list", "--json")) == []
    code, out, _ = cli("jiaoyu", "ab", "list")
    assert code == 0 and "教育和体育局的人员没有AB角" in out and "张丽华" not in out
    # the one cut: a pair with one of the unit's people in it is kept
    pairs = people.ab_pairs(demo_store)
    a, b = pairs[0]
    assert Scope("某局", frozenset({b.id})).ab_pairs(pairs) == [(a, b)]


def test_duty_list_has_only_the_plans_that_put_his_units_people_on_duty(cli, demo_store):
    office = _json(cli("li", "duty", "list", "2027", "--json"))
    assert office, "the demo plans the next holiday"
    assert _json(cli("jiaoyu", "duty", "list", "2027", "--json")) == []
    code, out, _ = cli("jiaoyu", "duty", "list", "2027")
    assert code == 0 and "没有教育和体育局的人员" in out and "dept-roster list 2027" in out
    # a unit one of whose people is on duty in a plan sees that plan, with its conflicts only
    plans = duty.plans(demo_store, 2027)
    on_duty = duty.load_plan(demo_store, plans[0].id).rows[0].person_id
    seen = Scope("某单位", frozenset({on_duty})).duty_plans(demo_store, plans)
    assert plans[0] in seen and all(any(r.person_id == on_duty for r in duty.load_plan(demo_store, p.id).rows)
                                    for p in seen)


def test_duty_replace_candidates_are_the_offices(cli):
    date = _json(cli("li", "duty", "list", "2027", "--json"))[0]["start"]
    code, out, _ = cli("li", "duty", "replace", date, "--json")
    assert code == 0 and json.loads(out)["candidates"]
    code, out, err = cli("jiaoyu", "duty", "replace", date)
    assert code == 2 and out == "" and "单位录入员(教育和体育局)不能查看市政府值班的替换人选" in err


def test_meetings_a_unit_clerk_sees_are_his_units_and_only_his_people_in_them(cli, demo_store, tmp_path):
    office = _json(cli("li", "meeting", "list", "--json"))
    assert len(office) == 1 and len(office[0]["members"]) == 9 and "何振华" in office[0]["attendees"]
    meeting_id = office[0]["id"]
    # 教育和体育局 takes no part in the demo's meeting
    assert _json(cli("jiaoyu", "meeting", "list", "--json")) == []
    code, out, _ = cli("jiaoyu", "meeting", "list")
    assert code == 0 and "没有教育和体育局人员参加的会议" in out
    for argv in (("show", meeting_id), ("quorum", meeting_id), ("minutes", meeting_id)):
        code, out, err = cli("jiaoyu", "meeting", *argv)
        assert code == 2 and out == "" and f"会议 #{meeting_id} 没有本单位(教育和体育局)人员参加" in err
    # 发展和改革委员会's head attends (列席): the meeting, with him alone in it
    listed = _json(cli("fagai", "meeting", "list", "--json"))
    assert [m["id"] for m in listed] == [meeting_id]
    assert set(listed[0]) == set(office[0])
    assert listed[0]["members"] == [] and listed[0]["attendees"] == ["何振华"]
    assert (listed[0]["present"], listed[0]["required"]) == (office[0]["present"], office[0]["required"])
    shown = _json(cli("fagai", "meeting", "show", meeting_id, "--json"))
    full = _json(cli("li", "meeting", "show", meeting_id, "--json"))
    assert set(shown) == set(full) and set(shown["quorum"]) == set(full["quorum"])
    assert full["leaves"] and full["likely_leave"] and full["quorum"]["rows"]
    assert shown["leaves"] == [] and shown["likely_leave"] == [] and shown["quorum"]["rows"] == []
    assert shown["topics"] == full["topics"] and shown["convener"] == full["convener"]
    code, out, _ = cli("fagai", "meeting", "show", meeting_id)
    assert code == 0 and "何振华" in out and "张丽华" not in out and "只列出发展和改革委员会的人员" in out
    quorum = _json(cli("fagai", "meeting", "quorum", meeting_id, "--json"))
    assert quorum["rows"] == [] and quorum["members"] == full["quorum"]["members"]
    # the sign-in sheet lists everyone: the office prints it
    target = tmp_path / "sheet.pdf"
    code, _, err = cli("fagai", "meeting", "print", meeting_id, "sheet", "-o", target)
    assert code == 2 and "不能打印会议签到表" in err and not target.exists()


def test_a_meeting_leave_of_his_head_shows_in_his_view(cli, demo_store, clock):
    """A leave request of the unit's head (filed by the office) is among what he sees of the meeting."""
    meeting_id = _json(cli("li", "meeting", "list", "--json"))[0]["id"]
    profile = ops.org.profile_of(demo_store)
    head = people.find_person(demo_store, "何振华")
    ops.meetings.request_leave(demo_store, profile, meeting_id, head.id, "同一时间赴省发改委汇报", "李副主任 副主任")
    shown = _json(cli("fagai", "meeting", "show", meeting_id, "--json"))
    assert [lv["person"] for lv in shown["leaves"]] == ["何振华"]
    assert len(_json(cli("li", "meeting", "show", meeting_id, "--json"))["leaves"]) > 1


def test_a_unit_clerk_demoted_elsewhere_sees_everything_at_the_next_command(cli, demo_store):
    assert _json(cli("jiaoyu", "ab", "list", "--json")) == []
    ops.operators.set_role(demo_store, "jiaoyu", "clerk")
    assert len(_json(cli("jiaoyu", "ab", "list", "--json"))) == 3


def test_the_scope_of_the_office_is_everything(cli, demo_store):
    scope = ops.scope.of(demo_store)  # signed in as 管理员 wang
    assert scope.everything and scope.sees(12345)
    everyone = people.list_people(demo_store)
    assert scope.people(everyone) == everyone
    scope.refuse("任何事")  # nothing to refuse
    with pytest.raises(PermissionDenied) as refused:
        Scope("某局", frozenset()).refuse("打印")
    assert "单位录入员(某局)不能打印,请由政府办公室办理" in str(refused.value)

