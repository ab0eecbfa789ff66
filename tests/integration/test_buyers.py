"""Buyers and their demands through the HTTP API: private profiles, demand lifecycle and fair links."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import (
    Client,
    buyer_payload,
    create_buyer,
    create_demand,
    create_fair,
    demand_payload,
    read,
    total,
)


async def test_a_buyer_account_creates_reads_and_patches_its_profile(client: Client, buyer_account: Account) -> None:
    created = await create_buyer(client, buyer_account, country_code="vn", province_code="Hòa Bình")
    assert (created["country_code"], created["province_code"]) == ("VN", "phu_tho")
    assert (created["contact_email"], created["language"], created["demand_count"]) == ("thumua@bhx.vn", "vi", 0)
    url = f"/api/buyers/{created['id']}"
    assert await read(client, buyer_account, url) == created

    patch = {"language": "en", "country_code": "kr", "province_code": None, "organisation": "Lotte Mart"}
    response = await client.patch(url, json=patch, headers=buyer_account.headers)
    assert response.status_code == 200, response.text
    expected = {**created, "language": "en", "country_code": "KR", "province_code": None, "organisation": "Lotte Mart"}
    assert response.json() == expected
    assert await read(client, buyer_account, url) == expected


async def test_a_buyer_account_has_one_profile(client: Client, buyer_account: Account) -> None:
    await create_buyer(client, buyer_account)
    second = await client.post("/api/buyers", json=buyer_payload(organisation="B"), headers=buyer_account.headers)
    assert_problem(second, 409, "already")
    assert await total(client, buyer_account, "/api/buyers") == 1


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("organiser", ["Co.op Mart", "Lotte Mart", "Vinmart"]),
        ("buyer_account", ["Co.op Mart"]),
        ("other_buyer_account", ["Lotte Mart"]),
        ("exhibitor_account", []),
    ],
)
async def test_the_buyer_list_shows_organisers_everything_and_a_buyer_only_itself(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    viewer: str,
    expected: list[str],
) -> None:
    await create_buyer(client, buyer_account, organisation="Co.op Mart")
    await create_buyer(client, other_buyer_account, organisation="Lotte Mart")
    await create_buyer(client, organiser, organisation="Vinmart")
    account = {
        "organiser": organiser,
        "buyer_account": buyer_account,
        "other_buyer_account": other_buyer_account,
        "exhibitor_account": exhibitor_account,
    }[viewer]
    page = await read(client, account, "/api/buyers")
    assert sorted(b["organisation"] for b in page["items"]) == expected
    assert page["total"] == len(expected)


async def test_the_buyer_list_filters_by_type(client: Client, organiser: Account) -> None:
    await create_buyer(client, organiser, organisation="Co.op Mart")
    await create_buyer(client, organiser, organisation="Vina Export", buyer_type="exporter")
    page = await read(client, organiser, "/api/buyers", buyer_type="exporter")
    assert [b["organisation"] for b in page["items"]] == ["Vina Export"]


async def test_an_organiser_creates_a_buyer_for_a_buyer_account(
    client: Client, organiser: Account, buyer_account: Account
) -> None:
    created = await create_buyer(client, organiser, owner_user_id=buyer_account.user_id)
    mine = await read(client, buyer_account, "/api/buyers")
    assert [b["id"] for b in mine["items"]] == [created["id"]]
    demand = await create_demand(client, buyer_account, created["id"])
    assert demand["buyer_id"] == created["id"]
    assert_problem(await client.post("/api/buyers", json=buyer_payload(), headers=buyer_account.headers), 409)


@pytest.mark.parametrize("owner", ["exhibitor_account", "nobody"])
async def test_an_owner_that_is_not_a_buyer_account_is_a_422(
    client: Client, organiser: Account, exhibitor_account: Account, owner: str
) -> None:
    owner_id = exhibitor_account.user_id if owner == "exhibitor_account" else str(uuid.uuid4())
    response = await client.post("/api/buyers", json=buyer_payload(owner_user_id=owner_id), headers=organiser.headers)
    assert_problem(response, 422, "owner_user_id", "buyer")
    assert await total(client, organiser, "/api/buyers") == 0


async def test_demand_lifecycle(client: Client, buyer_account: Account) -> None:
    buyer = await create_buyer(client, buyer_account)
    demand = await create_demand(
        client,
        buyer_account,
        buyer["id"],
        quantity={"amount": 2, "unit": "Tấn", "per": "month"},
        required_certifications=["haccp"],
        preferred_certifications=["organic"],
        min_stars=4,
        target_market="kr",
        preferred_provinces=["Hòa Bình", "thanh_hoa"],
        needed_months=[12, 1],
    )
    assert demand["buyer_id"] == buyer["id"]
    assert (demand["status"], demand["fair_id"]) == ("open", None)
    assert demand["quantity"] == {"amount": 2, "unit": "t", "per": "month"}
    assert (demand["target_market"], demand["preferred_provinces"]) == ("KR", ["phu_tho", "thanh_hoa"])
    assert demand["needed_months"] == [1, 12]
    assert (demand["required_certifications"], demand["preferred_certifications"]) == (["haccp"], ["organic"])
    url = f"/api/demands/{demand['id']}"
    assert await read(client, buyer_account, url) == demand
    listed = await read(client, buyer_account, f"/api/buyers/{buyer['id']}/demands")
    assert (listed["total"], [d["id"] for d in listed["items"]]) == (1, [demand["id"]])
    assert (await read(client, buyer_account, f"/api/buyers/{buyer['id']}"))["demand_count"] == 1

    closed = await client.patch(url, json={"status": "closed", "quantity": None}, headers=buyer_account.headers)
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["quantity"], closed.json()["text"]) == (
        "closed",
        None,
        demand["text"],
    )
    demands_url = f"/api/buyers/{buyer['id']}/demands"
    assert await total(client, buyer_account, demands_url, status="open") == 0
    assert await total(client, buyer_account, demands_url, status="closed") == 1

    assert (await client.delete(url, headers=buyer_account.headers)).status_code == 204
    assert_problem(await client.get(url, headers=buyer_account.headers), 404)
    assert await total(client, buyer_account, demands_url) == 0
    assert (await read(client, buyer_account, f"/api/buyers/{buyer['id']}"))["demand_count"] == 0


async def test_a_demand_names_a_real_fair(client: Client, organiser: Account, buyer_account: Account) -> None:
    fair = await create_fair(client, organiser)
    buyer = await create_buyer(client, buyer_account)
    demand = await create_demand(client, buyer_account, buyer["id"], fair_id=fair["id"])
    assert demand["fair_id"] == fair["id"]
    url = f"/api/demands/{demand['id']}"

    missing = str(uuid.uuid4())
    assert_problem(await client.patch(url, json={"fair_id": missing}, headers=buyer_account.headers), 422, missing)
    assert (await read(client, buyer_account, url))["fair_id"] == fair["id"]
    unlinked = await client.patch(url, json={"fair_id": None}, headers=buyer_account.headers)
    assert unlinked.status_code == 200, unlinked.text
    assert (await read(client, buyer_account, url))["fair_id"] is None


async def test_a_demand_for_an_unknown_fair_is_a_422_and_nothing_is_written(
    client: Client, buyer_account: Account
) -> None:
    buyer = await create_buyer(client, buyer_account)
    missing = str(uuid.uuid4())
    response = await client.post(
        f"/api/buyers/{buyer['id']}/demands", json=demand_payload(fair_id=missing), headers=buyer_account.headers
    )
    assert_problem(response, 422, "fair", missing)
    assert await total(client, buyer_account, f"/api/buyers/{buyer['id']}/demands") == 0


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Cần mật ong rừng"},
        {"categories": ["food.condiment"]},
        {"categories": ["food"]},
        {"text": "Cần chè", "categories": ["food.tea", "beverage"]},
    ],
)
async def test_a_demand_needs_a_text_or_categories(
    client: Client, buyer_account: Account, body: dict[str, Any]
) -> None:
    buyer = await create_buyer(client, buyer_account)
    response = await client.post(f"/api/buyers/{buyer['id']}/demands", json=body, headers=buyer_account.headers)
    assert response.status_code == 201, response.text
    assert response.json()["categories"] == body.get("categories", [])


@pytest.mark.parametrize("body", [{}, {"text": "   "}, {"text": "", "categories": []}, {"min_stars": 4}])
async def test_a_demand_without_text_or_categories_is_refused(
    client: Client, buyer_account: Account, body: dict[str, Any]
) -> None:
    buyer = await create_buyer(client, buyer_account)
    url = f"/api/buyers/{buyer['id']}/demands"
    assert_problem(await client.post(url, json=body, headers=buyer_account.headers), 400, "text", "categories")
    assert await total(client, buyer_account, url) == 0


@pytest.mark.parametrize(
    ("patch", "status"),
    [
        ({"text": "", "categories": []}, 422),
        ({"text": "  ", "categories": []}, 422),
        ({"categories": []}, 200),
        ({"text": ""}, 200),
    ],
)
async def test_a_patched_demand_keeps_a_text_or_categories(
    client: Client, buyer_account: Account, patch: dict[str, Any], status: int
) -> None:
    buyer = await create_buyer(client, buyer_account)
    demand = await create_demand(client, buyer_account, buyer["id"])
    url = f"/api/demands/{demand['id']}"
    response = await client.patch(url, json=patch, headers=buyer_account.headers)
    if status == 200:
        assert response.status_code == 200, response.text
        assert await read(client, buyer_account, url) == response.json()
    else:
        assert_problem(response, status, "text", "categories")
        assert await read(client, buyer_account, url) == demand


async def test_organisers_manage_any_buyer_and_demand(
    client: Client, organiser: Account, buyer_account: Account
) -> None:
    buyer = await create_buyer(client, buyer_account)
    demand = await create_demand(client, organiser, buyer["id"], text="Do ban tổ chức nhập")
    assert (await read(client, organiser, f"/api/buyers/{buyer['id']}"))["contact_email"] == "thumua@bhx.vn"
    assert (await read(client, buyer_account, f"/api/demands/{demand['id']}"))["text"] == "Do ban tổ chức nhập"
    closed = await client.patch(f"/api/demands/{demand['id']}", json={"status": "closed"}, headers=organiser.headers)
    assert closed.status_code == 200, closed.text
    assert (await client.delete(f"/api/demands/{demand['id']}", headers=organiser.headers)).status_code == 204


async def test_demands_page_with_totals(client: Client, buyer_account: Account) -> None:
    buyer = await create_buyer(client, buyer_account)
    ids = {(await create_demand(client, buyer_account, buyer["id"], text=f"Nhu cầu {n}"))["id"] for n in range(5)}
    url = f"/api/buyers/{buyer['id']}/demands"
    pages = [await read(client, buyer_account, url, limit=2, offset=offset) for offset in (0, 2, 4)]
    assert [(page["total"], len(page["items"])) for page in pages] == [(5, 2), (5, 2), (5, 1)]
    assert {d["id"] for page in pages for d in page["items"]} == ids
