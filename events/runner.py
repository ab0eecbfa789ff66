"""The scheduler process: stand for election, and while leading run the jobs on an ``AsyncIOScheduler``.

Every process that runs a scheduler (``ocopfair scheduler run``, or each web worker unless
``OCOPFAIR_SCHEDULER=off``) is a candidate; one leads, the others retry every poll interval. A new leader first
makes the messages its predecessor had claimed due again. Stopping is graceful: no new job starts, running jobs
finish their current batch (the relay checks between batches of 20), then the lock is released so another
candidate takes over at once. APScheduler's own log lines (every run, every deliberate skip of a still-running
job) are silenced below errors: the jobs log what they did.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.clock import Clock, SystemClock
from events.composer import Composer
from events.election import Leadership, leadership_for
from events.jobs import FairJobs, schedule
from events.outbox import release_claims
from events.relay import Relay
from events.transports import Transport, transport_for
from ocopfair.matches.catalogue_source import CatalogueCache
from ocopfair.settings import Settings

log = structlog.get_logger(__name__)
DRAIN_SECONDS = 60.0


def fair_jobs(
    settings: Settings,
    engine: AsyncEngine,
    *,
    clock: Clock | None = None,
    transport: Transport | None = None,
    catalogue: CatalogueCache | None = None,
) -> FairJobs:
    """The jobs wired from settings: the same sessions, composer and transport the web process would use."""
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    clock = clock or SystemClock()
    composer = Composer(settings)
    relay = Relay(
        sessions, transport or transport_for(settings), clock, settings.mail_from, connections=settings.smtp_connections
    )
    return FairJobs(sessions, composer, relay, clock, catalogue or CatalogueCache())


class SchedulerRunner:
    def __init__(self, jobs: FairJobs, leadership: Leadership, poll_seconds: float) -> None:
        self.jobs = jobs
        self.leadership = leadership
        self.poll_seconds = poll_seconds

    async def run(self, stop: asyncio.Event) -> None:
        """Lead when elected, until ``stop`` is set."""
        while not stop.is_set():
            try:
                if await self.leadership.acquire():
                    await self._lead(stop)
                    continue
            except Exception:
                log.exception("scheduler_failed")
            await self._wait(stop)

    async def _wait(self, stop: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=self.poll_seconds)

    async def _lead(self, stop: asyncio.Event) -> None:
        log.info("scheduler_elected", pid=os.getpid())
        self.jobs.stopping.clear()
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        scheduler = AsyncIOScheduler(timezone="UTC")
        try:
            async with self.jobs.sessions() as session, session.begin():
                released = await release_claims(session, self.jobs.clock.now())
            if released:
                log.info("outbox_claims_released", count=released)
            schedule(scheduler, self.jobs, self.poll_seconds)
            scheduler.start()
            while not stop.is_set():
                await self._wait(stop)
                if not await self.leadership.held():
                    log.warning("scheduler_leadership_lost", pid=os.getpid())
                    break
        finally:
            await self._drain(scheduler)
            await self.leadership.release()
            log.info("scheduler_stood_down", pid=os.getpid())

    async def _drain(self, scheduler: AsyncIOScheduler) -> None:
        """Stop starting jobs, let the running ones finish, then shut the scheduler down."""
        self.jobs.stopping.set()
        if not scheduler.running:
            return
        scheduler.pause()
        if self.jobs.running:
            await asyncio.wait(set(self.jobs.running), timeout=DRAIN_SECONDS)
        scheduler.shutdown(wait=False)


async def run_scheduler(settings: Settings, engine: AsyncEngine, stop: asyncio.Event) -> None:
    """Run a scheduler candidate from settings until ``stop`` is set."""
    leadership = leadership_for(settings, engine)
    await SchedulerRunner(fair_jobs(settings, engine), leadership, settings.scheduler_poll_seconds).run(stop)
