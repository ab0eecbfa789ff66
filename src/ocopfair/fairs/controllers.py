"""Fairs, their booth layout and booths."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.security.jwt import Token
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import is_organiser
from ocopfair.accounts.models import User
from ocopfair.accounts.security import requires_organiser
from ocopfair.allocation.models import BoothAssignment
from ocopfair.allocation.policy import policy_of
from ocopfair.fairs.models import Booth, Fair
from ocopfair.fairs.schemas import (
    BoothLayout,
    BoothRead,
    BoothStatus,
    FairCreate,
    FairRead,
    FairUpdate,
    HallRead,
    LayoutRead,
    MeetingSession,
)
from ocopfair.fairs.services import BoothService, FairService
from ocopfair.matches.services import weights_of
from ocopfair.pagination import PageRequest, provide_page
from ocopfair.payloads import Page

SignedIn = Request[User, Token, Any]


async def provide_fair_service(db_session: NamedDependency[AsyncSession]) -> FairService:
    return FairService(session=db_session)


async def provide_booth_service(db_session: NamedDependency[AsyncSession]) -> BoothService:
    return BoothService(session=db_session)


def fair_read(fair: Fair, booth_count: int) -> FairRead:
    return FairRead(
        id=fair.id,
        name=fair.name,
        venue=fair.venue,
        host_province_code=fair.host_province_code,
        starts_on=fair.starts_on,
        ends_on=fair.ends_on,
        timezone=fair.timezone,
        status=fair.status,  # type: ignore[arg-type]
        meeting_days=[dt.date.fromisoformat(day) for day in fair.meeting_days],
        sessions=msgspec.convert(fair.sessions, list[MeetingSession]),
        slot_minutes=fair.slot_minutes,
        description=fair.description,
        booth_count=booth_count,
        match_weights=msgspec.structs.asdict(weights_of(fair)),
        allocation_policy=policy_of(fair),
        meeting_request_deadline=fair.meeting_request_deadline,
        meeting_tables_per_booth=fair.meeting_tables_per_booth,
        shared_meeting_tables=fair.shared_meeting_tables,
        digest_time=fair.digest_time,
        digest_days_before=fair.digest_days_before,
        reminder_minutes=fair.reminder_minutes,
    )


def booth_read(booth: Booth, hall_code: str, assignment: BoothAssignment | None) -> BoothRead:
    return BoothRead(
        id=booth.id,
        code=booth.code,
        hall_code=hall_code,
        zone=booth.zone,
        row=booth.row,
        column=booth.column,
        x_m=booth.x_m,
        y_m=booth.y_m,
        width_m=booth.width_m,
        depth_m=booth.depth_m,
        booth_type=booth.booth_type,  # type: ignore[arg-type]
        price_vnd=booth.price_vnd,
        status=assignment.status if assignment else "available",  # type: ignore[arg-type]
        exhibitor_id=assignment.exhibitor_id if assignment else None,
        locked=assignment.locked if assignment else False,
    )


class FairController(Controller):
    path = "/api/fairs"
    tags = ["fairs"]
    dependencies = {
        "fairs": Provide(provide_fair_service),
        "booths": Provide(provide_booth_service),
        "page": Provide(provide_page),
    }

    @get("/")
    async def list_fairs(
        self, fairs: NamedDependency[FairService], page: NamedDependency[PageRequest]
    ) -> Page[FairRead]:
        """Fairs, soonest first."""
        session = fairs.repository.session
        total = await session.scalar(select(func.count()).select_from(Fair)) or 0
        items = list(
            await session.scalars(
                select(Fair).order_by(Fair.starts_on.desc(), Fair.name).limit(page.limit).offset(page.offset)
            )
        )
        counts = await fairs.booth_counts([fair.id for fair in items])
        return Page(
            items=[fair_read(fair, counts.get(fair.id, 0)) for fair in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    @post("/", guards=[requires_organiser])
    async def create_fair(self, data: JSONBody[FairCreate], fairs: NamedDependency[FairService]) -> FairRead:
        """Register a fair (organisers)."""
        return fair_read(await fairs.create_fair(data), 0)

    @get("/{fair_id:uuid}")
    async def get_fair(self, fair_id: FromPath[UUID], fairs: NamedDependency[FairService]) -> FairRead:
        fair = await fairs.get_fair(fair_id)
        return fair_read(fair, (await fairs.booth_counts([fair.id])).get(fair.id, 0))

    @patch("/{fair_id:uuid}", guards=[requires_organiser])
    async def update_fair(
        self, fair_id: FromPath[UUID], data: JSONBody[FairUpdate], fairs: NamedDependency[FairService]
    ) -> FairRead:
        """Change a fair's details or move it forward in its lifecycle (organisers)."""
        fair = await fairs.update_fair(fair_id, data)
        return fair_read(fair, (await fairs.booth_counts([fair.id])).get(fair.id, 0))

    @post("/{fair_id:uuid}/booths/layout", guards=[requires_organiser], status_code=201)
    async def lay_out_booths(
        self,
        fair_id: FromPath[UUID],
        data: JSONBody[BoothLayout],
        fairs: NamedDependency[FairService],
        booths: NamedDependency[BoothService],
    ) -> LayoutRead:
        """Lay out halls of rows × columns booths; replaces the previous layout while no booth is taken."""
        fair = await fairs.get_fair(fair_id)
        halls = await booths.lay_out(fair, data)
        return LayoutRead(
            fair_id=fair.id,
            halls=[
                HallRead(
                    id=hall.id,
                    code=hall.code,
                    name=hall.name,
                    zones=hall.zones,
                    x_m=hall.x_m,
                    y_m=hall.y_m,
                    width_m=hall.width_m,
                    depth_m=hall.depth_m,
                    booth_count=count,
                )
                for hall, count in halls
            ],
            booth_count=sum(count for _, count in halls),
        )

    @get("/{fair_id:uuid}/booths")
    async def list_booths(
        self,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        booths: NamedDependency[BoothService],
        page: NamedDependency[PageRequest],
        request: SignedIn,
        hall: Annotated[str | None, QueryParameter(max_length=10)] = None,
        status: FromQuery[BoothStatus | None] = None,
        zone: Annotated[str | None, QueryParameter(max_length=60)] = None,
    ) -> Page[BoothRead]:
        """Booths of a fair by hall, row and column; filter by hall code, status or zone. Organisers see proposed
        (held) booths too; others see a booth taken once it is confirmed."""
        await fairs.get_fair(fair_id)
        rows, total = await booths.list_booths(
            fair_id,
            hall=hall,
            status=status,
            zone=zone,
            held_too=is_organiser(request.user),
            limit=page.limit,
            offset=page.offset,
        )
        return Page(
            items=[booth_read(booth, hall_code, assignment) for booth, hall_code, assignment in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )
