"""What the security rules keep in the database, so every web worker sees the same: recent login attempts (the
rate limit), API refresh tokens, and the leases of a fair's running allocation, matching or schedule.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_attempt") as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempt_attempted_at"), ["attempted_at"], unique=False)
        batch_op.create_index("ix_login_attempt_email_time", ["email", "attempted_at"], unique=False)
        batch_op.create_index("ix_login_attempt_address_time", ["address", "attempted_at"], unique=False)

    op.create_table(
        "refresh_token",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_refresh_token_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
    )
    with op.batch_alter_table("refresh_token") as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_token_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refresh_token_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "run_lease",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("holder", GUID(length=16), nullable=False),
        sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('allocation', 'matching', 'schedule')", name=op.f("ck_run_lease_run_lease_kind")),
        sa.ForeignKeyConstraint(["fair_id"], ["fair.id"], name=op.f("fk_run_lease_fair_id_fair"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_lease")),
        sa.UniqueConstraint("fair_id", "kind", name="uq_run_lease_fair_kind"),
    )


def downgrade() -> None:
    op.drop_table("run_lease")
    with op.batch_alter_table("refresh_token") as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_token_expires_at"))
        batch_op.drop_index(batch_op.f("ix_refresh_token_user_id"))
    op.drop_table("refresh_token")
    with op.batch_alter_table("login_attempt") as batch_op:
        batch_op.drop_index("ix_login_attempt_address_time")
        batch_op.drop_index("ix_login_attempt_email_time")
        batch_op.drop_index(batch_op.f("ix_login_attempt_attempted_at"))
    op.drop_table("login_attempt")
