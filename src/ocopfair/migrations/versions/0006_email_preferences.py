"""Buyers' and exhibitors' email preferences: the daily digest and meeting reminders, each on unless turned off.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("buyer", "exhibitor"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("daily_digest", sa.Boolean(), nullable=False, server_default=sa.true()))
            batch_op.add_column(sa.Column("meeting_reminders", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    for table in ("exhibitor", "buyer"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("meeting_reminders")
            batch_op.drop_column("daily_digest")
