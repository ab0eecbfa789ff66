"""Electing the one scheduler that runs jobs, however many processes start one.

PostgreSQL: a session-level advisory lock, held on a connection kept open for as long as the process leads; the
server frees it the moment that connection or process dies, and another candidate takes over at its next try.
SQLite (one machine by construction): an exclusive ``flock`` on a file beside the database, freed by the kernel
when the process exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ocopfair.settings import Settings

SCHEDULER_LOCK_KEY = int.from_bytes(b"ocopfair")


class Leadership(Protocol):
    async def acquire(self) -> bool:
        """Try once to become the leader; True when this process now leads."""
        ...

    async def held(self) -> bool:
        """Whether this process still leads."""
        ...

    async def release(self) -> None: ...


class AdvisoryLock:
    def __init__(self, engine: AsyncEngine, key: int = SCHEDULER_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._connection: AsyncConnection | None = None

    async def acquire(self) -> bool:
        connection = await self.engine.connect()
        try:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def held(self) -> bool:
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
        except (DBAPIError, SQLAlchemyError, OSError):
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        if self._connection is None:
            return
        with contextlib.suppress(DBAPIError, SQLAlchemyError, OSError):
            await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except (DBAPIError, SQLAlchemyError, OSError):
                await connection.invalidate()


class LockFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    async def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    async def held(self) -> bool:
        return self._file is not None

    async def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


def leadership_for(settings: Settings, engine: AsyncEngine) -> AdvisoryLock | LockFile:
    if not settings.is_sqlite:
        return AdvisoryLock(engine)
    database = settings.database_url.split("///", 1)[-1]
    if database and database != ":memory:":
        return LockFile(Path(f"{database}.scheduler.lock"))
    return LockFile(settings.var_dir / "scheduler.lock")
