"""Booth applications and assignments (one holder per booth), and the fair's allocation policy.

Who holds a booth moves from ``booth.exhibitor_id`` / ``booth.status`` to ``booth_assignment``, whose unique
``booth_id`` keeps a booth from ever having two holders.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LIVE = "status <> 'withdrawn'"


def _audit_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "booth_application",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("exhibitor_id", GUID(length=16), nullable=False),
        sa.Column("booths_requested", sa.Integer(), nullable=False),
        sa.Column("booth_type", sa.String(length=20), nullable=False),
        sa.Column("preferred_halls", JsonB, nullable=False),
        sa.Column("wants_near_delegation", sa.Boolean(), nullable=False),
        sa.Column("product_group", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("waitlist_reason", sa.String(length=20), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        *_audit_columns(),
        sa.CheckConstraint(
            "booths_requested BETWEEN 1 AND 4", name=op.f("ck_booth_application_booths_requested_range")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fair.id"], name=op.f("fk_booth_application_fair_id_fair"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exhibitor_id"],
            ["exhibitor.id"],
            name=op.f("fk_booth_application_exhibitor_id_exhibitor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booth_application")),
    )
    with op.batch_alter_table("booth_application") as batch_op:
        batch_op.create_index(batch_op.f("ix_booth_application_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booth_application_exhibitor_id"), ["exhibitor_id"], unique=False)
    op.create_index(
        "uq_live_application",
        "booth_application",
        ["fair_id", "exhibitor_id"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )
    op.create_table(
        "booth_assignment",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("booth_id", GUID(length=16), nullable=False),
        sa.Column("exhibitor_id", GUID(length=16), nullable=False),
        sa.Column("application_id", GUID(length=16), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        *_audit_columns(),
        sa.CheckConstraint("status IN ('held', 'confirmed')", name=op.f("ck_booth_assignment_assignment_status")),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fair.id"], name=op.f("fk_booth_assignment_fair_id_fair"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booth.id"], name=op.f("fk_booth_assignment_booth_id_booth"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exhibitor_id"],
            ["exhibitor.id"],
            name=op.f("fk_booth_assignment_exhibitor_id_exhibitor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["booth_application.id"],
            name=op.f("fk_booth_assignment_application_id_booth_application"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booth_assignment")),
        sa.UniqueConstraint("booth_id", name="uq_booth_assignment_booth"),
    )
    with op.batch_alter_table("booth_assignment") as batch_op:
        batch_op.create_index(batch_op.f("ix_booth_assignment_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booth_assignment_exhibitor_id"), ["exhibitor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booth_assignment_application_id"), ["application_id"], unique=False)
    with op.batch_alter_table("booth") as batch_op:
        batch_op.drop_index(batch_op.f("ix_booth_exhibitor_id"))
        batch_op.drop_constraint(batch_op.f("fk_booth_exhibitor_id_exhibitor"), type_="foreignkey")
        batch_op.drop_column("exhibitor_id")
        batch_op.drop_column("status")
    with op.batch_alter_table("fair") as batch_op:
        batch_op.add_column(sa.Column("allocation_policy", JsonB, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fair") as batch_op:
        batch_op.drop_column("allocation_policy")
    with op.batch_alter_table("booth") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="available"))
        batch_op.add_column(sa.Column("exhibitor_id", GUID(length=16), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_booth_exhibitor_id_exhibitor"), "exhibitor", ["exhibitor_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(batch_op.f("ix_booth_exhibitor_id"), ["exhibitor_id"], unique=False)
    op.drop_table("booth_assignment")
    op.drop_index("uq_live_application", table_name="booth_application")
    op.drop_table("booth_application")
