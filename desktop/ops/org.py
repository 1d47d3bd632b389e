"""Operations on the organisation: set it up (单位名称 and the rule preset), and the demo government.

Each is one transaction (desktop.ops.base); the preset and the name are checked inside it.
"""

from __future__ import annotations

from desktop.core.access import Permission
from desktop.core.errors import UserError
from desktop.core.people_import import ParsedPeople
from desktop.core.profile import Profile
from desktop.ops import people as people_ops
from desktop.ops.base import Entity, Tx, operation
from desktop.store import demo
from desktop.store import org as rows
from desktop.store.org import Org


def profile_of(store) -> Profile:
    """The rule profile of the database's government (its preset under resources/profiles/ with the
    office's adjustments, desktop.ops.profile), for an operation called without one; the GUI and the
    CLI pass the profile they show."""
    from desktop.ops.profile import effective

    return effective(store)


@operation(Permission.rules)
def init_org(tx: Tx, profile_id: str, name: str, known_profiles: tuple[str, ...]) -> Org:
    """Set up (or switch) the government's preset; the first run does this once."""
    if profile_id not in known_profiles:
        raise UserError(f"未知的规则预设“{profile_id}”。可选:{'、'.join(known_profiles)}")
    name = name.strip()
    if not name:
        raise UserError("请填写单位名称,例如“攀枝花市人民政府办公室”。")
    before = rows.get_org(tx.store)
    rows.write_org(tx.store, profile_id, name)
    tx.audit("init", Entity.org, None, f"设置单位:{name},规则预设 {profile_id}",
             before=before and {"name": before.name, "profile_id": before.profile_id},
             after={"name": name, "profile_id": profile_id})
    return Org(name=name, profile_id=profile_id)


@operation(Permission.rules, Permission.people)
def populate(tx: Tx, known_profiles: tuple[str, ...]) -> None:
    """Fill an empty database with the sample government (desktop.store.demo), in one transaction."""
    init_org(tx.store, demo.DEMO_PROFILE, demo.DEMO_ORG, known_profiles)
    drafts = demo.demo_drafts()
    ab = tuple((a.replace(" ", ""), b.replace(" ", ""), 0) for a, b in demo.AB)
    parsed = ParsedPeople(drafts=tuple(drafts), rows=tuple(range(2, 2 + len(drafts))), ab=ab, errors=())
    people_ops.import_people(tx.store, parsed)
