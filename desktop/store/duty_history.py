"""Duty assignments that once were, read from the audit log's record images (desktop.store.images).

Every operation stores the full image of each duty plan it wrote (the plan with its assignments)
on its audit row. Reading them back tells which (day, slot, seq) places a plan ever had, and at
which plan version: the duty calendar export (desktop.export.ics) says STATUS:CANCELLED, with a
higher SEQUENCE, for a place that is gone, so that a phone that imported it drops it.

A repository: reads only. Audit rows written before record images existed (NULL) say nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from desktop.store.db import Store

__all__ = ["PastPlace", "past_places"]


@dataclass(frozen=True)
class PastPlace:
    """A (day, slot, seq) place some duty plan had: the plan, the highest plan version that had the
    place, and the highest version of that plan the log has seen at all."""

    day: dt.date
    slot: str
    seq: int
    plan_id: int
    version: int
    plan_version: int


def past_places(store: Store, start: dt.date, end: dt.date) -> list[PastPlace]:
    """Every place between ``start`` and ``end`` any logged duty plan image had, in date order."""
    places: dict[tuple[dt.date, str, int], PastPlace] = {}
    highest: dict[int, int] = {}
    rows = store.conn.execute("SELECT image FROM audit WHERE image LIKE :pattern ORDER BY id",
                              {"pattern": '%"duty_plan"%'})  # fmt: skip
    for (text,) in rows:
        try:
            plans = json.loads(text).get("duty_plan") or {}
        except (ValueError, AttributeError):
            continue
        for key, image in plans.items():
            if not image:
                continue
            plan_id, version = int(key), int(image.get("version") or 1)
            highest[plan_id] = max(highest.get(plan_id, 0), version)
            for a in image.get("assignments") or ():
                try:
                    day = dt.date.fromisoformat(str(a["day"]))
                    place = (day, str(a["slot"]), int(a.get("seq") or 0))
                except (KeyError, TypeError, ValueError):
                    continue
                if not start <= day <= end:
                    continue
                known = places.get(place)
                if known is None or (known.plan_id, known.version) <= (plan_id, version):
                    places[place] = PastPlace(*place, plan_id, version, version)
    out = [PastPlace(p.day, p.slot, p.seq, p.plan_id, p.version, highest.get(p.plan_id, p.version))
           for p in places.values()]  # fmt: skip
    return sorted(out, key=lambda p: (p.day, p.slot != "leader", p.seq))
