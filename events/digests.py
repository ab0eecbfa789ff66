"""The daily digest of a buyer at a fair: their best stored matches per open demand (booth, hall, score, reasons),
a consortium suggestion where no single supplier covers the volume, and their upcoming meetings with invites.

A digest is written to the outbox under ``digest:<fair>:<buyer>:<local date>`` in the transaction that decides it,
so a day gets one digest however often the job runs (``force`` adds a run id to the key to send another). A buyer
who unsubscribed or turned the digest off, has no address, has nothing to show, or whose digest would equal the last
one is skipped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from events.composer import Addressee, Composer
from events.content import (
    DemandSection,
    FairInfo,
    MatchLine,
    consortium_line,
    demand_title,
    invites,
    meeting_lines,
    province_name,
)
from events.fair_days import day_start, local_day
from events.outbox import NewMessage, enqueue, existing_keys, latest_fingerprints
from ocopfair.allocation.models import BoothAssignment
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.fairs.models import Booth, Fair, Hall
from ocopfair.matches.catalogue_source import CatalogueCache
from ocopfair.matches.models import DemandMatch
from ocopfair.matches.schemas import ConsortiumRead
from ocopfair.matches.services import MatchService
from ocopfair.meetings.agenda import Agenda
from ocopfair.meetings.edits import meeting_rows
from ocopfair.meetings.models import Meeting

TOP_MATCHES = 5
BUYERS_PER_CHUNK = 250


@dataclass
class DigestCounts:
    """What one digest run did, buyer by buyer."""

    queued: int = 0
    already_sent: int = 0
    nothing_new: int = 0
    unsubscribed: int = 0
    no_email: int = 0

    def add(self, other: DigestCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


async def fair_buyers(session: AsyncSession, fair: Fair) -> list[UUID]:
    """Buyers with an open demand for the fair or a meeting at it, in a stable order."""
    with_demands = select(Demand.buyer_id).where(Demand.fair_id == fair.id, Demand.status == "open")
    with_meetings = select(Meeting.buyer_id).where(Meeting.fair_id == fair.id, Meeting.status == "scheduled")
    ids = await session.scalars(select(union(with_demands, with_meetings).subquery().c[0]))
    return sorted(set(ids))


async def booth_places(session: AsyncSession, fair_id: UUID) -> dict[UUID, tuple[str, str]]:
    """Each exhibitor's first confirmed booth at the fair by code: (booth code, hall name)."""
    rows = await session.execute(
        select(BoothAssignment.exhibitor_id, Booth.code, Hall.name)
        .join(Booth, Booth.id == BoothAssignment.booth_id)
        .join(Hall, Hall.id == Booth.hall_id)
        .where(BoothAssignment.fair_id == fair_id, BoothAssignment.status == "confirmed")
        .order_by(Booth.code.desc())
    )
    return {exhibitor_id: (code, hall) for exhibitor_id, code, hall in rows.tuples()}


class DigestWriter:
    """Writes the digests of a fair's buyers to the outbox, a chunk of buyers per call. Rendering a chunk is a second
    of CPU; it hands the event loop back after each digest, so the relay running beside it (the scheduler runs both)
    goes on answering its SMTP server instead of stalling until the chunk is written."""

    def __init__(self, composer: Composer, catalogue: CatalogueCache) -> None:
        self.composer = composer
        self.catalogue = catalogue

    async def queue(
        self,
        session: AsyncSession,
        fair: Fair,
        buyer_ids: Sequence[UUID],
        at: dt.datetime,
        *,
        force: bool = False,
        run_id: UUID | None = None,
    ) -> DigestCounts:
        counts = DigestCounts()
        day = local_day(fair, at)
        buyers = list(await session.scalars(select(Buyer).where(Buyer.id.in_(buyer_ids)).order_by(Buyer.id)))
        keys = {buyer.id: f"digest:{fair.id}:{buyer.id}:{day.isoformat()}" for buyer in buyers}
        if force:
            keys = {buyer_id: f"{key}:{run_id or uuid4()}" for buyer_id, key in keys.items()}
        sent = set() if force else await existing_keys(session, keys.values())
        wanted = []
        for buyer in buyers:
            if not buyer.gets_daily_digest:
                counts.unsubscribed += 1
            elif not buyer.contact_email:
                counts.no_email += 1
            elif keys[buyer.id] in sent:
                counts.already_sent += 1
            else:
                wanted.append(buyer)
        if not wanted:
            return counts
        content = await _DigestContent.load(session, fair, [b.id for b in wanted], day)
        previous = await latest_fingerprints(session, fair.id, "digest", [b.id for b in wanted])
        news = []
        for buyer in wanted:
            mark = content.fingerprint(buyer.id)
            if mark is None or (not force and previous.get(buyer.id) == mark):
                counts.nothing_new += 1
            else:
                news.append((buyer, mark))
        consortia = await self._consortia(session, content, [buyer.id for buyer, _ in news])
        messages = []
        for buyer, mark in news:
            messages.append(self._message(fair, buyer, content, consortia, keys[buyer.id], mark, day, at))
            await asyncio.sleep(0)
        counts.queued = await enqueue(session, messages, at)
        counts.already_sent += len(messages) - counts.queued
        return counts

    async def _consortia(
        self, session: AsyncSession, content: _DigestContent, buyer_ids: list[UUID]
    ) -> dict[UUID, ConsortiumRead]:
        """Consortia of the buyers' demands whose best supplier cannot cover their volume, computed together."""
        large = [demand for buyer_id in buyer_ids for demand in content.demands[buyer_id] if content.too_large(demand)]
        return await MatchService(session, self.catalogue).consortia(large) if large else {}

    def _message(
        self,
        fair: Fair,
        buyer: Buyer,
        content: _DigestContent,
        consortia: dict[UUID, ConsortiumRead],
        key: str,
        mark: str,
        day: dt.date,
        at: dt.datetime,
    ) -> NewMessage:
        demands = content.demands[buyer.id]
        to = Addressee("buyer", buyer.id, buyer.organisation, buyer.contact_email or "", buyer.language)
        sections = [self._section(demand, content, consortia.get(demand.id), to.language) for demand in demands]
        agenda = Agenda("buyer", buyer.id, buyer.organisation, content.meetings[buyer.id])
        context = {
            "fair": FairInfo.of(fair),
            "recipient_name": buyer.organisation,
            "day": day,
            "sections": [section for section in sections if section.matches],
            "meetings": meeting_lines(agenda, to.language),
        }
        outbox_id = uuid4()
        letter = self.composer.compose(
            "digest", to, context, outbox_id=outbox_id, at=at, attachments=invites(agenda, to, self.composer.sender)
        )
        return NewMessage(outbox_id, key, "digest", fair.id, to, letter, mark)

    def _section(
        self, demand: Demand, content: _DigestContent, consortium: ConsortiumRead | None, language: str
    ) -> DemandSection:
        lines = []
        for match, product_name, exhibitor_id, exhibitor_name, province_code in content.matches[demand.id]:
            booth = content.booths.get(exhibitor_id)
            lines.append(
                MatchLine(
                    rank=match.rank,
                    product_name=product_name,
                    exhibitor_name=exhibitor_name,
                    province=province_name(province_code, language),
                    booth_code=booth[0] if booth else None,
                    hall_name=booth[1] if booth else None,
                    percent=round(match.score * 100),
                    reasons=list(match.reasons),
                )
            )
        suggestion = None
        if consortium is not None and len(consortium.members) > 1:
            booths = {str(exhibitor): place[0] for exhibitor, place in content.booths.items()}
            suggestion = consortium_line(consortium, booths, language)
        return DemandSection(demand_title(demand.text, demand.categories, language), lines, suggestion)


@dataclass
class _DigestContent:
    """Everything the digests of a chunk of buyers show, read in a few queries."""

    demands: dict[UUID, list[Demand]]
    matches: dict[UUID, list[Any]]
    meetings: dict[UUID, list[Any]]
    booths: dict[UUID, tuple[str, str]]

    def fingerprint(self, buyer_id: UUID) -> str | None:
        """What makes a buyer's digest new: the matched products per demand and the meetings (time and version);
        ``None`` when there is nothing to show."""
        matches = sorted(
            [str(demand.id), str(row[0].product_id)]
            for demand in self.demands[buyer_id]
            for row in self.matches[demand.id]
        )
        meetings = [[str(row[0].id), row[0].starts_at.isoformat(), row[0].sequence] for row in self.meetings[buyer_id]]
        if not matches and not meetings:
            return None
        content = json.dumps({"matches": matches, "meetings": meetings}, sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()

    def too_large(self, demand: Demand) -> bool:
        """Whether the demand states a volume that its best match cannot supply alone."""
        best = self.matches[demand.id][0][0] if self.matches[demand.id] else None
        volume = best.factors.get("volume") if best is not None else None
        return demand.quantity_amount is not None and bool(demand.quantity_unit) and volume is not None and volume < 1

    @classmethod
    async def load(cls, session: AsyncSession, fair: Fair, buyer_ids: list[UUID], day: dt.date) -> _DigestContent:
        demands: dict[UUID, list[Demand]] = defaultdict(list)
        rows = await session.scalars(
            select(Demand)
            .where(Demand.buyer_id.in_(buyer_ids), Demand.fair_id == fair.id, Demand.status == "open")
            .order_by(Demand.created_at, Demand.id)
        )
        for demand in rows:
            demands[demand.buyer_id].append(demand)
        demand_ids = [demand.id for items in demands.values() for demand in items]
        matches: dict[UUID, list[Any]] = defaultdict(list)
        match_rows = await session.execute(
            select(DemandMatch, Product.name, Exhibitor.id, Exhibitor.name, Exhibitor.province_code)
            .join(Product, Product.id == DemandMatch.product_id)
            .join(Exhibitor, Exhibitor.id == Product.exhibitor_id)
            .where(DemandMatch.demand_id.in_(demand_ids), DemandMatch.rank <= TOP_MATCHES)
            .order_by(DemandMatch.demand_id, DemandMatch.rank)
        )
        for row in match_rows:
            matches[row[0].demand_id].append(row)
        meetings: dict[UUID, list[Any]] = defaultdict(list)
        meeting_result = await session.execute(
            meeting_rows()
            .where(
                Meeting.fair_id == fair.id,
                Meeting.buyer_id.in_(buyer_ids),
                Meeting.status == "scheduled",
                Meeting.starts_at >= day_start(fair, day),
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
        for row in meeting_result:
            meetings[row[0].buyer_id].append(row)
        return cls(demands, matches, meetings, await booth_places(session, fair.id))
