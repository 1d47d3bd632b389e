"""The office's adjustments of its rule profile (规则 → 调整规则): saved, reset to the preset, imported,
each an audited operation; and the profile in force (the preset with the adjustments).

The adjustments are an override layer (desktop.core.profile_overrides) over the preset under
resources/profiles/: the preset file is never changed, so a new program version's preset still
applies wherever the office changed nothing. A set of adjustments is saved only when the profile
loader accepts the merged rules (bad input writes nothing, with the loader's Chinese message).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

from desktop.core import profile_overrides as po
from desktop.core.access import Permission
from desktop.core.errors import UserError
from desktop.core.profile import Profile, ProfileError, load_profile, parse_profile
from desktop.ops.base import Entity, Tx, operation
from desktop.resources import profiles_dir
from desktop.store import profile_overrides as rows
from desktop.store.db import Store
from desktop.store.org import get_org


def _profile_id(store: Store) -> str:
    org = get_org(store)
    if org is None:
        raise UserError("这个数据库还没有设置单位和规则预设:请先运行 dutydesk init --profile …,或在程序中完成首次设置。")
    return org.profile_id


def preset_data(profile_id: str) -> dict[str, Any]:
    """The preset's TOML data as shipped (resources/profiles/ID.toml)."""
    path = profiles_dir() / f"{profile_id}.toml"
    load_profile(path)  # the loader's own checks and messages for an unreadable preset
    return tomllib.loads(path.read_text(encoding="utf-8-sig"))


def overrides(store: Store) -> dict[str, Any]:
    return rows.get_all(store)


def merged(profile_id: str, changes: Mapping[str, Any]) -> Profile:
    """The profile of the preset with `changes`: ProfileError/UserError (Chinese) when the loader refuses it."""
    source = f"{profile_id}.toml"
    if not changes:
        return load_profile(profiles_dir() / source)
    return parse_profile(po.apply(preset_data(profile_id), changes), f"{source}(本单位调整)")


def effective(store: Store) -> Profile:
    """The rules in force: the government's preset with the office's adjustments."""
    profile_id = _profile_id(store)
    found = rows.get_all(store)
    if not found:
        return load_profile(profiles_dir() / f"{profile_id}.toml")
    try:
        return merged(profile_id, found)
    except UserError as exc:
        raise UserError(f"本单位的规则调整与当前的规则预设不一致:{exc} 请在“规则 → 调整规则”中改正或恢复预设。") from None


def _changed(profile_id: str, wanted: Mapping[str, Any]) -> dict[str, Any]:
    """Only the settings that differ from the preset (a value put back to the preset is no override)."""
    data = preset_data(profile_id)
    return {p: v for p, v in wanted.items() if po.value_at(data, p) != v}


def _save(tx: Tx, wanted: Mapping[str, Any], what: str) -> Profile:
    store = tx.store
    profile_id = _profile_id(store)
    changes = _changed(profile_id, wanted)
    try:
        profile = merged(profile_id, changes)
    except ProfileError as exc:
        raise UserError(f"规则调整未保存:{exc}") from None
    before = rows.get_all(store)
    if before == changes:
        return profile
    rows.replace_all(store, changes)
    paths = sorted(set(before) | set(changes))
    diff = [p for p in paths if before.get(p) != changes.get(p)]
    tx.audit("override", Entity.profile, None, f"{what}:{len(diff)} 项({'、'.join(diff[:5])}{'等' if len(diff) > 5 else ''})",
             before=before, after=changes)
    return profile


@operation(Permission.rules)
def save_overrides(tx: Tx, wanted: Mapping[str, Any]) -> Profile:
    """Save the office's adjustments (path -> value; the whole set): refused in Chinese, nothing
    written, when the rules they make are not valid."""
    return _save(tx, wanted, "调整规则")


@operation(Permission.rules)
def reset_to_preset(tx: Tx) -> Profile:
    """恢复预设: drop every adjustment."""
    return _save(tx, {}, "恢复规则预设")


@operation(Permission.rules)
def import_overrides(tx: Tx, text: str) -> Profile:
    """Import a file written by `export_text` (of the same preset)."""
    profile_id, wanted = po.loads(text)
    mine = _profile_id(tx.store)
    if profile_id != mine:
        raise UserError(f"这个规则调整文件是“{profile_id}”预设的,本单位使用“{mine}”预设,不能导入。没有修改任何数据。")
    return _save(tx, wanted, "导入规则调整")


def export_text(store: Store) -> str:
    """The office's adjustments as a TOML file's text."""
    return po.dumps(_profile_id(store), rows.get_all(store))
