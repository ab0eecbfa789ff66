"""Matches through the API: ranked and explained, live after catalogue edits, private to the buyer, stored by runs."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.matches.models import DemandMatch
from tests.integration.conftest import Account, assert_problem, register

Client = AsyncTestClient[Litestar]
FAIR = {
    "name": "Hội chợ OCOP",
    "venue": "TP. Thanh Hóa",
    "host_province_code": "thanh_hoa",
    "starts_on": "2026-12-17",
    "ends_on": "2026-12-20",
}


async def _post(client: Client, url: str, account: Account, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.fixture
async def catalogue(client: Client, organiser: Account) -> dict[str, dict[str, Any]]:
    """Four producers: two fish sauces (one without HACCP), dried shrimp and sedge mats."""
    legia = await _post(
        client,
        "/api/exhibitors",
        organiser,
        {"name": "HTX Nước mắm Lệ Gia", "kind": "cooperative", "province_code": "Thanh Hóa"},
    )
    phuquoc = await _post(
        client,
        "/api/exhibitors",
        organiser,
        {"name": "Công ty Nước mắm Đảo Ngọc", "kind": "enterprise", "province_code": "Kiên Giang"},
    )
    longduong = await _post(
        client,
        "/api/exhibitors",
        organiser,
        {"name": "Hộ kinh doanh Long Đương", "kind": "household", "province_code": "thanh_hoa"},
    )
    return {
        "legia": await _post(
            client,
            f"/api/exhibitors/{legia['id']}/products",
            organiser,
            {
                "name": "Nước mắm Lệ Gia",
                "name_en": "Le Gia fish sauce",
                "category": "food.condiment",
                "stars": 4,
                "certifications": [{"code": "haccp"}],
                "capacity": {"amount": 5, "unit": "t", "per": "month"},
                "pack_size": {"amount": 0.6, "unit": "kg"},
                "export_markets": ["RU", "KR"],
            },
        ),
        "phuquoc": await _post(
            client,
            f"/api/exhibitors/{phuquoc['id']}/products",
            organiser,
            {
                "name": "Nước mắm nhĩ Đảo Ngọc",
                "category": "food.condiment",
                "stars": 5,
                "capacity": {"amount": 4, "unit": "t", "per": "month"},
            },
        ),
        "shrimp": await _post(
            client,
            f"/api/exhibitors/{longduong['id']}/products",
            organiser,
            {
                "name": "Tôm khô Long Đương",
                "category": "food.preliminary",
                "stars": 3,
                "capacity": {"amount": 3, "unit": "t", "per": "month"},
                "export_markets": ["CN"],
            },
        ),
        "mat": await _post(
            client,
            f"/api/exhibitors/{longduong['id']}/products",
            organiser,
            {
                "name": "Chiếu cói Nga Sơn",
                "category": "handicraft.household",
                "stars": 4,
                "capacity": {"amount": 800, "unit": "piece", "per": "month"},
            },
        ),
    }


async def _buyer_with_demand(
    client: Client, account: Account, demand: dict[str, Any], **profile: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    buyer = await _post(
        client, "/api/buyers", account, {"organisation": "Siêu thị Hạ Long", "buyer_type": "retail_chain", **profile}
    )
    return buyer, await _post(client, f"/api/buyers/{buyer['id']}/demands", account, demand)


async def test_fish_sauce_demand_ranks_explains_and_filters(
    client: Client, buyer_account: Account, catalogue: dict[str, dict[str, Any]]
) -> None:
    _, demand = await _buyer_with_demand(
        client,
        buyer_account,
        {
            "text": "nuoc mam truyen thong",
            "quantity": {"amount": 2, "unit": "t", "per": "month"},
            "required_certifications": ["haccp"],
        },
        province_code="Hà Nội",
    )
    response = await client.get(f"/api/demands/{demand['id']}/matches", headers=buyer_account.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["demand_id"] == demand["id"]
    assert body["items"][0]["product_id"] == catalogue["legia"]["id"]
    assert catalogue["phuquoc"]["id"] not in [item["product_id"] for item in body["items"]]
    assert body["excluded"] == {"certification": 3}
    top = body["items"][0]
    assert top["rank"] == 1
    assert top["exhibitor_name"] == "HTX Nước mắm Lệ Gia"
    assert top["province_code"] == "thanh_hoa"
    assert top["booth_code"] is None
    assert set(top["factors"]) == {"category", "text", "volume", "certification", "stars", "export", "region", "season"}
    assert top["factors"]["volume"] == 1.0
    assert top["factors"]["export"] is None
    assert "4★ OCOP" in top["reasons"]
    assert "HACCP ✓ (bắt buộc)" in top["reasons"]
    assert "cung cấp 5 t/tháng, bạn cần 2 t" in top["reasons"]


async def test_english_buyer_gets_english_reasons_and_export_factor(
    client: Client, buyer_account: Account, catalogue: dict[str, dict[str, Any]]
) -> None:
    _, demand = await _buyer_with_demand(
        client,
        buyer_account,
        {
            "text": "fish sauce for export",
            "categories": ["food.condiment"],
            "target_market": "KR",
            "quantity": {"amount": 2000, "unit": "bottle", "per": "month"},
        },
        language="en",
        country_code="KR",
        buyer_type="exporter",
    )
    body = (await client.get(f"/api/demands/{demand['id']}/matches", headers=buyer_account.headers)).json()
    assert body["excluded"] == {"category": 2}
    by_id = {item["product_id"]: item for item in body["items"]}
    legia, phuquoc = by_id[catalogue["legia"]["id"]], by_id[catalogue["phuquoc"]["id"]]
    assert legia["factors"]["export"] == 1.0
    assert phuquoc["factors"]["export"] == 0.0
    assert "has exported to KR" in legia["reasons"]
    assert "supplies 8,333 bottle/month of your 2,000 bottle" in legia["reasons"]
    assert phuquoc["factors"]["volume"] == 0.5
    assert "volume not comparable (t vs bottle, no pack size)" in phuquoc["reasons"]


async def test_new_and_changed_products_show_in_the_next_answer(
    client: Client, organiser: Account, buyer_account: Account, catalogue: dict[str, dict[str, Any]]
) -> None:
    _, demand = await _buyer_with_demand(
        client, buyer_account, {"text": "mắm tôm", "required_certifications": ["haccp"]}
    )
    url = f"/api/demands/{demand['id']}/matches"
    before = (await client.get(url, headers=buyer_account.headers)).json()
    exhibitor_id = catalogue["legia"]["exhibitor_id"]
    paste = await _post(
        client,
        f"/api/exhibitors/{exhibitor_id}/products",
        organiser,
        {
            "name": "Mắm tôm Lệ Gia",
            "category": "food.condiment",
            "stars": 4,
            "certifications": [{"code": "iso_22000", "expires_on": "2030-01-01"}],
        },
    )
    after = (await client.get(url, headers=buyer_account.headers)).json()
    assert after["items"][0]["product_id"] == paste["id"]
    assert "ISO 22000 ✓ đáp ứng HACCP (bắt buộc)" in after["items"][0]["reasons"]
    assert len(after["items"]) == len(before["items"]) + 1

    patched = await client.patch(f"/api/products/{paste['id']}", json={"certifications": []}, headers=organiser.headers)
    assert patched.status_code == 200
    again = (await client.get(url, headers=buyer_account.headers)).json()
    assert paste["id"] not in [item["product_id"] for item in again["items"]]


async def test_booth_code_in_the_demands_fair(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    catalogue: dict[str, dict[str, Any]],
    engine: AsyncEngine,
) -> None:
    fair = await _post(client, "/api/fairs", organiser, FAIR)
    await _post(
        client,
        f"/api/fairs/{fair['id']}/booths/layout",
        organiser,
        {"halls": [{"code": "A", "name": "Thực phẩm", "rows": 1, "columns": 3, "zones": ["food"]}]},
    )
    response = await client.put(
        f"/api/fairs/{fair['id']}/booths/A-002/assignment",
        json={"exhibitor_id": catalogue["legia"]["exhibitor_id"]},
        headers=organiser.headers,
    )
    assert response.status_code == 200, response.text
    _, demand = await _buyer_with_demand(client, buyer_account, {"text": "nước mắm", "fair_id": fair["id"]})
    body = (await client.get(f"/api/demands/{demand['id']}/matches", headers=buyer_account.headers)).json()
    assert {item["booth_code"] for item in body["items"]} == {None}  # held, not yet confirmed: not shown to buyers
    await _post(client, f"/api/fairs/{fair['id']}/allocation/confirm", organiser, {})
    body = (await client.get(f"/api/demands/{demand['id']}/matches", headers=buyer_account.headers)).json()
    codes = {item["product_id"]: item["booth_code"] for item in body["items"]}
    assert codes[catalogue["legia"]["id"]] == "A-002"
    assert codes[catalogue["phuquoc"]["id"]] is None


async def test_matches_are_private_to_the_buyer_and_organisers(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    catalogue: dict[str, dict[str, Any]],
) -> None:
    _, demand = await _buyer_with_demand(client, buyer_account, {"text": "nước mắm"})
    for suffix in ("matches", "consortium"):
        url = f"/api/demands/{demand['id']}/{suffix}"
        assert_problem(await client.get(url, headers=other_buyer_account.headers), 404)
        assert_problem(await client.get(url, headers=exhibitor_account.headers), 404)
        assert_problem(await client.get(url), 401)
    assert (await client.get(f"/api/demands/{demand['id']}/matches", headers=organiser.headers)).status_code == 200
    assert_problem(
        await client.get(f"/api/demands/{demand['id']}/matches", params={"limit": 101}, headers=organiser.headers),
        400,
    )


async def test_consortium_covers_a_large_demand_with_the_fewest_suppliers(
    client: Client, buyer_account: Account, catalogue: dict[str, dict[str, Any]]
) -> None:
    _, demand = await _buyer_with_demand(
        client,
        buyer_account,
        {"text": "nước mắm", "categories": ["food"], "quantity": {"amount": 108, "unit": "t", "per": "year"}},
    )
    body = (await client.get(f"/api/demands/{demand['id']}/consortium", headers=buyer_account.headers)).json()
    assert body["covered_share"] == 1.0
    assert body["wanted"] == {"amount": 108.0, "unit": "t", "per": "year"}
    assert len(body["members"]) == 2
    assert sum(m["supplies"]["amount"] for m in body["members"]) == pytest.approx(108)
    assert {m["supplies"]["unit"] for m in body["members"]} == {"t"}

    _, huge = await _buyer_with_demand(
        client,
        other_account := await register(client, "buyer", "big@example.vn"),
        {"text": "nước mắm", "categories": ["food"], "quantity": {"amount": 24, "unit": "t", "per": "month"}},
    )
    partial = (await client.get(f"/api/demands/{huge['id']}/consortium", headers=other_account.headers)).json()
    assert partial["covered_share"] == pytest.approx(12 / 24)
    assert len(partial["members"]) == 3

    _, no_quantity = await _buyer_with_demand(
        client, third := await register(client, "buyer", "small@example.vn"), {"text": "nước mắm"}
    )
    assert_problem(await client.get(f"/api/demands/{no_quantity['id']}/consortium", headers=third.headers), 422)


async def test_organiser_runs_and_stores_matches_for_a_fair(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    catalogue: dict[str, dict[str, Any]],
    engine: AsyncEngine,
) -> None:
    fair = await _post(client, "/api/fairs", organiser, FAIR)
    _, demand = await _buyer_with_demand(client, buyer_account, {"text": "nước mắm", "fair_id": fair["id"]})
    url = f"/api/fairs/{fair['id']}/matches/run"
    assert_problem(await client.post(url, headers=buyer_account.headers), 403)
    run = await _post(client, url, organiser, {})
    assert (run["demands"], run["matches"]) == (1, 4)
    assert run["elapsed_ms"] >= 0
    again = await _post(client, url, organiser, {})
    assert again["matches"] == 4
    async with async_sessionmaker(engine)() as session:
        stored = await session.scalar(select(func.count()).where(DemandMatch.demand_id == demand["id"]))
    assert stored == 4


async def test_fair_weights_change_the_ranking_and_are_validated(
    client: Client, organiser: Account, buyer_account: Account, catalogue: dict[str, dict[str, Any]]
) -> None:
    fair = await _post(client, "/api/fairs", organiser, FAIR)
    url = f"/api/fairs/{fair['id']}"
    assert fair["match_weights"]["text"] == 0.25
    _, demand = await _buyer_with_demand(client, buyer_account, {"text": "nước mắm", "fair_id": fair["id"]})
    only_stars = dict.fromkeys(fair["match_weights"], 0) | {"stars": 1}
    patched = await client.patch(url, json={"match_weights": only_stars}, headers=organiser.headers)
    assert patched.status_code == 200, patched.text
    body = (await client.get(f"/api/demands/{demand['id']}/matches", headers=buyer_account.headers)).json()
    assert body["items"][0]["product_id"] == catalogue["phuquoc"]["id"]
    assert body["items"][0]["score"] == 1.0
    all_zero = dict.fromkeys(fair["match_weights"], 0)
    assert_problem(await client.patch(url, json={"match_weights": all_zero}, headers=organiser.headers), 422)
    assert_problem(await client.patch(url, json={"match_weights": {"stars": -1}}, headers=organiser.headers), 400)
    assert_problem(await client.patch(url, json={"match_weights": {"luck": 1}}, headers=organiser.headers), 400)
    reset = await client.patch(url, json={"match_weights": None}, headers=organiser.headers)
    assert reset.json()["match_weights"]["text"] == 0.25
