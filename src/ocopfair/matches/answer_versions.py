"""The one query that says whether a kept match answer still holds, and the variant a match read asks first.

A match answer depends on the catalogue (product and exhibitor counts and last edits), the demand, its buyer, its
fair's weights and the fair's booth assignments (count and last edit); with the day, these make its version. Both
statements are built once, with the demand (and the account) as bound parameters, so each read costs one prepared
statement on the database and no SQL compilation here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ocopfair.accounts.models import User
from ocopfair.allocation.models import BoothAssignment
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.fairs.models import Fair
from ocopfair.matches.answers import AnswerVersion
from ocopfair.matches.catalogue_source import catalogue_version_columns


def _version_columns() -> list[Any]:
    booths = BoothAssignment.fair_id == Demand.fair_id
    return [
        *catalogue_version_columns(),
        Demand.updated_at,
        Buyer.updated_at,
        select(Fair.updated_at).where(Fair.id == Demand.fair_id).scalar_subquery(),
        select(func.count(BoothAssignment.id)).where(booths).scalar_subquery(),
        select(func.max(BoothAssignment.updated_at)).where(booths).scalar_subquery(),
    ]


def _of_demand(*columns: Any) -> Select[Any]:
    return (
        select(*columns).join_from(Demand, Buyer, Buyer.id == Demand.buyer_id).where(Demand.id == bindparam("demand"))
    )


VERSION_WIDTH = len(_version_columns())
ANSWER_VERSION = _of_demand(*_version_columns())
# The version, the demand's owner, and the role of the account reading it when that account is active (else NULL).
VERSION_AND_READER = _of_demand(
    *_version_columns(),
    Buyer.owner_id,
    select(User.role).where(User.id == bindparam("reader"), User.is_active.is_(True)).scalar_subquery(),
)


def version_of(row: Row[Any], on: dt.date) -> AnswerVersion:
    return (*row[:VERSION_WIDTH], on)


async def answer_version(session: AsyncSession, demand_id: UUID, on: dt.date) -> AnswerVersion:
    """The version of the demand's match answer on ``on`` (the demand exists: the caller has loaded it)."""
    return version_of((await session.execute(ANSWER_VERSION, {"demand": demand_id})).one(), on)


async def version_and_reader(
    connection: AsyncConnection, demand_id: UUID, reader_id: UUID
) -> tuple[Row[Any] | None, UUID | None, str | None]:
    """The demand's version row, its owner and the reader's role (None when the reader is not an active account);
    the row is None when there is no such demand."""
    row = (await connection.execute(VERSION_AND_READER, {"demand": demand_id, "reader": reader_id})).first()
    if row is None:
        return None, None, None
    return row, row[VERSION_WIDTH], row[VERSION_WIDTH + 1]
