"""Exhibitors and their products: ownership, consistent edits, and catalogue search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import Select, exists, false, func, select

from matching.folding import fold
from ocopfair.accounts.models import User
from ocopfair.errors import NotFound, Unprocessable
from ocopfair.exhibitors.models import Exhibitor, Product, ProductCertification
from ocopfair.exhibitors.schemas import CertificateIn, ExhibitorCreate, ExhibitorUpdate, ProductCreate, ProductUpdate
from ocopfair.ownership import owner_for_new_profile
from ocopfair.payloads import Amount, Quantity
from seeds import reference


class ExhibitorService(SQLAlchemyAsyncRepositoryService[Exhibitor]):
    class Repository(SQLAlchemyAsyncRepository[Exhibitor]):
        model_type = Exhibitor

    repository_type = Repository

    async def get_exhibitor(self, exhibitor_id: UUID) -> Exhibitor:
        exhibitor = await self.get_one_or_none(id=exhibitor_id)
        if exhibitor is None:
            raise NotFound(f"exhibitor {exhibitor_id} not found")
        return exhibitor

    async def create_exhibitor(self, user: User, data: ExhibitorCreate) -> Exhibitor:
        fields = msgspec.structs.asdict(data)
        fields.pop("owner_user_id")
        owner_id = await owner_for_new_profile(
            self.repository.session, user, data.owner_user_id, role="exhibitor", profile=Exhibitor
        )
        exhibitor = Exhibitor(**fields, owner_id=owner_id)
        return await self.create(exhibitor)

    async def update_exhibitor(self, exhibitor: Exhibitor, data: ExhibitorUpdate) -> Exhibitor:
        for key, value in msgspec.structs.asdict(data).items():
            if value is not msgspec.UNSET:
                setattr(exhibitor, key, value)
        return await self.update(exhibitor)

    async def product_counts(self, exhibitor_ids: Sequence[UUID]) -> dict[UUID, int]:
        if not exhibitor_ids:
            return {}
        rows = await self.repository.session.execute(
            select(Product.exhibitor_id, func.count())
            .where(Product.exhibitor_id.in_(exhibitor_ids))
            .group_by(Product.exhibitor_id)
        )
        return dict(rows.all())

    async def list_exhibitors(
        self, *, province: str | None, kind: str | None, q: str | None, limit: int, offset: int
    ) -> tuple[list[Exhibitor], int]:
        query = select(Exhibitor)
        if province:
            query = query.where(Exhibitor.province_code == province)
        if kind:
            query = query.where(Exhibitor.kind == kind)
        if q:
            # A phrase of the folded name; a query of punctuation alone names nothing, so it finds nothing.
            phrase = fold(q)
            query = query.where(Exhibitor.search_name.contains(phrase, autoescape=True) if phrase else false())
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = await session.scalars(query.order_by(Exhibitor.name, Exhibitor.id).limit(limit).offset(offset))
        return list(items), total


def product_search_text(name: str, name_en: str | None, description: str, category: str) -> str:
    """Accent-folded text the catalogue search matches against: names, description and category labels."""
    group = category.split(".", 1)[0]
    labels = [*reference.category_label(category), *reference.category_label(group)]
    return fold(" ".join([name, name_en or "", description, *labels]))[:9000]


def _quantity_columns(prefix: str, value: Quantity | Amount | None) -> dict[str, Any]:
    columns: dict[str, Any] = {f"{prefix}_amount": None, f"{prefix}_unit": None}
    if prefix == "capacity":
        columns["capacity_per"] = None
    if value is not None:
        columns[f"{prefix}_amount"] = value.amount
        columns[f"{prefix}_unit"] = value.unit
        if isinstance(value, Quantity):
            columns[f"{prefix}_per"] = value.per
    return columns


def _replace_certificates(product: Product, certificates: list[CertificateIn]) -> None:
    """Update in place the certificates that stay, so a code never exists twice during the flush."""
    wanted = {c.code: c.expires_on for c in certificates}
    kept = [held for held in product.certifications if held.code in wanted]
    for held in kept:
        held.expires_on = wanted.pop(held.code)
    product.certifications = kept + [ProductCertification(code=code, expires_on=on) for code, on in wanted.items()]


class ProductService(SQLAlchemyAsyncRepositoryService[Product]):
    class Repository(SQLAlchemyAsyncRepository[Product]):
        model_type = Product

    repository_type = Repository

    async def get_product(self, product_id: UUID) -> Product:
        product = await self.get_one_or_none(id=product_id)
        if product is None:
            raise NotFound(f"product {product_id} not found")
        return product

    def _apply(self, product: Product, changes: dict[str, Any]) -> None:
        for name in ("capacity", "min_order", "pack_size"):
            if name in changes:
                for column, value in _quantity_columns(name, changes.pop(name)).items():
                    setattr(product, column, value)
        if "certifications" in changes:
            _replace_certificates(product, changes.pop("certifications"))
        for key, value in changes.items():
            setattr(product, key, value)
        if product.stars is None:
            product.star_expires_on = None
        if (
            product.price_min_vnd is not None
            and product.price_max_vnd is not None
            and product.price_min_vnd > product.price_max_vnd
        ):
            raise Unprocessable("price_min_vnd is above price_max_vnd")
        product.search_text = product_search_text(product.name, product.name_en, product.description, product.category)

    async def create_product(self, exhibitor: Exhibitor, data: ProductCreate) -> Product:
        product = Product(exhibitor_id=exhibitor.id, certifications=[])
        self._apply(product, {key: getattr(data, key) for key in data.__struct_fields__})
        return await self.create(product)

    async def update_product(self, product: Product, data: ProductUpdate) -> Product:
        changes = {key: value for key, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
        self._apply(product, changes)
        product.updated_at = dt.datetime.now(dt.UTC)
        return await self.update(product)

    def catalogue_query(
        self,
        *,
        category: str | None = None,
        min_stars: int | None = None,
        certification: str | None = None,
        province: str | None = None,
        q: str | None = None,
        exhibitor_id: UUID | None = None,
        today: dt.date,
    ) -> Select[tuple[Product, Exhibitor]]:
        query = select(Product, Exhibitor).join(Exhibitor, Exhibitor.id == Product.exhibitor_id)
        if category:
            query = query.where(
                Product.category == category if "." in category else Product.category.startswith(f"{category}.")
            )
        if min_stars is not None:
            query = query.where(Product.stars >= min_stars)
        if certification:
            query = query.where(
                exists().where(
                    ProductCertification.product_id == Product.id,
                    ProductCertification.code.in_(reference.satisfiers(certification)),
                    ProductCertification.expires_on.is_(None) | (ProductCertification.expires_on >= today),
                )
            )
        if province:
            query = query.where(Exhibitor.province_code == province)
        if exhibitor_id:
            query = query.where(Product.exhibitor_id == exhibitor_id)
        for token in fold(q or "").split():
            query = query.where(Product.search_text.contains(token, autoescape=True))
        return query

    async def search(
        self, query: Select[tuple[Product, Exhibitor]], *, limit: int, offset: int
    ) -> tuple[list[tuple[Product, Exhibitor]], int]:
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = await session.execute(
            query.order_by(Product.stars.desc().nulls_last(), Product.name, Product.id).limit(limit).offset(offset)
        )
        return [(product, exhibitor) for product, exhibitor in rows.all()], total
