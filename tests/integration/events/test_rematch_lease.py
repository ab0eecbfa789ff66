"""The nightly re-match is the fair's matching run: while an organiser's run holds the fair's lease it stands aside,
leaves the day unmarked and runs at its next round, once the lease is given back."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

import events.jobs
from events.jobs import FairJobs
from ocopfair.fairs.run_leases import RunLease
from ocopfair.matches.models import DemandMatch
from ocopfair.outbox.models import ScheduledRun
from tests.integration.events.mail_fair import DIGEST_DAY, MailFair, local


async def _count(engine: AsyncEngine, model: type[ScheduledRun] | type[RunLease]) -> int:
    async with async_sessionmaker(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _stored_matches(engine: AsyncEngine) -> set[UUID]:
    async with async_sessionmaker(engine)() as session:
        return set(await session.scalars(select(DemandMatch.id)))


async def test_the_rematch_waits_while_an_organisers_matching_run_holds_the_fair(
    mail_fair: MailFair, jobs: FairJobs, engine: AsyncEngine
) -> None:
    fair_id, at = UUID(mail_fair.id), local(DIGEST_DAY, 3)
    async with async_sessionmaker(engine)() as session, session.begin():
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        session.add(RunLease(fair_id=fair_id, kind="matching", holder=uuid4(), expires_at=expires))

    before = await _stored_matches(engine)
    await jobs.rematch_fair(fair_id, DIGEST_DAY, at)
    assert await _count(engine, ScheduledRun) == 0
    assert await _stored_matches(engine) == before

    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(delete(RunLease))
    await jobs.rematch_fair(fair_id, DIGEST_DAY, at)
    assert await _count(engine, ScheduledRun) == 1
    stored = await _stored_matches(engine)
    assert stored and not stored & before, "the run replaced the stored matches"
    assert await _count(engine, RunLease) == 0, "the lease was given back"


async def test_a_digest_waits_for_the_days_rematch_rather_than_send_stale_matches(
    mail_fair: MailFair, jobs: FairJobs, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events.jobs, "REMATCH_WAIT_S", 0.0)
    fair_id, at = UUID(mail_fair.id), local(DIGEST_DAY, 9)
    async with async_sessionmaker(engine)() as session, session.begin():
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        session.add(RunLease(fair_id=fair_id, kind="matching", holder=uuid4(), expires_at=expires))

    deferred = await jobs.digest_fair(fair_id, at)
    assert (deferred.queued, await _count(engine, ScheduledRun)) == (0, 0), "neither sent nor marked done"

    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(delete(RunLease))
    sent = await jobs.digest_fair(fair_id, at)
    assert sent.queued > 0
    assert await _count(engine, ScheduledRun) == 2, "the re-match and the digest of the day"
