"""Each worker hears of every committed change to the tables its kept answers depend on.

On PostgreSQL, migration 0009 puts a statement trigger on those tables (``WATCHED_TABLES``) that sends a notification
on the ``ocopfair_changes`` channel; PostgreSQL delivers it to every listener when the writing transaction commits,
and never for one rolled back. Each worker keeps one connection listening and counts what it hears in
``generation``; a kept answer confirmed under one generation holds until the count moves, and a read relies on it
only once ``caught_up`` says every change committed before the read began has been heard.

The count also moves whenever the worker is not sure it would have heard a change: when the listening connection is
lost (it is pinged every few seconds, so a silently dropped connection is noticed within ``HEARTBEAT_S`` plus
``HEARTBEAT_TIMEOUT_S``) and when it listens again. While ``listening`` is false nothing may be served on the
strength of the count, nor while the database lacks a trigger (not yet migrated). On SQLite there is one process
and no feed: ``listening`` stays false.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import asyncpg
import structlog
from sqlalchemy.engine import make_url

log = structlog.get_logger(__name__)

CHANNEL = "ocopfair_changes"
# What a match answer is computed from: accounts (who may read it), the fair, its halls, booths and assignments,
# the catalogue, the buyer and the demand. The trigger on each is created by migration 0009.
WATCHED_TABLES = (
    "user_account",
    "fair",
    "hall",
    "booth",
    "booth_assignment",
    "exhibitor",
    "product",
    "product_certification",
    "buyer",
    "demand",
)
CONNECT_TIMEOUT_S = 5.0
HEARTBEAT_S = 5.0
HEARTBEAT_TIMEOUT_S = 5.0
RETRY_S = 1.0
UNANNOUNCED_RETRY_S = 60.0


class ChangeFeed:
    """One listening connection per worker; ``generation`` moves on every change heard and on every doubt."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self.generation = 0
        self.listening = False
        self._task: asyncio.Task[None] | None = None
        self._connection: asyncpg.Connection | None = None
        self._asking = asyncio.Lock()
        self._next_check: asyncio.Future[bool] | None = None
        self._checking: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin listening (an app's startup hook); the feed reconnects by itself until ``close``."""
        self._task = asyncio.get_running_loop().create_task(self._listen_forever(), name="change-feed")

    async def close(self) -> None:
        for task in (self._task, self._checking):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._checking = None
        if self._next_check is not None and not self._next_check.done():
            self._next_check.set_result(False)

    def _heard(self, *_: Any) -> None:
        self.generation += 1

    async def caught_up(self) -> bool:
        """Wait until every change committed before this call has been heard; False when the feed cannot say so.

        A notification reaches the listener some time after its commit, possibly after the writer's client has its
        answer and asks again (of this worker or another). A query on the listening connection sent after this call
        began is answered only after every notification already due to it, in order; so one such query, shared by
        all the reads that arrive while it is on its way, is all a read waits for."""
        if not self.listening:
            return False
        if self._next_check is None:
            self._next_check = asyncio.get_running_loop().create_future()
            if self._checking is None or self._checking.done():
                self._checking = asyncio.get_running_loop().create_task(self._check_batches())
        return await asyncio.shield(self._next_check)

    async def _check_batches(self) -> None:
        while (batch := self._next_check) is not None:
            self._next_check = None
            batch.set_result(await self._ask())

    async def _ask(self) -> bool:
        """One round trip on the listening connection; False when it fails (the feed then reconnects)."""
        connection = self._connection
        if connection is None or not self.listening:
            return False
        try:
            async with self._asking:
                await connection.fetchval("SELECT 1", timeout=HEARTBEAT_TIMEOUT_S)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("change_feed_check_failed", error=repr(exc))
            connection.terminate()
            return False
        return self.listening

    async def _listen_forever(self) -> None:
        while True:
            try:
                await self._listen_once()
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("change_feed_lost", error=repr(exc))
            await asyncio.sleep(RETRY_S)

    async def _listen_once(self) -> None:
        connection = await asyncpg.connect(
            self._dsn, timeout=CONNECT_TIMEOUT_S, server_settings={"application_name": "ocopfair-changes"}
        )
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _connection: lost.set())
        try:
            await connection.add_listener(CHANNEL, self._heard)
            if missing := await unannounced_tables(connection):
                log.warning("change_feed_unannounced", tables=missing, fix="ocopfair database upgrade")
                await asyncio.sleep(UNANNOUNCED_RETRY_S)
                return
            self._connection = connection
            self.generation += 1
            self.listening = True
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), HEARTBEAT_S)
                    continue
                if not await self._ask():
                    break
            log.warning("change_feed_lost", error="the connection closed or stopped answering")
        finally:
            self.listening = False
            self._connection = None
            self.generation += 1
            connection.terminate()


async def unannounced_tables(connection: asyncpg.Connection) -> list[str]:
    """The watched tables without the announcing trigger (a database not yet migrated to 0009): listening there
    would hear nothing of their changes, so the feed must not claim to listen."""
    announced = await connection.fetch(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = 'announce_change' AND pg_table_is_visible(c.oid)"
    )
    return sorted(set(WATCHED_TABLES) - {row["relname"] for row in announced})
