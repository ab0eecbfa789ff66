"""What organisers see of a fair's outbox and may do with it: the messages by status, their counts, and putting a
failed message back in line. The API (``events.controllers``) and the organiser's pages call these same functions;
writing, claiming and sending stay with the relay in ``events.outbox``."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.errors import Conflict, NotFound
from ocopfair.outbox.models import OutboxMessage


async def listed(
    session: AsyncSession, fair_id: UUID, status: str | None, limit: int, offset: int
) -> tuple[list[OutboxMessage], int]:
    """The fair's messages, newest first, optionally of one status, with their total."""
    query = select(OutboxMessage).where(OutboxMessage.fair_id == fair_id)
    if status:
        query = query.where(OutboxMessage.status == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = await session.scalars(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id).limit(limit).offset(offset)
    )
    return list(items), total


async def status_counts(session: AsyncSession, fair_id: UUID) -> dict[str, int]:
    """How many of the fair's messages are in each status (a status without any is absent)."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.fair_id == fair_id)
        .group_by(OutboxMessage.status)
    )
    return {status: int(count) for status, count in rows.tuples()}


async def retry(session: AsyncSession, message_id: UUID, at: dt.datetime, fair_id: UUID | None = None) -> OutboxMessage:
    """Put a failed message back in line with a fresh set of attempts; with ``fair_id``, only one of that fair's."""
    message = await session.get(OutboxMessage, message_id)
    if message is None or (fair_id is not None and message.fair_id != fair_id):
        raise NotFound(f"outbox message {message_id} not found")
    if message.status != "failed":
        raise Conflict(f"the message is {message.status}; only a failed message can be retried")
    message.status = "pending"
    message.attempts = 0
    message.next_attempt_at = at
    message.locked_until = None
    await session.flush()
    return message
