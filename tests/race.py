"""Two secretaries press 保存 at the same instant: a barrier starts two writers together.

Each writer is a thread with its own connection (`open_store`, as a second DutyDesk on the same
PC would have), opened before the barrier so that only the operation itself races. sqlite3
releases the GIL while SQLite works, so the two operations really run at once: without the write
lock taken first, both would read "no overlap" and both would write.

Used by tests/test_races.py (and any test of an operation that checks a rule).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.clock import Clock
from desktop.store.db import Store
from desktop.store.opening import open_store

ROUNDS = 50  # each race is run this many times on a file (the issue "One write path"); see the `rounds` fixture


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def won(self) -> bool:
        return self.error is None


def race(db_path: Path, clock: Clock, first: Callable[[Store], Any], second: Callable[[Store], Any],
         operators: tuple[str, str] = ("王秘书", "李秘书")) -> tuple[Outcome, Outcome]:
    """Run `first` and `second`, each on its own connection, released together by a barrier."""
    barrier = threading.Barrier(2, timeout=30)
    outcomes = (Outcome(), Outcome())

    def writer(i: int, action: Callable[[Store], Any]) -> None:
        store = open_store(db_path, clock, operator=operators[i], migrate=False, daily_backup=False)
        try:
            barrier.wait()
            outcomes[i].value = action(store)
        except BaseException as exc:  # the refusal is the outcome under test
            outcomes[i].error = exc
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(i, a)) for i, a in enumerate((first, second))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # hand the GIL over often: the two operations interleave line by line
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return outcomes


def one_wins(outcomes: tuple[Outcome, Outcome], refusal: type[BaseException]) -> tuple[Outcome, Outcome]:
    """Exactly one writer succeeded and the other was refused with `refusal` (a Chinese message);
    returns (winner, loser)."""
    a, b = outcomes
    for o in outcomes:
        if o.error is not None and not isinstance(o.error, refusal):
            raise o.error
    assert [a.won, b.won].count(True) == 1, f"both won or both lost: {a.error!r} / {b.error!r}"
    winner, loser = (a, b) if a.won else (b, a)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(loser.error)), str(loser.error)
    return winner, loser
