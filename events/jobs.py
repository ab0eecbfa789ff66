"""The scheduler's jobs and their schedule.

| job id         | when                    | what                                                               |
|----------------|-------------------------|--------------------------------------------------------------------|
| ``digests``    | every minute            | each active fair whose digest time has come today and whose digest |
|                |                         | has not run today: buyers' digests, exhibitors' day agendas        |
| ``rematch``    | every 5 minutes         | each active fair past 02:00 local without today's re-match         |
| ``reminders``  | every minute            | reminders due before meetings                                      |
| ``outbox-relay`` | every poll interval   | send what the outbox holds                                         |

Daily work is recorded as a ``ScheduledRun`` (fair, job, local date) in the transaction that finishes it, so the jobs
can run often and any scheduler, restarted or new, picks up where the last one stopped: nothing is repeated, and a
digest time missed while no scheduler ran is caught up. The digest runs the day's re-match first if it has not run,
so it reflects the products added during the day.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from uuid import UUID

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.agendas import queue_day_agendas
from events.clock import Clock
from events.composer import Composer
from events.digests import BUYERS_PER_CHUNK, DigestCounts, DigestWriter, fair_buyers
from events.fair_days import ACTIVE_STATUSES, REMATCH_TIME, is_due, local_day
from events.relay import Relay
from events.reminders import queue_reminders
from ocopfair.errors import Conflict
from ocopfair.fairs.models import Fair
from ocopfair.fairs.run_leases import exclusive_run
from ocopfair.matches.catalogue_source import CatalogueCache
from ocopfair.matches.services import MatchService
from ocopfair.outbox.models import ScheduledRun

log = structlog.get_logger(__name__)
# A digest waits this long for the day's re-match while another matching run of the fair holds it (an organiser's
# run takes seconds; a killed one's lease lapses after ten minutes, and the digest is then tried again next round).
REMATCH_WAIT_S = 300.0
LEASE_RETRY_S = 0.5


async def _has_run(session: AsyncSession, fair_id: UUID, job: str, day: dt.date) -> bool:
    found = await session.scalar(
        select(ScheduledRun.id).where(ScheduledRun.fair_id == fair_id, ScheduledRun.job == job, ScheduledRun.day == day)
    )
    return found is not None


async def _record_run(session: AsyncSession, fair_id: UUID, job: str, day: dt.date, at: dt.datetime) -> bool:
    """Mark the job done for the day; False when it already was. As the first write of a transaction this also
    claims the run: a concurrent transaction's insert waits for this one and then finds the mark."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    inserted = await session.execute(
        insert(ScheduledRun)
        .values(fair_id=fair_id, job=job, day=day, created_at=at, updated_at=at)
        .on_conflict_do_nothing(index_elements=["fair_id", "job", "day"])
        .returning(ScheduledRun.id)
    )
    return inserted.first() is not None


@dataclass
class FairJobs:
    """The jobs, with what they share: sessions, the composer, the relay, the clock and the fitted catalogue."""

    sessions: async_sessionmaker[AsyncSession]
    composer: Composer
    relay: Relay
    clock: Clock
    catalogue: CatalogueCache = field(default_factory=CatalogueCache)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    running: set[asyncio.Task[object]] = field(default_factory=set)

    async def tracked(self, name: str, job: Callable[[], Awaitable[object]]) -> None:
        """Run a job so that a stopping scheduler can wait for it, logging its failure instead of losing it."""
        task = asyncio.current_task()
        if task is not None:
            self.running.add(task)
        try:
            await job()
        except Exception:
            log.exception("job_failed", job=name)
        finally:
            if task is not None:
                self.running.discard(task)

    async def _fairs_due(self, job: str, at: dt.datetime) -> list[Fair]:
        async with self.sessions() as session:
            fairs = await session.scalars(select(Fair).where(Fair.status.in_(ACTIVE_STATUSES)).order_by(Fair.id))
            due = []
            for fair in fairs:
                time_of_day = fair.digest_time if job == "digest" else REMATCH_TIME
                if is_due(fair, at, time_of_day) and not await _has_run(session, fair.id, job, local_day(fair, at)):
                    due.append(fair)
            return due

    async def digests(self) -> None:
        at = self.clock.now()
        for fair in await self._fairs_due("digest", at):
            if self.stopping.is_set():
                return
            await self.digest_fair(fair.id, at)

    async def digest_fair(self, fair_id: UUID, at: dt.datetime) -> DigestCounts:
        """Today's digests of one fair, a chunk of buyers per transaction, then the exhibitors' day agendas."""
        async with self.sessions() as session:
            fair = await session.get_one(Fair, fair_id)
            day = local_day(fair, at)
            rematched = await _has_run(session, fair.id, "rematch", day)
            buyer_ids = await fair_buyers(session, fair)
        if not rematched and not await self.rematch_fair(fair_id, day, at, wait_s=REMATCH_WAIT_S):
            log.info("digests_deferred", fair_id=str(fair_id), day=day.isoformat(), reason="today's matches not ready")
            return DigestCounts()
        writer = DigestWriter(self.composer, self.catalogue)
        counts = DigestCounts()
        for start in range(0, len(buyer_ids), BUYERS_PER_CHUNK):
            async with self.sessions() as session, session.begin():
                fair = await session.get_one(Fair, fair_id)
                counts.add(await writer.queue(session, fair, buyer_ids[start : start + BUYERS_PER_CHUNK], at))
        async with self.sessions() as session, session.begin():
            fair = await session.get_one(Fair, fair_id)
            agendas = await queue_day_agendas(session, self.composer, fair, at)
            await _record_run(session, fair.id, "digest", day, at)
        log.info("digests_queued", fair_id=str(fair_id), day=day.isoformat(), agendas=agendas, **vars(counts))
        return counts

    async def rematch(self) -> None:
        at = self.clock.now()
        for fair in await self._fairs_due("rematch", at):
            if self.stopping.is_set():
                return
            await self.rematch_fair(fair.id, local_day(fair, at), at)

    async def rematch_fair(self, fair_id: UUID, day: dt.date, at: dt.datetime, *, wait_s: float = 0.0) -> bool:
        """Recompute the fair's stored matches, once a day: the day's mark is claimed in the same transaction, so a
        second scheduler at the same moment skips. It is the fair's matching run (``exclusive_run``): while another
        holds the lease (an organiser's run, or this scheduler's other job) it waits up to ``wait_s``, then leaves
        the day unmarked for its next round. True when the day's re-match is done."""
        deadline = time.monotonic() + wait_s
        while True:
            async with self.sessions() as session:
                try:
                    async with exclusive_run(session, fair_id, "matching"):
                        if not await _record_run(session, fair_id, "rematch", day, at):
                            return True
                        fair = await session.get_one(Fair, fair_id)
                        run = await MatchService(session, self.catalogue).run_for_fair(fair)
                    log.info("fair_rematched", fair_id=str(fair_id), demands=run.demands, matches=run.matches)
                    return True
                except Conflict:
                    if time.monotonic() >= deadline or self.stopping.is_set():
                        log.info("rematch_deferred", fair_id=str(fair_id), reason="a matching run holds the fair")
                        return False
            await asyncio.sleep(LEASE_RETRY_S)

    async def reminders(self) -> None:
        async with self.sessions() as session, session.begin():
            written = await queue_reminders(session, self.composer, self.clock.now())
        if written:
            log.info("reminders_queued", count=written)

    async def relay_outbox(self) -> None:
        await self.relay.run(self.stopping)


def schedule(scheduler: AsyncIOScheduler, jobs: FairJobs, poll_seconds: float) -> None:
    """Register the jobs under fixed ids (re-registering replaces them); each runs once at start, then on its
    interval, one instance at a time, missed runs coalesced into one."""
    start = dt.datetime.now(dt.UTC)
    definitions = (
        ("outbox-relay", jobs.relay_outbox, IntervalTrigger(seconds=poll_seconds)),
        ("reminders", jobs.reminders, IntervalTrigger(minutes=1)),
        ("rematch", jobs.rematch, IntervalTrigger(minutes=5)),
        ("digests", jobs.digests, IntervalTrigger(minutes=1)),
    )
    for job_id, function, trigger in definitions:
        scheduler.add_job(
            partial(jobs.tracked, job_id, function),
            trigger,
            id=job_id,
            name=job_id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=start,
        )
