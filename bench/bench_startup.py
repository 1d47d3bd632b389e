"""Start-up to the first painted window: DutyDesk against a bare PySide6 QMainWindow.

    python bench/bench_startup.py [-n 7] [--frozen dist/DutyDesk/DutyDesk]

The goal is measured on `python -m desktop --demo` (a new demo database each time, so the calendar seed
and demo data are built at every start); `--db existing.db` is the everyday start, timed alongside.
All run offscreen (QT_QPA_PLATFORM=offscreen) in a fresh process each time, alternating, so drift in the
machine's load hits both alike. The clock is the parent's: from just before the child is spawned to the
moment its `first-paint-ms` line arrives, so interpreter start-up and imports count. The child's own
figure (from its first line of Python) is printed alongside. One discarded warm-up run of each puts the
files in the page cache first: these are cold *process* starts, not cold *disk* starts (that would need
dropping the system's caches). The app's data and config folders are redirected to a temp folder.

--no-numpy runs the source app with numpy made unimportable: sqlite-utils imports numpy when it is
installed (100+ ms), and a clean install of DutyDesk, like the frozen build, has none.

Goal: DutyDesk's median no more than 1.5 x the bare window's. DutyDesk paints its window first and opens
the database right after (desktop/app.py); its `ready-ms` line — the database open and the first section
painted — is timed too and printed as "ready".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL_RATIO = 1.5
TIMEOUT_S = 120

# The bare window reports its first paint the way desktop/app.py does (an event filter on the window).
BARE_WINDOW = """
import sys, time
started = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1100, 720)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            print(f"first-paint-ms {1000 * (time.perf_counter() - started):.1f}", flush=True)
            QTimer.singleShot(0, window.close)
        return False

spy = FirstPaint()
window.installEventFilter(spy)
window.show()
sys.exit(app.exec())
"""

# `python -m desktop` with numpy unimportable (what a clean install sees).
NO_NUMPY = (
    "import runpy, sys; sys.modules['numpy'] = None; sys.argv[0] = 'desktop'; "
    "runpy.run_module('desktop', run_name='__main__', alter_sys=True)"
)


def time_to_first_paint(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float | None]:
    """(parent wall ms from spawn to the first-paint line, the child's own ms, parent wall ms to the
    `ready-ms` line — the database open and the first section painted — or None if the child has none).

    A child that never paints (a start-up error shows a modal dialog, which waits forever offscreen) is
    killed after TIMEOUT_S and reported with its stderr.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, text=True)
        watchdog = threading.Timer(TIMEOUT_S, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            wall = child = ready = None
            for line in proc.stdout:
                if line.startswith("first-paint-ms"):
                    wall = 1000 * (time.perf_counter() - started)
                    child = float(line.split()[1])
                elif line.startswith("ready-ms"):
                    ready = 1000 * (time.perf_counter() - started)
            proc.stdout.close()
            code = proc.wait()
        finally:
            watchdog.cancel()
        if wall is None or child is None or code != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{' '.join(cmd)}: no first paint (exit code {code})\n{tail}")
    return wall, child, ready


def summary(name: str, walls: list[float], childs: list[float], readies: list[float]) -> str:
    line = (f"{name:<25} median {statistics.median(walls):7.1f} ms   min {min(walls):7.1f} ms   "
            f"(in-process median {statistics.median(childs):6.1f} ms)")
    if readies:
        line += f"   ready median {statistics.median(readies):7.1f} ms"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument("--frozen", type=Path, help="also time a frozen build's executable")
    parser.add_argument("--no-numpy", action="store_true", help="run the source app as if numpy were not installed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dutydesk-bench-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DUTYDESK_SMOKE": "1",
               "DUTYDESK_DATA_DIR": str(Path(tmp) / "data"), "DUTYDESK_CONFIG_DIR": str(Path(tmp) / "config")}
        source_app = [sys.executable, "-c", NO_NUMPY] if args.no_numpy else [sys.executable, "-m", "desktop"]

        def existing_db(program: list[str], name: str) -> str:
            """The everyday start: a database that already exists, made by the program that opens it
            (a frozen build refuses a database from a newer schema)."""
            db = Path(tmp) / name
            subprocess.run([*program, "init", "--profile", "panzhihua", "--db", str(db)],
                           env=env, check=True, stdout=subprocess.DEVNULL, timeout=TIMEOUT_S)
            return str(db)

        subjects = {
            "bare QMainWindow": [sys.executable, "-c", BARE_WINDOW],
            "python -m desktop": [*source_app, "--demo"],
            "... --db existing.db": [*source_app, "--db", existing_db(source_app, "source.db")],
        }
        if args.frozen:
            subjects["frozen --demo"] = [str(args.frozen), "--demo"]
            subjects["frozen --db existing.db"] = [
                str(args.frozen), "--db", existing_db([str(args.frozen)], "frozen.db")]
        for cmd in subjects.values():  # warm-up: page cache, .pyc files
            time_to_first_paint(cmd, env)
        walls: dict[str, list[float]] = {name: [] for name in subjects}
        childs: dict[str, list[float]] = {name: [] for name in subjects}
        readies: dict[str, list[float]] = {name: [] for name in subjects}
        for _ in range(args.n):
            for name, cmd in subjects.items():
                wall, child, ready = time_to_first_paint(cmd, env)
                walls[name].append(wall)
                childs[name].append(child)
                if ready is not None:
                    readies[name].append(ready)

    if args.no_numpy:
        print("(source app run with numpy unimportable)")
    for name in subjects:
        print(summary(name, walls[name], childs[name], readies[name]))
    bare, app = walls["bare QMainWindow"], walls["python -m desktop"]
    ratio = statistics.median(app) / statistics.median(bare)
    print(f"ratio app/bare: median {ratio:.2f}x, min {min(app) / min(bare):.2f}x "
          f"(goal <= {GOAL_RATIO}x: {'met' if ratio <= GOAL_RATIO else 'MISSED'})")
    for name in list(subjects)[2:]:
        print(f"ratio {name.strip('. ')}/bare: median {statistics.median(walls[name]) / statistics.median(bare):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
