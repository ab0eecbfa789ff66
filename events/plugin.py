"""How the events room plugs into the web application: its endpoints, the clock and composer in the app state, and
(when ``settings.scheduler``) a scheduler candidate running for the app's lifetime."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol
from sqlalchemy.ext.asyncio import AsyncEngine

from events.clock import SystemClock
from events.composer import Composer
from events.controllers import DigestController, OutboxController, UnsubscribeController
from events.runner import run_scheduler
from ocopfair.settings import Settings


class EventsPlugin(InitPluginProtocol):
    def __init__(self, settings: Settings, engine: AsyncEngine) -> None:
        self.settings = settings
        self.engine = engine

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.route_handlers.extend([OutboxController, DigestController, UnsubscribeController])
        app_config.state.setdefault("clock", SystemClock())
        app_config.state.setdefault("composer", Composer(self.settings))
        if self.settings.scheduler:
            app_config.lifespan.append(self._scheduler)
        return app_config

    @asynccontextmanager
    async def _scheduler(self, _app: Litestar) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(run_scheduler(self.settings, self.engine, stop))
        try:
            yield
        finally:
            stop.set()
            await task
