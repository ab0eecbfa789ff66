"""Who owns a new exhibitor or buyer profile: the account creating it, or the account an organiser names."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import is_organiser
from ocopfair.accounts.models import User
from ocopfair.errors import Conflict, Forbidden, Unprocessable


async def owner_for_new_profile(
    session: AsyncSession, user: User, requested: UUID | None, *, role: str, profile: Any
) -> UUID | None:
    """An account of ``role`` owns the one profile it creates; organisers may create unowned profiles or hand one
    to an account of that role that has none yet."""
    if user.role == role:
        if requested not in (None, user.id):
            raise Forbidden(f"a {role} account can only create its own profile")
        owner_id: UUID | None = user.id
    elif is_organiser(user):
        owner_id = requested
        if owner_id is not None:
            owner = await session.get(User, owner_id)
            if owner is None or owner.role != role:
                raise Unprocessable(f"owner_user_id {owner_id} is not a {role} account")
    else:
        raise Forbidden(f"only {role} accounts and organisers can register a {role} profile")
    if owner_id is not None and await session.scalar(select(exists().where(profile.owner_id == owner_id))):
        raise Conflict(f"this account already has a {role} profile")
    return owner_id
