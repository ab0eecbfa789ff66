"""Fairs, halls, booths, exhibitors, products and certificates, buyers, demands, user accounts.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 17:20:48.304104
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fair",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("host_province_code", sa.String(length=40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("meeting_days", JsonB, nullable=False),
        sa.Column("sessions", JsonB, nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_fair_dates_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_email"), ["email"], unique=True)

    op.create_table(
        "buyer",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("buyer_type", sa.String(length=30), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("province_code", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("owner_id", GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_buyer_owner_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buyer")),
        sa.UniqueConstraint("owner_id", name=op.f("uq_buyer_owner_id")),
    )
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buyer_buyer_type"), ["buyer_type"], unique=False)

    op.create_table(
        "exhibitor",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=40), nullable=False),
        sa.Column("district", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("owner_id", GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_exhibitor_owner_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exhibitor")),
        sa.UniqueConstraint("owner_id", name=op.f("uq_exhibitor_owner_id")),
    )
    with op.batch_alter_table("exhibitor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exhibitor_province_code"), ["province_code"], unique=False)

    op.create_table(
        "hall",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("zones", JsonB, nullable=False),
        sa.Column("x_m", sa.Float(), nullable=False),
        sa.Column("y_m", sa.Float(), nullable=False),
        sa.Column("width_m", sa.Float(), nullable=False),
        sa.Column("depth_m", sa.Float(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["fair.id"], name=op.f("fk_hall_fair_id_fair"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hall")),
        sa.UniqueConstraint("fair_id", "code", name="uq_hall_code"),
    )
    with op.batch_alter_table("hall", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hall_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "booth",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=False),
        sa.Column("hall_id", GUID(length=16), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("zone", sa.String(length=60), nullable=True),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.Integer(), nullable=False),
        sa.Column("x_m", sa.Float(), nullable=False),
        sa.Column("y_m", sa.Float(), nullable=False),
        sa.Column("width_m", sa.Float(), nullable=False),
        sa.Column("depth_m", sa.Float(), nullable=False),
        sa.Column("booth_type", sa.String(length=20), nullable=False),
        sa.Column("price_vnd", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("exhibitor_id", GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("price_vnd >= 0", name=op.f("ck_booth_price_non_negative")),
        sa.ForeignKeyConstraint(
            ["exhibitor_id"], ["exhibitor.id"], name=op.f("fk_booth_exhibitor_id_exhibitor"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["fair_id"], ["fair.id"], name=op.f("fk_booth_fair_id_fair"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_booth_hall_id_hall"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booth")),
        sa.UniqueConstraint("fair_id", "code", name="uq_booth_code"),
        sa.UniqueConstraint("hall_id", "row", "column", name="uq_booth_position"),
    )
    with op.batch_alter_table("booth", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booth_exhibitor_id"), ["exhibitor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booth_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booth_hall_id"), ["hall_id"], unique=False)

    op.create_table(
        "demand",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("buyer_id", GUID(length=16), nullable=False),
        sa.Column("fair_id", GUID(length=16), nullable=True),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.Column("categories", JsonB, nullable=False),
        sa.Column("quantity_amount", sa.Float(), nullable=True),
        sa.Column("quantity_unit", sa.String(length=20), nullable=True),
        sa.Column("quantity_per", sa.String(length=20), nullable=True),
        sa.Column("required_certifications", JsonB, nullable=False),
        sa.Column("preferred_certifications", JsonB, nullable=False),
        sa.Column("min_stars", sa.Integer(), nullable=True),
        sa.Column("target_market", sa.String(length=2), nullable=True),
        sa.Column("preferred_provinces", JsonB, nullable=False),
        sa.Column("needed_months", JsonB, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "min_stars IS NULL OR (min_stars >= 3 AND min_stars <= 5)", name=op.f("ck_demand_min_stars_range")
        ),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyer.id"], name=op.f("fk_demand_buyer_id_buyer"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fair_id"], ["fair.id"], name=op.f("fk_demand_fair_id_fair"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand")),
    )
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_fair_id"), ["fair_id"], unique=False)

    op.create_table(
        "product",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("exhibitor_id", GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=True),
        sa.Column("star_expires_on", sa.Date(), nullable=True),
        sa.Column("capacity_amount", sa.Float(), nullable=True),
        sa.Column("capacity_unit", sa.String(length=20), nullable=True),
        sa.Column("capacity_per", sa.String(length=20), nullable=True),
        sa.Column("min_order_amount", sa.Float(), nullable=True),
        sa.Column("min_order_unit", sa.String(length=20), nullable=True),
        sa.Column("pack_size_amount", sa.Float(), nullable=True),
        sa.Column("pack_size_unit", sa.String(length=20), nullable=True),
        sa.Column("price_min_vnd", sa.Integer(), nullable=True),
        sa.Column("price_max_vnd", sa.Integer(), nullable=True),
        sa.Column("export_markets", JsonB, nullable=False),
        sa.Column("ecommerce_channels", JsonB, nullable=False),
        sa.Column("months_available", JsonB, nullable=False),
        sa.Column("traceability_code", sa.String(length=100), nullable=True),
        sa.Column("search_text", sa.String(length=9000), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "price_min_vnd IS NULL OR price_max_vnd IS NULL OR price_min_vnd <= price_max_vnd",
            name=op.f("ck_product_price_range_ordered"),
        ),
        sa.CheckConstraint("stars IS NULL OR (stars >= 3 AND stars <= 5)", name=op.f("ck_product_stars_range")),
        sa.ForeignKeyConstraint(
            ["exhibitor_id"], ["exhibitor.id"], name=op.f("fk_product_exhibitor_id_exhibitor"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_exhibitor_id"), ["exhibitor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_stars"), ["stars"], unique=False)

    op.create_table(
        "product_certification",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("product_id", GUID(length=16), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_product_certification_product_id_product"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_certification")),
        sa.UniqueConstraint("product_id", "code", name="uq_product_certification_code"),
    )
    with op.batch_alter_table("product_certification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_certification_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_certification_product_id"), ["product_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("product_certification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_certification_product_id"))
        batch_op.drop_index(batch_op.f("ix_product_certification_code"))

    op.drop_table("product_certification")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_stars"))
        batch_op.drop_index(batch_op.f("ix_product_exhibitor_id"))
        batch_op.drop_index(batch_op.f("ix_product_category"))

    op.drop_table("product")
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_fair_id"))
        batch_op.drop_index(batch_op.f("ix_demand_buyer_id"))

    op.drop_table("demand")
    with op.batch_alter_table("booth", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booth_hall_id"))
        batch_op.drop_index(batch_op.f("ix_booth_fair_id"))
        batch_op.drop_index(batch_op.f("ix_booth_exhibitor_id"))

    op.drop_table("booth")
    with op.batch_alter_table("hall", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hall_fair_id"))

    op.drop_table("hall")
    with op.batch_alter_table("exhibitor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exhibitor_province_code"))

    op.drop_table("exhibitor")
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buyer_buyer_type"))

    op.drop_table("buyer")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_email"))

    op.drop_table("user_account")
    op.drop_table("fair")
