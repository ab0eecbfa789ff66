"""Buyers and their demand: private to the buyer's own account and organisers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.security.jwt import Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.access import require_owner
from ocopfair.accounts.models import User
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.buyers.schemas import (
    BuyerCreate,
    BuyerRead,
    BuyerType,
    BuyerUpdate,
    DemandCreate,
    DemandRead,
    DemandStatus,
    DemandUpdate,
)
from ocopfair.buyers.services import BuyerService, DemandService
from ocopfair.email_preferences.schemas import BuyerEmailPreferencesUpdate, EmailPreferencesRead
from ocopfair.email_preferences.services import email_preferences_read, update_email_preferences
from ocopfair.pagination import PageRequest, provide_page
from ocopfair.payloads import Page, Quantity

SignedIn = Request[User, Token, Any]


async def provide_buyer_service(db_session: NamedDependency[AsyncSession]) -> BuyerService:
    return BuyerService(session=db_session)


async def provide_demand_service(db_session: NamedDependency[AsyncSession]) -> DemandService:
    return DemandService(session=db_session)


def buyer_read(buyer: Buyer, demand_count: int) -> BuyerRead:
    return BuyerRead(
        id=buyer.id,
        organisation=buyer.organisation,
        buyer_type=buyer.buyer_type,  # type: ignore[arg-type]
        country_code=buyer.country_code,
        province_code=buyer.province_code,
        contact_email=buyer.contact_email,
        phone=buyer.phone,
        language=buyer.language,  # type: ignore[arg-type]
        demand_count=demand_count,
    )


def demand_read(demand: Demand) -> DemandRead:
    return DemandRead(
        id=demand.id,
        buyer_id=demand.buyer_id,
        fair_id=demand.fair_id,
        text=demand.text,
        categories=list(demand.categories),
        quantity=Quantity(demand.quantity_amount, demand.quantity_unit, demand.quantity_per)  # type: ignore[arg-type]
        if demand.quantity_amount is not None
        else None,
        required_certifications=list(demand.required_certifications),
        preferred_certifications=list(demand.preferred_certifications),
        min_stars=demand.min_stars,
        target_market=demand.target_market,
        preferred_provinces=list(demand.preferred_provinces),
        needed_months=list(demand.needed_months),
        status=demand.status,  # type: ignore[arg-type]
        created_at=demand.created_at,
        updated_at=demand.updated_at,
    )


async def _own_buyer(buyers: NamedDependency[BuyerService], buyer_id: FromPath[UUID], user: User) -> Buyer:
    buyer = await buyers.get_buyer(buyer_id)
    require_owner(user, buyer.owner_id, "buyer", private=True)
    return buyer


async def own_demand(demand_id: UUID, buyers: BuyerService, demands: DemandService, user: User) -> Demand:
    """The demand, when ``user`` is its buyer or an organiser; anyone else gets a 404."""
    demand = await demands.get_demand(demand_id)
    buyer = await buyers.get_buyer(demand.buyer_id)
    require_owner(user, buyer.owner_id, "demand", private=True)
    return demand


class BuyerController(Controller):
    path = "/api/buyers"
    tags = ["buyers"]
    dependencies = {
        "buyers": Provide(provide_buyer_service),
        "demands": Provide(provide_demand_service),
        "page": Provide(provide_page),
    }

    @get("/")
    async def list_buyers(
        self,
        buyers: NamedDependency[BuyerService],
        page: NamedDependency[PageRequest],
        request: SignedIn,
        buyer_type: FromQuery[BuyerType | None] = None,
    ) -> Page[BuyerRead]:
        """Organisers see every buyer; a buyer account sees its own profile."""
        items, total = await buyers.visible_to(
            request.user, buyer_type=buyer_type, limit=page.limit, offset=page.offset
        )
        counts = await buyers.demand_counts([b.id for b in items])
        return Page(
            items=[buyer_read(b, counts.get(b.id, 0)) for b in items], total=total, limit=page.limit, offset=page.offset
        )

    @post("/")
    async def create_buyer(
        self, data: JSONBody[BuyerCreate], buyers: NamedDependency[BuyerService], request: SignedIn
    ) -> BuyerRead:
        """A buyer account registers its own profile; organisers register buyers on their behalf."""
        return buyer_read(await buyers.create_buyer(request.user, data), 0)

    @get("/{buyer_id:uuid}")
    async def get_buyer(
        self, buyer_id: FromPath[UUID], buyers: NamedDependency[BuyerService], request: SignedIn
    ) -> BuyerRead:
        buyer = await _own_buyer(buyers, buyer_id, request.user)
        return buyer_read(buyer, (await buyers.demand_counts([buyer.id])).get(buyer.id, 0))

    @patch("/{buyer_id:uuid}")
    async def update_buyer(
        self,
        buyer_id: FromPath[UUID],
        data: JSONBody[BuyerUpdate],
        buyers: NamedDependency[BuyerService],
        request: SignedIn,
    ) -> BuyerRead:
        buyer = await buyers.update_buyer(await _own_buyer(buyers, buyer_id, request.user), data)
        return buyer_read(buyer, (await buyers.demand_counts([buyer.id])).get(buyer.id, 0))

    @get("/{buyer_id:uuid}/email-preferences")
    async def get_email_preferences(
        self, buyer_id: FromPath[UUID], buyers: NamedDependency[BuyerService], request: SignedIn
    ) -> EmailPreferencesRead:
        """Which emails the buyer gets (its own account or an organiser)."""
        return email_preferences_read(await _own_buyer(buyers, buyer_id, request.user))

    @patch("/{buyer_id:uuid}/email-preferences")
    async def update_email_preferences(
        self,
        buyer_id: FromPath[UUID],
        data: JSONBody[BuyerEmailPreferencesUpdate],
        buyers: NamedDependency[BuyerService],
        request: SignedIn,
        state: State,
    ) -> EmailPreferencesRead:
        """Turn the daily digest or the meeting reminders on or off, choose the emails' language, unsubscribe from
        every email (``subscribed: false``) or resubscribe."""
        buyer = await _own_buyer(buyers, buyer_id, request.user)
        return await update_email_preferences(buyers.repository.session, buyer, data, state.clock.now())

    @post("/{buyer_id:uuid}/demands")
    async def create_demand(
        self,
        buyer_id: FromPath[UUID],
        data: JSONBody[DemandCreate],
        buyers: NamedDependency[BuyerService],
        demands: NamedDependency[DemandService],
        request: SignedIn,
    ) -> DemandRead:
        """State what the buyer needs."""
        buyer = await _own_buyer(buyers, buyer_id, request.user)
        return demand_read(await demands.create_demand(buyer, data))

    @get("/{buyer_id:uuid}/demands")
    async def list_demands(
        self,
        buyer_id: FromPath[UUID],
        buyers: NamedDependency[BuyerService],
        demands: NamedDependency[DemandService],
        page: NamedDependency[PageRequest],
        request: SignedIn,
        status: FromQuery[DemandStatus | None] = None,
    ) -> Page[DemandRead]:
        buyer = await _own_buyer(buyers, buyer_id, request.user)
        items, total = await demands.list_for_buyer(buyer.id, status=status, limit=page.limit, offset=page.offset)
        return Page(items=[demand_read(d) for d in items], total=total, limit=page.limit, offset=page.offset)


class DemandController(Controller):
    path = "/api/demands"
    tags = ["buyers"]
    dependencies = {"buyers": Provide(provide_buyer_service), "demands": Provide(provide_demand_service)}

    @get("/{demand_id:uuid}")
    async def get_demand(
        self,
        demand_id: FromPath[UUID],
        buyers: NamedDependency[BuyerService],
        demands: NamedDependency[DemandService],
        request: SignedIn,
    ) -> DemandRead:
        return demand_read(await own_demand(demand_id, buyers, demands, request.user))

    @patch("/{demand_id:uuid}")
    async def update_demand(
        self,
        demand_id: FromPath[UUID],
        data: JSONBody[DemandUpdate],
        buyers: NamedDependency[BuyerService],
        demands: NamedDependency[DemandService],
        request: SignedIn,
    ) -> DemandRead:
        demand = await own_demand(demand_id, buyers, demands, request.user)
        return demand_read(await demands.update_demand(demand, data))

    @delete("/{demand_id:uuid}")
    async def delete_demand(
        self,
        demand_id: FromPath[UUID],
        buyers: NamedDependency[BuyerService],
        demands: NamedDependency[DemandService],
        request: SignedIn,
    ) -> None:
        demand = await own_demand(demand_id, buyers, demands, request.user)
        await demands.delete(demand.id)
