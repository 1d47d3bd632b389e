"""Each article's own scope (issue 14 "Each article's own scope"): 离市 / 离县 / 离攀 read from the destination.

Articles (../shared/seeds, see seeds/README.md):

* 004 伍家岗 art.69 — 各街乡行政负责同志和区政府各部门主要负责同志**离市出差或休假**,应提前3日向区政府办公室
  报告:only trips and vacations that leave 宜昌市; not a sick or personal leave, not a trip inside the city;
* 002 西平 art.9 — 县长**离县**期间,由负责常务工作的副县长主持县政府工作;
* 000 攀枝花 art.84 — 副市长、秘书长**离攀**外出,应提前1天报告;因私离岗须向市长请假.

Whether a record leaves is inferred from the destination against the profile's own places ([places]);
where it cannot be inferred and the answer changes a rule, the CLI refuses (in Chinese, writing
nothing) until --leaves or --within, and the form asks. Dates relative to the injected clock.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.clock import FixedClock
from desktop.core.places import infer_leaves, leaves_matters
from desktop.core.profile import load_profile
from desktop.core.roles import AbsenceKind, Role

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
WJG = load_profile(PROFILES / "wujiagang.toml")
XP = load_profile(PROFILES / "xiping.toml")
PZH = load_profile(PROFILES / "panzhihua.toml")
NOW = dt.datetime(2026, 11, 23, 9, 0)  # Monday
TODAY = NOW.date()


@pytest.mark.parametrize(("destination", "expected"), [
    ("北京", True), ("海南三亚", True), ("湖北武汉", True), ("武汉", True), ("成都", True),  # 离市: outside 宜昌市
    ("宜昌", False), ("夷陵区", False), ("宜昌市西陵区", False), ("枝江市", False), ("市内", False),
    ("三亚湾", True), ("会议中心", None), ("温泉山庄", None), ("", None),
])  # fmt: skip
def test_004第69条_离市按宜昌市的辖区判断(destination, expected):
    assert infer_leaves(WJG, destination, AbsenceKind.trip) is expected


def test_各预设按自己的辖区判断_出国总是离开():
    assert infer_leaves(PZH, "成都", AbsenceKind.trip) is True  # same province, still leaves 攀枝花
    assert infer_leaves(PZH, "米易县", AbsenceKind.trip) is False
    assert infer_leaves(XP, "驻马店", AbsenceKind.trip) is True  # the prefecture city is outside the county
    assert infer_leaves(XP, "出山镇", AbsenceKind.trip) is False
    assert infer_leaves(XP, "", AbsenceKind.abroad) is True


def test_只在影响规则时才需要判断():
    # 004 art.69: a department head's trip has a chain only when it leaves the city
    assert leaves_matters(WJG, Role.dept_head, AbsenceKind.trip)
    # sick leave is not under art.69 in or out of the city: nothing to ask
    assert not leaves_matters(WJG, Role.dept_head, AbsenceKind.sick)
    # 002 art.9: who acts for the county head depends on 离县
    assert leaves_matters(XP, Role.chief, AbsenceKind.trip)


def _cli(tmp_path, capsys, profile_id: str, people: list[tuple[str, str, list[str]]]):
    db = str(tmp_path / f"{profile_id}.db")

    def run(*argv: str, ok: bool = True):
        code = main(["--db", db, *argv], FixedClock(NOW))
        out, err = capsys.readouterr()
        if ok:
            assert code == 0, err
            return json.loads(out) if "--json" in argv else out
        assert code == 2
        return err

    run("init", "--profile", profile_id, "--org", "办公室")
    for name, role, extra in people:
        run("people", "add", name, "--role", role, *extra)
    return run


WJG_PEOPLE = [("王区长", "chief", []), ("李常务", "executive_deputy", []), ("马局长", "dept_head", ["--unit", "区教育局"])]


def test_004第69条_部门负责人当天病假_不算迟报(tmp_path, capsys):
    run = _cli(tmp_path, capsys, "wujiagang", WJG_PEOPLE)
    added = run("absence", "add", "马局长", "--kind", "sick", "--from", TODAY.isoformat(), "--to",
                TODAY.isoformat(), "--dest", "北京", "--json")
    assert added["steps"] == [] and added["findings"] == []  # 离市 but not 出差或休假: not this article


def test_004第69条_海南三亚休假_按离市_提前3日报告(tmp_path, capsys):
    run = _cli(tmp_path, capsys, "wujiagang", WJG_PEOPLE)
    start = TODAY + dt.timedelta(days=1)
    added = run("absence", "add", "马局长", "--kind", "vacation", "--from", start.isoformat(), "--to",
                (start + dt.timedelta(days=4)).isoformat(), "--dest", "海南三亚", "--json")
    assert added["leaves_jurisdiction"] is True
    assert [s["label"] for s in added["steps"]] == ["提前3日向区政府办公室报告", "区政府办公室向区政府领导同志报告"]
    late = [f for f in added["findings"] if f["kind"] == "late_report"]
    assert len(late) == 1 and late[0]["article"] == "004 art.69" and "第六十九条" in late[0]["citation"]


def test_004第69条_判断不了是否离市_命令行拒绝并说明_不写入(tmp_path, capsys):
    run = _cli(tmp_path, capsys, "wujiagang", WJG_PEOPLE)
    start = (TODAY + dt.timedelta(days=5)).isoformat()
    err = run("absence", "add", "马局长", "--kind", "trip", "--from", start, "--to", start, "--dest", "会议中心", ok=False)
    assert "目的地“会议中心”无法判断是否离市" in err and "--leaves" in err and "--within" in err
    assert run("absence", "list", "--json") == []
    within = run("absence", "add", "马局长", "--kind", "trip", "--from", start, "--to", start, "--dest", "会议中心",
                 "--within", "--json")
    assert within["leaves_jurisdiction"] is False and within["steps"] == []  # inside 宜昌市: art.69 does not apply


def test_002第9条_县长外出_判断不了是否离县时拒绝_写明后按离县代行(tmp_path, capsys):
    run = _cli(tmp_path, capsys, "xiping", [("刘县长", "chief", []), ("陈常务", "executive_deputy", [])])
    start = (TODAY + dt.timedelta(days=2)).isoformat()
    err = run("absence", "add", "刘县长", "--kind", "trip", "--from", start, "--to", start, ok=False)
    assert "没有填写目的地" in err and "离县" in err
    run("absence", "add", "刘县长", "--kind", "trip", "--from", start, "--to", start, "--dest", "河南郑州")
    acting = run("acting", start, "--json")
    assert acting["acting"][0] | {"for": "刘县长", "actor": "陈常务", "article": "002 art.9"} == acting["acting"][0]


# ------------------------------------------------------------------------------- the form asks


@pytest.fixture
def form(qtbot, session):
    from desktop.ui.absence_form import AbsenceForm

    f = AbsenceForm(session)
    qtbot.addWidget(f)
    return f


def _fill(form, session, name: str, kind: AbsenceKind, dest: str) -> None:
    from desktop.store import people

    form.person.setCurrentIndex(form.person.findData(people.find_person(session.store, name).id))
    form.kind.setCurrentIndex(form.kind.findData(kind.value))
    form.destination.setText(dest)
    form.refresh_now()


def test_000第84条_表单按目的地判断离攀_判断不了时要求选择(form, session):
    """The demo government is 攀枝花: a deputy's vacation needs the mayor's approval either way, but the
    1-day notice applies only 离攀 (000 art.84): the form reads the destination, and asks when it cannot."""
    _fill(form, session, "张丽华", AbsenceKind.vacation, "海南三亚")
    assert form.leaves.checkState().name == "Checked" and form.save_button.isEnabled()
    _fill(form, session, "张丽华", AbsenceKind.vacation, "米易县")
    assert form.leaves.checkState().name == "Unchecked" and form.save_button.isEnabled()
    _fill(form, session, "张丽华", AbsenceKind.vacation, "温泉山庄")
    assert form.leaves.checkState().name == "PartiallyChecked" and not form.save_button.isEnabled()
    assert "无法判断是否离攀" in form.error and "请点选“离攀”" in form.error
    form.leaves.click()  # the secretary answers: leaves
    form.refresh_now()
    assert form.leaves.isChecked() and not form.leaves.isTristate() and form.save_button.isEnabled()
    assert form.draft().leaves_jurisdiction is True


# ------------------------------------------------------------------------------- urgent trips


def test_紧急外出_只有攀枝花第84条有及时报告的例外_伍家岗第69条没有(tmp_path, capsys):
    """000 art.84 "因紧急事项临时外出的应当及时报告": an urgent same-day report is noted, not late.
    004 art.69 has no such exception: an urgent trip reported the day before is still late."""
    chains = {p.id: {c.urgent.value for c in p.chains if c.lead_days}
              for p in (load_profile(f) for f in sorted(PROFILES.glob("*.toml")))}
    assert chains["panzhihua"] == {"promptly"} and chains["wujiagang"] == {"none"}
    run = _cli(tmp_path, capsys, "wujiagang", WJG_PEOPLE)
    start = (TODAY + dt.timedelta(days=1)).isoformat()
    added = run("absence", "add", "马局长", "--kind", "trip", "--from", start, "--to", start, "--dest", "北京",
                "--urgent", "--json")
    assert [f["kind"] for f in added["findings"]] == ["late_report"]
    assert "勾选“紧急”" not in added["findings"][0]["message"]  # no exception to point to

    pzh = _cli(tmp_path / "p", capsys, "panzhihua", [("王市长", "chief", []), ("李常务", "executive_deputy", []),
                                                     ("张副", "deputy", [])])  # fmt: skip
    added = pzh("absence", "add", "张副", "--kind", "trip", "--from", TODAY.isoformat(), "--to", TODAY.isoformat(),
                "--dest", "成都", "--urgent", "--json")
    assert [(f["kind"], f["severity"]) for f in added["findings"]] == [("urgent_report", "info")]


# ------------------------------------------------------------------------------- 000 art.81, read two ways


def test_000第81条_法定节假日当天_落在双休日的也带班_调休的休息日不带班():
    """除双休日外的法定节假日: ``statutory_days`` rosters the days the national regulation names, a Saturday
    among them (2027 春节初一, 02-06); the weekend and the moved rest days of 2026 国庆 are not duty days.
    ``holiday_weekdays`` (the other reading) rosters the block's weekdays and no weekend day."""
    from desktop.core.calseed import seed_calendar
    from desktop.core.duty import READINGS, duty_days, statutory_dates
    from desktop.core.profile import DutyDays

    cal = seed_calendar([2027])
    spring = [d.date for d in duty_days(cal, "statutory_days", dt.date(2027, 2, 1), dt.date(2027, 2, 15))]
    assert spring == [dt.date(2027, 2, 5), dt.date(2027, 2, 6), dt.date(2027, 2, 7), dt.date(2027, 2, 8)]
    assert dt.date(2027, 2, 6) not in [d.date for d in duty_days(cal, "holiday_weekdays", dt.date(2027, 2, 1),
                                                                dt.date(2027, 2, 15))]
    national = [d.date.day for d in duty_days(cal, "statutory_days", dt.date(2026, 10, 1), dt.date(2026, 10, 8))]
    assert national == [1, 2, 3]  # 10-03 is a Saturday; 10-04 (Sunday) and 05–07 (moved) are not
    weekdays = [d.date.day for d in duty_days(cal, "holiday_weekdays", dt.date(2026, 10, 1), dt.date(2026, 10, 8))]
    assert weekdays == [1, 2, 5, 6, 7]
    # the regulation in force each year: 2013 春节 除夕至初二 (2007 text), 2020 初一至初三, 劳动节 one day
    assert sorted(statutory_dates(2013))[1:4] == [dt.date(2013, 2, 9), dt.date(2013, 2, 10), dt.date(2013, 2, 11)]
    assert dt.date(2020, 5, 2) not in statutory_dates(2020) and dt.date(2026, 5, 2) in statutory_dates(2026)
    assert set(READINGS) == set(DutyDays) and all(text.endswith("。") for text in READINGS.values())


def test_000第81条_值班页用一句话说明按哪种理解排值班日(qtbot, session):
    from desktop.core.duty import READINGS
    from desktop.ui.duty_page import DutyPage

    page = DutyPage(session)
    qtbot.addWidget(page)
    page.refresh()
    text = page.reading.text()
    assert text == f"值班日:{READINGS[session.profile.duty.days]}〔第八十一条〕"
    assert "法定节假日" in text


# ------------------------------------------------------------------------------- 000 art.61


def test_000第61条_AB角同时外出_由办公室协调其他市政府领导代行_办公室主任不在其列(tmp_path, capsys):
    """互为AB角的领导同志同时外出时,由市政府办公室协调其他市政府领导代行: the suggestions are the other
    government leaders present, never the office director, and designating him is refused (nothing written)."""
    run = _cli(tmp_path, capsys, "panzhihua", [("王市长", "chief", []), ("李常务", "executive_deputy", []),
                                               ("张副", "deputy", []), ("周副", "deputy", []),
                                               ("郑主任", "office_director", []), ("吴秘书长", "secretary_general", [])])
    run("ab", "set", "张副", "周副")
    day = (TODAY + dt.timedelta(days=3)).isoformat()
    for name in ("张副", "周副"):
        run("absence", "add", name, "--kind", "trip", "--from", day, "--to", day, "--dest", "北京")
    gap = run("acting", day, "--json")["gaps"][0]
    assert gap["article"] == "000 art.61" and "郑主任" not in gap["suggestions"]
    assert set(gap["suggestions"]) == {"李常务", "吴秘书长"}
    err = run("designate", "郑主任", "--for", "张副,周副", "--from", day, "--to", day, ok=False)
    assert "不是政府领导" in err and "其他政府领导" in err
    assert run("acting", day, "--json")["gaps"]  # still a gap: nothing was written
    run("designate", "吴秘书长", "--for", "张副,周副", "--from", day, "--to", day)
    assert run("acting", day, "--json")["gaps"] == []


def test_000第61条_AB角是否代为分管领导同意_是规则预设的一项_写明理由(tmp_path, capsys):
    """000 art.61: the partner acts in 部分政务活动职责; panzhihua.toml reads that as not including 分管领导同意
    (approves = false, with its reason), so a department head's leave waits for the away deputy himself;
    002 art.8 (代行审签紧急公文) reads the other way (approves = true)."""
    ab = next(r for r in PZH.acting if r.by_ab_partner)
    assert ab.approves is False and "部分政务活动职责" in ab.approves_reason
    assert next(r for r in XP.acting if r.by_ab_partner).approves is True
    run = _cli(tmp_path, capsys, "panzhihua", [("王市长", "chief", []), ("李常务", "executive_deputy", []),
                                               ("张副", "deputy", ["--portfolio", "市教育局"]), ("周副", "deputy", []),
                                               ("马局长", "dept_head", ["--unit", "市教育局"])])
    run("ab", "set", "张副", "周副")
    start = (TODAY + dt.timedelta(days=7)).isoformat()
    run("absence", "add", "张副", "--kind", "trip", "--from", TODAY.isoformat(), "--to", start, "--dest", "北京")
    leave = run("absence", "add", "马局长", "--kind", "trip", "--from", start, "--to", start, "--dest", "成都", "--json")
    first = leave["steps"][0]
    assert first["assignee"] == "张副" and first["acting_for"] is None and "周副" not in first["may_be_done_by"]
    assert "其AB角周副按规则不代为审批" in first["note"]
    err = run("absence", "advance", str(leave["id"]), "--by", "周副", ok=False)
    assert "张副" in err
