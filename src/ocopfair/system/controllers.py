"""Liveness (``/health``) and readiness (``/ready``: the database answers)."""

from __future__ import annotations

from typing import Any

import msgspec
import structlog
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger(__name__)


class Health(msgspec.Struct, omit_defaults=True):
    status: str
    database: str | None = None


class SystemController(Controller):
    tags = ["system"]
    include_in_schema = True

    @get("/health")
    async def health(self) -> Health:
        return Health(status="ok")

    @get("/ready")
    async def ready(self, db_session: NamedDependency[AsyncSession]) -> Response[Any]:
        try:
            await db_session.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            log.warning("database_unreachable", error=str(exc))
            return Response(Health(status="unavailable", database="unreachable"), status_code=503)
        return Response(Health(status="ok", database="ok"))
