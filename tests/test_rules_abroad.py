"""出国(境)有自己的流程(issue 14 "Trips abroad have their own chains").

Articles (../shared/seeds, see seeds/README.md):

* 001 日照 art.50(四) — 领导干部出国(境)预批件,按程序分别报分管部门工作的副市长和分管外事工作的副市长审核,
  经市长审批并报市委同意后,正式报批件由分管外事工作的副市长签发;
* 004 伍家岗 art.56(四) — 各街乡、各部门主要负责同志出国审批公文,由区长签发;art.6 区长外出由常务副区长主持;
* 000 攀枝花 art.59 — 回国后按规定提交出访报告;art.84 副市长离攀外出提前1天报告.

The approver who leaves after the filing (DESIGN.md "Acting and substitution") is tested here for
日照 and 伍家岗, whose only approval steps are these; 西平, 攀枝花 and 吐鲁番 in
tests/test_approvals_on_the_day.py. Dates are relative to the injected clock of `Gov`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_approvals_on_the_day import FILED, LEFT, Gov

from desktop import ops
from desktop.core import checks
from desktop.core.absence import Absence, AbsenceState
from desktop.core.errors import UserError
from desktop.core.people import PersonDraft
from desktop.core.profile import StepAction
from desktop.core.roles import AbsenceKind, Role
from desktop.store import absences as rows

ABROAD_FROM, ABROAD_TO = dt.date(2026, 11, 30), dt.date(2026, 12, 5)


def _add_people(gov: Gov, staff: list[tuple[str, Role, str, tuple[str, ...], str]]) -> None:
    for name, role, title, portfolio, unit in staff:
        ops.people.add_person(gov.store, PersonDraft(name=name, role=role, title=title, portfolio=portfolio,
                                                     unit=unit))


def _abroad(gov: Gov, name: str, start: dt.date = ABROAD_FROM, end: dt.date = ABROAD_TO) -> Absence:
    draft = Absence(id=None, person_id=gov.id(name), kind=AbsenceKind.abroad, start=start, end=end,
                    destination="日本东京", leaves_jurisdiction=True)
    return ops.absences.add_absence(gov.store, gov.profile, draft).value.record


@pytest.fixture
def rizhao(tmp_path):
    gov = Gov(tmp_path, "rizhao", [])
    _add_people(gov, [("王市长", Role.chief, "市长", (), ""), ("李常务", Role.executive_deputy, "常务副市长", (), ""),
                      ("张副", Role.deputy, "副市长", ("市教育局",), ""),
                      ("周副", Role.deputy, "副市长", ("市外事办",), ""),
                      ("马局长", Role.dept_head, "市教育局局长", (), "市教育局")])  # fmt: skip
    yield gov
    gov.store.close()


def test_001第50条_领导干部出国预批件_分管副市长和分管外事副市长审核_市长审批_报市委_外事副市长签发(rizhao):
    record = _abroad(rizhao, "马局长")
    steps = rows.steps_of(rizhao.store, record.id)
    assert [(s.stage, s.action, s.target_text) for s in steps] == [
        (1, StepAction.approve, "分管领导 张副"),
        (1, StepAction.approve, "分管外事工作的副市长 周副"),
        (2, StepAction.approve, "市长"),
        (3, StepAction.approve, "市委"),
        (4, StepAction.sign, "分管外事工作的副市长 周副"),
    ]
    for who in ("张副", "周副", "王市长", "秘书"):
        ops.absences.advance_absence(rizhao.store, record.id, who)
    _, outcome = ops.absences.advance_absence(rizhao.store, record.id, "周副").value
    assert outcome == "approved"


def test_001第50条_没有人分管外事时_说明要在人员页设置(tmp_path):
    gov = Gov(tmp_path, "rizhao", [])
    try:
        _add_people(gov, [("王市长", Role.chief, "市长", (), ""), ("张副", Role.deputy, "副市长", ("市教育局",), ""),
                          ("马局长", Role.dept_head, "局长", (), "市教育局")])  # fmt: skip
        with pytest.raises(UserError, match=r"没有人分管“外事”.*人员页"):
            _abroad(gov, "马局长")
    finally:
        gov.store.close()


def test_001第50条_第6条_市长报送后出差_市长审批一步由常务副市长补位办理(rizhao):
    """The mayor leaves after the filing: 001 art.6 补位 (the executive deputy), the step shows and is done
    as 李常务(代市长); the mayor may still sign."""
    gov = rizhao
    record = _abroad(gov, "马局长", dt.date(2026, 12, 7), dt.date(2026, 12, 12))
    ops.absences.advance_absence(gov.store, record.id, "张副")
    ops.absences.advance_absence(gov.store, record.id, "周副")
    assert ("市长", "批准", 1) in gov.waiting()
    gov.clock.go(LEFT)
    gov.add("王市长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=2))
    assert ("常务副市长 李常务(代市长)", "批准", 1) in gov.waiting()
    shown = ops.absences.steps_today(gov.store, gov.profile, record.id)[2]
    assert shown.may_be_done_by == ("李常务", "王市长")
    ops.absences.advance_absence(gov.store, record.id, "李常务")
    assert rows.steps_of(gov.store, record.id)[2].done_by == "李常务(代市长)"


@pytest.fixture
def wujiagang(tmp_path):
    gov = Gov(tmp_path, "wujiagang", [("王区长", Role.chief, "区长"), ("李常务", Role.executive_deputy, "常务副区长"),
                                      ("马局长", Role.dept_head, "区教育局局长"), ("赵主任", Role.township_head, "大公桥街道办事处主任")])  # fmt: skip
    yield gov
    gov.store.close()


@pytest.mark.parametrize("name", ["马局长", "赵主任"])
def test_004第56条_第6条_街乡部门负责同志出国由区长签发_区长报送后离市_常务副区长代签(wujiagang, name):
    gov = wujiagang
    record = _abroad(gov, name, dt.date(2026, 12, 7), dt.date(2026, 12, 12))
    steps = rows.steps_of(gov.store, record.id)
    assert [(s.action, s.target_text, s.label) for s in steps] == [(StepAction.approve, "区长", "出国审批公文由区长签发")]
    gov.clock.go(LEFT)
    gov.add("王区长", AbsenceKind.trip, LEFT, LEFT + dt.timedelta(days=2))
    assert ("常务副区长 李常务(代区长)", "批准", 1) in gov.waiting()
    with pytest.raises(UserError, match="当前这一步"):
        ops.absences.advance_absence(gov.store, record.id, "秘书")
    _, outcome = ops.absences.advance_absence(gov.store, record.id, "李常务").value
    assert outcome == "approved"
    assert rows.steps_of(gov.store, record.id)[0].done_by == "李常务(代区长)"


@pytest.fixture
def panzhihua(tmp_path):
    gov = Gov(tmp_path, "panzhihua", [("王市长", Role.chief, "市长"), ("李常务", Role.executive_deputy, "常务副市长"),
                                      ("张副", Role.deputy, "副市长")])  # fmt: skip
    yield gov
    gov.store.close()


def test_000第59条_回国后提交出访报告_像期限一样跟踪_不妨碍销假(panzhihua):
    gov = panzhihua
    record = _abroad(gov, "张副")
    steps = rows.steps_of(gov.store, record.id)
    assert [(s.action, s.label) for s in steps] == [
        (StepAction.report, "报告市长或常务副市长"),
        (StepAction.file, "外出活动安排及代行职责的领导向市政府办公室备案"),
        (StepAction.file, "回国后按规定提交出访报告"),
    ]
    ops.absences.advance_absence(gov.store, record.id, "王市长")
    ops.absences.advance_absence(gov.store, record.id, "秘书")
    gov.clock.go(ABROAD_TO + dt.timedelta(days=1))
    back = ops.absences.return_absence(gov.store, record.id, ABROAD_TO).value
    assert back.state is AbsenceState.returned  # the report is due after the return, it never holds it back
    gov.clock.go(ABROAD_TO + dt.timedelta(days=3))
    found = [f for f in ops.absences.check(gov.store, gov.profile, ABROAD_FROM, ABROAD_TO)
             if f.kind == checks.AFTER_RETURN_PENDING]
    assert len(found) == 1 and found[0].article == "000 art.59" and "回国后按规定提交出访报告" in found[0].message
    assert found[0].record_id == record.id and found[0].severity == "warning"
    ops.absences.advance_absence(gov.store, record.id, "秘书")
    assert not [f for f in ops.absences.check(gov.store, gov.profile, ABROAD_FROM, ABROAD_TO)
                if f.kind == checks.AFTER_RETURN_PENDING]


def test_000第59条_出访期间还不催出访报告(panzhihua):
    gov = panzhihua
    _abroad(gov, "张副")
    gov.clock.go(ABROAD_TO)
    assert not [f for f in ops.absences.check(gov.store, gov.profile, ABROAD_FROM, ABROAD_TO)
                if f.kind == checks.AFTER_RETURN_PENDING]
    assert FILED.date() < ABROAD_FROM
