"""The organisation this database belongs to: its name and its rule profile (meta table).

A repository; setting it up is the operation desktop.ops.org.init_org.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from desktop.store.db import Store


@dataclass(frozen=True)
class Org:
    name: str
    profile_id: str


def get_org(store: Store) -> Org | None:
    profile = store.meta("profile_id")
    if profile is None:
        return None
    return Org(name=store.meta("org_name", "") or "", profile_id=profile)


def write_org(store: Store, profile_id: str, name: str) -> None:
    for key, value in (("profile_id", profile_id), ("org_name", name)):
        store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           (key, value))


CALENDAR_ID_KEY = "calendar_id"


def calendar_id(store: Store) -> str:
    """The database's calendar id (made once by the migration m008_calendar_id): what the ICS
    exports' UIDs are built from. A database opened read-only before that migration ran has none:
    its exports use what they used before (8 hex digits of the office name's SHA-256)."""
    value = store.meta(CALENDAR_ID_KEY)
    if value:
        return value
    return hashlib.sha256((store.meta("org_name", "") or "").strip().encode("utf-8")).hexdigest()[:8]
