"""Fairs, their halls and booths."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class Fair(UUIDAuditBase):
    """A trade fair: where and when, its meeting days and sessions, and its lifecycle status.

    Buyers get a daily digest at ``digest_time`` (the fair's time zone) from ``digest_days_before`` days before the
    fair to its last day, and both sides a reminder ``reminder_minutes`` before each meeting.
    """

    __tablename__ = "fair"

    name: Mapped[str] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300))
    host_province_code: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    meeting_days: Mapped[list[str]] = mapped_column(JsonB, default=list)
    sessions: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    slot_minutes: Mapped[int] = mapped_column(default=20)
    description: Mapped[str] = mapped_column(String(4000), default="")
    match_weights: Mapped[dict[str, float] | None] = mapped_column(JsonB, default=None)
    allocation_policy: Mapped[dict[str, Any] | None] = mapped_column(JsonB, default=None)
    meeting_request_deadline: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    meeting_tables_per_booth: Mapped[int] = mapped_column(default=1)
    shared_meeting_tables: Mapped[int] = mapped_column(default=0)
    digest_time: Mapped[dt.time] = mapped_column(default=dt.time(7, 0))
    digest_days_before: Mapped[int] = mapped_column(default=3)
    reminder_minutes: Mapped[int] = mapped_column(default=30)

    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_ordered"),)


class Hall(UUIDAuditBase):
    """A hall of a fair; ``zones`` are the product groups it is meant for."""

    __tablename__ = "hall"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    zones: Mapped[list[str]] = mapped_column(JsonB, default=list)
    x_m: Mapped[float] = mapped_column(default=0.0)
    y_m: Mapped[float] = mapped_column(default=0.0)
    width_m: Mapped[float]
    depth_m: Mapped[float]

    __table_args__ = (UniqueConstraint("fair_id", "code", name="uq_hall_code"),)


class Booth(UUIDAuditBase):
    """A booth: where it stands, what it is for and what it costs; who holds it is a ``BoothAssignment``."""

    __tablename__ = "booth"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    hall_id: Mapped[UUID] = mapped_column(ForeignKey("hall.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    zone: Mapped[str | None] = mapped_column(String(60), default=None)
    row: Mapped[int]
    column: Mapped[int]
    x_m: Mapped[float]
    y_m: Mapped[float]
    width_m: Mapped[float]
    depth_m: Mapped[float]
    booth_type: Mapped[str] = mapped_column(String(20), default="standard")
    price_vnd: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("fair_id", "code", name="uq_booth_code"),
        UniqueConstraint("hall_id", "row", "column", name="uq_booth_position"),
        CheckConstraint("price_vnd >= 0", name="price_non_negative"),
    )
