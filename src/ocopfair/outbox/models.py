"""The outbox table and the record of the scheduler's daily runs.

An ``OutboxMessage`` is a complete, rendered email waiting to be sent, sent, or parked as failed. Its
``idempotency_key`` (``digest:<fair>:<buyer>:<date>``, ``reminder:<meeting>:<side>:<sequence>``…) is unique, so a job
that runs twice, or two schedulers at once, write one message. A ``ScheduledRun`` marks that a fair's daily job (the
digest, the re-match) has run for a local date, so a restart neither repeats it nor misses it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

OutboxStatus = Literal["pending", "sending", "sent", "failed"]
OUTBOX_STATUSES: tuple[OutboxStatus, ...] = get_args(OutboxStatus)
MESSAGE_KINDS = ("digest", "reminder", "agenda")
RECIPIENT_KINDS = ("buyer", "exhibitor")


class OutboxMessage(UUIDAuditBase):
    """One email: pending → sending → sent, back to pending with a later ``next_attempt_at`` after a failed attempt,
    or failed once the attempts are used up (an organiser may put it back to pending)."""

    __tablename__ = "outbox_message"

    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    fair_id: Mapped[UUID | None] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), default=None, index=True)
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient_id: Mapped[UUID] = mapped_column(index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    message_id: Mapped[str] = mapped_column(String(300))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    last_error: Mapped[str | None] = mapped_column(String(2000), default=None)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="outbox_status"),
        CheckConstraint("kind IN ('digest', 'reminder', 'agenda')", name="outbox_kind"),
        CheckConstraint("recipient_kind IN ('buyer', 'exhibitor')", name="outbox_recipient_kind"),
        CheckConstraint("attempts >= 0", name="outbox_attempts"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )


class ScheduledRun(UUIDAuditBase):
    """A fair's daily job (``digest`` or ``rematch``) done for one local date."""

    __tablename__ = "scheduled_run"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"), index=True)
    job: Mapped[str] = mapped_column(String(20))
    day: Mapped[dt.date]

    __table_args__ = (
        CheckConstraint("job IN ('digest', 'rematch')", name="scheduled_run_job"),
        UniqueConstraint("fair_id", "job", "day", name="uq_scheduled_run_day"),
    )
