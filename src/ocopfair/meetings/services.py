"""Meeting requests and participants' availability: who may ask, answer or cancel, and when requests expire.

A buyer's account (or an organiser) asks; the exhibitor's account (or an organiser) accepts or declines; the buyer
cancels. Requests still pending at the fair's deadline become expired whenever they are listed or answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import is_organiser
from ocopfair.accounts.models import User
from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.allocation.services import LIVE_STATUSES
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.errors import Conflict, Forbidden, NotFound, Unprocessable
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.models import Booth, Fair
from ocopfair.meetings.models import Meeting, MeetingAvailability, MeetingRequest
from ocopfair.meetings.schemas import AvailabilityIn, AvailabilityRead, MeetingRequestCreate, MeetingRequestRead
from ocopfair.meetings.slots import SlotIndex, fair_slots, utc_key

Participant = Literal["buyer", "exhibitor"]
LIVE_REQUESTS = ("pending", "accepted")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: an organiser (sees everything), or the buyer and exhibitor profiles the account owns."""

    organiser: bool
    buyer_ids: frozenset[UUID]
    exhibitor_ids: frozenset[UUID]

    def is_party(self, buyer_id: UUID, exhibitor_id: UUID) -> bool:
        return self.organiser or buyer_id in self.buyer_ids or exhibitor_id in self.exhibitor_ids


async def viewer_of(session: AsyncSession, user: User) -> Viewer:
    if is_organiser(user):
        return Viewer(True, frozenset(), frozenset())
    buyers = await session.scalars(select(Buyer.id).where(Buyer.owner_id == user.id))
    exhibitors = await session.scalars(select(Exhibitor.id).where(Exhibitor.owner_id == user.id))
    return Viewer(False, frozenset(buyers), frozenset(exhibitors))


async def confirmed_booths(
    session: AsyncSession, fair_id: UUID, exhibitor_ids: Sequence[UUID] | None = None
) -> dict[UUID, UUID]:
    """Each exhibitor's meeting booth at the fair: its first confirmed booth by code."""
    query = (
        select(BoothAssignment.exhibitor_id, BoothAssignment.booth_id)
        .join(Booth, Booth.id == BoothAssignment.booth_id)
        .where(BoothAssignment.fair_id == fair_id, BoothAssignment.status == "confirmed")
        .order_by(Booth.code.desc())
    )
    if exhibitor_ids is not None:
        query = query.where(BoothAssignment.exhibitor_id.in_(exhibitor_ids))
    return dict((await session.execute(query)).tuples().all())


def _deadline_passed(fair: Fair, at: dt.datetime) -> bool:
    return fair.meeting_request_deadline is not None and at > fair.meeting_request_deadline


class MeetingRequestService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def expire_due(self, fair: Fair, at: dt.datetime) -> None:
        """Pending requests of a fair whose deadline has passed become expired."""
        if _deadline_passed(fair, at):
            await self.session.execute(
                update(MeetingRequest)
                .where(MeetingRequest.fair_id == fair.id, MeetingRequest.status == "pending")
                .values(status="expired")
            )

    async def create(self, fair: Fair, data: MeetingRequestCreate, viewer: Viewer, at: dt.datetime) -> MeetingRequest:
        buyer = await self.session.get(Buyer, data.buyer_id)
        if buyer is None or not (viewer.organiser or buyer.id in viewer.buyer_ids):
            raise NotFound(f"buyer {data.buyer_id} not found")
        if fair.status == "closed":
            raise Conflict("the fair is closed: it takes no more meeting requests")
        if _deadline_passed(fair, at):
            raise Conflict("the fair's deadline for meeting requests has passed")
        if await self.session.get(Exhibitor, data.exhibitor_id) is None:
            raise Unprocessable(f"exhibitor {data.exhibitor_id} does not exist")
        if not await self._exhibits(fair.id, data.exhibitor_id):
            raise Unprocessable("this exhibitor neither holds a booth nor has a live booth application at the fair")
        if data.demand_id is not None:
            demand = await self.session.get(Demand, data.demand_id)
            if demand is None or demand.buyer_id != buyer.id or demand.fair_id not in (None, fair.id):
                raise Unprocessable(f"demand {data.demand_id} is not a demand of this buyer for this fair")
        live = await self.session.scalar(
            select(func.count()).where(
                MeetingRequest.fair_id == fair.id,
                MeetingRequest.buyer_id == buyer.id,
                MeetingRequest.exhibitor_id == data.exhibitor_id,
                MeetingRequest.status.in_(LIVE_REQUESTS),
            )
        )
        if live:
            raise Conflict("this buyer already has a pending or accepted request to meet this exhibitor at the fair")
        request = MeetingRequest(
            fair_id=fair.id,
            buyer_id=buyer.id,
            exhibitor_id=data.exhibitor_id,
            demand_id=data.demand_id,
            priority=data.priority,
            message=data.message,
            status="pending",
        )
        self.session.add(request)
        await self.session.flush()
        return request

    async def _exhibits(self, fair_id: UUID, exhibitor_id: UUID) -> bool:
        booths = select(BoothAssignment.id).where(
            BoothAssignment.fair_id == fair_id, BoothAssignment.exhibitor_id == exhibitor_id
        )
        applications = select(BoothApplication.id).where(
            BoothApplication.fair_id == fair_id,
            BoothApplication.exhibitor_id == exhibitor_id,
            BoothApplication.status.in_(LIVE_STATUSES),
        )
        return bool(await self.session.scalar(select(booths.exists() | applications.exists())))

    async def get_visible(self, request_id: UUID, viewer: Viewer) -> MeetingRequest:
        request = await self.session.get(MeetingRequest, request_id)
        if request is None or not viewer.is_party(request.buyer_id, request.exhibitor_id):
            raise NotFound(f"meeting request {request_id} not found")
        return request

    async def answer(self, request: MeetingRequest, status: str, viewer: Viewer, at: dt.datetime) -> MeetingRequest:
        """Accept or decline (the exhibitor's side) or cancel (the buyer's side); cancelling also cancels the
        meeting scheduled for it."""
        if status == "cancelled":
            if not (viewer.organiser or request.buyer_id in viewer.buyer_ids):
                raise Forbidden("only the buyer or an organiser may cancel a meeting request")
        elif not (viewer.organiser or request.exhibitor_id in viewer.exhibitor_ids):
            raise Forbidden("only the exhibitor or an organiser may accept or decline a meeting request")
        fair = await self.session.get_one(Fair, request.fair_id)
        if request.status == "pending" and _deadline_passed(fair, at):
            request.status = "expired"
        allowed = LIVE_REQUESTS if status == "cancelled" else ("pending",)
        if request.status not in allowed:
            raise Conflict(f"the request is {request.status}; it can no longer be {status}")
        request.status = status
        request.answered_at = at
        if status == "cancelled":
            await cancel_meetings_of(self.session, request.id)
        await self.session.flush()
        return request

    async def listed(
        self, fair: Fair, viewer: Viewer, status: str | None, limit: int, offset: int
    ) -> tuple[list[MeetingRequest], int]:
        query = select(MeetingRequest).where(MeetingRequest.fair_id == fair.id)
        if not viewer.organiser:
            query = query.where(
                or_(
                    MeetingRequest.buyer_id.in_(viewer.buyer_ids),
                    MeetingRequest.exhibitor_id.in_(viewer.exhibitor_ids),
                )
            )
        if status:
            query = query.where(MeetingRequest.status == status)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = await self.session.scalars(
            query.order_by(MeetingRequest.created_at, MeetingRequest.id).limit(limit).offset(offset)
        )
        return list(items), total

    async def reads(self, requests: Sequence[MeetingRequest]) -> list[MeetingRequestRead]:
        buyers = dict(
            (
                await self.session.execute(
                    select(Buyer.id, Buyer.organisation).where(Buyer.id.in_({r.buyer_id for r in requests}))
                )
            )
            .tuples()
            .all()
        )
        exhibitors = dict(
            (
                await self.session.execute(
                    select(Exhibitor.id, Exhibitor.name).where(Exhibitor.id.in_({r.exhibitor_id for r in requests}))
                )
            )
            .tuples()
            .all()
        )
        return [
            MeetingRequestRead(
                id=r.id,
                fair_id=r.fair_id,
                buyer_id=r.buyer_id,
                buyer_name=buyers.get(r.buyer_id, ""),
                exhibitor_id=r.exhibitor_id,
                exhibitor_name=exhibitors.get(r.exhibitor_id, ""),
                demand_id=r.demand_id,
                priority=r.priority,  # type: ignore[arg-type]
                message=r.message,
                status=r.status,  # type: ignore[arg-type]
                answered_at=r.answered_at,
                created_at=r.created_at,
            )
            for r in requests
        ]


async def cancel_meetings_of(session: AsyncSession, request_id: UUID) -> None:
    """Cancel the scheduled meeting of a request; its calendar entry gets a new sequence."""
    await session.execute(
        update(Meeting)
        .where(Meeting.request_id == request_id, Meeting.status == "scheduled")
        .values(status="cancelled", sequence=Meeting.sequence + 1)
        .execution_options(synchronize_session="fetch")
    )


class AvailabilityService:
    """One row per participant and fair: the slots they cannot attend (by start time) and a daily cap."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _where(self, fair_id: UUID, participant: Participant, participant_id: UUID) -> list[ColumnElement[bool]]:
        column = MeetingAvailability.buyer_id if participant == "buyer" else MeetingAvailability.exhibitor_id
        return [MeetingAvailability.fair_id == fair_id, column == participant_id]

    async def get(self, fair: Fair, participant: Participant, participant_id: UUID) -> AvailabilityRead:
        row = await self.session.scalar(
            select(MeetingAvailability).where(*self._where(fair.id, participant, participant_id))
        )
        return availability_read(fair, participant, participant_id, row)

    async def put(
        self, fair: Fair, participant: Participant, participant_id: UUID, data: AvailabilityIn
    ) -> AvailabilityRead:
        """Replace the participant's availability; every time named must start one of the fair's slots."""
        slots = SlotIndex(fair_slots(fair))
        unknown = [moment.isoformat() for moment in data.unavailable if slots.at(moment) is None]
        if unknown:
            raise Unprocessable(f"no meeting slot of this fair starts at {', '.join(unknown)}; see its slots")
        row = await self.session.scalar(
            select(MeetingAvailability).where(*self._where(fair.id, participant, participant_id))
        )
        if row is None:
            row = MeetingAvailability(fair_id=fair.id, **{f"{participant}_id": participant_id})
            self.session.add(row)
        row.unavailable = [utc_key(moment) for moment in data.unavailable]
        row.max_per_day = data.max_per_day
        await self.session.flush()
        return availability_read(fair, participant, participant_id, row)


def availability_read(
    fair: Fair, participant: Participant, participant_id: UUID, row: MeetingAvailability | None
) -> AvailabilityRead:
    zone = ZoneInfo(fair.timezone)
    return AvailabilityRead(
        fair_id=fair.id,
        participant=participant,
        participant_id=participant_id,
        unavailable=[dt.datetime.fromisoformat(key).astimezone(zone) for key in (row.unavailable if row else [])],
        max_per_day=row.max_per_day if row else None,
    )
