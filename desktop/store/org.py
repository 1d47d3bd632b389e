"""The organisation this database belongs to: its name and its rule profile (meta table)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.errors import UserError
from desktop.store import audit
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


def init_org(store: Store, profile_id: str, name: str, known_profiles: tuple[str, ...]) -> Org:
    """Set up (or switch) the government's preset; the first run does this once."""
    if profile_id not in known_profiles:
        raise UserError(f"未知的规则预设“{profile_id}”。可选:{'、'.join(known_profiles)}")
    name = name.strip()
    if not name:
        raise UserError("请填写单位名称,例如“攀枝花市人民政府办公室”。")
    with store.atomic():
        before = get_org(store)
        for key, value in (("profile_id", profile_id), ("org_name", name)):
            store.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               (key, value))
        audit.record(store, "init", "org", None, f"设置单位:{name},规则预设 {profile_id}",
                     before=before and {"name": before.name, "profile_id": before.profile_id},
                     after={"name": name, "profile_id": profile_id})
    return Org(name=name, profile_id=profile_id)
