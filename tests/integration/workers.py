"""Another web worker for a test: its own app and engine over the test's database, on the test's event loop, so
requests to two workers really interleave and share nothing but the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from ocopfair.app import create_app
from ocopfair.settings import Settings


@asynccontextmanager
async def worker(settings: Settings, address: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    """A client of a new worker, reaching it from client ``address``."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
