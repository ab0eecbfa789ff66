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
    return is_organiser(user) or (owner_id is not None and owner_id == user.id)


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
