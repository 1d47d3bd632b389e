"""Rules beyond the five documents (issue 14 "Beyond the five"): what a profile says without code.

Each variant has a small profile of its own under tests/profiles/ (a made-up county citing its own
made-up document, seed ``T0n``), since none of the five published rules (../shared/seeds) has it:

* succession.toml, T01 第九条 — 县长外出由常务副县长主持工作,常务副县长也外出的由副县长按排名**顺次递补**
  (``[[acting]] succession``);
* delegate.toml, T02 第六条 — 由常务副县长或**县长授权委托的其他副县长**主持工作 (``delegates``): the record
  names the delegate; refused when the person is not of those roles or is away, or the rule allows none;
* ab_together.toml, T03 第八条 — 互为AB角的副县长**不得同时外出** (``[[not_together]] ab_partners``): a
  warning like 000 art.84 市长与常务副市长, overridable with a recorded reason;
* partner_kinds.toml, T04 第七条 — 副县长**出县、出访、休假**期间由固定的补位副县长代行 (``kinds`` and
  ``leaving_kinds``): no 补位 for a trip inside the county, a sick or personal leave.

Dates are relative to an injected clock; the store tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.absence import Absence, AbsenceState
from desktop.core.acting import (
    BASIS_AB,
    BASIS_CHIEF_RULE,
    BASIS_DELEGATE,
    BASIS_SUCCESSION,
    GAP_ACTOR_AWAY,
    WARN_NOT_TOGETHER,
    Override,
    Roster,
    who_acts,
)
from desktop.core.clock import FixedClock
from desktop.core.errors import UserError
from desktop.core.people import Person, PersonDraft
from desktop.core.profile import ProfileError, load_profile, parse_profile
from desktop.core.roles import AbsenceKind, Role
from desktop.store import absences as rows
from desktop.store import people
from desktop.store.opening import open_store

pytestmark = pytest.mark.both_engines  # the store tests on a file and on a server database

HERE = Path(__file__).parent / "profiles"
SHIPPED = Path(__file__).parents[1] / "resources" / "profiles"
SUCCESSION = load_profile(HERE / "succession.toml")
DELEGATE = load_profile(HERE / "delegate.toml")
AB_TOGETHER = load_profile(HERE / "ab_together.toml")
PARTNER_KINDS = load_profile(HERE / "partner_kinds.toml")
NOW = dt.datetime(2026, 11, 23, 9, 0)  # Monday
TODAY = NOW.date()
DAY = TODAY + dt.timedelta(days=2)  # Wednesday: the day every scenario looks at

COUNTY = [("刘县长", Role.chief, "县长"), ("陈常务", Role.executive_deputy, "常务副县长"),
          ("赵副", Role.deputy, "副县长"), ("钱副", Role.deputy, "副县长"), ("孙副", Role.deputy, "副县长"),
          ("王主任", Role.secretary_general, "县政府办公室主任")]  # fmt: skip


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def gov(db_path, clock):
    """A store with the county's people in protocol order (the list's order is their 排名)."""
    store = open_store(db_path, clock, operator="秘书")
    ops.org.init_org(store, "generic", "县政府办公室", ("generic",))
    for name, role, title in COUNTY:
        ops.people.add_person(store, PersonDraft(name=name, role=role, title=title))
    yield store
    store.close()


def _id(store, name: str) -> int:
    return people.find_person(store, name).id


def _add(store, profile, name: str, kind: AbsenceKind = AbsenceKind.trip, start: dt.date = DAY,
         end: dt.date = DAY, *, leaves: bool = True, acting: tuple[str, ...] = (), dest: str = "北京") -> Absence:
    draft = Absence(id=None, person_id=_id(store, name), kind=kind, start=start, end=end, destination=dest,
                    leaves_jurisdiction=leaves, acting_ids=tuple(_id(store, n) for n in acting))
    return ops.absences.add_absence(store, profile, draft).value.record


def _acting(store, profile, day: dt.date = DAY) -> dict[str, tuple[str, str]]:
    report = ops.absences.acting_on(store, profile, day)
    return {e.absent_person.name: (e.actor.name, e.basis) for e in report.acting if e.actor is not None}


# ============================================================================ 按顺次递补 (T01 第九条)


def test_T01第9条_县长外出由常务副县长主持(gov):
    _add(gov, SUCCESSION, "刘县长")
    assert _acting(gov, SUCCESSION) == {"刘县长": ("陈常务", BASIS_CHIEF_RULE)}


def test_T01第9条_常务副县长也外出_由排名第一的副县长顺次递补(gov):
    _add(gov, SUCCESSION, "刘县长")
    _add(gov, SUCCESSION, "陈常务")
    assert _acting(gov, SUCCESSION)["刘县长"] == ("赵副", BASIS_SUCCESSION)
    _add(gov, SUCCESSION, "赵副")  # the first deputy leaves too: the next one by rank
    assert _acting(gov, SUCCESSION)["刘县长"] == ("钱副", BASIS_SUCCESSION)
    report = ops.absences.acting_on(gov, SUCCESSION, DAY)
    assert not report.gaps


def test_T01第9条_顺次递补的人都不在岗_缺位提示由办公室协调(gov):
    for name in ("刘县长", "陈常务", "赵副", "钱副", "孙副"):
        _add(gov, SUCCESSION, name)
    report = ops.absences.acting_on(gov, SUCCESSION, DAY)
    assert "刘县长" not in _acting(gov, SUCCESSION)
    gap = next(g for g in report.gaps if g.kind == GAP_ACTOR_AWAY)
    assert "按顺次递补的" in gap.reason and "县政府办公室协调" in gap.reason
    assert [p.name for p in gap.suggestions] == ["王主任"]  # the only government leader present


def test_T01第9条_排名改变_递补顺序随之改变(gov):
    _add(gov, SUCCESSION, "刘县长")
    _add(gov, SUCCESSION, "陈常务")
    ops.people.reorder(gov, [_id(gov, n) for n in ("刘县长", "陈常务", "孙副", "赵副", "钱副", "王主任")])
    assert _acting(gov, SUCCESSION)["刘县长"] == ("孙副", BASIS_SUCCESSION)


# ============================================================================ 授权委托 (T02 第六条)


def test_T02第6条_县长授权委托副县长_由受委托人主持(gov):
    record = _add(gov, DELEGATE, "刘县长", acting=("钱副",))
    assert record.acting_ids == (_id(gov, "钱副"),)
    assert _acting(gov, DELEGATE) == {"刘县长": ("钱副", BASIS_DELEGATE)}


def test_T02第6条_不委托时由常务副县长主持(gov):
    _add(gov, DELEGATE, "刘县长")
    assert _acting(gov, DELEGATE) == {"刘县长": ("陈常务", BASIS_CHIEF_RULE)}


def test_T02第6条_受委托人不是副县长_拒绝且不写入(gov):
    with pytest.raises(UserError, match="王主任是县政府办公室主任,按规定只能委托常务副县长或副县长代行"):
        _add(gov, DELEGATE, "刘县长", acting=("王主任",))
    assert rows.absences_between(gov, TODAY, DAY + dt.timedelta(days=7)) == []


def test_T02第6条_受委托人外出期间也外出_拒绝且不写入(gov):
    _add(gov, DELEGATE, "钱副", start=DAY + dt.timedelta(days=1), end=DAY + dt.timedelta(days=3))
    with pytest.raises(UserError, match=r"钱副在 2026年11月26日至28日 也外出\(出差\),不能受委托代行"):
        _add(gov, DELEGATE, "刘县长", end=DAY + dt.timedelta(days=1), acting=("钱副",))
    assert [r.person_id for r in rows.absences_between(gov, TODAY, DAY + dt.timedelta(days=7))] == [_id(gov, "钱副")]


def test_T02第6条_只能委托一位(gov):
    with pytest.raises(UserError, match="只能指定一位受委托代行人"):
        _add(gov, DELEGATE, "刘县长", acting=("钱副", "赵副"))


def test_T02第6条_受委托人后来也外出_当天改由常务副县长主持并提醒(gov):
    _add(gov, DELEGATE, "刘县长", end=DAY + dt.timedelta(days=1), acting=("钱副",))
    _add(gov, DELEGATE, "钱副", start=DAY + dt.timedelta(days=1), end=DAY + dt.timedelta(days=1))
    assert _acting(gov, DELEGATE) == {"刘县长": ("钱副", BASIS_DELEGATE)}
    later = DAY + dt.timedelta(days=1)
    assert _acting(gov, DELEGATE, later) == {"刘县长": ("陈常务", BASIS_CHIEF_RULE)}
    warning = next(w for w in ops.absences.acting_on(gov, DELEGATE, later).warnings if w.kind == "explicit_actor_away")
    assert "授权委托的代行人 钱副 当天也不在岗" in warning.message


def test_T02第6条_受委托人办理县长的审批步骤(gov):
    """The delegate acts for the county head: a pending 县长同意 waits for him or her that day."""
    from desktop.core import chain as ch

    _add(gov, DELEGATE, "刘县长", acting=("钱副",))
    directory = rows.directory(gov, DELEGATE, DAY)
    assert directory.acting_for(_id(gov, "刘县长"), DAY).name == "钱副"
    assert isinstance(directory, ch.RosterDirectory)


def test_没有委托规则的预设_不能指定受委托人(gov):
    generic = load_profile(SHIPPED / "generic.toml")
    draft = Absence(id=None, person_id=_id(gov, "刘县长"), kind=AbsenceKind.trip, start=DAY, end=DAY,
                    destination="北京", leaves_jurisdiction=True)
    from desktop.core.acting import delegate_rule

    with pytest.raises(UserError, match="本级规则没有规定县长出差期间可授权委托代行人"):
        delegate_rule(generic, people.find_person(gov, "刘县长"), draft)
    assert delegate_rule(DELEGATE, people.find_person(gov, "刘县长"), draft).article == "T02 art.6"


# ============================================================================ AB角不得同时外出 (T03 第八条)


def test_T03第8条_互为AB角的副县长同时外出_提醒(gov):
    ops.people.set_ab(gov, people.find_person(gov, "赵副"), people.find_person(gov, "钱副"))
    _add(gov, AB_TOGETHER, "赵副")
    assert not [w for w in ops.absences.acting_on(gov, AB_TOGETHER, DAY).warnings if w.kind == WARN_NOT_TOGETHER]
    _add(gov, AB_TOGETHER, "钱副")
    report = ops.absences.acting_on(gov, AB_TOGETHER, DAY)
    (warning,) = [w for w in report.warnings if w.kind == WARN_NOT_TOGETHER]
    assert warning.message.startswith("副县长 赵副与副县长 钱副 互为AB角,同时外出(按规定一般不同时外出)")
    assert warning.severity == "warning" and warning.article == "T03 art.8" and not warning.overridden
    assert set(warning.person_ids) == {_id(gov, "赵副"), _id(gov, "钱副")}
    assert report.gaps  # and the AB rule's own gap: the office designates someone (both_away)


def test_T03第8条_记录理由后不再提醒(gov):
    ops.people.set_ab(gov, people.find_person(gov, "赵副"), people.find_person(gov, "钱副"))
    _add(gov, AB_TOGETHER, "赵副")
    _add(gov, AB_TOGETHER, "钱副")
    ops.absences.override(gov, Override(frozenset({Role.deputy}), DAY, DAY, "省政府通知两人共同参加的会议"))
    (warning,) = [w for w in ops.absences.acting_on(gov, AB_TOGETHER, DAY).warnings if w.kind == WARN_NOT_TOGETHER]
    assert warning.overridden and "已记录理由:省政府通知两人共同参加的会议" in warning.message


def test_T03第8条_不是AB角的两位副县长同时外出不提醒(gov):
    ops.people.set_ab(gov, people.find_person(gov, "赵副"), people.find_person(gov, "钱副"))
    _add(gov, AB_TOGETHER, "赵副")
    _add(gov, AB_TOGETHER, "孙副")
    assert not [w for w in ops.absences.acting_on(gov, AB_TOGETHER, DAY).warnings if w.kind == WARN_NOT_TOGETHER]


def test_T03第8条_check也列出(gov):
    ops.people.set_ab(gov, people.find_person(gov, "赵副"), people.find_person(gov, "钱副"))
    _add(gov, AB_TOGETHER, "赵副")
    _add(gov, AB_TOGETHER, "钱副")
    findings = ops.absences.check(gov, AB_TOGETHER, DAY, DAY)
    assert any("互为AB角,同时外出" in f.message and f.article == "T03 art.8" for f in findings)


# ============================================================================ 补位只用于出县、出访、休假 (T04 第七条)


@pytest.mark.parametrize(("kind", "leaves", "partner_acts"), [
    (AbsenceKind.trip, True, True),  # 出县
    (AbsenceKind.trip, False, False),  # 县内出差
    (AbsenceKind.abroad, True, True),  # 出访
    (AbsenceKind.vacation, False, True),  # 休假,在县内也补位
    (AbsenceKind.sick, False, False),
    (AbsenceKind.personal, True, False),  # 因私请假离县:条文未列,不补位
])  # fmt: skip
def test_T04第7条_补位只用于出县出访休假(gov, kind, leaves, partner_acts):
    ops.people.set_ab(gov, people.find_person(gov, "赵副"), people.find_person(gov, "钱副"))
    _add(gov, PARTNER_KINDS, "赵副", kind, leaves=leaves, dest="北京" if leaves else "城关镇")
    expected = {"赵副": ("钱副", BASIS_AB)} if partner_acts else {}
    assert _acting(gov, PARTNER_KINDS) == expected
    report = ops.absences.acting_on(gov, PARTNER_KINDS, DAY)
    assert not report.gaps and not [w for w in report.warnings if w.kind == "no_partner"]


# ============================================================================ the profile file, pure


def _data(profile_file: str) -> dict:
    import tomllib

    return tomllib.loads((HERE / profile_file).read_text(encoding="utf-8"))


def test_succession与actor只能写一个():
    data = _data("succession.toml")
    data["acting"][0]["actor"] = "executive_deputy"
    with pytest.raises(ProfileError, match=r"acting\[0\]\.succession 与 actor 只能写一个"):
        parse_profile(data, "succession.toml")
    del data["acting"][0]["actor"], data["acting"][0]["succession"]
    with pytest.raises(ProfileError, match=r"缺少 acting\[0\]\.actor"):
        parse_profile(data, "succession.toml")


def test_delegates只用于按角色代行的规则():
    data = _data("ab_together.toml")
    data["acting"][0]["delegates"] = ["deputy"]
    with pytest.raises(ProfileError, match="不能用于 actor = \"ab_partner\""):
        parse_profile(data, "ab_together.toml")
    data = _data("delegate.toml")
    data["acting"][0]["delegates"] = ["dept_head"]
    with pytest.raises(ProfileError, match=r"acting\[0\]\.delegates\[0\] 的值“dept_head”无效"):
        parse_profile(data, "delegate.toml")


def test_leaving_kinds与kinds不能重复():
    data = _data("partner_kinds.toml")
    data["acting"][0]["kinds"] = ["trip", "vacation"]
    with pytest.raises(ProfileError, match="与 kinds 重复列出了 trip"):
        parse_profile(data, "partner_kinds.toml")


def test_not_together须写roles或ab_partners():
    data = _data("ab_together.toml")
    del data["not_together"][0]["ab_partners"]
    with pytest.raises(ProfileError, match="或写 ab_partners = true"):
        parse_profile(data, "ab_together.toml")
    data["not_together"][0].update(ab_partners=True, roles=["deputy", "executive_deputy"])
    assert parse_profile(data, "ab_together.toml").not_together[0].roles == (Role.deputy, Role.executive_deputy)


def test_AB角不得同时外出可限于某些角色():
    """``roles`` filters the pairs: both partners must hold one of them."""
    data = _data("ab_together.toml")
    data["not_together"][0]["roles"] = ["executive_deputy"]
    profile = parse_profile(data, "ab_together.toml")
    staff = [Person(1, "赵副", Role.deputy, "副县长", 1), Person(2, "钱副", Role.deputy, "副县长", 2)]
    away = [Absence(id=i, person_id=i, kind=AbsenceKind.trip, start=DAY, end=DAY, destination="北京",
                    leaves_jurisdiction=True, state=AbsenceState.approved) for i in (1, 2)]
    roster = Roster(staff, [(1, 2)], away)
    assert not [w for w in who_acts(roster, profile, DAY).warnings if w.kind == WARN_NOT_TOGETHER]
    assert [w for w in who_acts(roster, AB_TOGETHER, DAY).warnings if w.kind == WARN_NOT_TOGETHER]


# ============================================================================ the command line
# (on a desktop file: server mode's sign-in is not what these test)


@pytest.fixture
def own_profiles(tmp_path, monkeypatch):
    """The resources folder with the test profiles beside the shipped ones, as an office adds its own file."""
    import desktop.resources

    root = tmp_path / "resources"
    shutil.copytree(SHIPPED, root / "profiles")
    for f in HERE.glob("*.toml"):
        shutil.copy(f, root / "profiles" / f.name)
    monkeypatch.setattr(desktop.resources, "resources_root", lambda: root)
    return root


def _cli(db: str, capsys):
    def run(*argv: str, ok: bool = True):
        code = main(["--db", db, *argv], FixedClock(NOW))
        out, err = capsys.readouterr()
        if ok:
            assert code == 0, err
            return json.loads(out) if "--json" in argv else out
        assert code == 2, out
        return err

    return run


def test_命令行_absence_add_delegate_与_acting(own_profiles, tmp_path, capsys):
    run = _cli(str(tmp_path / "cli.db"), capsys)
    run("init", "--profile", "delegate", "--org", "委托县人民政府办公室")
    for name, role, title in COUNTY:
        run("people", "add", name, "--role", role.value, "--title", title)
    day = DAY.isoformat()
    err = run("absence", "add", "刘县长", "--kind", "trip", "--from", day, "--to", day, "--dest", "北京",
              "--delegate", "王主任", ok=False)
    assert "按规定只能委托常务副县长或副县长代行" in err
    out = run("absence", "add", "刘县长", "--kind", "trip", "--from", day, "--to", day, "--dest", "北京",
              "--delegate", "钱副")
    assert "受委托代行:钱副" in out
    text = run("acting", day)
    assert "代行:刘县长 → 钱副(受委托代行)  受县长委托,主持县政府工作  〔第六条〕" in text
    data = run("acting", day, "--json")
    assert data["acting"][0]["basis"] == "delegate" and data["acting"][0]["basis_label"] == "受委托代行"


def test_命令行_规则不允许委托时拒绝_delegate(own_profiles, tmp_path, capsys):
    run = _cli(str(tmp_path / "cli.db"), capsys)
    run("init", "--profile", "succession", "--org", "顺次县人民政府办公室")
    for name, role, title in COUNTY:
        run("people", "add", name, "--role", role.value, "--title", title)
    day = DAY.isoformat()
    err = run("absence", "add", "刘县长", "--kind", "trip", "--from", day, "--to", day, "--dest", "北京",
              "--delegate", "钱副", ok=False)
    assert "本级规则没有规定县长出差期间可授权委托代行人" in err
    assert run("absence", "list", "--json") == []


# ============================================================================ the documentation


def test_README自定义规则的例子可以直接使用():
    """The TOML of README "自定义规则", put into a copy of generic.toml, loads and says what the text says."""
    import re
    import tomllib

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 自定义规则", 1)[1]
    example = tomllib.loads(re.search(r"```toml\n(.*?)```", section, re.S).group(1))
    data = tomllib.loads((SHIPPED / "generic.toml").read_text(encoding="utf-8"))
    data.update(example, id="bencounty", seed="BX", source_title="某县人民政府工作规则")
    profile = parse_profile(data, "bencounty.toml")
    chief, delegate, partner = profile.acting
    assert chief.succession == (Role.executive_deputy, Role.deputy) and chief.article == "BX art.9"
    assert delegate.delegates == (Role.executive_deputy, Role.deputy)
    assert partner.matches(Role.deputy, AbsenceKind.trip, True) and not partner.matches(Role.deputy, AbsenceKind.trip, False)
    assert partner.matches(Role.deputy, AbsenceKind.vacation, False) and not partner.matches(Role.deputy, AbsenceKind.sick, True)
    assert profile.not_together[0].ab_partners


@pytest.mark.parametrize(("kind", "partner_signs"), [(AbsenceKind.trip, True), (AbsenceKind.vacation, False)])
def test_补位按外出类型分规则时_代为审批也按那条规则(kind, partner_signs):
    """Two 补位 rules for deputies by kind, only one letting the partner sign (``approves``): whether the
    partner does the absent deputy's approval steps follows the rule of that absence, not the first one."""
    from desktop.core import chain as ch

    data = _data("partner_kinds.toml")
    rule = {k: v for k, v in data["acting"][0].items() if k != "leaving_kinds"}
    data["acting"] = [dict(rule, kinds=["vacation"], approves=False, approves_reason="休假期间仍由本人签批"),
                      dict(rule, kinds=["abroad"], leaving_kinds=["trip"])]  # fmt: skip
    profile = parse_profile(data, "partner_kinds.toml")
    staff = [Person(1, "赵副", Role.deputy, "副县长", 1), Person(2, "钱副", Role.deputy, "副县长", 2)]
    away = Absence(id=1, person_id=1, kind=kind, start=DAY, end=DAY, destination="北京", leaves_jurisdiction=True,
                   state=AbsenceState.approved)
    directory = ch.RosterDirectory(profile, Roster(staff, [(1, 2)], [away]))
    signer = directory.acting_for(1, DAY)
    assert (signer.name if signer else None) == ("钱副" if partner_signs else None)
