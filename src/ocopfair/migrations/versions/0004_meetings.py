"""Meeting requests, availability and scheduled meetings; the fair's request deadline and meeting tables.

Partial unique indexes over live meetings keep a buyer, an exhibitor, a booth table and a shared table to one meeting
per start time, on SQLite and PostgreSQL alike.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LIVE_REQUEST = "status IN ('pending', 'accepted')"
LIVE_MEETING = "status <> 'cancelled'"
SHARED_TABLE = "booth_id IS NULL AND status <> 'cancelled'"


def _audit_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _partial_unique(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(name, table, columns, unique=True, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    with op.batch_alter_table("fair") as batch_op:
        batch_op.add_column(sa.Column("meeting_request_deadline", DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("meeting_tables_per_booth", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch_op.add_column(
            sa.Column("shared_meeting_tables", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.create_table(
        "meeting_request",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("buyer_id", GUID(length=16), nullable=False),
        sa.Column("exhibitor_id", GUID(length=16), nullable=False),
        sa.Column("demand_id", GUID(length=16), nullable=True),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answered_at", DateTimeUTC(timezone=True), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint("priority IN ('must', 'would_like')", name=op.f("ck_meeting_request_request_priority")),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'expired', 'cancelled')",
            name=op.f("ck_meeting_request_request_status"),
        ),
        _fk("meeting_request", "fair_id", "fair", "CASCADE"),
        _fk("meeting_request", "buyer_id", "buyer", "CASCADE"),
        _fk("meeting_request", "exhibitor_id", "exhibitor", "CASCADE"),
        _fk("meeting_request", "demand_id", "demand", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_request")),
    )
    with op.batch_alter_table("meeting_request") as batch_op:
        for column in ("fair_id", "buyer_id", "exhibitor_id"):
            batch_op.create_index(batch_op.f(f"ix_meeting_request_{column}"), [column], unique=False)
    _partial_unique("uq_live_meeting_request", "meeting_request", ["fair_id", "buyer_id", "exhibitor_id"], LIVE_REQUEST)

    op.create_table(
        "meeting_availability",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("buyer_id", GUID(length=16), nullable=True),
        sa.Column("exhibitor_id", GUID(length=16), nullable=True),
        sa.Column("unavailable", JsonB, nullable=False),
        sa.Column("max_per_day", sa.Integer(), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint(
            "(buyer_id IS NULL) <> (exhibitor_id IS NULL)",
            name=op.f("ck_meeting_availability_availability_one_participant"),
        ),
        sa.CheckConstraint(
            "max_per_day IS NULL OR max_per_day >= 0", name=op.f("ck_meeting_availability_availability_cap")
        ),
        _fk("meeting_availability", "fair_id", "fair", "CASCADE"),
        _fk("meeting_availability", "buyer_id", "buyer", "CASCADE"),
        _fk("meeting_availability", "exhibitor_id", "exhibitor", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_availability")),
        sa.UniqueConstraint("fair_id", "buyer_id", name="uq_availability_buyer"),
        sa.UniqueConstraint("fair_id", "exhibitor_id", name="uq_availability_exhibitor"),
    )
    with op.batch_alter_table("meeting_availability") as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_availability_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("request_id", GUID(length=16), nullable=True),
        sa.Column("buyer_id", GUID(length=16), nullable=False),
        sa.Column("exhibitor_id", GUID(length=16), nullable=False),
        sa.Column("booth_id", GUID(length=16), nullable=True),
        sa.Column("table_no", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("starts_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("ends_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        *_audit_columns(),
        sa.CheckConstraint("kind IN ('requested', 'suggested')", name=op.f("ck_meeting_meeting_kind")),
        sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name=op.f("ck_meeting_meeting_status")),
        sa.CheckConstraint("table_no >= 1", name=op.f("ck_meeting_meeting_table_no")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meeting_meeting_times")),
        _fk("meeting", "fair_id", "fair", "CASCADE"),
        _fk("meeting", "request_id", "meeting_request", "SET NULL"),
        _fk("meeting", "buyer_id", "buyer", "CASCADE"),
        _fk("meeting", "exhibitor_id", "exhibitor", "CASCADE"),
        _fk("meeting", "booth_id", "booth", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting") as batch_op:
        for column in ("fair_id", "request_id", "buyer_id", "exhibitor_id"):
            batch_op.create_index(batch_op.f(f"ix_meeting_{column}"), [column], unique=False)
    _partial_unique("uq_meeting_buyer_time", "meeting", ["fair_id", "buyer_id", "starts_at"], LIVE_MEETING)
    _partial_unique("uq_meeting_exhibitor_time", "meeting", ["fair_id", "exhibitor_id", "starts_at"], LIVE_MEETING)
    _partial_unique("uq_meeting_booth_table_time", "meeting", ["booth_id", "table_no", "starts_at"], LIVE_MEETING)
    _partial_unique("uq_meeting_shared_table_time", "meeting", ["fair_id", "table_no", "starts_at"], SHARED_TABLE)


def downgrade() -> None:
    for name in (
        "uq_meeting_shared_table_time",
        "uq_meeting_booth_table_time",
        "uq_meeting_exhibitor_time",
        "uq_meeting_buyer_time",
    ):
        op.drop_index(name, table_name="meeting")
    op.drop_table("meeting")
    op.drop_table("meeting_availability")
    op.drop_index("uq_live_meeting_request", table_name="meeting_request")
    op.drop_table("meeting_request")
    with op.batch_alter_table("fair") as batch_op:
        batch_op.drop_column("shared_meeting_tables")
        batch_op.drop_column("meeting_tables_per_booth")
        batch_op.drop_column("meeting_request_deadline")
