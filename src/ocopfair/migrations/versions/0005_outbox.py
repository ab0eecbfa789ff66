"""The outbox of emails and the record of daily scheduled runs; a fair's digest time, days before and reminder
minutes; buyers' and exhibitors' unsubscribe time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _audit_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("fair") as batch_op:
        batch_op.add_column(sa.Column("digest_time", sa.Time(), nullable=False, server_default=sa.text("'07:00:00'")))
        batch_op.add_column(sa.Column("digest_days_before", sa.Integer(), nullable=False, server_default=sa.text("3")))
        batch_op.add_column(sa.Column("reminder_minutes", sa.Integer(), nullable=False, server_default=sa.text("30")))
    for table in ("buyer", "exhibitor"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("unsubscribed_at", DateTimeUTC(timezone=True), nullable=True))

    op.create_table(
        "outbox_message",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=True),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_id", GUID(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("locked_until", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=2000), nullable=True),
        sa.Column("sent_at", DateTimeUTC(timezone=True), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')", name=op.f("ck_outbox_message_outbox_status")
        ),
        sa.CheckConstraint("kind IN ('digest', 'reminder', 'agenda')", name=op.f("ck_outbox_message_outbox_kind")),
        sa.CheckConstraint(
            "recipient_kind IN ('buyer', 'exhibitor')", name=op.f("ck_outbox_message_outbox_recipient_kind")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_message_outbox_attempts")),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fair.id"], name=op.f("fk_outbox_message_fair_id_fair"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_message_idempotency_key")),
    )
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index("ix_outbox_message_due", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "scheduled_run",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("job", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_audit_columns(),
        sa.CheckConstraint("job IN ('digest', 'rematch')", name=op.f("ck_scheduled_run_scheduled_run_job")),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fair.id"], name=op.f("fk_scheduled_run_fair_id_fair"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_run")),
        sa.UniqueConstraint("fair_id", "job", "day", name="uq_scheduled_run_day"),
    )
    with op.batch_alter_table("scheduled_run") as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_run_fair_id"), ["fair_id"], unique=False)


def downgrade() -> None:
    op.drop_table("scheduled_run")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_index("ix_outbox_message_due")
        batch_op.drop_index(batch_op.f("ix_outbox_message_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_fair_id"))
    op.drop_table("outbox_message")
    for table in ("exhibitor", "buyer"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("unsubscribed_at")
    with op.batch_alter_table("fair") as batch_op:
        batch_op.drop_column("reminder_minutes")
        batch_op.drop_column("digest_days_before")
        batch_op.drop_column("digest_time")
