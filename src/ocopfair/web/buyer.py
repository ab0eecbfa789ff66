"""A buyer's pages: the profile, demands (a form that knows the categories, units and certifications), the ranked
matches of a demand with their reasons and factor bars, a meeting request in one click, and the agenda (.ics too).

Every write goes through the API's schemas and services; the pages decide only what to show.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from matching.rules import EXCLUSION_REASONS
from matching.types import FACTORS
from ocopfair.buyers.controllers import buyer_read, demand_read, own_demand
from ocopfair.buyers.models import Buyer
from ocopfair.buyers.schemas import BuyerCreate, BuyerUpdate, DemandCreate, DemandUpdate
from ocopfair.buyers.services import BuyerService, DemandService
from ocopfair.errors import DomainError
from ocopfair.fairs.services import FairService
from ocopfair.matches.services import MatchService
from ocopfair.meetings.schemas import MeetingRequestCreate
from ocopfair.meetings.services import MeetingRequestService, now, viewer_of
from ocopfair.web import choices
from ocopfair.web.agenda import CALENDAR, agenda_calendar, agenda_page
from ocopfair.web.fair_picker import current_fair, fairs_by_date
from ocopfair.web.forms import FormInvalid, Values, parse, place_message, read_values, schema_names, values_of
from ocopfair.web.i18n import language_of
from ocopfair.web.rendering import render
from ocopfair.web.session import flash, signed_in_as, undo

PROFILE_FIELDS = ("organisation", "buyer_type", "country_code", "province_code", "contact_email", "phone", "language")
DEMAND_FIELDS = (
    "text",
    "categories",
    "quantity",
    "required_certifications",
    "preferred_certifications",
    "min_stars",
    "target_market",
    "preferred_provinces",
    "needed_months",
    "fair_id",
)
REQUEST_FIELDS = ("buyer_id", "exhibitor_id", "demand_id", "priority", "message")
MATCHES_SHOWN = 20


async def own_profile(request: Request[Any, Any, Any], session: AsyncSession) -> Buyer | None:
    user = signed_in_as(request, "buyer")
    return await BuyerService(session=session).get_one_or_none(owner_id=user.id)


async def require_profile(request: Request[Any, Any, Any], session: AsyncSession) -> Buyer:
    buyer = await own_profile(request, session)
    if buyer is None:
        raise _NoProfile
    return buyer


class _NoProfile(Exception):
    """A buyer account without its profile yet: its pages send it to the profile form first."""


def _to_profile(_: Request[Any, Any, Any], __: _NoProfile) -> Response[Any]:
    return Redirect("/buyer/profile", status_code=303)


async def _demand_form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    values: Values,
    errors: dict[str, str],
    demand_id: UUID | None = None,
    status_code: int = 200,
) -> Template:
    language = language_of(request)
    fairs = await fairs_by_date(session)
    return render(
        request,
        "buyer/demand_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        demand_id=demand_id,
        groups=choices.category_groups(language),
        certifications=choices.certifications(),
        provinces=choices.provinces(language),
        countries=choices.countries(language),
        units=choices.units(language),
        periods=choices.periods(language),
        months=choices.months(language),
        fairs=[choices.Option(str(fair.id), fair.name) for fair in fairs],
    )


def _profile_form(
    request: Request[Any, Any, Any], values: Values, errors: dict[str, str], status_code: int = 200
) -> Template:
    language = language_of(request)
    return render(
        request,
        "buyer/profile.html",
        status_code=status_code,
        values=values,
        errors=errors,
        buyer_types=choices.buyer_types(language),
        countries=choices.countries(language),
        provinces=choices.provinces(language),
    )


class BuyerPages(Controller):
    path = "/buyer"
    tags = ["pages"]
    exception_handlers = {_NoProfile: _to_profile}

    @get("/")
    async def demands(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        buyer = await require_profile(request, db_session)
        items, total = await DemandService(session=db_session).list_for_buyer(
            buyer.id, status=None, limit=100, offset=0
        )
        return render(request, "buyer/demands.html", buyer=buyer, demands=[demand_read(d) for d in items], total=total)

    @get("/profile")
    async def profile(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        buyer = await own_profile(request, db_session)
        user = signed_in_as(request, "buyer")
        values: Values = (
            values_of(buyer_read(buyer, 0))
            if buyer
            else {"country_code": ["VN"], "language": [language_of(request)], "organisation": [user.display_name]}
        )
        return _profile_form(request, values, {})

    @post("/profile")
    async def save_profile(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        """Create the account's buyer profile, or change it, through the API's schemas and service."""
        buyer = await own_profile(request, db_session)
        values = read_values(await request.form())
        buyers = BuyerService(session=db_session)
        try:
            if buyer is None:
                created = parse(values, BuyerCreate, fields=PROFILE_FIELDS, twin=BuyerUpdate)
                await buyers.create_buyer(signed_in_as(request, "buyer"), created)
            else:
                await buyers.update_buyer(buyer, parse(values, BuyerUpdate, fields=PROFILE_FIELDS))
        except FormInvalid as invalid:
            return _profile_form(request, values, invalid.errors, 422)
        except DomainError as refusal:
            await undo(request, db_session)
            return _profile_form(request, values, place_message(refusal.detail, PROFILE_FIELDS), 422)
        flash(request, "flash.saved")
        return Redirect("/buyer", status_code=303)

    @get("/demands/new")
    async def new_demand(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        await require_profile(request, db_session)
        fair = current_fair(await fairs_by_date(db_session))
        values: Values = {"quantity.per": ["month"], "fair_id": [str(fair.id)] if fair else []}
        return await _demand_form(request, db_session, values, {})

    @post("/demands")
    async def create_demand(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        buyer = await require_profile(request, db_session)
        values = read_values(await request.form())
        try:
            data = parse(values, DemandCreate, fields=DEMAND_FIELDS, twin=DemandUpdate)
            demand = await DemandService(session=db_session).create_demand(buyer, data)
        except FormInvalid as invalid:
            return await _demand_form(request, db_session, values, invalid.errors, status_code=422)
        except DomainError as refusal:
            await undo(request, db_session)
            errors = place_message(refusal.detail, schema_names(DemandCreate))
            return await _demand_form(request, db_session, values, errors, status_code=422)
        flash(request, "flash.demand_saved")
        return Redirect(f"/buyer/demands/{demand.id}", status_code=303)

    @get("/demands/{demand_id:uuid}/edit")
    async def edit_demand(
        self, request: Request[Any, Any, Any], demand_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        demand = await own_demand(
            demand_id,
            BuyerService(session=db_session),
            DemandService(session=db_session),
            signed_in_as(request, "buyer"),
        )
        return await _demand_form(request, db_session, values_of(demand_read(demand)), {}, demand_id=demand_id)

    @post("/demands/{demand_id:uuid}")
    async def update_demand(
        self, request: Request[Any, Any, Any], demand_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Any:
        demands = DemandService(session=db_session)
        demand = await own_demand(demand_id, BuyerService(session=db_session), demands, signed_in_as(request, "buyer"))
        values = read_values(await request.form())
        try:
            await demands.update_demand(demand, parse(values, DemandUpdate, fields=(*DEMAND_FIELDS, "status")))
        except FormInvalid as invalid:
            return await _demand_form(request, db_session, values, invalid.errors, demand_id, 422)
        except DomainError as refusal:
            await undo(request, db_session)
            errors = place_message(refusal.detail, schema_names(DemandUpdate))
            return await _demand_form(request, db_session, values, errors, demand_id, 422)
        flash(request, "flash.demand_saved")
        return Redirect(f"/buyer/demands/{demand_id}", status_code=303)

    @get("/demands/{demand_id:uuid}")
    async def matches(
        self, request: Request[Any, Any, Any], demand_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        """The demand's best suppliers, live from the catalogue, each with a one-click meeting request."""
        user = signed_in_as(request, "buyer")
        demand = await own_demand(demand_id, BuyerService(session=db_session), DemandService(session=db_session), user)
        found = await MatchService(db_session, request.app.state.catalogue_cache).matches(demand, MATCHES_SHOWN)
        fairs = await fairs_by_date(db_session)
        fair = current_fair(fairs, demand.fair_id)
        requested: dict[UUID, str] = {}
        if fair is not None:
            requests = MeetingRequestService(db_session)
            mine, _ = await requests.listed(fair, await viewer_of(db_session, user), None, 100, 0)
            requested = {r.exhibitor_id: r.status for r in mine if r.status in ("pending", "accepted")}
        return render(
            request,
            "buyer/matches.html",
            demand=demand_read(demand),
            matches=found,
            factors=FACTORS,
            exclusions=EXCLUSION_REASONS,
            fair=fair,
            requested=requested,
        )

    @post("/meeting-requests")
    async def request_meeting(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        """Ask an exhibitor for a meeting at the fair: the API's rules, answered in place on the match."""
        buyer = await require_profile(request, db_session)
        values = read_values(await request.form())
        values["buyer_id"] = [str(buyer.id)]
        exhibitor = values.get("exhibitor_id", [""])[0]
        try:
            data = parse(values, MeetingRequestCreate, fields=REQUEST_FIELDS)
            fair = await FairService(session=db_session).get_fair(UUID(values.get("fair_id", [""])[0]))
            viewer = await viewer_of(db_session, signed_in_as(request, "buyer"))
            created = await MeetingRequestService(db_session).create(fair, data, viewer, now())
        except (FormInvalid, DomainError, ValueError) as refusal:
            await undo(request, db_session)
            message = refusal.detail if isinstance(refusal, DomainError) else str(refusal)
            return render(
                request, "buyer/request_state.html", status_code=422, error=message, status=None, exhibitor_id=exhibitor
            )
        if request.headers.get("hx-request") != "true":
            flash(request, "flash.requested")
            back = f"/buyer/demands/{data.demand_id}" if data.demand_id else "/buyer"
            return Redirect(back, status_code=303)
        return render(request, "buyer/request_state.html", error=None, status=created.status, exhibitor_id=exhibitor)

    @get("/agenda")
    async def agenda(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        fair_id: Annotated[UUID | None, QueryParameter(name="fair")] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> Template:
        """The buyer's meetings, day by day, with a link to add them to a calendar."""
        buyer = await require_profile(request, db_session)
        return await agenda_page(request, db_session, "buyer", buyer.id, buyer.organisation, fair_id, day)

    @get("/agenda.ics", media_type=CALENDAR)
    async def calendar(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        fair_id: Annotated[UUID | None, QueryParameter(name="fair")] = None,
    ) -> Response[bytes]:
        """The agenda as an iCalendar file (the API's feed), to add to any calendar app."""
        buyer = await require_profile(request, db_session)
        return await agenda_calendar(db_session, "buyer", buyer.id, buyer.organisation, fair_id, buyer.language)
