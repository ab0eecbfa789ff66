"""One world of two of everything, built once per test module and backend, for the authorisation tests.

Party A (buyer A, exhibitor A) is who asks; party B (buyer B, exhibitor B) owns what A must not reach. Both take
part in one fair: booths, applications, accepted meeting requests, scheduled meetings, availability, and a digest
in the outbox. Exhibitor B's only booth is held, not confirmed, so only organisers may see it on the plan. Two
accounts (buyer C, exhibitor C) have no profile yet, for the create routes. Every role has a bearer token for the
API and a cookie session for the pages (anonymous has only the CSRF cookie, so its forms reach the page's checks).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from advanced_alchemy.base import metadata_registry
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ocopfair.accounts.admin import create_organiser
from ocopfair.app import create_app
from ocopfair.persistence import create_engine
from ocopfair.settings import Settings
from tests.integration.conftest import (
    BACKENDS,
    PASSWORD,
    Account,
    _empty_tables,
    database_config_keys_forgotten,
    login,
    register,
)
from tests.integration.factories import (
    LAYOUT,
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
from tests.integration.pages import CSRF_COOKIE, sign_in

SIGNED_IN = ("organiser", "buyer_a", "exhibitor_a", "buyer_b", "exhibitor_b")
WITHOUT_PROFILE = ("buyer_c", "exhibitor_c")
ANONYMOUS = "anonymous"
JWT = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+")

# Each account's contact details (its profile's email and phone, its sign-in address): only it and organisers see them.
CONTACTS = {
    "exhibitor_a": ("exhibitor_a_email", "exhibitor_a_phone", "exhibitor_a_login"),
    "exhibitor_b": ("exhibitor_b_email", "exhibitor_b_phone", "exhibitor_b_login"),
    "buyer_a": ("buyer_a_email", "buyer_a_phone", "buyer_a_login"),
    "buyer_b": ("buyer_b_email", "buyer_b_phone", "buyer_b_login"),
    "buyer_c": ("buyer_c_login",),
    "exhibitor_c": ("exhibitor_c_login",),
    "organiser": ("organiser_login",),
}
# What only party B (and organisers) may see.
PRIVATE_B = (
    *CONTACTS["exhibitor_b"],
    *CONTACTS["buyer_b"],
    "buyer_b_name",
    "demand_b_text",
    "request_b_message",
    "application_b_note",
)
# Party B's public face: the catalogue shows these to everyone, but nothing else of B's may carry them to A.
PUBLIC_B = ("exhibitor_b_name", "product_b_name")


@dataclass
class World:
    """The app's client and database, the world's ids and telling values by name, and each role's credentials."""

    client: Client
    engine: AsyncEngine
    values: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    cookies: dict[str, httpx.Cookies] = field(default_factory=dict)

    def url(self, template: str) -> str:
        return template.format(**self.values)

    def body(self, template: Any) -> Any:
        """A payload template with ``{names}`` of the world's values filled in, in strings at any depth."""
        if isinstance(template, str):
            return self.url(template)
        if isinstance(template, dict):
            return {key: self.body(value) for key, value in template.items()}
        if isinstance(template, list):
            return [self.body(value) for value in template]
        return template

    async def send(self, role: str, method: str, url: str, body: Body | None = None) -> httpx.Response:
        """``method url`` as ``role``: with its bearer token under /api, else with its cookies (and a form whose
        CSRF token is the one its cookie holds), redirects not followed."""
        self.client.cookies = httpx.Cookies()
        if url.startswith("/api/"):
            headers = self.accounts[role].headers if role in self.accounts else {}
            return await self.client.request(method, url, json=body, headers=headers, follow_redirects=False)
        jar = self.cookies[role]
        self.client.cookies = httpx.Cookies(jar)
        if method == "GET":
            return await self.client.get(url, follow_redirects=False)
        form = {**(body or {}), "_csrf_token": jar[CSRF_COOKIE]}
        return await self.client.request(method, url, data=form, follow_redirects=False)


def text_of(response: httpx.Response) -> str:
    """The body as text, iCalendar's folded lines unfolded, so a long name is found whole."""
    return response.text.replace("\r\n ", "").replace("\r\n\t", "")


async def fingerprint(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, by primary key: equal before and after means the request changed nothing."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with engine.connect() as connection:
        for table in metadata_registry.get(None).sorted_tables:
            result = await connection.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(row) for row in result.all()]
    return rows


@asynccontextmanager
async def authorisation_world(url: str, var_dir: Path) -> AsyncIterator[World]:
    """The world on an emptied database at ``url``, with the app (and its client) it was built through."""
    settings = Settings(database_url=url, secret_key="test-secret-key-" + "x" * 32, var_dir=var_dir)
    engine = create_engine(settings)
    await _empty_tables(engine)
    try:
        with database_config_keys_forgotten():
            async with AsyncTestClient(app=create_app(settings)) as client:
                world = World(client, engine)
                await _build(world)
                yield world
    finally:
        await engine.dispose()


@pytest_asyncio.fixture(name="world", scope="module", loop_scope="module", params=BACKENDS)
async def module_world(
    request: pytest.FixtureRequest, migrated_urls: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    """The world, built once for the test module that imports this fixture, on each backend."""
    async with authorisation_world(migrated_urls[request.param], tmp_path_factory.mktemp("var")) as built:
        yield built


async def _accounts(world: World) -> None:
    client, values = world.client, world.values
    await create_organiser(world.engine, "organiser@authz.vn", PASSWORD, "Ban tổ chức")
    world.accounts["organiser"] = await login(client, "organiser@authz.vn")
    for role in (*SIGNED_IN[1:], *WITHOUT_PROFILE):
        world.accounts[role] = await register(client, role.split("_")[0], f"{role.replace('_', '-')}@authz.vn")
    for role, account in world.accounts.items():
        values[f"{role}_user"] = account.user_id
        values[f"{role}_login"] = account.email
        values[f"{role}_token"] = account.headers["Authorization"].removeprefix("Bearer ")


async def _profiles(world: World) -> None:
    client, accounts, values = world.client, world.accounts, world.values
    fair = values["fair"]
    profiles: dict[str, Body] = {
        "exhibitor_a": await create_exhibitor(client, accounts["exhibitor_a"]),
        "exhibitor_b": await create_exhibitor(
            client,
            accounts["exhibitor_b"],
            name="Công ty Tre Việt Bamboo",
            kind="enterprise",
            province_code="Hà Nội",
            contact_email="lienhe@trevietbamboo.vn",
            phone="+84 24 3999 0001",
        ),
        "buyer_a": await create_buyer(client, accounts["buyer_a"]),
        "buyer_b": await create_buyer(
            client,
            accounts["buyer_b"],
            organisation="Khách sạn Sông Hồng Riêng",
            buyer_type="hotel_restaurant",
            contact_email="muahang@songhong-rieng.vn",
            phone="024 3888 0002",
        ),
    }
    for role, profile in profiles.items():
        values[role] = profile["id"]
        values[f"{role}_name"] = profile.get("name") or profile["organisation"]
        values[f"{role}_email"] = profile["contact_email"]
        values[f"{role}_phone"] = profile["phone"]
    products = {
        "product_a": await create_product(
            client, accounts["exhibitor_a"], values["exhibitor_a"], capacity={"amount": 5, "unit": "t", "per": "month"}
        ),
        "product_b": await create_product(
            client,
            accounts["exhibitor_b"],
            values["exhibitor_b"],
            name="Đũa tre Bamboo",
            category="handicraft.household",
        ),
    }
    for key, product in products.items():
        values[key] = product["id"]
        values[f"{key}_name"] = product["name"]
    values["demand_b_text"] = "Cần nước mắm cho bếp khách sạn Sông Hồng"
    demand_a = await create_demand(client, accounts["buyer_a"], values["buyer_a"], fair_id=fair)
    demand_b = await create_demand(
        client, accounts["buyer_b"], values["buyer_b"], fair_id=fair, text=values["demand_b_text"]
    )
    values["demand_a"], values["demand_b"] = demand_a["id"], demand_b["id"]


async def _booths(world: World) -> None:
    """A-001 confirmed to exhibitor A; A-003 held (proposed, not yet public) for exhibitor B."""
    client, accounts, values = world.client, world.accounts, world.values
    organiser, fair = accounts["organiser"], values["fair"]
    values["application_b_note"] = "Xin gian gần lối vào cho Bamboo"
    for side in ("a", "b"):
        body = {"exhibitor_id": values[f"exhibitor_{side}"], "note": values.get(f"application_{side}_note", "")}
        values[f"application_{side}"] = (
            await created(client, f"/api/fairs/{fair}/applications", accounts[f"exhibitor_{side}"], body)
        )["id"]
    for code, side in (("A-001", "a"), ("A-003", "b")):
        answer = await client.put(
            f"/api/fairs/{fair}/booths/{code}/assignment",
            json={"exhibitor_id": values[f"exhibitor_{side}"]},
            headers=organiser.headers,
        )
        assert answer.status_code == 200, answer.text
        if side == "a":
            confirmed = await client.post(f"/api/fairs/{fair}/allocation/confirm", headers=organiser.headers)
            assert confirmed.status_code == 200, confirmed.text
    values["booth_a"], values["held_booth_b"] = "A-001", "A-003"


async def _meetings(world: World) -> None:
    """An accepted request and a scheduled meeting on each side, and each participant's availability."""
    client, accounts, values = world.client, world.accounts, world.values
    organiser, fair = accounts["organiser"], values["fair"]
    values["request_b_message"] = "Xin gặp bàn giá sỉ cho Sông Hồng"
    for side in ("a", "b"):
        body = {
            "buyer_id": values[f"buyer_{side}"],
            "exhibitor_id": values[f"exhibitor_{side}"],
            "message": values.get(f"request_{side}_message", ""),
        }
        request = await created(client, f"/api/fairs/{fair}/meeting-requests", accounts[f"buyer_{side}"], body)
        values[f"request_{side}"] = request["id"]
        answer = await client.patch(
            f"/api/meeting-requests/{request['id']}",
            json={"status": "accepted"},
            headers=accounts[f"exhibitor_{side}"].headers,
        )
        assert answer.status_code == 200, answer.text
        for party in ("buyer", "exhibitor"):
            url = f"/api/fairs/{fair}/availability/{party}s/{values[f'{party}_{side}']}"
            answer = await client.put(url, json={"max_per_day": 4}, headers=accounts[f"{party}_{side}"].headers)
            assert answer.status_code == 200, answer.text
    report = await client.post(
        f"/api/fairs/{fair}/schedule", json={"suggestions_per_buyer": 0}, headers=organiser.headers
    )
    assert report.status_code == 200, report.text
    meetings = (await read(client, organiser, f"/api/fairs/{fair}/meetings"))["items"]
    for side in ("a", "b"):
        (values[f"meeting_{side}"],) = [m["id"] for m in meetings if m["buyer_id"] == values[f"buyer_{side}"]]


async def _outbox(world: World) -> None:
    client, organiser, values = world.client, world.accounts["organiser"], world.values
    fair = values["fair"]
    sent = await client.post(f"/api/fairs/{fair}/digests/send", json={"force": True}, headers=organiser.headers)
    assert sent.status_code == 200, sent.text
    messages = (await read(client, organiser, f"/api/fairs/{fair}/outbox"))["items"]
    (values["message_b"],) = [m["id"] for m in messages if m["recipient"] == values["buyer_b_email"]]


async def _browsers(world: World) -> None:
    """Each signed-in role's session cookies, and an anonymous browser's CSRF cookie."""
    client = world.client
    for role in (*SIGNED_IN, *WITHOUT_PROFILE):
        await sign_in(client, world.accounts[role].email)
        world.cookies[role] = httpx.Cookies(client.cookies)
    client.cookies.clear()
    await client.get("/sign-in")
    world.cookies[ANONYMOUS] = httpx.Cookies(client.cookies)


async def _build(world: World) -> None:
    await _accounts(world)
    client, organiser = world.client, world.accounts["organiser"]
    fair = await create_fair(
        client,
        organiser,
        meeting_days=["2026-12-18", "2026-12-19"],
        sessions=[{"name": "morning", "starts_at": "08:30:00", "ends_at": "10:30:00"}],
        slot_minutes=30,
    )
    world.values.update(fair=fair["id"], forged_token="forged-unsubscribe-token")
    changed = await client.patch(
        f"/api/fairs/{fair['id']}", json={"shared_meeting_tables": 2}, headers=organiser.headers
    )
    assert changed.status_code == 200, changed.text
    await created(client, f"/api/fairs/{fair['id']}/booths/layout", organiser, LAYOUT)
    await _profiles(world)
    await _booths(world)
    await _meetings(world)
    await _outbox(world)
    await _browsers(world)
