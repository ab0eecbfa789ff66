"""Account administration outside the web API: creating organisers."""

from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.accounts.schemas import Password
from ocopfair.accounts.services import UserService
from ocopfair.errors import Conflict
from ocopfair.payloads import Email


class _OrganiserInput(msgspec.Struct):
    email: Email
    password: Password


async def create_organiser(engine: AsyncEngine, email: str, password: str, display_name: str) -> UUID:
    """Create an organiser; ValueError when the email is malformed, the password too short, or the email taken."""
    try:
        checked = msgspec.convert({"email": email, "password": password}, _OrganiserInput)
    except msgspec.ValidationError as exc:
        raise ValueError(str(exc)) from exc
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        try:
            user = await UserService(session=session).register(
                checked.email, checked.password, "organiser", display_name
            )
        except Conflict as exc:
            raise ValueError(exc.detail) from exc
        return user.id
