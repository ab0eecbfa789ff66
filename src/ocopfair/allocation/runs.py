"""An allocation run: the fair's booths and live applications into the solver, its proposal back as held booths.

The run replaces every held, unlocked booth in one transaction; locked and confirmed booths stay where they are.
The report says what was placed, why the rest wait, and how well the policy was kept.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from anyio import to_thread
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.allocation import allocate_booths
from matching.allocation_model import WAITLIST_MESSAGES, Allocation, Applicant, BoothSpot, FixedBooth
from matching.booth_runs import contiguous
from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.allocation.policy import booth_zones, policy_of, quota, solver_policy
from ocopfair.allocation.schemas import AllocationPolicyIn, AllocationReport, QuotaUse, WaitlistedRead
from ocopfair.allocation.services import LIVE_STATUSES, main_group
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.fairs.models import Booth, Fair, Hall


@dataclass(frozen=True, slots=True)
class FairState:
    """Everything a run reads, loaded once."""

    booths: dict[UUID, tuple[Booth, Hall]]
    applications: list[BoothApplication]
    exhibitors: dict[UUID, Exhibitor]
    groups: dict[UUID, str | None]
    stars: dict[UUID, int]
    assignments: list[BoothAssignment]


async def load_state(session: AsyncSession, fair: Fair, today: dt.date) -> FairState:
    query = select(Booth, Hall).join(Hall, Hall.id == Booth.hall_id).where(Booth.fair_id == fair.id)
    booths = {booth.id: (booth, hall) for booth, hall in (await session.execute(query)).all()}
    applications = list(
        await session.scalars(
            select(BoothApplication)
            .where(BoothApplication.fair_id == fair.id, BoothApplication.status.in_(LIVE_STATUSES))
            .order_by(BoothApplication.sequence)
        )
    )
    assignments = list(await session.scalars(select(BoothAssignment).where(BoothAssignment.fair_id == fair.id)))
    exhibitor_ids = {a.exhibitor_id for a in applications} | {a.exhibitor_id for a in assignments}
    exhibitors = {e.id: e for e in await session.scalars(select(Exhibitor).where(Exhibitor.id.in_(exhibitor_ids)))}
    categories: dict[UUID, list[str]] = {}
    stars: Counter[UUID] = Counter()
    products = await session.execute(
        select(Product.exhibitor_id, Product.category, Product.stars, Product.star_expires_on).where(
            Product.exhibitor_id.in_(exhibitor_ids)
        )
    )
    for exhibitor_id, category, product_stars, expires_on in products.all():
        categories.setdefault(exhibitor_id, []).append(category)
        if product_stars and (expires_on is None or expires_on >= today):
            stars[exhibitor_id] = max(stars[exhibitor_id], product_stars)
    groups = {e: main_group(categories.get(e, [])) for e in exhibitor_ids}
    return FairState(booths, applications, exhibitors, groups, dict(stars), assignments)


def _province(state: FairState, exhibitor_id: UUID) -> str:
    exhibitor = state.exhibitors.get(exhibitor_id)
    return exhibitor.province_code if exhibitor else ""


def solver_input(
    state: FairState, policy: AllocationPolicyIn
) -> tuple[list[BoothSpot], list[Applicant], list[FixedBooth]]:
    spots = [
        BoothSpot(
            booth_id=str(booth.id),
            hall=hall.code,
            row=booth.row,
            column=booth.column,
            booth_type=booth.booth_type,  # type: ignore[arg-type]
            zones=booth_zones(booth, hall, policy),
        )
        for booth, hall in state.booths.values()
    ]
    fixed = [
        FixedBooth(
            booth_id=str(a.booth_id),
            exhibitor_id=str(a.exhibitor_id),
            province=_province(state, a.exhibitor_id),
            application_id=str(a.application_id) if a.application_id else None,
        )
        for a in state.assignments
        if a.locked or a.status == "confirmed"
    ]
    previous: dict[UUID, set[str]] = {}
    for a in state.assignments:
        if a.application_id is not None:
            previous.setdefault(a.application_id, set()).add(str(a.booth_id))
    applicants = [
        Applicant(
            application_id=str(a.id),
            exhibitor_id=str(a.exhibitor_id),
            province=_province(state, a.exhibitor_id),
            group=a.product_group or state.groups.get(a.exhibitor_id),
            stars=state.stars.get(a.exhibitor_id, 0),
            booths=a.booths_requested,
            booth_type=a.booth_type,  # type: ignore[arg-type]
            preferred_halls=frozenset(a.preferred_halls),
            near_delegation=a.wants_near_delegation,
            previous=frozenset(previous.get(a.id, ())),
            order=a.sequence,
        )
        for a in state.applications
    ]
    return spots, applicants, fixed


async def run_allocation(session: AsyncSession, fair: Fair, today: dt.date, time_limit_s: float) -> AllocationReport:
    """Compute a proposal and store it as held booths, in the caller's transaction."""
    state = await load_state(session, fair, today)
    policy = policy_of(fair)
    spots, applicants, fixed = solver_input(state, policy)
    provinces = {a.province for a in applicants} | {f.province for f in fixed}
    solver = solver_policy(policy, provinces, fair.host_province_code, len(spots))
    result = await to_thread.run_sync(lambda: allocate_booths(spots, applicants, fixed, solver, time_limit_s))
    await _store(session, fair, state, result)
    return report(state, policy, fair, result)


async def _store(session: AsyncSession, fair: Fair, state: FairState, result: Allocation) -> None:
    kept = {a.booth_id for a in state.assignments if a.locked or a.status == "confirmed"}
    await session.execute(
        delete(BoothAssignment).where(
            BoothAssignment.fair_id == fair.id, BoothAssignment.status == "held", BoothAssignment.locked.is_(False)
        )
    )
    by_id = {str(a.id): a for a in state.applications}
    for application_id, booth_ids in result.placed.items():
        application = by_id.get(application_id)
        if application is None:
            continue
        for booth_id in booth_ids:
            if UUID(booth_id) not in kept:
                session.add(
                    BoothAssignment(
                        fair_id=fair.id,
                        booth_id=UUID(booth_id),
                        exhibitor_id=application.exhibitor_id,
                        application_id=application.id,
                        status="held",
                        locked=False,
                    )
                )
        if application.status != "confirmed":
            application.status = "placed"
        application.waitlist_reason = None
    for application_id, reason in result.waitlisted.items():
        by_id[application_id].status = "waitlisted"
        by_id[application_id].waitlist_reason = reason
    await session.flush()


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def report(state: FairState, policy: AllocationPolicyIn, fair: Fair, result: Allocation) -> AllocationReport:
    spots = {str(booth.id): (booth, hall) for booth, hall in state.booths.values()}
    solver_spots = {
        booth_id: BoothSpot(booth_id, hall.code, booth.row, booth.column, booth.booth_type)  # type: ignore[arg-type]
        for booth_id, (booth, hall) in spots.items()
    }
    by_id = {str(a.id): a for a in state.applications}
    placed = {a: booths for a, booths in result.placed.items() if a in by_id}
    zoned = in_zone = preferring = in_preferred = 0
    premium: Counter[str] = Counter()
    used: Counter[str] = Counter()
    delegation_members: dict[str, list[str]] = {}
    for application_id, booth_ids in placed.items():
        application = by_id[application_id]
        group = application.product_group or state.groups.get(application.exhibitor_id)
        province = _province(state, application.exhibitor_id)
        used[province] += len(booth_ids)
        for booth_id in booth_ids:
            booth, hall = spots[booth_id]
            zones = booth_zones(booth, hall, policy)
            if zones:
                zoned += 1
                in_zone += group in zones
            if booth.booth_type == "premium":
                premium[str(state.stars.get(application.exhibitor_id, 0))] += 1
        if application.preferred_halls:
            preferring += 1
            in_preferred += spots[booth_ids[0]][1].code in application.preferred_halls
        if application.wants_near_delegation:
            delegation_members.setdefault(province, []).extend(booth_ids)
    delegations = {p: ids for p, ids in delegation_members.items() if len(ids) >= 2}
    taken = {b for booths in placed.values() for b in booths} | {
        str(a.booth_id) for a in state.assignments if a.locked or a.status == "confirmed"
    }
    confirmed = sum(1 for a in state.assignments if a.status == "confirmed")
    return AllocationReport(
        applications=len(state.applications),
        placed=len(placed),
        waitlisted=[
            WaitlistedRead(
                application_id=by_id[a].id,
                exhibitor_id=by_id[a].exhibitor_id,
                exhibitor_name=state.exhibitors[by_id[a].exhibitor_id].name,
                reason=reason,
                message=WAITLIST_MESSAGES[reason],
            )
            for a, reason in result.waitlisted.items()
        ],
        booths_held=len(taken) - confirmed,
        booths_confirmed=confirmed,
        booths_free=len(spots) - len(taken),
        zone_share=_share(in_zone, zoned),
        preferred_hall_share=_share(in_preferred, preferring),
        delegations=len(delegations),
        delegations_contiguous=sum(contiguous(ids, solver_spots) for ids in delegations.values()),
        quota_use=_quota_use(used, policy, fair, len(spots)),
        premium_by_stars=dict(sorted(premium.items(), reverse=True)),
        optimal=result.optimal,
        solve_ms=round(result.solve_ms, 1),
    )


def _quota_use(used: Counter[str], policy: AllocationPolicyIn, fair: Fair, total: int) -> list[QuotaUse]:
    return [
        QuotaUse(province_code=p, booths=n, quota=quota(policy, p, fair.host_province_code, total))
        for p, n in sorted(used.items(), key=lambda item: (-item[1], item[0]))
    ]
