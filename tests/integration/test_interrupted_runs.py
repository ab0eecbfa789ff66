"""A process killed in the middle of a booth allocation or a meeting schedule leaves the previous published result
as it was: a run replaces it in one transaction, so a kill after the old rows are deleted, or after every new row is
written but before the commit, changes nothing, and the next run works.

The run is a real process (``tests/integration/interrupted_run.py``) killed with SIGKILL, not an exception: no
``finally`` or rollback of ours runs, only the database's own recovery.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.meetings.models import Meeting, MeetingRequest
from ocopfair.settings import Settings
from tests.integration.conftest import Account
from tests.integration.factories import Client
from tests.integration.test_allocation import apply, fair_with, plain_hall, producer, run
from tests.integration.test_meetings_api import MeetingFair, accepted, fair, schedule

__all__ = ["fair"]  # the meeting fair fixture, shared with the meetings tests

REPOSITORY = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 120.0
STAGES = ["insert", "commit"]


async def _interrupt(settings: Settings, kind: str, fair_id: str, stage: str) -> None:
    """Run ``kind`` for the fair in a child process and SIGKILL it once it reports it stopped at ``stage``."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.interrupted_run",
        kind,
        settings.database_url,
        fair_id,
        stage,
        cwd=REPOSITORY,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    try:
        line = await asyncio.wait_for(child.stdout.readline(), STARTUP_TIMEOUT_S)
    finally:
        child.kill()
        await child.wait()
    assert line == b"interrupted\n", (await child.stderr.read()).decode(errors="replace")[-3000:]


async def _rows(engine: AsyncEngine, model: Any, *columns: str) -> set[tuple[Any, ...]]:
    async with async_sessionmaker(engine)() as session:
        rows = await session.scalars(select(model))
        return {tuple(getattr(row, column) for column in columns) for row in rows}


@pytest.mark.parametrize("stage", STAGES)
async def test_killed_allocation_run_leaves_the_previous_allocation(
    client: Client, settings: Settings, engine: AsyncEngine, organiser: Account, stage: str
) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 2, 4)]})
    for n, province in enumerate(("Thanh Hóa", "Nghệ An", "Hà Nội")):
        await apply(client, organiser, fair_id, await producer(client, organiser, f"Cơ sở {n}", province))
    await run(client, organiser, fair_id)
    assignments = ("booth_id", "exhibitor_id", "application_id", "status", "locked")
    published = await _rows(engine, BoothAssignment, *assignments)
    applications = await _rows(engine, BoothApplication, "id", "status", "waitlist_reason")
    assert len(published) == 3
    late = await producer(client, organiser, "Cơ sở đến muộn", "Ninh Bình")
    late_application = await apply(client, organiser, fair_id, late)

    await _interrupt(settings, "allocation", fair_id, stage)

    assert await _rows(engine, BoothAssignment, *assignments) == published
    after = await _rows(engine, BoothApplication, "id", "status", "waitlist_reason")
    assert after == applications | {(UUID(late_application["id"]), "submitted", None)}
    report = await run(client, organiser, fair_id)
    assert report["placed"] == 4
    assert len(await _rows(engine, BoothAssignment, *assignments)) == 4


@pytest.mark.parametrize("stage", STAGES)
async def test_killed_schedule_run_leaves_the_previous_schedule(
    client: Client,
    settings: Settings,
    engine: AsyncEngine,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    stage: str,
) -> None:
    await accepted(client, fair, buyer_account, exhibitor_account, fair.buyer, fair.legia)
    await accepted(client, fair, other_buyer_account, exhibitor_account, fair.other_buyer, fair.legia)
    await schedule(client, organiser, fair, time_limit_s=5, suggestions_per_buyer=0)
    meetings = ("id", "request_id", "buyer_id", "exhibitor_id", "booth_id", "table_no", "starts_at", "status")
    published = await _rows(engine, Meeting, *meetings)
    assert len(published) == 2
    late = await accepted(client, fair, buyer_account, other_exhibitor_account, fair.buyer, fair.bamboo)

    await _interrupt(settings, "schedule", fair.id, stage)

    assert await _rows(engine, Meeting, *meetings) == published
    assert (UUID(late), "accepted") in await _rows(engine, MeetingRequest, "id", "status")
    report = await schedule(client, organiser, fair, time_limit_s=5, suggestions_per_buyer=0)
    assert report["meetings_placed"] == 3
    assert UUID(late) in {request_id for (request_id,) in await _rows(engine, Meeting, "request_id")}
