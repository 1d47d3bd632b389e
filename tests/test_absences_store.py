"""Absence records in the database: one transaction per change, overlaps refused, chains stored,
acting and checks over stored data (DESIGN.md "Travel reporting and leave")."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop import ops
from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.acting import Designation, Override
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.resources import profiles_dir
from desktop.store import absences, audit, people

pytestmark = pytest.mark.both_engines  # on a file and on a server database

D = dt.date
T = dt.datetime


@pytest.fixture
def profile():
    return load_profile(profiles_dir() / "panzhihua.toml")


@pytest.fixture
def gov(store):
    ids = {}
    for name, role, extra in [
        ("王市长", Role.chief, {}), ("李常务", Role.executive_deputy, {}),
        ("张副", Role.deputy, {"portfolio": ("教育局",)}), ("周副", Role.deputy, {}), ("陈副", Role.deputy, {}),
        ("马局长", Role.dept_head, {"unit": "教育局"}),
    ]:
        ids[name] = ops.people.add_person(store, PersonDraft(name=name, role=role, **extra)).value.id
    ops.people.set_ab(store, people.get_person(store, ids["张副"]), people.get_person(store, ids["周副"]))
    return ids


REPORTED = T(2026, 11, 20, 9)


def trip(pid, start, end, reported=REPORTED, **kw):
    return Absence(id=None, person_id=pid, kind=kw.pop("kind", AbsenceKind.trip), start=start, end=end,
                   destination=kw.pop("destination", "北京"), leaves_jurisdiction=True, reported_at=reported, **kw)


def test_add_stores_record_steps_and_audit(store, gov, profile):
    saved = ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 26), D(2026, 11, 28))).value
    assert saved.record.id and saved.record.state is AbsenceState.in_progress
    steps = absences.steps_of(store, saved.record.id)
    assert [s.action.value for s in steps] == ["report", "file"]
    assert steps[0].assignee_name == "王市长"
    assert saved.findings == []  # reported 6 days ahead
    assert audit.history(store, "absence", saved.record.id)[0].action == "add"
    assert absences.get_absence(store, saved.record.id) == saved.record


def test_overlapping_record_is_refused_naming_the_other(store, gov, profile):
    first = ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 26), D(2026, 11, 28))).value.record
    with pytest.raises(UserError, match=f"编号 {first.id}"):
        ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 28), D(2026, 11, 30), destination="上海"))
    # a half day that does not overlap is fine: afternoon start after a morning end
    ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 29), D(2026, 11, 29), end_half=Half.am))
    ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 29), D(2026, 11, 30), start_half=Half.pm))
    assert store.conn.execute("SELECT COUNT(*) FROM absence").fetchone()[0] == 3


def test_late_report_is_found_and_kept(store, gov, profile):
    """000 art.84: 副市长离攀外出应提前1天报告; reported the morning it starts is late."""
    saved = ops.absences.add_absence(store, profile, trip(gov["周副"], D(2026, 11, 26), D(2026, 11, 26),
                                                      reported=T(2026, 11, 26, 8))).value
    assert [f.kind for f in saved.findings] == ["late_report"] and saved.findings[0].article == "000 art.84"
    assert [f.kind for f in ops.absences.check(store, profile, D(2026, 11, 1), D(2026, 11, 30))] == ["late_report"]


def test_advance_to_approved_then_return_early(store, gov, profile):
    rid = ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 23), D(2026, 11, 27))).value.record.id
    with pytest.raises(UserError):
        ops.absences.advance_absence(store, rid, "周副")  # not the mayor's substitute
    record, outcome = ops.absences.advance_absence(store, rid, "王市长").value
    assert outcome == "step_done" and record.state is AbsenceState.in_progress
    record, outcome = ops.absences.advance_absence(store, rid, "办公室 小杨").value
    assert outcome == "approved" and record.state is AbsenceState.approved
    store.clock.moment = T(2026, 11, 25, 18)
    back = ops.absences.return_absence(store, rid, D(2026, 11, 25)).value
    assert back.state is AbsenceState.returned and back.actual_return == D(2026, 11, 25)
    assert ops.absences.acting_on(store, profile, D(2026, 11, 26)).away == ()


def test_reject_needs_a_reason(store, gov, profile):
    rid = ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 23), D(2026, 11, 24))).value.record.id
    with pytest.raises(UserError):
        ops.absences.advance_absence(store, rid, "王市长", reject=True)
    record, outcome = ops.absences.advance_absence(store, rid, "王市长", reject=True, comment="会议冲突").value
    assert outcome == "rejected" and record.state is AbsenceState.rejected
    # a rejected record no longer blocks the dates
    ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 23), D(2026, 11, 24)))


def test_ab_gap_until_designated(store, gov, profile):
    """000 art.61: 互为AB角的领导同时外出时,由市政府办公室协调其他市政府领导代行."""
    ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 26), D(2026, 11, 28)))
    ops.absences.add_absence(store, profile, trip(gov["周副"], D(2026, 11, 27), D(2026, 11, 27), destination="成都"))
    report = ops.absences.acting_on(store, profile, D(2026, 11, 27))
    assert len(report.gaps) == 1 and [p.name for p in report.gaps[0].suggestions][:1] == ["李常务"]
    assert any(f.kind == "acting_gap" for f in ops.absences.check(store, profile, D(2026, 11, 27), D(2026, 11, 27)))
    ops.absences.designate(store, Designation(date_from=D(2026, 11, 27), date_to=D(2026, 11, 27),
                                          absent_ids=frozenset({gov["张副"], gov["周副"]}), designee_id=gov["陈副"],
                                          reason="办公室协调"))
    report = ops.absences.acting_on(store, profile, D(2026, 11, 27))
    assert report.gaps == () and {e.actor.name for e in report.acting} == {"陈副"}
    with pytest.raises(UserError, match="不能是外出者本人"):
        ops.absences.designate(store, Designation(date_from=D(2026, 11, 27), date_to=D(2026, 11, 27),
                                              absent_ids=frozenset({gov["张副"]}), designee_id=gov["张副"]))
    with pytest.raises(UserError, match="也外出"):
        ops.absences.designate(store, Designation(date_from=D(2026, 11, 27), date_to=D(2026, 11, 27),
                                              absent_ids=frozenset({gov["张副"]}), designee_id=gov["周副"]))


def test_chief_and_executive_deputy_together_needs_a_reason(store, gov, profile):
    """000 art.84: 市长与负责常务工作的副市长一般不同时外出 (a warning, overridable with a reason)."""
    ops.absences.add_absence(store, profile, trip(gov["王市长"], D(2026, 12, 2), D(2026, 12, 3)))
    ops.absences.add_absence(store, profile, trip(gov["李常务"], D(2026, 12, 3), D(2026, 12, 4)))
    warn = [w for w in ops.absences.acting_on(store, profile, D(2026, 12, 3)).warnings if w.kind == "not_together"]
    assert warn and not warn[0].overridden
    ops.absences.override(store, Override(roles=frozenset({Role.chief, Role.executive_deputy}), date_from=D(2026, 12, 3),
                                      date_to=D(2026, 12, 3), reason="省政府会议要求二人同时参加"))
    warn = [w for w in ops.absences.acting_on(store, profile, D(2026, 12, 3)).warnings if w.kind == "not_together"]
    assert warn[0].overridden and warn[0].reason == "省政府会议要求二人同时参加"


def test_range_query_uses_the_span_bound(store, gov, profile):
    ops.absences.add_absence(store, profile, trip(gov["陈副"], D(2026, 9, 1), D(2026, 11, 30), kind=AbsenceKind.study,
                                              destination="省委党校"))
    ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 2), D(2026, 11, 3)))
    assert absences.max_span(store) == 90
    found = absences.absences_between(store, D(2026, 11, 20), D(2026, 11, 22))
    assert [r.destination for r in found] == ["省委党校"]


def test_pending_summary(store, gov, profile):
    for day in (23, 24):
        ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 12, day), D(2026, 12, day)))
    assert [w.row for w in ops.absences.pending(store, profile)] == [("市长", "报告", 2)]


def test_a_draft_is_submitted_later_with_its_chain(store, gov, profile):
    draft = ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 12, 7), D(2026, 12, 8)), submit=False).value.record
    assert draft.state is AbsenceState.draft and absences.steps_of(store, draft.id) == []
    saved = ops.absences.submit_draft(store, profile, draft.id).value
    assert saved.record.state is AbsenceState.in_progress
    assert [s.action.value for s in absences.steps_of(store, draft.id)] == ["report", "file"]
    with pytest.raises(UserError, match="不是草稿"):
        ops.absences.submit_draft(store, profile, draft.id)


def test_extension_keeps_the_first_plan_and_refuses_an_overlap(store, gov, profile):
    rid = ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 23), D(2026, 11, 24))).value.record.id
    ops.absences.advance_absence(store, rid, "王市长")
    ops.absences.advance_absence(store, rid, "办公室")
    ops.absences.add_absence(store, profile, trip(gov["张副"], D(2026, 11, 27), D(2026, 11, 27), destination="上海"))
    with pytest.raises(UserError, match="重叠"):
        ops.absences.extend_absence(store, rid, D(2026, 11, 27))
    saved = ops.absences.extend_absence(store, rid, D(2026, 11, 25), reason="会议延长一天").value
    assert (saved.end, saved.original_end) == (D(2026, 11, 25), D(2026, 11, 24))
    assert audit.history(store, "absence", rid)[0].action == "extend"
    assert "延期" in audit.history(store, "absence", rid)[0].summary
