"""Benchmark: a read-only command on the 200,000-record database against a bare Python + sqlite3 read.

    python bench/bench_cli.py --db /tmp/b.db [--rounds 9]   (a database kept by bench_absences.py --keep)

Each round starts, back to back, (1) the anchor: a new `python -c` process that connects with the
standard library's sqlite3 and fetches the rows the command reads (the week's absence records and
the people), and (2) `python -m desktop --db COPY <command> --json` for each command below, each a
new process, as a secretary's script or another tool would run it. Wall time from spawn to exit,
median over the rounds; the ratio is the median of the per-round ratios (both see the same load).
Goal (issue "One write path"): a read-only command <= 3x the anchor. The database is copied first
and the copy is used read-only by these commands (they take no backup and run no integrity check).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANCHOR = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
          " c.execute(\"SELECT * FROM absence WHERE start BETWEEN '2026-08-18' AND '2026-11-22'"
          " AND MAX(end, COALESCE(actual_return, end)) >= '2026-11-16'\").fetchall();"
          " c.execute('SELECT * FROM person').fetchall()")
COMMANDS = {
    "acting 2026-11-18": ["acting", "2026-11-18"],
    "absence list (one week)": ["absence", "list", "--from", "2026-11-16", "--to", "2026-11-22"],
    "workdays add": ["workdays", "add", "2026-09-28", "7"],
}


def timed(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return (time.perf_counter() - t0) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="the database kept by bench_absences.py --keep")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="dutydesk-bench-cli-"))
    db = folder / "bench.db"
    shutil.copy(args.db, db)
    env = dict(os.environ, DUTYDESK_DATA_DIR=str(folder / "data"), DUTYDESK_CONFIG_DIR=str(folder / "config"))
    one, five, _ = os.getloadavg()
    print(f"{platform.platform()}; Python {platform.python_version()}; {os.cpu_count()} CPUs;"
          f" load average {one:.2f} (1 min), {five:.2f} (5 min)")
    anchors: list[float] = []
    runs: dict[str, list[float]] = {k: [] for k in COMMANDS}
    ratios: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for _ in range(args.rounds):
        anchor = timed([sys.executable, "-c", ANCHOR, str(db)], env)
        anchors.append(anchor)
        for label, cmd in COMMANDS.items():
            ms = timed([sys.executable, "-m", "desktop", "--db", str(db), *cmd, "--json"], env)
            runs[label].append(ms)
            ratios[label].append(ms / anchor)
    print(f"\n{'subject':<34}{'median ms':>10}{'ratio':>8}  goal <= 3x")
    print(f"{'anchor: python + sqlite3':<34}{statistics.median(anchors):10.1f}{1.0:8.2f}")
    for label in COMMANDS:
        ratio = statistics.median(ratios[label])
        print(f"{label:<34}{statistics.median(runs[label]):10.1f}{ratio:8.2f}  {'met' if ratio <= 3 else 'MISSED'}")
    backups = list((folder / "backups").glob("*")) if (folder / "backups").exists() else []
    print(f"\nbackups taken by the read-only commands: {len(backups)}")
    shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
