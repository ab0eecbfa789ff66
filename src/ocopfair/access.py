"""Who may do what: organisers everything; other accounts only what they own."""

from __future__ import annotations

from uuid import UUID

from ocopfair.accounts.models import User
from ocopfair.errors import Forbidden, NotFound


def is_organiser(user: User) -> bool:
    return user.role == "organiser"


def require_organiser(user: User) -> None:
    if not is_organiser(user):
        raise Forbidden("only organisers may do this")


def may_manage(user: User, owner_id: UUID | None) -> bool:
    return role_may_manage(user.role, user.id, owner_id)


def role_may_manage(role: str, user_id: UUID, owner_id: UUID | None) -> bool:
    """``may_manage`` for an account known only by its role and id (read with the object, in one query)."""
    return role == "organiser" or (owner_id is not None and owner_id == user_id)


def require_owner(user: User, owner_id: UUID | None, what: str, *, private: bool) -> None:
    """Organisers pass; anyone else must own the object.

    A public catalogue object (an exhibitor, a product) answers 403 to others; a private one (a buyer, a demand)
    answers 404, so its existence is not revealed.
    """
    if may_manage(user, owner_id):
        return
    if private:
        raise NotFound(f"{what} not found")
    raise Forbidden(f"only the owner of this {what} or an organiser may change it")
