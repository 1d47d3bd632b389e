"""单位录入员 and the departments' holiday duty rosters (desktop step m008).

``operator.unit_id`` (the unit a 单位录入员 files and sees) with the role ``unit_clerk``; the tables
``dept_roster`` and ``dept_roster_entry`` (001 art.57) with their image triggers.

Revision ID: s002
Revises: s001
"""

import sqlalchemy as sa
from alembic import op

revision = "s002"
down_revision = "s001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from desktop.store.server_schema import _trigger_ddl

    op.add_column("operator", sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=True))
    op.drop_constraint("operator_role", "operator", type_="check")
    op.create_check_constraint("operator_role", "operator", "role IN ('admin', 'clerk', 'unit_clerk', 'viewer')")
    op.create_check_constraint("operator_unit", "operator", "role <> 'unit_clerk' OR unit_id IS NOT NULL")
    op.create_table(
        "dept_roster",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("holiday", sa.Text, nullable=False),
        sa.Column("start", sa.Text, nullable=False),
        sa.Column("end", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False, server_default="entered"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.CheckConstraint("source IN ('entered', 'imported')", name="dept_roster_source"),
        sa.CheckConstraint('"end" >= start', name="dept_roster_span"),
        sa.UniqueConstraint("unit_id", "start", name="dept_roster_scope"),
    )
    op.create_index("dept_roster_start", "dept_roster", ["start"])
    op.create_table(
        "dept_roster_entry",
        sa.Column("roster_id", sa.Integer, sa.ForeignKey("dept_roster.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Text, nullable=False),
        sa.Column("slot", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("phone", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("slot IN ('leader', 'officer')", name="dept_roster_entry_slot"),
        sa.PrimaryKeyConstraint("roster_id", "day", "slot", "seq"),
    )
    for sql in _trigger_ddl(("dept_roster", "dept_roster_entry")):
        op.execute(sql)
