"""Transactions of their own, beside the request's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession


@asynccontextmanager
async def own_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A second session on ``session``'s engine whose transaction commits when the block ends, whatever becomes of
    the request's: for what other workers must see at once and a refused request must not roll back (a failed
    login, a run's lease)."""
    engine = session.bind
    if not isinstance(engine, AsyncEngine):
        raise TypeError("own_transaction needs a session bound to an engine")
    async with AsyncSession(engine, expire_on_commit=False) as separate, separate.begin():
        yield separate
