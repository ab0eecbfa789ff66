"""The outbox at volume: a batch of messages written in one statement (each key once), claims that take lapsed leases
before new messages and read no more than they take, and a relay that records each message before the next one's
content leaves its connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.composer import Addressee, Letter
from events.outbox import NewMessage, claim, enqueue
from events.relay import Relay
from events.transports import Envelope
from ocopfair.outbox.models import OutboxMessage
from ocopfair.settings import Settings
from tests.integration.events.mailbox import ManualClock
from tests.integration.events.outbox_rows import queue

LEASE = dt.timedelta(minutes=10)


def messages(keys: range) -> list[NewMessage]:
    return [
        NewMessage(
            uuid4(),
            f"digest:volume:{key}",
            "digest",
            None,
            Addressee("buyer", uuid4(), f"Người mua {key}", f"buyer{key}@example.vn"),
            Letter(f"Bản tin {key}", f"<{key}@ocopfair.invalid>", f"Subject: {key}\r\n\r\nbody {key}\r\n".encode()),
        )
        for key in keys
    ]


async def test_a_batch_larger_than_one_statement_page_is_written_once_per_key(
    engine: AsyncEngine, clock: ManualClock
) -> None:
    sessions = async_sessionmaker(engine)
    async with sessions() as session, session.begin():
        assert await enqueue(session, messages(range(1200)), clock.now()) == 1200
    async with sessions() as session, session.begin():
        assert await enqueue(session, messages(range(1150, 1250)), clock.now()) == 50, "only the new keys"
        assert await enqueue(session, [], clock.now()) == 0
    async with sessions() as session:
        keys = list(await session.scalars(select(OutboxMessage.idempotency_key)))
        assert len(keys) == len(set(keys)) == 1250
        written = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == "digest:volume:7"))
        assert written is not None
        assert (written.recipient, written.subject, written.status) == ("buyer7@example.vn", "Bản tin 7", "pending")
        assert written.body == b"Subject: 7\r\n\r\nbody 7\r\n"


async def test_a_claim_takes_lapsed_leases_first_then_the_oldest_due(engine: AsyncEngine, clock: ManualClock) -> None:
    sessions = async_sessionmaker(engine)
    first = {f"first{i}@example.vn" for i in range(3)}
    await queue(engine, None, clock.now(), tuple(sorted(first)))
    clock.advance(dt.timedelta(minutes=1))
    await queue(engine, None, clock.now(), tuple(f"later{i}@example.vn" for i in range(3)))

    async def take(limit: int) -> list[str]:
        async with sessions() as session, session.begin():
            return [message.recipient for message in await claim(session, clock.now(), limit, LEASE)]

    lapsed = set(await take(2))
    assert len(lapsed) == 2 and lapsed < first, "the oldest due first"
    clock.advance(LEASE)
    assert set(await take(3)) == first, "the lapsed claims, then the oldest message never claimed"
    async with sessions() as session:
        rows = await session.execute(select(OutboxMessage.recipient, OutboxMessage.attempts))
        attempts = dict(rows.tuples().all())
    assert [attempts[to] for to in sorted(first)] == [2 if to in lapsed else 1 for to in sorted(first)]
    assert {attempts[f"later{i}@example.vn"] for i in range(3)} == {0}


class _CheckingSender:
    """Before handing over each message's content, notes which earlier messages of its connection are not yet
    recorded as sent."""

    def __init__(self, transport: CheckingTransport) -> None:
        self.transport = transport
        self.earlier: list[str] = []

    async def send(self, envelope: Envelope, ready: Awaitable[None] | None = None) -> None:
        if ready is not None:
            await ready
        if self.earlier:
            async with async_sessionmaker(self.transport.engine)() as session:
                statuses = await session.scalars(
                    select(OutboxMessage.status).where(OutboxMessage.idempotency_key.in_(self.earlier))
                )
                self.transport.unrecorded += sum(status != "sent" for status in statuses)
        self.earlier.append(envelope.name)
        self.transport.delivered.append(envelope.name)


class CheckingTransport:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.delivered: list[str] = []
        self.unrecorded = 0

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[_CheckingSender]:
        yield _CheckingSender(self)


async def test_the_relay_records_each_message_before_its_connection_hands_over_the_next(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    await queue(engine, None, clock.now(), tuple(f"buyer{i}@example.vn" for i in range(90)))
    transport = CheckingTransport(engine)
    relay = Relay(async_sessionmaker(engine), transport, clock, settings.mail_from, batch=7, connections=4)
    assert (await relay.run()).sent == 90
    assert transport.unrecorded == 0, "at most the message on the wire is ever accepted and not recorded"
    assert len(set(transport.delivered)) == len(transport.delivered) == 90
    async with async_sessionmaker(engine)() as session:
        counts = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        assert dict(counts.tuples().all()) == {"sent": 90}
