"""Fairs and booth layout through the HTTP API."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.integration.conftest import Account, assert_problem

FAIR = {
    "name": "Hội chợ OCOP Thanh Hóa",
    "venue": "Quảng trường Lam Sơn",
    "host_province_code": "Thanh Hóa",
    "starts_on": "2026-12-17",
    "ends_on": "2026-12-20",
    "meeting_days": ["2026-12-19", "2026-12-18"],
}
LAYOUT = {
    "halls": [
        {
            "code": "A",
            "name": "Thực phẩm",
            "rows": 4,
            "columns": 5,
            "zones": ["food.condiment", "food.tea"],
            "premium_rows": [1],
            "price_vnd": 6_000_000,
            "corner_price_vnd": 8_000_000,
            "premium_price_vnd": 9_000_000,
        },
        {"code": "B", "name": "Thủ công", "rows": 2, "columns": 3, "zones": ["handicraft"], "booth_width_m": 4},
    ]
}


async def _fair(client: AsyncTestClient[Litestar], organiser: Account, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/fairs", json={**FAIR, **overrides}, headers=organiser.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_organiser_creates_a_fair_with_default_sessions(
    client: AsyncTestClient[Litestar], organiser: Account, buyer_account: Account
) -> None:
    fair = await _fair(client, organiser)
    assert fair["host_province_code"] == "thanh_hoa"
    assert fair["meeting_days"] == ["2026-12-18", "2026-12-19"]
    assert [s["name"] for s in fair["sessions"]] == ["morning", "afternoon"]
    assert fair["status"] == "draft"
    assert fair["slot_minutes"] == 20
    listed = (await client.get("/api/fairs", headers=buyer_account.headers)).json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == fair["id"]
    got = await client.get(f"/api/fairs/{fair['id']}", headers=buyer_account.headers)
    assert got.json() == fair


async def test_patch_keeps_the_fair_consistent(client: AsyncTestClient[Litestar], organiser: Account) -> None:
    fair = await _fair(client, organiser)
    url = f"/api/fairs/{fair['id']}"
    patched = await client.patch(url, json={"status": "open", "slot_minutes": 30}, headers=organiser.headers)
    assert patched.status_code == 200, patched.text
    assert (patched.json()["status"], patched.json()["slot_minutes"]) == ("open", 30)
    assert_problem(await client.patch(url, json={"status": "draft"}, headers=organiser.headers), 409, "back")
    assert_problem(await client.patch(url, json={"ends_on": "2026-12-01"}, headers=organiser.headers), 422)
    assert_problem(
        await client.patch(url, json={"meeting_days": ["2027-01-05"]}, headers=organiser.headers), 422, "2027-01-05"
    )
    unchanged = (await client.get(url, headers=organiser.headers)).json()
    assert (unchanged["ends_on"], unchanged["meeting_days"]) == ("2026-12-20", ["2026-12-18", "2026-12-19"])


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"host_province_code": "Atlantis"}, "province"),
        ({"ends_on": "2026-12-01"}, "end"),
        ({"meeting_days": ["2026-12-25"]}, "2026-12-25"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"slot_minutes": 0}, "slot_minutes"),
        ({"sessions": [{"name": "am", "starts_at": "11:00:00", "ends_at": "09:00:00"}]}, "end after"),
        (
            {
                "sessions": [
                    {"name": "a", "starts_at": "08:00:00", "ends_at": "10:00:00"},
                    {"name": "b", "starts_at": "09:30:00", "ends_at": "11:00:00"},
                ]
            },
            "overlap",
        ),
        ({"name": ""}, "name"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_bad_fairs_are_refused_and_nothing_is_written(
    client: AsyncTestClient[Litestar], organiser: Account, overrides: dict[str, Any], fragment: str
) -> None:
    response = await client.post("/api/fairs", json={**FAIR, **overrides}, headers=organiser.headers)
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code, fragment)
    assert (await client.get("/api/fairs", headers=organiser.headers)).json()["total"] == 0


async def test_layout_creates_booths_with_codes_zones_types_and_prices(
    client: AsyncTestClient[Litestar], organiser: Account, exhibitor_account: Account
) -> None:
    fair = await _fair(client, organiser)
    response = await client.post(f"/api/fairs/{fair['id']}/booths/layout", json=LAYOUT, headers=organiser.headers)
    assert response.status_code == 201, response.text
    layout = response.json()
    assert layout["booth_count"] == 26
    assert [(h["code"], h["booth_count"]) for h in layout["halls"]] == [("A", 20), ("B", 6)]
    hall_a, hall_b = layout["halls"]
    assert hall_b["x_m"] >= hall_a["x_m"] + hall_a["width_m"], "halls must not overlap on the floor plan"

    booths_url = f"/api/fairs/{fair['id']}/booths"
    page = (await client.get(booths_url, params={"hall": "A", "limit": 100}, headers=exhibitor_account.headers)).json()
    assert page["total"] == 20
    by_code = {b["code"]: b for b in page["items"]}
    assert by_code["A-001"]["booth_type"] == "corner" and by_code["A-001"]["price_vnd"] == 8_000_000
    assert by_code["A-002"]["booth_type"] == "premium" and by_code["A-002"]["price_vnd"] == 9_000_000
    assert by_code["A-007"]["booth_type"] == "standard" and by_code["A-007"]["price_vnd"] == 6_000_000
    assert {by_code["A-001"]["zone"], by_code["A-020"]["zone"]} == {"food.condiment", "food.tea"}
    assert all(b["status"] == "available" and b["exhibitor_id"] is None for b in page["items"])
    same_row = [b for b in page["items"] if b["row"] == 1]
    xs = sorted(b["x_m"] for b in same_row)
    assert all(later - earlier == pytest.approx(3.0) for earlier, later in pairwise(xs))

    tea = (await client.get(booths_url, params={"zone": "food.tea"}, headers=organiser.headers)).json()
    assert tea["total"] == 10
    food = (await client.get(booths_url, params={"zone": "food"}, headers=organiser.headers)).json()
    assert food["total"] == 20
    assert (await client.get(booths_url, params={"status": "held"}, headers=organiser.headers)).json()["total"] == 0


async def test_layout_can_be_replaced_while_no_booth_is_taken(
    client: AsyncTestClient[Litestar], organiser: Account
) -> None:
    fair = await _fair(client, organiser)
    url = f"/api/fairs/{fair['id']}/booths/layout"
    assert (await client.post(url, json=LAYOUT, headers=organiser.headers)).status_code == 201
    smaller = {"halls": [{"code": "C", "name": "Chung", "rows": 1, "columns": 4}]}
    assert (await client.post(url, json=smaller, headers=organiser.headers)).json()["booth_count"] == 4
    assert (await client.get(f"/api/fairs/{fair['id']}", headers=organiser.headers)).json()["booth_count"] == 4


@pytest.mark.parametrize(
    ("layout", "fragment"),
    [
        ({"halls": []}, "halls"),
        ({"halls": [{"code": "A", "name": "x", "rows": 2, "columns": 2, "zones": ["food.nope"]}]}, "food.nope"),
        ({"halls": [{"code": "A", "name": "x", "rows": 0, "columns": 2}]}, "rows"),
        (
            {
                "halls": [
                    {"code": "A", "name": "x", "rows": 1, "columns": 2},
                    {"code": "A", "name": "y", "rows": 1, "columns": 2},
                ]
            },
            "unique",
        ),
        ({"halls": [{"code": "A", "name": "x", "rows": 2, "columns": 2, "premium_rows": [3]}]}, "premium"),
        ({"halls": [{"code": "a-1", "name": "x", "rows": 2, "columns": 2}]}, "code"),
    ],
)
async def test_bad_layouts_are_refused(
    client: AsyncTestClient[Litestar], organiser: Account, layout: dict[str, Any], fragment: str
) -> None:
    fair = await _fair(client, organiser)
    response = await client.post(f"/api/fairs/{fair['id']}/booths/layout", json=layout, headers=organiser.headers)
    assert_problem(response, 400, fragment)
    assert (await client.get(f"/api/fairs/{fair['id']}/booths", headers=organiser.headers)).json()["total"] == 0


async def test_only_organisers_manage_fairs(
    client: AsyncTestClient[Litestar], organiser: Account, buyer_account: Account, exhibitor_account: Account
) -> None:
    fair = await _fair(client, organiser)
    for account in (buyer_account, exhibitor_account):
        assert_problem(await client.post("/api/fairs", json=FAIR, headers=account.headers), 403)
        assert_problem(await client.patch(f"/api/fairs/{fair['id']}", json={"name": "x"}, headers=account.headers), 403)
        assert_problem(
            await client.post(f"/api/fairs/{fair['id']}/booths/layout", json=LAYOUT, headers=account.headers), 403
        )
    assert (await client.get(f"/api/fairs/{fair['id']}", headers=organiser.headers)).json()["name"] == FAIR["name"]


async def test_unknown_fair_is_404(client: AsyncTestClient[Litestar], organiser: Account) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    assert_problem(await client.get(f"/api/fairs/{missing}", headers=organiser.headers), 404)
    assert_problem(await client.get(f"/api/fairs/{missing}/booths", headers=organiser.headers), 404)
