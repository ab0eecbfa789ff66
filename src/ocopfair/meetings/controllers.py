"""Meeting requests, availability and slots, the scheduling run, meetings, and agendas (JSON and iCalendar)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.security.jwt import Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import require_owner
from ocopfair.accounts.models import User
from ocopfair.accounts.security import requires_organiser
from ocopfair.buyers.models import Buyer
from ocopfair.errors import NotFound
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.controllers import provide_fair_service
from ocopfair.fairs.run_leases import exclusive_run
from ocopfair.fairs.services import FairService
from ocopfair.meetings.agenda import Agenda, load_agenda
from ocopfair.meetings.edits import MeetingService
from ocopfair.meetings.scheduling import run_schedule
from ocopfair.meetings.schemas import (
    AgendaRead,
    AvailabilityIn,
    AvailabilityRead,
    MeetingChange,
    MeetingRead,
    MeetingRequestAnswer,
    MeetingRequestCreate,
    MeetingRequestRead,
    RequestStatus,
    ScheduleIn,
    ScheduleReport,
    SlotRead,
)
from ocopfair.meetings.services import (
    AvailabilityService,
    MeetingRequestService,
    Participant,
    now,
    viewer_of,
)
from ocopfair.meetings.slots import fair_slots
from ocopfair.pagination import PageRequest, provide_page
from ocopfair.payloads import Page

SignedIn = Request[User, Token, Any]
CALENDAR = "text/calendar; charset=utf-8"


async def provide_request_service(db_session: NamedDependency[AsyncSession]) -> MeetingRequestService:
    return MeetingRequestService(db_session)


async def provide_availability_service(db_session: NamedDependency[AsyncSession]) -> AvailabilityService:
    return AvailabilityService(db_session)


async def provide_meeting_service(db_session: NamedDependency[AsyncSession]) -> MeetingService:
    return MeetingService(db_session)


async def _participant(session: AsyncSession, user: User, participant: Participant, participant_id: UUID) -> str:
    """The participant's name, when ``user`` owns it or is an organiser: a buyer is private (404 to others), an
    exhibitor public (403)."""
    if participant == "buyer":
        buyer = await session.get(Buyer, participant_id)
        if buyer is None:
            raise NotFound(f"buyer {participant_id} not found")
        require_owner(user, buyer.owner_id, "buyer", private=True)
        return buyer.organisation
    exhibitor = await session.get(Exhibitor, participant_id)
    if exhibitor is None:
        raise NotFound(f"exhibitor {participant_id} not found")
    require_owner(user, exhibitor.owner_id, "exhibitor", private=False)
    return exhibitor.name


class MeetingRequestController(Controller):
    path = "/api"
    tags = ["meetings"]
    dependencies = {
        "fairs": Provide(provide_fair_service),
        "requests": Provide(provide_request_service),
        "page": Provide(provide_page),
    }

    @post("/fairs/{fair_id:uuid}/meeting-requests", status_code=201)
    async def create_request(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        data: JSONBody[MeetingRequestCreate],
        fairs: NamedDependency[FairService],
        requests: NamedDependency[MeetingRequestService],
    ) -> MeetingRequestRead:
        """Ask an exhibitor of the fair for a meeting (the buyer's account or an organiser)."""
        fair = await fairs.get_fair(fair_id)
        viewer = await viewer_of(requests.session, request.user)
        (read,) = await requests.reads([await requests.create(fair, data, viewer, now())])
        return read

    @get("/fairs/{fair_id:uuid}/meeting-requests")
    async def list_requests(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        requests: NamedDependency[MeetingRequestService],
        page: NamedDependency[PageRequest],
        status: FromQuery[RequestStatus | None] = None,
    ) -> Page[MeetingRequestRead]:
        """Requests of the fair, oldest first: a buyer's or exhibitor's own, every one for organisers."""
        fair = await fairs.get_fair(fair_id)
        await requests.expire_due(fair, now())
        viewer = await viewer_of(requests.session, request.user)
        items, total = await requests.listed(fair, viewer, status, page.limit, page.offset)
        return Page(items=await requests.reads(items), total=total, limit=page.limit, offset=page.offset)

    @patch("/meeting-requests/{request_id:uuid}")
    async def answer_request(
        self,
        request: SignedIn,
        request_id: FromPath[UUID],
        data: JSONBody[MeetingRequestAnswer],
        requests: NamedDependency[MeetingRequestService],
    ) -> MeetingRequestRead:
        """Accept or decline (the exhibitor or an organiser) or cancel (the buyer or an organiser) a request."""
        viewer = await viewer_of(requests.session, request.user)
        meeting_request = await requests.get_visible(request_id, viewer)
        (read,) = await requests.reads([await requests.answer(meeting_request, data.status, viewer, now())])
        return read


class AvailabilityController(Controller):
    path = "/api/fairs/{fair_id:uuid}"
    tags = ["meetings"]
    dependencies = {"fairs": Provide(provide_fair_service), "availability": Provide(provide_availability_service)}

    @get("/slots")
    async def slots(self, fair_id: FromPath[UUID], fairs: NamedDependency[FairService]) -> list[SlotRead]:
        """The fair's meeting slots in time order, in its time zone."""
        fair = await fairs.get_fair(fair_id)
        return [SlotRead(s.index, s.day, s.session, s.starts_at, s.ends_at) for s in fair_slots(fair)]

    @get("/availability/{party:str}/{participant_id:uuid}")
    async def participant_availability(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        party: FromPath[str],
        participant_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        availability: NamedDependency[AvailabilityService],
    ) -> AvailabilityRead:
        """The slots a buyer (``buyers``) or an exhibitor (``exhibitors``) cannot attend and their daily cap (their
        own account or an organiser)."""
        fair = await fairs.get_fair(fair_id)
        participant = _party(party)
        await _participant(availability.session, request.user, participant, participant_id)
        return await availability.get(fair, participant, participant_id)

    @put("/availability/{party:str}/{participant_id:uuid}")
    async def set_participant_availability(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        party: FromPath[str],
        participant_id: FromPath[UUID],
        data: JSONBody[AvailabilityIn],
        fairs: NamedDependency[FairService],
        availability: NamedDependency[AvailabilityService],
    ) -> AvailabilityRead:
        """Replace the slots (by start time) a buyer or an exhibitor cannot attend, and their daily cap."""
        fair = await fairs.get_fair(fair_id)
        participant = _party(party)
        await _participant(availability.session, request.user, participant, participant_id)
        return await availability.put(fair, participant, participant_id, data)


def _party(party: str) -> Participant:
    """The participant kind a path segment names; anything but ``buyers`` or ``exhibitors`` is not a route."""
    if party == "buyers":
        return "buyer"
    if party == "exhibitors":
        return "exhibitor"
    raise NotFound(f"no availability for {party!r}: use buyers or exhibitors")


class ScheduleController(Controller):
    path = "/api/fairs/{fair_id:uuid}/schedule"
    tags = ["meetings"]
    guards = [requires_organiser]
    dependencies = {"fairs": Provide(provide_fair_service)}

    @post("/", status_code=200)
    async def schedule(
        self,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        data: JSONBody[ScheduleIn | None] = None,
    ) -> ScheduleReport:
        """Schedule the fair's accepted requests and suggested meetings into slots and tables (organisers); the
        stored meetings are replaced in one transaction, kept ones stay where they are. One run per fair at a time
        (409 while one runs)."""
        fair = await fairs.get_fair(fair_id)
        async with exclusive_run(fairs.repository.session, fair.id, "schedule"):
            return await run_schedule(fairs.repository.session, fair, data or ScheduleIn())


class MeetingController(Controller):
    path = "/api"
    tags = ["meetings"]
    dependencies = {
        "fairs": Provide(provide_fair_service),
        "meetings": Provide(provide_meeting_service),
        "page": Provide(provide_page),
    }

    @get("/fairs/{fair_id:uuid}/meetings")
    async def list_meetings(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        meetings: NamedDependency[MeetingService],
        page: NamedDependency[PageRequest],
        buyer_id: FromQuery[UUID | None] = None,
        exhibitor_id: FromQuery[UUID | None] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> Page[MeetingRead]:
        """The fair's meetings in time order; each party sees only its own, organisers all; ``day`` is a date in
        the fair's time zone."""
        fair = await fairs.get_fair(fair_id)
        viewer = await viewer_of(meetings.session, request.user)
        items, total = await meetings.listed(
            fair,
            viewer,
            buyer_id=buyer_id,
            exhibitor_id=exhibitor_id,
            day=day,
            limit=page.limit,
            offset=page.offset,
        )
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    @patch("/meetings/{meeting_id:uuid}")
    async def change_meeting(
        self,
        request: SignedIn,
        meeting_id: FromPath[UUID],
        data: JSONBody[MeetingChange],
        meetings: NamedDependency[MeetingService],
    ) -> MeetingRead:
        """Move a meeting to another slot (organisers) or cancel it (either party or an organiser); a move is
        checked against every rule the scheduler keeps."""
        viewer = await viewer_of(meetings.session, request.user)
        meeting = await meetings.get_visible(meeting_id, viewer)
        await meetings.change(meeting, data, viewer)
        return await meetings.read(meeting.id)


class AgendaController(Controller):
    path = "/api"
    tags = ["meetings"]

    @get("/buyers/{buyer_id:uuid}/agenda")
    async def buyer_agenda(
        self,
        request: SignedIn,
        buyer_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        fair_id: FromQuery[UUID | None] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> AgendaRead:
        """A buyer's scheduled meetings in time order, with booth, hall and exhibitor (``day`` in the fair's
        time zone); private to the buyer's account and organisers."""
        return (await _agenda(db_session, request.user, "buyer", buyer_id, fair_id, day)).read()

    @get("/buyers/{buyer_id:uuid}/agenda.ics", media_type=CALENDAR)
    async def buyer_calendar(
        self,
        request: SignedIn,
        buyer_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        fair_id: FromQuery[UUID | None] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> Response[bytes]:
        """The buyer's agenda as an iCalendar feed (one event per meeting, stable UIDs, the fair's time zone)."""
        agenda = await _agenda(db_session, request.user, "buyer", buyer_id, fair_id, day)
        buyer = await db_session.get_one(Buyer, buyer_id)
        return _calendar(agenda.ics(buyer.language))

    @get("/exhibitors/{exhibitor_id:uuid}/agenda")
    async def exhibitor_agenda(
        self,
        request: SignedIn,
        exhibitor_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        fair_id: FromQuery[UUID | None] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> AgendaRead:
        """An exhibitor's scheduled meetings in time order, with booth, hall and buyer (owner or organiser)."""
        return (await _agenda(db_session, request.user, "exhibitor", exhibitor_id, fair_id, day)).read()

    @get("/exhibitors/{exhibitor_id:uuid}/agenda.ics", media_type=CALENDAR)
    async def exhibitor_calendar(
        self,
        request: SignedIn,
        exhibitor_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        fair_id: FromQuery[UUID | None] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> Response[bytes]:
        """The exhibitor's agenda as an iCalendar feed."""
        return _calendar((await _agenda(db_session, request.user, "exhibitor", exhibitor_id, fair_id, day)).ics("vi"))


async def _agenda(
    session: AsyncSession,
    user: User,
    participant: Participant,
    participant_id: UUID,
    fair_id: UUID | None,
    day: dt.date | None,
) -> Agenda:
    name = await _participant(session, user, participant, participant_id)
    return await load_agenda(session, participant, participant_id, name, fair_id, day)


def _calendar(body: bytes) -> Response[bytes]:
    return Response(body, media_type=CALENDAR, headers={"Content-Disposition": 'inline; filename="agenda.ics"'})
