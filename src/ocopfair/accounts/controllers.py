"""Registration, login and the signed-in user."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from litestar.security.jwt import JWTAuth, Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.models import User
from ocopfair.accounts.schemas import AccessToken, Login, Registration, UserRead
from ocopfair.accounts.services import UserService


async def provide_user_service(db_session: NamedDependency[AsyncSession]) -> UserService:
    return UserService(session=db_session)


def user_read(user: User) -> UserRead:
    return UserRead(id=user.id, email=user.email, role=user.role, display_name=user.display_name)  # type: ignore[arg-type]


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
        """Exchange email and password for a bearer token."""
        user = await users.authenticate(data.email, data.password)
        if user is None:
            raise NotAuthorizedException("wrong email or password")
        auth: JWTAuth[User, Token] = request.app.state.auth
        token = auth.create_token(identifier=str(user.id), token_extras={"role": user.role})
        return AccessToken(access_token=token, token_type="bearer", role=user.role, user_id=user.id)  # type: ignore[arg-type]

    @get("/me")
    async def me(self, request: Request[User, Token, Any]) -> UserRead:
        """The signed-in user."""
        return user_read(request.user)
