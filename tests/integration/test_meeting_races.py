"""A fair's opening-morning spike on one meeting: many clients at once after the same pair or the same slot get
exactly one success and a 409 problem each for the rest, on every backend, and the database holds exactly one.

The requests run over an app on the test's own event loop (``racing_client``), so they really interleave.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from uuid import UUID

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.buyers.models import Buyer
from ocopfair.meetings.models import Meeting, MeetingRequest
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import Client, create_buyer, create_exhibitor, create_fair, created
from tests.integration.test_meetings_api import racing_client

RACERS = 200
SLOT_MINUTES = 5
DAY = dt.date(2026, 12, 18)
ZONE_OFFSET = dt.timezone(dt.timedelta(hours=7))


async def _fair_with_booth(client: Client, organiser: Account, exhibitor: Account) -> tuple[str, str]:
    """A fair with one meeting day of 5-minute slots from 06:00 to 23:00 (204 slots) and Lê Gia's confirmed booth."""
    sessions = [{"name": "all day", "starts_at": "06:00:00", "ends_at": "23:00:00"}]
    fair = await create_fair(client, organiser, meeting_days=[DAY.isoformat()], sessions=sessions, slot_minutes=5)
    hall = {"code": "A", "name": "Nhà A", "rows": 1, "columns": 1, "corner_booths": False}
    await created(client, f"/api/fairs/{fair['id']}/booths/layout", organiser, {"halls": [hall]})
    legia = (await create_exhibitor(client, exhibitor))["id"]
    assignment = await client.put(
        f"/api/fairs/{fair['id']}/booths/A-001/assignment", json={"exhibitor_id": legia}, headers=organiser.headers
    )
    assert assignment.status_code == 200, assignment.text
    assert (await client.post(f"/api/fairs/{fair['id']}/allocation/confirm", headers=organiser.headers)).is_success
    return str(fair["id"]), str(legia)


def _statuses(answers: list[httpx.Response]) -> list[int]:
    return sorted(answer.status_code for answer in answers)


async def test_racing_requests_for_one_pair_make_one_request(
    client: Client,
    settings: Settings,
    engine: AsyncEngine,
    organiser: Account,
    exhibitor_account: Account,
    buyer_account: Account,
) -> None:
    fair_id, legia = await _fair_with_booth(client, organiser, exhibitor_account)
    buyer = (await create_buyer(client, buyer_account))["id"]
    body = {"buyer_id": buyer, "exhibitor_id": legia, "message": "Xin hẹn gặp tại gian hàng"}

    async with racing_client(settings) as racing:
        answers = await asyncio.gather(
            *(
                racing.post(f"/api/fairs/{fair_id}/meeting-requests", json=body, headers=buyer_account.headers)
                for _ in range(RACERS)
            )
        )

    assert _statuses(answers) == [201] + [409] * (RACERS - 1), {a.status_code: a.text for a in answers}
    for answer in answers[1:]:
        if answer.status_code == 409:
            assert_problem(answer, 409)
    async with async_sessionmaker(engine)() as session:
        stored = await session.scalar(select(func.count()).select_from(MeetingRequest))
    assert stored == 1


async def test_racing_moves_into_one_slot_leave_one_meeting_there(
    client: Client,
    settings: Settings,
    engine: AsyncEngine,
    organiser: Account,
    exhibitor_account: Account,
) -> None:
    """Lê Gia meets a different buyer in each of the day's first 200 slots; the organiser's clients all try to move
    every one of them into the one slot still free, at the same moment."""
    fair_id, legia = await _fair_with_booth(client, organiser, exhibitor_account)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    first = dt.datetime.combine(DAY, dt.time(6, 0), ZONE_OFFSET)
    length = dt.timedelta(minutes=SLOT_MINUTES)
    async with sessions() as session, session.begin():
        buyers = [Buyer(organisation=f"Người mua {n}", buyer_type="retail_chain") for n in range(RACERS)]
        session.add_all(buyers)
        await session.flush()
        meetings = [
            Meeting(
                fair_id=UUID(fair_id),
                buyer_id=buyer.id,
                exhibitor_id=UUID(legia),
                booth_id=None,
                table_no=1,
                slot=n,
                starts_at=(first + n * length).astimezone(dt.UTC),
                ends_at=(first + (n + 1) * length).astimezone(dt.UTC),
                kind="suggested",
            )
            for n, buyer in enumerate(buyers)
        ]
        session.add_all(meetings)
    target = (first + RACERS * length).isoformat()

    async with racing_client(settings) as racing:
        answers = await asyncio.gather(
            *(
                racing.patch(f"/api/meetings/{m.id}", json={"starts_at": target}, headers=organiser.headers)
                for m in meetings
            )
        )

    assert _statuses(answers) == [200] + [409] * (RACERS - 1), {a.status_code: a.text for a in answers}
    assert_problem(next(a for a in answers if a.status_code == 409), 409)
    async with sessions() as session:
        moved = select(func.count()).where(
            Meeting.fair_id == UUID(fair_id), Meeting.starts_at == dt.datetime.fromisoformat(target)
        )
        at_target = await session.scalar(moved)
        still_scheduled = await session.scalar(select(func.count()).where(Meeting.status == "scheduled"))
    assert at_target == 1
    assert still_scheduled == RACERS
