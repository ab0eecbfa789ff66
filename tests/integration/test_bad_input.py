"""Bad input is a 4xx problem whose detail names the field or the value, and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import (
    LAYOUT,
    Body,
    Client,
    buyer_payload,
    create_buyer,
    create_demand,
    create_exhibitor,
    create_fair,
    create_product,
    demand_payload,
    exhibitor_payload,
    fair_payload,
    product_payload,
    read,
    total,
)

MISSING = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
DROP = object()
MALFORMED = '{"name": "Nước mắm" "stars": 4}'.encode()


@dataclass
class Scene:
    """One of everything, owned by the fixtures' accounts."""

    organiser: Account
    exhibitor: Account
    buyer: Account
    ids: dict[str, str]


@pytest.fixture
async def scene(client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account) -> Scene:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    product = await create_product(
        client,
        exhibitor_account,
        exhibitor["id"],
        price_min_vnd=80_000,
        price_max_vnd=150_000,
        certifications=[{"code": "haccp"}],
        capacity={"amount": 2, "unit": "t"},
    )
    buyer = await create_buyer(client, buyer_account)
    demand = await create_demand(client, buyer_account, buyer["id"])
    fair = await create_fair(client, organiser)
    ids = {
        "exhibitor": exhibitor["id"],
        "product": product["id"],
        "buyer": buyer["id"],
        "demand": demand["id"],
        "fair": fair["id"],
    }
    return Scene(organiser, exhibitor_account, buyer_account, ids)


# target: (method, url, who sends it, base payload or None for a bare patch, url whose state must not change)
TARGETS: dict[str, tuple[str, str, str, Body | None, str]] = {
    "product": ("POST", "/api/exhibitors/{exhibitor}/products", "exhibitor", product_payload(), "/api/products"),
    "demand": ("POST", "/api/buyers/{buyer}/demands", "buyer", demand_payload(), "/api/buyers/{buyer}/demands"),
    "exhibitor": ("POST", "/api/exhibitors", "organiser", exhibitor_payload(name="Khác"), "/api/exhibitors"),
    "buyer": ("POST", "/api/buyers", "organiser", buyer_payload(), "/api/buyers"),
    "fair": ("POST", "/api/fairs", "organiser", fair_payload(), "/api/fairs"),
    "layout": ("POST", "/api/fairs/{fair}/booths/layout", "organiser", LAYOUT, "/api/fairs/{fair}/booths"),
    "product_patch": ("PATCH", "/api/products/{product}", "exhibitor", None, "/api/products/{product}"),
    "demand_patch": ("PATCH", "/api/demands/{demand}", "buyer", None, "/api/demands/{demand}"),
    "exhibitor_patch": ("PATCH", "/api/exhibitors/{exhibitor}", "exhibitor", None, "/api/exhibitors/{exhibitor}"),
    "buyer_patch": ("PATCH", "/api/buyers/{buyer}", "buyer", None, "/api/buyers/{buyer}"),
    "fair_patch": ("PATCH", "/api/fairs/{fair}", "organiser", None, "/api/fairs/{fair}"),
}

CASES: list[tuple[str, Body | bytes, int, tuple[str, ...]]] = [
    ("product", {"category": "food.caviar"}, 400, ("food.caviar",)),
    ("product", {"category": "food"}, 400, ("category", "'food'")),
    ("product", {"certifications": [{"code": "iso_99999"}]}, 400, ("iso_99999",)),
    ("product", {"certifications": [{"code": "haccp"}, {"code": "haccp"}]}, 400, ("certifications",)),
    ("product", {"certifications": [{"code": "haccp", "expires_on": "someday"}]}, 400, ("expires_on",)),
    ("product", {"capacity": {"amount": 0, "unit": "t"}}, 400, ("capacity.amount",)),
    ("product", {"capacity": {"amount": -3, "unit": "t"}}, 400, ("capacity.amount",)),
    ("product", {"capacity": {"amount": 1, "unit": "t", "per": "fortnight"}}, 400, ("fortnight",)),
    ("product", {"min_order": {"amount": 1, "unit": "furlong"}}, 400, ("furlong",)),
    ("product", {"pack_size": {"amount": 6, "unit": "bottle"}}, 400, ("pack_size",)),
    ("product", {"stars": 2}, 400, ("stars",)),
    ("product", {"stars": 6}, 400, ("stars",)),
    ("product", {"stars": "five"}, 400, ("stars",)),
    ("product", {"stars": None, "star_expires_on": "2027-01-01"}, 400, ("star_expires_on",)),
    ("product", {"export_markets": ["XX"]}, 400, ("XX",)),
    ("product", {"export_markets": ["Korea"]}, 400, ("Korea",)),
    ("product", {"months_available": [13]}, 400, ("months_available",)),
    ("product", {"price_min_vnd": 200_000, "price_max_vnd": 100_000}, 400, ("price_min_vnd",)),
    ("product", {"price_min_vnd": -1}, 400, ("price_min_vnd",)),
    ("product", {"colour": "red"}, 400, ("colour",)),
    ("product", {"name": DROP}, 400, ("name",)),
    ("product", {"name": ""}, 400, ("name",)),
    ("product", MALFORMED, 400, ("malformed",)),
    ("product", b"[]", 400, ("object",)),
    ("demand", {"categories": ["food.caviar"]}, 400, ("food.caviar",)),
    ("demand", {"categories": "food"}, 400, ("categories",)),
    ("demand", {"required_certifications": ["iso_99999"]}, 400, ("iso_99999",)),
    ("demand", {"preferred_certifications": ["halal", "halal"]}, 400, ("preferred_certifications",)),
    ("demand", {"quantity": {"amount": 0, "unit": "kg"}}, 400, ("quantity.amount",)),
    ("demand", {"quantity": {"amount": -1, "unit": "kg"}}, 400, ("quantity.amount",)),
    ("demand", {"quantity": {"amount": 5, "unit": "furlong"}}, 400, ("furlong",)),
    ("demand", {"quantity": {"amount": "lots", "unit": "kg"}}, 400, ("quantity.amount",)),
    ("demand", {"min_stars": 2}, 400, ("min_stars",)),
    ("demand", {"min_stars": 6}, 400, ("min_stars",)),
    ("demand", {"preferred_provinces": ["Atlantis"]}, 400, ("Atlantis",)),
    ("demand", {"target_market": "XX"}, 400, ("XX",)),
    ("demand", {"needed_months": [0]}, 400, ("needed_months",)),
    ("demand", {"fair_id": MISSING}, 422, ("fair", MISSING)),
    ("demand", {"fair_id": "not-a-uuid"}, 400, ("fair_id",)),
    ("demand", {"status": "closed"}, 400, ("status",)),
    ("demand", {"text": "", "categories": []}, 400, ("text", "categories")),
    ("demand", {"text": "nước mắm\u0000"}, 400, ("NUL",)),
    ("demand", {"quantity": {"amount": 2, "unit": "t\u0000"}}, 400, ("NUL",)),
    ("demand", MALFORMED, 400, ("malformed",)),
    ("exhibitor", {"province_code": "Atlantis"}, 400, ("Atlantis",)),
    ("exhibitor", {"kind": "factory"}, 400, ("kind",)),
    ("exhibitor", {"contact_email": "not-an-email"}, 400, ("contact_email",)),
    ("exhibitor", {"contact_email": "lienhe@legia.vn\nBcc: x@y.vn"}, 400, ("contact_email",)),
    ("exhibitor", {"contact_email": "lienhe@legia.vn\n"}, 400, ("contact_email",)),
    ("exhibitor", {"name": "Lê\u0000Gia"}, 400, ("NUL",)),
    ("exhibitor", {"phone": "call me"}, 400, ("phone",)),
    ("exhibitor", {"name": ""}, 400, ("name",)),
    ("exhibitor", {"province_code": DROP}, 400, ("province_code",)),
    ("exhibitor", {"website": "legia.vn"}, 400, ("website",)),
    ("exhibitor", {"owner_user_id": "nope"}, 400, ("owner_user_id",)),
    ("exhibitor", MALFORMED, 400, ("malformed",)),
    ("buyer", {"country_code": "XX"}, 400, ("XX",)),
    ("buyer", {"country_code": "Vietnam"}, 400, ("Vietnam",)),
    ("buyer", {"province_code": "Atlantis"}, 400, ("Atlantis",)),
    ("buyer", {"buyer_type": "pirate"}, 400, ("buyer_type",)),
    ("buyer", {"language": "fr"}, 400, ("language",)),
    ("buyer", {"budget": 1}, 400, ("budget",)),
    ("buyer", MALFORMED, 400, ("malformed",)),
    ("fair", {"host_province_code": "Atlantis"}, 400, ("Atlantis",)),
    ("fair", {"starts_on": "tomorrow"}, 400, ("starts_on",)),
    ("fair", {"ends_on": "2026-12-01"}, 422, ("end",)),
    (
        "fair",
        {"sessions": [{"name": "sáng", "starts_at": "08:30:00+07:00", "ends_at": "11:30:00+07:00"}]},
        400,
        ("timezone",),
    ),
    ("fair", {"booths": 3}, 400, ("booths",)),
    ("fair", MALFORMED, 400, ("malformed",)),
    ("layout", {"halls": [{**LAYOUT["halls"][0], "zones": ["food.caviar"]}]}, 400, ("food.caviar",)),
    ("layout", {"halls": [{**LAYOUT["halls"][0], "rows": 0}]}, 400, ("rows",)),
    ("layout", {"halls": []}, 400, ("halls",)),
    ("layout", {"halls": [{**LAYOUT["halls"][0], "colour": "red"}]}, 400, ("colour",)),
    ("product_patch", {"category": "food.caviar"}, 400, ("food.caviar",)),
    ("product_patch", {"stars": 6}, 400, ("stars",)),
    ("product_patch", {"certifications": [{"code": "iso_99999"}]}, 400, ("iso_99999",)),
    ("product_patch", {"capacity": {"amount": 0, "unit": "t"}}, 400, ("capacity.amount",)),
    ("product_patch", {"min_order": {"amount": 1, "unit": "furlong"}}, 400, ("furlong",)),
    ("product_patch", {"export_markets": ["XX"]}, 400, ("XX",)),
    ("product_patch", {"name": None}, 400, ("name",)),
    ("product_patch", {"exhibitor_id": MISSING}, 400, ("exhibitor_id",)),
    ("product_patch", {"price_min_vnd": 200_000, "certifications": []}, 422, ("price_min_vnd",)),
    ("product_patch", MALFORMED, 400, ("malformed",)),
    ("demand_patch", {"status": "pending"}, 400, ("status",)),
    ("demand_patch", {"quantity": {"amount": -1, "unit": "kg"}}, 400, ("quantity.amount",)),
    ("demand_patch", {"quantity": {"amount": 1, "unit": "furlong"}}, 400, ("furlong",)),
    ("demand_patch", {"categories": ["food.caviar"]}, 400, ("food.caviar",)),
    ("demand_patch", {"min_stars": 7}, 400, ("min_stars",)),
    ("demand_patch", {"fair_id": MISSING, "status": "closed"}, 422, ("fair", MISSING)),
    ("demand_patch", {"text": "", "categories": []}, 422, ("text",)),
    ("demand_patch", {"buyer_id": MISSING}, 400, ("buyer_id",)),
    ("exhibitor_patch", {"province_code": "Atlantis"}, 400, ("Atlantis",)),
    ("exhibitor_patch", {"kind": "factory"}, 400, ("kind",)),
    ("exhibitor_patch", {"owner_user_id": MISSING}, 400, ("owner_user_id",)),
    ("buyer_patch", {"country_code": "ZZ"}, 400, ("ZZ",)),
    ("buyer_patch", {"province_code": "Atlantis"}, 400, ("Atlantis",)),
    ("buyer_patch", {"owner_user_id": MISSING}, 400, ("owner_user_id",)),
    ("fair_patch", {"host_province_code": "Atlantis"}, 400, ("Atlantis",)),
    ("fair_patch", {"status": "finished"}, 400, ("status",)),
    ("fair_patch", {"slot_minutes": 1000}, 400, ("slot_minutes",)),
]


def _payload(base: Body | None, case: Body) -> Body:
    merged = {**(base or {}), **case}
    return {key: value for key, value in merged.items() if value is not DROP}


def _case_id(target: str, body: Body | bytes) -> str:
    if isinstance(body, bytes):
        return f"{target}-{'malformed-json' if body == MALFORMED else 'raw-' + body.decode()}"
    return f"{target}-{'-'.join(body) or 'empty'}"


@pytest.mark.parametrize(("target", "body", "status", "fragments"), CASES, ids=[_case_id(t, b) for t, b, _, _ in CASES])
async def test_bad_input_is_refused_and_nothing_is_written(
    client: Client, scene: Scene, target: str, body: Body | bytes, status: int, fragments: tuple[str, ...]
) -> None:
    method, template, sender, base, watched = TARGETS[target]
    account = {"organiser": scene.organiser, "exhibitor": scene.exhibitor, "buyer": scene.buyer}[sender]
    url, watched = template.format(**scene.ids), watched.format(**scene.ids)
    before = await read(client, scene.organiser, watched)

    if isinstance(body, bytes):
        headers = {**account.headers, "content-type": "application/json"}
        response = await client.request(method, url, content=body, headers=headers)
    else:
        response = await client.request(method, url, json=_payload(base, body), headers=account.headers)

    assert_problem(response, status, *fragments)
    after = await read(client, scene.organiser, watched)
    if method == "POST":
        assert after["total"] == before["total"]
    else:
        assert after == before


@pytest.mark.parametrize(
    ("template", "params", "fragments"),
    [
        ("/api/products", {"limit": 101}, ("limit",)),
        ("/api/products", {"limit": 0}, ("limit",)),
        ("/api/products", {"limit": "ten"}, ("limit",)),
        ("/api/products", {"offset": -1}, ("offset",)),
        ("/api/products", {"category": "food.caviar"}, ("food.caviar",)),
        ("/api/products", {"certification": "iso_99999"}, ("iso_99999",)),
        ("/api/products", {"province": "Atlantis"}, ("Atlantis",)),
        ("/api/products", {"min_stars": 6}, ("min_stars",)),
        ("/api/products", {"min_stars": 2}, ("min_stars",)),
        ("/api/products", {"exhibitor_id": "nope"}, ("exhibitor_id",)),
        ("/api/products", {"q": "nước\u0000mắm"}, ("NUL",)),
        ("/api/exhibitors", {"q": "Lê\u0000Gia"}, ("NUL",)),
        ("/api/exhibitors", {"province": "Atlantis"}, ("Atlantis",)),
        ("/api/exhibitors", {"kind": "factory"}, ("kind",)),
        ("/api/exhibitors", {"limit": 101}, ("limit",)),
        ("/api/buyers", {"limit": 0}, ("limit",)),
        ("/api/buyers", {"buyer_type": "pirate"}, ("buyer_type",)),
        ("/api/buyers/{buyer}/demands", {"limit": 101}, ("limit",)),
        ("/api/buyers/{buyer}/demands", {"status": "pending"}, ("status",)),
        ("/api/fairs", {"limit": 101}, ("limit",)),
        ("/api/fairs/{fair}/booths", {"limit": 0}, ("limit",)),
        ("/api/fairs/{fair}/booths", {"status": "rented"}, ("status",)),
    ],
)
async def test_bad_query_parameters_are_400_problems(
    client: Client, scene: Scene, template: str, params: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    response = await client.get(template.format(**scene.ids), params=params, headers=scene.organiser.headers)
    assert_problem(response, 400, *fragments)


@pytest.mark.parametrize("limit", [1, 100])
async def test_the_page_size_bounds_are_accepted(client: Client, scene: Scene, limit: int) -> None:
    page = await read(client, scene.organiser, "/api/products", limit=limit)
    assert (page["limit"], page["total"], len(page["items"])) == (limit, 1, 1)


async def test_a_duplicate_registration_email_is_a_409(client: Client, scene: Scene) -> None:
    body = {
        "email": scene.buyer.email.upper(),
        "password": "another password",
        "role": "exhibitor",
        "display_name": "Trùng",
    }
    assert_problem(await client.post("/api/auth/register", json=body), 409, scene.buyer.email)
    refused = await client.post("/api/auth/login", json={"email": scene.buyer.email, "password": "another password"})
    assert_problem(refused, 401)
    assert await total(client, scene.buyer, "/api/buyers") == 1
