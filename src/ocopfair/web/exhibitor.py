"""An exhibitor's pages: the profile and products (stars, certificates with expiry, capacity, export markets), the
booth application, the meeting requests to answer, and the day's agenda.

Every write goes through the API's schemas and services, with the API's ownership checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import require_owner
from ocopfair.allocation.schemas import ApplicationCreate
from ocopfair.allocation.services import ApplicationService
from ocopfair.errors import DomainError, NotFound
from ocopfair.exhibitors.controllers import exhibitor_read, product_read
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.exhibitors.schemas import ExhibitorCreate, ExhibitorUpdate, ProductCreate, ProductUpdate
from ocopfair.exhibitors.services import ExhibitorService, ProductService
from ocopfair.fairs.models import Hall
from ocopfair.fairs.services import FairService
from ocopfair.matches.services import today
from ocopfair.meetings.schemas import MeetingRequestAnswer
from ocopfair.meetings.services import MeetingRequestService, now, viewer_of
from ocopfair.web import choices
from ocopfair.web.agenda import CALENDAR, agenda_calendar, agenda_page
from ocopfair.web.fair_picker import current_fair, fairs_by_date
from ocopfair.web.forms import FormInvalid, Values, parse, place_message, read_values, schema_names, values_of
from ocopfair.web.i18n import language_of
from ocopfair.web.rendering import render
from ocopfair.web.session import flash, signed_in_as, undo

PROFILE_FIELDS = ("name", "kind", "province_code", "district", "contact_email", "phone", "description")
APPLICATION_FIELDS = (
    "exhibitor_id",
    "booths_requested",
    "booth_type",
    "preferred_halls",
    "wants_near_delegation",
    "product_group",
    "note",
)
BLANK_CERTIFICATE_ROWS = 2


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


class _NoProfile(Exception):
    """An exhibitor account without its profile yet: its pages send it to the profile form first."""


def _to_profile(_: Request[Any, Any, Any], __: _NoProfile) -> Response[Any]:
    return Redirect("/exhibitor/profile", status_code=303)


async def own_profile(request: Request[Any, Any, Any], session: AsyncSession) -> Exhibitor | None:
    user = signed_in_as(request, "exhibitor")
    return await ExhibitorService(session=session).get_one_or_none(owner_id=user.id)


async def require_profile(request: Request[Any, Any, Any], session: AsyncSession) -> Exhibitor:
    exhibitor = await own_profile(request, session)
    if exhibitor is None:
        raise _NoProfile
    return exhibitor


async def own_product(request: Request[Any, Any, Any], session: AsyncSession, product_id: UUID) -> Product:
    """The product, when the signed-in exhibitor account owns it (the API's rule: others get a 403)."""
    product = await ProductService(session=session).get_product(product_id)
    exhibitor = await ExhibitorService(session=session).get_exhibitor(product.exhibitor_id)
    require_owner(signed_in_as(request, "exhibitor"), exhibitor.owner_id, "product", private=False)
    return product


def _profile_form(
    request: Request[Any, Any, Any], values: Values, errors: dict[str, str], status_code: int = 200
) -> Template:
    language = language_of(request)
    return render(
        request,
        "exhibitor/profile.html",
        status_code=status_code,
        values=values,
        errors=errors,
        kinds=choices.exhibitor_kinds(language),
        provinces=choices.provinces(language),
    )


def _product_form(
    request: Request[Any, Any, Any],
    values: Values,
    errors: dict[str, str],
    product_id: UUID | None = None,
    status_code: int = 200,
) -> Template:
    language = language_of(request)
    rows = {int(key.split("[", 1)[1].split("]", 1)[0]) for key in values if key.startswith("certifications[")}
    return render(
        request,
        "exhibitor/product_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        product_id=product_id,
        certificate_rows=range(max(rows, default=-1) + 1 + BLANK_CERTIFICATE_ROWS),
        groups=choices.category_groups(language),
        certifications=choices.certifications(),
        units=choices.units(language),
        periods=choices.periods(language),
        months=choices.months(language),
    )


class ExhibitorPages(Controller):
    path = "/exhibitor"
    tags = ["pages"]
    exception_handlers = {_NoProfile: _to_profile}

    @get("/")
    async def overview(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        exhibitor = await require_profile(request, db_session)
        products = ProductService(session=db_session)
        rows, _ = await products.search(
            products.catalogue_query(exhibitor_id=exhibitor.id, today=today()), limit=200, offset=0
        )
        profile = exhibitor_read(exhibitor, signed_in_as(request, "exhibitor"), len(rows))
        return render(
            request,
            "exhibitor/overview.html",
            exhibitor=profile,
            products=[product_read(p, e, today()) for p, e in rows],
        )

    @get("/profile")
    async def profile(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        user = signed_in_as(request, "exhibitor")
        exhibitor = await own_profile(request, db_session)
        values = values_of(exhibitor_read(exhibitor, user, 0)) if exhibitor else {"name": [user.display_name]}
        return _profile_form(request, values, {})

    @post("/profile")
    async def save_profile(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        exhibitor = await own_profile(request, db_session)
        values = read_values(await request.form())
        service = ExhibitorService(session=db_session)
        try:
            if exhibitor is None:
                created = parse(values, ExhibitorCreate, fields=PROFILE_FIELDS, twin=ExhibitorUpdate)
                await service.create_exhibitor(signed_in_as(request, "exhibitor"), created)
            else:
                await service.update_exhibitor(exhibitor, parse(values, ExhibitorUpdate, fields=PROFILE_FIELDS))
        except FormInvalid as invalid:
            return _profile_form(request, values, invalid.errors, 422)
        except DomainError as refusal:
            await undo(request, db_session)
            return _profile_form(request, values, place_message(refusal.detail, PROFILE_FIELDS), 422)
        flash(request, "flash.saved")
        return Redirect("/exhibitor", status_code=303)

    @get("/products/new")
    async def new_product(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        await require_profile(request, db_session)
        return _product_form(request, {"capacity.per": ["month"]}, {})

    @post("/products")
    async def create_product(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        exhibitor = await require_profile(request, db_session)
        values = read_values(await request.form())
        try:
            data = parse(values, ProductCreate, twin=ProductUpdate)
            await ProductService(session=db_session).create_product(exhibitor, data)
        except FormInvalid as invalid:
            return _product_form(request, values, invalid.errors, status_code=422)
        except DomainError as refusal:
            await undo(request, db_session)
            errors = place_message(refusal.detail, schema_names(ProductCreate))
            return _product_form(request, values, errors, status_code=422)
        flash(request, "flash.product_saved")
        return Redirect("/exhibitor", status_code=303)

    @get("/products/{product_id:uuid}/edit")
    async def edit_product(
        self, request: Request[Any, Any, Any], product_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        product = await own_product(request, db_session, product_id)
        exhibitor = await ExhibitorService(session=db_session).get_exhibitor(product.exhibitor_id)
        return _product_form(request, values_of(product_read(product, exhibitor, today())), {}, product_id)

    @post("/products/{product_id:uuid}")
    async def update_product(
        self, request: Request[Any, Any, Any], product_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Any:
        product = await own_product(request, db_session, product_id)
        values = read_values(await request.form())
        try:
            await ProductService(session=db_session).update_product(product, parse(values, ProductUpdate))
        except FormInvalid as invalid:
            return _product_form(request, values, invalid.errors, product_id, 422)
        except DomainError as refusal:
            await undo(request, db_session)
            return _product_form(
                request, values, place_message(refusal.detail, schema_names(ProductUpdate)), product_id, 422
            )
        flash(request, "flash.product_saved")
        return Redirect("/exhibitor", status_code=303)

    @post("/products/{product_id:uuid}/delete")
    async def delete_product(
        self, request: Request[Any, Any, Any], product_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        product = await own_product(request, db_session, product_id)
        await ProductService(session=db_session).delete(product.id)
        flash(request, "flash.product_deleted")
        return Redirect("/exhibitor", status_code=303)

    @get("/application")
    async def application(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        fair_id: Annotated[UUID | None, QueryParameter(name="fair")] = None,
    ) -> Template:
        exhibitor = await require_profile(request, db_session)
        return await _application_page(request, db_session, exhibitor.id, fair_id, {}, {})

    @post("/application")
    async def apply(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        """Apply for booths at the fair with the API's schema and service (one live application per fair)."""
        exhibitor = await require_profile(request, db_session)
        values = read_values(await request.form())
        exhibitor_id = exhibitor.id
        values["exhibitor_id"] = [str(exhibitor_id)]
        fair_id = _uuid(values.get("fair_id", [""])[0])
        try:
            fair = await FairService(session=db_session).get_fair(fair_id) if fair_id else None
            data = parse(values, ApplicationCreate, fields=APPLICATION_FIELDS)
            if fair is None:
                raise FormInvalid({"fair_id": "Object missing required field `fair_id`"})
            await ApplicationService(db_session).apply(fair, data)
        except FormInvalid as invalid:
            return await _application_page(request, db_session, exhibitor.id, fair_id, values, invalid.errors, 422)
        except DomainError as refusal:
            await undo(request, db_session)
            errors = place_message(refusal.detail, APPLICATION_FIELDS)
            return await _application_page(request, db_session, exhibitor.id, fair_id, values, errors, 422)
        flash(request, "flash.applied")
        return Redirect(f"/exhibitor/application?fair={fair_id}", status_code=303)

    @post("/application/{application_id:uuid}/withdraw")
    async def withdraw(
        self, request: Request[Any, Any, Any], application_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        await require_profile(request, db_session)
        fair_id = _uuid(str((await request.form()).get("fair_id", "")))
        if fair_id is None:
            raise NotFound("fair not found")
        applications = ApplicationService(db_session)
        application = await applications.get(fair_id, application_id)
        applicant = await db_session.get(Exhibitor, application.exhibitor_id)
        require_owner(
            signed_in_as(request, "exhibitor"), applicant.owner_id if applicant else None, "application", private=True
        )
        await applications.withdraw(application)
        flash(request, "flash.withdrawn")
        return Redirect(f"/exhibitor/application?fair={fair_id}", status_code=303)

    @get("/requests")
    async def requests(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        fair_id: Annotated[UUID | None, QueryParameter(name="fair")] = None,
    ) -> Template:
        """Buyers' meeting requests to this exhibitor at the fair, newest questions first to answer."""
        await require_profile(request, db_session)
        fairs = await fairs_by_date(db_session)
        fair = current_fair(fairs, fair_id)
        items = []
        if fair is not None:
            service = MeetingRequestService(db_session)
            await service.expire_due(fair, now())
            viewer = await viewer_of(db_session, signed_in_as(request, "exhibitor"))
            found, _ = await service.listed(fair, viewer, None, 100, 0)
            items = await service.reads(found)
        items.sort(key=lambda item: (item.status != "pending", item.created_at))
        return render(request, "exhibitor/requests.html", fair=fair, fairs=fairs, items=items)

    @post("/requests/{request_id:uuid}")
    async def answer(
        self, request: Request[Any, Any, Any], request_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Any:
        """Accept or decline a request (the API's rules: only the exhibitor's side, only while pending)."""
        values = read_values(await request.form())
        service = MeetingRequestService(db_session)
        viewer = await viewer_of(db_session, signed_in_as(request, "exhibitor"))
        meeting_request = await service.get_visible(request_id, viewer)
        try:
            answer = parse(values, MeetingRequestAnswer)
            await service.answer(meeting_request, answer.status, viewer, now())
        except (FormInvalid, DomainError) as refusal:
            await undo(request, db_session)
            message = refusal.detail if isinstance(refusal, DomainError) else "; ".join(refusal.errors.values())
            (item,) = await service.reads([await service.get_visible(request_id, viewer)])
            return render(request, "exhibitor/request_row.html", status_code=422, item=item, error=message)
        (item,) = await service.reads([meeting_request])
        if request.headers.get("hx-request") != "true":
            flash(request, f"flash.request_{item.status}")
            return Redirect(f"/exhibitor/requests?fair={item.fair_id}", status_code=303)
        return render(request, "exhibitor/request_row.html", item=item, error=None)

    @get("/agenda")
    async def agenda(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        fair_id: Annotated[UUID | None, QueryParameter(name="fair")] = None,
        day: FromQuery[dt.date | None] = None,
    ) -> Template:
        """The exhibitor's meetings at its booth, day by day."""
        exhibitor = await require_profile(request, db_session)
        return await agenda_page(request, db_session, "exhibitor", exhibitor.id, exhibitor.name, fair_id, day)

    @get("/agenda.ics", media_type=CALENDAR)
    async def calendar(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        fair_id: Annotated[UUID | None, QueryParameter(name="fair")] = None,
    ) -> Response[bytes]:
        exhibitor = await require_profile(request, db_session)
        return await agenda_calendar(
            db_session, "exhibitor", exhibitor.id, exhibitor.name, fair_id, language_of(request)
        )


async def _application_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    exhibitor_id: UUID,
    fair_id: UUID | None,
    values: Values,
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    """The exhibitor's applications at the fair and, while none is live, the form to apply."""
    language = language_of(request)
    fairs = await fairs_by_date(session)
    fair = current_fair(fairs, fair_id)
    applications = ApplicationService(session)
    mine = await applications.reads(await applications.listed(fair.id, [exhibitor_id])) if fair else []
    halls = list(await session.scalars(select(Hall).where(Hall.fair_id == fair.id).order_by(Hall.code))) if fair else []
    return render(
        request,
        "exhibitor/application.html",
        status_code=status_code,
        fair=fair,
        fairs=fairs,
        applications=mine,
        live=[a for a in mine if a.status != "withdrawn"],
        values=values or {"booths_requested": ["1"], "booth_type": ["standard"]},
        errors=errors,
        halls=[choices.Option(h.code, h.name) for h in halls],
        booth_types=choices.booth_types(language),
        groups=choices.product_groups(language),
    )
