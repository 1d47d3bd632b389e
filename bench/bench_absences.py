"""Benchmark: travel reports and leave at scale — 200,000 records over 20 years (not a test).

    python bench/bench_absences.py [--keep DB | --db DB] [--profile]   (with the project installed: pip install -e .)

Builds, in a temporary file database (WAL, as the app uses it), a large government: 40 leaders
(市长, 常务副市长, 28 副市长 in 14 AB pairs, 秘书长, 办公室主任, 8 党组成员) and 150 department and
township heads, with their portfolios; then 200,000 absence records 2007–2026 (spans of 1–7 days,
half days, a few long study leaves of 1–3 months; no overlaps per person; mostly approved or
returned), inserted directly with executemany in one transaction (a bench fixture, not the way
the app writes) and the meta ``max_absence_span_days`` set to the longest span. Then it times,
with time.perf_counter over several repetitions (median and max):

a. opening the record list: the id query of the lazy list model
   (``SELECT id FROM absence ORDER BY start DESC, id DESC``) and the first page of 200 rows by id;
b. the weekly board: ``absences_between`` for the week, and the whole board as 打印 builds it
   (desktop.export.absence_loaders.load_week_board: roster + calendar + desktop.core.board.build_board);
c. ``desktop.ops.absences.check`` over one year (2025).

Each of (b) and (c) is timed side by side with its raw anchor, in alternating rounds (anchor, then the
Python path, back to back) so that both see the same load on a shared machine: the same SQL statements
the Python path runs, on a bare ``sqlite3`` connection to the same file, fetching the same rows and
columns and building nothing from them — the records touching the range (the same range query on
``start``, with the meta ``max_absence_span_days`` it needs), their acting people, the people, the AB
pairs, designations and overrides, the calendar's years and days, and for the check also the portfolios
and the duty leaders of the year. The ratio is the median of the per-round ratios. Goals (issue 15):
board ≤ 3× its anchor; check ≤ 200 ms and ≤ 3× its anchor.

Before timing, the year's findings and the boards of every week of 2025 (and of the bench week) are
compared with digests recorded before the speed work (``repr`` of every finding and of every board,
cells and acting reports included): the bench stops if one differs.

With ``--profile`` it also prints the top of a cProfile of (b) and (c); ``--db`` reuses a database
kept by ``--keep`` (the fixture is deterministic). Record the figures in bench/RESULTS.md ("Absences
at scale").
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import os
import platform
import pstats
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop import ops
from desktop.core.board import build_board, week_start
from desktop.core.clock import FixedClock
from desktop.core.people import PersonDraft
from desktop.core.people_import import ParsedPeople
from desktop.core.profile import load_profile
from desktop.core.roles import Role
from desktop.resources import available_profiles, profiles_dir
from desktop.store import absences, calcache
from desktop.store.opening import open_store

SEED = 20261121
N_RECORDS = 200_000
FIRST, LAST = dt.date(2007, 1, 1), dt.date(2026, 12, 31)
NOW = dt.datetime(2026, 11, 21, 9, 30)
WEEK = dt.date(2026, 11, 23)
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
REPEAT = 15
BOARD_ROUNDS, CHECK_ROUNDS = 41, 15

#: sha256 of repr(findings of 2025), of repr(the bench week's board) and of repr(every board of 2025),
#: recorded on 644fe0f, before the speed work: they must not change.
GOLDEN_FINDINGS = "6158fdf3125507e461ce4a9471ede1a750c438e77a577091f2cd8c1855cffbf1"
GOLDEN_WEEK_BOARD = "420059b550c5d7daf750e417aec47c0a74a91af1f74152ea0f0dd8bbd5016a79"
GOLDEN_YEAR_BOARDS = "80410ffe1117788f37ce88489e70aacc62c15269cd1b3a9a5e5cc9382223fd4d"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国志强丽华明海峰雪梅卫东晓燕国栋文博振华晓东建军云志远敏国庆立新春燕涛斌红鹏辉凯玉兰刚帆琳川悦宁伟"
DESTINATIONS = ["北京", "成都", "西昌", "省委党校", "昆明", "重庆", "上海", "广州", "米易县", "盐边县", "深圳",
                "西安", "武汉", "杭州", "南京", "贵阳"]
KINDS = (["trip"] * 55 + ["vacation"] * 12 + ["personal"] * 14 + ["sick"] * 6 + ["study"] * 8 + ["abroad"] * 5)


def machine() -> str:
    uname = subprocess.run(["uname", "-srm"], capture_output=True, text=True).stdout.strip()
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len([line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("processor")]) \
        if Path("/proc/cpuinfo").exists() else "?"  # fmt: skip
    return f"{uname}; CPU: {cpu} ({cores} vCPUs); Python {platform.python_version()}"


def names(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def build_people(store, rng: random.Random) -> None:
    roles = ([(Role.chief, "市长"), (Role.executive_deputy, "常务副市长")] + [(Role.deputy, "副市长")] * 28
             + [(Role.secretary_general, "市政府秘书长"), (Role.office_director, "市政府办公室主任")]
             + [(Role.party_member, "市政府党组成员")] * 8)  # fmt: skip
    leader_names = names(rng, 190)
    units = [f"第{i:03d}{'局' if i <= 100 else '镇'}" for i in range(1, 151)]
    supervisors = [n for n, (r, _t) in zip(leader_names, roles, strict=False) if r in (Role.executive_deputy, Role.deputy)]
    portfolio: dict[str, list[str]] = {n: [] for n in supervisors}
    for i, unit in enumerate(units):
        portfolio[supervisors[i % len(supervisors)]].append(unit)
    drafts = [PersonDraft(name=n, role=r, title=t, portfolio=tuple(portfolio.get(n, ())))
              for n, (r, t) in zip(leader_names[:40], roles, strict=True)]  # fmt: skip
    for i, (n, unit) in enumerate(zip(leader_names[40:], units, strict=True)):
        role = Role.dept_head if i < 100 else Role.township_head
        title = f"{unit}{'局长' if role is Role.dept_head else '镇长'}"
        drafts.append(PersonDraft(name=n, role=role, title=title, unit=unit,
                                  supervisor=supervisors[i % len(supervisors)]))  # fmt: skip
    deputies = [n for n, (r, _t) in zip(leader_names[:40], roles, strict=True) if r is Role.deputy]
    ab = tuple((deputies[i], deputies[i + 1], 0) for i in range(0, len(deputies), 2))
    ops.people.import_people(store, ParsedPeople(tuple(drafts), tuple(range(2, 2 + len(drafts))), ab, ()))


def generate(store, rng: random.Random) -> tuple[int, int]:
    """Insert N_RECORDS non-overlapping records per person; return (rows, longest span in days)."""
    person_ids = [pid for (pid,) in store.conn.execute("SELECT id FROM person ORDER BY id")]
    per_person = N_RECORDS // len(person_ids)
    extra = N_RECORDS - per_person * len(person_ids)
    days = (LAST - FIRST).days + 1
    today = NOW.date()
    rows, acting = [], []
    longest = 0
    for k, pid in enumerate(person_ids):
        n = per_person + (1 if k < extra else 0)
        kinds = [rng.choice(KINDS) for _ in range(n)]
        spans = [rng.randint(30, 90) if kind == "study" and rng.random() < 0.03  # a long study leave
                 else rng.choices(range(1, 8), weights=(30, 25, 18, 10, 7, 5, 5))[0] for kind in kinds]  # fmt: skip
        # The free days are cut at random points: records never overlap and fill the 20 years.
        free = days - sum(spans) - n
        cuts = sorted(rng.randint(0, free) for _ in range(n))
        used = 0
        for i, (kind, span) in enumerate(zip(kinds, spans, strict=True)):
            start = FIRST + dt.timedelta(days=used + i + cuts[i])
            used += span
            end = start + dt.timedelta(days=span - 1)
            start_half = "pm" if rng.random() < 0.06 else "full"
            end_half = "am" if rng.random() < 0.06 and (end > start or start_half == "full") else "full"
            reported = dt.datetime.combine(start - dt.timedelta(days=rng.randint(0, 6)), dt.time(rng.randint(8, 18)))
            actual_return = None
            if end < today:
                r = rng.random()
                state = ("returned" if r < 0.72 else "approved" if r < 0.90 else "cancelled" if r < 0.94
                         else "rejected" if r < 0.96 else "withdrawn" if r < 0.98 else "submitted")  # fmt: skip
                if state == "returned":  # mostly on time; some back a day early or a day late
                    shift = rng.choices((0, -1, 1), weights=(90, 5, 5))[0]
                    actual_return = end + dt.timedelta(days=shift if end + dt.timedelta(days=shift) >= start else 0)
            else:
                state = rng.choice(["approved", "approved", "in_progress", "submitted", "draft"])
            longest = max(longest, (max(end, actual_return or end) - start).days)
            dest = rng.choice(DESTINATIONS) if kind in ("trip", "study", "abroad") or rng.random() < 0.3 else ""
            stamp = reported.isoformat(timespec="minutes")
            rows.append((pid, kind, start.isoformat(), start_half, end.isoformat(), end_half, dest,
                         "工作需要", int(dest != "" and rng.random() < 0.7), stamp, int(rng.random() < 0.03),
                         "", state, actual_return.isoformat() if actual_return else None, "full", "", None, None,
                         1, stamp, stamp))  # fmt: skip
            if rng.random() < 0.02:
                acting.append((len(rows) - 1, person_ids[(k + 1) % len(person_ids)]))
    # Ids in entry order: records are entered over time, roughly in the order they start.
    order = sorted(range(len(rows)), key=lambda i: (rows[i][2], rows[i][0]))
    new_id = {old: new for new, old in enumerate(order, start=1)}
    rows = [(new_id[i], *rows[i]) for i in order]
    acting = sorted((new_id[i], pid) for i, pid in acting)
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO absence (id, person_id, kind, start, start_half, end, end_half, destination, reason,"
            " leaves_jurisdiction, reported_at, urgent, contact, state, actual_return, actual_return_half,"
            " state_note, original_end, original_end_half, version, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.conn.executemany("INSERT INTO absence_acting (absence_id, person_id) VALUES (?, ?)", acting)
        store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value ="
                           " excluded.value", (absences.MAX_SPAN_KEY, str(longest)))  # fmt: skip
    store.conn.execute("ANALYZE")
    return len(rows), longest


def timed(fn, repeat: int = REPEAT) -> tuple[float, float, object]:
    """(median ms, max ms, last result) over ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), result


def side_by_side(anchor, path, rounds: int) -> tuple[float, float, float, float, float, object]:
    """Alternate the raw anchor and the Python path, back to back, ``rounds`` times.

    (anchor median ms, path median ms, path max ms, median of the per-round ratios path/anchor,
    anchor max ms, the path's last result)."""
    a_times, p_times, ratios, result = [], [], [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        anchor()
        t1 = time.perf_counter()
        result = path()
        t2 = time.perf_counter()
        a_times.append((t1 - t0) * 1000)
        p_times.append((t2 - t1) * 1000)
        ratios.append((t2 - t1) / (t1 - t0))
    return (statistics.median(a_times), statistics.median(p_times), max(p_times), statistics.median(ratios),
            max(a_times), result)


def raw_reads(conn: sqlite3.Connection, start: dt.date, end: dt.date, *, check: bool) -> int:
    """The raw anchor: the rows the Python path reads for [start, end], fetched with bare sqlite3 (the
    same statements, nothing built from the rows). Returns the number of rows fetched."""
    span = conn.execute("SELECT value FROM meta WHERE key = ?", (absences.MAX_SPAN_KEY,)).fetchone()
    low = (start - dt.timedelta(days=int(span[0]) if span else 0)).isoformat()
    rows = conn.execute(f"SELECT {absences._COLUMNS} FROM absence WHERE start BETWEEN ? AND ?"
                        " AND MAX(end, COALESCE(actual_return, end)) >= ? ORDER BY start, id",
                        (low, end.isoformat(), start.isoformat())).fetchall()  # fmt: skip
    ids = [r[0] for r in rows]
    n = len(rows)
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        n += len(conn.execute("SELECT absence_id, person_id FROM absence_acting WHERE absence_id IN"
                              f" ({','.join('?' * len(part))})", part).fetchall())  # fmt: skip
    for sql in ("SELECT id, name, role, title, rank, phone, unit, active, note, version FROM person ORDER BY rank, id",
                "SELECT a_id, b_id FROM ab_pair",
                "SELECT designation_id, person_id FROM designation_absent",
                "SELECT id, date_from, date_to, designee_id, reason, by FROM designation ORDER BY id",
                "SELECT id, roles, date_from, date_to, reason, by FROM warning_override ORDER BY id",
                "SELECT year, source FROM calendar_year ORDER BY year",
                "SELECT day, rest, name, source, note FROM calendar_day"):  # fmt: skip
        n += len(conn.execute(sql).fetchall())
    if check:
        n += len(conn.execute("SELECT p.person_id, u.name FROM portfolio p JOIN unit u ON u.id = p.unit_id"
                              " ORDER BY u.rank, u.id").fetchall())  # fmt: skip
        n += len(conn.execute("SELECT day, person_id FROM duty_assignment WHERE slot = ? AND day BETWEEN ? AND ?"
                              " ORDER BY day, seq", ("leader", start.isoformat(), end.isoformat())).fetchall())  # fmt: skip
    return n


def memo_week_board(store, profile, day: dt.date):
    """load_week_board with the calendar from desktop.store.calcache instead of load_calendar."""
    monday = week_start(day)
    sunday = monday + dt.timedelta(days=6)
    r = absences.roster(store, monday, sunday)
    return build_board(monday, profile, r.people, r.absences, ab_pairs=r.ab_pairs, designations=r.designations,
                       overrides=r.overrides, calendar=calcache.calendar_for(store, sunday.year))  # fmt: skip


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def profile_top(fn, n: int = 18) -> str:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(n)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", type=Path, help="build the database at this path and keep it")
    where.add_argument("--db", type=Path, help="use this database, built before with --keep (not rebuilt)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the board and the check")
    parser.add_argument("--rules-changed", action="store_true",
                        help="measure even when the findings or boards differ from the digests of the speed work "
                             "(the rules were changed on purpose since, e.g. issue 14's wording: compare speed, "
                             "not results)")
    args = parser.parse_args(argv)

    from desktop.export.absence_loaders import load_week_board  # the same loader the 打印 menu uses

    rng = random.Random(SEED)
    folder = tempfile.TemporaryDirectory(prefix="dutydesk-bench-")
    path = args.db or args.keep or Path(folder.name) / "bench.db"
    print(machine())
    print(f"code measured: {Path(ops.__file__).parents[1]}")
    profile = load_profile(profiles_dir() / "panzhihua.toml")
    if args.db:
        store = open_store(path, FixedClock(NOW), operator="bench")
        n_people = store.conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]
        n = store.conn.execute("SELECT COUNT(*) FROM absence").fetchone()[0]
        print(f"fixture: {path} (kept by --keep): {n_people} people, {n:,} records")
    else:
        if path.exists():
            path.unlink()
        store = open_store(path, FixedClock(NOW), operator="bench")
        ops.org.init_org(store, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
        t0 = time.perf_counter()
        build_people(store, rng)
        n_people = store.conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]
        t1 = time.perf_counter()
        n, longest = generate(store, rng)
        t2 = time.perf_counter()
        print(f"fixture: {n_people} people in {(t1 - t0) * 1000:.0f} ms; {n:,} records 2007–2026 in "
              f"{(t2 - t1):.1f} s (longest span {longest + 1} days)")
    states = dict(store.conn.execute("SELECT state, COUNT(*) FROM absence GROUP BY state").fetchall())
    print(f"states {states}")
    raw = sqlite3.connect(path)  # the anchors' bare connection to the same file

    # Nothing may change: the year's findings and the boards, as before the speed work.
    findings = ops.absences.check(store, profile, *YEAR)
    week_board = load_week_board(store, profile, WEEK)
    mondays = [YEAR[0] - dt.timedelta(days=YEAR[0].weekday()) + dt.timedelta(days=7 * i) for i in range(53)]
    year_boards = [load_week_board(store, profile, m) for m in mondays if m <= YEAR[1]]
    same = {"findings of 2025": (digest(findings), GOLDEN_FINDINGS),
            "board of the bench week": (digest(week_board), GOLDEN_WEEK_BOARD),
            f"{len(year_boards)} boards of 2025": (digest(year_boards), GOLDEN_YEAR_BOARDS)}
    for what, (now, before) in same.items():
        print(f"{what}: {'identical to before the speed work' if now == before else 'CHANGED'} ({now[:16]})")
    if any(now != before for now, before in same.values()) and not args.rules_changed:
        raise SystemExit("the findings or the boards changed: the speed work must not change them")

    # (a) the record list: all ids in display order, then the first page of 200 rows by id
    def ids():
        return [r[0] for r in store.conn.execute("SELECT id FROM absence ORDER BY start DESC, id DESC")]

    def first_page(all_ids):
        page = all_ids[:200]
        marks = ",".join("?" * len(page))
        return absences._load(store, f"SELECT {absences._COLUMNS} FROM absence WHERE id IN ({marks})", page)

    ids_med, ids_max, all_ids = timed(ids)
    page_med, page_max, page = timed(lambda: first_page(all_ids))
    open_med, open_max, _ = timed(lambda: first_page(ids()))
    assert len(all_ids) == n and len(page) == 200

    # (b) the weekly board, side by side with its raw anchor
    load_before = load()
    sunday = WEEK + dt.timedelta(days=6)
    q_med, q_max, week_records = timed(lambda: absences.absences_between(store, WEEK, sunday))
    week_rows = raw_reads(raw, WEEK, sunday, check=False)
    rb_med, b_med, b_max, b_ratio, rb_max, board = side_by_side(
        lambda: raw_reads(raw, WEEK, sunday, check=False), lambda: load_week_board(store, profile, WEEK),
        BOARD_ROUNDS)  # fmt: skip
    away_cells = sum(1 for row in board.rows for c in row.cells if not c.present)
    # For information: the same board with the calendar memo (desktop.store.calcache), as the loader
    # will read it once it switches from load_calendar to calcache.calendar_for.
    rm_med, m_med, m_max, m_ratio, _rm_max, memo_board = side_by_side(
        lambda: raw_reads(raw, WEEK, sunday, check=False), lambda: memo_week_board(store, profile, WEEK),
        BOARD_ROUNDS)  # fmt: skip
    assert digest(memo_board) == digest(week_board)  # the memo reads the same board

    # (c) check over one year, side by side with its raw anchor
    year_rows = raw_reads(raw, *YEAR, check=True)
    rc_med, c_med, c_max, c_ratio, rc_max, findings = side_by_side(
        lambda: raw_reads(raw, *YEAR, check=True), lambda: ops.absences.check(store, profile, *YEAR),
        CHECK_ROUNDS)  # fmt: skip
    year_records = len(absences.absences_between(store, *YEAR))
    load_after = load()

    rows = [
        (f"(a) ids, ORDER BY start DESC, id DESC ({n:,} ids)", ids_med, ids_max),
        ("(a) first page: 200 records by id", page_med, page_max),
        ("(a) open the list (ids + first page)", open_med, open_max),
        (f"(b) absences_between for the week ({len(week_records)} records)", q_med, q_max),
        (f"(b) raw anchor of the board: bare sqlite3, the same reads ({week_rows:,} rows)", rb_med, rb_max),
        (f"(b) weekly board: roster + calendar + build_board ({len(board.rows)} leaders, {away_cells} cells away)",
         b_med, b_max),
        (f"(b) weekly board, calendar from calcache (info; raw anchor {rm_med:.1f} ms, ratio {m_ratio:.2f}x)",
         m_med, m_max),
        (f"(c) raw anchor of the check: bare sqlite3, the same reads ({year_rows:,} rows)", rc_med, rc_max),
        (f"(c) check 2025 ({year_records:,} records, {len(findings):,} findings)", c_med, c_max),
    ]
    print()
    print(f"{'operation':<82}{'median ms':>10}{'max ms':>10}")
    for label, med, top in rows:
        print(f"{label:<82}{med:10.1f}{top:10.1f}")
    print()
    print(f"while timing (b) and (c): {load_before} before, {load_after} after, on {os.cpu_count()} CPUs")
    print(f"ratios (median of {BOARD_ROUNDS} / {CHECK_ROUNDS} alternating rounds): board / raw {b_ratio:.2f}x;"
          f" check / raw {c_ratio:.2f}x")
    print(f"goals: board <= 3x its raw anchor: {'met' if b_ratio <= 3 else 'MISSED'} ({b_ratio:.2f}x);"
          f" check for a year <= 200 ms: {'met' if c_med <= 200 else 'MISSED'} ({c_med:.0f} ms);"
          f" check <= 3x its raw anchor: {'met' if c_ratio <= 3 else 'MISSED'} ({c_ratio:.2f}x)")
    if args.profile:
        print(profile_top(lambda: load_week_board(store, profile, WEEK)))
        print(profile_top(lambda: ops.absences.check(store, profile, *YEAR)))
    raw.close()
    store.close()
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
