"""The organiser's dashboard of a fair: how far booths, applications, demands, matches, meetings and emails have come.

Each panel is one function that reads its figures and draws its chart; the dashboard shows ``PANELS`` in order, so
a new concern adds one function to the list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.buyers.models import Demand
from ocopfair.fairs.models import Booth, Fair
from ocopfair.matches.models import DemandMatch
from ocopfair.meetings.models import Meeting, MeetingRequest
from ocopfair.outbox.models import OutboxMessage
from ocopfair.outbox.services import status_counts
from ocopfair.web.charts import Bar, bar_chart, stacked_bar
from ocopfair.web.i18n import Language, translate
from ocopfair.web.rendering import grouped


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    chart: Markup
    facts: list[Fact]
    link: tuple[str, str] | None = None


async def _counts(session: AsyncSession, column: object, *where: object) -> dict[str, int]:
    rows = await session.execute(select(column, func.count()).where(*where).group_by(column))  # type: ignore[call-overload]
    return {str(key): int(count) for key, count in rows.all()}


def _bars(language: Language, prefix: str, counts: dict[str, int], order: tuple[str, ...]) -> list[Bar]:
    return [
        Bar(translate(language, f"{prefix}.{key}"), counts.get(key, 0), grouped(counts.get(key, 0), language))
        for key in order
    ]


async def booths_panel(session: AsyncSession, fair: Fair, language: Language) -> Panel:
    total = await session.scalar(select(func.count()).where(Booth.fair_id == fair.id)) or 0
    taken = await _counts(session, BoothAssignment.status, BoothAssignment.fair_id == fair.id)
    locked = await session.scalar(
        select(func.count()).where(BoothAssignment.fair_id == fair.id, BoothAssignment.locked.is_(True))
    )
    counts = {**taken, "available": total - sum(taken.values())}
    title = translate(language, "dashboard.booths")
    chart = stacked_bar(title, _bars(language, "status", counts, ("confirmed", "held", "available")))
    facts = [
        Fact(translate(language, "dashboard.booths_total"), grouped(total, language)),
        Fact(translate(language, "dashboard.locked"), grouped(locked or 0, language)),
    ]
    return Panel(title, chart, facts, (f"/organiser/fairs/{fair.id}/allocation", translate(language, "nav.allocation")))


async def applications_panel(session: AsyncSession, fair: Fair, language: Language) -> Panel:
    counts = await _counts(session, BoothApplication.status, BoothApplication.fair_id == fair.id)
    order = ("submitted", "placed", "confirmed", "waitlisted", "withdrawn")
    title = translate(language, "dashboard.applications")
    facts = [Fact(translate(language, "dashboard.applications_total"), grouped(sum(counts.values()), language))]
    return Panel(title, bar_chart(title, _bars(language, "status", counts, order)), facts)


async def demand_panel(session: AsyncSession, fair: Fair, language: Language) -> Panel:
    demands = await _counts(session, Demand.status, Demand.fair_id == fair.id)
    of_fair = select(Demand.id).where(Demand.fair_id == fair.id)
    matched = await session.scalar(
        select(func.count(distinct(DemandMatch.demand_id))).where(DemandMatch.demand_id.in_(of_fair))
    )
    stored = await session.scalar(select(func.count()).where(DemandMatch.demand_id.in_(of_fair))) or 0
    computed = await session.scalar(select(func.max(DemandMatch.computed_at)).where(DemandMatch.demand_id.in_(of_fair)))
    counts = {"open": demands.get("open", 0), "matched": matched or 0, "closed": demands.get("closed", 0)}
    title = translate(language, "dashboard.demands")
    facts = [
        Fact(translate(language, "dashboard.matches_stored"), grouped(stored, language)),
        Fact(translate(language, "dashboard.matched_at"), computed.strftime("%d/%m/%Y %H:%M UTC") if computed else "–"),
    ]
    return Panel(title, bar_chart(title, _bars(language, "demand", counts, ("open", "matched", "closed"))), facts)


async def meetings_panel(session: AsyncSession, fair: Fair, language: Language) -> Panel:
    requests = await _counts(session, MeetingRequest.status, MeetingRequest.fair_id == fair.id)
    placed = await _counts(session, Meeting.kind, Meeting.fair_id == fair.id, Meeting.status == "scheduled")
    counts = {**requests, **{f"meeting_{kind}": count for kind, count in placed.items()}}
    order = ("pending", "accepted", "declined", "meeting_requested", "meeting_suggested")
    title = translate(language, "dashboard.meetings")
    facts = [Fact(translate(language, "dashboard.meetings_placed"), grouped(sum(placed.values()), language))]
    return Panel(
        title,
        bar_chart(title, _bars(language, "status", counts, order)),
        facts,
        (f"/organiser/fairs/{fair.id}/schedule", translate(language, "nav.schedule")),
    )


async def emails_panel(session: AsyncSession, fair: Fair, language: Language) -> Panel:
    """The fair's emails sent, waiting (a message being sent counts as waiting) and failed, as parts of them all."""
    counts = await status_counts(session, fair.id)
    parts = {
        "sent": counts.get("sent", 0),
        "pending": counts.get("pending", 0) + counts.get("sending", 0),
        "failed": counts.get("failed", 0),
    }
    last_sent = await session.scalar(select(func.max(OutboxMessage.sent_at)).where(OutboxMessage.fair_id == fair.id))
    title = translate(language, "dashboard.emails")
    chart = stacked_bar(title, _bars(language, "outbox_status", parts, ("sent", "pending", "failed")))
    facts = [
        Fact(translate(language, "dashboard.emails_total"), grouped(sum(counts.values()), language)),
        Fact(
            translate(language, "dashboard.last_sent"), last_sent.strftime("%d/%m/%Y %H:%M UTC") if last_sent else "–"
        ),
    ]
    return Panel(title, chart, facts, (f"/organiser/fairs/{fair.id}/outbox", translate(language, "nav.outbox")))


PanelSource = Callable[[AsyncSession, Fair, Language], Awaitable[Panel]]
PANELS: tuple[PanelSource, ...] = (booths_panel, applications_panel, demand_panel, meetings_panel, emails_panel)


async def dashboard_panels(session: AsyncSession, fair: Fair, language: Language) -> list[Panel]:
    return [await panel(session, fair, language) for panel in PANELS]
