"""两位秘书同时处理同一个会议:每个检查规则的会议操作,两个写入者在同一瞬间开始(barrier),
恰好一个成功,另一个得到中文的说明,什么也不丢。

The meeting operations of desktop.ops.meetings raced as tests/test_races.py races the absence
ones (tests/race.py): one request decided twice (准假 against 不准假), one meeting saved twice
over the same version, a request against deleting its meeting, and two requests of one person
for one meeting. Each race runs `rounds` (tests/conftest.py) times on one database file.
"""

from __future__ import annotations

import datetime as dt

import pytest
from race import one_wins, race

from desktop import ops
from desktop.core import meetings as mt
from desktop.core.changes import ConcurrentEdit
from desktop.core.errors import NotFound, UserError
from desktop.core.meetings import LeaveState, Meeting
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import Role
from desktop.resources import profiles_dir
from desktop.store import audit, people
from desktop.store import meetings as rows

pytestmark = pytest.mark.both_engines  # each race on a file and on a server database

PANZHIHUA = load_profile(profiles_dir() / "panzhihua.toml")
FIRST = dt.datetime(2027, 1, 4, 9, 0)


@pytest.fixture
def gov(store):
    ids = {}
    for name, role in (("王市长", Role.chief), ("李常务", Role.executive_deputy), ("张副", Role.deputy),
                       ("周副", Role.deputy), ("刘副", Role.deputy), ("吴秘书长", Role.secretary_general)):
        ids[name] = ops.people.add_person(store, PersonDraft(name=name, role=role)).value.id
    return ids


def executive(store, i: int = 0) -> Meeting:
    """A 常务会议 with the profile's members, on a day of its own (round `i`)."""
    everyone = people.list_people(store)
    draft = Meeting(id=None, type_id="executive", title="", starts_at=FIRST + dt.timedelta(days=i),
                    convener_id=mt.default_convener(PANZHIHUA, "executive", everyone).id,
                    member_ids=tuple(p.id for p in mt.default_members(PANZHIHUA, "executive", everyone)))
    return ops.meetings.add_meeting(store, PANZHIHUA, draft).value


def decisions(store, leave_id: int) -> list[str]:
    return [r.action for r in audit.history(store, "meeting_leave", leave_id) if r.action in ("approve", "reject")]


@pytest.mark.parametrize("seen", [False, True], ids=["cli", "page"])
def test_one_request_is_decided_once_when_two_secretaries_decide_it(store, gov, db_path, clock, seen, rounds):
    """准假 and 不准假 of one request at the same instant: one decision stands, the other is refused
    (the command line: 不是待批状态; the page, which passes the request it showed: ConcurrentEdit)."""
    for i in range(rounds if not seen else rounds // 2):
        m = executive(store, i)
        lv = ops.meetings.request_leave(store, PANZHIHUA, m.id, gov["张副"], "赴省开会").value
        shown = lv if seen else None
        winner, loser = one_wins(race(db_path, clock,
                                      lambda s, x=lv.id, v=shown: ops.meetings.decide_leave(s, x, "王市长", True, seen=v),
                                      lambda s, x=lv.id, v=shown: ops.meetings.decide_leave(s, x, "王市长", False,
                                                                                            "须参加", seen=v)),
                                 ConcurrentEdit if seen else UserError)
        if seen:
            assert loser.error.entity == "meeting_leave" and "您的修改没有保存" in str(loser.error)
        else:
            assert "不是待批状态" in str(loser.error)
        now = rows.get_leave(store, lv.id)
        assert now.state is winner.value.value.state and now.state in (LeaveState.approved, LeaveState.rejected)
        assert now.version == lv.version + 1  # the decision raised the request's version
        assert len(decisions(store, lv.id)) == 1  # one audit row: one decision


def test_two_saves_of_one_meeting_over_the_same_version_one_wins(store, gov, db_path, clock, rounds):
    m = executive(store)
    for i in range(rounds):
        had = rows.get_meeting(store, m.id)
        first = Meeting(**{**had.__dict__, "title": f"市政府第{i}次常务会议", "place": "第一会议室"})
        second = Meeting(**{**had.__dict__, "title": f"市政府第{i}次常务会议(改)", "place": "第二会议室"})
        winner, loser = one_wins(race(db_path, clock,
                                      lambda s, d=first, v=had.version: ops.meetings.update_meeting(s, PANZHIHUA, d, v),
                                      lambda s, d=second, v=had.version: ops.meetings.update_meeting(s, PANZHIHUA, d, v)),
                                 ConcurrentEdit)
        assert loser.error.entity == "meeting" and "您的修改没有保存" in str(loser.error)
        now = rows.get_meeting(store, m.id)
        assert now.version == had.version + 1
        assert (now.title, now.place) == (winner.value.value.title, winner.value.value.place)
    assert len(audit.history(store, "meeting", m.id, 1000)) == rounds + 1  # the add and one save a round


def test_a_request_against_deleting_its_meeting_never_leaves_half_a_record(store, gov, db_path, clock, rounds):
    """Deleted first: the request is refused (找不到会议). Requested first: the delete takes the
    request with it and its audit row keeps a copy. Never a request of a meeting that is gone."""
    for i in range(rounds):
        m = executive(store, i)
        requested, deleted = race(db_path, clock,
                                  lambda s, x=m.id: ops.meetings.request_leave(s, PANZHIHUA, x, gov["周副"], "陪同考察"),
                                  lambda s, x=m.id, v=m.version: ops.meetings.delete_meeting(s, x, v))
        for o in (requested, deleted):
            if o.error is not None and not isinstance(o.error, UserError):
                raise o.error
        assert deleted.won
        if requested.won:
            row = next(r for r in audit.history(store, "meeting", m.id) if r.action == "delete")  # the newest
            assert "陪同考察" in row.before  # the request went with the meeting, on the record
        else:
            assert isinstance(requested.error, NotFound) and "找不到编号为" in str(requested.error)
        assert rows.leaves_of(store, m.id) == []
    assert store.conn.execute("SELECT COUNT(*) FROM meeting_leave").fetchone()[0] == 0


def test_two_requests_of_one_person_for_one_meeting_one_is_saved(store, gov, db_path, clock, rounds):
    """A person has at most one standing request per meeting: two saved at once, one is refused."""
    m = executive(store)
    for _ in range(rounds):
        winner, loser = one_wins(race(db_path, clock,
                                      lambda s: ops.meetings.request_leave(s, PANZHIHUA, m.id, gov["刘副"], "赴省开会"),
                                      lambda s: ops.meetings.request_leave(s, PANZHIHUA, m.id, gov["刘副"], "带队招商")),
                                 UserError)
        assert "不能重复登记" in str(loser.error)
        standing = [lv for lv in rows.leaves_of(store, m.id) if lv.state in mt.OPEN_LEAVE]
        assert [lv.id for lv in standing] == [winner.value.value.id]
        ops.meetings.withdraw_leave(store, winner.value.value.id, "改期")  # the next round starts clean
    assert len(rows.leaves_of(store, m.id)) == rounds
