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
from sqlalchemy.ext.asyncio import AsyncSession

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
# A route the JWT middleware skips (``exclude_from_auth``) although it needs a bearer token: its handler checks the
# token with ``bearer_token`` and looks the user up itself, in the one query it needs anyway (the match read).
CHECKS_ITS_OWN_TOKEN = "checks_its_own_token"


async def active_user(session: AsyncSession, token: Token) -> User | None:
    """The active account a token was issued to, or None."""
    try:
        user_id = UUID(token.sub)
    except ValueError:
        return None
    user = await session.get(User, user_id)
    return user if user is not None and user.is_active else None


def build_auth(secret_key: str, ttl_minutes: int, database: SQLAlchemyAsyncConfig) -> JWTAuth[User, Token]:
    """Bearer tokens whose subject is a user id; the user is loaded on every request so deactivation is immediate."""

    async def retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
        return await active_user(database.provide_session(connection.app.state, connection.scope), token)

    return JWTAuth[User, Token](
        retrieve_user_handler=retrieve_user,
        token_secret=secret_key,
        default_token_expiration=timedelta(minutes=ttl_minutes),
        exclude=PUBLIC_PATHS,
    )


def bearer_token(auth: JWTAuth[User, Token], connection: ASGIConnection[Any, Any, Any, Any]) -> Token:
    """The request's access token, read and verified as the JWT middleware does it (401 when missing or invalid),
    for a route marked ``CHECKS_ITS_OWN_TOKEN``; the handler must still find its user active."""
    header = connection.headers.get(auth.auth_header)
    if not header:
        raise NotAuthorizedException("No JWT token found in request header")
    return auth.token_cls.decode(
        encoded_token=header.partition(" ")[-1],
        secret=auth.token_secret,
        algorithm=auth.algorithm,
        audience=auth.accepted_audiences,
        issuer=auth.accepted_issuers,
        require_claims=auth.require_claims,
        verify_exp=auth.verify_expiry,
        verify_nbf=auth.verify_not_before,
        strict_audience=auth.strict_audience,
    )


def requires_organiser(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not isinstance(connection.user, User):
        raise NotAuthorizedException("sign in first")
    if connection.user.role != "organiser":
        raise PermissionDeniedException("only organisers may do this")
