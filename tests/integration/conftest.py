"""Integration fixtures: the app over a migrated database, SQLite always and PostgreSQL when configured.

Each backend is migrated once per session (so the migrations themselves are under test); every test then starts
from empty tables.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from advanced_alchemy.base import metadata_registry
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ocopfair.accounts.admin import create_organiser
from ocopfair.app import create_app
from ocopfair.persistence import create_engine, database_config
from ocopfair.settings import Settings

POSTGRES_URL = os.environ.get("OCOPFAIR_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
PASSWORD = "correct horse battery"


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI") == "true" and not POSTGRES_URL:
        pytest.exit("CI=true but OCOPFAIR_TEST_POSTGRES_URL is not set: PostgreSQL must be tested in CI", returncode=2)


async def _check_reachable(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


async def _recreate_database(server_url: str, name: str, *, keep: bool = True) -> None:
    """Drop the database ``name`` on the server of ``server_url`` and, with ``keep``, create it afresh."""
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if keep:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str | None]:
    """The PostgreSQL database of this test process: the configured one, or under pytest-xdist a database of the
    worker's own beside it (``<name>_gw0``…), created for the session and dropped after it, so workers that empty
    tables never touch each other's rows."""
    if not POSTGRES_URL:
        yield None
        return
    try:
        asyncio.run(_check_reachable(POSTGRES_URL))
    except Exception as exc:
        pytest.fail(f"PostgreSQL at OCOPFAIR_TEST_POSTGRES_URL is unreachable: {exc}")
    if worker_id == "master":
        yield POSTGRES_URL
        return
    configured = make_url(POSTGRES_URL)
    name = f"{configured.database}_{worker_id}"
    asyncio.run(_recreate_database(POSTGRES_URL, name))
    yield configured.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_recreate_database(POSTGRES_URL, name, keep=False))


@pytest.fixture(scope="session")
def migrated_urls(tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None) -> dict[str, str]:
    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'ocopfair.sqlite3'}"}
    if postgres_url:
        urls["postgresql"] = postgres_url
    for url in urls.values():
        settings = Settings(database_url=url, secret_key="test")
        commands = AlembicCommands(database_config(settings, create_engine(settings)))
        commands.downgrade("base")
        commands.upgrade("head")
    return urls


@contextmanager
def database_config_keys_forgotten() -> Iterator[None]:
    """advanced-alchemy keeps the state keys of every database config in process-wide sets and numbers a new
    config's keys past the taken ones by recursion, one level per config ever made: a suite that builds an app per
    test reaches Python's recursion limit near a thousand apps. Forgetting the keys the apps made inside this block
    took keeps every app on the default names, as in production, where a process has one."""
    names = ("_SESSION_SCOPE_KEY_REGISTRY", "_ENGINE_APP_STATE_KEY_REGISTRY", "_SESSIONMAKER_APP_STATE_KEY_REGISTRY")
    registries: list[set[str]] = [getattr(SQLAlchemyAsyncConfig, name) for name in names]
    before = [set(registry) for registry in registries]
    yield
    for registry, kept in zip(registries, before, strict=True):
        registry.intersection_update(kept)


@pytest.fixture(autouse=True)
def forget_database_config_keys() -> Iterator[None]:
    with database_config_keys_forgotten():
        yield


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(backend: str, migrated_urls: dict[str, str], tmp_path: Path) -> Settings:
    return Settings(database_url=migrated_urls[backend], secret_key="test-secret-key-" + "x" * 32, var_dir=tmp_path)


async def _empty_tables(engine: AsyncEngine) -> None:
    tables = list(reversed(metadata_registry.get(None).sorted_tables))
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(table.delete())


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    await _empty_tables(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@dataclass
class Account:
    """A signed-in user for a test: its id and the headers that carry its token."""

    user_id: str
    email: str
    headers: dict[str, str]


async def login(client: AsyncTestClient[Litestar], email: str, password: str = PASSWORD) -> Account:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    return Account(body["user_id"], email, {"Authorization": f"Bearer {body['access_token']}"})


async def register(client: AsyncTestClient[Litestar], role: str, email: str) -> Account:
    response = await client.post(
        "/api/auth/register", json={"email": email, "password": PASSWORD, "role": role, "display_name": email}
    )
    assert response.status_code == 201, response.text
    return await login(client, email)


@pytest.fixture
async def organiser(client: AsyncTestClient[Litestar], engine: AsyncEngine) -> Account:
    await create_organiser(engine, "organiser@example.vn", PASSWORD, "Ban tổ chức")
    return await login(client, "organiser@example.vn")


@pytest.fixture
async def exhibitor_account(client: AsyncTestClient[Litestar]) -> Account:
    return await register(client, "exhibitor", "legia@example.vn")


@pytest.fixture
async def other_exhibitor_account(client: AsyncTestClient[Litestar]) -> Account:
    return await register(client, "exhibitor", "bamboo@example.vn")


@pytest.fixture
async def buyer_account(client: AsyncTestClient[Litestar]) -> Account:
    return await register(client, "buyer", "buyer@example.vn")


@pytest.fixture
async def other_buyer_account(client: AsyncTestClient[Litestar]) -> Account:
    return await register(client, "buyer", "other-buyer@example.vn")


def assert_problem(response: Any, status: int, *fragments: str) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with ``status`` whose detail mentions every fragment."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    for fragment in fragments:
        assert fragment.lower() in body["detail"].lower(), body
    return body
