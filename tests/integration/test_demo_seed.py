"""The demo fair: the numbers the README promises, loaded once however often the command runs."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.models import Booth, Buyer, Demand, DemandMatch, Exhibitor, Fair, Product, User
from seeds.demo import DEMO_PASSWORD
from seeds.loader import load_demo
from tests.integration.conftest import login

MODELS = (Fair, Booth, Exhibitor, Product, Buyer, Demand, User)


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    async with async_sessionmaker(engine)() as session:
        return {m.__name__: await session.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS}


async def _all(client: AsyncTestClient[Litestar], url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = (await client.get(url, params={"limit": 100, "offset": len(items)}, headers=headers)).json()
        items += page["items"]
        if len(items) >= page["total"]:
            return items


async def test_demo_fair_meets_its_numbers_and_loads_once(
    client: AsyncTestClient[Litestar], engine: AsyncEngine
) -> None:
    first = await load_demo(engine)
    assert "loaded" in first
    counts = await _counts(engine)
    second = await load_demo(engine)
    assert "already loaded" in second
    assert await _counts(engine) == counts

    organiser = await login(client, "organiser@ocopfair.vn", DEMO_PASSWORD)
    fairs = (await client.get("/api/fairs", headers=organiser.headers)).json()["items"]
    assert len(fairs) == 1
    fair = fairs[0]
    assert fair["host_province_code"] == "thanh_hoa"
    assert fair["booth_count"] == 200
    booths = await _all(client, f"/api/fairs/{fair['id']}/booths", organiser.headers)
    assert len(booths) == 200
    assert len({b["hall_code"] for b in booths}) >= 3
    assert all(b["zone"] for b in booths)
    assert {b["status"] for b in booths} == {"available", "confirmed"}, "the demo allocates and confirms booths"

    exhibitors = await _all(client, "/api/exhibitors", organiser.headers)
    assert len({e["province_code"] for e in exhibitors}) >= 20
    products = await _all(client, "/api/products", organiser.headers)
    assert len(products) >= 400
    assert {p["category"].split(".")[0] for p in products} == {
        "food",
        "beverage",
        "herbal",
        "handicraft",
        "ornamental",
        "tourism",
    }
    assert any(not c["valid"] for p in products for c in p["certifications"]), "some certificates must be expired"
    fish_sauce = (await client.get("/api/products", params={"q": "nuoc mam le gia"}, headers=organiser.headers)).json()
    assert fish_sauce["total"] >= 1

    buyers = await _all(client, "/api/buyers", organiser.headers)
    assert len(buyers) >= 100
    assert {b["buyer_type"] for b in buyers} == {
        "retail_chain",
        "exporter",
        "distributor",
        "hotel_restaurant",
        "canteen",
        "ecommerce",
        "tourism",
    }
    assert all(b["demand_count"] >= 1 for b in buyers)
    assert any(b["country_code"] != "VN" for b in buyers)


async def test_demo_accounts_sign_in_and_own_their_profiles(
    client: AsyncTestClient[Litestar], engine: AsyncEngine
) -> None:
    await load_demo(engine)
    exhibitor = await login(client, "legia@ocopfair.vn", DEMO_PASSWORD)
    own = (await client.get("/api/exhibitors", params={"q": "Lệ Gia"}, headers=exhibitor.headers)).json()["items"]
    assert own and own[0]["contact_email"] is not None
    buyer = await login(client, "buyer@ocopfair.vn", DEMO_PASSWORD)
    mine = (await client.get("/api/buyers", headers=buyer.headers)).json()
    assert mine["total"] == 1
    demands = (await client.get(f"/api/buyers/{mine['items'][0]['id']}/demands", headers=buyer.headers)).json()
    assert demands["total"] >= 1


async def test_every_seeded_demand_gets_matches(client: AsyncTestClient[Litestar], engine: AsyncEngine) -> None:
    await load_demo(engine)
    organiser = await login(client, "organiser@ocopfair.vn", DEMO_PASSWORD)
    fair = (await client.get("/api/fairs", headers=organiser.headers)).json()["items"][0]
    run = (await client.post(f"/api/fairs/{fair['id']}/matches/run", headers=organiser.headers)).json()
    assert run["demands"] >= 100
    async with async_sessionmaker(engine)() as session:
        unmatched = await session.scalar(
            select(func.count(Demand.id)).where(Demand.id.not_in(select(DemandMatch.demand_id).distinct()))
        )
    assert unmatched == 0


async def test_the_demo_buyer_has_a_scheduled_agenda(client: AsyncTestClient[Litestar], engine: AsyncEngine) -> None:
    summary = await load_demo(engine)
    assert "meetings scheduled" in summary
    buyer = await login(client, "buyer@ocopfair.vn", DEMO_PASSWORD)
    (profile,) = (await client.get("/api/buyers", headers=buyer.headers)).json()["items"]
    requests = (await client.get(f"/api/fairs/{_fair_id(summary)}/meeting-requests", headers=buyer.headers)).json()
    assert {r["status"] for r in requests["items"]} == {"accepted", "pending"}
    agenda = (await client.get(f"/api/buyers/{profile['id']}/agenda", headers=buyer.headers)).json()
    starts = [item["starts_at"] for item in agenda["items"]]
    assert len(starts) >= 3 and starts == sorted(starts)
    assert all(item["booth_code"] and item["counterpart_name"] for item in agenda["items"])
    feed = await client.get(f"/api/buyers/{profile['id']}/agenda.ics", headers=buyer.headers)
    assert feed.status_code == 200 and feed.text.count("BEGIN:VEVENT") == len(starts)


def _fair_id(summary: str) -> str:
    return summary.split()[2]
