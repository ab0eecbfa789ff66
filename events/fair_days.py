"""When a fair's scheduled emails are due, in the fair's own time zone.

Digests go out daily at the fair's ``digest_time`` from ``digest_days_before`` days before it opens to its last day;
the re-match runs nightly (02:00) over the same days. Only fairs that are open, allocated or running get either.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ocopfair.fairs.models import Fair

ACTIVE_STATUSES = ("open", "allocated", "running")
REMATCH_TIME = dt.time(2, 0)


def local_now(fair: Fair, at: dt.datetime) -> dt.datetime:
    return at.astimezone(ZoneInfo(fair.timezone))


def local_day(fair: Fair, at: dt.datetime) -> dt.date:
    return local_now(fair, at).date()


def day_start(fair: Fair, day: dt.date) -> dt.datetime:
    """The UTC instant the local ``day`` begins at the fair."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(fair.timezone)).astimezone(dt.UTC)


def in_digest_window(fair: Fair, day: dt.date) -> bool:
    return fair.starts_on - dt.timedelta(days=fair.digest_days_before) <= day <= fair.ends_on


def is_due(fair: Fair, at: dt.datetime, time_of_day: dt.time) -> bool:
    """Whether today's run at ``time_of_day`` has come for an active fair within its digest window."""
    local = local_now(fair, at)
    return (
        fair.status in ACTIVE_STATUSES
        and in_digest_window(fair, local.date())
        and local.time().replace(tzinfo=None) >= time_of_day
    )
