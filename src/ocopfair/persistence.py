"""The database: one async engine per process, sessions per request, migrations through Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import AlembicAsyncConfig, AsyncSessionConfig, SQLAlchemyAsyncConfig
from litestar.datastructures import State
from litestar.types import Scope
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

import ocopfair.models  # noqa: F401  (registers every table on the metadata)
from ocopfair.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# A PostgreSQL server that has gone away must cost a request seconds, not asyncpg's default minute of waiting to
# connect or the pool's half minute of waiting for a connection: the request answers 503 and the client retries.
CONNECT_TIMEOUT_S = 5.0
POOL_TIMEOUT_S = 10.0
QUICK_POOL_TIMEOUT_S = 1.0


def _enable_sqlite_integrity(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, and fails at once on a busy file unless told to wait."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_engine(settings: Settings) -> AsyncEngine:
    """The engine for ``settings.database_url``; creates the SQLite directory when needed.

    On PostgreSQL every connection is pinged when it leaves the pool and a dropped one invalidates the pool, so the
    service reconnects by itself after the server restarts; connections name themselves ``ocopfair`` in
    ``pg_stat_activity``."""
    if settings.is_sqlite:
        database_path = settings.database_url.split("///", 1)[-1]
        if database_path and database_path != ":memory:":
            Path(database_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(settings.database_url, echo=settings.database_echo)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_integrity)
        return engine
    return _postgres_engine(settings, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=POOL_TIMEOUT_S)


def create_quick_read_engine(settings: Settings, engine: AsyncEngine) -> AsyncEngine:
    """For reads that ask one question and would rather give up than wait (the match read's version check, which
    falls back to the ordinary request when it fails): on PostgreSQL a small pool of its own whose connections are
    neither pinged nor wrapped in BEGIN/COMMIT, one round trip per read; on SQLite, ``engine`` itself."""
    if settings.is_sqlite:
        return engine
    return _postgres_engine(
        settings,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=False,
        pool_size=5,
        max_overflow=5,
        pool_timeout=QUICK_POOL_TIMEOUT_S,
    )


def _postgres_engine(settings: Settings, **options: Any) -> AsyncEngine:
    return create_async_engine(
        settings.database_url,
        echo=settings.database_echo,
        connect_args={"timeout": CONNECT_TIMEOUT_S, "server_settings": {"application_name": "ocopfair"}},
        **options,
    )


def request_session(state: State, scope: Scope) -> AsyncSession:
    """The request's session, as the ``db_session`` dependency gives it, for a handler that needs one only
    sometimes (the app keeps its database configuration in ``state.database``)."""
    database: SQLAlchemyAsyncConfig = state.database
    return database.provide_session(state, scope)


def database_config(settings: Settings, engine: AsyncEngine | None = None) -> SQLAlchemyAsyncConfig:
    """advanced-alchemy's configuration: commit when a handler answers 2xx/3xx, roll back otherwise."""
    return SQLAlchemyAsyncConfig(
        engine_instance=engine or create_engine(settings),
        session_config=AsyncSessionConfig(expire_on_commit=False),
        before_send_handler="autocommit_include_redirects",
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS_DIR), render_as_batch=True, version_table_name="alembic_version"
        ),
    )
