"""Accounts: registration, sign-in and organiser creation."""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from ocopfair.accounts.models import User
from ocopfair.accounts.passwords import hash_password, verify_password
from ocopfair.errors import Conflict


def normalise_email(email: str) -> str:
    """Emails are compared without surrounding blanks and case."""
    return email.strip().lower()


class UserService(SQLAlchemyAsyncRepositoryService[User]):
    """Users, looked up by normalised email."""

    class Repository(SQLAlchemyAsyncRepository[User]):
        model_type = User

    repository_type = Repository

    async def register(self, email: str, password: str, role: str, display_name: str) -> User:
        normalised = normalise_email(email)
        if await self.exists(email=normalised):
            raise Conflict(f"an account with email {normalised} already exists")
        user = User(email=normalised, password_hash=hash_password(password), role=role, display_name=display_name)
        return await self.create(user)

    async def authenticate(self, email: str, password: str) -> User | None:
        user = await self.get_one_or_none(email=normalise_email(email))
        if not verify_password(user.password_hash if user else None, password) or user is None or not user.is_active:
            return None
        return user
