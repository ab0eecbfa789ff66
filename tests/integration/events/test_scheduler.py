"""The scheduler: fixed job ids that re-registering replaces, one leader among candidates on either database, and a
runner that leads, sends, stands down, and hands over to the next candidate."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from events.election import leadership_for
from events.jobs import schedule
from events.runner import SchedulerRunner, fair_jobs
from events.transports import Envelope
from ocopfair.settings import Settings
from tests.integration.events.mailbox import ManualClock
from tests.integration.events.outbox_rows import queue

JOB_IDS = ["digests", "outbox-relay", "rematch", "reminders"]


class RecordingTransport:
    """Keeps what would have been sent, and wakes the test at each message."""

    def __init__(self) -> None:
        self.sent: list[Envelope] = []
        self.arrived = asyncio.Event()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[RecordingTransport]:
        yield self

    async def send(self, envelope: Envelope, ready: Awaitable[None] | None = None) -> None:
        if ready is not None:
            await ready
        self.sent.append(envelope)
        self.arrived.set()


async def test_jobs_have_fixed_ids_and_registering_again_replaces_them(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.start(paused=True)
    try:
        jobs = fair_jobs(settings, engine, clock=clock, transport=RecordingTransport())
        schedule(scheduler, jobs, poll_seconds=5)
        schedule(scheduler, jobs, poll_seconds=2)
        registered = {job.id: job for job in scheduler.get_jobs()}
        assert sorted(registered) == JOB_IDS
        relay = registered["outbox-relay"]
        assert isinstance(relay.trigger, IntervalTrigger) and relay.trigger.interval == dt.timedelta(seconds=2)
        assert all(job.max_instances == 1 and job.coalesce for job in registered.values())
    finally:
        scheduler.shutdown(wait=False)


async def test_one_candidate_leads_at_a_time(settings: Settings, engine: AsyncEngine) -> None:
    first, second = leadership_for(settings, engine), leadership_for(settings, engine)
    assert await first.acquire()
    try:
        assert not await second.acquire()
        assert await first.held()
    finally:
        await first.release()
    assert not await first.held()
    assert await second.acquire()
    await second.release()


async def test_the_runner_leads_sends_and_hands_over_when_stopped(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    transports = [RecordingTransport(), RecordingTransport()]
    runners = [
        SchedulerRunner(
            fair_jobs(settings, engine, clock=clock, transport=transport), leadership_for(settings, engine), 0.1
        )
        for transport in transports
    ]
    stops = [asyncio.Event(), asyncio.Event()]
    await queue(engine, None, clock.now(), ("thumua@bhx.vn",))
    leader = asyncio.create_task(runners[0].run(stops[0]))
    await asyncio.wait_for(transports[0].arrived.wait(), timeout=30)
    candidate = asyncio.create_task(runners[1].run(stops[1]))
    transports[0].arrived.clear()
    await queue(engine, None, clock.now(), ("purchasing@songhong.com",))
    await asyncio.wait_for(transports[0].arrived.wait(), timeout=30)
    stops[0].set()
    await asyncio.wait_for(leader, timeout=30)
    await queue(engine, None, clock.now(), ("bep@halong.vn",))
    await asyncio.wait_for(transports[1].arrived.wait(), timeout=30)
    stops[1].set()
    await asyncio.wait_for(candidate, timeout=30)
    sent = [[envelope.recipient for envelope in transport.sent] for transport in transports]
    assert sent == [["thumua@bhx.vn", "purchasing@songhong.com"], ["bep@halong.vn"]]
