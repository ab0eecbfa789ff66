"""The outbox relay: claim due messages, send them, record the outcome.

Several connections send at once (a remote server's latency, not our CPU, bounds one connection). A message is
marked sent right after the server accepted it, and its connection sends the next message's envelope meanwhile but
not its content until that mark is committed, so a crash can repeat at most the message each connection had in flight
(with the same Message-ID). Marks of messages accepted while a commit runs share the next one. A failed attempt is
retried after an exponential backoff with jitter; after the last attempt, or at once for a permanent refusal, the
message is parked as failed with its error, never dropped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from dataclasses import dataclass, field
from email.utils import parseaddr
from uuid import UUID

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.clock import Clock
from events.outbox import ClaimedMessage, claim, mark_attempt_failed, mark_sent
from events.transports import DeliveryError, Envelope, Transport

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempt n (1-based) that fails waits ``base × 2^(n-1)``, capped, scaled by a random factor in [0.5, 1)."""

    max_attempts: int = 6
    base: dt.timedelta = dt.timedelta(seconds=30)
    cap: dt.timedelta = dt.timedelta(hours=1)

    def delay(self, attempt: int, rng: random.Random) -> dt.timedelta:
        full: dt.timedelta = min(self.cap, self.base * 2 ** (attempt - 1))
        return full * (0.5 + rng.random() / 2)


@dataclass
class RelayReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class _Ledger:
    """The relay's one writer: claims and outcomes go through one session, one at a time (SQLite has one writer
    anyway). Accepted messages are marked sent by a task of their own, so their connections go on meanwhile, all those
    accepted while it commits together in its next commit."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.lock = asyncio.Lock()
        self.accepted: list[tuple[UUID, asyncio.Future[None]]] = []
        self.marking: asyncio.Task[None] | None = None

    async def claim(self, limit: int, lease: dt.timedelta) -> list[ClaimedMessage]:
        async with self.lock, self.session.begin():
            return await claim(self.session, self.clock.now(), limit, lease)

    def sent(self, message_id: UUID) -> asyncio.Future[None]:
        """Mark the message sent in the next commit; the future is done once that commit is."""
        recorded: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.accepted.append((message_id, recorded))
        if self.marking is None or self.marking.done():
            self.marking = asyncio.create_task(self._mark())
        return recorded

    async def _mark(self) -> None:
        while self.accepted:
            async with self.lock:
                batch, self.accepted = self.accepted, []
                try:
                    async with self.session.begin():
                        await mark_sent(self.session, [message for message, _ in batch], self.clock.now())
                except Exception as exc:
                    for _, future in batch:
                        future.set_exception(exc)
                    continue
            for _, future in batch:
                future.set_result(None)

    async def failed(self, message_id: UUID, error: str, next_attempt_at: dt.datetime | None) -> None:
        async with self.lock, self.session.begin():
            await mark_attempt_failed(self.session, message_id, self.clock.now(), error, next_attempt_at)


@dataclass
class Relay:
    sessions: async_sessionmaker[AsyncSession]
    transport: Transport
    clock: Clock
    sender: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    batch: int = 20
    connections: int = 4
    lease: dt.timedelta = dt.timedelta(minutes=10)
    rng: random.Random = field(default_factory=random.Random)

    async def run(self, stopping: asyncio.Event | None = None) -> RelayReport:
        """Send every message due now on ``connections`` connections at once, each claiming its own batches;
        stops between batches once ``stopping`` is set."""
        report = RelayReport()
        async with self.sessions() as session:
            ledger = _Ledger(session, self.clock)
            await asyncio.gather(*(self._work(ledger, report, stopping) for _ in range(self.connections)))
        if report.sent or report.retrying or report.failed:
            log.info("outbox_relayed", sent=report.sent, retrying=report.retrying, failed=report.failed)
        return report

    async def _work(self, ledger: _Ledger, report: RelayReport, stopping: asyncio.Event | None) -> None:
        envelope_from = parseaddr(self.sender)[1]
        recording: asyncio.Future[None] | None = None
        async with self.transport.connection() as connection:
            try:
                while stopping is None or not stopping.is_set():
                    batch = await ledger.claim(self.batch, self.lease)
                    if not batch:
                        return
                    for message in batch:
                        envelope = Envelope(envelope_from, message.recipient, message.body, message.key)
                        previous = None if recording is None else asyncio.shield(recording)
                        try:
                            await connection.send(envelope, previous)
                        except DeliveryError as exc:
                            await asyncio.shield(self._record_failure(ledger, message, exc, report))
                            continue
                        recording = ledger.sent(message.id)
                        report.sent += 1
            finally:
                if recording is not None:
                    await asyncio.shield(recording)

    async def _record_failure(
        self, ledger: _Ledger, message: ClaimedMessage, exc: DeliveryError, report: RelayReport
    ) -> None:
        last = exc.permanent or message.attempts >= self.policy.max_attempts
        next_attempt_at = None if last else self.clock.now() + self.policy.delay(message.attempts, self.rng)
        await ledger.failed(message.id, exc.detail, next_attempt_at)
        if last:
            report.failed += 1
            log.warning("outbox_message_failed", key=message.key, attempts=message.attempts, error=exc.detail)
        else:
            report.retrying += 1
            log.info("outbox_attempt_failed", key=message.key, attempts=message.attempts, error=exc.detail)
