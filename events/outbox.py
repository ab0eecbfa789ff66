"""The outbox table's operations: writing messages once per idempotency key, claiming the due ones for sending,
and recording each attempt (what organisers see and retry is ``ocopfair.outbox.services``).

Writes use ``INSERT … ON CONFLICT (idempotency_key) DO NOTHING``, so the same cause twice (a job run again, two
schedulers at once) leaves one row; a batch of messages is one statement executed for many rows (SQLAlchemy's
"insertmanyvalues"), not a statement of thousands of parameters compiled afresh for each chunk. Claiming takes rows
with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite, one writer at a time, needs no such clause), marks them
``sending`` with a lease and counts the attempt; a claim whose sender died runs out and the message is due again.
Expired leases and due messages are looked up apart, each in the order of the ``(status, next_attempt_at)`` index
with no other sort key, so a claim reads the rows it takes, not the whole queue (one query over both conditions,
ordered by time and id, sorted every waiting row: 60 ms a claim with 5,000 digests waiting on SQLite). The relay's
statements are Core statements on the table: they skip the ORM's bulk-update bookkeeping, about a third of the cost
of a statement that runs once or more for every message sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from events.composer import Addressee, Letter
from ocopfair.outbox.models import OutboxMessage

KEYS_PER_QUERY = 200
ERROR_LENGTH = 2000
OUTBOX = cast(Table, OutboxMessage.__table__)


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A rendered email and what caused it, before it is written to the outbox."""

    id: UUID
    key: str
    kind: str
    fair_id: UUID | None
    to: Addressee
    letter: Letter
    fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    id: UUID
    key: str
    recipient: str
    body: bytes
    attempts: int


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OUTBOX)


async def existing_keys(session: AsyncSession, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        chunk = wanted[start : start + KEYS_PER_QUERY]
        found.update(
            await session.scalars(select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.in_(chunk)))
        )
    return found


async def enqueue(session: AsyncSession, messages: Sequence[NewMessage], at: dt.datetime) -> int:
    """Write the messages, skipping any whose key is already there; returns how many were written."""
    rows = [
        {
            "id": message.id,
            "idempotency_key": message.key,
            "kind": message.kind,
            "fair_id": message.fair_id,
            "recipient_kind": message.to.kind,
            "recipient_id": message.to.id,
            "recipient": message.to.email,
            "subject": message.letter.subject[:500],
            "message_id": message.letter.message_id,
            "body": message.letter.body,
            "fingerprint": message.fingerprint,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": at,
            "created_at": at,
            "updated_at": at,
        }
        for message in messages
    ]
    if not rows:
        return 0
    statement = _insert(session).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(OUTBOX.c.id)
    return len((await session.execute(statement, rows)).all())


async def latest_fingerprints(
    session: AsyncSession, fair_id: UUID, kind: str, recipient_ids: Sequence[UUID]
) -> dict[UUID, str]:
    """The fingerprint of the latest message of ``kind`` each recipient got from the fair."""
    rows = await session.execute(
        select(OutboxMessage.recipient_id, OutboxMessage.fingerprint)
        .where(
            OutboxMessage.fair_id == fair_id,
            OutboxMessage.kind == kind,
            OutboxMessage.recipient_id.in_(recipient_ids),
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return dict(rows.tuples().all())


def _pending(at: dt.datetime) -> ColumnElement[bool]:
    return and_(OUTBOX.c.status == "pending", OUTBOX.c.next_attempt_at <= at)


def _lease_expired(at: dt.datetime) -> ColumnElement[bool]:
    return and_(OUTBOX.c.status == "sending", OUTBOX.c.locked_until <= at)


def _still_due(at: dt.datetime) -> ColumnElement[bool]:
    """Due at ``at`` (pending and its time has come, or claimed and its lease ran out), in a form no index serves, so
    that the claim's update finds its rows by id: with the two conditions above, SQLite scans the status index."""
    due_at = case(
        (OUTBOX.c.status == "pending", OUTBOX.c.next_attempt_at),
        (OUTBOX.c.status == "sending", OUTBOX.c.locked_until),
    )
    return due_at <= at


async def _due_ids(session: AsyncSession, condition: ColumnElement[bool], order: Any, limit: int) -> list[UUID]:
    query = select(OUTBOX.c.id).where(condition).order_by(order).limit(limit).with_for_update(skip_locked=True)
    return list(await session.scalars(query))


async def claim(session: AsyncSession, at: dt.datetime, limit: int, lease: dt.timedelta) -> list[ClaimedMessage]:
    """Take up to ``limit`` due messages for sending until ``at + lease``, those whose sender's lease ran out
    first; each claim counts as an attempt."""
    ids = await _due_ids(session, _lease_expired(at), OUTBOX.c.locked_until, limit)
    if len(ids) < limit:
        ids += await _due_ids(session, _pending(at), OUTBOX.c.next_attempt_at, limit - len(ids))
    if not ids:
        return []
    rows = await session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(ids), _still_due(at))
        .values(status="sending", locked_until=at + lease, attempts=OUTBOX.c.attempts + 1, updated_at=at)
        .returning(
            OUTBOX.c.id,
            OUTBOX.c.idempotency_key,
            OUTBOX.c.recipient,
            OUTBOX.c.body,
            OUTBOX.c.attempts,
            OUTBOX.c.next_attempt_at,
        )
    )
    claimed = sorted(rows.all(), key=lambda row: (row.next_attempt_at, row.id))
    return [ClaimedMessage(row.id, row.idempotency_key, row.recipient, row.body, row.attempts) for row in claimed]


async def mark_sent(session: AsyncSession, message_ids: Sequence[UUID], at: dt.datetime) -> None:
    await session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(message_ids), OUTBOX.c.status == "sending")
        .values(status="sent", sent_at=at, locked_until=None, updated_at=at)
    )


async def mark_attempt_failed(
    session: AsyncSession, message_id: UUID, at: dt.datetime, error: str, next_attempt_at: dt.datetime | None
) -> None:
    """Record a failed attempt: due again at ``next_attempt_at``, or parked as failed when that is ``None``."""
    values: dict[str, Any] = {"last_error": error[:ERROR_LENGTH], "locked_until": None, "updated_at": at}
    if next_attempt_at is None:
        values["status"] = "failed"
    else:
        values.update(status="pending", next_attempt_at=next_attempt_at)
    await session.execute(
        update(OUTBOX).where(OUTBOX.c.id == message_id, OUTBOX.c.status == "sending").values(**values)
    )


async def release_claims(session: AsyncSession, at: dt.datetime) -> int:
    """Make every claimed message due now: called by a newly elected scheduler, whose predecessor is gone."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending")
        .values(locked_until=at)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
