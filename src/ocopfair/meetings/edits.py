"""Scheduled meetings: listing them for each party, and moving or cancelling one by hand.

A move is checked against the scheduler's hard rules — the slot exists, both participants can attend and are free,
their daily caps hold, a table is free — and the database's unique indexes settle any race with another edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.buyers.models import Buyer
from ocopfair.errors import Conflict, Forbidden, NotFound, Unprocessable
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.models import Booth, Fair, Hall
from ocopfair.meetings.models import Meeting, MeetingAvailability, MeetingRequest
from ocopfair.meetings.schemas import MeetingChange, MeetingRead
from ocopfair.meetings.services import Viewer, confirmed_booths
from ocopfair.meetings.slots import FairSlot, SlotIndex, fair_slots, utc_key
from ocopfair.meetings.tables import Seating


def meeting_rows() -> Select[Any]:
    """Meetings with the names a reader needs: buyer, exhibitor, booth, hall, and the fair's time zone."""
    return (
        select(Meeting, Buyer.organisation, Exhibitor.name, Booth.code, Hall.code, Hall.name, Fair.timezone)
        .join(Buyer, Buyer.id == Meeting.buyer_id)
        .join(Exhibitor, Exhibitor.id == Meeting.exhibitor_id)
        .join(Fair, Fair.id == Meeting.fair_id)
        .outerjoin(Booth, Booth.id == Meeting.booth_id)
        .outerjoin(Hall, Hall.id == Booth.hall_id)
    )


def local_day_bounds(day: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants that bound a calendar day in the fair's time zone."""
    start = dt.datetime.combine(day, dt.time(), ZoneInfo(timezone))
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def meeting_read(row: Any) -> MeetingRead:
    meeting, buyer_name, exhibitor_name, booth_code, hall_code, _hall_name, timezone = row
    zone = ZoneInfo(timezone)
    return MeetingRead(
        id=meeting.id,
        fair_id=meeting.fair_id,
        request_id=meeting.request_id,
        buyer_id=meeting.buyer_id,
        buyer_name=buyer_name,
        exhibitor_id=meeting.exhibitor_id,
        exhibitor_name=exhibitor_name,
        booth_code=booth_code,
        hall_code=hall_code,
        table_no=meeting.table_no,
        slot=meeting.slot,
        starts_at=meeting.starts_at.astimezone(zone),
        ends_at=meeting.ends_at.astimezone(zone),
        kind=meeting.kind,
        score=meeting.score,
        status=meeting.status,
    )


class MeetingService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def listed(
        self,
        fair: Fair,
        viewer: Viewer,
        *,
        buyer_id: UUID | None,
        exhibitor_id: UUID | None,
        day: dt.date | None,
        limit: int,
        offset: int,
    ) -> tuple[list[MeetingRead], int]:
        """The fair's meetings in time order; a party sees only those it takes part in."""
        query = meeting_rows().where(Meeting.fair_id == fair.id)
        if not viewer.organiser:
            query = query.where(
                or_(Meeting.buyer_id.in_(viewer.buyer_ids), Meeting.exhibitor_id.in_(viewer.exhibitor_ids))
            )
        if buyer_id is not None:
            query = query.where(Meeting.buyer_id == buyer_id)
        if exhibitor_id is not None:
            query = query.where(Meeting.exhibitor_id == exhibitor_id)
        if day is not None:
            start, end = local_day_bounds(day, fair.timezone)
            query = query.where(Meeting.starts_at >= start, Meeting.starts_at < end)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = await self.session.execute(
            query.order_by(Meeting.starts_at, Booth.code, Meeting.table_no, Meeting.id).limit(limit).offset(offset)
        )
        return [meeting_read(row) for row in rows.all()], total

    async def read(self, meeting_id: UUID) -> MeetingRead:
        row = (await self.session.execute(meeting_rows().where(Meeting.id == meeting_id))).one()
        return meeting_read(row)

    async def get_visible(self, meeting_id: UUID, viewer: Viewer) -> Meeting:
        meeting = await self.session.get(Meeting, meeting_id)
        if meeting is None or not viewer.is_party(meeting.buyer_id, meeting.exhibitor_id):
            raise NotFound(f"meeting {meeting_id} not found")
        return meeting

    async def change(self, meeting: Meeting, data: MeetingChange, viewer: Viewer) -> Meeting:
        """Cancel (either party or an organiser; its request is cancelled too) or move (organisers)."""
        if data.starts_at is None:
            if meeting.status != "cancelled":
                meeting.status = "cancelled"
                meeting.sequence += 1
                if meeting.request_id is not None:
                    await self.session.execute(
                        update(MeetingRequest)
                        .where(MeetingRequest.id == meeting.request_id, MeetingRequest.status == "accepted")
                        .values(status="cancelled")
                    )
            await self.session.flush()
            return meeting
        if not viewer.organiser:
            raise Forbidden("only organisers may move a meeting; ask them, or cancel it")
        if meeting.status == "cancelled":
            raise Conflict("a cancelled meeting cannot be moved")
        fair = await self.session.get_one(Fair, meeting.fair_id)
        slot = SlotIndex(fair_slots(fair)).at(data.starts_at)
        if slot is None:
            raise Unprocessable(f"no meeting slot of this fair starts at {data.starts_at.isoformat()}; see its slots")
        if slot.starts_at == meeting.starts_at:
            return meeting
        await self._check_participants(fair, meeting, slot)
        seat = await self._seat(fair, meeting, slot)
        meeting.booth_id, meeting.table_no = seat
        meeting.slot, meeting.starts_at, meeting.ends_at = slot.index, slot.starts_at, slot.ends_at
        meeting.sequence += 1
        await self.session.flush()
        return meeting

    async def _others(self, fair: Fair, meeting: Meeting, *conditions: Any) -> Sequence[Meeting]:
        return (
            await self.session.scalars(
                select(Meeting).where(
                    Meeting.fair_id == fair.id, Meeting.status == "scheduled", Meeting.id != meeting.id, *conditions
                )
            )
        ).all()

    async def _check_participants(self, fair: Fair, meeting: Meeting, slot: FairSlot) -> None:
        availability = await self.session.scalars(
            select(MeetingAvailability).where(
                MeetingAvailability.fair_id == fair.id,
                or_(
                    MeetingAvailability.buyer_id == meeting.buyer_id,
                    MeetingAvailability.exhibitor_id == meeting.exhibitor_id,
                ),
            )
        )
        rules = {"buyer" if row.buyer_id else "exhibitor": row for row in availability}
        start, end = local_day_bounds(slot.day, fair.timezone)
        for who, column, participant_id in (
            ("buyer", Meeting.buyer_id, meeting.buyer_id),
            ("exhibitor", Meeting.exhibitor_id, meeting.exhibitor_id),
        ):
            rule = rules.get(who)
            if rule is not None and utc_key(slot.starts_at) in rule.unavailable:
                raise Conflict(f"the {who} cannot attend at {slot.starts_at.isoformat()}")
            same_day = await self._others(
                fair, meeting, column == participant_id, Meeting.starts_at >= start, Meeting.starts_at < end
            )
            if any(m.starts_at == slot.starts_at for m in same_day):
                raise Conflict(f"the {who} already has a meeting at {slot.starts_at.isoformat()}")
            if rule is not None and rule.max_per_day is not None and len(same_day) >= rule.max_per_day:
                raise Conflict(f"the {who} already has {len(same_day)} meetings that day, the most they take")

    async def _seat(self, fair: Fair, meeting: Meeting, slot: FairSlot) -> tuple[UUID | None, int]:
        seating = Seating(fair.meeting_tables_per_booth, fair.shared_meeting_tables)
        for other in await self._others(fair, meeting, Meeting.starts_at == slot.starts_at):
            seating.take(other.booth_id, other.table_no, slot.starts_at)
        booth_id = (await confirmed_booths(self.session, fair.id, [meeting.exhibitor_id])).get(meeting.exhibitor_id)
        seat = seating.seat(booth_id, slot.starts_at)
        if seat is None:
            why = "its booth's tables" if booth_id else "the exhibitor has no confirmed booth,"
            raise Conflict(f"no table is free at {slot.starts_at.isoformat()}: {why} and the shared tables are taken")
        return seat
