"""Exhibitors (OCOP entities) and their products."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import JsonB
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from matching.folding import fold
from ocopfair.email_preferences.models import EmailPreferences


class Exhibitor(UUIDAuditBase, EmailPreferences):
    """A cooperative, enterprise or household business that shows OCOP products; its emails (in Vietnamese) follow
    its email preferences."""

    __tablename__ = "exhibitor"

    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(40), index=True)
    district: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    description: Mapped[str] = mapped_column(String(4000), default="")
    owner_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None, unique=True
    )
    # The name accent-folded and lower-cased in Python: SQLite's lower() folds ASCII only, so "NƯỚC MẮM" could not
    # be found by "nước mắm" there; both databases compare this column instead, and "nuoc mam" finds it too.
    search_name: Mapped[str] = mapped_column(String(600), default="")

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.search_name = fold(name)[:600]
        return name


class Product(UUIDAuditBase):
    """An OCOP product with its rating, certificates, capacity and markets."""

    __tablename__ = "product"

    exhibitor_id: Mapped[UUID] = mapped_column(ForeignKey("exhibitor.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300), default=None)
    description: Mapped[str] = mapped_column(String(4000), default="")
    category: Mapped[str] = mapped_column(String(60), index=True)
    stars: Mapped[int | None] = mapped_column(default=None, index=True)
    star_expires_on: Mapped[dt.date | None] = mapped_column(default=None)
    capacity_amount: Mapped[float | None] = mapped_column(default=None)
    capacity_unit: Mapped[str | None] = mapped_column(String(20), default=None)
    capacity_per: Mapped[str | None] = mapped_column(String(20), default=None)
    min_order_amount: Mapped[float | None] = mapped_column(default=None)
    min_order_unit: Mapped[str | None] = mapped_column(String(20), default=None)
    pack_size_amount: Mapped[float | None] = mapped_column(default=None)
    pack_size_unit: Mapped[str | None] = mapped_column(String(20), default=None)
    price_min_vnd: Mapped[int | None] = mapped_column(default=None)
    price_max_vnd: Mapped[int | None] = mapped_column(default=None)
    export_markets: Mapped[list[str]] = mapped_column(JsonB, default=list)
    ecommerce_channels: Mapped[list[str]] = mapped_column(JsonB, default=list)
    months_available: Mapped[list[int]] = mapped_column(JsonB, default=list)
    traceability_code: Mapped[str | None] = mapped_column(String(100), default=None)
    search_text: Mapped[str] = mapped_column(String(9000), default="")

    certifications: Mapped[list[ProductCertification]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ProductCertification.code"
    )

    __table_args__ = (
        CheckConstraint("stars IS NULL OR (stars >= 3 AND stars <= 5)", name="stars_range"),
        CheckConstraint(
            "price_min_vnd IS NULL OR price_max_vnd IS NULL OR price_min_vnd <= price_max_vnd",
            name="price_range_ordered",
        ),
    )


class ProductCertification(UUIDAuditBase):
    """A certificate a product holds (VietGAP, HACCP…), with its expiry."""

    __tablename__ = "product_certification"

    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    expires_on: Mapped[dt.date | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("product_id", "code", name="uq_product_certification_code"),)
