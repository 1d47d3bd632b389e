"""Rule profiles: every shipped profile loads, cites real articles, and encodes what they say.

The seeds (../shared/seeds, the five governments' working rules) are the source of truth: each
``article = "004 art.69"`` is checked against the text of seed 004, whose article 69 must exist and
must speak about what the rule encodes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.core.profile import (
    PROFILE_IDS,
    BothAway,
    ChainScope,
    DayUnit,
    DutyDays,
    Level,
    Profile,
    ProfileError,
    Quorum,
    Severity,
    StepAction,
    Target,
    TargetKind,
    Urgent,
    load_profile,
    parse_profile,
    split_article,
)
from desktop.core.roles import AbsenceKind, Role

PROFILES_DIR = Path(__file__).parents[1] / "resources" / "profiles"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

SEED_OF = {"panzhihua": "000", "rizhao": "001", "xiping": "002", "turpan": "003", "wujiagang": "004"}
# How each seed writes its article headings: "八十四、" or "第六十九条".
HEADING_STYLE = {"000": "dun", "001": "tiao", "002": "dun", "003": "dun", "004": "tiao"}

# Seed 000 is in Traditional characters: enough of a mapping to check keywords in it.
_TRAD = str.maketrans(
    dict(
        zip(
            "個數過時離請報備會議帶補銷學習應規則長務體辦專題",
            "个数过时离请报备会议带补销学习应规则长务体办专题",
            strict=True,
        )
    )
)


def load(profile_id: str) -> Profile:
    return load_profile(PROFILES_DIR / f"{profile_id}.toml")


# --------------------------------------------------------------------------------------------
# Reading the seeds
# --------------------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """84 -> 八十四, 10 -> 十, 105 -> 一百零五 (as the seeds number their articles)."""
    assert 0 < n < 1000
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = ""
    if hundreds:
        text += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            text += "零"
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        text += _DIGITS[ones]
    return text


def test_chinese_number() -> None:
    assert [chinese_number(n) for n in (1, 6, 10, 11, 20, 42, 69, 84, 105)] == [
        "一", "六", "十", "十一", "二十", "四十二", "六十九", "八十四", "一百零五",
    ]  # fmt: skip


_seed_cache: dict[str, str] = {}


def seed_text(prefix: str) -> str:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the seeds folder {SEEDS_DIR} is not available")
    if prefix not in _seed_cache:
        files = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        assert len(files) == 1, f"no single seed file for prefix {prefix} in {SEEDS_DIR}"
        _seed_cache[prefix] = files[0].read_text(encoding="utf-8").translate(_TRAD)
    return _seed_cache[prefix]


_NUM = "[一二三四五六七八九十百零]+"


def article_text(article: str) -> str:
    """The text of a cited article, from its heading to the next heading (first occurrence)."""
    prefix, number = split_article(article)
    text = seed_text(prefix)
    cn = chinese_number(number)
    if HEADING_STYLE[prefix] == "tiao":
        heading = re.compile(rf"(?m)^\s*第{cn}条")
        next_heading = re.compile(rf"(?m)^\s*第{_NUM}[条章]")
    else:
        heading = re.compile(rf"(?m)^\s*{cn}、")
        next_heading = re.compile(rf"(?m)^\s*(?:{_NUM}、|第{_NUM}章)")
    match = heading.search(text)
    assert match, f"{article}: seed {prefix} has no heading {cn} (article {number})"
    end = next_heading.search(text, match.end())
    return text[match.start() : end.start() if end else len(text)]


def test_article_text_reads_the_right_article() -> None:
    assert "提前1天" in article_text("000 art.84")
    assert "提前3日" in article_text("004 art.69")
    assert article_text("000 art.10").lstrip().startswith("十、")  # not 二十、 or 八十、
    assert "补位" in article_text("001 art.6")
    assert "第十六条" not in article_text("001 art.6")


# --------------------------------------------------------------------------------------------
# Every profile loads and cites real articles
# --------------------------------------------------------------------------------------------


def test_profile_ids_match_the_files() -> None:
    assert {p.stem for p in PROFILES_DIR.glob("*.toml")} == set(PROFILE_IDS)


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_profile_loads(profile_id: str) -> None:
    profile = load(profile_id)
    assert profile.id == profile_id
    assert profile.source == f"{profile_id}.toml"
    assert profile.seed == SEED_OF.get(profile_id)
    assert [role for role, _ in profile.titles] == list(Role)
    assert all(title for _, title in profile.titles)
    assert profile.office_name("office").endswith("政府办公室")
    assert profile.chains and profile.acting and profile.meetings
    hash(profile)  # frozen all the way down: no lists or dicts slipped in


@pytest.mark.parametrize("profile_id", list(SEED_OF))
def test_profile_names_the_government_of_its_seed(profile_id: str) -> None:
    profile = load(profile_id)
    assert profile.name in seed_text(SEED_OF[profile_id])


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_every_article_exists_in_its_seed(profile_id: str) -> None:
    for article in load(profile_id).articles():
        article_text(article)  # asserts the heading is there


def _says(article: str, *words: str) -> None:
    body = article_text(article)
    assert any(w in body for w in words), f"{article} mentions none of {words}: {body[:80]}…"


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_every_article_speaks_about_its_rule(profile_id: str) -> None:
    profile = load(profile_id)
    for rule in profile.acting:
        _says(rule.article, "代行", "主持", "补位", "互补", "AB角")
    for nt in profile.not_together:
        _says(nt.article, "不同时")
    for chain in profile.chains:
        _says(chain.article, "外出", "请假", "报备", "请销假", "出国")
        for step in chain.steps:
            if step.article:
                _says(step.article, "出访报告", "出訪報告", "出訪报告")
    _says(profile.duty.article, "值班", "带班")
    for d in profile.deadlines:
        assert d.unit is DayUnit.workdays
        _says(d.article, f"{d.days}个工作日")
    for m in profile.meetings:
        where = article_text(m.article) + (article_text(m.leave_article) if m.leave_article else "")
        assert m.label in where, f"{m.id}: {m.label} not in {m.article}"
        if m.quorum is Quorum.at_least_half:
            _says(m.article, "半数以上")
        if m.quorum is Quorum.more_than_half:
            _says(m.article, "超过半数")
        if m.leave_approver is not None:
            _says(m.leave_article or m.article, "请假")
        if m.leave_discouraged:
            _says(m.leave_article or m.article, "不得请假", "不应请假")


@pytest.mark.parametrize("profile_id", list(SEED_OF))
def test_profiles_cite_their_own_seed(profile_id: str) -> None:
    """Only the duty rule may borrow another seed's article, and only if the own seed has none."""
    profile = load(profile_id)
    own = SEED_OF[profile_id]
    duty_seed, _ = split_article(profile.duty.article)
    if duty_seed != own:
        # 001 art.57 is the departments' 24-hour duty (issue 14), not the city leaders' holiday roster
        text = seed_text(own).replace("市政府各部门应当实行24小时值班和领导带班制度", "")
        assert "值班" not in text and "带班" not in text
    borrowed = [a for a in profile.articles() if split_article(a)[0] != own]
    assert borrowed in ([], [profile.duty.article])


# --------------------------------------------------------------------------------------------
# What each profile encodes
# --------------------------------------------------------------------------------------------


def steps_of(profile: Profile, role: Role, kind: AbsenceKind, leaves: bool) -> list[tuple[StepAction, str]]:
    chain = profile.chain_for(role, kind, leaves)
    assert chain is not None, f"{profile.id}: no chain for {role} {kind} leaves={leaves}"
    return [(step.action, str(step.target)) for step in chain.steps]


def test_panzhihua() -> None:
    p = load("panzhihua")
    assert p.level is Level.city and p.jurisdiction_label == "离攀"

    chief = p.acting_rule_for(Role.chief, AbsenceKind.abroad)
    assert chief is not None and chief.actor is Role.executive_deputy and chief.article == "000 art.10"
    assert set(chief.kinds) == set(AbsenceKind)
    ab = p.acting_rule_for(Role.deputy, AbsenceKind.trip)
    assert ab is not None and ab.by_ab_partner and ab.both_away is BothAway.office_designates
    assert ab.article == "000 art.61"

    (nt,) = p.not_together
    assert set(nt.roles) == {Role.chief, Role.executive_deputy}
    assert nt.severity is Severity.warning and nt.article == "000 art.84"

    for role in (Role.executive_deputy, Role.deputy, Role.secretary_general):
        chain = p.chain_for(role, AbsenceKind.trip, True)
        assert chain is not None and chain.id == "deputy_leaves_city"
        assert (chain.lead_days, chain.lead_unit, chain.urgent) == (1, DayUnit.natural, Urgent.promptly)
        assert chain.steps[0].action is StepAction.report
        assert chain.steps[0].target == Target(TargetKind.any, roles=(Role.chief, Role.executive_deputy))
        assert chain.steps[-1].action is StepAction.file and str(chain.steps[-1].target) == "office:office"
    # 因私离岗须向市长请假, with or without leaving the city; leaving keeps the 1-day notice
    assert steps_of(p, Role.deputy, AbsenceKind.personal, False)[0] == (StepAction.approve, "role:chief")
    private_city = p.chain_for(Role.secretary_general, AbsenceKind.personal, True)
    assert private_city is not None and private_city.lead_days == 1
    assert private_city.steps[0].target == Target(TargetKind.role, roles=(Role.chief,))
    assert steps_of(p, Role.chief, AbsenceKind.trip, True) == [(StepAction.file, "office:office")]
    # department heads: the supervising leader agrees, then 按市委有关规定报批
    dept = steps_of(p, Role.dept_head, AbsenceKind.vacation, True)
    assert dept == [(StepAction.approve, "supervisor"), (StepAction.approve, "office:city_party_office")]
    assert p.office_name("city_party_office") == "市委办公室"
    assert steps_of(p, Role.dept_head, AbsenceKind.trip, True)[-1] == (StepAction.sign, "office:office")

    assert p.duty.days is DutyDays.statutory_days and p.duty.article == "000 art.81"
    assert Role.chief not in p.duty.pool
    countersign = p.deadline("countersign")
    assert countersign is not None and (countersign.days, countersign.article) == (7, "000 art.49")
    executive = p.meeting("executive")
    assert executive is not None and executive.quorum is Quorum.at_least_half
    assert executive.article == "000 art.42" and executive.leave_article == "000 art.43"
    assert p.title(Role.executive_deputy) == "常务副市长"


def test_rizhao() -> None:
    p = load("rizhao")
    chief = p.acting_rule_for(Role.chief, AbsenceKind.trip)
    assert chief is not None and chief.actor is Role.executive_deputy and chief.article == "001 art.6"
    assert {c.article for c in p.chains} == {"001 art.6", "001 art.50"}
    assert steps_of(p, Role.deputy, AbsenceKind.trip, True) == [
        (StepAction.report, "role:chief"),
        (StepAction.file, "office:office"),
    ]
    # 001 art.57 is the departments' 24-hour duty: the city roster borrows 000 art.81's default
    assert p.duty.days is DutyDays.holiday_block and p.duty.article == "000 art.81"
    assert p.duty.shifts == ("全天",)
    assert p.deadlines == ()
    executive = p.meeting("executive")
    assert executive is not None and executive.quorum is Quorum.more_than_half
    assert executive.article == "001 art.38" and Role.party_member in executive.members
    assert {m.article for m in p.meetings} == {"001 art.37", "001 art.38", "001 art.39", "001 art.40"}


def test_xiping() -> None:
    p = load("xiping")
    assert p.level is Level.county and p.jurisdiction_label == "离县"

    # 县长离县期间 … 主持: only when the county head leaves the county
    chief = p.acting_rule_for(Role.chief, AbsenceKind.trip, leaves_jurisdiction=True)
    assert chief is not None and chief.actor is Role.executive_deputy and chief.article == "002 art.9"
    assert p.acting_rule_for(Role.chief, AbsenceKind.trip, leaves_jurisdiction=False) is None
    ab = p.acting_rule_for(Role.deputy, AbsenceKind.vacation)
    assert ab is not None and ab.by_ab_partner and ab.article == "002 art.8"
    assert ab.duties == ("公务接待", "出席会议", "参加活动", "处置突发事件", "代行审签紧急公文")
    assert p.acting_rule_for(Role.deputy, AbsenceKind.personal) is None  # 因公外出、休假 only

    assert steps_of(p, Role.deputy, AbsenceKind.trip, False) == [
        (StepAction.report, "role:chief"),
        (StepAction.notify, "leaders"),
    ]
    assert steps_of(p, Role.office_director, AbsenceKind.vacation, True)[0] == (
        StepAction.report,
        "role:chief",
    )

    township = p.chain_for(Role.township_head, AbsenceKind.personal, True)
    assert township is not None and township.article == "002 art.55"
    assert [(s.action, str(s.target)) for s in township.steps] == [
        (StepAction.summarize, "office:office"),
        (StepAction.sign, "role:office_director"),
        (StepAction.approve, "role:chief"),
        (StepAction.file, "office:county_party_office"),
    ]
    dept = p.chain_for(Role.dept_head, AbsenceKind.trip, True)
    assert dept is not None
    stages = [[(s.action, str(s.target)) for s in stage] for stage in dept.stages]
    assert stages == [
        [(StepAction.summarize, "office:office")],
        [(StepAction.sign, "role:office_director")],
        [(StepAction.approve, "role:chief"), (StepAction.approve, "supervisor")],
        [(StepAction.file, "office:county_party_office")],
    ]
    assert p.chain_for(Role.dept_head, AbsenceKind.trip, False) is None  # 离县 only

    countersign = p.deadline("countersign")
    assert countersign is not None and (countersign.days, countersign.article) == (3, "002 art.48")
    deputy_meeting = p.meeting("deputy_meeting")
    assert deputy_meeting is not None and deputy_meeting.leave_approver == Target(TargetKind.convener)
    assert deputy_meeting.leave_article == "002 art.44"
    assert {m.article for m in p.meetings} <= {f"002 art.{n}" for n in range(39, 45)}


def test_turpan() -> None:
    p = load("turpan")
    assert p.jurisdiction_label == "离开吐鲁番"
    chief = p.acting_rule_for(Role.chief, AbsenceKind.vacation)
    assert chief is not None and chief.actor is Role.executive_deputy and chief.article == "003 art.5"
    assert p.acting_rule_for(Role.deputy, AbsenceKind.trip) is None  # no AB roles in these rules
    assert {c.article for c in p.chains} == {"003 art.57"}
    assert all(c.scope is ChainScope.leaves_jurisdiction for c in p.chains)
    assert p.chain_for(Role.deputy, AbsenceKind.trip, False) is None
    assert steps_of(p, Role.deputy, AbsenceKind.trip, True)[0] == (StepAction.approve, "role:chief")
    assert steps_of(p, Role.dept_head, AbsenceKind.trip, True)[0] == (StepAction.approve, "supervisor")
    deadlines = {d.id: (d.days, d.article) for d in p.deadlines}
    assert deadlines == {"countersign": (7, "003 art.48"), "meeting_documents": (7, "003 art.44")}
    assert {m.article for m in p.meetings} == {"003 art.40", "003 art.41"}
    assert all(m.leave_article == "003 art.43" and m.leave_discouraged for m in p.meetings)


def test_wujiagang() -> None:
    p = load("wujiagang")
    assert p.level is Level.district and p.jurisdiction_label == "离市"
    chief = p.acting_rule_for(Role.chief, AbsenceKind.vacation)
    assert chief is not None and chief.actor is Role.executive_deputy and chief.article == "004 art.6"
    ab = p.acting_rule_for(Role.deputy, AbsenceKind.trip)
    assert ab is not None and ab.by_ab_partner and ab.article == "004 art.8"

    # 区长离市: the office files with 市委办公室、市政府办公室、区委办公室
    chief_chain = p.chain_for(Role.chief, AbsenceKind.trip, True)
    assert chief_chain is not None and chief_chain.article == "004 art.69"
    assert [s.action for s in chief_chain.steps] == [StepAction.file] * 3
    offices = [s.target.office for s in chief_chain.steps]
    assert all(s.target.kind is TargetKind.office for s in chief_chain.steps)
    assert len(set(offices)) == 3 and "office" not in offices
    assert {p.office_name(k) for k in offices if k} == {"市委办公室", "市政府办公室", "区委办公室"}
    assert len(chief_chain.stages) == 1  # filed at the same time

    deputy = steps_of(p, Role.deputy, AbsenceKind.vacation, True)
    assert deputy == [
        (StepAction.report, "role:chief"),
        (StepAction.notify, "leaders"),
        (StepAction.file, "office:district_party_office"),
    ]
    assert steps_of(p, Role.office_director, AbsenceKind.trip, True) == deputy

    for role in (Role.township_head, Role.dept_head):
        chain = p.chain_for(role, AbsenceKind.trip, True)
        assert chain is not None and (chain.lead_days, chain.lead_unit) == (3, DayUnit.natural)
        assert [(s.action, str(s.target)) for s in chain.steps] == [
            (StepAction.report, "office:office"),
            (StepAction.report, "leaders"),
        ]
        assert p.chain_for(role, AbsenceKind.trip, False) is None

    deadlines = {d.id: (d.days, d.article) for d in p.deadlines}
    assert deadlines == {
        "countersign": (3, "004 art.54"),
        "meeting_documents": (5, "004 art.49"),
        "instructions_assign": (2, "004 art.62"),
        "research_assign": (2, "004 art.78"),
        "research_feedback": (5, "004 art.78"),
    }
    assert {m.article for m in p.meetings} <= {f"004 art.{n}" for n in range(41, 49)}
    assert all(m.leave_article == "004 art.48" for m in p.meetings)


def test_generic() -> None:
    p = load("generic")
    assert p.seed is None
    chief = p.acting_rule_for(Role.chief, AbsenceKind.trip)
    assert chief is not None and chief.actor is Role.executive_deputy
    ab = p.acting_rule_for(Role.deputy, AbsenceKind.sick)
    assert ab is not None and ab.both_away is BothAway.office_designates
    leaves = p.chain_for(Role.deputy, AbsenceKind.trip, True)
    assert leaves is not None and (leaves.lead_days, leaves.lead_unit) == (1, DayUnit.natural)
    assert "001 art.6" in p.articles()
    assert p.duty.days is DutyDays.holiday_block


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_chief_absence_has_someone_acting(profile_id: str) -> None:
    p = load(profile_id)
    for kind in AbsenceKind:
        rule = p.acting_rule_for(Role.chief, kind)
        assert rule is not None and rule.actor is Role.executive_deputy


# --------------------------------------------------------------------------------------------
# Malformed files
# --------------------------------------------------------------------------------------------

SAMPLE = """\
schema = 1
id = "sample"
name = "样例市人民政府"
short_name = "样例市"
level = "city"
seed = "000"
source_title = "样例市人民政府工作规则"
jurisdiction_label = "离市"

[titles]
chief = "市长"
executive_deputy = "常务副市长"
deputy = "副市长"
secretary_general = "秘书长"
office_director = "市政府办公室主任"
party_member = "党组成员"
dept_head = "部门主要负责人"
township_head = "县(区)政府主要负责人"
staff = "工作人员"

[offices]
office = "市政府办公室"

[[acting]]
absent_role = "chief"
actor = "executive_deputy"
scope = "代行市长职责"
article = "000 art.10"

[[not_together]]
roles = ["chief", "executive_deputy"]
severity = "warning"
article = "000 art.84"

[[chains]]
id = "chief_absence"
label = "市长外出备案"
roles = ["chief"]
scope = "any"
article = "000 art.84"
[[chains.steps]]
action = "file"
target = "office:office"
label = "备案"

[[chains]]
id = "deputy_leaves_city"
label = "副市长离市报告"
roles = ["deputy"]
scope = "leaves_jurisdiction"
lead_days = 1
article = "000 art.84"
[[chains.steps]]
action = "report"
target = "any:chief,executive_deputy"
label = "报告市长或常务副市长"

[duty]
days = "holiday_weekdays"
pool = ["executive_deputy", "deputy"]
article = "000 art.81"

[[deadlines]]
id = "countersign"
label = "会签回复"
days = 7
unit = "workdays"
article = "000 art.49"

[[meetings]]
id = "executive"
label = "常务会议"
members = ["chief", "deputy"]
quorum = "at_least_half"
leave_approver = "role:chief"
article = "000 art.42"
"""


def write(tmp_path: Path, text: str, name: str = "sample.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(old: str, new: str) -> str:
    assert SAMPLE.count(old) >= 1, old
    return SAMPLE.replace(old, new, 1)


def test_sample_is_valid(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, SAMPLE))
    assert profile.chain_for(Role.deputy, AbsenceKind.trip, True) is not None
    assert profile.chain_for(Role.deputy, AbsenceKind.trip, False) is None
    assert profile.duty.shifts == ("全天",) and profile.duty.chief_share == 0.0
    assert profile.chains[1].kinds == tuple(AbsenceKind)
    assert profile.chains[1].urgent is Urgent.none


BAD_FILES = [
    # (old text, new text, key path the message must name)
    ("lead_days = 1", "lead_dayz = 1", "chains[1].lead_dayz"),  # unknown key
    ('jurisdiction_label = "离市"', 'jurisdiction_label = "离市"\ntitel = "x"', "titel"),  # unknown top key
    (
        'label = "备案"',
        'label = "备案"\nparalel_with_previous = true',
        "chains[0].steps[0].paralel_with_previous",
    ),
    ('roles = ["deputy"]', 'roles = ["boss"]', "chains[1].roles[0]"),  # bad role
    ('absent_role = "chief"', 'absent_role = "mayor"', "acting[0].absent_role"),
    ('actor = "executive_deputy"', 'actor = "chief"', "acting[0].actor"),  # acts for himself
    ('pool = ["executive_deputy", "deputy"]', 'pool = ["executive_deputy", "staff"]', "duty.pool[1]"),
    ('pool = ["executive_deputy", "deputy"]', 'pool = ["chief", "deputy"]', "duty.pool[0]"),
    ('target = "any:chief,executive_deputy"', 'target = "boss"', "chains[1].steps[0].target"),  # bad target
    ('target = "any:chief,executive_deputy"', 'target = "role:boss"', "chains[1].steps[0].target"),
    ('target = "any:chief,executive_deputy"', 'target = "any:chief"', "chains[1].steps[0].target"),
    ('target = "office:office"', 'target = "office:nowhere"', "chains[0].steps[0].target"),
    ('target = "office:office"', 'target = "convener"', "chains[0].steps[0].target"),
    ('leave_approver = "role:chief"', 'leave_approver = "boss"', "meetings[0].leave_approver"),
    ('scope = "leaves_jurisdiction"', 'scope = "abroad"', "chains[1].scope"),  # bad enum
    ('severity = "warning"', 'severity = "fatal"', "not_together[0].severity"),
    ('action = "report"', 'action = "stamp"', "chains[1].steps[0].action"),
    ('days = "holiday_weekdays"', 'days = "holidays"', "duty.days"),
    ('unit = "workdays"', 'unit = "weeks"', "deadlines[0].unit"),
    ('quorum = "at_least_half"', 'quorum = "all"', "meetings[0].quorum"),
    ('level = "city"', 'level = "province"', "level"),
    ('roles = ["chief"]', 'roles = ["chief"]\nkinds = ["holiday"]', "chains[0].kinds[0]"),
    ('article = "000 art.10"\n', "", "acting[0].article"),  # missing article
    ('article = "000 art.81"\n', "", "duty.article"),
    ('article = "000 art.49"\n', "", "deadlines[0].article"),
    ('article = "000 art.10"', 'article = "第十条"', "acting[0].article"),  # malformed article
    ('article = "000 art.84"', 'article = "000 art.八十四"', "not_together[0].article"),
    ('staff = "工作人员"\n', "", "titles.staff"),  # every role needs a title
    ('office = "市政府办公室"', 'main = "市政府办公室"', "offices.office"),
    ("lead_days = 1", "lead_days = true", "chains[1].lead_days"),  # wrong type
    ("lead_days = 1", "lead_days = -1", "chains[1].lead_days"),
    (
        'label = "备案"',
        'label = "备案"\nparallel_with_previous = true',
        "chains[0].steps[0].parallel_with_previous",
    ),
    ('id = "deputy_leaves_city"', 'id = "chief_absence"', "chains[1].id"),  # duplicate id
    ("schema = 1", "schema = 2", "schema"),
    ('roles = ["chief", "executive_deputy"]', 'roles = ["chief"]', "not_together[0].roles"),
]


@pytest.mark.parametrize(("old", "new", "key_path"), BAD_FILES, ids=[case[2] for case in BAD_FILES])
def test_malformed_file_names_file_and_key(tmp_path: Path, old: str, new: str, key_path: str) -> None:
    path = write(tmp_path, edited(old, new), name="panzhihua.toml")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert "panzhihua.toml" in message and key_path in message, message
    assert info.value.path == key_path and info.value.source == "panzhihua.toml"


def test_bad_target_message_lists_the_grammar(tmp_path: Path) -> None:
    path = write(
        tmp_path, edited('target = "any:chief,executive_deputy"', 'target = "boss"'), "panzhihua.toml"
    )
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(info.value) == (
        "规则文件 panzhihua.toml 中 chains[1].steps[0].target 的值“boss”无效:"
        "可用 role:<角色>、any:<角色>,<角色>、supervisor、portfolio:<分管领域,如 外事>、office:<键>、leaders"
    )


def test_unknown_key_message_lists_allowed_keys(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, edited("lead_days = 1", "lead_dayz = 1")))
    assert "lead_days" in str(info.value) and "未知" in str(info.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = edited('label = "备案"', 'label = "备案')  # unterminated string
    line = text.splitlines().index('label = "备案') + 1
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, text, "xiping.toml"))
    assert "xiping.toml" in str(info.value) and f"第 {line} 行" in str(info.value)
    assert info.value.line == line


def test_missing_file_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"nowhere\.toml"):
        load_profile(tmp_path / "nowhere.toml")


def test_not_utf8_is_a_profile_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(SAMPLE.encode("gbk"))
    with pytest.raises(ProfileError, match=r"gbk\.toml.*UTF-8"):
        load_profile(path)


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert load_profile(path).id == "sample"


def test_parse_profile_names_the_source() -> None:
    import tomllib

    data = tomllib.loads(edited('roles = ["deputy"]', 'roles = ["boss"]'))
    with pytest.raises(ProfileError, match=r"内存中的规则 中 chains\[1\]\.roles\[0\]"):
        parse_profile(data, "内存中的规则")


def test_split_article() -> None:
    assert split_article("000 art.84") == ("000", 84)
    with pytest.raises(ValueError):
        split_article("art.84")


def test_profile_error_is_shown_to_the_user() -> None:
    from desktop.core.errors import UserError

    assert issubclass(ProfileError, UserError) and issubclass(ProfileError, ValueError)
