"""Pages anyone may see: the fairs, a fair with its floor plan (tap a booth: the exhibitor and its products), the
OCOP product catalogue with its filters, and a product."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote
from uuid import UUID

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import is_organiser
from ocopfair.allocation.models import BoothAssignment
from ocopfair.allocation.plan import floor_plan_svg
from ocopfair.allocation.services import AssignmentService
from ocopfair.exhibitors.controllers import product_read
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.exhibitors.services import ExhibitorService, ProductService
from ocopfair.fairs.models import Booth, Fair, Hall
from ocopfair.fairs.services import FairService
from ocopfair.matches.services import today
from ocopfair.payloads import Stars, check_category, check_certification, province_code
from ocopfair.web import choices
from ocopfair.web.fair_picker import fairs_by_date
from ocopfair.web.i18n import language_of
from ocopfair.web.plan_links import Box, interactive_plan
from ocopfair.web.rendering import render

ColourBy = Literal["group", "province", "status"]
CATALOGUE_PAGE = 24


def wants_part(request: Request[Any, Any, Any], target: str) -> bool:
    """An HTMX request that will put the answer into the element ``#target``: send that part, not the page."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == target


def sees_held_booths(request: Request[Any, Any, Any]) -> bool:
    """Organisers see proposed (held) booths; everyone else a booth taken once it is confirmed, as in the API."""
    user = request.state.get("user")
    return user is not None and is_organiser(user)


async def fair_plan(
    session: AsyncSession,
    fair: Fair,
    request: Request[Any, Any, Any],
    colour: ColourBy,
    hall_code: str | None,
    booth_url: Callable[[str], str],
) -> tuple[Any, list[Hall]]:
    """The fair's interactive plan (for one hall when ``hall_code`` names one) and its halls."""
    halls = list(await session.scalars(select(Hall).where(Hall.fair_id == fair.id).order_by(Hall.code)))
    hall = next((h for h in halls if h.code == hall_code), None)
    svg = await floor_plan_svg(session, fair, colour, language_of(request), organiser=sees_held_booths(request))
    box = Box(hall.x_m, hall.y_m, hall.width_m, hall.depth_m) if hall else None
    return interactive_plan(svg, booth_url, "#booth-panel", box), halls


async def booth_directory(session: AsyncSession, fair: Fair, *, held_too: bool) -> list[Any]:
    """Booths with their exhibitor, by code: the plan as a list, for screen readers and small screens."""
    query = (
        select(Booth.code, Hall.code.label("hall"), Exhibitor.id, Exhibitor.name, Exhibitor.province_code)
        .join(BoothAssignment, BoothAssignment.booth_id == Booth.id)
        .join(Exhibitor, Exhibitor.id == BoothAssignment.exhibitor_id)
        .join(Hall, Hall.id == Booth.hall_id)
        .where(Booth.fair_id == fair.id)
        .order_by(Booth.code)
    )
    if not held_too:
        query = query.where(BoothAssignment.status == "confirmed")
    return list((await session.execute(query)).all())


class PublicPages(Controller):
    tags = ["pages"]

    @get("/")
    async def home(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
        fairs = await fairs_by_date(db_session)
        counts = await FairService(session=db_session).booth_counts([fair.id for fair in fairs])
        return render(request, "public/home.html", fairs=fairs, booth_counts=counts)

    @get("/fairs/{fair_id:uuid}")
    async def fair(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        color: FromQuery[ColourBy] = "group",
        hall: Annotated[str | None, QueryParameter(max_length=10)] = None,
    ) -> Template:
        fair = await FairService(session=db_session).get_fair(fair_id)
        plan, halls = await fair_plan(
            db_session, fair, request, color, hall, lambda code: f"/fairs/{fair.id}/booths/{quote(code)}"
        )
        context: dict[str, Any] = {
            "fair": fair,
            "plan": plan,
            "plan_url": f"/fairs/{fair.id}",
            "halls": halls,
            "colour": color,
            "hall": hall,
        }
        if wants_part(request, "plan"):
            return render(request, "public/plan.html", **context)
        directory = await booth_directory(db_session, fair, held_too=sees_held_booths(request))
        return render(request, "public/fair.html", directory=directory, **context)

    @get("/fairs/{fair_id:uuid}/booths/{code:str}")
    async def booth(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        code: FromPath[str],
        db_session: NamedDependency[AsyncSession],
    ) -> Template:
        """A booth's exhibitor and products: a panel beside the plan, or a page of its own without JavaScript."""
        fair = await FairService(session=db_session).get_fair(fair_id)
        booth, hall = await AssignmentService(db_session).booth(fair.id, code)
        holder = await db_session.scalar(select(BoothAssignment).where(BoothAssignment.booth_id == booth.id))
        if holder is not None and holder.status != "confirmed" and not sees_held_booths(request):
            holder = None
        exhibitor = await db_session.get(Exhibitor, holder.exhibitor_id) if holder else None
        products = []
        if exhibitor is not None:
            catalogue = ProductService(session=db_session)
            query = catalogue.catalogue_query(exhibitor_id=exhibitor.id, today=today())
            rows, _ = await catalogue.search(query, limit=50, offset=0)
            products = [product_read(p, e, today()) for p, e in rows]
        context: dict[str, Any] = {"fair": fair, "booth": booth, "hall": hall, "holder": holder, "exhibitor": exhibitor}
        template = "public/booth_panel.html" if wants_part(request, "booth-panel") else "public/booth.html"
        return render(request, template, products=products, **context)

    @get("/products")
    async def catalogue(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        q: Annotated[str, QueryParameter(max_length=200)] = "",
        category: Annotated[str, QueryParameter(max_length=60)] = "",
        min_stars: Annotated[str, QueryParameter(max_length=2)] = "",
        certification: Annotated[str, QueryParameter(max_length=40)] = "",
        province: Annotated[str, QueryParameter(max_length=100)] = "",
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
    ) -> Template:
        """The catalogue, filtered exactly as ``GET /api/products`` filters it (accent-insensitive text too)."""
        errors: dict[str, str] = {}
        stars = _checked(lambda value: str(msgspec.convert(value, Stars, strict=False)), min_stars, "min_stars", errors)
        products = ProductService(session=db_session)
        on = today()
        query = products.catalogue_query(
            category=_checked(check_category, category, "category", errors),
            min_stars=int(stars) if stars else None,
            certification=_checked(check_certification, certification, "certification", errors),
            province=_checked(province_code, province, "province", errors),
            q=q,
            today=on,
        )
        rows, total = await products.search(query, limit=CATALOGUE_PAGE, offset=(page - 1) * CATALOGUE_PAGE)
        language = language_of(request)
        context: dict[str, Any] = {
            "items": [product_read(p, e, on) for p, e in rows],
            "total": total,
            "page": page,
            "pages": max((total + CATALOGUE_PAGE - 1) // CATALOGUE_PAGE, 1),
            "filters": {
                "q": q,
                "category": category,
                "min_stars": min_stars,
                "certification": certification,
                "province": province,
            },
            "errors": errors,
            "groups": choices.category_groups(language),
            "certifications": choices.certifications(),
            "provinces": choices.provinces(language),
        }
        template = "public/catalogue_results.html" if wants_part(request, "results") else "public/catalogue.html"
        return render(request, template, **context)

    @get("/products/{product_id:uuid}")
    async def product(
        self, request: Request[Any, Any, Any], product_id: FromPath[UUID], db_session: NamedDependency[AsyncSession]
    ) -> Template:
        product = await ProductService(session=db_session).get_product(product_id)
        exhibitor = await ExhibitorService(session=db_session).get_exhibitor(product.exhibitor_id)
        return render(
            request, "public/product.html", product=product_read(product, exhibitor, today()), exhibitor=exhibitor
        )


def _checked(check: Callable[[str], str], value: str, name: str, errors: dict[str, str]) -> str | None:
    """A filter checked as the API checks it; a bad one is reported beside its input and left out."""
    if not value.strip():
        return None
    try:
        return check(value.strip())
    except (ValueError, msgspec.ValidationError) as exc:
        errors[name] = str(exc)
        return None
