"""A request's transaction commits before its answer leaves: a 2xx or 3xx is sent only once the change is stored.

advanced-alchemy's autocommit hook commits while the response is being sent and, when that commit fails (the database
went away, SQLite stayed busy), logs it at debug level and sends the success anyway: the client is told "created" and
nothing was. This middleware commits first and, when the commit fails, answers as if the handler had raised the
failure (503 problem when the database is out of reach, 409 for a broken rule); the transaction is then rolled back
by the autocommit hook, which sees the error status, so nothing of the request is stored.
"""

from __future__ import annotations

from typing import Any

import structlog
from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger(__name__)
COMMITTED_STATUSES = range(200, 400)


class CommitBeforeAnswer(ASGIMiddleware):
    """Commit the request's session (under advanced-alchemy's ``session_scope_key``) when its answer starts with a
    2xx or 3xx status, and answer the failure instead when the commit fails."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, session_scope_key: str) -> None:
        self.session_scope_key = session_scope_key

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        replaced = False

        async def send_once_committed(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start" and message["status"] in COMMITTED_STATUSES:
                session: AsyncSession | None = get_aa_scope_state(scope, self.session_scope_key)
                if session is not None:
                    try:
                        await session.commit()
                    except Exception as exc:
                        replaced = True
                        log.warning("commit_failed", path=scope["path"], error=repr(exc))
                        await _answer_failure(scope, receive, send, exc)
                        return
            await send(message)

        await next_app(scope, receive, send_once_committed)


async def _answer_failure(scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
    """Answer with the route's own exception handler for ``exc`` (problem+json for the API, a page for pages)."""
    route_handler = scope["route_handler"]
    handlers = route_handler.resolve_exception_handlers()
    handler = next(handlers[kind] for kind in type(exc).__mro__ if kind in handlers)
    request: Request[Any, Any, Any] = Request(scope, receive, send)
    response = handler(request, exc)
    await response.to_asgi_response(app=None, request=request, type_encoders=route_handler.resolve_type_encoders())(
        scope, receive, send
    )
