"""The organisation this database belongs to: its name and its rule profile (meta table).

A repository; setting it up is the operation desktop.ops.org.init_org.
"""

from __future__ import annotations

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
