"""Booth allocation through the API: applications, runs within the policy, locks, confirmation, one holder per booth."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from itertools import pairwise
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.app import create_app
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import (
    Body,
    Client,
    create_exhibitor,
    create_fair,
    create_product,
    created,
    read,
)

MISSING = "00000000-0000-0000-0000-000000000000"
FOOD_AND_CRAFT: Body = {
    "halls": [
        {"code": "A", "name": "Thực phẩm", "rows": 2, "columns": 5, "zones": ["food"], "premium_rows": [1]},
        {"code": "B", "name": "Thủ công", "rows": 2, "columns": 4, "zones": ["handicraft"]},
    ]
}


def plain_hall(code: str, rows: int, columns: int, **extra: Any) -> Body:
    """A hall of standard booths only: no corners, no premium rows."""
    return {"code": code, "name": f"Nhà {code}", "rows": rows, "columns": columns, "corner_booths": False, **extra}


async def fair_with(client: Client, organiser: Account, layout: Body, policy: Body | None = None) -> str:
    fair = await create_fair(client, organiser)
    await created(client, f"/api/fairs/{fair['id']}/booths/layout", organiser, layout)
    if policy is not None:
        patched = await client.patch(
            f"/api/fairs/{fair['id']}", json={"allocation_policy": policy}, headers=organiser.headers
        )
        assert patched.status_code == 200, patched.text
    return str(fair["id"])


async def producer(
    client: Client, account: Account, name: str, province: str, category: str = "food.condiment", stars: int = 3
) -> str:
    """An exhibitor from ``province`` with one product of ``category``; its id."""
    exhibitor = await create_exhibitor(client, account, name=name, province_code=province, contact_email=None)
    await create_product(client, account, exhibitor["id"], name=f"Sản phẩm {name}", category=category, stars=stars)
    return str(exhibitor["id"])


async def apply(client: Client, account: Account, fair_id: str, exhibitor_id: str, **fields: Any) -> Body:
    return await created(
        client, f"/api/fairs/{fair_id}/applications", account, {"exhibitor_id": exhibitor_id, **fields}
    )


async def run(client: Client, organiser: Account, fair_id: str) -> Body:
    response = await client.post(f"/api/fairs/{fair_id}/allocation/run", json={}, headers=organiser.headers)
    assert response.status_code == 200, response.text
    report: Body = response.json()
    return report


async def confirm(client: Client, organiser: Account, fair_id: str) -> Body:
    response = await client.post(f"/api/fairs/{fair_id}/allocation/confirm", headers=organiser.headers)
    assert response.status_code == 200, response.text
    answer: Body = response.json()
    return answer


async def booths(client: Client, account: Account, fair_id: str) -> dict[str, Body]:
    """Every booth of the fair by code."""
    page = await read(client, account, f"/api/fairs/{fair_id}/booths", limit=100)
    assert page["total"] <= 100
    return {booth["code"]: booth for booth in page["items"]}


async def applications(client: Client, account: Account, fair_id: str) -> list[Body]:
    response = await client.get(f"/api/fairs/{fair_id}/applications", headers=account.headers)
    assert response.status_code == 200, response.text
    answer: list[Body] = response.json()
    return answer


def holdings(floor: dict[str, Body]) -> dict[str, list[str]]:
    """Booth codes per exhibitor id, from the booth list."""
    held: dict[str, list[str]] = {}
    for code, booth in sorted(floor.items()):
        if booth["exhibitor_id"] is not None:
            held.setdefault(booth["exhibitor_id"], []).append(code)
    return held


def placements(listed: list[Body]) -> dict[str, list[str]]:
    """Booth codes per application id, from the application list."""
    return {a["id"]: [b["code"] for b in a["booths"]] for a in listed}


def statuses(floor: dict[str, Body]) -> Counter[str]:
    return Counter(booth["status"] for booth in floor.values())


def assert_counts_agree(report: Body, floor: dict[str, Body]) -> None:
    """The run's booth counts are those of the booth list, every booth counted once."""
    counts = statuses(floor)
    assert (report["booths_held"], report["booths_confirmed"], report["booths_free"]) == (
        counts["held"],
        counts["confirmed"],
        counts["available"],
    )


async def test_a_run_places_every_application_and_the_exhibitor_follows_its_own(
    client: Client, organiser: Account, exhibitor_account: Account, other_exhibitor_account: Account
) -> None:
    fair_id = await fair_with(client, organiser, FOOD_AND_CRAFT)
    legia = await producer(client, exhibitor_account, "HTX Nước mắm Lê Gia", "Thanh Hóa", stars=4)
    dao_ngoc = await producer(client, organiser, "Công ty Nước mắm Đảo Ngọc", "An Giang", stars=5)
    bamboo = await producer(client, other_exhibitor_account, "Bamboo Craft", "Hà Nội", "handicraft.household")
    tea = await producer(client, organiser, "HTX Chè Cầu Đất", "Lâm Đồng", "food.tea", stars=4)
    own = await apply(client, exhibitor_account, fair_id, legia, booths_requested=2, preferred_halls=["A"])
    premium = await apply(client, organiser, fair_id, dao_ngoc, booth_type="premium")
    craft = await apply(client, other_exhibitor_account, fair_id, bamboo)
    await apply(client, organiser, fair_id, tea, note="Cần ổ điện")
    assert (own["status"], own["booths"], own["exhibitor_name"]) == ("submitted", [], "HTX Nước mắm Lê Gia")

    report = await run(client, organiser, fair_id)

    floor = await booths(client, organiser, fair_id)
    held = holdings(floor)
    assert report["applications"] == 4
    assert report["placed"] + len(report["waitlisted"]) == report["applications"]
    assert report["waitlisted"] == []
    assert_counts_agree(report, floor)
    assert (report["booths_held"], report["booths_confirmed"], report["booths_free"]) == (5, 0, len(floor) - 5)
    assert report["zone_share"] == 1.0
    assert report["preferred_hall_share"] == 1.0
    assert {q["province_code"]: (q["booths"], q["quota"]) for q in report["quota_use"]} == {
        "thanh_hoa": (2, None),
        "an_giang": (1, None),
        "ha_noi": (1, None),
        "lam_dong": (1, None),
    }
    assert report["premium_by_stars"] == {"5": 1}
    assert report["optimal"] is True

    pair = [floor[code] for code in held[legia]]
    assert len(pair) == 2
    assert {(b["hall_code"], b["row"], b["booth_type"]) for b in pair} == {("A", 2, "standard")}
    assert all(east["column"] - west["column"] == 1 for west, east in pairwise(pair))
    assert [floor[code]["booth_type"] for code in held[dao_ngoc]] == ["premium"]
    assert [floor[code]["hall_code"] for code in held[bamboo]] == ["B"]
    assert all(floor[code]["locked"] is False for codes in held.values() for code in codes)

    seen = await applications(client, exhibitor_account, fair_id)
    assert [a["id"] for a in seen] == [own["id"]]
    assert seen[0]["status"] == "placed"
    assert [(b["code"], b["status"]) for b in seen[0]["booths"]] == [(code, "held") for code in held[legia]]
    assert [a["id"] for a in await applications(client, other_exhibitor_account, fair_id)] == [craft["id"]]
    everything = await applications(client, organiser, fair_id)
    assert [a["id"] for a in everything][:2] == [own["id"], premium["id"]]
    assert sum(len(a["booths"]) for a in everything) == report["booths_held"]

    assert await confirm(client, organiser, fair_id) == {
        "confirmed": 5,
        "already_confirmed": 0,
        "applications_confirmed": 4,
    }
    (mine,) = await applications(client, exhibitor_account, fair_id)
    assert mine["status"] == "confirmed"
    assert [(b["code"], b["status"]) for b in mine["booths"]] == [(code, "confirmed") for code in held[legia]]
    assert statuses(await booths(client, exhibitor_account, fair_id)) == {"confirmed": 5, "available": len(floor) - 5}


@pytest.mark.parametrize(
    ("policy", "expected_booths", "expected_quotas", "expected_waitlisted"),
    [
        (
            {"other_max_booths": 2, "province_max_booths": {"An Giang": 1}},
            {"thanh_hoa": 3, "ha_noi": 2, "an_giang": 1},
            {"thanh_hoa": None, "ha_noi": 2, "an_giang": 1},
            {"ha_noi": 1, "an_giang": 1},
        ),
        (
            {"host_max_percent": 14, "other_max_percent": 20},
            {"thanh_hoa": 2, "ha_noi": 3, "an_giang": 2},
            {"thanh_hoa": 2, "ha_noi": 3, "an_giang": 3},
            {"thanh_hoa": 1},
        ),
    ],
)
async def test_quotas_are_never_exceeded_and_the_rest_wait_for_quota(
    client: Client,
    organiser: Account,
    policy: Body,
    expected_booths: dict[str, int],
    expected_quotas: dict[str, int | None],
    expected_waitlisted: dict[str, int],
) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 3, 5)]}, policy)
    province_of: dict[str, str] = {}
    asked = [("ha_noi", 1), ("ha_noi", 2), ("an_giang", 1), ("an_giang", 1)] + [("thanh_hoa", 1)] * 3
    for n, (province, booth_count) in enumerate(asked):
        exhibitor = await producer(client, organiser, f"Cơ sở {n}", province)
        province_of[exhibitor] = province
        await apply(client, organiser, fair_id, exhibitor, booths_requested=booth_count)

    for _ in range(2):
        report = await run(client, organiser, fair_id)
        quota_use = {q["province_code"]: q for q in report["quota_use"]}
        assert {p: q["booths"] for p, q in quota_use.items()} == expected_booths
        assert {p: q["quota"] for p, q in quota_use.items()} == expected_quotas
        assert all(q["quota"] is None or q["booths"] <= q["quota"] for q in report["quota_use"])
        held = Counter[str]()
        for exhibitor, codes in holdings(await booths(client, organiser, fair_id)).items():
            held[province_of[exhibitor]] += len(codes)
        assert held == expected_booths
        assert Counter(province_of[w["exhibitor_id"]] for w in report["waitlisted"]) == expected_waitlisted
        assert {(w["reason"], w["message"]) for w in report["waitlisted"]} == {
            ("quota", "the province's booth quota is used up")
        }
        assert report["placed"] + len(report["waitlisted"]) == report["applications"] == len(asked)

    listed = await applications(client, organiser, fair_id)
    waiting = {a["id"] for a in listed if (a["status"], a["waitlist_reason"]) == ("waitlisted", "quota")}
    assert waiting == {w["application_id"] for w in report["waitlisted"]}
    if "ha_noi" in expected_waitlisted:
        one_booth, two_booths = (a for a in listed if province_of[a["exhibitor_id"]] == "ha_noi")
        assert one_booth["id"] in waiting, "the quota counts booths: the 2-booth application fills it"
        assert two_booths["status"] == "placed"


@pytest.mark.parametrize("lock_first", [False, True], ids=["lock-after-applying", "lock-before-applying"])
async def test_a_locked_booth_never_moves_and_reruns_keep_every_placement(
    client: Client, organiser: Account, lock_first: bool
) -> None:
    craft_and_food = {"halls": [plain_hall("A", 1, 4, zones=["handicraft"]), plain_hall("B", 1, 4, zones=["food"])]}
    fair_id = await fair_with(client, organiser, craft_and_food)
    lucky, second, third, late = [await producer(client, organiser, f"Cơ sở {n}", "Thanh Hóa") for n in range(4)]
    lock_url = f"/api/fairs/{fair_id}/booths/A-004/assignment"
    if lock_first:
        locked = await client.put(lock_url, json={"exhibitor_id": lucky}, headers=organiser.headers)
        mine = await apply(client, organiser, fair_id, lucky, preferred_halls=["B"])
        assert (mine["status"], [b["code"] for b in mine["booths"]]) == ("placed", ["A-004"]), "it takes the lock"
    else:
        mine = await apply(client, organiser, fair_id, lucky, preferred_halls=["B"])
        locked = await client.put(lock_url, json={"exhibitor_id": lucky}, headers=organiser.headers)
        assert locked.json()["application_id"] == mine["id"]
    assert locked.status_code == 200, locked.text
    assert {k: locked.json()[k] for k in ("booth_code", "hall_code", "exhibitor_id", "status", "locked")} == {
        "booth_code": "A-004",
        "hall_code": "A",
        "exhibitor_id": lucky,
        "status": "held",
        "locked": True,
    }
    for exhibitor in (second, third):
        await apply(client, organiser, fair_id, exhibitor, preferred_halls=["B"])
    sponsor = await producer(client, organiser, "Nhà tài trợ", "Hà Nội", "handicraft.household")
    given = await client.put(
        f"/api/fairs/{fair_id}/booths/A-001/assignment", json={"exhibitor_id": sponsor}, headers=organiser.headers
    )
    assert given.json()["application_id"] is None, "a booth may go to an exhibitor that never applied"

    first = await run(client, organiser, fair_id)
    floor = await booths(client, organiser, fair_id)
    assert holdings(floor)[lucky] == ["A-004"], "the locked booth is the exhibitor's only booth"
    assert holdings(floor)[sponsor] == ["A-001"]
    assert floor["A-004"]["locked"] is True
    assert_counts_agree(first, floor)
    assert (first["booths_held"], first["booths_free"]) == (4, 4)
    listed = await applications(client, organiser, fair_id)
    before = placements(listed)
    assert before[mine["id"]] == ["A-004"]
    assert [a["status"] for a in listed] == ["placed"] * 3

    again = await run(client, organiser, fair_id)
    assert placements(await applications(client, organiser, fair_id)) == before
    assert (again["placed"], again["booths_held"]) == (first["placed"], first["booths_held"])

    newcomer = await apply(client, organiser, fair_id, late, preferred_halls=["B"])
    await run(client, organiser, fair_id)
    after = placements(await applications(client, organiser, fair_id))
    assert {a: codes for a, codes in after.items() if a != newcomer["id"]} == before
    assert len(after[newcomer["id"]]) == 1
    assert {
        code: b["exhibitor_id"]
        for code, b in (await booths(client, organiser, fair_id)).items()
        if code in ("A-001", "A-004")
    } == {"A-001": sponsor, "A-004": lucky}


@pytest.mark.parametrize(
    ("craft_zone", "food_zone", "policy"),
    [
        (["handicraft"], ["food"], None),
        (["handicraft.household"], ["food.condiment"], None),
        ([], [], {"zoning": {"food": ["B"], "handicraft": ["A"]}}),
    ],
    ids=["hall-zones", "subgroup-zones", "policy-zoning"],
)
async def test_food_lands_in_the_food_hall_while_it_has_a_free_booth(
    client: Client, organiser: Account, craft_zone: list[str], food_zone: list[str], policy: Body | None
) -> None:
    layout = {"halls": [plain_hall("A", 1, 2, zones=craft_zone), plain_hall("B", 1, 2, zones=food_zone)]}
    fair_id = await fair_with(client, organiser, layout, policy)
    craft = await producer(client, organiser, "Làng chiếu Nga Sơn", "Thanh Hóa", "handicraft.household")
    foods = [await producer(client, organiser, f"Nước mắm {n}", "Thanh Hóa") for n in range(3)]
    for exhibitor in (craft, *foods):
        await apply(client, organiser, fair_id, exhibitor)

    report = await run(client, organiser, fair_id)

    floor = await booths(client, organiser, fair_id)
    hall_of = {exhibitor: [floor[code]["hall_code"] for code in codes] for exhibitor, codes in holdings(floor).items()}
    assert hall_of[craft] == ["A"]
    assert Counter(hall for exhibitor in foods for hall in hall_of[exhibitor]) == {"B": 2, "A": 1}
    assert report["placed"] == 4
    assert report["zone_share"] == 0.75


async def test_confirming_twice_changes_nothing_and_only_unconfirmed_applications_withdraw(
    client: Client, organiser: Account, exhibitor_account: Account
) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 2, 3)]})
    legia = await producer(client, exhibitor_account, "HTX Nước mắm Lê Gia", "Thanh Hóa")
    other = await producer(client, organiser, "Cơ sở Hải Tiến", "Thanh Hóa")
    own = await apply(client, exhibitor_account, fair_id, legia, booths_requested=2)
    await apply(client, organiser, fair_id, other)
    await run(client, organiser, fair_id)

    assert await confirm(client, organiser, fair_id) == {
        "confirmed": 3,
        "already_confirmed": 0,
        "applications_confirmed": 2,
    }
    assert await confirm(client, organiser, fair_id) == {
        "confirmed": 0,
        "already_confirmed": 3,
        "applications_confirmed": 0,
    }
    assert [a["status"] for a in await applications(client, organiser, fair_id)] == ["confirmed", "confirmed"]
    assert (await read(client, organiser, f"/api/fairs/{fair_id}"))["status"] == "allocated"

    withdraw = await client.delete(f"/api/fairs/{fair_id}/applications/{own['id']}", headers=exhibitor_account.headers)
    assert_problem(withdraw, 409, "confirmed")
    confirmed_floor = await booths(client, organiser, fair_id)
    assert statuses(confirmed_floor) == {"confirmed": 3, "available": 3}

    late = await producer(client, organiser, "Cơ sở muộn", "Nghệ An")
    latecomer = await apply(client, organiser, fair_id, late)
    report = await run(client, organiser, fair_id)
    floor = await booths(client, organiser, fair_id)
    assert_counts_agree(report, floor)
    assert (report["booths_confirmed"], report["booths_held"], report["booths_free"]) == (3, 1, 2)
    (late_booth,) = holdings(floor)[late]
    assert holdings(floor) == {**holdings(confirmed_floor), late: [late_booth]}

    gone = await client.delete(f"/api/fairs/{fair_id}/applications/{latecomer['id']}", headers=organiser.headers)
    assert gone.status_code == 204, gone.text
    floor = await booths(client, organiser, fair_id)
    assert floor[late_booth]["status"] == "available"
    assert floor[late_booth]["exhibitor_id"] is None
    assert statuses(floor) == {"confirmed": 3, "available": 3}
    withdrawn = [a for a in await applications(client, organiser, fair_id) if a["id"] == latecomer["id"]]
    assert [(a["status"], a["booths"]) for a in withdrawn] == [("withdrawn", [])]
    assert (await run(client, organiser, fair_id))["applications"] == 2
    assert (await apply(client, organiser, fair_id, late))["status"] == "submitted", "a withdrawn one does not count"


@asynccontextmanager
async def racing_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests really interleave: a second app on the test's own event loop. (The test client runs
    each request to completion on its portal thread, so ``gather`` over it is sequential.)"""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver") as racing:
        yield racing


async def test_two_racing_applications_for_one_exhibitor_leave_one(
    client: Client, settings: Settings, organiser: Account
) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 1, 2)]})
    exhibitor = await producer(client, organiser, "HTX Nước mắm Lê Gia", "Thanh Hóa")
    url = f"/api/fairs/{fair_id}/applications"

    async with racing_client(settings) as racing:
        answers = await asyncio.gather(
            *(racing.post(url, json={"exhibitor_id": exhibitor, "note": n}, headers=organiser.headers) for n in "ab")
        )

    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    loser = next(a for a in answers if a.status_code == 409)
    assert_problem(loser, 409)
    (kept,) = await applications(client, organiser, fair_id)
    assert kept["id"] == next(a for a in answers if a.status_code == 201).json()["id"]


async def test_two_racing_assignments_of_one_booth_leave_one_holder(
    client: Client, settings: Settings, organiser: Account
) -> None:
    """Whoever comes second either finds the booth held and takes it over (the organiser's last word wins) or
    collides with the unique booth_id and gets a 409; the two never both hold it."""
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 1, 2)]})
    first, second = [await producer(client, organiser, f"Cơ sở {n}", "Thanh Hóa") for n in range(2)]
    url = f"/api/fairs/{fair_id}/booths/A-001/assignment"

    async with racing_client(settings) as racing:
        answers = await asyncio.gather(
            *(racing.put(url, json={"exhibitor_id": e}, headers=organiser.headers) for e in (first, second))
        )

    assert sorted(a.status_code for a in answers) in ([200, 200], [200, 409]), [a.text for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert_problem(answer, 409)
    floor = await booths(client, organiser, fair_id)
    assert statuses(floor) == {"held": 1, "available": 1}
    winners = [a.json()["exhibitor_id"] for a in answers if a.status_code == 200]
    assert floor["A-001"]["exhibitor_id"] in winners


async def test_a_booth_confirmed_to_one_exhibitor_is_refused_to_another(client: Client, organiser: Account) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 1, 2)]})
    first, second = [await producer(client, organiser, f"Cơ sở {n}", "Thanh Hóa") for n in range(2)]
    url = f"/api/fairs/{fair_id}/booths/A-001/assignment"
    assert (await client.put(url, json={"exhibitor_id": first}, headers=organiser.headers)).status_code == 200
    taken_over = await client.put(url, json={"exhibitor_id": second}, headers=organiser.headers)
    assert taken_over.status_code == 200, "a booth merely held may be reassigned by the organiser"
    await confirm(client, organiser, fair_id)

    assert_problem(await client.put(url, json={"exhibitor_id": first}, headers=organiser.headers), 409, "confirmed")
    assert (await booths(client, organiser, fair_id))["A-001"]["exhibitor_id"] == second
    released = await client.delete(url, headers=organiser.headers)
    assert released.status_code == 204, released.text
    assert (await client.put(url, json={"exhibitor_id": first}, headers=organiser.headers)).status_code == 200


async def insert(engine: AsyncEngine, row: BoothApplication | BoothAssignment) -> None:
    """Write ``row`` straight to the database, past the API."""
    async with async_sessionmaker(engine)() as session:
        session.add(row)
        await session.commit()


def _second_holder(ids: dict[str, UUID], bad: bool) -> BoothAssignment:
    return BoothAssignment(
        fair_id=ids["fair"], booth_id=ids["taken" if bad else "free"], exhibitor_id=ids["second"], status="held"
    )


def _assignment_status(ids: dict[str, UUID], bad: bool) -> BoothAssignment:
    return BoothAssignment(
        fair_id=ids["fair"], booth_id=ids["free"], exhibitor_id=ids["second"], status="reserved" if bad else "held"
    )


def _second_live_application(ids: dict[str, UUID], bad: bool) -> BoothApplication:
    return BoothApplication(
        fair_id=ids["fair"],
        exhibitor_id=ids["first"],
        booths_requested=1,
        status="submitted" if bad else "withdrawn",
        sequence=99,
    )


def _booths_requested(ids: dict[str, UUID], bad: bool) -> BoothApplication:
    return BoothApplication(
        fair_id=ids["fair"], exhibitor_id=ids["second"], booths_requested=5 if bad else 4, status="submitted"
    )


@pytest.mark.parametrize(
    "row",
    [_second_holder, _assignment_status, _second_live_application, _booths_requested],
    ids=["one-holder-per-booth", "assignment-status", "one-live-application", "booths-requested-range"],
)
async def test_the_database_refuses_what_the_api_refuses(
    client: Client,
    organiser: Account,
    engine: AsyncEngine,
    row: Callable[[dict[str, UUID], bool], BoothApplication | BoothAssignment],
) -> None:
    """Each rule holds in the schema itself; the same row with the one offending value changed goes in."""
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 1, 2)]})
    first, second = [await producer(client, organiser, f"Cơ sở {n}", "Thanh Hóa") for n in range(2)]
    await apply(client, organiser, fair_id, first)
    put = await client.put(
        f"/api/fairs/{fair_id}/booths/A-001/assignment", json={"exhibitor_id": first}, headers=organiser.headers
    )
    assert put.status_code == 200, put.text
    floor = await booths(client, organiser, fair_id)
    ids = {
        "fair": UUID(fair_id),
        "first": UUID(first),
        "second": UUID(second),
        "taken": UUID(floor["A-001"]["id"]),
        "free": UUID(floor["A-002"]["id"]),
    }

    with pytest.raises(IntegrityError):
        await insert(engine, row(ids, True))
    await insert(engine, row(ids, False))


async def test_only_organisers_allocate_and_exhibitors_apply_only_for_themselves(
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    buyer_account: Account,
) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 1, 3)]})
    legia = await producer(client, exhibitor_account, "HTX Nước mắm Lê Gia", "Thanh Hóa")
    bamboo = await producer(client, other_exhibitor_account, "Bamboo Craft", "Hà Nội", "handicraft.household")
    own = await apply(client, exhibitor_account, fair_id, legia)
    await run(client, organiser, fair_id)
    base = f"/api/fairs/{fair_id}"
    organiser_only: list[tuple[str, str, Body | None]] = [
        ("POST", f"{base}/allocation/run", {}),
        ("POST", f"{base}/allocation/confirm", None),
        ("PUT", f"{base}/booths/A-003/assignment", {"exhibitor_id": legia}),
        ("DELETE", f"{base}/booths/A-003/assignment", None),
        ("PATCH", base, {"allocation_policy": {"other_max_booths": 0}}),
    ]
    before = (await booths(client, organiser, fair_id), await applications(client, organiser, fair_id))

    for account in (exhibitor_account, buyer_account):
        for method, url, body in organiser_only:
            assert_problem(await client.request(method, url, json=body, headers=account.headers), 403)
    assert_problem(
        await client.post(
            f"{base}/applications", json={"exhibitor_id": legia}, headers=other_exhibitor_account.headers
        ),
        403,
    )
    assert_problem(
        await client.post(f"{base}/applications", json={"exhibitor_id": bamboo}, headers=buyer_account.headers), 403
    )
    assert_problem(
        await client.delete(f"{base}/applications/{own['id']}", headers=other_exhibitor_account.headers), 404
    )
    assert await applications(client, buyer_account, fair_id) == []
    assert await applications(client, other_exhibitor_account, fair_id) == []
    anonymous = [
        *organiser_only,
        ("POST", f"{base}/applications", {"exhibitor_id": legia}),
        ("GET", f"{base}/applications", None),
        ("DELETE", f"{base}/applications/{own['id']}", None),
    ]
    for method, url, body in anonymous:
        assert_problem(await client.request(method, url, json=body), 401)

    assert (await booths(client, organiser, fair_id), await applications(client, organiser, fair_id)) == before
    assert (await read(client, organiser, base))["allocation_policy"] == {}


BAD_REQUESTS: list[tuple[str, str, Any, int, str]] = [
    ("PUT", "/booths/Z-999/assignment", {"exhibitor_id": "{exhibitor}"}, 404, "Z-999"),
    ("PUT", "/booths/A-002/assignment", {"exhibitor_id": MISSING}, 404, MISSING),
    ("PUT", "/booths/A-002/assignment", {"exhibitor_id": "{exhibitor}", "locked": "yes"}, 400, "locked"),
    ("DELETE", "/booths/A-002/assignment", None, 404, "not assigned"),
    ("POST", "/applications", {"exhibitor_id": "{other}", "booths_requested": 0}, 400, "booths_requested"),
    ("POST", "/applications", {"exhibitor_id": "{other}", "booths_requested": 9}, 400, "booths_requested"),
    ("POST", "/applications", {"exhibitor_id": "{other}", "booth_type": "vip"}, 400, "booth_type"),
    ("POST", "/applications", {"exhibitor_id": "{other}", "booth_type": "double"}, 400, "double"),
    ("POST", "/applications", {"exhibitor_id": "{other}", "preferred_halls": ["Z"]}, 422, "Z"),
    ("POST", "/applications", {"exhibitor_id": "{other}", "product_group": "food.tea"}, 400, "product_group"),
    ("POST", "/applications", {"exhibitor_id": MISSING}, 404, MISSING),
    ("POST", "/applications", {"exhibitor_id": "{exhibitor}"}, 409, "already"),
    ("DELETE", "/applications/" + MISSING, None, 404, MISSING),
    ("PATCH", "", {"allocation_policy": {"host_max_percent": 150}}, 400, "host_max_percent"),
    ("PATCH", "", {"allocation_policy": {"star_weight": 2}}, 400, "star_weight"),
    ("PATCH", "", {"allocation_policy": {"other_max_booths": -1}}, 400, "other_max_booths"),
    ("PATCH", "", {"allocation_policy": {"province_max_booths": {"Atlantis": 1}}}, 400, "Atlantis"),
    ("PATCH", "", {"allocation_policy": {"zoning": {"food.tea": ["A"]}}}, 400, "food.tea"),
    ("POST", "/allocation/run", {"time_limit_s": 0}, 400, "time_limit_s"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "fragment"),
    BAD_REQUESTS,
    ids=[f"{m} {p or '/'} {s} {f}" for m, p, _, s, f in BAD_REQUESTS],
)
async def test_bad_requests_are_refused_and_change_nothing(
    client: Client, organiser: Account, method: str, path: str, body: Any, status: int, fragment: str
) -> None:
    fair_id = await fair_with(client, organiser, {"halls": [plain_hall("A", 1, 3)]}, {"other_max_booths": 3})
    exhibitor = await producer(client, organiser, "HTX Nước mắm Lê Gia", "Thanh Hóa")
    other = await producer(client, organiser, "Cơ sở Hải Tiến", "Thanh Hóa")
    await apply(client, organiser, fair_id, exhibitor)
    lock = await client.put(
        f"/api/fairs/{fair_id}/booths/A-001/assignment", json={"exhibitor_id": exhibitor}, headers=organiser.headers
    )
    assert lock.status_code == 200, lock.text
    await run(client, organiser, fair_id)
    before = (
        await booths(client, organiser, fair_id),
        await applications(client, organiser, fair_id),
        await read(client, organiser, f"/api/fairs/{fair_id}"),
    )
    if isinstance(body, dict) and isinstance(body.get("exhibitor_id"), str):
        body = {**body, "exhibitor_id": body["exhibitor_id"].format(exhibitor=exhibitor, other=other)}

    response = await client.request(method, f"/api/fairs/{fair_id}{path}", json=body, headers=organiser.headers)

    assert_problem(response, status, fragment)
    after = (
        await booths(client, organiser, fair_id),
        await applications(client, organiser, fair_id),
        await read(client, organiser, f"/api/fairs/{fair_id}"),
    )
    assert after == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/applications", {"exhibitor_id": MISSING}),
        ("GET", "/applications", None),
        ("POST", "/allocation/run", {}),
        ("POST", "/allocation/confirm", None),
        ("PUT", "/booths/A-001/assignment", {"exhibitor_id": MISSING}),
        ("DELETE", "/booths/A-001/assignment", None),
    ],
)
async def test_an_unknown_fair_is_404(
    client: Client, organiser: Account, method: str, path: str, body: Body | None
) -> None:
    response = await client.request(method, f"/api/fairs/{MISSING}{path}", json=body, headers=organiser.headers)
    assert_problem(response, 404, MISSING)
