"""The email preferences a buyer and an exhibitor share, as columns of their own tables."""

from __future__ import annotations

import datetime as dt

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.orm import Mapped, mapped_column


class EmailPreferences:
    """What email a recipient gets. ``unsubscribed_at`` (the link in every email, or the preferences) stops all of
    it; while subscribed, each kind can be turned off alone: ``daily_digest`` is the daily email (a buyer's matches
    and meetings, an exhibitor's meetings of the day), ``meeting_reminders`` the reminder before each meeting."""

    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    daily_digest: Mapped[bool] = mapped_column(default=True)
    meeting_reminders: Mapped[bool] = mapped_column(default=True)

    @property
    def gets_daily_digest(self) -> bool:
        return self.unsubscribed_at is None and self.daily_digest

    @property
    def gets_meeting_reminders(self) -> bool:
        return self.unsubscribed_at is None and self.meeting_reminders

    def unsubscribe(self, at: dt.datetime) -> None:
        """Stop every email; the first time counts."""
        if self.unsubscribed_at is None:
            self.unsubscribed_at = at

    def resubscribe(self) -> None:
        """Get email again, as the preferences say."""
        self.unsubscribed_at = None
