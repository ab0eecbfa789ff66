"""Ranking demands against the catalogue, explaining each match, building consortia, storing runs."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from functools import partial
from uuid import UUID

import msgspec
from anyio import to_thread
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.catalogue import Catalogue, capacity_per_month
from matching.consortium import Candidate, Consortium, build_consortium
from matching.engine import BlockScores, rank, score_block
from matching.explain import explain
from matching.quantities import convert, per_month, unit_kind
from matching.rules import BASE_UNITS, KINDS
from matching.types import FACTORS, Need, Ranking, Rate, Weights
from ocopfair.allocation.models import BoothAssignment
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.errors import Unprocessable
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.fairs.models import Booth, Fair
from ocopfair.matches.answer_versions import answer_version
from ocopfair.matches.catalogue_source import CatalogueCache
from ocopfair.matches.models import DemandMatch
from ocopfair.matches.schemas import (
    ConsortiumMember,
    ConsortiumRead,
    Factors,
    MatchesRead,
    MatchItem,
    MatchRunRead,
)
from ocopfair.payloads import Quantity

CONSORTIUM_POOL = 200
STORED_PER_DEMAND = 20


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def need_of(demand: Demand, buyer: Buyer) -> Need:
    return Need(
        demand_id=str(demand.id),
        text=demand.text,
        categories=tuple(demand.categories),
        quantity=Rate(demand.quantity_amount, demand.quantity_unit, demand.quantity_per or "month")
        if demand.quantity_amount is not None and demand.quantity_unit
        else None,
        required_certifications=tuple(demand.required_certifications),
        preferred_certifications=tuple(demand.preferred_certifications),
        min_stars=demand.min_stars,
        target_market=demand.target_market,
        preferred_provinces=tuple(demand.preferred_provinces),
        needed_months=tuple(demand.needed_months),
        buyer_province_code=buyer.province_code,
        language=buyer.language,  # type: ignore[arg-type]
    )


def _cover(catalogue: Catalogue, quantity: Rate, scored: BlockScores, row: int) -> Consortium:
    """The fewest eligible suppliers, best scored first, whose capacity covers row ``row``'s ``quantity``."""
    kind = unit_kind(quantity.unit)
    wanted = per_month(convert(quantity.amount, quantity.unit, BASE_UNITS[KINDS.index(kind)]), quantity.per)
    eligible = [int(i) for i in (scored.excluded_by[row] == 0).nonzero()[0]]
    eligible.sort(key=lambda i: (-scored.score[row, i], i))
    pool = [
        Candidate(index=i, score=float(scored.score[row, i]), capacity=capacity_per_month(catalogue.supplies[i], kind))
        for i in eligible[:CONSORTIUM_POOL]
    ]
    return build_consortium(pool, wanted)


def _consortium_read(
    demand_id: UUID,
    quantity: Rate,
    result: Consortium,
    catalogue: Catalogue,
    names: dict[UUID, tuple[Product, Exhibitor]],
) -> ConsortiumRead:
    base = BASE_UNITS[KINDS.index(unit_kind(quantity.unit))]
    period_factor = per_month(1.0, quantity.per)
    members = []
    for member in result.members:
        product, exhibitor = names[UUID(catalogue.supplies[member.index].product_id)]
        amount = convert(member.supplies, base, quantity.unit) / period_factor
        members.append(
            ConsortiumMember(
                product_id=product.id,
                exhibitor_id=exhibitor.id,
                product_name=product.name,
                exhibitor_name=exhibitor.name,
                supplies=Quantity(amount=round(amount, 6), unit=quantity.unit, per=quantity.per),  # type: ignore[arg-type]
            )
        )
    wanted_quantity = Quantity(quantity.amount, quantity.unit, quantity.per)  # type: ignore[arg-type]
    return ConsortiumRead(
        demand_id=demand_id, wanted=wanted_quantity, covered_share=round(result.covered_share, 6), members=members
    )


def weights_of(fair: Fair | None) -> Weights:
    return msgspec.convert({**msgspec.to_builtins(Weights()), **((fair and fair.match_weights) or {})}, Weights)


class MatchService:
    """Matches of demands; the catalogue comes from a per-process cache checked against the database."""

    def __init__(self, session: AsyncSession, cache: CatalogueCache) -> None:
        self.session = session
        self.cache = cache

    async def _context(self, demand: Demand) -> tuple[Need, Weights, Fair | None]:
        buyer = await self.session.get_one(Buyer, demand.buyer_id)
        fair = await self.session.get(Fair, demand.fair_id) if demand.fair_id else None
        return need_of(demand, buyer), weights_of(fair), fair

    async def _booth_codes(self, fair_id: UUID | None, exhibitor_ids: Sequence[UUID]) -> dict[UUID, str]:
        if fair_id is None or not exhibitor_ids:
            return {}
        rows = await self.session.execute(
            select(BoothAssignment.exhibitor_id, Booth.code)
            .join(Booth, Booth.id == BoothAssignment.booth_id)
            .where(
                BoothAssignment.fair_id == fair_id,
                BoothAssignment.status == "confirmed",
                BoothAssignment.exhibitor_id.in_(exhibitor_ids),
            )
            .order_by(Booth.code.desc())
        )
        return dict(rows.tuples().all())

    async def _names(self, product_ids: Sequence[UUID]) -> dict[UUID, tuple[Product, Exhibitor]]:
        if not product_ids:
            return {}
        rows = await self.session.execute(
            select(Product, Exhibitor)
            .join(Exhibitor, Exhibitor.id == Product.exhibitor_id)
            .where(Product.id.in_(product_ids))
        )
        return {product.id: (product, exhibitor) for product, exhibitor in rows.all()}

    async def _items(self, catalogue: Catalogue, need: Need, ranking: Ranking, fair_id: UUID | None) -> list[MatchItem]:
        by_id = {s.product_id: s for s in catalogue.supplies}
        ids = [UUID(m.product_id) for m in ranking.matches]
        names = await self._names(ids)
        booths = await self._booth_codes(fair_id, list({exhibitor.id for _, exhibitor in names.values()}))
        items = []
        for match in ranking.matches:
            product, exhibitor = names[UUID(match.product_id)]
            items.append(
                MatchItem(
                    rank=match.rank,
                    product_id=product.id,
                    product_name=product.name,
                    exhibitor_id=exhibitor.id,
                    exhibitor_name=exhibitor.name,
                    province_code=exhibitor.province_code,
                    booth_code=booths.get(exhibitor.id),
                    score=match.score,
                    factors=Factors(**msgspec.structs.asdict(match.factors)),
                    reasons=explain(need, by_id[match.product_id], catalogue),
                )
            )
        return items

    async def matches(self, demand: Demand, limit: int) -> MatchesRead:
        """The demand's best ``limit`` matches, ranked live against the catalogue; an answer this worker computed
        under the same versions of everything it depends on (one query) is served again instead."""
        on = today()
        version = await answer_version(self.session, demand.id, on)
        if (answer := self.cache.answers.get((demand.id, limit), version)) is not None:
            return answer
        need, weights, fair = await self._context(demand)
        catalogue = await self.cache.current(self.session, on)
        (ranking,) = await to_thread.run_sync(lambda: rank(catalogue, [need], weights, k=limit))
        items = await self._items(catalogue, need, ranking, fair.id if fair else None)
        answer = MatchesRead(demand_id=demand.id, items=items, excluded=ranking.excluded)
        self.cache.answers.put((demand.id, limit), version, answer)
        return answer

    async def consortium(self, demand: Demand) -> ConsortiumRead:
        if demand.quantity_amount is None or not demand.quantity_unit:
            raise Unprocessable("this demand states no quantity, so there is nothing for a consortium to cover")
        return (await self.consortia([demand]))[demand.id]

    async def consortia(self, demands: Sequence[Demand]) -> dict[UUID, ConsortiumRead]:
        """The consortium of each demand (each states a quantity), scored a fair's demands at a time: the email
        digests ask for hundreds at once."""
        catalogue = await self.cache.current(self.session, today())
        by_fair: dict[UUID | None, list[tuple[UUID, Rate, Need, Weights]]] = {}
        for demand in demands:
            need, weights, fair = await self._context(demand)
            if need.quantity is None:
                raise Unprocessable("this demand states no quantity, so there is nothing for a consortium to cover")
            by_fair.setdefault(fair.id if fair else None, []).append((demand.id, need.quantity, need, weights))
        results: dict[UUID, tuple[Rate, Consortium]] = {}
        for group in by_fair.values():
            scoring = partial(score_block, catalogue, [need for _, _, need, _ in group], group[0][3])
            scored = await to_thread.run_sync(scoring)
            for row, (demand_id, quantity, _, _) in enumerate(group):
                results[demand_id] = (quantity, _cover(catalogue, quantity, scored, row))
        product_ids = {
            UUID(catalogue.supplies[member.index].product_id)
            for _, result in results.values()
            for member in result.members
        }
        names = await self._names(list(product_ids))
        return {
            demand_id: _consortium_read(demand_id, quantity, result, catalogue, names)
            for demand_id, (quantity, result) in results.items()
        }

    async def run_for_fair(self, fair: Fair) -> MatchRunRead:
        """Recompute and store the matches of every open demand of the fair, replacing the previous run."""
        started = time.perf_counter()
        rows = (
            await self.session.execute(
                select(Demand, Buyer)
                .join(Buyer, Buyer.id == Demand.buyer_id)
                .where(Demand.fair_id == fair.id, Demand.status == "open")
                .order_by(Demand.id)
            )
        ).all()
        catalogue = await self.cache.current(self.session, today())
        needs = [need_of(demand, buyer) for demand, buyer in rows]
        weights = weights_of(fair)
        rankings = await to_thread.run_sync(lambda: rank(catalogue, needs, weights, k=STORED_PER_DEMAND))
        fair_demands = select(Demand.id).where(Demand.fair_id == fair.id)
        await self.session.execute(delete(DemandMatch).where(DemandMatch.demand_id.in_(fair_demands)))
        computed_at = dt.datetime.now(dt.UTC)
        by_id = {s.product_id: s for s in catalogue.supplies}
        stored = 0
        for need, ranking in zip(needs, rankings, strict=True):
            for match in ranking.matches:
                self.session.add(
                    DemandMatch(
                        demand_id=UUID(need.demand_id),
                        product_id=UUID(match.product_id),
                        rank=match.rank,
                        score=match.score,
                        factors={name: getattr(match.factors, name) for name in FACTORS},
                        reasons=explain(need, by_id[match.product_id], catalogue),
                        computed_at=computed_at,
                    )
                )
                stored += 1
        await self.session.flush()
        elapsed = round((time.perf_counter() - started) * 1000)
        return MatchRunRead(fair_id=fair.id, demands=len(needs), matches=stored, elapsed_ms=elapsed)
