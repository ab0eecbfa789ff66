"""A fair's meeting slots: its meeting days × sessions cut into slots of ``slot_minutes``, in the fair's time zone.

Slots are numbered 0..n-1 in time order; a slot is known by its start time (stored in UTC), so availability and
meetings survive a change of the fair's sessions as long as their start times still exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ocopfair.fairs.models import Fair


@dataclass(frozen=True, slots=True)
class FairSlot:
    index: int
    day: dt.date
    day_index: int
    session: str
    session_index: int
    starts_at: dt.datetime
    ends_at: dt.datetime


def fair_slots(fair: Fair) -> list[FairSlot]:
    """Every slot of the fair in time order; a session's last slot ends no later than the session."""
    zone = ZoneInfo(fair.timezone)
    length = dt.timedelta(minutes=fair.slot_minutes)
    sessions = sorted(fair.sessions, key=lambda s: s["starts_at"])
    slots: list[FairSlot] = []
    for day_index, day in enumerate(sorted(dt.date.fromisoformat(d) for d in fair.meeting_days)):
        for session_index, session in enumerate(sessions):
            start = dt.datetime.combine(day, dt.time.fromisoformat(session["starts_at"]), zone)
            end = dt.datetime.combine(day, dt.time.fromisoformat(session["ends_at"]), zone)
            while start + length <= end:
                slots.append(
                    FairSlot(len(slots), day, day_index, session["name"], session_index, start, start + length)
                )
                start += length
    return slots


def utc_key(moment: dt.datetime) -> str:
    """A start time as it is stored in availability lists: ISO 8601 in UTC."""
    return moment.astimezone(dt.UTC).isoformat()


class SlotIndex:
    """Look up the fair's slots by start time (any time zone)."""

    def __init__(self, slots: Sequence[FairSlot]) -> None:
        self.slots = list(slots)
        self._by_start = {utc_key(slot.starts_at): slot for slot in slots}

    def at(self, moment: dt.datetime) -> FairSlot | None:
        if moment.tzinfo is None:
            return None
        return self._by_start.get(utc_key(moment))

    def indices(self, starts: Sequence[str]) -> frozenset[int]:
        """The indices of the stored start times that are still slots of the fair."""
        return frozenset(slot.index for key in starts if (slot := self._by_start.get(key)) is not None)
