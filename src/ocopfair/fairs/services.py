"""Fairs and their booths: creation, edits that keep the fair consistent, and booth layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import and_, delete, func, select

from matching.types import Weights
from ocopfair.allocation.models import BoothAssignment
from ocopfair.errors import Conflict, NotFound, Unprocessable
from ocopfair.fairs.layout import plan_halls
from ocopfair.fairs.models import Booth, Fair, Hall
from ocopfair.fairs.schemas import FAIR_STATUS_ORDER, BoothLayout, FairCreate, FairUpdate, MeetingSession
from ocopfair.matches.schemas import MatchWeightsIn


def _check_dates(starts_on: dt.date, ends_on: dt.date, meeting_days: Sequence[dt.date]) -> None:
    if ends_on < starts_on:
        raise Unprocessable("the fair must end on or after the day it starts")
    outside = [day.isoformat() for day in meeting_days if not starts_on <= day <= ends_on]
    if outside:
        raise Unprocessable(f"meeting days outside the fair's dates: {', '.join(outside)}")


def _sessions_json(sessions: Sequence[MeetingSession]) -> list[dict[str, Any]]:
    return [msgspec.to_builtins(session) for session in sorted(sessions, key=lambda s: s.starts_at)]


def _match_weights(current: dict[str, float] | None, given: MatchWeightsIn | None) -> dict[str, float] | None:
    """Merge the given weights into the fair's; ``None`` resets to the defaults. Some weight must stay positive."""
    if given is None:
        return None
    merged = {**(current or {}), **msgspec.structs.asdict(given)}
    merged = {name: float(value) for name, value in merged.items() if value is not None}
    effective = {**msgspec.structs.asdict(Weights()), **merged}
    if not any(value > 0 for value in effective.values()):
        raise Unprocessable("at least one match weight must be positive")
    return merged


class FairService(SQLAlchemyAsyncRepositoryService[Fair]):
    class Repository(SQLAlchemyAsyncRepository[Fair]):
        model_type = Fair

    repository_type = Repository

    async def get_fair(self, fair_id: UUID) -> Fair:
        fair = await self.get_one_or_none(id=fair_id)
        if fair is None:
            raise NotFound(f"fair {fair_id} not found")
        return fair

    async def create_fair(self, data: FairCreate, fair_id: UUID | None = None) -> Fair:
        _check_dates(data.starts_on, data.ends_on, data.meeting_days)
        fair = Fair(
            id=fair_id or uuid4(),
            name=data.name,
            venue=data.venue,
            host_province_code=data.host_province_code,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            timezone=data.timezone,
            status="draft",
            meeting_days=[day.isoformat() for day in data.meeting_days],
            sessions=_sessions_json(data.sessions),
            slot_minutes=data.slot_minutes,
            description=data.description,
            digest_time=data.digest_time,
            digest_days_before=data.digest_days_before,
            reminder_minutes=data.reminder_minutes,
        )
        return await self.create(fair)

    async def update_fair(self, fair_id: UUID, data: FairUpdate) -> Fair:
        fair = await self.get_fair(fair_id)
        changes = msgspec.structs.asdict(data)
        changes = {key: value for key, value in changes.items() if value is not msgspec.UNSET}
        starts_on = changes.get("starts_on", fair.starts_on)
        ends_on = changes.get("ends_on", fair.ends_on)
        meeting_days = changes.get("meeting_days", [dt.date.fromisoformat(day) for day in fair.meeting_days])
        _check_dates(starts_on, ends_on, meeting_days)
        if "status" in changes and FAIR_STATUS_ORDER.index(changes["status"]) < FAIR_STATUS_ORDER.index(fair.status):
            raise Conflict(f"a fair cannot go back from {fair.status} to {changes['status']}")
        if "meeting_days" in changes:
            changes["meeting_days"] = [day.isoformat() for day in meeting_days]
        if "sessions" in changes:
            changes["sessions"] = _sessions_json(changes["sessions"])
        if "allocation_policy" in changes:
            policy = changes["allocation_policy"]
            changes["allocation_policy"] = msgspec.to_builtins(policy) if policy is not None else None
        if "match_weights" in changes:
            changes["match_weights"] = _match_weights(fair.match_weights, changes["match_weights"])
        for key, value in changes.items():
            setattr(fair, key, value)
        return await self.update(fair)

    async def booth_counts(self, fair_ids: Sequence[UUID]) -> dict[UUID, int]:
        if not fair_ids:
            return {}
        rows = await self.repository.session.execute(
            select(Booth.fair_id, func.count()).where(Booth.fair_id.in_(fair_ids)).group_by(Booth.fair_id)
        )
        return dict(rows.all())


class BoothService(SQLAlchemyAsyncRepositoryService[Booth]):
    class Repository(SQLAlchemyAsyncRepository[Booth]):
        model_type = Booth

    repository_type = Repository

    async def lay_out(self, fair: Fair, layout: BoothLayout) -> list[tuple[Hall, int]]:
        """Replace the fair's halls and booths with ``layout``; refused once any booth is taken."""
        session = self.repository.session
        taken = await session.scalar(select(func.count()).where(BoothAssignment.fair_id == fair.id))
        if taken:
            raise Conflict(f"{taken} booths of this fair are already held or confirmed; the layout cannot change")
        await session.execute(delete(Booth).where(Booth.fair_id == fair.id))
        await session.execute(delete(Hall).where(Hall.fair_id == fair.id))
        result: list[tuple[Hall, int]] = []
        for planned in plan_halls(layout.halls):
            hall = Hall(
                fair_id=fair.id,
                code=planned.code,
                name=planned.name,
                zones=planned.zones,
                x_m=planned.x_m,
                y_m=planned.y_m,
                width_m=planned.width_m,
                depth_m=planned.depth_m,
            )
            session.add(hall)
            await session.flush()
            session.add_all(
                Booth(
                    fair_id=fair.id,
                    hall_id=hall.id,
                    code=booth.code,
                    zone=booth.zone,
                    row=booth.row,
                    column=booth.column,
                    x_m=booth.x_m,
                    y_m=booth.y_m,
                    width_m=booth.width_m,
                    depth_m=booth.depth_m,
                    booth_type=booth.booth_type,
                    price_vnd=booth.price_vnd,
                )
                for booth in planned.booths
            )
            result.append((hall, len(planned.booths)))
        await session.flush()
        return result

    async def list_booths(
        self,
        fair_id: UUID,
        *,
        hall: str | None,
        status: str | None,
        zone: str | None,
        held_too: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[Booth, str, BoothAssignment | None]], int]:
        """Booths with their hall code and holder, if any; status ``available`` means no holder. A held booth is a
        proposal, not yet public: without ``held_too`` (everyone but organisers) it shows as available, as on the
        floor plan."""
        holder = BoothAssignment.booth_id == Booth.id
        if not held_too:
            holder = and_(holder, BoothAssignment.status == "confirmed")
        conditions = [Booth.fair_id == fair_id]
        if hall:
            conditions.append(Hall.code == hall)
        if status == "available":
            conditions.append(BoothAssignment.id.is_(None))
        elif status:
            conditions.append(BoothAssignment.status == status)
        if zone:
            conditions.append((Booth.zone == zone) | Booth.zone.startswith(f"{zone}."))
        base = (
            select(Booth, Hall.code, BoothAssignment)
            .join(Hall, Hall.id == Booth.hall_id)
            .outerjoin(BoothAssignment, holder)
            .where(*conditions)
        )
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = await session.execute(base.order_by(Hall.code, Booth.row, Booth.column).limit(limit).offset(offset))
        return [(booth, hall_code, assignment) for booth, hall_code, assignment in rows.all()], total
