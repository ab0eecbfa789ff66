"""JWT bearer authentication and role guards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.security.jwt import JWTAuth, Token

from ocopfair.accounts.models import User

# The web pages (ocopfair.web, all outside /api) sign in with their own cookie session instead.
PUBLIC_PATHS = [
    "^/health$",
    "^/ready$",
    "^/schema",
    "^/api/auth/(login|refresh|logout)$",
    "^/api/auth/register$",
    "^/api/reference/",
    "^/api/unsubscribe/",
    "^/$",
    "^/(fairs|products|sign-in|register|sign-out|language|buyer|exhibitor|organiser|static)(/|$)",
]


def build_auth(secret_key: str, ttl_minutes: int, database: SQLAlchemyAsyncConfig) -> JWTAuth[User, Token]:
    """Bearer tokens whose subject is a user id; the user is loaded on every request so deactivation is immediate."""

    async def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
        try:
            user_id = UUID(token.sub)
        except ValueError:
            return None
        session = database.provide_session(connection.app.state, connection.scope)
        user = await session.get(User, user_id)
        return user if user is not None and user.is_active else None

    return JWTAuth[User, Token](
        retrieve_user_handler=retrieve_user,
        token_secret=secret_key,
        default_token_expiration=timedelta(minutes=ttl_minutes),
        exclude=PUBLIC_PATHS,
    )


def requires_organiser(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not isinstance(connection.user, User):
        raise NotAuthorizedException("sign in first")
    if connection.user.role != "organiser":
        raise PermissionDeniedException("only organisers may do this")
