"""The office's adjustments of its rule preset as stored (m009 profile_override): path -> JSON value.
A repository: what the values mean and whether they are valid is desktop.core.profile_overrides'."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from desktop.store.db import Store


def get_all(store: Store) -> dict[str, Any]:
    return {path: json.loads(value) for path, value in
            store.conn.execute("SELECT path, value FROM profile_override ORDER BY path")}


def replace_all(store: Store, overrides: Mapping[str, Any]) -> None:
    """Store exactly these overrides (none: the preset as shipped)."""
    store.conn.execute("DELETE FROM profile_override")
    at = store.clock.now().isoformat(timespec="seconds")
    for path in sorted(overrides):
        store.conn.execute("INSERT INTO profile_override (path, value, updated_at, by) VALUES (:path, :value, :at, :by)",
                           {"path": path, "value": json.dumps(overrides[path], ensure_ascii=False), "at": at,
                            "by": store.operator})
