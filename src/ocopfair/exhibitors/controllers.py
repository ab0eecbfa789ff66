"""Exhibitors and the OCOP product catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.security.jwt import Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import may_manage, require_owner
from ocopfair.accounts.models import User
from ocopfair.email_preferences.schemas import EmailPreferencesRead, EmailPreferencesUpdate
from ocopfair.email_preferences.services import email_preferences_read, update_email_preferences
from ocopfair.errors import BadRequest
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.exhibitors.schemas import (
    CertificateRead,
    ExhibitorCreate,
    ExhibitorKind,
    ExhibitorRead,
    ExhibitorUpdate,
    ProductCreate,
    ProductRead,
    ProductUpdate,
)
from ocopfair.exhibitors.services import ExhibitorService, ProductService
from ocopfair.pagination import PageRequest, provide_page
from ocopfair.payloads import Amount, Page, Quantity, check_category, check_certification, province_code

SignedIn = Request[User, Token, Any]


async def provide_exhibitor_service(db_session: NamedDependency[AsyncSession]) -> ExhibitorService:
    return ExhibitorService(session=db_session)


async def provide_product_service(db_session: NamedDependency[AsyncSession]) -> ProductService:
    return ProductService(session=db_session)


def exhibitor_read(exhibitor: Exhibitor, viewer: User, product_count: int) -> ExhibitorRead:
    sees_contact = may_manage(viewer, exhibitor.owner_id)
    return ExhibitorRead(
        id=exhibitor.id,
        name=exhibitor.name,
        kind=exhibitor.kind,  # type: ignore[arg-type]
        province_code=exhibitor.province_code,
        district=exhibitor.district,
        description=exhibitor.description,
        contact_email=exhibitor.contact_email if sees_contact else None,
        phone=exhibitor.phone if sees_contact else None,
        has_account=exhibitor.owner_id is not None,
        product_count=product_count,
    )


def product_read(product: Product, exhibitor: Exhibitor, today: dt.date) -> ProductRead:
    return ProductRead(
        id=product.id,
        exhibitor_id=exhibitor.id,
        exhibitor_name=exhibitor.name,
        province_code=exhibitor.province_code,
        name=product.name,
        name_en=product.name_en,
        description=product.description,
        category=product.category,
        stars=product.stars,
        star_expires_on=product.star_expires_on,
        certifications=[
            CertificateRead(code=c.code, expires_on=c.expires_on, valid=c.expires_on is None or c.expires_on >= today)
            for c in product.certifications
        ],
        capacity=Quantity(product.capacity_amount, product.capacity_unit, product.capacity_per)  # type: ignore[arg-type]
        if product.capacity_amount is not None
        else None,
        min_order=Amount(product.min_order_amount, product.min_order_unit)  # type: ignore[arg-type]
        if product.min_order_amount is not None
        else None,
        pack_size=Amount(product.pack_size_amount, product.pack_size_unit)  # type: ignore[arg-type]
        if product.pack_size_amount is not None
        else None,
        price_min_vnd=product.price_min_vnd,
        price_max_vnd=product.price_max_vnd,
        export_markets=list(product.export_markets),
        ecommerce_channels=list(product.ecommerce_channels),
        months_available=list(product.months_available),
        traceability_code=product.traceability_code,
    )


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class ExhibitorController(Controller):
    path = "/api/exhibitors"
    tags = ["exhibitors"]
    dependencies = {
        "exhibitors": Provide(provide_exhibitor_service),
        "products": Provide(provide_product_service),
        "page": Provide(provide_page),
    }

    @get("/")
    async def list_exhibitors(
        self,
        exhibitors: NamedDependency[ExhibitorService],
        page: NamedDependency[PageRequest],
        request: SignedIn,
        province: Annotated[str | None, QueryParameter(max_length=100)] = None,
        kind: FromQuery[ExhibitorKind | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> Page[ExhibitorRead]:
        items, total = await exhibitors.list_exhibitors(
            province=_validated(province_code, province), kind=kind, q=q, limit=page.limit, offset=page.offset
        )
        counts = await exhibitors.product_counts([e.id for e in items])
        return Page(
            items=[exhibitor_read(e, request.user, counts.get(e.id, 0)) for e in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    @post("/")
    async def create_exhibitor(
        self, data: JSONBody[ExhibitorCreate], exhibitors: NamedDependency[ExhibitorService], request: SignedIn
    ) -> ExhibitorRead:
        """An exhibitor account registers its own profile; organisers register cooperatives on their behalf."""
        exhibitor = await exhibitors.create_exhibitor(request.user, data)
        return exhibitor_read(exhibitor, request.user, 0)

    @get("/{exhibitor_id:uuid}")
    async def get_exhibitor(
        self, exhibitor_id: FromPath[UUID], exhibitors: NamedDependency[ExhibitorService], request: SignedIn
    ) -> ExhibitorRead:
        exhibitor = await exhibitors.get_exhibitor(exhibitor_id)
        counts = await exhibitors.product_counts([exhibitor.id])
        return exhibitor_read(exhibitor, request.user, counts.get(exhibitor.id, 0))

    @patch("/{exhibitor_id:uuid}")
    async def update_exhibitor(
        self,
        exhibitor_id: FromPath[UUID],
        data: JSONBody[ExhibitorUpdate],
        exhibitors: NamedDependency[ExhibitorService],
        request: SignedIn,
    ) -> ExhibitorRead:
        exhibitor = await exhibitors.get_exhibitor(exhibitor_id)
        require_owner(request.user, exhibitor.owner_id, "exhibitor", private=False)
        exhibitor = await exhibitors.update_exhibitor(exhibitor, data)
        counts = await exhibitors.product_counts([exhibitor.id])
        return exhibitor_read(exhibitor, request.user, counts.get(exhibitor.id, 0))

    @get("/{exhibitor_id:uuid}/email-preferences")
    async def get_email_preferences(
        self, exhibitor_id: FromPath[UUID], exhibitors: NamedDependency[ExhibitorService], request: SignedIn
    ) -> EmailPreferencesRead:
        """Which emails the exhibitor gets (its own account or an organiser)."""
        exhibitor = await exhibitors.get_exhibitor(exhibitor_id)
        require_owner(request.user, exhibitor.owner_id, "exhibitor", private=False)
        return email_preferences_read(exhibitor)

    @patch("/{exhibitor_id:uuid}/email-preferences")
    async def update_email_preferences(
        self,
        exhibitor_id: FromPath[UUID],
        data: JSONBody[EmailPreferencesUpdate],
        exhibitors: NamedDependency[ExhibitorService],
        request: SignedIn,
        state: State,
    ) -> EmailPreferencesRead:
        """Turn the day's agenda or the meeting reminders on or off, unsubscribe from every email
        (``subscribed: false``) or resubscribe."""
        exhibitor = await exhibitors.get_exhibitor(exhibitor_id)
        require_owner(request.user, exhibitor.owner_id, "exhibitor", private=False)
        return await update_email_preferences(exhibitors.repository.session, exhibitor, data, state.clock.now())

    @post("/{exhibitor_id:uuid}/products")
    async def create_product(
        self,
        exhibitor_id: FromPath[UUID],
        data: JSONBody[ProductCreate],
        exhibitors: NamedDependency[ExhibitorService],
        products: NamedDependency[ProductService],
        request: SignedIn,
    ) -> ProductRead:
        """List an OCOP product under an exhibitor (its own account or an organiser)."""
        exhibitor = await exhibitors.get_exhibitor(exhibitor_id)
        require_owner(request.user, exhibitor.owner_id, "exhibitor", private=False)
        product = await products.create_product(exhibitor, data)
        return product_read(product, exhibitor, _today())


def _validated(check: Callable[[str], str], value: str | None) -> str | None:
    """A query parameter checked like a body field; an unknown code is a 400, not an empty page."""
    if not value:
        return None
    try:
        return check(value)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


class ProductController(Controller):
    path = "/api/products"
    tags = ["products"]
    dependencies = {
        "exhibitors": Provide(provide_exhibitor_service),
        "products": Provide(provide_product_service),
        "page": Provide(provide_page),
    }

    @get("/")
    async def list_products(
        self,
        products: NamedDependency[ProductService],
        page: NamedDependency[PageRequest],
        category: Annotated[str | None, QueryParameter(max_length=60)] = None,
        min_stars: Annotated[int | None, QueryParameter(ge=3, le=5)] = None,
        certification: Annotated[str | None, QueryParameter(max_length=40)] = None,
        province: Annotated[str | None, QueryParameter(max_length=100)] = None,
        q: Annotated[str | None, QueryParameter(max_length=200, description="accent-insensitive text search")] = None,
        exhibitor_id: FromQuery[UUID | None] = None,
    ) -> Page[ProductRead]:
        """The OCOP catalogue: filter by category (group or subgroup), stars, a valid certification, province, text."""
        today = _today()
        query = products.catalogue_query(
            category=_validated(check_category, category),
            min_stars=min_stars,
            certification=_validated(check_certification, certification),
            province=_validated(province_code, province),
            q=q,
            exhibitor_id=exhibitor_id,
            today=today,
        )
        rows, total = await products.search(query, limit=page.limit, offset=page.offset)
        return Page(
            items=[product_read(p, e, today) for p, e in rows], total=total, limit=page.limit, offset=page.offset
        )

    @get("/{product_id:uuid}")
    async def get_product(
        self,
        product_id: FromPath[UUID],
        products: NamedDependency[ProductService],
        exhibitors: NamedDependency[ExhibitorService],
    ) -> ProductRead:
        product = await products.get_product(product_id)
        return product_read(product, await exhibitors.get_exhibitor(product.exhibitor_id), _today())

    @patch("/{product_id:uuid}")
    async def update_product(
        self,
        product_id: FromPath[UUID],
        data: JSONBody[ProductUpdate],
        products: NamedDependency[ProductService],
        exhibitors: NamedDependency[ExhibitorService],
        request: SignedIn,
    ) -> ProductRead:
        product = await products.get_product(product_id)
        exhibitor = await exhibitors.get_exhibitor(product.exhibitor_id)
        require_owner(request.user, exhibitor.owner_id, "product", private=False)
        product = await products.update_product(product, data)
        return product_read(product, exhibitor, _today())

    @delete("/{product_id:uuid}")
    async def delete_product(
        self,
        product_id: FromPath[UUID],
        products: NamedDependency[ProductService],
        exhibitors: NamedDependency[ExhibitorService],
        request: SignedIn,
    ) -> None:
        product = await products.get_product(product_id)
        exhibitor = await exhibitors.get_exhibitor(product.exhibitor_id)
        require_owner(request.user, exhibitor.owner_id, "product", private=False)
        await products.delete(product.id)
