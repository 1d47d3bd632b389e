"""A seeded random government for the golden tests of check_range and build_board.

The speed work on the checks, the acting resolution and the board must not change a single
finding, message or board cell. `tests/test_checks.py` and `tests/test_board.py` run the
checks of a year and every weekly board of it on this data and compare a digest of the whole
result (``repr`` of every finding, every cell, every acting report) with the digest recorded
before that work. The data has what the fast paths must get right: half days, early and late
returns, every state, named acting people (some away themselves), AB pairs with one partner
missing, an inactive leader, designations, overrides, duty days and overlapping records.

If a change of wording or of a rule is intended, the digest changes with it: print the new one
with ``python -m tests.golden_government`` and update the constants, saying why in the commit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.acting import ActingReport, Designation, Override
from desktop.core.board import WeekBoard, build_board, week_start
from desktop.core.calseed import seed_calendar
from desktop.core.checks import check_range
from desktop.core.people import Person
from desktop.core.profile import DayUnit, Profile, load_profile
from desktop.core.roles import AbsenceKind, Role

PROFILES = Path(__file__).parents[1] / "resources" / "profiles"
YEAR = 2026
FIRST, LAST = date(YEAR, 1, 1), date(YEAR, 12, 31)
TODAY = date(YEAR, 11, 21)

#: Profile name -> (digest of the year's findings, digest of every weekly board of the year), recorded
#: on commit 644fe0f, before the speed work (bench/RESULTS.md "Absences at scale"). The findings of
#: panzhihua, rizhao and wujiagang changed with issue 14 (trips abroad have their own chains: 000 art.59,
#: 001 art.50(四), 004 art.56(四); 004 art.69 covers only 离市出差或休假); every profile's findings and
#: the boards of 攀枝花 and 吐鲁番 changed when the office director stopped being suggested for a designation
#: (000 art.61 其他市政府领导). Every board changed when its notes (注) took full-width punctuation (issue 14:
#: official texts use ：，；（）); the cells and acting reports did not.
GOLDEN = {
    "generic": ("ee0eb8ae54cf4d548aa3f79055e944d7248d77ea7ef7280271e7600d993fd57d",
        "b7ab3fc1a20e94b35ffd0f530c4b3d5d31f4c982a4a467a4d55e68bea2931bd1"),
    "panzhihua": ("01ec018b8bb177ace720c130a5b1eed1fd22432b6df6fe4162b751a3ac430ea7",
        "1f9f21932bc5654b1852b32cc3484700cd770f696cf72259a13feda895de4d35"),
    "rizhao": ("f9826e53bfff78fe92ce13801c4754427013926fd6b4344a5284e2551769cb05",
        "667a359bcbe84b5ac960e54820fe56cd31019c5e231fd13f837df009e8b7fb5b"),
    "turpan": ("d3abcbd10b2788fe1bd74dc6efe2b08d7acaf9b45a6e653903375404a0db7253",
        "5b345c3e9ed78a9b6e4f3172c2c6213039efb24495b4cd17e1aa1d289cf5dcfe"),
    "wujiagang": ("6a716761f74eee74df41057f6c70e4e12b58a935cdde4249b8a983ac32543355",
        "119f653520786cc242ef28390962bead229d56adfdaf83500bc20010f883d155"),
    "xiping": ("5354789814fa74cf62838da4ef5e5f24d18c22e00031ceaa84b9bb50fa97250f",
        "acf5e819966119ff29204e4c8e53787bb87ef1ed66c94416ab219d2b48fb1be9"),
    "panzhihua_workdays": ("4e36fd243ac5779ef87499aa798e49456b7d56a8791315cf37b3b05eeeedd114",
        "1f9f21932bc5654b1852b32cc3484700cd770f696cf72259a13feda895de4d35"),
}


@dataclasses.dataclass(frozen=True)
class Government:
    people: list[Person]
    pairs: list[tuple[int, int]]
    absences: list[Absence]
    designations: list[Designation]
    overrides: list[Override]
    duty: list[tuple[date, int]]
    portfolios: dict[int, list[str]]


def government(seed: int = 20261207, n_records: int = 2_000) -> Government:
    rng = random.Random(seed)
    people = [Person(1, "王市长", Role.chief, "市长", 1), Person(2, "陈常务", Role.executive_deputy, "", 2)]
    people += [Person(i, f"副{i}", Role.deputy, "副市长" if i % 3 else "", i) for i in range(3, 15)]
    people += [Person(15, "停用副市长", Role.deputy, "副市长", 15, active=False),
               Person(16, "秘书长", Role.secretary_general, "", 16), Person(17, "主任", Role.office_director, "", 17),
               Person(18, "党组甲", Role.party_member, "", 18), Person(19, "党组乙", Role.party_member, "", 19)]
    people += [Person(i, f"局长{i}", Role.dept_head if i < 130 else Role.township_head, "", i, unit=f"单位{i}")
               for i in range(100, 140)]  # fmt: skip
    # 3–12 in pairs; 13 has no partner; 14's partner is the inactive 15.
    pairs = [(i, i + 1) for i in range(3, 13, 2)] + [(14, 15)]
    portfolios = {i: [f"单位{u}" for u in range(100 + (i - 3) * 4, 104 + (i - 3) * 4)] for i in range(3, 12)}
    ids = [p.id for p in people]
    states = list(AbsenceState)
    records = []
    for n in range(1, n_records + 1):
        pid = rng.choice(ids) if rng.random() < 0.5 else rng.randint(1, 19)
        start = FIRST - timedelta(days=10) + timedelta(days=rng.randrange(380))
        end = start + timedelta(days=rng.choice((0, 0, 1, 2, 3, 6, 20)))
        start_half = Half.pm if rng.random() < 0.12 else Half.full
        end_half = Half.am if rng.random() < 0.12 and (end > start or start_half is Half.full) else Half.full
        state = rng.choice(states + [AbsenceState.approved] * 4 + [AbsenceState.returned] * 3)
        actual, actual_half = None, Half.full
        if state is AbsenceState.returned:
            actual = max(start, end + timedelta(days=rng.choice((-1, 0, 0, 0, 1, 2))))
            actual_half = Half.am if rng.random() < 0.1 and (actual > start or start_half is Half.full) else Half.full
        reported = None
        if rng.random() > 0.03:
            reported = datetime.combine(start - timedelta(days=rng.choice((-1, 0, 0, 1, 1, 2, 3, 5))),
                                        time(rng.randint(7, 20), rng.choice((0, 30))))  # fmt: skip
        acting = ()
        if rng.random() < 0.08:
            acting = tuple(rng.sample([i for i in range(1, 20) if i != pid], rng.choice((1, 1, 2))))
        kind = rng.choice(list(AbsenceKind))
        records.append(Absence(
            id=n, person_id=pid, kind=kind, start=start, start_half=start_half, end=end, end_half=end_half,
            destination=rng.choice(("", "北京", "成都")), reason="工作", leaves_jurisdiction=rng.random() < 0.6,
            reported_at=reported, urgent=rng.random() < 0.05, acting_ids=acting, state=state,
            actual_return=actual, actual_return_half=actual_half)) # fmt: skip
    designations = []
    for n in range(1, 9):
        a = rng.randrange(3, 13, 2)
        d0 = FIRST + timedelta(days=rng.randrange(360))
        designations.append(Designation(d0, d0 + timedelta(days=rng.randrange(6)), frozenset({a, a + 1}),
                                        rng.choice((16, 17, 13, 2, a)), "协调", "办公室", n))  # fmt: skip
    overrides = []
    for n in range(1, 5):
        d0 = FIRST + timedelta(days=rng.randrange(360))
        overrides.append(Override(frozenset({Role.chief, Role.executive_deputy}), d0,
                                  d0 + timedelta(days=rng.randrange(10)), "共同参会" if n % 2 else " ", "办公室", n))  # fmt: skip
    duty = [(FIRST + timedelta(days=rng.randrange(365)), rng.randint(1, 19)) for _ in range(60)]
    return Government(people, pairs, records, designations, overrides, duty, portfolios)


def profiles() -> dict[str, Profile]:
    """Every shipped profile by name, and panzhihua with its notice periods in working days."""
    out = {p.stem: load_profile(p) for p in sorted(PROFILES.glob("*.toml"))}
    pzh = out["panzhihua"]
    chains = tuple(dataclasses.replace(c, lead_days=c.lead_days + 1, lead_unit=DayUnit.workdays) for c in pzh.chains)
    out["panzhihua_workdays"] = dataclasses.replace(pzh, chains=chains)
    return out


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def report_key(r: ActingReport) -> tuple:
    """Everything an acting report says, people and records by id (they are the inputs' own)."""
    return (r.date, r.half, [(e.person.id, e.absence.id, e.half) for e in r.away],
            [(e.absent_person.id, e.actor.id if e.actor else None, e.basis, e.scope, e.article, e.half, e.duties,
              e.designation_id) for e in r.acting],
            [(g.kind, [p.id for p in g.absent], g.reason, [p.id for p in g.suggestions], g.article, g.severity, g.half)
             for g in r.gaps], r.warnings)  # fmt: skip


def board_key(b: WeekBoard) -> tuple:
    """Every header, cell (its parts, actors and printed lines), note and acting report of a board."""
    rows = [(row.person.id, row.title, [(c.day.day, [(p.half, p.absence.id, [(x.id, h) for x, h in p.actors],
                                                      p.to_arrange) for p in c.parts], c.entries) for c in row.cells],
             row.runs() and [(i, n) for i, n, _c in row.runs()]) for row in b.rows]  # fmt: skip
    return (b.start, b.days, rows, b.notes, [report_key(r) for r in b.reports])


def findings_digest(gov: Government, profile: Profile, calendar=None) -> str:
    calendar = calendar if calendar is not None else seed_calendar([YEAR + 1])
    findings = check_range(FIRST, LAST, profile, calendar, gov.people, gov.pairs, gov.absences, gov.designations,
                           gov.overrides, gov.duty, today=TODAY, portfolios=gov.portfolios)  # fmt: skip
    return digest(findings)


def boards_digest(gov: Government, profile: Profile, calendar=None) -> str:
    """Every weekly board of the year, cells and acting reports (repr of the whole WeekBoard)."""
    calendar = calendar if calendar is not None else seed_calendar([YEAR + 1])
    boards = []
    monday = week_start(FIRST)
    while monday <= LAST:
        sunday = monday + timedelta(days=6)  # the records touching the week, as the store reads them
        week = [a for a in gov.absences if a.start <= sunday and max(a.end, a.actual_return or a.end) >= monday]
        boards.append(build_board(monday, profile, gov.people, week, ab_pairs=gov.pairs,
                                  designations=gov.designations, overrides=gov.overrides, calendar=calendar))  # fmt: skip
        monday += timedelta(days=7)
    return digest([board_key(b) for b in boards])


if __name__ == "__main__":
    gov = government()
    cal = seed_calendar([YEAR + 1])
    for name, p in profiles().items():
        print(f'"{name}": ("{findings_digest(gov, p, cal)}",\n    "{boards_digest(gov, p, cal)}"),')
