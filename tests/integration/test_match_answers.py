"""A worker serves a match read it has already answered without ranking again, and never once anything the answer
depends on has changed: the demand, its buyer, its fair's weights, its booths, the catalogue (the last three are also
covered, read after read, in ``test_matches.py``). A kept answer costs one query, and that query decides who may have
it: never an account that could not read the demand the ordinary way, nor a token the middleware would refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
from litestar import Litestar
from sqlalchemy import Engine, event, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ocopfair.accounts.models import User
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import Body, Client
from tests.integration.test_matches import FAIR, _buyer_with_demand, _post, catalogue

__all__ = ["catalogue"]  # the producers fixture, shared with the matching tests


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


async def _read(client: Client, account: Account, url: str) -> tuple[Body, int]:
    with counted_statements() as statements:
        response = await client.get(url, headers=account.headers)
    assert response.status_code == 200, response.text
    body: Body = response.json()
    return body, len(statements)


async def test_a_repeated_read_is_served_again_until_its_demand_or_buyer_changes(
    client: Client, organiser: Account, buyer_account: Account, catalogue: dict[str, Body]
) -> None:
    fair = await _post(client, "/api/fairs", organiser, FAIR)
    buyer, demand = await _buyer_with_demand(
        client, buyer_account, {"text": "nước mắm", "categories": ["food.condiment"], "fair_id": fair["id"]}
    )
    url = f"/api/demands/{demand['id']}/matches"
    first, ranked = await _read(client, buyer_account, url)
    again, reused = await _read(client, buyer_account, url)
    assert again == first
    assert reused < ranked - 3, (reused, ranked)
    shorter, _ = await _read(client, buyer_account, f"{url}?limit=1")
    assert len(shorter["items"]) == 1 < len(first["items"])

    english = await client.patch(f"/api/buyers/{buyer['id']}", json={"language": "en"}, headers=buyer_account.headers)
    assert english.status_code == 200, english.text
    in_english, _ = await _read(client, buyer_account, url)
    assert [i["product_id"] for i in in_english["items"]] == [i["product_id"] for i in first["items"]]
    assert in_english["items"][0]["reasons"] != first["items"][0]["reasons"]

    stricter = await client.patch(f"/api/demands/{demand['id']}", json={"min_stars": 5}, headers=buyer_account.headers)
    assert stricter.status_code == 200, stricter.text
    five_stars, _ = await _read(client, buyer_account, url)
    assert five_stars["excluded"].get("stars", 0) > first["excluded"].get("stars", 0)
    assert catalogue["legia"]["id"] not in [item["product_id"] for item in five_stars["items"]]


async def _warm(client: Client, organiser: Account, buyer_account: Account) -> tuple[str, Body]:
    """A demand of ``buyer_account`` whose answer the organiser's read has left with the worker."""
    fair = await _post(client, "/api/fairs", organiser, FAIR)
    _, demand = await _buyer_with_demand(
        client, buyer_account, {"text": "nước mắm", "categories": ["food.condiment"], "fair_id": fair["id"]}
    )
    url = f"/api/demands/{demand['id']}/matches"
    first, _ = await _read(client, organiser, url)
    return url, first


async def test_a_kept_answer_costs_one_query(
    client: Client, organiser: Account, buyer_account: Account, catalogue: dict[str, Body]
) -> None:
    url, first = await _warm(client, organiser, buyer_account)
    again, statements = await _read(client, buyer_account, url)
    assert again == first
    assert statements == 1


async def test_a_kept_answer_is_not_given_to_an_account_that_may_not_read_the_demand(
    client: Client,
    engine: AsyncEngine,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    catalogue: dict[str, Body],
) -> None:
    url, first = await _warm(client, organiser, buyer_account)
    for stranger in (other_buyer_account, exhibitor_account):
        refused = assert_problem(await client.get(url, headers=stranger.headers), 404, "demand not found")
        assert "items" not in refused
    missing = url.replace(url.split("/")[3], "00000000-0000-4000-8000-000000000000")
    assert_problem(await client.get(missing, headers=organiser.headers), 404)

    async with engine.begin() as connection:
        await connection.execute(update(User).where(User.email == buyer_account.email).values(is_active=False))
    assert_problem(await client.get(url, headers=buyer_account.headers), 401)
    assert (await client.get(url, headers=organiser.headers)).json() == first


async def test_a_kept_answer_needs_a_valid_unexpired_token(
    client: Client, settings: Settings, organiser: Account, buyer_account: Account, catalogue: dict[str, Body]
) -> None:
    url, _ = await _warm(client, organiser, buyer_account)
    assert_problem(await client.get(url), 401)
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": organiser.user_id, "iat": now - dt.timedelta(minutes=16), "exp": now - dt.timedelta(minutes=1)}
    expired = jwt.encode(claims, settings.secret_key, algorithm="HS256")
    forged = jwt.encode({**claims, "exp": now + dt.timedelta(minutes=5)}, "not-the-secret-key-" * 3, algorithm="HS256")
    not_an_id = jwt.encode({**claims, "sub": "organiser", "exp": now + dt.timedelta(minutes=5)}, settings.secret_key)
    for token in (expired, forged, not_an_id, "garbage"):
        assert_problem(await client.get(url, headers={"Authorization": f"Bearer {token}"}), 401)


async def test_the_ordinary_read_answers_when_the_quick_query_cannot(
    app: Litestar, client: Client, organiser: Account, buyer_account: Account, catalogue: dict[str, Body]
) -> None:
    url, first = await _warm(client, organiser, buyer_account)
    quick = app.state.quick_reads
    unreachable = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none", connect_args={"timeout": 2})
    kept, quick.engine = quick.engine, unreachable
    try:
        again, statements = await _read(client, buyer_account, url)
    finally:
        quick.engine = kept
        await unreachable.dispose()
    assert again == first
    assert statements > 1
