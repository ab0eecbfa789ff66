"""Meeting reminders, to both sides, ``reminder_minutes`` (a fair setting) before each scheduled meeting.

The key ``reminder:<meeting>:<buyer|exhibitor>:<sequence>`` gives one reminder per side and version of a meeting: a
meeting moved after its reminder went out gets a new one for its new time. A meeting already begun gets none, and
neither does a side that unsubscribed or turned reminders off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.composer import Addressee, Composer
from events.content import FairInfo, invites, meeting_lines
from events.fair_days import ACTIVE_STATUSES
from events.outbox import NewMessage, enqueue, existing_keys
from ocopfair.buyers.models import Buyer
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.models import Fair
from ocopfair.meetings.agenda import Agenda
from ocopfair.meetings.edits import meeting_rows
from ocopfair.meetings.models import Meeting

LONGEST_NOTICE = dt.timedelta(minutes=1440)


def _addressee(side: str, row: Any, buyers: dict[Any, Buyer], exhibitors: dict[Any, Exhibitor]) -> Addressee | None:
    meeting = row[0]
    if side == "buyer":
        buyer = buyers[meeting.buyer_id]
        if not buyer.gets_meeting_reminders or not buyer.contact_email:
            return None
        return Addressee("buyer", buyer.id, buyer.organisation, buyer.contact_email, buyer.language)
    exhibitor = exhibitors[meeting.exhibitor_id]
    if not exhibitor.gets_meeting_reminders or not exhibitor.contact_email:
        return None
    return Addressee("exhibitor", exhibitor.id, exhibitor.name, exhibitor.contact_email, "vi")


async def queue_reminders(session: AsyncSession, composer: Composer, at: dt.datetime) -> int:
    """Write the reminders that are due at ``at`` and not yet written; returns how many were written."""
    rows = (
        await session.execute(
            meeting_rows()
            .where(
                Meeting.status == "scheduled",
                Meeting.starts_at > at,
                Meeting.starts_at <= at + LONGEST_NOTICE,
                Fair.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    ).all()
    fair_ids = {row[0].fair_id for row in rows}
    fairs = {fair.id: fair for fair in await session.scalars(select(Fair).where(Fair.id.in_(fair_ids)))}
    due = [row for row in rows if row[0].starts_at - dt.timedelta(minutes=fairs[row[0].fair_id].reminder_minutes) <= at]
    if not due:
        return 0
    keys = {
        (row[0].id, side): f"reminder:{row[0].id}:{side}:{row[0].sequence}"
        for row in due
        for side in ("buyer", "exhibitor")
    }
    written = await existing_keys(session, keys.values())
    buyers = {b.id: b for b in await session.scalars(select(Buyer).where(Buyer.id.in_({r[0].buyer_id for r in due})))}
    exhibitors = {
        e.id: e
        for e in await session.scalars(select(Exhibitor).where(Exhibitor.id.in_({r[0].exhibitor_id for r in due})))
    }
    messages = []
    for row in due:
        meeting = row[0]
        fair = fairs[meeting.fair_id]
        for side in ("buyer", "exhibitor"):
            key = keys[(meeting.id, side)]
            to = _addressee(side, row, buyers, exhibitors)
            if key in written or to is None:
                continue
            agenda = Agenda(to.kind, to.id, to.name, [row])
            context = {
                "fair": FairInfo.of(fair),
                "recipient_name": to.name,
                "meeting": meeting_lines(agenda, to.language)[0],
                "minutes": max(1, round((meeting.starts_at - at).total_seconds() / 60)),
            }
            outbox_id = uuid4()
            letter = composer.compose(
                "reminder", to, context, outbox_id=outbox_id, at=at, attachments=invites(agenda, to, composer.sender)
            )
            messages.append(NewMessage(outbox_id, key, "reminder", fair.id, to, letter))
    return await enqueue(session, messages, at)
