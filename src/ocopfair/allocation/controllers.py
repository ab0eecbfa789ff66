"""Booth applications, the allocation run, confirmation and manual assignments of a fair."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.security.jwt import Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import is_organiser, require_owner
from ocopfair.accounts.models import User
from ocopfair.accounts.security import requires_organiser
from ocopfair.allocation.plan import floor_plan_svg
from ocopfair.allocation.runs import run_allocation
from ocopfair.allocation.schemas import (
    AllocationReport,
    AllocationRunIn,
    ApplicationCreate,
    ApplicationRead,
    AssignmentIn,
    AssignmentRead,
    ConfirmReport,
)
from ocopfair.allocation.services import ApplicationService, AssignmentService
from ocopfair.errors import NotFound
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.controllers import provide_fair_service
from ocopfair.fairs.run_leases import exclusive_run
from ocopfair.fairs.services import FairService
from ocopfair.matches.services import today

SignedIn = Request[User, Token, Any]


async def provide_application_service(db_session: NamedDependency[AsyncSession]) -> ApplicationService:
    return ApplicationService(db_session)


async def provide_assignment_service(db_session: NamedDependency[AsyncSession]) -> AssignmentService:
    return AssignmentService(db_session)


class ApplicationController(Controller):
    path = "/api/fairs/{fair_id:uuid}/applications"
    tags = ["allocation"]
    dependencies = {"fairs": Provide(provide_fair_service), "applications": Provide(provide_application_service)}

    @post("/", status_code=201)
    async def apply(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        data: JSONBody[ApplicationCreate],
        fairs: NamedDependency[FairService],
        applications: NamedDependency[ApplicationService],
    ) -> ApplicationRead:
        """Apply for booths for an exhibitor (its owner or an organiser); one live application per fair."""
        fair = await fairs.get_fair(fair_id)
        exhibitor = await applications.session.get(Exhibitor, data.exhibitor_id)
        if exhibitor is None:
            raise NotFound(f"exhibitor {data.exhibitor_id} not found")
        require_owner(request.user, exhibitor.owner_id, "exhibitor", private=False)
        application = await applications.apply(fair, data)
        (read,) = await applications.reads([application])
        return read

    @get("/")
    async def list_applications(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        applications: NamedDependency[ApplicationService],
    ) -> list[ApplicationRead]:
        """Organisers see every application of the fair, in submission order; an exhibitor's owner sees its own."""
        await fairs.get_fair(fair_id)
        owned = None if is_organiser(request.user) else await applications.owned_exhibitors(request.user)
        return await applications.reads(await applications.listed(fair_id, owned))

    @delete("/{application_id:uuid}", status_code=204)
    async def withdraw(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        application_id: FromPath[UUID],
        applications: NamedDependency[ApplicationService],
    ) -> None:
        """Withdraw an application that is not confirmed; its held booths go back to the pool."""
        application = await applications.get(fair_id, application_id)
        exhibitor = await applications.session.get(Exhibitor, application.exhibitor_id)
        require_owner(request.user, exhibitor.owner_id if exhibitor else None, "application", private=True)
        await applications.withdraw(application)


class AllocationController(Controller):
    path = "/api/fairs/{fair_id:uuid}"
    tags = ["allocation"]
    guards = [requires_organiser]
    dependencies = {"fairs": Provide(provide_fair_service), "assignments": Provide(provide_assignment_service)}

    @post("/allocation/run", status_code=200)
    async def run(
        self,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        data: JSONBody[AllocationRunIn | None] = None,
    ) -> AllocationReport:
        """Propose an allocation of the free booths to the live applications (organisers); booths are held, not
        confirmed; locked and confirmed booths never move. One run per fair at a time (409 while one runs)."""
        fair = await fairs.get_fair(fair_id)
        time_limit_s = (data or AllocationRunIn()).time_limit_s
        async with exclusive_run(fairs.repository.session, fair.id, "allocation"):
            return await run_allocation(fairs.repository.session, fair, today(), time_limit_s)

    @post("/allocation/confirm", status_code=200)
    async def confirm(
        self,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        assignments: NamedDependency[AssignmentService],
    ) -> ConfirmReport:
        """Confirm every held booth (organisers); confirming again changes nothing."""
        return await assignments.confirm(await fairs.get_fair(fair_id))

    @put("/booths/{booth_code:str}/assignment")
    async def assign(
        self,
        fair_id: FromPath[UUID],
        booth_code: FromPath[str],
        data: JSONBody[AssignmentIn],
        fairs: NamedDependency[FairService],
        assignments: NamedDependency[AssignmentService],
    ) -> AssignmentRead:
        """Hold a booth for an exhibitor, locked by default so no run moves it (organisers)."""
        return await assignments.assign(await fairs.get_fair(fair_id), booth_code, data)

    @delete("/booths/{booth_code:str}/assignment", status_code=204)
    async def release(
        self,
        fair_id: FromPath[UUID],
        booth_code: FromPath[str],
        fairs: NamedDependency[FairService],
        assignments: NamedDependency[AssignmentService],
    ) -> None:
        """Free a booth, held or confirmed (organisers)."""
        await assignments.release(await fairs.get_fair(fair_id), booth_code)


class FloorPlanController(Controller):
    path = "/api/fairs/{fair_id:uuid}/floorplan.svg"
    tags = ["allocation"]
    dependencies = {"fairs": Provide(provide_fair_service)}

    @get("/", media_type="image/svg+xml")
    async def floor_plan(
        self,
        request: SignedIn,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        color: FromQuery[Literal["group", "province", "status"]] = "group",
        lang: FromQuery[Literal["vi", "en"]] = "vi",
    ) -> Response[str]:
        """The fair's halls and booths to scale, coloured by product group, province or status, with a legend.
        Organisers see proposed (held) booths too; others see confirmed ones."""
        fair = await fairs.get_fair(fair_id)
        svg = await floor_plan_svg(fairs.repository.session, fair, color, lang, organiser=is_organiser(request.user))
        return Response(svg, media_type="image/svg+xml")
