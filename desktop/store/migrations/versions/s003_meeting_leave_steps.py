"""Meeting leave as each text says (desktop step m013): ``meeting_leave.written`` (书面请假 on file,
003 art.43), ``forwarded_at`` / ``forwarded_by`` (the office step before the approval, 呈报市长审批) and
``filed_at`` / ``filed_by`` (the office filing after it, 004 art.48 向区政府办公室书面报备).

The table's image triggers read whole rows, so they need no change.

Revision ID: s003
Revises: s002
"""

import sqlalchemy as sa
from alembic import op

revision = "s003"
down_revision = "s002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("meeting_leave", sa.Column("written", sa.Integer, nullable=False, server_default="0"))
    op.create_check_constraint("meeting_leave_written", "meeting_leave", "written IN (0, 1)")
    op.add_column("meeting_leave", sa.Column("forwarded_at", sa.Text, nullable=True))
    op.add_column("meeting_leave", sa.Column("forwarded_by", sa.Text, nullable=False, server_default=""))
    op.add_column("meeting_leave", sa.Column("filed_at", sa.Text, nullable=True))
    op.add_column("meeting_leave", sa.Column("filed_by", sa.Text, nullable=False, server_default=""))
