"""The organiser's pages: a fair's dashboard, the booth allocation (run it, read its report, see the coloured plan,
lock a booth for an exhibitor) and the meeting scheduler (run it, read its result).

The runs are the API's own (the same functions, schemas and services), in the request's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.allocation.models import BoothAssignment
from ocopfair.allocation.runs import run_allocation
from ocopfair.allocation.schemas import AllocationReport, AllocationRunIn, AssignmentIn
from ocopfair.allocation.services import ApplicationService, AssignmentService
from ocopfair.errors import DomainError
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.models import Fair
from ocopfair.fairs.run_leases import exclusive_run
from ocopfair.fairs.services import FairService
from ocopfair.matches.services import MatchService, today
from ocopfair.meetings.edits import MeetingService
from ocopfair.meetings.scheduling import run_schedule
from ocopfair.meetings.schemas import ScheduleIn, ScheduleReport
from ocopfair.meetings.services import viewer_of
from ocopfair.web.dashboard import dashboard_panels
from ocopfair.web.fair_picker import fairs_by_date
from ocopfair.web.forms import FormInvalid, Values, parse, read_values
from ocopfair.web.i18n import language_of
from ocopfair.web.public import fair_plan, wants_part
from ocopfair.web.rendering import render
from ocopfair.web.session import flash, signed_in_as, undo

ColourBy = Literal["group", "province", "status"]
MEETINGS_PAGE = 50


async def _fair(request: Request[Any, Any, Any], session: AsyncSession, fair_id: UUID) -> Fair:
    signed_in_as(request, "organiser")
    return await FairService(session=session).get_fair(fair_id)


async def _allocation_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    fair: Fair,
    *,
    report: AllocationReport | None = None,
    values: Values | None = None,
    errors: dict[str, str] | None = None,
    colour: ColourBy = "status",
    hall: str | None = None,
    status_code: int = 200,
) -> Template:
    plan, halls = await fair_plan(
        session, fair, request, colour, hall, lambda code: f"/organiser/fairs/{fair.id}/booths/{quote(code)}"
    )
    context = {
        "fair": fair,
        "plan": plan,
        "halls": halls,
        "colour": colour,
        "hall": hall,
        "plan_url": f"/organiser/fairs/{fair.id}/plan",
    }
    if wants_part(request, "plan"):
        return render(request, "public/plan.html", **context)
    applications = ApplicationService(session)
    listed = await applications.reads(await applications.listed(fair.id, None))
    names = dict((await session.execute(select(Exhibitor.id, Exhibitor.name))).tuples().all())
    template = (
        "organiser/allocation_result.html" if wants_part(request, "allocation-result") else "organiser/allocation.html"
    )
    return render(
        request,
        template,
        status_code=status_code,
        report=report,
        applications=listed,
        names=names,
        values=values or {"time_limit_s": ["20"]},
        errors=errors or {},
        **context,
    )


async def _booth_panel(
    request: Request[Any, Any, Any], session: AsyncSession, fair: Fair, code: str, error: str | None = None
) -> Template:
    booth, hall = await AssignmentService(session).booth(fair.id, code)
    holder = await session.scalar(select(BoothAssignment).where(BoothAssignment.booth_id == booth.id))
    exhibitor = await session.get(Exhibitor, holder.exhibitor_id) if holder else None
    applications = ApplicationService(session)
    applicants = await applications.reads(await applications.listed(fair.id, None))
    candidates = sorted({(a.exhibitor_name, str(a.exhibitor_id)) for a in applicants if a.status != "withdrawn"})
    template = "organiser/booth_panel.html" if wants_part(request, "booth-panel") else "organiser/booth.html"
    return render(
        request,
        template,
        status_code=422 if error else 200,
        fair=fair,
        booth=booth,
        hall=hall,
        holder=holder,
        exhibitor=exhibitor,
        candidates=candidates,
        error=error,
    )


class OrganiserPages(Controller):
    path = "/organiser"
    tags = ["pages"]

    @get("/")
    async def fairs(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        signed_in_as(request, "organiser")
        fairs = await fairs_by_date(db_session)
        if len(fairs) == 1:
            return Redirect(f"/organiser/fairs/{fairs[0].id}", status_code=303)
        return render(request, "organiser/fairs.html", fairs=fairs)

    @get("/fairs/{fair_id:uuid}")
    async def dashboard(
        self, request: Request[Any, Any, Any], fair_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        fair = await _fair(request, db_session, fair_id)
        panels = await dashboard_panels(db_session, fair, language_of(request))
        return render(request, "organiser/dashboard.html", fair=fair, panels=panels)

    @post("/fairs/{fair_id:uuid}/matches/run")
    async def run_matching(
        self, request: Request[Any, Any, Any], fair_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        """Recompute and store the matches of every open demand of the fair (the scheduler suggests from them)."""
        fair = await _fair(request, db_session, fair_id)
        async with exclusive_run(db_session, fair.id, "matching"):
            result = await MatchService(db_session, request.app.state.catalogue_cache).run_for_fair(fair)
        flash(request, "flash.matched", demands=result.demands, matches=result.matches)
        return Redirect(f"/organiser/fairs/{fair.id}", status_code=303)

    @get("/fairs/{fair_id:uuid}/allocation")
    async def allocation(
        self, request: Request[Any, Any, Any], fair_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        return await _allocation_page(request, db_session, await _fair(request, db_session, fair_id))

    @get("/fairs/{fair_id:uuid}/plan")
    async def plan(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        color: FromQuery[ColourBy] = "status",
        hall: Annotated[str | None, QueryParameter(max_length=10)] = None,
    ) -> Template:
        fair = await _fair(request, db_session, fair_id)
        return await _allocation_page(request, db_session, fair, colour=color, hall=hall or None)

    @post("/fairs/{fair_id:uuid}/allocation/run")
    async def run(
        self, request: Request[Any, Any, Any], fair_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        """Propose an allocation (booths held, not confirmed) and show its report with the coloured plan."""
        fair = await _fair(request, db_session, fair_id)
        values = read_values(await request.form())
        try:
            options = parse(values, AllocationRunIn)
        except FormInvalid as invalid:
            return await _allocation_page(
                request, db_session, fair, values=values, errors=invalid.errors, status_code=422
            )
        async with exclusive_run(db_session, fair.id, "allocation"):
            report = await run_allocation(db_session, fair, today(), options.time_limit_s)
        return await _allocation_page(request, db_session, fair, report=report, values=values)

    @post("/fairs/{fair_id:uuid}/allocation/confirm")
    async def confirm(
        self, request: Request[Any, Any, Any], fair_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        fair = await _fair(request, db_session, fair_id)
        result = await AssignmentService(db_session).confirm(fair)
        flash(request, "flash.confirmed", count=result.confirmed)
        return Redirect(f"/organiser/fairs/{fair.id}/allocation", status_code=303)

    @get("/fairs/{fair_id:uuid}/booths/{code:str}")
    async def booth(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        code: FromPath[str],
        db_session: NamedDependency[AsyncSession],
    ) -> Template:
        fair = await _fair(request, db_session, fair_id)
        return await _booth_panel(request, db_session, fair, code)

    @post("/fairs/{fair_id:uuid}/booths/{code:str}/assignment")
    async def assign(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        code: FromPath[str],
        db_session: NamedDependency[AsyncSession],
    ) -> Template | Redirect:
        """Hold (and lock, by default) a booth for an exhibitor, or release it; the plan redraws itself."""
        fair = await _fair(request, db_session, fair_id)
        values = read_values(await request.form())
        assignments = AssignmentService(db_session)
        try:
            if values.get("action") == ["release"]:
                await assignments.release(fair, code)
            else:
                await assignments.assign(fair, code, parse(values, AssignmentIn))
        except (FormInvalid, DomainError) as refusal:
            await undo(request, db_session)
            message = refusal.detail if isinstance(refusal, DomainError) else "; ".join(refusal.errors.values())
            return await _booth_panel(request, db_session, await _fair(request, db_session, fair_id), code, message)
        if not wants_part(request, "booth-panel"):
            return Redirect(f"/organiser/fairs/{fair.id}/booths/{quote(code)}", status_code=303)
        panel = await _booth_panel(request, db_session, fair, code)
        panel.headers["HX-Trigger"] = "plan-changed"
        return panel

    @get("/fairs/{fair_id:uuid}/schedule")
    async def schedule(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        day: FromQuery[dt.date | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Template:
        fair = await _fair(request, db_session, fair_id)
        return await _schedule_page(request, db_session, fair, day=day, page=page)

    @post("/fairs/{fair_id:uuid}/schedule/run")
    async def run_scheduler(
        self, request: Request[Any, Any, Any], fair_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        """Schedule accepted requests and suggested meetings into slots and tables; show the result."""
        fair = await _fair(request, db_session, fair_id)
        values = read_values(await request.form())
        try:
            options = parse(values, ScheduleIn)
            async with exclusive_run(db_session, fair.id, "schedule"):
                report = await run_schedule(db_session, fair, options)
        except FormInvalid as invalid:
            return await _schedule_page(
                request, db_session, fair, values=values, errors=invalid.errors, status_code=422
            )
        except DomainError as refusal:
            await undo(request, db_session)
            return await _schedule_page(
                request,
                db_session,
                await _fair(request, db_session, fair_id),
                values=values,
                errors={"_form": refusal.detail},
                status_code=422,
            )
        return await _schedule_page(request, db_session, fair, report=report, values=values)


async def _schedule_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    fair: Fair,
    *,
    report: ScheduleReport | None = None,
    values: Values | None = None,
    errors: dict[str, str] | None = None,
    day: dt.date | None = None,
    page: int = 1,
    status_code: int = 200,
) -> Template:
    """The scheduler's form, its last result when it just ran, and the fair's meetings in time order."""
    meetings = MeetingService(session)
    viewer = await viewer_of(session, signed_in_as(request, "organiser"))
    items, total = await meetings.listed(
        fair, viewer, buyer_id=None, exhibitor_id=None, day=day, limit=MEETINGS_PAGE, offset=(page - 1) * MEETINGS_PAGE
    )
    template = "organiser/schedule_result.html" if wants_part(request, "schedule-result") else "organiser/schedule.html"
    return render(
        request,
        template,
        status_code=status_code,
        fair=fair,
        report=report,
        meetings=items,
        total=total,
        day=day,
        page=page,
        pages=max((total + MEETINGS_PAGE - 1) // MEETINGS_PAGE, 1),
        values=values or {"time_limit_s": ["20"], "keep_existing": ["true"], "suggestions_per_buyer": ["3"]},
        errors=errors or {},
    )
