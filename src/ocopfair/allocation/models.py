"""Applications for booths, and who holds which booth.

A booth is held by at most one exhibitor at a time: ``booth_assignment.booth_id`` is unique, so two requests that
race for one booth cannot both win, whatever the application code does. An exhibitor has at most one live
application per fair (a partial unique index: withdrawn ones do not count).
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import JsonB
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

LIVE = "status <> 'withdrawn'"


class BoothApplication(UUIDAuditBase):
    """An exhibitor's request for booths at a fair, and what the last allocation run made of it."""

    __tablename__ = "booth_application"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    exhibitor_id: Mapped[UUID] = mapped_column(ForeignKey("exhibitor.id", ondelete="CASCADE"), index=True)
    booths_requested: Mapped[int]
    booth_type: Mapped[str] = mapped_column(String(20), default="standard")
    preferred_halls: Mapped[list[str]] = mapped_column(JsonB, default=list)
    wants_near_delegation: Mapped[bool] = mapped_column(default=False)
    product_group: Mapped[str | None] = mapped_column(String(40), default=None)
    note: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    waitlist_reason: Mapped[str | None] = mapped_column(String(20), default=None)
    sequence: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint("booths_requested BETWEEN 1 AND 4", name="booths_requested_range"),
        Index(
            "uq_live_application",
            "fair_id",
            "exhibitor_id",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )


class BoothAssignment(UUIDAuditBase):
    """A booth held (proposed or locked by the organiser) or confirmed for an exhibitor."""

    __tablename__ = "booth_assignment"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[UUID] = mapped_column(ForeignKey("booth.id", ondelete="CASCADE"))
    exhibitor_id: Mapped[UUID] = mapped_column(ForeignKey("exhibitor.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("booth_application.id", ondelete="SET NULL"), default=None, index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="held")
    locked: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        UniqueConstraint("booth_id", name="uq_booth_assignment_booth"),
        CheckConstraint("status IN ('held', 'confirmed')", name="assignment_status"),
    )
