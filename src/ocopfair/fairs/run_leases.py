"""One expensive run at a time per fair: a booth allocation, a matching run or a meeting schedule.

Two organisers (or one double click) starting the same run for the same fair would solve twice and race to replace
each other's result, and a busy fair's opening morning is the worst time to spend the CPU twice. The lease is a row
in the database, so every web worker sees it: taken by one atomic upsert that succeeds only when the fair has no
unexpired lease of that kind, given back when the run's result is committed or thrown away. A process killed mid-run
cannot give it back; its lease expires after ``RUN_LEASE``, longer than any run's solver limit (120 s) with its
loading and storing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal
from uuid import UUID, uuid4

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from ocopfair.errors import Conflict
from ocopfair.separate_transactions import own_transaction

RunKind = Literal["allocation", "matching", "schedule"]
RUN_LEASE = dt.timedelta(minutes=10)
_RUN_NAMES: dict[str, str] = {
    "allocation": "booth allocation",
    "matching": "matching run",
    "schedule": "meeting schedule",
}


class RunLease(UUIDBase):
    """A fair's run of one kind in progress, held by ``holder`` until ``expires_at``."""

    __tablename__ = "run_lease"

    fair_id: Mapped[UUID] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    holder: Mapped[UUID]
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))

    __table_args__ = (
        CheckConstraint("kind IN ('allocation', 'matching', 'schedule')", name="run_lease_kind"),
        UniqueConstraint("fair_id", "kind", name="uq_run_lease_fair_kind"),
    )


async def _take(session: AsyncSession, fair_id: UUID, kind: RunKind, holder: UUID, now: dt.datetime) -> bool:
    """Insert the lease, or take over an expired one; False when a live lease is held by someone else."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    lease = insert(RunLease).values(id=uuid4(), fair_id=fair_id, kind=kind, holder=holder, expires_at=now + RUN_LEASE)
    statement = lease.on_conflict_do_update(
        index_elements=["fair_id", "kind"],
        set_={"holder": lease.excluded.holder, "expires_at": lease.excluded.expires_at},
        where=RunLease.expires_at <= now,
    ).returning(RunLease.holder)
    return (await session.execute(statement)).scalar_one_or_none() == holder


@asynccontextmanager
async def exclusive_run(session: AsyncSession, fair_id: UUID, kind: RunKind) -> AsyncIterator[None]:
    """Run the block as the fair's only ``kind`` run, committing ``session`` when it succeeds and rolling it back
    when it fails, before the lease is given back; a second run meanwhile is refused with 409."""
    holder = uuid4()
    async with own_transaction(session) as lease:
        taken = await _take(lease, fair_id, kind, holder, dt.datetime.now(dt.UTC))
    if not taken:
        raise Conflict(f"a {_RUN_NAMES[kind]} for this fair is already running: try again when it has finished")
    try:
        yield
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    finally:
        async with own_transaction(session) as lease:
            await lease.execute(
                delete(RunLease).where(RunLease.fair_id == fair_id, RunLease.kind == kind, RunLease.holder == holder)
            )
