"""What a secretary reads cites the government's own article (issue 14 "What a secretary reads").

DESIGN.md "How a rule is shown": profiles cite "000 art.84" for tests and JSON; screens, printouts,
the 通报 and the CLI's text name the document and article — 《攀枝花市人民政府工作规则》第八十四条,
or 第八十四条 where space is short. The grep-style tests below render what each profile shows (the
规则 page, the CLI's text of `acting`, `check`, `absence add`, `meeting show`, the approval form,
the meeting printouts) and fail if a seed file number ("000 art.", "〔00", "(000)") reaches it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core import meetings as mt
from desktop.core.citation import article_number, cite, cite_many, cn_number
from desktop.core.clock import FixedClock
from desktop.core.people import Person
from desktop.core.profile import load_profile
from desktop.core.roles import Role
from desktop.export import profile_html
from desktop.resources import available_profiles

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
IDS = list(available_profiles())
#: A seed file number in user-visible text: "000 art.84", "〔第61条(000)〕", "〔00…".
LEAK = re.compile(r"\d{3}\s*art\.|〔00|[((]00\d[))]|art\.\d")
NOW = dt.datetime(2026, 11, 23, 9, 0)


def _clean(text: str) -> None:
    found = LEAK.findall(text)
    assert not found, f"用户可见的文字中出现了条款的内部编号 {found}:\n{text}"


def test_条款写成本级政府的条文():
    pzh = load_profile(PROFILES / "panzhihua.toml")
    wjg = load_profile(PROFILES / "wujiagang.toml")
    assert cite("000 art.84", pzh) == "《攀枝花市人民政府工作规则》第八十四条"
    assert cite("000 art.84", pzh, short=True) == "第八十四条"
    # an article borrowed from another government's rules always names its document
    assert cite("000 art.81", wjg, short=True) == "《攀枝花市人民政府工作规则》第八十一条"
    assert cite("004 art.69", wjg) == "《宜昌市伍家岗区人民政府工作规则》第六十九条"
    assert article_number("003 art.105") == "第一百零五条"
    assert [cn_number(n) for n in (1, 10, 11, 20, 57, 110)] == ["一", "十", "十一", "二十", "五十七", "一百一十"]
    assert cite_many(["000 art.43", "000 art.41", "000 art.43"], pzh) == "《攀枝花市人民政府工作规则》第四十一条、第四十三条"
    assert cite("", pzh) == ""


@pytest.mark.parametrize("profile_id", IDS)
def test_规则页不出现内部编号(profile_id):
    profile = load_profile(PROFILES / f"{profile_id}.toml")
    html = profile_html.render(profile)
    _clean(re.sub(r"<[^>]+>", "", html))
    if profile.seed:
        assert "第" in html and "条" in html


@pytest.mark.parametrize("profile_id", IDS)
def test_会议请假规则的文字不出现内部编号(profile_id):
    profile = load_profile(PROFILES / f"{profile_id}.toml")
    person = Person(5, "马局长", Role.dept_head, "局长", 5)
    for mtype in profile.meetings:
        meeting = mt.Meeting(id=1, type_id=mtype.id, title="", starts_at=NOW, ends_at=None, convener_id=None)
        policy = mt.leave_policy(profile, meeting, person)
        _clean(policy.approver_basis)


def _run(db: str, capsys, *argv: str) -> str:
    code = main(["--db", db, *argv], FixedClock(NOW))
    out, err = capsys.readouterr()
    assert code == 0, err
    _clean(err)
    return out


@pytest.mark.parametrize("profile_id", [p for p in IDS if p != "generic"])
def test_命令行文字输出不出现内部编号(tmp_path, capsys, profile_id):
    """A chief and an executive deputy away together (a warning), two AB partners away together (a gap),
    a late report: `acting`, `check` and `absence add` print their articles as 第N条."""
    profile = load_profile(PROFILES / f"{profile_id}.toml")
    db = str(tmp_path / "g.db")
    _run(db, capsys, "init", "--profile", profile_id, "--org", profile.name + "办公室")
    for name, role in [("王首长", "chief"), ("李常务", "executive_deputy"), ("张副", "deputy"), ("周副", "deputy")]:
        _run(db, capsys, "people", "add", name, "--role", role, *(["--portfolio", "教育局"] if name == "张副" else []))
    _run(db, capsys, "people", "add", "王主任", "--role", "office_director")
    _run(db, capsys, "people", "add", "马局长", "--role", "dept_head", "--unit", "教育局")
    _run(db, capsys, "ab", "set", "张副", "周副")
    for name in ("王首长", "李常务", "张副", "周副", "马局长"):
        out = _run(db, capsys, "absence", "add", name, "--kind", "trip", "--from", "2026-11-23", "--to",
                   "2026-11-24", "--dest", "北京", "--leaves")
        _clean(out)
    acting = _run(db, capsys, "acting", "2026-11-23")
    _clean(acting)
    assert "〔第" in acting or "〔《" in acting
    checked = _run(db, capsys, "check", "--from", "2026-11-01", "--to", "2026-11-30")
    _clean(checked)
    assert "第" in checked


def test_公文用全角标点_时间中的冒号不变():
    from desktop.core.citation import official_punctuation

    assert official_punctuation("各位领导:赴北京(开会),期间;09:30到") == "各位领导：赴北京（开会），期间；09:30到"
