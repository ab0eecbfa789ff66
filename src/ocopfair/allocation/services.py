"""Booth applications and manual assignments: who may apply, withdraw, lock a booth or confirm the proposal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.models import User
from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.allocation.schemas import (
    ApplicationCreate,
    ApplicationRead,
    AssignedBooth,
    AssignmentIn,
    AssignmentRead,
    ConfirmReport,
)
from ocopfair.errors import Conflict, NotFound, Unprocessable
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.fairs.models import Booth, Fair, Hall

LIVE_STATUSES = ("submitted", "placed", "waitlisted", "confirmed")
OPEN_FAIR_STATUSES = ("draft", "open", "allocated")


def main_group(categories: Sequence[str]) -> str | None:
    """The product group most of the categories belong to (the first such in alphabetical order on a tie)."""
    counts = Counter(category.split(".", 1)[0] for category in categories)
    if not counts:
        return None
    return min(counts, key=lambda group: (-counts[group], group))


class ApplicationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _exhibitor(self, exhibitor_id: UUID) -> Exhibitor:
        exhibitor = await self.session.get(Exhibitor, exhibitor_id)
        if exhibitor is None:
            raise NotFound(f"exhibitor {exhibitor_id} not found")
        return exhibitor

    async def apply(self, fair: Fair, data: ApplicationCreate) -> BoothApplication:
        """A new application; booths the organiser already holds for the exhibitor become its booths, so a run
        does not give it more."""
        if fair.status not in OPEN_FAIR_STATUSES:
            raise Conflict(f"the fair is {fair.status}: it takes no more booth applications")
        await self._exhibitor(data.exhibitor_id)
        halls = set(await self.session.scalars(select(Hall.code).where(Hall.fair_id == fair.id)))
        unknown = sorted(set(data.preferred_halls) - halls)
        if unknown:
            raise Unprocessable(f"the fair has no hall {', '.join(unknown)}")
        live = await self.session.scalar(
            select(func.count()).where(
                BoothApplication.fair_id == fair.id,
                BoothApplication.exhibitor_id == data.exhibitor_id,
                BoothApplication.status.in_(LIVE_STATUSES),
            )
        )
        if live:
            raise Conflict("this exhibitor already has a live application for this fair; withdraw it first")
        sequence = await self.session.scalar(
            select(func.coalesce(func.max(BoothApplication.sequence), 0)).where(BoothApplication.fair_id == fair.id)
        )
        unclaimed = list(
            await self.session.scalars(
                select(BoothAssignment).where(
                    BoothAssignment.fair_id == fair.id,
                    BoothAssignment.exhibitor_id == data.exhibitor_id,
                    BoothAssignment.application_id.is_(None),
                )
            )
        )
        application = BoothApplication(
            fair_id=fair.id,
            exhibitor_id=data.exhibitor_id,
            booths_requested=data.booths_requested,
            booth_type=data.booth_type,
            preferred_halls=list(data.preferred_halls),
            wants_near_delegation=data.wants_near_delegation,
            product_group=data.product_group,
            note=data.note,
            status="placed" if unclaimed else "submitted",
            sequence=(sequence or 0) + 1,
        )
        self.session.add(application)
        await self.session.flush()
        for assignment in unclaimed:
            assignment.application_id = application.id
        await self.session.flush()
        return application

    async def get(self, fair_id: UUID, application_id: UUID) -> BoothApplication:
        application = await self.session.get(BoothApplication, application_id)
        if application is None or application.fair_id != fair_id:
            raise NotFound(f"application {application_id} not found")
        return application

    async def withdraw(self, application: BoothApplication) -> None:
        """Withdraw while not confirmed; booths it held go back to the pool, locked ones included."""
        if application.status == "confirmed":
            raise Conflict("a confirmed application cannot be withdrawn; ask the organiser")
        if application.status == "withdrawn":
            return
        await self.session.execute(delete(BoothAssignment).where(BoothAssignment.application_id == application.id))
        application.status = "withdrawn"
        application.waitlist_reason = None
        await self.session.flush()

    async def listed(self, fair_id: UUID, exhibitor_ids: Sequence[UUID] | None) -> list[BoothApplication]:
        """The fair's applications, oldest first; only those of ``exhibitor_ids`` unless None (everyone's)."""
        query = select(BoothApplication).where(BoothApplication.fair_id == fair_id)
        if exhibitor_ids is not None:
            query = query.where(BoothApplication.exhibitor_id.in_(exhibitor_ids))
        return list(await self.session.scalars(query.order_by(BoothApplication.sequence)))

    async def owned_exhibitors(self, user: User) -> list[UUID]:
        return list(await self.session.scalars(select(Exhibitor.id).where(Exhibitor.owner_id == user.id)))

    async def reads(self, applications: Sequence[BoothApplication]) -> list[ApplicationRead]:
        ids = [a.id for a in applications]
        rows_of_names = await self.session.execute(
            select(Exhibitor.id, Exhibitor.name).where(Exhibitor.id.in_({a.exhibitor_id for a in applications}))
        )
        names: dict[UUID, str] = dict(rows_of_names.tuples().all())
        booths: dict[UUID, list[AssignedBooth]] = {}
        rows = await self.session.execute(
            select(BoothAssignment, Booth.code, Hall.code)
            .join(Booth, Booth.id == BoothAssignment.booth_id)
            .join(Hall, Hall.id == Booth.hall_id)
            .where(BoothAssignment.application_id.in_(ids))
            .order_by(Booth.code)
        )
        for assignment, booth_code, hall_code in rows.all():
            booths.setdefault(assignment.application_id, []).append(
                AssignedBooth(
                    code=booth_code,
                    hall_code=hall_code,
                    status=assignment.status,
                    locked=assignment.locked,
                )
            )
        return [
            ApplicationRead(
                id=a.id,
                fair_id=a.fair_id,
                exhibitor_id=a.exhibitor_id,
                exhibitor_name=names.get(a.exhibitor_id, ""),
                booths_requested=a.booths_requested,
                booth_type=a.booth_type,  # type: ignore[arg-type]
                preferred_halls=list(a.preferred_halls),
                wants_near_delegation=a.wants_near_delegation,
                product_group=a.product_group,
                note=a.note,
                status=a.status,  # type: ignore[arg-type]
                waitlist_reason=a.waitlist_reason,
                booths=booths.get(a.id, []),
                created_at=a.created_at,
            )
            for a in applications
        ]

    async def exhibitor_groups(self, exhibitor_ids: Sequence[UUID]) -> dict[UUID, str | None]:
        rows = await self.session.execute(
            select(Product.exhibitor_id, Product.category).where(Product.exhibitor_id.in_(exhibitor_ids))
        )
        categories: dict[UUID, list[str]] = {}
        for exhibitor_id, category in rows.all():
            categories.setdefault(exhibitor_id, []).append(category)
        return {e: main_group(categories.get(e, [])) for e in exhibitor_ids}


class AssignmentService:
    """Manual holds and locks, and confirmation; ``booth_assignment.booth_id`` is unique, so races end in 409."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def booth(self, fair_id: UUID, code: str) -> tuple[Booth, Hall]:
        row = (
            await self.session.execute(
                select(Booth, Hall)
                .join(Hall, Hall.id == Booth.hall_id)
                .where(Booth.fair_id == fair_id, Booth.code == code)
            )
        ).first()
        if row is None:
            raise NotFound(f"the fair has no booth {code}")
        return row[0], row[1]

    async def assign(self, fair: Fair, code: str, data: AssignmentIn) -> AssignmentRead:
        """Hold (and by default lock) a booth for an exhibitor; a booth confirmed to someone else is a 409."""
        booth, hall = await self.booth(fair.id, code)
        if await self.session.get(Exhibitor, data.exhibitor_id) is None:
            raise NotFound(f"exhibitor {data.exhibitor_id} not found")
        current = await self.session.scalar(select(BoothAssignment).where(BoothAssignment.booth_id == booth.id))
        if current is not None and current.exhibitor_id != data.exhibitor_id and current.status == "confirmed":
            raise Conflict(f"booth {code} is confirmed to another exhibitor; release it first")
        application_id = await self.session.scalar(
            select(BoothApplication.id).where(
                BoothApplication.fair_id == fair.id,
                BoothApplication.exhibitor_id == data.exhibitor_id,
                BoothApplication.status.in_(LIVE_STATUSES),
            )
        )
        if current is not None and current.exhibitor_id == data.exhibitor_id:
            current.locked = data.locked
            current.application_id = current.application_id or application_id
            assignment = current
        else:
            if current is not None:
                await self.session.execute(
                    delete(BoothAssignment).where(BoothAssignment.id == current.id, BoothAssignment.status == "held")
                )
            assignment = BoothAssignment(
                fair_id=fair.id,
                booth_id=booth.id,
                exhibitor_id=data.exhibitor_id,
                application_id=application_id,
                status="held",
                locked=data.locked,
            )
            self.session.add(assignment)
        if application_id is not None:
            await self.session.execute(
                update(BoothApplication)
                .where(BoothApplication.id == application_id, BoothApplication.status != "confirmed")
                .values(status="placed", waitlist_reason=None)
            )
        await self.session.flush()
        return AssignmentRead(
            booth_code=booth.code,
            hall_code=hall.code,
            exhibitor_id=assignment.exhibitor_id,
            application_id=assignment.application_id,
            status=assignment.status,  # type: ignore[arg-type]
            locked=assignment.locked,
        )

    async def release(self, fair: Fair, code: str) -> None:
        booth, _ = await self.booth(fair.id, code)
        result = await self.session.execute(delete(BoothAssignment).where(BoothAssignment.booth_id == booth.id))
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFound(f"booth {code} is not assigned")

    async def confirm(self, fair: Fair) -> ConfirmReport:
        """Confirm every held booth; confirming twice changes nothing the second time."""
        already = await self.session.scalar(
            select(func.count()).where(BoothAssignment.fair_id == fair.id, BoothAssignment.status == "confirmed")
        )
        held = await self.session.execute(
            update(BoothAssignment)
            .where(BoothAssignment.fair_id == fair.id, BoothAssignment.status == "held")
            .values(status="confirmed")
        )
        applications = await self.session.execute(
            update(BoothApplication)
            .where(
                BoothApplication.fair_id == fair.id,
                BoothApplication.status == "placed",
                BoothApplication.id.in_(
                    select(BoothAssignment.application_id).where(BoothAssignment.fair_id == fair.id)
                ),
            )
            .values(status="confirmed")
        )
        if held.rowcount and fair.status in ("draft", "open"):  # type: ignore[attr-defined]
            fair.status = "allocated"
        await self.session.flush()
        return ConfirmReport(
            confirmed=held.rowcount,  # type: ignore[attr-defined]
            already_confirmed=already or 0,
            applications_confirmed=applications.rowcount,  # type: ignore[attr-defined]
        )
