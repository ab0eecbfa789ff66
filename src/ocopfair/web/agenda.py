"""A participant's agenda as a page, day by day, and as an iCalendar download: the API's agenda, shared by the
buyer's and the exhibitor's pages."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any
from uuid import UUID

from litestar import Request, Response
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.meetings.agenda import load_agenda
from ocopfair.meetings.services import Participant
from ocopfair.web.fair_picker import current_fair, fairs_by_date
from ocopfair.web.rendering import render

CALENDAR = "text/calendar"


async def agenda_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    participant: Participant,
    participant_id: UUID,
    name: str,
    fair_id: UUID | None,
    day: dt.date | None,
) -> Template:
    """The meetings at the chosen (or current) fair, grouped by day, with the link to their .ics."""
    fairs = await fairs_by_date(session)
    fair = current_fair(fairs, fair_id)
    agenda = await load_agenda(session, participant, participant_id, name, fair.id if fair else None, day)
    items = agenda.read().items
    days = [(key, list(group)) for key, group in groupby(items, key=lambda item: item.starts_at.date())]
    ics = f"/{participant}/agenda.ics" + (f"?fair={fair.id}" if fair else "")
    return render(request, "agenda.html", fair=fair, fairs=fairs, days=days, day=day, ics=ics)


async def agenda_calendar(
    session: AsyncSession,
    participant: Participant,
    participant_id: UUID,
    name: str,
    fair_id: UUID | None,
    language: str,
) -> Response[bytes]:
    """The agenda as an iCalendar file to add to any calendar app (the API's feed, as a download)."""
    agenda = await load_agenda(session, participant, participant_id, name, fair_id, None)
    return Response(
        agenda.ics(language),
        media_type=CALENDAR,
        headers={"Content-Disposition": 'attachment; filename="ocopfair-agenda.ics"'},
    )
