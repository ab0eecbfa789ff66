"""Meeting requests, participants' availability, and scheduled meetings.

Nobody is ever double-booked, whatever races the requests run: partial unique indexes over the live (not cancelled)
meetings let a buyer, an exhibitor and a table hold one meeting per start time. A buyer–exhibitor pair has at most
one live (pending or accepted) request per fair.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

LIVE_REQUEST = "status IN ('pending', 'accepted')"
LIVE_MEETING = "status <> 'cancelled'"
SHARED_TABLE = "booth_id IS NULL AND status <> 'cancelled'"


def _partial_unique(name: str, *columns: str, where: str) -> Index:
    return Index(name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where))


class MeetingRequest(UUIDAuditBase):
    """A buyer asks to meet an exhibitor at a fair: pending → accepted / declined / expired / cancelled."""

    __tablename__ = "meeting_request"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[UUID] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"), index=True)
    exhibitor_id: Mapped[UUID] = mapped_column(ForeignKey("exhibitor.id", ondelete="CASCADE"), index=True)
    demand_id: Mapped[UUID | None] = mapped_column(ForeignKey("demand.id", ondelete="SET NULL"), default=None)
    priority: Mapped[str] = mapped_column(String(20), default="would_like")
    message: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    __table_args__ = (
        CheckConstraint("priority IN ('must', 'would_like')", name="request_priority"),
        CheckConstraint("status IN ('pending', 'accepted', 'declined', 'expired', 'cancelled')", name="request_status"),
        _partial_unique("uq_live_meeting_request", "fair_id", "buyer_id", "exhibitor_id", where=LIVE_REQUEST),
    )


class MeetingAvailability(UUIDAuditBase):
    """The slots (by start time, UTC) one buyer or one exhibitor cannot attend at a fair, and a daily cap."""

    __tablename__ = "meeting_availability"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[UUID | None] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"), default=None)
    exhibitor_id: Mapped[UUID | None] = mapped_column(ForeignKey("exhibitor.id", ondelete="CASCADE"), default=None)
    unavailable: Mapped[list[str]] = mapped_column(JsonB, default=list)
    max_per_day: Mapped[int | None] = mapped_column(default=None)

    __table_args__ = (
        CheckConstraint("(buyer_id IS NULL) <> (exhibitor_id IS NULL)", name="availability_one_participant"),
        CheckConstraint("max_per_day IS NULL OR max_per_day >= 0", name="availability_cap"),
        UniqueConstraint("fair_id", "buyer_id", name="uq_availability_buyer"),
        UniqueConstraint("fair_id", "exhibitor_id", name="uq_availability_exhibitor"),
    )


class Meeting(UUIDAuditBase):
    """A buyer and an exhibitor at one table in one slot: at the exhibitor's booth, or a shared table
    (``booth_id`` null). ``sequence`` counts changes of time or status, for calendar updates."""

    __tablename__ = "meeting"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("meeting_request.id", ondelete="SET NULL"), default=None, index=True
    )
    buyer_id: Mapped[UUID] = mapped_column(ForeignKey("buyer.id", ondelete="CASCADE"), index=True)
    exhibitor_id: Mapped[UUID] = mapped_column(ForeignKey("exhibitor.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[UUID | None] = mapped_column(ForeignKey("booth.id", ondelete="CASCADE"), default=None)
    table_no: Mapped[int] = mapped_column(default=1)
    slot: Mapped[int]
    starts_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    kind: Mapped[str] = mapped_column(String(20), default="requested")
    score: Mapped[float] = mapped_column(default=0.0)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    sequence: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint("kind IN ('requested', 'suggested')", name="meeting_kind"),
        CheckConstraint("status IN ('scheduled', 'cancelled')", name="meeting_status"),
        CheckConstraint("table_no >= 1", name="meeting_table_no"),
        CheckConstraint("ends_at > starts_at", name="meeting_times"),
        _partial_unique("uq_meeting_buyer_time", "fair_id", "buyer_id", "starts_at", where=LIVE_MEETING),
        _partial_unique("uq_meeting_exhibitor_time", "fair_id", "exhibitor_id", "starts_at", where=LIVE_MEETING),
        _partial_unique("uq_meeting_booth_table_time", "booth_id", "table_no", "starts_at", where=LIVE_MEETING),
        _partial_unique("uq_meeting_shared_table_time", "fair_id", "table_no", "starts_at", where=SHARED_TABLE),
    )
