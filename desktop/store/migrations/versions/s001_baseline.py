"""Baseline: the schema of desktop.store.tables as server mode first shipped it (desktop steps m001–m011).

A new server database is created from desktop.store.tables and stamped with the head; this
revision has nothing to do. Later schema changes are revisions after it, run on every server
database by desktop.store.server_schema.upgrade.

Revision ID: s001
Revises:
"""

revision = "s001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass
