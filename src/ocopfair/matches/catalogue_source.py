"""The catalogue as the engine sees it, read from the database and refitted only when products change.

Each process keeps its last fitted catalogue with the version it was built from (product and exhibitor counts and
latest edit times, and the day certificates were judged on); every request checks the version first, so a new or
changed product is in the very next ranking, in every worker.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from matching.catalogue import Catalogue, fit_catalogue
from matching.types import Amount, Certificate, Rate, Supply
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.matches.answers import MatchAnswers
from seeds.reference import matching_reference

CatalogueVersion = tuple[object, ...]


def supply_of(product: Product, exhibitor: Exhibitor) -> Supply:
    return Supply(
        product_id=str(product.id),
        exhibitor_id=str(exhibitor.id),
        name=product.name,
        category=product.category,
        province_code=exhibitor.province_code,
        name_en=product.name_en,
        description=product.description,
        stars=product.stars,
        star_expires_on=product.star_expires_on,
        certificates=tuple(Certificate(c.code, c.expires_on) for c in product.certifications),
        capacity=Rate(product.capacity_amount, product.capacity_unit, product.capacity_per or "month")
        if product.capacity_amount is not None and product.capacity_unit
        else None,
        min_order=Amount(product.min_order_amount, product.min_order_unit)
        if product.min_order_amount is not None and product.min_order_unit
        else None,
        pack_size=Amount(product.pack_size_amount, product.pack_size_unit)
        if product.pack_size_amount is not None and product.pack_size_unit
        else None,
        export_markets=tuple(product.export_markets),
        months_available=tuple(product.months_available),
    )


def catalogue_version_columns() -> list[ScalarSelect[Any]]:
    """Product and exhibitor counts and last edits, as columns a version query can share with others."""
    return [
        select(func.count(Product.id)).scalar_subquery(),
        select(func.max(Product.updated_at)).scalar_subquery(),
        select(func.count(Exhibitor.id)).scalar_subquery(),
        select(func.max(Exhibitor.updated_at)).scalar_subquery(),
    ]


async def catalogue_version(session: AsyncSession, today: dt.date) -> CatalogueVersion:
    return (*(await session.execute(select(*catalogue_version_columns()))).one(), today)


async def load_supplies(session: AsyncSession) -> list[Supply]:
    rows = await session.execute(
        select(Product, Exhibitor)
        .join(Exhibitor, Exhibitor.id == Product.exhibitor_id)
        .options(selectinload(Product.certifications))
        .order_by(Product.id)
    )
    return [supply_of(product, exhibitor) for product, exhibitor in rows.all()]


@dataclass
class CatalogueCache:
    """One fitted catalogue per process, rebuilt when the database says the catalogue changed, and the match reads
    answered from it (``answers``, see ``answers.py``)."""

    version: CatalogueVersion | None = None
    catalogue: Catalogue | None = None
    answers: MatchAnswers = field(default_factory=MatchAnswers)

    def __post_init__(self) -> None:
        self._lock = asyncio.Lock()

    async def current(self, session: AsyncSession, today: dt.date) -> Catalogue:
        async with self._lock:
            version = await catalogue_version(session, today)
            if self.catalogue is None or version != self.version:
                supplies = await load_supplies(session)
                self.catalogue = await to_thread.run_sync(fit_catalogue, supplies, matching_reference(), today)
                self.version = version
            return self.catalogue
