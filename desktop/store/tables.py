"""The schema as one SQLAlchemy Core definition: what a server database is created from.

A server database (`dutydesk server init`) is made from `METADATA` and stamped with the Alembic
head (desktop/store/migrations); later schema changes are Alembic revisions. A desktop file keeps
its own history of steps (desktop.store.schema), and
tests/test_server_schema.py holds the two to the same tables, columns, keys and indexes.

Only portable types: INTEGER, TEXT, REAL (dates and times are ISO text, flags are 0/1 integers),
so the same queries run on SQLite, PostgreSQL and the PostgreSQL-compatible servers of government
offices (KingbaseES, openGauss, HighGo). Importing this module imports SQLAlchemy: the embedded
mode never does.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import Float as Real

METADATA = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _ref(name: str, target: str, *, nullable: bool = False, **kw) -> Column:
    return Column(name, Integer, ForeignKey(target, **kw), nullable=nullable)


def _text(name: str, *, default: str | None = None, nullable: bool = False) -> Column:
    if default is None:
        return Column(name, Text, nullable=nullable)
    return Column(name, Text, nullable=nullable, server_default=default)


def _flag(name: str, default: int) -> Column:
    return Column(name, Integer, nullable=False, server_default=str(default))


def _version() -> Column:
    return Column("version", Integer, nullable=False, server_default="1")


meta = Table("meta", METADATA, Column("key", Text, primary_key=True), Column("value", Text))

unit = Table(
    "unit", METADATA, _id(),
    Column("name", Text, nullable=False, unique=True),
    _text("kind", default="department"),
    Column("rank", Integer, nullable=False, server_default="0"),
    CheckConstraint("kind IN ('department', 'township')", name="unit_kind"),
)

person = Table(
    "person", METADATA, _id(),
    Column("name", Text, nullable=False, unique=True),
    _text("role"), _text("title", default=""),
    Column("rank", Integer, nullable=False),
    _text("phone", default=""), _text("unit", default=""),
    _flag("active", 1), _text("note", default=""), _version(),
    _text("created_at"), _text("updated_at"),
    CheckConstraint("active IN (0, 1)", name="person_active"),
    Index("person_rank", "active", "rank"),
)

portfolio = Table(
    "portfolio", METADATA, _ref("person_id", "person.id"), _ref("unit_id", "unit.id"),
    PrimaryKeyConstraint("person_id", "unit_id"),
    Index("portfolio_unit", "unit_id"),
)

ab_pair = Table(
    "ab_pair", METADATA, _id(),
    Column("a_id", Integer, ForeignKey("person.id"), nullable=False, unique=True),
    Column("b_id", Integer, ForeignKey("person.id"), nullable=False, unique=True),
    CheckConstraint("a_id < b_id", name="ab_pair_order"),
)

audit = Table(
    "audit", METADATA, _id(),
    _text("at"), _text("operator"), _text("action"), _text("entity"),
    Column("entity_id", Integer),
    _text("summary", default=""), _text("before", nullable=True), _text("after", nullable=True),
    _text("prev_hash"), _text("hash"), _text("image", nullable=True), _text("mac", nullable=True),
    Index("audit_entity", "entity", "entity_id"),
)

calendar_day = Table(
    "calendar_day", METADATA,
    Column("day", Text, primary_key=True),
    Column("rest", Integer, nullable=False),
    _text("name", nullable=True), _text("source"), _text("note", nullable=True),
    CheckConstraint("rest IN (0, 1)", name="calendar_day_rest"),
    CheckConstraint("source IN ('official', 'notice', 'corrected')", name="calendar_day_source"),
)

calendar_year = Table(
    "calendar_year", METADATA,
    Column("year", Integer, primary_key=True, autoincrement=False),
    _text("source"), _text("title", nullable=True), _text("updated_at", nullable=True),
    CheckConstraint("source IN ('official', 'notice', 'corrected')", name="calendar_year_source"),
)

absence = Table(
    "absence", METADATA, _id(),
    _ref("person_id", "person.id"), _text("kind"),
    _text("start"), _text("start_half", default="full"), _text("end"), _text("end_half", default="full"),
    _text("destination", default=""), _text("reason", default=""),
    _flag("leaves_jurisdiction", 0), _text("reported_at", nullable=True), _flag("urgent", 0),
    _text("contact", default=""), _text("state"),
    _text("actual_return", nullable=True), _text("actual_return_half", default="full"),
    _text("state_note", default=""), _text("original_end", nullable=True), _text("original_end_half", nullable=True),
    _text("chain_id", nullable=True), _version(), _text("created_at"), _text("updated_at"),
    CheckConstraint('"end" >= start', name="absence_span"),
    Index("absence_start", "start"),
    Index("absence_person", "person_id", "start"),
    Index("absence_state", "state"),
)

absence_acting = Table(
    "absence_acting", METADATA, _ref("absence_id", "absence.id"), _ref("person_id", "person.id"),
    PrimaryKeyConstraint("absence_id", "person_id"),
)

absence_step = Table(
    "absence_step", METADATA,
    _ref("absence_id", "absence.id"),
    Column("seq", Integer, nullable=False), Column("stage", Integer, nullable=False),
    _text("action"), _text("label"), _text("target_text"),
    _ref("assignee_id", "person.id", nullable=True), _text("office", nullable=True),
    _ref("substitute_for_id", "person.id", nullable=True),
    _text("state", default="pending"), _text("done_by", nullable=True), _text("done_at", nullable=True),
    _text("comment", default=""), _text("note", default=""),
    PrimaryKeyConstraint("absence_id", "seq"),
    Index("absence_step_pending", "state", "assignee_id"),
)

designation = Table(
    "designation", METADATA, _id(),
    _text("date_from"), _text("date_to"), _ref("designee_id", "person.id"),
    _text("reason", default=""), _text("by", default=""), _text("created_at"),
    CheckConstraint("date_to >= date_from", name="designation_span"),
)

designation_absent = Table(
    "designation_absent", METADATA, _ref("designation_id", "designation.id"), _ref("person_id", "person.id"),
    PrimaryKeyConstraint("designation_id", "person_id"),
)

warning_override = Table(
    "warning_override", METADATA, _id(),
    _text("roles"), _text("date_from"), _text("date_to"), _text("reason"),
    _text("by", default=""), _text("created_at"),
    CheckConstraint("date_to >= date_from", name="warning_override_span"),
)

duty_plan = Table(
    "duty_plan", METADATA, _id(),
    Column("year", Integer, nullable=False), _text("label"), _text("start"), _text("end"), _text("slot"),
    _flag("provisional", 0), _version(), _text("created_at"), _text("updated_at"),
    CheckConstraint("slot IN ('leader', 'officer')", name="duty_plan_slot"),
    CheckConstraint("provisional IN (0, 1)", name="duty_plan_provisional"),
    CheckConstraint('"end" >= start', name="duty_plan_span"),
    UniqueConstraint("slot", "start", "end", name="duty_plan_scope"),
    Index("duty_plan_year", "year", "slot"),
)

duty_assignment = Table(
    "duty_assignment", METADATA,
    _ref("plan_id", "duty_plan.id", ondelete="CASCADE"),
    _text("day"), _text("slot"), Column("seq", Integer, nullable=False, server_default="0"),
    _text("shift", default=""), _ref("person_id", "person.id"),
    _text("fixed", nullable=True), _text("note", default=""),
    _text("holiday", nullable=True), _text("heavy", nullable=True),
    _flag("provisional", 0), _text("reasons", default="[]"),
    CheckConstraint("slot IN ('leader', 'officer')", name="duty_assignment_slot"),
    CheckConstraint("fixed IS NULL OR fixed IN ('pin', 'swap', 'replace')", name="duty_assignment_fixed"),
    CheckConstraint("provisional IN (0, 1)", name="duty_assignment_provisional"),
    PrimaryKeyConstraint("plan_id", "day", "shift", "seq"),
    Index("duty_assignment_day", "slot", "day", "shift", "person_id", unique=True),
    Index("duty_assignment_person", "person_id", "day"),
)

duty_plan_issue = Table(
    "duty_plan_issue", METADATA, _id(),
    _ref("plan_id", "duty_plan.id", ondelete="CASCADE"), _text("how"), _text("at"), _text("by", default=""),
    Column("plan_version", Integer, nullable=False),
    CheckConstraint("how IN ('print', 'export')", name="duty_plan_issue_how"),
    Index("duty_plan_issue_plan", "plan_id"),
)

duty_quota = Table(
    "duty_quota", METADATA,
    _ref("person_id", "person.id"), Column("year", Integer, nullable=False),
    _text("slot", default="leader"), Column("quota", Real, nullable=False), _text("reason", default=""),
    CheckConstraint("slot IN ('leader', 'officer')", name="duty_quota_slot"),
    CheckConstraint("quota >= 0", name="duty_quota_positive"),
    PrimaryKeyConstraint("person_id", "year", "slot"),
)

duty_unavailable = Table(
    "duty_unavailable", METADATA,
    _ref("person_id", "person.id"), _text("day"), _text("reason", default=""), _text("created_at"),
    PrimaryKeyConstraint("person_id", "day"),
)

meeting = Table(
    "meeting", METADATA, _id(),
    _text("type"), _text("title"), _text("starts_at"), _text("ends_at", nullable=True),
    _text("place", default=""), _ref("convener_id", "person.id", nullable=True),
    _text("minutes_done", nullable=True), _text("documents_done", nullable=True),
    _text("note", default=""), _version(), _text("created_at"), _text("updated_at"),
    Index("meeting_starts", "starts_at"),
)

meeting_member = Table(
    "meeting_member", METADATA,
    _ref("meeting_id", "meeting.id", ondelete="CASCADE"), _ref("person_id", "person.id"), _text("role"),
    CheckConstraint("role IN ('member', 'attendee')", name="meeting_member_role"),
    PrimaryKeyConstraint("meeting_id", "person_id"),
)

meeting_topic = Table(
    "meeting_topic", METADATA,
    _ref("meeting_id", "meeting.id", ondelete="CASCADE"), Column("seq", Integer, nullable=False),
    _text("title"), _text("unit", default=""),
    PrimaryKeyConstraint("meeting_id", "seq"),
)

meeting_leave = Table(
    "meeting_leave", METADATA, _id(),
    _ref("meeting_id", "meeting.id", ondelete="CASCADE"), _ref("person_id", "person.id"),
    _text("reason"), _text("substitute", default=""), _text("state"),
    _ref("approver_id", "person.id", nullable=True), _ref("approver_for_id", "person.id", nullable=True),
    _text("approver_text", default=""), _text("approver_note", default=""),
    _ref("absence_id", "absence.id", nullable=True),
    _text("requested_at"), _text("decided_at", nullable=True), _text("decided_by", default=""),
    _text("comment", default=""), _version(),
    # m013 / s003: 书面请假 on file, the office steps before and after the approval (003 art.43, 004 art.48)
    _flag("written", 0), _text("forwarded_at", nullable=True), _text("forwarded_by", default=""),
    _text("filed_at", nullable=True), _text("filed_by", default=""),
    CheckConstraint("state IN ('requested', 'approved', 'rejected', 'withdrawn')", name="meeting_leave_state"),
    CheckConstraint("written IN (0, 1)", name="meeting_leave_written"),
    Index("meeting_leave_meeting", "meeting_id", "person_id"),
)

profile_override = Table(
    "profile_override", METADATA,
    Column("path", Text, primary_key=True), _text("value"), _text("updated_at"), _text("by", default=""),
)

operator = Table(
    "operator", METADATA, _id(),
    _text("name"), _text("display_name", default=""), _text("role"), _text("password_hash"),
    _flag("active", 1), _text("created_at"), _text("last_login_at", nullable=True),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    _text("locked_until", nullable=True), _version(),
    _ref("unit_id", "unit.id", nullable=True),  # 单位录入员: the unit whose heads he files and sees (s002)
    CheckConstraint("role IN ('admin', 'clerk', 'unit_clerk', 'viewer')", name="operator_role"),
    CheckConstraint("active IN (0, 1)", name="operator_active"),
    CheckConstraint("role <> 'unit_clerk' OR unit_id IS NOT NULL", name="operator_unit"),
)
# SQLite's column is UNIQUE COLLATE NOCASE: one name, whatever its letter case.
Index("operator_name", func.lower(operator.c.name), unique=True)

# Departments' holiday duty rosters (001 art.57), one per unit and holiday block (s002).
dept_roster = Table(
    "dept_roster", METADATA, _id(),
    _ref("unit_id", "unit.id"), Column("year", Integer, nullable=False), _text("holiday"),
    _text("start"), _text("end"), _text("source", default="entered"), _text("note", default=""), _version(),
    _text("created_at"), _text("updated_at"),
    CheckConstraint("source IN ('entered', 'imported')", name="dept_roster_source"),
    CheckConstraint('"end" >= start', name="dept_roster_span"),
    UniqueConstraint("unit_id", "start", name="dept_roster_scope"),
    Index("dept_roster_start", "start"),
)

dept_roster_entry = Table(
    "dept_roster_entry", METADATA,
    _ref("roster_id", "dept_roster.id", ondelete="CASCADE"),
    _text("day"), _text("slot"), Column("seq", Integer, nullable=False, server_default="0"),
    _text("name"), _text("title", default=""), _text("phone", default=""),
    CheckConstraint("slot IN ('leader', 'officer')", name="dept_roster_entry_slot"),
    PrimaryKeyConstraint("roster_id", "day", "slot", "seq"),
)
