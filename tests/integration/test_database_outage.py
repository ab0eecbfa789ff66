"""PostgreSQL goes away while the service runs: every request that needs it answers 503 problem+json (a page, a 503
page) and writes nothing, ``/ready`` says not ready while ``/health`` stays up, and once the database is back the
same app serves again without a restart.

The app reaches PostgreSQL through a TCP proxy the test cuts (``db_proxy.py``), so the shared server never stops;
a cut drops the open connections and refuses new ones, as a stopped server does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.accounts.admin import create_organiser
from ocopfair.app import create_app
from ocopfair.fairs.models import Booth, Fair, Hall
from ocopfair.settings import Settings
from tests.integration.conftest import PASSWORD, POSTGRES_URL, Account, assert_problem, login
from tests.integration.db_proxy import DatabaseProxy
from tests.integration.factories import LAYOUT, Client, create_fair, fair_payload

pytestmark = [
    pytest.mark.skipif(not POSTGRES_URL, reason="the outage is a TCP proxy cut in front of PostgreSQL"),
    pytest.mark.parametrize("backend", ["postgresql"]),
]


@pytest.fixture
def proxy(settings: Settings) -> Iterator[DatabaseProxy]:
    proxy = DatabaseProxy(settings.database_url)
    proxy.start()
    yield proxy
    proxy.close()


@pytest.fixture
async def proxied(settings: Settings, engine: AsyncEngine, proxy: DatabaseProxy) -> AsyncIterator[Client]:
    """A client of an app whose database is behind the proxy."""
    app = create_app(dataclasses.replace(settings, database_url=proxy.proxied(settings.database_url)))
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture
async def organiser_behind_proxy(proxied: Client, engine: AsyncEngine) -> Account:
    await create_organiser(engine, "organiser@example.vn", PASSWORD, "Ban tổ chức")
    return await login(proxied, "organiser@example.vn")


async def _count(engine: AsyncEngine, model: Any) -> int:
    async with async_sessionmaker(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def assert_unavailable(response: Any) -> None:
    assert_problem(response, 503, "database")
    assert int(response.headers["retry-after"]) > 0


async def test_requests_answer_503_while_the_database_is_away_and_recover_without_restart(
    proxied: Client, engine: AsyncEngine, proxy: DatabaseProxy, organiser_behind_proxy: Account
) -> None:
    headers = organiser_behind_proxy.headers
    fair = await create_fair(proxied, organiser_behind_proxy, name="Hội chợ trước sự cố")

    proxy.cut()
    assert_unavailable(await proxied.get("/api/fairs", headers=headers))
    assert_unavailable(await proxied.get(f"/api/fairs/{fair['id']}", headers=headers))
    assert_unavailable(await proxied.post("/api/fairs", json=fair_payload(name="Hội chợ mất điện"), headers=headers))
    ready = await proxied.get("/ready")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable", "database": "unreachable"})
    assert (await proxied.get("/health")).status_code == 200
    page = await proxied.get("/")
    assert page.status_code == 503, page.text
    assert page.headers["content-type"].startswith("text/html")

    proxy.start()
    assert (await proxied.get("/ready")).status_code == 200
    assert (await proxied.get("/api/fairs", headers=headers)).json()["total"] == 1
    await create_fair(proxied, organiser_behind_proxy, name="Hội chợ sau sự cố")
    async with async_sessionmaker(engine)() as session:
        names = set(await session.scalars(select(Fair.name)))
    assert names == {"Hội chợ trước sự cố", "Hội chợ sau sự cố"}


def _cut_when(proxy: DatabaseProxy, moment: str) -> Callable[..., None]:
    """An engine hook that cuts the proxy at ``moment`` of laying out booths: ``insert`` as the first booth is about
    to be written (the halls already are, in the same transaction), ``commit`` once every row is written."""
    armed = False

    def hook(_conn: Any, *args: Any) -> None:
        nonlocal armed
        statement = args[1] if args else ""
        if moment == "insert" and str(statement).startswith("INSERT INTO booth ("):
            proxy.cut()
        elif moment == "commit" and str(statement).startswith("INSERT INTO booth ("):
            armed = True
        elif moment == "commit" and armed and not args:
            armed = False
            proxy.cut()

    return hook


@pytest.mark.parametrize("moment", ["insert", "commit"])
async def test_database_lost_mid_request_answers_503_and_leaves_no_half_written_rows(
    proxied: Client, engine: AsyncEngine, proxy: DatabaseProxy, organiser_behind_proxy: Account, moment: str
) -> None:
    fair = await create_fair(proxied, organiser_behind_proxy)
    layout_url = f"/api/fairs/{fair['id']}/booths/layout"
    hook = _cut_when(proxy, moment)
    event.listen(Engine, "before_cursor_execute", hook)
    event.listen(Engine, "commit", hook)
    try:
        response = await proxied.post(layout_url, json=LAYOUT, headers=organiser_behind_proxy.headers)
    finally:
        event.remove(Engine, "before_cursor_execute", hook)
        event.remove(Engine, "commit", hook)

    assert_unavailable(response)
    assert (await _count(engine, Hall), await _count(engine, Booth)) == (0, 0)
    proxy.start()
    again = await proxied.post(layout_url, json=LAYOUT, headers=organiser_behind_proxy.headers)
    assert again.status_code == 201, again.text
    assert (await _count(engine, Hall), await _count(engine, Booth)) == (1, 6)


async def test_connections_terminated_by_the_server_are_replaced_unnoticed(
    proxied: Client, engine: AsyncEngine, proxy: DatabaseProxy, organiser_behind_proxy: Account
) -> None:
    """An administrator's ``pg_terminate_backend`` (or a failover) kills the pooled connections between requests:
    the pool's ping finds them dead and the next request runs on a new one."""
    headers = organiser_behind_proxy.headers
    assert (await proxied.get("/api/fairs", headers=headers)).status_code == 200
    async with engine.connect() as connection:
        terminated = await connection.scalar(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE client_port = ANY(:ports) AND application_name = 'ocopfair'"
            ),
            {"ports": sorted(proxy.upstream_ports)},
        )
    assert terminated
    for _ in range(3):
        assert (await proxied.get("/api/fairs", headers=headers)).status_code == 200
    await create_fair(proxied, organiser_behind_proxy)
    assert await _count(engine, Fair) == 1
