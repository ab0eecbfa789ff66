"""Payloads of the outbox, digest and unsubscribe endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from ocopfair.outbox.models import OutboxStatus


class OutboxMessageRead(msgspec.Struct):
    """An email in the outbox (organisers only: it shows the recipient's address)."""

    id: UUID
    fair_id: UUID | None
    idempotency_key: str
    kind: str
    recipient_kind: str
    recipient_id: UUID
    recipient: str
    subject: str
    message_id: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    sent_at: dt.datetime | None
    created_at: dt.datetime


class DigestSendIn(msgspec.Struct, forbid_unknown_fields=True):
    """Send today's digest now: to every buyer of the fair, or to ``buyer_ids``; ``force`` sends another even if
    today's went out or nothing changed."""

    force: bool = False
    buyer_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=1000)] | None = None


class DigestSendRead(msgspec.Struct):
    """What the send did, buyer by buyer: written to the outbox (the relay sends within seconds) or why not."""

    fair_id: UUID
    day: dt.date
    buyers: int
    queued: int
    already_sent: int
    nothing_new: int
    unsubscribed: int
    no_email: int


class UnsubscribeRead(msgspec.Struct):
    recipient_kind: Literal["buyer", "exhibitor"]
    recipient_id: UUID
    unsubscribed_at: dt.datetime
