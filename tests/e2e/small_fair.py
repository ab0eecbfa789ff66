"""A small fair for the browser tests, written through the API's services: three halls, the demo's first twelve
exhibitors (Lệ Gia and its fish sauce among them) with their products and accounts, each with a booth application
waiting for the organiser to allocate."""

from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.accounts.services import UserService
from ocopfair.allocation.schemas import ApplicationCreate
from ocopfair.allocation.services import ApplicationService
from ocopfair.exhibitors.services import ExhibitorService, ProductService
from ocopfair.fairs.schemas import BoothLayout, HallLayout
from ocopfair.fairs.services import BoothService, FairService
from seeds.demo import demo_fair

ORGANISER = "organiser@ocopfair.vn"
EXHIBITOR = "legia@ocopfair.vn"
PASSWORD = "ocopfair-demo"
EXHIBITORS = 12
LAYOUT = BoothLayout(
    halls=[
        HallLayout(code="A", name="Nhà A – Thực phẩm", rows=2, columns=6, zones=["food"]),
        HallLayout(code="B", name="Nhà B – Đồ uống", rows=2, columns=4, zones=["beverage", "herbal"]),
        HallLayout(code="C", name="Nhà C – Thủ công", rows=2, columns=5, zones=["handicraft"]),
    ]
)


async def seed_small_fair(engine: AsyncEngine) -> UUID:
    """The fair, its booths, exhibitors, products, accounts and applications; returns the fair's id."""
    demo = demo_fair()
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        users = UserService(session=session)
        organiser = await users.register(ORGANISER, PASSWORD, "organiser", demo.organiser.display_name)
        fair = await FairService(session=session).create_fair(demo.fair)
        await BoothService(session=session).lay_out(fair, LAYOUT)
        exhibitors, products = ExhibitorService(session=session), ProductService(session=session)
        applications = ApplicationService(session)
        for item in demo.exhibitors[:EXHIBITORS]:
            account = item.account
            owner = (
                await users.register(account.email, account.password, "exhibitor", account.display_name)
                if account
                else None
            )
            profile = msgspec.structs.replace(item.profile, owner_user_id=owner.id if owner else None)
            exhibitor = await exhibitors.create_exhibitor(organiser, profile)
            for product in item.products:
                await products.create_product(exhibitor, product)
            await applications.apply(fair, ApplicationCreate(exhibitor_id=exhibitor.id))
        return fair.id
