"""Booth meetings through the API: requests and their lifecycle, availability, scheduling runs, manual changes,
no double-booking (down to the database), agendas and their iCalendar feed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.app import create_app
from ocopfair.meetings.models import Meeting
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import (
    Body,
    Client,
    create_buyer,
    create_demand,
    create_exhibitor,
    create_fair,
    create_product,
    created,
    read,
)

DAYS = ("2026-12-18", "2026-12-19")
TIMES = ("08:30", "09:00", "09:30", "10:00")
ALL_SLOTS = [f"{day}T{time}:00+07:00" for day in DAYS for time in TIMES]
MISSING = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class MeetingFair:
    """A fair with two meeting days of four 30-minute slots; Lê Gia holds booth A-001 and Bamboo A-002 (both
    confirmed); the tea cooperative has only applied. Each account owns the profile of the same name."""

    id: str
    buyer: str
    other_buyer: str
    legia: str
    bamboo: str
    tea: str


@pytest.fixture
async def fair(
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    buyer_account: Account,
    other_buyer_account: Account,
) -> MeetingFair:
    sessions = [{"name": "morning", "starts_at": "08:30:00", "ends_at": "10:30:00"}]
    body = await create_fair(client, organiser, meeting_days=list(DAYS), sessions=sessions, slot_minutes=30)
    fair_id = str(body["id"])
    hall = {"code": "A", "name": "Nhà A – Thực phẩm", "rows": 1, "columns": 3, "corner_booths": False}
    await created(client, f"/api/fairs/{fair_id}/booths/layout", organiser, {"halls": [hall]})
    legia = (await create_exhibitor(client, exhibitor_account))["id"]
    bamboo = (await create_exhibitor(client, other_exhibitor_account, name="Công ty Nước mắm Đảo Ngọc"))["id"]
    tea = (await create_exhibitor(client, organiser, name="HTX Chè Cầu Đất", contact_email=None))["id"]
    for code, exhibitor in (("A-001", legia), ("A-002", bamboo)):
        answer = await client.put(
            f"/api/fairs/{fair_id}/booths/{code}/assignment",
            json={"exhibitor_id": exhibitor},
            headers=organiser.headers,
        )
        assert answer.status_code == 200, answer.text
    assert (await client.post(f"/api/fairs/{fair_id}/allocation/confirm", headers=organiser.headers)).is_success
    await created(client, f"/api/fairs/{fair_id}/applications", organiser, {"exhibitor_id": tea})
    buyer = (await create_buyer(client, buyer_account))["id"]
    other_buyer = (await create_buyer(client, other_buyer_account, organisation="Khách sạn Sông Hồng"))["id"]
    return MeetingFair(fair_id, buyer, other_buyer, legia, bamboo, tea)


async def ask(client: Client, account: Account, fair: MeetingFair, buyer: str, exhibitor: str, **fields: Any) -> Body:
    body = {"buyer_id": buyer, "exhibitor_id": exhibitor, **fields}
    return await created(client, f"/api/fairs/{fair.id}/meeting-requests", account, body)


async def answer(client: Client, account: Account, request_id: str, status: str) -> httpx.Response:
    return await client.patch(f"/api/meeting-requests/{request_id}", json={"status": status}, headers=account.headers)


async def accepted(
    client: Client, fair: MeetingFair, asker: Account, answerer: Account, buyer: str, exhibitor: str
) -> str:
    request = await ask(client, asker, fair, buyer, exhibitor)
    response = await answer(client, answerer, request["id"], "accepted")
    assert response.status_code == 200, response.text
    return str(request["id"])


async def schedule(client: Client, organiser: Account, fair: MeetingFair, **options: Any) -> Body:
    response = await client.post(f"/api/fairs/{fair.id}/schedule", json=options, headers=organiser.headers)
    assert response.status_code == 200, response.text
    report: Body = response.json()
    return report


async def meetings(client: Client, account: Account, fair: MeetingFair, **params: Any) -> list[Body]:
    page = await read(client, account, f"/api/fairs/{fair.id}/meetings", limit=100, **params)
    items: list[Body] = page["items"]
    assert page["total"] == len(items)
    return items


async def requests_of(client: Client, account: Account, fair: MeetingFair, **params: Any) -> dict[str, Body]:
    page = await read(client, account, f"/api/fairs/{fair.id}/meeting-requests", limit=100, **params)
    return {r["id"]: r for r in page["items"]}


async def move(client: Client, account: Account, meeting_id: str, body: Body) -> httpx.Response:
    return await client.patch(f"/api/meetings/{meeting_id}", json=body, headers=account.headers)


def assert_no_double_booking(items: list[Body]) -> None:
    live = [m for m in items if m["status"] == "scheduled"]
    for who in ("buyer_id", "exhibitor_id"):
        assert not [k for k, n in Counter((m[who], m["starts_at"]) for m in live).items() if n > 1], who
    tables = Counter((m["booth_code"], m["table_no"], m["starts_at"]) for m in live)
    assert max(tables.values(), default=1) == 1


async def test_request_lifecycle_and_who_may_do_what(
    client: Client,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
) -> None:
    url = f"/api/fairs/{fair.id}/meeting-requests"
    first = await ask(client, buyer_account, fair, fair.buyer, fair.legia, priority="must", message="Xin gặp 20 phút")
    assert (first["status"], first["priority"], first["exhibitor_name"]) == ("pending", "must", "HTX Nước mắm Lê Gia")
    assert first["buyer_name"] == "Siêu thị Bách Hóa Xanh"

    same_pair = {"buyer_id": fair.buyer, "exhibitor_id": fair.legia}
    assert_problem(await client.post(url, json=same_pair, headers=organiser.headers), 409, "already")
    assert_problem(await client.post(url, json=same_pair, headers=other_buyer_account.headers), 404, "buyer")
    assert_problem(await client.post(url, json=same_pair, headers=exhibitor_account.headers), 404, "buyer")
    outsider = (await create_exhibitor(client, organiser, name="Cơ sở ngoài hội chợ", contact_email=None))["id"]
    assert_problem(
        await client.post(url, json={**same_pair, "exhibitor_id": outsider}, headers=buyer_account.headers),
        422,
        "booth",
    )

    assert list(await requests_of(client, buyer_account, fair)) == [first["id"]]
    assert list(await requests_of(client, exhibitor_account, fair)) == [first["id"]]
    assert await requests_of(client, other_exhibitor_account, fair) == {}
    assert await requests_of(client, other_buyer_account, fair) == {}

    assert_problem(await answer(client, other_exhibitor_account, first["id"], "accepted"), 404)
    assert_problem(await answer(client, buyer_account, first["id"], "accepted"), 403, "exhibitor")
    assert_problem(await answer(client, exhibitor_account, first["id"], "cancelled"), 403, "buyer")
    yes = await answer(client, exhibitor_account, first["id"], "accepted")
    assert (yes.status_code, yes.json()["status"]) == (200, "accepted")
    assert yes.json()["answered_at"] is not None
    assert_problem(await answer(client, exhibitor_account, first["id"], "declined"), 409, "accepted")

    cancelled = await answer(client, buyer_account, first["id"], "cancelled")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = await ask(client, buyer_account, fair, fair.buyer, fair.legia)
    assert again["status"] == "pending", "a cancelled request no longer blocks the pair"

    other = await ask(client, organiser, fair, fair.buyer, fair.bamboo)
    assert (await answer(client, other_exhibitor_account, other["id"], "declined")).json()["status"] == "declined"
    assert_problem(await answer(client, buyer_account, other["id"], "cancelled"), 409, "declined")
    assert list(await requests_of(client, organiser, fair, status="declined")) == [other["id"]]
    assert len(await requests_of(client, organiser, fair)) == 3


async def test_a_pending_request_expires_at_the_fair_deadline(
    client: Client, fair: MeetingFair, organiser: Account, buyer_account: Account, exhibitor_account: Account
) -> None:
    pending = await ask(client, buyer_account, fair, fair.buyer, fair.legia)
    fair_url = f"/api/fairs/{fair.id}"
    naive = await client.patch(
        fair_url, json={"meeting_request_deadline": "2026-12-10T17:00:00"}, headers=organiser.headers
    )
    assert_problem(naive, 400, "time zone")
    past = await client.patch(
        fair_url, json={"meeting_request_deadline": "2026-01-01T17:00:00+07:00"}, headers=organiser.headers
    )
    assert past.status_code == 200, past.text
    assert past.json()["meeting_request_deadline"] == "2026-01-01T10:00:00Z"

    assert (await requests_of(client, buyer_account, fair))[pending["id"]]["status"] == "expired"
    assert_problem(await answer(client, exhibitor_account, pending["id"], "accepted"), 409, "expired")
    late = {"buyer_id": fair.buyer, "exhibitor_id": fair.bamboo}
    assert_problem(
        await client.post(f"{fair_url}/meeting-requests", json=late, headers=buyer_account.headers), 409, "deadline"
    )

    reopened = await client.patch(fair_url, json={"meeting_request_deadline": None}, headers=organiser.headers)
    assert reopened.json()["meeting_request_deadline"] is None
    assert (await ask(client, buyer_account, fair, fair.buyer, fair.legia))["status"] == "pending"


async def test_slots_and_availability(
    client: Client,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
) -> None:
    slots = await client.get(f"/api/fairs/{fair.id}/slots", headers=buyer_account.headers)
    assert [s["starts_at"] for s in slots.json()] == ALL_SLOTS
    assert slots.json()[4] == {
        "index": 4,
        "day": "2026-12-19",
        "session": "morning",
        "starts_at": "2026-12-19T08:30:00+07:00",
        "ends_at": "2026-12-19T09:00:00+07:00",
    }
    url = f"/api/fairs/{fair.id}/availability/buyers/{fair.buyer}"
    body = {"unavailable": ["2026-12-18T02:00:00Z", ALL_SLOTS[0], ALL_SLOTS[0]], "max_per_day": 2}
    saved = await client.put(url, json=body, headers=buyer_account.headers)
    assert saved.status_code == 200, saved.text
    expected = {
        "fair_id": fair.id,
        "participant": "buyer",
        "participant_id": fair.buyer,
        "unavailable": ALL_SLOTS[:2],
        "max_per_day": 2,
    }
    assert saved.json() == expected
    assert (await read(client, organiser, url)) == expected

    for bad, status, fragment in (
        ({"unavailable": ["2026-12-18T08:45:00+07:00"]}, 422, "no meeting slot"),
        ({"unavailable": ["2026-12-18T08:30:00"]}, 400, "time zone"),
        ({"max_per_day": -1}, 400, "max_per_day"),
        ({"unavailable": "soon"}, 400, "unavailable"),
    ):
        assert_problem(await client.put(url, json=bad, headers=buyer_account.headers), status, fragment)
    assert (await read(client, buyer_account, url)) == expected
    assert_problem(await client.put(url, json={}, headers=other_buyer_account.headers), 404)
    assert_problem(await client.get(url, headers=exhibitor_account.headers), 404)
    legia_url = f"/api/fairs/{fair.id}/availability/exhibitors/{fair.legia}"
    assert_problem(await client.put(legia_url, json={}, headers=other_exhibitor_account.headers), 403)
    own = await client.put(legia_url, json={"max_per_day": 0}, headers=exhibitor_account.headers)
    assert own.json() == {
        **expected,
        "participant": "exhibitor",
        "participant_id": fair.legia,
        "unavailable": [],
        "max_per_day": 0,
    }


async def _stored_matches(client: Client, organiser: Account, buyer_account: Account, fair: MeetingFair) -> None:
    """Both booth holders sell fish sauce and the buyer wants some at this fair; the fair's matches are stored."""
    await create_product(client, organiser, fair.legia)
    await create_product(client, organiser, fair.bamboo, name="Nước mắm Đảo Ngọc 40 độ đạm")
    await create_demand(client, buyer_account, fair.buyer, fair_id=fair.id)
    run = await client.post(f"/api/fairs/{fair.id}/matches/run", headers=organiser.headers)
    assert run.status_code == 200 and run.json()["matches"] >= 2, run.text


async def test_a_run_places_accepted_requests_suggests_matches_and_keeps_what_it_placed(
    client: Client,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
) -> None:
    await _stored_matches(client, organiser, buyer_account, fair)
    mine = await accepted(client, fair, buyer_account, exhibitor_account, fair.buyer, fair.legia)
    theirs = await accepted(client, fair, other_buyer_account, exhibitor_account, fair.other_buyer, fair.legia)
    no_booth = await accepted(client, fair, other_buyer_account, organiser, fair.other_buyer, fair.tea)
    availability = f"/api/fairs/{fair.id}/availability"
    busy = {"unavailable": ALL_SLOTS[:2]}
    assert (
        await client.put(f"{availability}/buyers/{fair.buyer}", json=busy, headers=buyer_account.headers)
    ).is_success
    cap = {"max_per_day": 1}
    assert (await client.put(f"{availability}/exhibitors/{fair.legia}", json=cap, headers=organiser.headers)).is_success

    report = await schedule(client, organiser, fair, time_limit_s=10)

    assert set(report) >= {
        "meetings_placed",
        "requests_unplaced",
        "suggested_placed",
        "total_score",
        "breaks",
        "max_breaks_per_participant",
        "solve_ms",
    }
    assert (report["meetings_placed"], report["suggested_placed"]) == (3, 1)
    assert [u["request_id"] for u in report["requests_unplaced"]] == [no_booth]
    assert "no confirmed booth" in report["requests_unplaced"][0]["reason"]
    assert report["total_score"] > 0
    items = await meetings(client, organiser, fair)
    assert_no_double_booking(items)
    by_request = {m["request_id"]: m for m in items}
    assert set(by_request) == {mine, theirs, None}
    assert by_request[mine]["starts_at"] not in ALL_SLOTS[:2]
    assert by_request[mine]["starts_at"][:10] != by_request[theirs]["starts_at"][:10], "Lê Gia takes one a day"
    assert {(m["booth_code"], m["hall_code"]) for m in items if m["exhibitor_id"] == fair.legia} == {("A-001", "A")}
    suggested = by_request[None]
    assert (suggested["kind"], suggested["buyer_id"], suggested["exhibitor_id"]) == (
        "suggested",
        fair.buyer,
        fair.bamboo,
    )
    assert suggested["booth_code"] == "A-002" and suggested["score"] > 0
    assert {m["id"] for m in await meetings(client, buyer_account, fair)} == {by_request[mine]["id"], suggested["id"]}
    assert [m["id"] for m in await meetings(client, other_exhibitor_account, fair)] == [suggested["id"]]
    assert [m["id"] for m in await meetings(client, buyer_account, fair, buyer_id=fair.other_buyer)] == []
    second_day = await meetings(client, organiser, fair, day=DAYS[1])
    assert {m["id"] for m in second_day} == {m["id"] for m in items if m["starts_at"].startswith(DAYS[1])}

    opened = await client.patch(f"/api/fairs/{fair.id}", json={"shared_meeting_tables": 1}, headers=organiser.headers)
    assert opened.json()["shared_meeting_tables"] == 1
    rerun = await schedule(client, organiser, fair, time_limit_s=10)

    assert (rerun["meetings_placed"], rerun["requests_unplaced"]) == (4, [])
    after = {m["id"]: m for m in await meetings(client, organiser, fair)}
    assert all(after[m["id"]] == m for m in items), "keep_existing leaves every meeting where it was"
    (shared,) = [m for m in after.values() if m["request_id"] == no_booth]
    assert (shared["booth_code"], shared["table_no"]) == (None, 1)

    fresh = await schedule(client, organiser, fair, time_limit_s=10, keep_existing=False)
    assert (fresh["meetings_placed"], fresh["requests_unplaced"]) == (4, [])
    replaced = await meetings(client, organiser, fair)
    assert_no_double_booking(replaced)
    assert {m["id"] for m in replaced} == set(after), "a meeting placed again keeps its id (and calendar UID)"

    assert_problem(await client.post(f"/api/fairs/{fair.id}/schedule", json={}, headers=buyer_account.headers), 403)


async def test_moving_and_cancelling_by_hand_keeps_the_rules(
    client: Client,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
) -> None:
    mine = await accepted(client, fair, buyer_account, exhibitor_account, fair.buyer, fair.legia)
    await accepted(client, fair, other_buyer_account, exhibitor_account, fair.other_buyer, fair.legia)
    await schedule(client, organiser, fair, time_limit_s=5, suggestions_per_buyer=0)
    items = await meetings(client, organiser, fair)
    (a,) = [m for m in items if m["request_id"] == mine]
    (b,) = [m for m in items if m["request_id"] != mine]
    free = [s for s in ALL_SLOTS if s not in (a["starts_at"], b["starts_at"])]
    busy = {"unavailable": [free[0]]}
    availability = f"/api/fairs/{fair.id}/availability/buyers/{fair.buyer}"
    assert (await client.put(availability, json=busy, headers=buyer_account.headers)).is_success

    assert_problem(await move(client, organiser, a["id"], {"starts_at": b["starts_at"]}), 409, "exhibitor")
    assert_problem(await move(client, organiser, a["id"], {"starts_at": "2026-12-18T08:45:00+07:00"}), 422, "slot")
    assert_problem(await move(client, organiser, a["id"], {"starts_at": free[0]}), 409, "cannot attend")
    assert_problem(await move(client, buyer_account, a["id"], {"starts_at": free[1]}), 403, "organisers")
    assert_problem(await move(client, other_exhibitor_account, a["id"], {"status": "cancelled"}), 404)
    assert_problem(await move(client, organiser, a["id"], {"starts_at": free[1], "status": "cancelled"}), 400)
    assert_problem(await move(client, organiser, a["id"], {}), 400)
    assert_problem(await move(client, organiser, a["id"], {"status": "scheduled"}), 400)
    assert await meetings(client, organiser, fair) == items

    moved = await move(client, organiser, a["id"], {"starts_at": free[1]})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["starts_at"], moved.json()["booth_code"]) == (free[1], "A-001")
    cancelled = await move(client, exhibitor_account, a["id"], {"status": "cancelled"})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert (await requests_of(client, buyer_account, fair))[mine]["status"] == "cancelled"
    assert_problem(await move(client, organiser, a["id"], {"starts_at": free[2]}), 409, "cancelled")
    replacement = await move(client, organiser, b["id"], {"starts_at": free[1]})
    assert replacement.status_code == 200, "a cancelled meeting frees its slot and table"

    calendar = Calendar.from_ical(
        (await client.get(f"/api/buyers/{fair.buyer}/agenda.ics", headers=buyer_account.headers)).content
    )
    (event,) = calendar.walk("VEVENT")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 2)
    rerun = await schedule(client, organiser, fair, time_limit_s=5, suggestions_per_buyer=0)
    assert rerun["meetings_placed"] == 1, "a cancelled request is not placed again"


async def test_agenda_in_time_order_and_its_calendar_feed(
    client: Client,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
) -> None:
    await accepted(client, fair, buyer_account, exhibitor_account, fair.buyer, fair.legia)
    await accepted(client, fair, buyer_account, other_exhibitor_account, fair.buyer, fair.bamboo)
    await schedule(client, organiser, fair, time_limit_s=5, suggestions_per_buyer=0)
    url = f"/api/buyers/{fair.buyer}/agenda"

    agenda = await read(client, buyer_account, url, fair_id=fair.id)
    items = agenda["items"]
    assert (agenda["participant"], agenda["name"], len(items)) == ("buyer", "Siêu thị Bách Hóa Xanh", 2)
    assert [i["starts_at"] for i in items] == sorted(i["starts_at"] for i in items)
    assert {(i["counterpart_name"], i["booth_code"]) for i in items} == {
        ("HTX Nước mắm Lê Gia", "A-001"),
        ("Công ty Nước mắm Đảo Ngọc", "A-002"),
    }
    assert {(i["hall_code"], i["hall_name"]) for i in items} == {("A", "Nhà A – Thực phẩm")}
    day = items[0]["starts_at"][:10]
    assert [i["meeting_id"] for i in (await read(client, buyer_account, url, day=day))["items"]] == [
        i["meeting_id"] for i in items if i["starts_at"].startswith(day)
    ]
    legia = await read(client, exhibitor_account, f"/api/exhibitors/{fair.legia}/agenda")
    assert [i["counterpart_name"] for i in legia["items"]] == ["Siêu thị Bách Hóa Xanh"]
    assert_problem(await client.get(url, headers=other_buyer_account.headers), 404)
    assert_problem(await client.get(f"{url}.ics", headers=exhibitor_account.headers), 404)
    assert_problem(
        await client.get(f"/api/exhibitors/{fair.legia}/agenda", headers=other_exhibitor_account.headers), 403
    )
    assert_problem(await client.get(url, params={"day": "18/12/2026"}, headers=buyer_account.headers), 400)
    assert (await client.get(url, headers=organiser.headers)).status_code == 200

    feed = await client.get(f"{url}.ics", params={"fair_id": fair.id}, headers=buyer_account.headers)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"meeting-{i['meeting_id']}@ocopfair" for i in items]
    for event, item in zip(events, items, strict=True):
        assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
        assert event.start == dt.datetime.fromisoformat(item["starts_at"])
        assert event.end == dt.datetime.fromisoformat(item["ends_at"])
        assert item["booth_code"] in str(event["LOCATION"]) and "Nhà A" in str(event["LOCATION"])
        assert item["counterpart_name"] in str(event["SUMMARY"])
        assert int(event["SEQUENCE"]) == 0
    again = await client.get(f"{url}.ics", params={"fair_id": fair.id}, headers=buyer_account.headers)
    assert again.content == feed.content, "the same agenda gives the same feed, UIDs included"
    exhibitor_feed = await client.get(f"/api/exhibitors/{fair.legia}/agenda.ics", headers=exhibitor_account.headers)
    assert len(Calendar.from_ical(exhibitor_feed.content).walk("VEVENT")) == 1


async def test_the_database_refuses_double_booking(
    client: Client, fair: MeetingFair, organiser: Account, engine: AsyncEngine
) -> None:
    booths = (await read(client, organiser, f"/api/fairs/{fair.id}/booths"))["items"]
    booth = {b["code"]: UUID(b["id"]) for b in booths}
    start = dt.datetime(2026, 12, 18, 1, 30, tzinfo=dt.UTC)

    def meeting(buyer: str, exhibitor: str, booth_id: UUID | None, status: str = "scheduled") -> Meeting:
        return Meeting(
            fair_id=UUID(fair.id),
            buyer_id=UUID(buyer),
            exhibitor_id=UUID(exhibitor),
            booth_id=booth_id,
            table_no=1,
            slot=0,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            kind="suggested",
            status=status,
        )

    third = (await create_buyer(client, organiser, organisation="Bếp ăn Khu công nghiệp Lễ Môn"))["id"]
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session:
        session.add_all([meeting(fair.buyer, fair.legia, booth["A-001"]), meeting(fair.other_buyer, fair.tea, None)])
        await session.commit()
    clashes = [  # each row collides with the two above on exactly one rule
        (fair.buyer, fair.bamboo, booth["A-002"]),  # the buyer twice
        (third, fair.legia, booth["A-003"]),  # the exhibitor twice
        (third, fair.bamboo, booth["A-001"]),  # a booth's table twice
        (third, fair.bamboo, None),  # a shared table twice
    ]
    for buyer, exhibitor, booth_id in clashes:
        async with sessions() as session:
            session.add(meeting(buyer, exhibitor, booth_id))
            with pytest.raises(IntegrityError):
                await session.commit()
        async with sessions() as session:
            session.add(meeting(buyer, exhibitor, booth_id, status="cancelled"))
            await session.commit()


@asynccontextmanager
async def racing_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second app on the test's own event loop, so requests over it really interleave."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver") as racing:
        yield racing


async def test_two_racing_moves_into_one_slot_leave_one(
    client: Client,
    settings: Settings,
    fair: MeetingFair,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
) -> None:
    await accepted(client, fair, buyer_account, exhibitor_account, fair.buyer, fair.legia)
    await accepted(client, fair, other_buyer_account, exhibitor_account, fair.other_buyer, fair.legia)
    await schedule(client, organiser, fair, time_limit_s=5, suggestions_per_buyer=0)
    items = await meetings(client, organiser, fair)
    target = next(s for s in ALL_SLOTS if s not in {m["starts_at"] for m in items})

    async with racing_client(settings) as racing:
        answers = await asyncio.gather(
            *(
                racing.patch(f"/api/meetings/{m['id']}", json={"starts_at": target}, headers=organiser.headers)
                for m in items
            )
        )

    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert_problem(next(a for a in answers if a.status_code == 409), 409)
    after = await meetings(client, organiser, fair)
    assert_no_double_booking(after)
    assert sum(m["starts_at"] == target for m in after) == 1


async def test_bad_input_is_refused_and_changes_nothing(
    client: Client, fair: MeetingFair, organiser: Account, buyer_account: Account
) -> None:
    request = await ask(client, buyer_account, fair, fair.buyer, fair.legia)
    base = f"/api/fairs/{fair.id}"
    pair = {"buyer_id": fair.buyer, "exhibitor_id": fair.bamboo}
    bad: list[tuple[str, str, Any, int, str]] = [
        ("POST", f"{base}/meeting-requests", {**pair, "priority": "urgent"}, 400, "priority"),
        ("POST", f"{base}/meeting-requests", {**pair, "colour": "red"}, 400, "colour"),
        ("POST", f"{base}/meeting-requests", {**pair, "message": "x" * 1001}, 400, "message"),
        ("POST", f"{base}/meeting-requests", {**pair, "exhibitor_id": MISSING}, 422, MISSING),
        ("POST", f"{base}/meeting-requests", {**pair, "buyer_id": MISSING}, 404, MISSING),
        ("POST", f"{base}/meeting-requests", {**pair, "demand_id": MISSING}, 422, "demand"),
        ("POST", f"/api/fairs/{MISSING}/meeting-requests", pair, 404, MISSING),
        ("PATCH", f"/api/meeting-requests/{request['id']}", {"status": "expired"}, 400, "status"),
        ("PATCH", f"/api/meeting-requests/{MISSING}", {"status": "accepted"}, 404, MISSING),
        ("POST", f"{base}/schedule", {"time_limit_s": 500}, 400, "time_limit_s"),
        ("POST", f"{base}/schedule", {"time_limit_s": 0}, 400, "time_limit_s"),
        ("POST", f"{base}/schedule", {"keep_existing": "maybe"}, 400, "keep_existing"),
        ("PATCH", f"/api/meetings/{MISSING}", {"status": "cancelled"}, 404, MISSING),
        ("PATCH", base, {"shared_meeting_tables": -1}, 400, "shared_meeting_tables"),
        ("PATCH", base, {"meeting_tables_per_booth": 0}, 400, "meeting_tables_per_booth"),
        ("GET", f"{base}/meetings?day=tomorrow", None, 400, "day"),
        ("GET", f"{base}/meeting-requests?status=lost", None, 400, "status"),
        ("PUT", f"{base}/availability/visitors/{fair.buyer}", {"unavailable": []}, 404, "visitors"),
        ("GET", f"{base}/availability/buyers/{MISSING}", None, 404, MISSING),
    ]
    before = (await requests_of(client, organiser, fair), await read(client, organiser, base))
    for method, url, body, status, fragment in bad:
        response = await client.request(method, url, json=body, headers=organiser.headers)
        assert_problem(response, status, fragment)
    assert (await requests_of(client, organiser, fair), await read(client, organiser, base)) == before

    empty = await create_fair(client, organiser, name="Hội chợ không có ngày gặp")
    no_slots = await client.post(f"/api/fairs/{empty['id']}/schedule", json={}, headers=organiser.headers)
    assert_problem(no_slots, 422, "meeting_days")
