"""The absence form and 今日在岗 under rules beyond the five (issue 14 "Beyond the five").

tests/profiles/delegate.toml, T02 第六条: 县长外出期间,由常务副县长或县长授权委托的其他副县长主持县政府工作.
The form shows 受委托代行人 (the people of the allowed roles) instead of 代行人 only where the rule lets the
leader name a delegate; the board names the delegate and how (县长授权委托).
tests/profiles/succession.toml, T01 第九条: 常务副县长也外出的,由副县长按排名顺次递补.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.clock import FixedClock
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.store import people
from desktop.store.opening import open_store
from desktop.ui.absence_form import AbsenceForm
from desktop.ui.today_page import TodayPage

HERE = Path(__file__).parent / "profiles"
SHIPPED = Path(__file__).parents[1] / "resources" / "profiles"
NOW = dt.datetime(2026, 11, 23, 9, 0)  # Monday
TODAY = NOW.date()
COUNTY = [("刘县长", Role.chief, "县长"), ("陈常务", Role.executive_deputy, "常务副县长"),
          ("赵副", Role.deputy, "副县长"), ("钱副", Role.deputy, "副县长"),
          ("王主任", Role.secretary_general, "县政府办公室主任")]  # fmt: skip


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def own_profiles(tmp_path, monkeypatch):
    import desktop.resources

    root = tmp_path / "resources"
    shutil.copytree(SHIPPED, root / "profiles")
    for f in HERE.glob("*.toml"):
        shutil.copy(f, root / "profiles" / f.name)
    monkeypatch.setattr(desktop.resources, "resources_root", lambda: root)


def _session(qapp, tmp_path, clock, profile_id: str):
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    store = open_store(tmp_path / "county.db", clock, operator="秘书")
    ops.org.init_org(store, profile_id, "县政府办公室", (profile_id,))
    for name, role, title in COUNTY:
        ops.people.add_person(store, PersonDraft(name=name, role=role, title=title, phone="13900000000"))
    return Session(store)


@pytest.fixture
def delegate_session(qapp, tmp_path, clock, own_profiles):
    session = _session(qapp, tmp_path, clock, "delegate")
    yield session
    session.store.close()


def _pid(session, name: str) -> int:
    return people.find_person(session.store, name).id


def _fill(form, session, name: str, kind=AbsenceKind.trip) -> None:
    form.person.setCurrentIndex(form.person.findData(_pid(session, name)))
    form.kind.setCurrentIndex(form.kind.findData(kind.value))
    form.destination.setText("北京")
    form.refresh_now()


def test_表单_县长外出可选受委托代行人_副县长外出不显示(qtbot, delegate_session):
    form = AbsenceForm(delegate_session)
    qtbot.addWidget(form)
    _fill(form, delegate_session, "刘县长")
    assert form._form.isRowVisible(form.delegate) and not form._form.isRowVisible(form.acting)
    choices = [form.delegate.itemText(i) for i in range(form.delegate.count())]
    assert choices == ["不委托(按规则由常务副县长代行)", "陈常务(常务副县长)", "赵副(副县长)", "钱副(副县长)"]
    assert form.acting_lines[0].text.startswith("常务副县长 陈常务:代行县长职责")
    form.delegate.setCurrentIndex(form.delegate.findData(_pid(delegate_session, "钱副")))
    form.refresh_now()
    assert form.draft().acting_ids == (_pid(delegate_session, "钱副"),)
    assert form.acting_lines[0].text == "副县长 钱副:县长授权委托,受县长委托,主持县政府工作〔第六条〕"
    _fill(form, delegate_session, "赵副")
    assert not form._form.isRowVisible(form.delegate) and form._form.isRowVisible(form.acting)
    assert form.draft().acting_ids == ()


def test_表单_受委托人外出时不能保存并说明原因(qtbot, delegate_session):
    store = delegate_session.store
    ops.absences.add_absence(store, delegate_session.profile, Absence(
        id=None, person_id=_pid(delegate_session, "钱副"), kind=AbsenceKind.trip, start=TODAY, end=TODAY,
        destination="郑州", leaves_jurisdiction=True))
    form = AbsenceForm(delegate_session)
    qtbot.addWidget(form)
    _fill(form, delegate_session, "刘县长")
    form.delegate.setCurrentIndex(form.delegate.findData(_pid(delegate_session, "钱副")))
    assert not form.refresh_now()
    assert "钱副在 2026年11月23日 也外出(出差),不能受委托代行" in form.problem.text()
    assert not form.save_button.isEnabled()


def test_今日在岗_写明受委托代行(qtbot, delegate_session):
    store = delegate_session.store
    ops.absences.add_absence(store, delegate_session.profile, Absence(
        id=None, person_id=_pid(delegate_session, "刘县长"), kind=AbsenceKind.trip, start=TODAY, end=TODAY,
        destination="北京", leaves_jurisdiction=True, acting_ids=(_pid(delegate_session, "钱副"),)))
    page = TodayPage(delegate_session)
    qtbot.addWidget(page)
    page.refresh()
    t = page.table
    rows = {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, t.columnCount())] for r in range(t.rowCount())}
    assert rows["刘县长"][2] == "钱副(县长授权委托)"
    assert rows["钱副"][1] == "在岗 · 代行刘县长的职责"


def test_今日在岗_按顺次递补(qtbot, qapp, tmp_path, clock, own_profiles):
    session = _session(qapp, tmp_path, clock, "succession")
    try:
        for name in ("刘县长", "陈常务"):
            ops.absences.add_absence(session.store, session.profile, Absence(
                id=None, person_id=_pid(session, name), kind=AbsenceKind.trip, start=TODAY, end=TODAY,
                destination="北京", leaves_jurisdiction=True))
        page = TodayPage(session)
        qtbot.addWidget(page)
        page.refresh()
        t = page.table
        row = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == "刘县长")
        assert t.item(row, 3).text() == "赵副(按顺次递补代行县长职责)"
    finally:
        session.store.close()
