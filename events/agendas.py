"""An exhibitor's meetings of the day, sent at the fair's digest time on each meeting day, with an invite each
(the exhibitor's daily email: its ``daily_digest`` preference turns it off).

One per exhibitor and day: ``agenda:<fair>:<exhibitor>:<local date>``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.composer import Addressee, Composer
from events.content import FairInfo, invites, meeting_lines
from events.fair_days import day_start, local_day
from events.outbox import NewMessage, enqueue, existing_keys
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.models import Fair
from ocopfair.meetings.agenda import Agenda
from ocopfair.meetings.edits import meeting_rows
from ocopfair.meetings.models import Meeting


async def queue_day_agendas(session: AsyncSession, composer: Composer, fair: Fair, at: dt.datetime) -> int:
    """Write today's agenda of every exhibitor with meetings today (a meeting day of the fair)."""
    day = local_day(fair, at)
    if day.isoformat() not in fair.meeting_days:
        return 0
    rows = await session.execute(
        meeting_rows()
        .where(
            Meeting.fair_id == fair.id,
            Meeting.status == "scheduled",
            Meeting.starts_at >= day_start(fair, day),
            Meeting.starts_at < day_start(fair, day + dt.timedelta(days=1)),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    by_exhibitor: dict[UUID, list[Any]] = defaultdict(list)
    for row in rows:
        by_exhibitor[row[0].exhibitor_id].append(row)
    keys = {exhibitor_id: f"agenda:{fair.id}:{exhibitor_id}:{day.isoformat()}" for exhibitor_id in by_exhibitor}
    written = await existing_keys(session, keys.values())
    exhibitors = await session.scalars(select(Exhibitor).where(Exhibitor.id.in_(list(by_exhibitor))))
    messages = []
    for exhibitor in sorted(exhibitors, key=lambda e: e.id):
        if keys[exhibitor.id] in written or not exhibitor.gets_daily_digest or not exhibitor.contact_email:
            continue
        to = Addressee("exhibitor", exhibitor.id, exhibitor.name, exhibitor.contact_email, "vi")
        agenda = Agenda("exhibitor", exhibitor.id, exhibitor.name, by_exhibitor[exhibitor.id])
        context = {
            "fair": FairInfo.of(fair),
            "recipient_name": exhibitor.name,
            "day": day,
            "meetings": meeting_lines(agenda, to.language),
        }
        outbox_id = uuid4()
        letter = composer.compose(
            "agenda", to, context, outbox_id=outbox_id, at=at, attachments=invites(agenda, to, composer.sender)
        )
        messages.append(NewMessage(outbox_id, keys[exhibitor.id], "agenda", fair.id, to, letter))
    return await enqueue(session, messages, at)
