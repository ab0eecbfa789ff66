"""A scheduling run: the fair's slots, accepted requests, availability and top matches into the meeting scheduler,
its schedule back as meetings at tables.

Accepted requests must be placed, at the exhibitor's confirmed booth (an exhibitor without one can only meet at the
fair's shared tables). Suggestions come from the stored matches of the fair's demands — per buyer, the best-scoring
exhibitors that have a confirmed booth and no request (of any outcome) or cancelled meeting with that buyer.
With ``keep_existing`` every scheduled meeting that still fits stays where it is. The run writes in the caller's
transaction: the meetings it does not keep are replaced all at once; one that comes back for the same request or
pair keeps its id, so calendars update the event rather than add one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from anyio import to_thread
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.meetings import (
    MeetingProblem,
    MeetingSchedule,
    MeetingSlot,
    buyer_key,
    exhibitor_key,
    schedule_meetings,
)
from matching.meetings import MeetingRequest as Wanted
from ocopfair.buyers.models import Demand
from ocopfair.errors import Unprocessable
from ocopfair.exhibitors.models import Product
from ocopfair.fairs.models import Fair
from ocopfair.matches.models import DemandMatch
from ocopfair.meetings.models import Meeting, MeetingAvailability, MeetingRequest
from ocopfair.meetings.schemas import ScheduleIn, ScheduleReport, UnplacedRequest
from ocopfair.meetings.services import confirmed_booths
from ocopfair.meetings.slots import FairSlot, SlotIndex, fair_slots
from ocopfair.meetings.tables import Seating

Pair = tuple[UUID, UUID]
NO_BOOTH = "the exhibitor has no confirmed booth at this fair, so they can only meet at a shared table"


@dataclass(slots=True)
class Board:
    """What the run hands to the scheduler, and how to turn its ids back into requests, pairs and meetings."""

    requests: list[Wanted] = field(default_factory=list)
    suggestions: list[Wanted] = field(default_factory=list)
    existing: dict[str, int] = field(default_factory=dict)
    kept: dict[str, Meeting] = field(default_factory=dict)
    adopted: dict[UUID, MeetingRequest] = field(default_factory=dict)
    request_of: dict[str, MeetingRequest] = field(default_factory=dict)


def _key(request_id: UUID | None, buyer_id: UUID, exhibitor_id: UUID) -> str:
    """The scheduler's id of a meeting: its request's, else its pair's."""
    return str(request_id) if request_id is not None else f"pair:{buyer_id}:{exhibitor_id}"


async def run_schedule(session: AsyncSession, fair: Fair, options: ScheduleIn) -> ScheduleReport:
    """Schedule and store, in the caller's transaction; nothing is written before the solver has answered, so a
    long solve holds no write lock."""
    slots = fair_slots(fair)
    if not slots:
        raise Unprocessable("the fair has no meeting slots: set its meeting_days, sessions and slot_minutes first")
    index = SlotIndex(slots)
    booths = await confirmed_booths(session, fair.id)
    unavailable, caps = await _availability(session, fair, index)
    scheduled = list(
        await session.scalars(select(Meeting).where(Meeting.fair_id == fair.id, Meeting.status == "scheduled"))
    )
    accepted = list(
        await session.scalars(
            select(MeetingRequest)
            .where(MeetingRequest.fair_id == fair.id, MeetingRequest.status == "accepted")
            .order_by(MeetingRequest.created_at, MeetingRequest.id)
        )
    )
    board = Board(request_of={str(r.id): r for r in accepted})
    if options.keep_existing:
        _keep(board, scheduled, index, unavailable, booths)
    for request in accepted:
        location = booths.get(request.exhibitor_id)
        board.requests.append(
            Wanted(
                str(request.id),
                str(request.buyer_id),
                str(request.exhibitor_id),
                _location(location),
                essential=request.priority == "must",
            )
        )
    for key, meeting in board.kept.items():
        if key not in board.request_of:
            board.requests.append(
                Wanted(
                    key,
                    str(meeting.buyer_id),
                    str(meeting.exhibitor_id),
                    _location(booths.get(meeting.exhibitor_id)),
                    score=meeting.score,
                )
            )
    board.suggestions = await _suggestions(session, fair, booths, board, options.suggestions_per_buyer)
    problem = MeetingProblem(
        slots=tuple(MeetingSlot(s.index, s.day_index, s.session_index) for s in slots),
        requests=tuple(board.requests),
        suggestions=tuple(board.suggestions),
        location_capacity={str(booth_id): fair.meeting_tables_per_booth for booth_id in booths.values()},
        shared_tables=fair.shared_meeting_tables,
        unavailable=unavailable,
        max_per_day=caps,
        existing=board.existing,
    )
    schedule = await to_thread.run_sync(lambda: schedule_meetings(problem, options.time_limit_s, 0))
    unseated = await _store(session, fair, slots, scheduled, board, schedule, booths)
    return _report(board, schedule, unseated, booths)


def _location(booth_id: UUID | None) -> str | None:
    return str(booth_id) if booth_id is not None else None


def _keep(
    board: Board,
    scheduled: list[Meeting],
    index: SlotIndex,
    unavailable: dict[str, frozenset[int]],
    booths: dict[UUID, UUID],
) -> None:
    """Keep the scheduled meetings that still fit; a suggested meeting whose pair has since been requested and
    accepted becomes that request's meeting."""
    requested = {(r.buyer_id, r.exhibitor_id): r for r in board.request_of.values()}
    for meeting in scheduled:
        if not _still_fits(meeting, index, unavailable, booths, board.request_of):
            continue
        key = _key(meeting.request_id, meeting.buyer_id, meeting.exhibitor_id)
        request = requested.get((meeting.buyer_id, meeting.exhibitor_id))
        if meeting.request_id is None and request is not None and str(request.id) not in board.kept:
            board.adopted[meeting.id] = request
            key = str(request.id)
        board.kept[key] = meeting
        board.existing[key] = meeting.slot


def _still_fits(
    meeting: Meeting,
    index: SlotIndex,
    unavailable: dict[str, frozenset[int]],
    booths: dict[UUID, UUID],
    accepted: dict[str, MeetingRequest],
) -> bool:
    """A scheduled meeting can stay: its slot still exists, both can attend, it sits where its exhibitor now
    meets, and its request (if any) is still accepted."""
    slot = index.at(meeting.starts_at)
    if slot is None or slot.index != meeting.slot:
        return False
    if meeting.request_id is not None and str(meeting.request_id) not in accepted:
        return False
    if meeting.booth_id is not None and booths.get(meeting.exhibitor_id) != meeting.booth_id:
        return False
    keys = (buyer_key(str(meeting.buyer_id)), exhibitor_key(str(meeting.exhibitor_id)))
    return not any(slot.index in unavailable.get(key, frozenset()) for key in keys)


async def _availability(
    session: AsyncSession, fair: Fair, index: SlotIndex
) -> tuple[dict[str, frozenset[int]], dict[str, int]]:
    unavailable: dict[str, frozenset[int]] = {}
    caps: dict[str, int] = {}
    rows = await session.scalars(select(MeetingAvailability).where(MeetingAvailability.fair_id == fair.id))
    for row in rows:
        key = buyer_key(str(row.buyer_id)) if row.buyer_id else exhibitor_key(str(row.exhibitor_id))
        unavailable[key] = index.indices(row.unavailable)
        if row.max_per_day is not None:
            caps[key] = row.max_per_day
    return unavailable, caps


async def _suggestions(
    session: AsyncSession, fair: Fair, booths: dict[UUID, UUID], board: Board, per_buyer: int
) -> list[Wanted]:
    """Each buyer's best-matching exhibitors with a confirmed booth, never a pair already asked or cancelled."""
    if per_buyer == 0:
        return []
    best = await session.execute(
        select(Demand.buyer_id, Product.exhibitor_id, func.max(DemandMatch.score))
        .join(Demand, Demand.id == DemandMatch.demand_id)
        .join(Product, Product.id == DemandMatch.product_id)
        .where(Demand.fair_id == fair.id, Demand.status == "open", Product.exhibitor_id.in_(list(booths)))
        .group_by(Demand.buyer_id, Product.exhibitor_id)
    )
    asked = await session.execute(
        select(MeetingRequest.buyer_id, MeetingRequest.exhibitor_id).where(MeetingRequest.fair_id == fair.id)
    )
    cancelled = await session.execute(
        select(Meeting.buyer_id, Meeting.exhibitor_id).where(Meeting.fair_id == fair.id, Meeting.status == "cancelled")
    )
    taken: set[Pair] = set(asked.tuples().all()) | set(cancelled.tuples().all())
    room: dict[UUID, int] = defaultdict(lambda: per_buyer)
    for key, meeting in board.kept.items():
        taken.add((meeting.buyer_id, meeting.exhibitor_id))
        if key not in board.request_of:
            room[meeting.buyer_id] -= 1
    ranked = sorted(best.tuples().all(), key=lambda row: (-row[2], str(row[0]), str(row[1])))
    suggestions = []
    for buyer_id, exhibitor_id, score in ranked:
        if (buyer_id, exhibitor_id) in taken or room[buyer_id] <= 0:
            continue
        room[buyer_id] -= 1
        suggestions.append(
            Wanted(
                _key(None, buyer_id, exhibitor_id),
                str(buyer_id),
                str(exhibitor_id),
                _location(booths[exhibitor_id]),
                must=False,
                score=round(float(score), 6),
            )
        )
    return suggestions


async def _store(
    session: AsyncSession,
    fair: Fair,
    slots: list[FairSlot],
    scheduled: list[Meeting],
    board: Board,
    schedule: MeetingSchedule,
    booths: dict[UUID, UUID],
) -> dict[str, str]:
    """Replace every meeting not kept by the new schedule; a meeting that comes back keeps its id. Returns the
    placed meetings no table could seat (only when kept meetings crowd the shared tables), with why."""
    board.kept = {key: m for key, m in board.kept.items() if schedule.slots.get(key) == m.slot}
    kept_ids = {m.id for m in board.kept.values()}
    previous = {_key(m.request_id, m.buyer_id, m.exhibitor_id): m for m in scheduled if m.id not in kept_ids}
    await session.execute(
        delete(Meeting)
        .where(Meeting.id.in_([m.id for m in previous.values()]))
        .execution_options(synchronize_session=False)
    )
    for meeting in previous.values():
        session.expunge(meeting)
    seating = Seating(fair.meeting_tables_per_booth, fair.shared_meeting_tables)
    for meeting in board.kept.values():
        seating.take(meeting.booth_id, meeting.table_no, meeting.starts_at)
        if (request := board.adopted.get(meeting.id)) is not None:
            meeting.request_id, meeting.kind = request.id, "requested"
    wanted = {w.request_id: w for w in (*board.requests, *board.suggestions)}
    unseated: dict[str, str] = {}
    for key, slot_index in sorted(schedule.slots.items(), key=lambda item: (item[1], item[0])):
        if key in board.kept:
            continue
        slot = slots[slot_index]
        w = wanted[key]
        exhibitor_id = UUID(w.exhibitor)
        seat = seating.seat(booths.get(exhibitor_id), slot.starts_at)
        if seat is None:
            unseated[key] = "no table is left in its slot: kept meetings fill the shared tables"
            continue
        before = previous.get(key)
        moved = before is not None and before.starts_at != slot.starts_at
        request = board.request_of.get(key)
        session.add(
            Meeting(
                **({"id": before.id} if before is not None else {}),
                fair_id=fair.id,
                request_id=request.id if request else None,
                buyer_id=UUID(w.buyer),
                exhibitor_id=exhibitor_id,
                booth_id=seat[0],
                table_no=seat[1],
                slot=slot.index,
                starts_at=slot.starts_at.astimezone(dt.UTC),
                ends_at=slot.ends_at.astimezone(dt.UTC),
                kind="requested" if request else "suggested",
                score=w.score,
                status="scheduled",
                sequence=(before.sequence + moved) if before is not None else 0,
            )
        )
    await session.flush()
    return unseated


def _report(
    board: Board, schedule: MeetingSchedule, unseated: dict[str, str], booths: dict[UUID, UUID]
) -> ScheduleReport:
    placed = {key for key in schedule.slots if key not in unseated}
    unplaced = []
    for key, reason in (*schedule.unplaced.items(), *unseated.items()):
        request = board.request_of.get(key)
        if request is None:
            continue
        why = reason if request.exhibitor_id in booths else f"{NO_BOOTH}; {reason}"
        unplaced.append(UnplacedRequest(request_id=request.id, reason=why))
    suggested = sum(1 for key in placed if key not in board.request_of)
    return ScheduleReport(
        meetings_placed=len(placed),
        requests_unplaced=unplaced,
        suggested_placed=suggested,
        total_score=round(schedule.total_score, 6),
        breaks=schedule.breaks,
        max_breaks_per_participant=schedule.max_breaks,
        solve_ms=round(schedule.solve_ms, 1),
        status=schedule.status,
    )
