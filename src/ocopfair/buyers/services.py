"""Buyers and their demands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import func, select

from ocopfair.access import is_organiser
from ocopfair.accounts.models import User
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.buyers.schemas import BuyerCreate, BuyerUpdate, DemandCreate, DemandUpdate
from ocopfair.errors import NotFound, Unprocessable
from ocopfair.fairs.models import Fair
from ocopfair.ownership import owner_for_new_profile
from ocopfair.payloads import Quantity


class BuyerService(SQLAlchemyAsyncRepositoryService[Buyer]):
    class Repository(SQLAlchemyAsyncRepository[Buyer]):
        model_type = Buyer

    repository_type = Repository

    async def get_buyer(self, buyer_id: UUID) -> Buyer:
        buyer = await self.get_one_or_none(id=buyer_id)
        if buyer is None:
            raise NotFound(f"buyer {buyer_id} not found")
        return buyer

    async def create_buyer(self, user: User, data: BuyerCreate) -> Buyer:
        owner_id = await owner_for_new_profile(
            self.repository.session, user, data.owner_user_id, role="buyer", profile=Buyer
        )
        fields = msgspec.structs.asdict(data)
        fields.pop("owner_user_id")
        return await self.create(Buyer(**fields, owner_id=owner_id))

    async def update_buyer(self, buyer: Buyer, data: BuyerUpdate) -> Buyer:
        for key, value in msgspec.structs.asdict(data).items():
            if value is not msgspec.UNSET:
                setattr(buyer, key, value)
        return await self.update(buyer)

    async def visible_to(
        self, user: User, *, buyer_type: str | None, limit: int, offset: int
    ) -> tuple[list[Buyer], int]:
        """Organisers see every buyer; a buyer account sees its own profile; exhibitors see none."""
        query = select(Buyer)
        if not is_organiser(user):
            query = query.where(Buyer.owner_id == user.id)
        if buyer_type:
            query = query.where(Buyer.buyer_type == buyer_type)
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = await session.scalars(query.order_by(Buyer.organisation, Buyer.id).limit(limit).offset(offset))
        return list(items), total

    async def demand_counts(self, buyer_ids: Sequence[UUID]) -> dict[UUID, int]:
        if not buyer_ids:
            return {}
        rows = await self.repository.session.execute(
            select(Demand.buyer_id, func.count()).where(Demand.buyer_id.in_(buyer_ids)).group_by(Demand.buyer_id)
        )
        return dict(rows.all())


def _quantity_columns(quantity: Quantity | None) -> dict[str, Any]:
    if quantity is None:
        return {"quantity_amount": None, "quantity_unit": None, "quantity_per": None}
    return {"quantity_amount": quantity.amount, "quantity_unit": quantity.unit, "quantity_per": quantity.per}


class DemandService(SQLAlchemyAsyncRepositoryService[Demand]):
    class Repository(SQLAlchemyAsyncRepository[Demand]):
        model_type = Demand

    repository_type = Repository

    async def get_demand(self, demand_id: UUID) -> Demand:
        demand = await self.get_one_or_none(id=demand_id)
        if demand is None:
            raise NotFound(f"demand {demand_id} not found")
        return demand

    async def _check_fair(self, fair_id: UUID | None) -> None:
        if fair_id is not None and await self.repository.session.get(Fair, fair_id) is None:
            raise Unprocessable(f"fair {fair_id} does not exist")

    async def create_demand(self, buyer: Buyer, data: DemandCreate) -> Demand:
        await self._check_fair(data.fair_id)
        fields = msgspec.structs.asdict(data)
        fields.update(_quantity_columns(fields.pop("quantity")))
        return await self.create(Demand(buyer_id=buyer.id, status="open", **fields))

    async def update_demand(self, demand: Demand, data: DemandUpdate) -> Demand:
        changes = {key: value for key, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
        if "fair_id" in changes:
            await self._check_fair(changes["fair_id"])
        if "quantity" in changes:
            changes.update(_quantity_columns(changes.pop("quantity")))
        for key, value in changes.items():
            setattr(demand, key, value)
        if not demand.text.strip() and not demand.categories:
            raise Unprocessable("a demand needs a text, categories, or both")
        return await self.update(demand)

    async def list_for_buyer(
        self, buyer_id: UUID, *, status: str | None, limit: int, offset: int
    ) -> tuple[list[Demand], int]:
        query = select(Demand).where(Demand.buyer_id == buyer_id)
        if status:
            query = query.where(Demand.status == status)
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = await session.scalars(query.order_by(Demand.created_at.desc(), Demand.id).limit(limit).offset(offset))
        return list(items), total
