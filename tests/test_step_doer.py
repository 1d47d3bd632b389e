"""Who does a step (issue 13/14): chosen from the people who may do it — the leader acting for an away
approver first — and, for an office step, the signed-in operator (the office itself when sign-in is
off): never the computer's login name, in the dialog, the CLI's ``--by`` default and the forms."""

from __future__ import annotations

import json

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.profile import load_profile
from desktop.export.absence_html import approval_form_html
from desktop.resources import profiles_dir
from desktop.store import absences, people
from desktop.store.opening import open_store
from desktop.store.org import get_org

XIPING = load_profile(profiles_dir() / "xiping.toml")


@pytest.fixture
def login_root(monkeypatch):
    """The computer's login name is “root” (a bare container): it must reach no form."""
    monkeypatch.setattr("desktop.store.db.getpass.getuser", lambda: "root")


@pytest.fixture
def cli(db_path, clock, capsys, login_root):
    def run(*argv):
        code = main(["--json", *argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else None), err

    assert run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")[0] == 0
    for name, role, title in (("刘县长", "chief", "县长"), ("陈常务", "executive_deputy", "常务副县长"),
                              ("王主任", "office_director", "县政府办公室主任"), ("李镇长", "township_head", "出山镇镇长")):
        assert run("people", "add", name, "--role", role, "--title", title)[0] == 0
    return run


def test_cli_office_step_defaults_to_the_office_and_a_leader_step_needs_by(cli, db_path, clock):
    # 002 art.55: 乡镇主要负责人离县请假 — 县政府办公室汇总 → 办公室主任签报县长 → 县长同意 → 按程序报备
    code, added, err = cli("absence", "add", "李镇长", "--kind", "personal", "--from", "2026-11-30",
                           "--to", "2026-12-01", "--dest", "郑州", "--leaves")
    assert code == 0, err
    rid = added["id"]
    code, done, err = cli("absence", "advance", str(rid))  # the office's summary: no --by needed
    assert code == 0, err
    assert done["steps"][0]["done_by"] == "西平县人民政府办公室"
    code, _out, err = cli("absence", "advance", str(rid))  # 办公室主任签报: a leader must be named
    assert code != 0 and "请用 --by 写明实际签批人(可由 王主任 办理)" in err and "没有修改任何数据" in err
    assert cli("absence", "advance", str(rid), "--by", "王主任")[0] == 0
    store = open_store(db_path, clock)
    try:
        assert store.operator == "root"  # what the login name would have been
        steps = absences.steps_of(store, rid)
        assert [s.done_by for s in steps[:2]] == ["西平县人民政府办公室", "王主任"]
        record = absences.get_absence(store, rid)
        html = approval_form_html(record, people.get_person(store, record.person_id), steps, XIPING,
                                  get_org(store).name)
        assert "root" not in html and "西平县人民政府办公室" in html
    finally:
        store.close()


def test_a_signed_in_operator_does_the_office_steps(demo_store):
    from desktop.core.access import OperatorRole

    store = demo_store
    ops.operators.add_operator(store, "xiaoli", "correct-horse-1", OperatorRole.admin, "小李秘书")
    store.operator, store.role = "xiaoli", OperatorRole.admin.value
    assert ops.absences.office_actor(store) == "小李秘书"
    store.operator, store.role = "root", None
    assert ops.absences.office_actor(store) == get_org(store).name


def test_the_step_dialog_lists_who_may_do_it_and_defaults_office_steps_to_the_operator(qtbot, session, login_root):
    from desktop.core.absence import Absence
    from desktop.core.roles import AbsenceKind
    from desktop.ui.absences_page import StepDialog
    from tests.test_undo import D

    store = session.store
    store.operator = "root"  # sign-in off: the login name
    # 000 art.84: a deputy's trip out of the city is reported to the 市长 (a person step) …
    draft = Absence(id=None, person_id=people.find_person(store, "张丽华").id, kind=AbsenceKind.trip,
                    start=D(2026, 11, 25), end=D(2026, 11, 26), destination="成都", leaves_jurisdiction=True)
    rid = ops.absences.add_absence(store, session.profile, draft).value.record.id
    steps = ops.absences.steps_today(store, session.profile, rid)
    dialog = StepDialog("x", steps, ops.absences.step_doers(store, steps), reject=False)
    qtbot.addWidget(dialog)
    names = [dialog.who.itemText(i) for i in range(dialog.who.count())]
    assert names == ["王建国"] and not dialog.who.isEditable()  # 报告市长: the 市长 himself
    # … and the office's own steps default to the office (sign-in off), editable for a clerk's name
    while True:
        steps = ops.absences.steps_today(store, session.profile, rid)
        pending = [s for s in steps if s.state.value == "pending"]
        if not pending or not pending[0].is_person_step:
            break
        ops.absences.advance_absence(store, rid, pending[0].may_be_done_by[0], profile=session.profile)
    assert pending and pending[0].action.value == "file"  # 向市政府办公室报备
    if pending:
        office = StepDialog("x", steps, ops.absences.step_doers(store, steps), reject=False)
        qtbot.addWidget(office)
        assert office.who.isEditable() and office.who.currentText() == get_org(store).name
