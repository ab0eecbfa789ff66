"""Who may not do what: a table of forbidden requests, each checked to change nothing and leak nothing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from ocopfair.accounts.security import PUBLIC_PATHS
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
)

PRIVATE_TEXT = "Nhu cầu bí mật của Co.op Mart"


@dataclass
class World:
    """Two exhibitors (A with a product), two buyers (A with a demand) and a fair, with the accounts that own them."""

    accounts: dict[str, Account]
    ids: dict[str, str]

    def url(self, template: str) -> str:
        return template.format(**self.ids)


@pytest.fixture
async def world(
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    buyer_account: Account,
    other_buyer_account: Account,
) -> World:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    other_exhibitor = await create_exhibitor(client, other_exhibitor_account, name="Bamboo Craft", kind="enterprise")
    product = await create_product(client, exhibitor_account, exhibitor["id"], certifications=[{"code": "haccp"}])
    buyer = await create_buyer(client, buyer_account, organisation="Co.op Mart")
    other_buyer = await create_buyer(client, other_buyer_account, organisation="Lotte Mart")
    demand = await create_demand(client, buyer_account, buyer["id"], text=PRIVATE_TEXT)
    fair = await create_fair(client, organiser)
    accounts = {
        "organiser": organiser,
        "exhibitor": exhibitor_account,
        "other_exhibitor": other_exhibitor_account,
        "buyer": buyer_account,
        "other_buyer": other_buyer_account,
    }
    ids = {
        "exhibitor": exhibitor["id"],
        "other_exhibitor": other_exhibitor["id"],
        "product": product["id"],
        "buyer": buyer["id"],
        "other_buyer": other_buyer["id"],
        "demand": demand["id"],
        "fair": fair["id"],
    }
    return World(accounts, ids)


async def snapshot(client: Client, world: World) -> dict[str, Any]:
    """Everything the world holds, read by an organiser."""
    organiser = world.accounts["organiser"]
    objects = [
        "/api/exhibitors/{exhibitor}",
        "/api/exhibitors/{other_exhibitor}",
        "/api/products/{product}",
        "/api/buyers/{buyer}",
        "/api/buyers/{other_buyer}",
        "/api/demands/{demand}",
        "/api/fairs/{fair}",
    ]
    lists = [
        "/api/exhibitors",
        "/api/products",
        "/api/buyers",
        "/api/fairs",
        "/api/buyers/{buyer}/demands",
        "/api/buyers/{other_buyer}/demands",
        "/api/fairs/{fair}/booths",
    ]
    state: dict[str, Any] = {}
    for template in objects:
        state[template] = await read(client, organiser, world.url(template))
    for template in lists:
        state[f"{template} total"] = (await read(client, organiser, world.url(template)))["total"]
    return state


FORBIDDEN: list[tuple[str, str, str, Body | None, int]] = [
    ("other_buyer", "GET", "/api/demands/{demand}", None, 404),
    ("other_buyer", "PATCH", "/api/demands/{demand}", {"status": "closed", "text": "hijacked"}, 404),
    ("other_buyer", "DELETE", "/api/demands/{demand}", None, 404),
    ("other_buyer", "GET", "/api/buyers/{buyer}", None, 404),
    ("other_buyer", "PATCH", "/api/buyers/{buyer}", {"organisation": "hijacked"}, 404),
    ("other_buyer", "GET", "/api/buyers/{buyer}/demands", None, 404),
    ("other_buyer", "POST", "/api/buyers/{buyer}/demands", demand_payload(), 404),
    ("exhibitor", "GET", "/api/demands/{demand}", None, 404),
    ("exhibitor", "GET", "/api/buyers/{buyer}", None, 404),
    ("exhibitor", "GET", "/api/buyers/{buyer}/demands", None, 404),
    ("exhibitor", "PATCH", "/api/demands/{demand}", {"status": "closed"}, 404),
    ("other_exhibitor", "PATCH", "/api/products/{product}", {"name": "hijacked", "certifications": []}, 403),
    ("other_exhibitor", "DELETE", "/api/products/{product}", None, 403),
    ("other_exhibitor", "PATCH", "/api/exhibitors/{exhibitor}", {"name": "hijacked"}, 403),
    ("other_exhibitor", "POST", "/api/exhibitors/{exhibitor}/products", product_payload(), 403),
    ("buyer", "POST", "/api/exhibitors/{exhibitor}/products", product_payload(), 403),
    ("buyer", "PATCH", "/api/products/{product}", {"stars": 5}, 403),
    ("buyer", "DELETE", "/api/products/{product}", None, 403),
    ("buyer", "PATCH", "/api/exhibitors/{exhibitor}", {"name": "hijacked"}, 403),
    ("buyer", "POST", "/api/exhibitors", exhibitor_payload(name="Buyer's shop"), 403),
    ("exhibitor", "POST", "/api/buyers", buyer_payload(organisation="Exhibitor's shop"), 403),
    ("exhibitor", "POST", "/api/fairs", fair_payload(), 403),
    ("buyer", "POST", "/api/fairs", fair_payload(), 403),
    ("exhibitor", "PATCH", "/api/fairs/{fair}", {"status": "open"}, 403),
    ("buyer", "PATCH", "/api/fairs/{fair}", {"name": "hijacked"}, 403),
    ("exhibitor", "POST", "/api/fairs/{fair}/booths/layout", LAYOUT, 403),
    ("buyer", "POST", "/api/fairs/{fair}/booths/layout", LAYOUT, 403),
]


@pytest.mark.parametrize(
    ("actor", "method", "template", "body", "status"),
    FORBIDDEN,
    ids=[f"{actor}-{method}-{template}" for actor, method, template, _, _ in FORBIDDEN],
)
async def test_forbidden_requests_change_nothing(
    client: Client, world: World, actor: str, method: str, template: str, body: Body | None, status: int
) -> None:
    before = await snapshot(client, world)
    response = await client.request(method, world.url(template), json=body, headers=world.accounts[actor].headers)
    problem = assert_problem(response, status)
    for secret in (PRIVATE_TEXT, "Co.op Mart", "thumua@bhx.vn"):
        assert secret not in response.text, problem
    assert await snapshot(client, world) == before


UNAUTHENTICATED: list[tuple[str, str, Body | None]] = [
    ("GET", "/api/me", None),
    ("GET", "/api/exhibitors", None),
    ("POST", "/api/exhibitors", exhibitor_payload()),
    ("GET", "/api/exhibitors/{exhibitor}", None),
    ("PATCH", "/api/exhibitors/{exhibitor}", {"name": "x"}),
    ("POST", "/api/exhibitors/{exhibitor}/products", product_payload()),
    ("GET", "/api/products", None),
    ("GET", "/api/products/{product}", None),
    ("PATCH", "/api/products/{product}", {"name": "x"}),
    ("DELETE", "/api/products/{product}", None),
    ("GET", "/api/buyers", None),
    ("POST", "/api/buyers", buyer_payload()),
    ("GET", "/api/buyers/{buyer}", None),
    ("PATCH", "/api/buyers/{buyer}", {"organisation": "x"}),
    ("GET", "/api/buyers/{buyer}/demands", None),
    ("POST", "/api/buyers/{buyer}/demands", demand_payload()),
    ("GET", "/api/demands/{demand}", None),
    ("PATCH", "/api/demands/{demand}", {"status": "closed"}),
    ("DELETE", "/api/demands/{demand}", None),
    ("GET", "/api/fairs", None),
    ("POST", "/api/fairs", fair_payload()),
    ("GET", "/api/fairs/{fair}", None),
    ("PATCH", "/api/fairs/{fair}", {"name": "x"}),
    ("POST", "/api/fairs/{fair}/booths/layout", LAYOUT),
    ("GET", "/api/fairs/{fair}/booths", None),
]


@pytest.mark.parametrize(
    ("method", "template", "body"), UNAUTHENTICATED, ids=[f"{m}-{t}" for m, t, _ in UNAUTHENTICATED]
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer garbage"}], ids=["no-token", "garbage-token"])
async def test_every_api_route_needs_a_token(
    client: Client, method: str, template: str, body: Body | None, headers: dict[str, str]
) -> None:
    ids = {name: str(uuid.uuid4()) for name in ("exhibitor", "product", "buyer", "demand", "fair")}
    response = await client.request(method, template.format(**ids), json=body, headers=headers)
    assert_problem(response, 401)


async def test_unauthenticated_requests_change_nothing(client: Client, world: World) -> None:
    before = await snapshot(client, world)
    for method, template, body in UNAUTHENTICATED:
        response = await client.request(method, world.url(template), json=body)
        assert response.status_code == 401, (method, template, response.text)
        assert PRIVATE_TEXT not in response.text
    assert await snapshot(client, world) == before


def _private_operations(app: Litestar) -> list[tuple[str, str]]:
    """(method, path) of every route the app serves that is not on the public list, ids filled in at random."""
    public = [re.compile(pattern) for pattern in PUBLIC_PATHS]
    operations = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or any(p.search(route.path) for p in public):
            continue
        path = re.sub(r"\{[^}:]+:int\}", "1", route.path)
        path = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)
        operations.extend((method, path) for method in sorted(route.methods - {"HEAD", "OPTIONS"}))
    return operations


async def test_routes_added_later_need_a_token_too(client: Client, app: Litestar) -> None:
    operations = _private_operations(app)
    assert len(operations) >= len(UNAUTHENTICATED), operations
    for method, path in operations:
        body = {} if method in {"POST", "PATCH", "PUT"} else None
        response = await client.request(method, path, json=body)
        assert response.status_code == 401, (method, path, response.text)


@pytest.mark.parametrize("path", ["/health", "/api/reference/provinces", "/api/reference/categories"])
async def test_public_routes_answer_without_a_token(client: Client, path: str) -> None:
    assert (await client.get(path)).status_code == 200
