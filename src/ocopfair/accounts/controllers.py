"""Registration, login and the signed-in user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from litestar.security.jwt import JWTAuth, Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.login_throttle import WRONG_PASSWORD, LoginLimits, client_address, sign_in
from ocopfair.accounts.models import User
from ocopfair.accounts.refresh_tokens import issue_refresh_token, revoke_refresh_token, rotate_refresh_token
from ocopfair.accounts.schemas import AccessToken, Login, RefreshTokenIn, Registration, UserRead
from ocopfair.accounts.services import UserService
from ocopfair.settings import Settings


async def provide_user_service(db_session: NamedDependency[AsyncSession]) -> UserService:
    return UserService(session=db_session)


def user_read(user: User) -> UserRead:
    return UserRead(id=user.id, email=user.email, role=user.role, display_name=user.display_name)  # type: ignore[arg-type]


def _token_pair(request: Request[Any, Any, Any], user: User, refresh_token: str) -> AccessToken:
    auth: JWTAuth[User, Token] = request.app.state.auth
    settings: Settings = request.app.state.settings
    return AccessToken(
        access_token=auth.create_token(identifier=str(user.id), token_extras={"role": user.role}),
        token_type="bearer",
        expires_in=settings.token_ttl_minutes * 60,
        refresh_token=refresh_token,
        role=user.role,  # type: ignore[arg-type]
        user_id=user.id,
    )


def _refresh_ttl(request: Request[Any, Any, Any]) -> dt.timedelta:
    settings: Settings = request.app.state.settings
    return dt.timedelta(days=settings.refresh_ttl_days)


class AuthController(Controller):
    path = "/api"
    tags = ["accounts"]
    dependencies = {"users": Provide(provide_user_service)}

    @post("/auth/register", status_code=201)
    async def register(self, data: JSONBody[Registration], users: NamedDependency[UserService]) -> UserRead:
        """Create a buyer or exhibitor account; organisers are created from the command line."""
        user = await users.register(data.email, data.password, data.role, data.display_name)
        return user_read(user)

    @post("/auth/login", status_code=200)
    async def login(
        self, data: JSONBody[Login], users: NamedDependency[UserService], request: Request[Any, Any, Any]
    ) -> AccessToken:
        """Exchange email and password for a short-lived bearer token and a refresh token. Failed attempts are
        limited per account and per client address (429 with Retry-After once used up)."""
        limits = LoginLimits.of(request.app.state.settings)
        user = await sign_in(users, data.email, data.password, client_address(request), limits)
        if user is None:
            raise NotAuthorizedException(WRONG_PASSWORD)
        refresh_token = await issue_refresh_token(users.repository.session, user, _refresh_ttl(request))
        return _token_pair(request, user, refresh_token)

    @post("/auth/refresh", status_code=200)
    async def refresh(
        self, data: JSONBody[RefreshTokenIn], users: NamedDependency[UserService], request: Request[Any, Any, Any]
    ) -> AccessToken:
        """Exchange a refresh token for a new bearer token and a new refresh token; the one sent is used up, and
        sending a used one again revokes the sign-in it came from."""
        user, refresh_token = await rotate_refresh_token(
            users.repository.session, data.refresh_token, _refresh_ttl(request)
        )
        return _token_pair(request, user, refresh_token)

    @post("/auth/logout", status_code=204)
    async def logout(self, data: JSONBody[RefreshTokenIn], users: NamedDependency[UserService]) -> None:
        """Revoke a refresh token; the bearer tokens already issued expire on their own within minutes."""
        await revoke_refresh_token(users.repository.session, data.refresh_token)

    @get("/me")
    async def me(self, request: Request[User, Token, Any]) -> UserRead:
        """The signed-in user."""
        return user_read(request.user)
