"""What a secretary reads (issue 14): a record nobody approves is 报备中 / 已备案, never 审批中 / 已批准, and
its 通报 never says 经…同意.

* 004 伍家岗 art.69 — 副区长离市出差或休假,应事先报告区长,由区政府办公室通报……并向区委办公室报备 (report,
  notify, file: nothing to approve);
* 000 攀枝花 art.84 — 副市长、秘书长离攀外出,应提前1天报告市长或负责常务工作的副市长 (a report);
  副市长、秘书长因私离岗须向市长请假 (an approval: 已批准, 经市长同意).
"""

from __future__ import annotations

import datetime as dt
import json

from desktop.cli import main
from desktop.core.chain import outcome_label, state_label
from desktop.core.clock import FixedClock

NOW = dt.datetime(2026, 11, 23, 9, 0)
START, END = "2026-11-30", "2026-12-02"


def _gov(tmp_path, capsys, profile_id: str, people: list[tuple[str, str]]):
    db = str(tmp_path / f"{profile_id}.db")

    def run(*argv: str):
        code = main(["--db", db, *argv], FixedClock(NOW))
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out) if "--json" in argv else out

    run("init", "--profile", profile_id, "--org", "办公室")
    for name, role in people:
        run("people", "add", name, "--role", role)
    return run


def test_004第69条_只有报告通报报备的记录_是报备中和已备案(tmp_path, capsys):
    run = _gov(tmp_path, capsys, "wujiagang", [("王区长", "chief"), ("李常务", "executive_deputy"), ("张副", "deputy")])
    added = run("absence", "add", "张副", "--kind", "trip", "--from", START, "--to", END, "--dest", "北京", "--json")
    rid = str(added["id"])
    assert added["state"] == "in_progress" and added["state_label"] == "报备中"
    assert "报备中" in run("absence", "list") and "审批中" not in run("absence", "list")
    run("absence", "advance", rid, "--by", "王区长")
    run("absence", "advance", rid, "--by", "秘书")
    last = run("absence", "advance", rid, "--by", "秘书")
    assert "全部步骤已完成,已备案" in last and "已批准" not in last
    listed = run("absence", "list", "--json")
    assert listed[0]["state"] == "approved" and listed[0]["state_label"] == "已备案"


def test_000第84条_报告一步不是同意_通报不写经市长同意_批准之后才写(tmp_path, capsys):
    from desktop.core.profile import load_profile
    from desktop.export.absence_loaders import notification_for
    from desktop.resources import profiles_dir
    from desktop.store.opening import open_store

    run = _gov(tmp_path, capsys, "panzhihua", [("王市长", "chief"), ("李常务", "executive_deputy"), ("张副", "deputy")])
    trip = run("absence", "add", "张副", "--kind", "trip", "--from", START, "--to", END, "--dest", "北京", "--json")
    run("absence", "advance", str(trip["id"]), "--by", "王市长")
    leave = run("absence", "add", "张副", "--kind", "personal", "--from", "2026-12-07", "--to", "2026-12-08",
                "--dest", "成都", "--json")
    assert leave["state_label"] == "审批中"  # an approval waits: the ordinary words
    run("absence", "advance", str(leave["id"]), "--by", "王市长")
    profile = load_profile(profiles_dir() / "panzhihua.toml")
    store = open_store(tmp_path / "panzhihua.db", FixedClock(NOW), operator="秘书")
    try:
        _, reported = notification_for(store, profile, "攀枝花市人民政府办公室", trip["id"])
        _, approved = notification_for(store, profile, "攀枝花市人民政府办公室", leave["id"])
    finally:
        store.close()
    assert "同意" not in reported and "（已事先报告市长）" in reported
    assert approved.splitlines()[1].startswith("\u3000\u3000经市长同意，")
    assert not set(",:;()") & set(reported + approved)  # full-width punctuation in the official text


def test_状态的说法随流程而定():
    from desktop.core.absence import AbsenceState
    from desktop.core.profile import StepAction

    class Step:
        def __init__(self, action):
            self.action = action

    files = [Step(StepAction.report), Step(StepAction.file)]
    reports = [Step(StepAction.report), Step(StepAction.notify)]
    approvals = [Step(StepAction.approve), Step(StepAction.file)]
    assert [state_label(AbsenceState.approved, s) for s in (files, reports, approvals, [])] == [
        "已备案", "已报告", "已批准", "已登记"]
    assert state_label(AbsenceState.in_progress, files) == "报备中"
    assert state_label(AbsenceState.returned, files) == "已销假"
    assert outcome_label("approved", True, files) == "全部步骤已完成,已备案"
    assert outcome_label("approved", True, approvals) == "全部步骤已完成,已批准"


def test_工作日结果只在用到暂定日子时才标暂定(tmp_path, capsys):
    """2026 is official and 2027 has no notice yet: a result that stays before the days a 2027 notice could
    move (12月29日 on) is firm; one that reaches them says provisional."""
    run = _gov(tmp_path, capsys, "panzhihua", [])
    firm = run("workdays", "add", "2026-12-18", "5", "--json")
    assert (firm["date"], firm["provisional"]) == ("2026-12-25", False)
    late = run("workdays", "add", "2026-12-24", "5", "--json")
    assert (late["date"], late["provisional"]) == ("2026-12-31", True)
