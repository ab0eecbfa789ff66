"""Stored matches of demands, and per-fair match weights.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:39:01.488706
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_match",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("demand_id", GUID(length=16), nullable=False),
        sa.Column("product_id", GUID(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("factors", JsonB, nullable=False),
        sa.Column("reasons", JsonB, nullable=False),
        sa.Column("computed_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demand.id"], name=op.f("fk_demand_match_demand_id_demand"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_demand_match_product_id_product"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_match")),
        sa.UniqueConstraint("demand_id", "product_id", name="uq_demand_match_product"),
        sa.UniqueConstraint("demand_id", "rank", name="uq_demand_match_rank"),
    )
    with op.batch_alter_table("demand_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_match_demand_id"), ["demand_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_match_product_id"), ["product_id"], unique=False)

    with op.batch_alter_table("fair", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match_weights", JsonB, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fair", schema=None) as batch_op:
        batch_op.drop_column("match_weights")

    with op.batch_alter_table("demand_match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_match_product_id"))
        batch_op.drop_index(batch_op.f("ix_demand_match_demand_id"))

    op.drop_table("demand_match")
