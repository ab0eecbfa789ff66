"""On PostgreSQL each worker hears every committed change to what its kept match answers are read from, and serves
an answer again with no query of its own only while it is sure it has heard every change committed before the read
began (the feed's shared check on its listening connection): a change made by another worker (here another engine)
and read at once, a rolled-back change, and the listening connection being killed are each tried."""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from ocopfair.buyers.models import Demand
from ocopfair.change_feed import WATCHED_TABLES, ChangeFeed, unannounced_tables
from ocopfair.persistence import MIGRATIONS_DIR
from ocopfair.settings import Settings
from tests.integration.conftest import POSTGRES_URL, Account, assert_problem
from tests.integration.factories import Body, Client
from tests.integration.test_match_answers import _read, _warm
from tests.integration.test_matches import catalogue

__all__ = ["catalogue"]

pytestmark = [
    pytest.mark.skipif(not POSTGRES_URL, reason="notifications are PostgreSQL's"),
    pytest.mark.parametrize("backend", ["postgresql"]),
]


def _feed(app: Litestar) -> ChangeFeed:
    feed: ChangeFeed = app.state.quick_reads.feed
    return feed


async def _until(condition: Any, what: str, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never: {what}")


async def _heard_since(app: Litestar, generation: int) -> None:
    await _until(lambda: _feed(app).generation > generation, "the change was heard")


async def _confirmed(app: Litestar, client: Client, organiser: Account, buyer_account: Account) -> tuple[str, Body]:
    """A demand of ``buyer_account`` whose answer the worker serves the buyer with no query (checked)."""
    await _until(lambda: _feed(app).listening, "the feed listens")
    url, first = await _warm(client, organiser, buyer_account)
    _, asked = await _read(client, buyer_account, url)
    again, statements = await _read(client, buyer_account, url)
    assert (asked, statements, again) == (1, 0, first)
    return url, first


async def test_every_watched_table_announces_its_changes(engine: AsyncEngine) -> None:
    path = MIGRATIONS_DIR / "versions" / "0009_change_notifications.py"
    spec = importlib.util.spec_from_file_location("change_notifications", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(migration.TABLES) == WATCHED_TABLES
    async with engine.connect() as connection:
        announced = await connection.scalars(
            text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'announce_change'"
            )
        )
        assert sorted(announced) == sorted(WATCHED_TABLES)


async def test_a_confirmed_answer_costs_no_query_until_another_worker_changes_the_demand(
    app: Litestar, client: Client, engine: AsyncEngine, organiser: Account, buyer_account: Account, catalogue: Body
) -> None:
    url, first = await _confirmed(app, client, organiser, buyer_account)
    async with engine.begin() as connection:  # another worker's write, not seen by this app's sessions
        await connection.execute(update(Demand).where(Demand.id == url.split("/")[3]).values(min_stars=5))
    # Read at once, without waiting for the notification: the read waits for the feed to catch up by itself.
    five_stars, statements = await _read(client, buyer_account, url)
    assert statements > 1
    assert five_stars["excluded"].get("stars", 0) > first["excluded"].get("stars", 0)
    assert catalogue["legia"]["id"] not in [item["product_id"] for item in five_stars["items"]]


async def test_a_rolled_back_change_is_not_announced(
    app: Litestar, client: Client, engine: AsyncEngine, organiser: Account, buyer_account: Account, catalogue: Body
) -> None:
    await _confirmed(app, client, organiser, buyer_account)
    generation = _feed(app).generation
    async with engine.connect() as connection:
        await connection.execute(update(Demand).values(min_stars=5))
        await connection.rollback()
    async with engine.begin() as connection:  # a committed change afterwards: the first thing heard
        await connection.execute(text("UPDATE fair SET name = name"))
    await _heard_since(app, generation)
    assert _feed(app).generation == generation + 1


async def test_a_killed_feed_confirms_nothing_until_it_listens_again(
    app: Litestar, client: Client, engine: AsyncEngine, organiser: Account, buyer_account: Account, catalogue: Body
) -> None:
    url, first = await _confirmed(app, client, organiser, buyer_account)
    async with engine.connect() as connection:
        killed = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'ocopfair-changes' AND datname = current_database()"
            )
        )
    assert killed == 1
    await _until(lambda: not _feed(app).listening, "the feed notices")
    again, statements = await _read(client, buyer_account, url)
    assert (again, statements) == (first, 1)

    await _until(lambda: _feed(app).listening, "the feed listens again")
    await _read(client, buyer_account, url)
    assert (await _read(client, buyer_account, url))[1] == 0


async def test_a_deactivated_account_is_refused_a_confirmed_answer(
    app: Litestar, client: Client, engine: AsyncEngine, organiser: Account, buyer_account: Account, catalogue: Body
) -> None:
    url, _ = await _confirmed(app, client, organiser, buyer_account)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE user_account SET is_active = false WHERE role = 'buyer'"))
    assert_problem(await client.get(url, headers=buyer_account.headers), 401)


async def test_a_database_without_the_triggers_is_not_listened_to(settings: Settings) -> None:
    dsn = make_url(settings.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        assert await unannounced_tables(connection) == []
        dropped = connection.transaction()
        await dropped.start()
        await connection.execute("DROP TRIGGER announce_change ON demand")
        assert await unannounced_tables(connection) == ["demand"]
        await dropped.rollback()
        assert await unannounced_tables(connection) == []
    finally:
        await connection.close()


async def test_a_change_is_in_the_very_next_read(
    app: Litestar, client: Client, organiser: Account, buyer_account: Account, catalogue: Body
) -> None:
    url, _ = await _confirmed(app, client, organiser, buyer_account)
    buyer = (await client.get("/api/buyers", headers=buyer_account.headers)).json()["items"][0]
    for language, category_reason in [("en", "category: "), ("vi", "đúng ngành hàng: ")] * 10:
        patch = {"language": language}
        changed = await client.patch(f"/api/buyers/{buyer['id']}", json=patch, headers=buyer_account.headers)
        assert changed.status_code == 200, changed.text
        reasons = (await client.get(url, headers=buyer_account.headers)).json()["items"][0]["reasons"]
        assert any(reason.startswith(category_reason) for reason in reasons), (language, reasons)
