"""On PostgreSQL, every committed change to what a match answer is computed from is announced to the workers.

A statement trigger on each table sends a notification on the ``ocopfair_changes`` channel (see change_feed.py);
PostgreSQL delivers it when the writing transaction commits. SQLite has no listeners: nothing to create there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 12:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# As WATCHED_TABLES in ocopfair.change_feed when this migration was written.
TABLES = (
    "user_account",
    "fair",
    "hall",
    "booth",
    "booth_assignment",
    "exhibitor",
    "product",
    "product_certification",
    "buyer",
    "demand",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION ocopfair_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('ocopfair_changes', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ocopfair_announce_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER announce_change ON {table}")
    op.execute("DROP FUNCTION ocopfair_announce_change()")
