"""Who is signed in to the web pages: an encrypted cookie session that holds the user's id, and CSRF protection.

The session lives in the browser (AES-GCM, keyed from the service's secret key), so any worker serves any request
and nothing is kept in the process. The user is loaded from the database on every request, so a deactivated
account is signed out at once. Every POST from a page carries the CSRF token (a hidden input in forms, a header on
HTMX requests), checked against the CSRF cookie by Litestar's middleware.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.base import SessionMiddleware
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import ASGIApp
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.models import User
from ocopfair.nul_characters import refuse_nul_characters
from ocopfair.settings import Settings

SESSION_COOKIE = "ocopfair_session"
CSRF_COOKIE = "ocopfair_csrf"
CSRF_HEADER = "x-csrftoken"
USER_KEY = "user_id"


class SignInRequired(Exception):
    """The page needs a signed-in visitor; the answer sends them to the sign-in page and back."""


class WrongRole(Exception):
    """The page is for another kind of account (a buyer's page asked for by an exhibitor, say)."""

    def __init__(self, role: str) -> None:
        super().__init__(role)
        self.role = role


@dataclass(frozen=True, slots=True)
class Visitor:
    """What a page shows of the signed-in account; a copy, so a page can render after its transaction ended."""

    id: UUID
    email: str
    role: str
    display_name: str


def _key(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()


def session_middleware(settings: Settings) -> DefineMiddleware:
    """The session middleware; its encrypting backend is built with the middleware, as routers are deep-copied
    when registered and a cipher cannot be."""
    config = CookieBackendConfig(
        secret=_key(settings.secret_key, "web session"),
        key=SESSION_COOKIE,
        max_age=settings.session_ttl_minutes * 60,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    return DefineMiddleware(_session_middleware, config=config)


def _session_middleware(app: ASGIApp, config: CookieBackendConfig) -> SessionMiddleware[ClientSideSessionBackend]:
    return SessionMiddleware(app=app, backend=ClientSideSessionBackend(config=config))


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=_key(settings.secret_key, "web csrf").hex(),
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,
        cookie_samesite="lax",
    )


def load_visitor(database: SQLAlchemyAsyncConfig) -> Any:
    """A before-request hook: the session's user (active accounts only) on ``request.state``."""

    async def before_request(request: Request[Any, Any, Any]) -> None:
        request.state.user = None
        request.state.visitor = None
        await refuse_nul_characters(request)  # the app's hook, which this router's own hook replaces
        raw = request.session.get(USER_KEY)
        if not isinstance(raw, str):
            return
        try:
            user_id = UUID(raw)
        except ValueError:
            request.clear_session()
            return
        session = database.provide_session(request.app.state, request.scope)
        user = await session.get(User, user_id)
        if user is None or not user.is_active:
            request.clear_session()
            return
        request.state.user = user
        request.state.visitor = Visitor(user.id, user.email, user.role, user.display_name)

    return before_request


def sign_in(request: Request[Any, Any, Any], user: User) -> None:
    """A new session for ``user`` (the whole cookie is replaced, so nothing of a former session survives)."""
    request.set_session({USER_KEY: str(user.id)})


def signed_in(request: Request[Any, Any, Any]) -> User:
    user: User | None = request.state.get("user")
    if user is None:
        raise SignInRequired
    return user


def signed_in_as(request: Request[Any, Any, Any], role: str) -> User:
    """The signed-in user when it has ``role``; organisers reach only their own pages."""
    user = signed_in(request)
    if user.role != role:
        raise WrongRole(role)
    return user


async def undo(request: Request[Any, Any, Any], session: AsyncSession) -> None:
    """Roll back a change a service refused, so the page can answer with the form; a rollback expires every loaded
    object, so the signed-in user is read again (pages then load anything else by its id)."""
    await session.rollback()
    user = request.state.get("user")
    if user is not None:
        await session.refresh(user)


def flash(request: Request[Any, Any, Any], key: str, **values: Any) -> None:
    """A message for the next page (after a redirect): a key of the catalogue and the values it names."""
    request.session["flash"] = {"key": key, "values": values}
