"""Loads the demo fair through the same services the API uses, in one transaction, at most once."""

from __future__ import annotations

from uuid import UUID, uuid5

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ocopfair.accounts.models import User
from ocopfair.accounts.services import UserService
from ocopfair.allocation.policy import policy_json
from ocopfair.allocation.runs import run_allocation
from ocopfair.allocation.schemas import AllocationReport, ApplicationCreate
from ocopfair.allocation.services import ApplicationService, AssignmentService
from ocopfair.buyers.models import Demand
from ocopfair.buyers.services import BuyerService, DemandService
from ocopfair.exhibitors.models import Product
from ocopfair.exhibitors.services import ExhibitorService, ProductService
from ocopfair.fairs.models import Fair
from ocopfair.fairs.services import BoothService, FairService
from ocopfair.matches.catalogue_source import CatalogueCache
from ocopfair.matches.models import DemandMatch
from ocopfair.matches.services import MatchService
from ocopfair.meetings.scheduling import run_schedule
from ocopfair.meetings.schemas import MeetingRequestCreate, ScheduleIn, ScheduleReport
from ocopfair.meetings.services import MeetingRequestService, confirmed_booths, now, viewer_of
from seeds.demo import DemoAccount, DemoFair, demo_fair

DEMO_NAMESPACE = UUID("5b7f0c1e-3d2a-4f61-9a8e-0c0f0a1b2c3d")
DEMO_TIME_LIMIT_S = 30.0
DEMO_MEETING_TIME_LIMIT_S = 5.0


async def _account(users: UserService, account: DemoAccount) -> User:
    existing = await users.get_one_or_none(email=account.email)
    if existing is not None:
        return existing
    return await users.register(account.email, account.password, account.role, account.display_name)


async def load_demo(engine: AsyncEngine, demo: DemoFair | None = None) -> str:
    """Create the demo fair with its booths, exhibitors, products, buyers and demands; a second run changes nothing.

    The fair's id is derived from the demo's key, so its presence marks the demo as loaded; everything is written in
    one transaction, so a failure leaves no half-loaded fair behind.
    """
    demo = demo or demo_fair()
    fair_id = uuid5(DEMO_NAMESPACE, demo.key)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        if await session.get(Fair, fair_id) is not None:
            return f"demo fair {fair_id} already loaded; nothing changed"
        users = UserService(session=session)
        organiser = await _account(users, demo.organiser)
        fair = await FairService(session=session).create_fair(demo.fair, fair_id=fair_id)
        halls = await BoothService(session=session).lay_out(fair, demo.layout)
        exhibitors, products = ExhibitorService(session=session), ProductService(session=session)
        product_count = 0
        created = []
        for item in demo.exhibitors:
            owner = await _account(users, item.account) if item.account else None
            profile = msgspec.structs.replace(item.profile, owner_user_id=owner.id if owner else None)
            exhibitor = await exhibitors.create_exhibitor(organiser, profile)
            created.append(exhibitor.id)
            for product in item.products:
                await products.create_product(exhibitor, product)
                product_count += 1
        report = await _allocate(session, fair, created, demo)
        buyers, demands = BuyerService(session=session), DemandService(session=session)
        demand_count = 0
        with_accounts = []
        for buyer_item in demo.buyers:
            owner = await _account(users, buyer_item.account) if buyer_item.account else None
            buyer = await buyers.create_buyer(
                organiser, msgspec.structs.replace(buyer_item.profile, owner_user_id=owner.id if owner else None)
            )
            if owner is not None:
                with_accounts.append(buyer.id)
            for demand in buyer_item.demands:
                await demands.create_demand(buyer, msgspec.structs.replace(demand, fair_id=fair.id))
                demand_count += 1
        request_count, schedule = await _meetings(session, fair, organiser, with_accounts, demo)
    booth_count = sum(count for _, count in halls)
    return (
        f"demo fair {fair_id} loaded: {booth_count} booths in {len(halls)} halls, {len(demo.exhibitors)} exhibitors, "
        f"{product_count} products, {len(demo.buyers)} buyers, {demand_count} demands; "
        f"{report.booths_held} booths allocated to {report.placed} exhibitors and confirmed, "
        f"{len(report.waitlisted)} applications waitlisted; {request_count} meeting requests, "
        f"{schedule.meetings_placed} meetings scheduled"
    )


async def _allocate(session: AsyncSession, fair: Fair, exhibitor_ids: list[UUID], demo: DemoFair) -> AllocationReport:
    """The exhibitors' applications under the demo's policy, allocated and confirmed, as an organiser would."""
    fair.allocation_policy = policy_json(demo.policy)
    applications = ApplicationService(session)
    for exhibitor_id, item in zip(exhibitor_ids, demo.applications, strict=True):
        await applications.apply(
            fair,
            ApplicationCreate(
                exhibitor_id=exhibitor_id,
                booths_requested=item.booths_requested,
                booth_type=item.booth_type,
                preferred_halls=item.preferred_halls,
                wants_near_delegation=item.wants_near_delegation,
            ),
        )
    report = await run_allocation(session, fair, fair.starts_on, DEMO_TIME_LIMIT_S)
    await AssignmentService(session).confirm(fair)
    return report


async def _meetings(
    session: AsyncSession, fair: Fair, organiser: User, buyer_ids: list[UUID], demo: DemoFair
) -> tuple[int, ScheduleReport]:
    """The fair's matches stored, the buyers with accounts asking to meet their best-matching exhibitors (some
    accepted, some pending), and the meetings scheduled, as the organiser would."""
    plan = demo.meetings
    await MatchService(session, CatalogueCache()).run_for_fair(fair)
    booths = await confirmed_booths(session, fair.id)
    requests = MeetingRequestService(session)
    viewer = await viewer_of(session, organiser)
    at = now()
    count = 0
    for buyer_id in buyer_ids:
        best = await session.execute(
            select(Product.exhibitor_id, Demand.id)
            .join(DemandMatch, DemandMatch.product_id == Product.id)
            .join(Demand, Demand.id == DemandMatch.demand_id)
            .where(Demand.buyer_id == buyer_id, Demand.fair_id == fair.id)
            .order_by(DemandMatch.score.desc(), DemandMatch.rank, Product.id)
        )
        chosen: dict[UUID, UUID] = {}
        for exhibitor_id, demand_id in best.tuples():
            if exhibitor_id in booths and len(chosen) < plan.requests_per_buyer:
                chosen.setdefault(exhibitor_id, demand_id)
        for position, (exhibitor_id, demand_id) in enumerate(chosen.items()):
            data = MeetingRequestCreate(
                buyer_id=buyer_id,
                exhibitor_id=exhibitor_id,
                demand_id=demand_id,
                priority="must" if position == 0 else "would_like",
                message=plan.message,
            )
            request = await requests.create(fair, data, viewer, at)
            if position < plan.accepted:
                await requests.answer(request, "accepted", viewer, at)
            count += 1
    options = ScheduleIn(time_limit_s=DEMO_MEETING_TIME_LIMIT_S, suggestions_per_buyer=plan.suggestions_per_buyer)
    return count, await run_schedule(session, fair, options)
