"""The floor plan's data: halls, booths and who holds them, in the renderer's terms.

Organisers see held (proposed) booths too; everyone else sees a booth taken only once it is confirmed.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.allocation.models import BoothAssignment
from ocopfair.allocation.services import main_group
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.fairs.floorplan import ColourBy, PlanBooth, PlanHall, render_floorplan
from ocopfair.fairs.models import Booth, Fair, Hall
from seeds import reference


async def floor_plan_svg(
    session: AsyncSession, fair: Fair, colour_by: ColourBy, language: Literal["vi", "en"], *, organiser: bool
) -> str:
    halls = list(await session.scalars(select(Hall).where(Hall.fair_id == fair.id).order_by(Hall.code)))
    hall_codes = {hall.id: hall.code for hall in halls}
    booths = list(await session.scalars(select(Booth).where(Booth.fair_id == fair.id).order_by(Booth.code)))
    query = select(BoothAssignment).where(BoothAssignment.fair_id == fair.id)
    if not organiser:
        query = query.where(BoothAssignment.status == "confirmed")
    holders = {a.booth_id: a for a in await session.scalars(query)}
    exhibitor_ids = {a.exhibitor_id for a in holders.values()}
    exhibitors = {e.id: e for e in await session.scalars(select(Exhibitor).where(Exhibitor.id.in_(exhibitor_ids)))}
    categories: dict[object, list[str]] = {}
    rows = await session.execute(
        select(Product.exhibitor_id, Product.category).where(Product.exhibitor_id.in_(exhibitor_ids))
    )
    for exhibitor_id, category in rows.all():
        categories.setdefault(exhibitor_id, []).append(category)
    labels = {g.code: (g.name_vi if language == "vi" else g.name_en) for g in reference.category_groups()}

    def plan_booth(booth: Booth) -> PlanBooth:
        holder = holders.get(booth.id)
        exhibitor = exhibitors.get(holder.exhibitor_id) if holder else None
        group = main_group(categories.get(exhibitor.id, [])) if exhibitor else None
        return PlanBooth(
            code=booth.code,
            hall_code=hall_codes[booth.hall_id],
            x_m=booth.x_m,
            y_m=booth.y_m,
            width_m=booth.width_m,
            depth_m=booth.depth_m,
            booth_type=booth.booth_type,
            zone=booth.zone,
            status=holder.status if holder else "available",
            locked=bool(holder and holder.locked),
            exhibitor_name=exhibitor.name if exhibitor else None,
            province_code=exhibitor.province_code if exhibitor else None,
            province_name=reference.province(exhibitor.province_code).name if exhibitor else None,
            group_code=group,
            group_name=labels.get(group) if group else None,
        )

    return render_floorplan(
        fair.name,
        [PlanHall(h.code, h.name, h.x_m, h.y_m, h.width_m, h.depth_m) for h in halls],
        [plan_booth(b) for b in booths],
        colour_by,
        language,
    )
