"""Buyers and what they need."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import JsonB
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ocopfair.email_preferences.models import EmailPreferences


class Buyer(UUIDAuditBase, EmailPreferences):
    """A retail chain, exporter, distributor, hotel, canteen, e-commerce seller or tourism company; its emails are
    in its ``language`` and follow its email preferences."""

    __tablename__ = "buyer"

    organisation: Mapped[str] = mapped_column(String(300))
    buyer_type: Mapped[str] = mapped_column(String(30), index=True)
    country_code: Mapped[str] = mapped_column(String(2), default="VN")
    province_code: Mapped[str | None] = mapped_column(String(40), default=None)
    contact_email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    language: Mapped[str] = mapped_column(String(2), default="vi")
    owner_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None, unique=True
    )


class Demand(UUIDAuditBase):
    """What a buyer needs, optionally for one fair."""

    __tablename__ = "demand"

    buyer_id: Mapped[UUID] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"), index=True)
    fair_id: Mapped[UUID | None] = mapped_column(ForeignKey("fair.id", ondelete="SET NULL"), default=None, index=True)
    text: Mapped[str] = mapped_column(String(4000), default="")
    categories: Mapped[list[str]] = mapped_column(JsonB, default=list)
    quantity_amount: Mapped[float | None] = mapped_column(default=None)
    quantity_unit: Mapped[str | None] = mapped_column(String(20), default=None)
    quantity_per: Mapped[str | None] = mapped_column(String(20), default=None)
    required_certifications: Mapped[list[str]] = mapped_column(JsonB, default=list)
    preferred_certifications: Mapped[list[str]] = mapped_column(JsonB, default=list)
    min_stars: Mapped[int | None] = mapped_column(default=None)
    target_market: Mapped[str | None] = mapped_column(String(2), default=None)
    preferred_provinces: Mapped[list[str]] = mapped_column(JsonB, default=list)
    needed_months: Mapped[list[int]] = mapped_column(JsonB, default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")

    __table_args__ = (
        CheckConstraint("min_stars IS NULL OR (min_stars >= 3 AND min_stars <= 5)", name="min_stars_range"),
    )
