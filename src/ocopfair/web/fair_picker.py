"""Which fair a page is about: the one the visitor chose, else the next fair that is not closed, else the latest."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.fairs.models import Fair


async def fairs_by_date(session: AsyncSession) -> list[Fair]:
    """Every fair, latest first."""
    return list(await session.scalars(select(Fair).order_by(Fair.starts_on.desc(), Fair.name)))


def current_fair(fairs: list[Fair], chosen: UUID | None = None) -> Fair | None:
    picked = next((fair for fair in fairs if fair.id == chosen), None)
    if picked is not None:
        return picked
    upcoming = sorted((fair for fair in fairs if fair.status != "closed"), key=lambda fair: fair.starts_on)
    return upcoming[0] if upcoming else (fairs[0] if fairs else None)
