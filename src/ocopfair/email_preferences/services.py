"""Reading and changing a buyer's or an exhibitor's email preferences: the API's handlers and the preference pages
call these, and the signed unsubscribe link (``events.unsubscribe``) shares the model's rule for unsubscribing."""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.buyers.models import Buyer
from ocopfair.email_preferences.schemas import EmailPreferencesRead, EmailPreferencesUpdate
from ocopfair.exhibitors.models import Exhibitor


def email_preferences_read(recipient: Buyer | Exhibitor) -> EmailPreferencesRead:
    return EmailPreferencesRead(
        recipient_kind="buyer" if isinstance(recipient, Buyer) else "exhibitor",
        recipient_id=recipient.id,
        contact_email=recipient.contact_email,
        subscribed=recipient.unsubscribed_at is None,
        unsubscribed_at=recipient.unsubscribed_at,
        daily_digest=recipient.daily_digest,
        meeting_reminders=recipient.meeting_reminders,
        language=recipient.language if isinstance(recipient, Buyer) else None,  # type: ignore[arg-type]
    )


async def update_email_preferences(
    session: AsyncSession, recipient: Buyer | Exhibitor, data: EmailPreferencesUpdate, at: dt.datetime
) -> EmailPreferencesRead:
    """Apply the fields given; unsubscribing at ``at`` keeps the first time, resubscribing restores the choices."""
    changes = {key: value for key, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
    subscribed = changes.pop("subscribed", None)
    if subscribed is False:
        recipient.unsubscribe(at)
    elif subscribed is True:
        recipient.resubscribe()
    for key, value in changes.items():
        setattr(recipient, key, value)
    await session.flush()
    return email_preferences_read(recipient)
