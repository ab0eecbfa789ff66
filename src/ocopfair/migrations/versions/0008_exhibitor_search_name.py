"""Exhibitors' names accent-folded for search, filled in for the exhibitors already stored.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

from matching.folding import fold

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exhibitor") as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.String(600), nullable=False, server_default=""))
    exhibitor = sa.table(
        "exhibitor", sa.column("id", GUID(length=16)), sa.column("name", sa.String()), sa.column("search_name")
    )
    connection = op.get_bind()
    folded = [
        {"row_id": exhibitor_id, "folded": fold(name)[:600]}
        for exhibitor_id, name in connection.execute(sa.select(exhibitor.c.id, exhibitor.c.name))
    ]
    if folded:
        statement = exhibitor.update().where(exhibitor.c.id == sa.bindparam("row_id"))
        connection.execute(statement.values(search_name=sa.bindparam("folded")), folded)


def downgrade() -> None:
    with op.batch_alter_table("exhibitor") as batch_op:
        batch_op.drop_column("search_name")
