"""A match read answered in one database round trip, or none, when this worker already holds the answer.

An ordinary authenticated read costs seven round trips to PostgreSQL (the pool's ping, BEGIN, the account, the demand,
its buyer, the versions, COMMIT), and on a fair's morning most match reads ask again for an answer a worker already
computed. So the match read first asks a single question on a connection of its own (no ping, no transaction): the
versions of everything the answer depends on, the demand's owner and the reader's role if the account is active.
When the reader may see the demand and the answer kept under that version is at hand, it is the answer; every other
case (no such demand, not the reader's, an inactive account, an answer not kept, the database not answering) goes the
ordinary way, which says why.

On PostgreSQL the answer to that question is itself kept, for the reader, the demand and the page size, until the
worker's change feed (change_feed.py) hears of any committed change to what it was read from: the same answer to the
same account then costs no query, only the feed's check that it has heard every change committed before the read
began (one round trip on its own connection, shared by all the reads waiting at the time). It is kept only while
the feed is listening and only when the feed heard nothing while the question was asked; the feed losing its
connection forgets them all.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from uuid import UUID

import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from ocopfair.access import role_may_manage
from ocopfair.change_feed import ChangeFeed
from ocopfair.matches.answer_versions import version_and_reader, version_of
from ocopfair.matches.answers import KEPT_ANSWERS, MatchAnswers
from ocopfair.matches.schemas import MatchesRead
from ocopfair.matches.services import today

log = structlog.get_logger(__name__)


ConfirmedKey = tuple[UUID, int, UUID]


class QuickReads:
    """Kept answers served after one version-and-permission query on ``engine``, or with none while ``feed`` says
    that nothing changed since the last one (``engine`` is disposed by ``close`` when it is the quick reads' own)."""

    def __init__(
        self, engine: AsyncEngine, answers: MatchAnswers, feed: ChangeFeed | None, *, owns_engine: bool
    ) -> None:
        self.engine = engine
        self.answers = answers
        self.feed = feed
        self.owns_engine = owns_engine
        self._confirmed: OrderedDict[ConfirmedKey, tuple[dt.date, MatchesRead]] = OrderedDict()
        self._confirmed_generation: int | None = None

    async def close(self) -> None:
        if self.owns_engine:
            await self.engine.dispose()

    async def matches(self, demand_id: UUID, limit: int, reader: str) -> MatchesRead | None:
        """The kept answer for ``reader`` (a token's subject), or None when the ordinary read must answer."""
        try:
            reader_id = UUID(reader)
        except ValueError:
            return None
        key, on = (demand_id, limit, reader_id), today()
        if (confirmed := await self._still_confirmed(key, on)) is not None:
            return confirmed
        generation = self._generation()
        try:
            async with self.engine.connect() as connection:
                row, owner_id, role = await version_and_reader(connection, demand_id, reader_id)
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            log.info("quick_match_read_failed", demand_id=str(demand_id), error=repr(exc))
            return None
        if row is None or role is None or not role_may_manage(role, reader_id, owner_id):
            return None
        answer = self.answers.get((demand_id, limit), version_of(row, on))
        if answer is not None and generation is not None and generation == self._generation():
            self._confirm(generation, key, on, answer)
        return answer

    def _generation(self) -> int | None:
        """The feed's count while it listens, else None (nothing may be confirmed)."""
        return self.feed.generation if self.feed is not None and self.feed.listening else None

    def _confirmed_under(self, generation: int | None) -> OrderedDict[ConfirmedKey, tuple[dt.date, MatchesRead]]:
        """The answers confirmed under ``generation``: all forgotten once the feed's count has moved."""
        if generation != self._confirmed_generation:
            self._confirmed.clear()
            self._confirmed_generation = generation
        return self._confirmed

    async def _still_confirmed(self, key: ConfirmedKey, on: dt.date) -> MatchesRead | None:
        """The answer confirmed for ``key``, once the feed has heard every change committed before now."""
        if key not in self._confirmed or self.feed is None or not await self.feed.caught_up():
            return None
        confirmed = self._confirmed_under(self._generation())
        kept = confirmed.get(key)
        if kept is None or kept[0] != on:
            return None
        confirmed.move_to_end(key)
        return kept[1]

    def _confirm(self, generation: int, key: ConfirmedKey, on: dt.date, answer: MatchesRead) -> None:
        confirmed = self._confirmed_under(generation)
        confirmed[key] = (on, answer)
        while len(confirmed) > KEPT_ANSWERS:
            confirmed.popitem(last=False)
