"""A participant's agenda: their meetings in time order with booth, hall and counterpart, as JSON or iCalendar.

The iCalendar feed (RFC 5545, METHOD:PUBLISH) has one VEVENT per meeting, its times in the fair's time zone with a
VTIMEZONE, and a UID derived from the meeting's id, so importing the feed again updates events instead of adding
copies; SEQUENCE grows each time a meeting moves or is cancelled (a cancelled meeting stays, STATUS:CANCELLED).
Every value comes from the stored meetings (DTSTAMP is the meeting's last change), so the same agenda gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from icalendar.enums import STATUS
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.meetings.edits import meeting_rows
from ocopfair.meetings.models import Meeting
from ocopfair.meetings.schemas import AgendaItem, AgendaRead
from ocopfair.meetings.services import Participant

PRODID = "-//ocopfair//meeting agenda//VI"
TEXT = {
    "vi": {"meeting": "Gặp", "booth": "gian", "shared": "Bàn gặp chung", "table": "bàn", "agenda": "Lịch gặp"},
    "en": {
        "meeting": "Meeting with",
        "booth": "booth",
        "shared": "Shared meeting tables",
        "table": "table",
        "agenda": "Meetings",
    },
}


def meeting_place(language: str, booth_code: str | None, hall: str | None, table_no: int) -> str:
    """Where a meeting is, in words: the hall, booth and table, or the shared tables."""
    words = TEXT.get(language, TEXT["vi"])
    if booth_code:
        return f"{hall}, {words['booth']} {booth_code}, {words['table']} {table_no}"
    return f"{words['shared']}, {words['table']} {table_no}"


def meeting_uid(meeting_id: UUID) -> str:
    """A meeting's iCalendar UID, the same in the agenda feed and in emailed invites, so a calendar keeps one event."""
    return f"meeting-{meeting_id}@ocopfair"


class Agenda:
    """One participant's meetings, read once and rendered as JSON or iCalendar."""

    def __init__(self, participant: Participant, participant_id: UUID, name: str, rows: list[Any]) -> None:
        self.participant = participant
        self.participant_id = participant_id
        self.name = name
        self.rows = rows

    def read(self) -> AgendaRead:
        items = [self._item(row) for row in self.rows if row[0].status == "scheduled"]
        return AgendaRead(self.participant, self.participant_id, self.name, items)

    def _counterpart(self, row: Any) -> tuple[UUID, str]:
        meeting: Meeting = row[0]
        if self.participant == "buyer":
            return meeting.exhibitor_id, row[2]
        return meeting.buyer_id, row[1]

    def _item(self, row: Any) -> AgendaItem:
        meeting, _, _, booth_code, hall_code, hall_name, timezone = row
        zone = ZoneInfo(timezone)
        counterpart_id, counterpart_name = self._counterpart(row)
        return AgendaItem(
            meeting_id=meeting.id,
            fair_id=meeting.fair_id,
            starts_at=meeting.starts_at.astimezone(zone),
            ends_at=meeting.ends_at.astimezone(zone),
            booth_code=booth_code,
            hall_code=hall_code,
            hall_name=hall_name,
            table_no=meeting.table_no,
            counterpart_id=counterpart_id,
            counterpart_name=counterpart_name,
            kind=meeting.kind,
        )

    def event(self, row: Any, language: str) -> Event:
        """The VEVENT of one of the agenda's meetings, as the feed carries it and as emailed invites carry it."""
        words = TEXT.get(language, TEXT["vi"])
        meeting, _, _, booth_code, hall_code, hall_name, timezone = row
        zone = ZoneInfo(timezone)
        _, counterpart_name = self._counterpart(row)
        location = meeting_place(language, booth_code, hall_name or hall_code, meeting.table_no)
        return Event.new(
            uid=meeting_uid(meeting.id),
            start=meeting.starts_at.astimezone(zone),
            end=meeting.ends_at.astimezone(zone),
            stamp=meeting.updated_at.astimezone(dt.UTC),
            summary=f"{words['meeting']} {counterpart_name}",
            location=location,
            sequence=meeting.sequence,
            status=STATUS.CANCELLED if meeting.status == "cancelled" else STATUS.CONFIRMED,
        )

    def ics(self, language: str) -> bytes:
        words = TEXT.get(language, TEXT["vi"])
        calendar = Calendar.new(
            prodid=PRODID,
            method="PUBLISH",
            name=f"{words['agenda']} – {self.name}",
            uid=f"agenda-{self.participant}-{self.participant_id}@ocopfair",
        )
        for row in self.rows:
            calendar.add_component(self.event(row, language))
        calendar.add_missing_timezones()
        body: bytes = calendar.to_ical()
        return body


async def load_agenda(
    session: AsyncSession,
    participant: Participant,
    participant_id: UUID,
    name: str,
    fair_id: UUID | None,
    day: dt.date | None,
) -> Agenda:
    """The participant's meetings, cancelled ones included, in time order; ``day`` is in each fair's time zone."""
    column = Meeting.buyer_id if participant == "buyer" else Meeting.exhibitor_id
    query = meeting_rows().where(column == participant_id)
    if fair_id is not None:
        query = query.where(Meeting.fair_id == fair_id)
    rows = list((await session.execute(query.order_by(Meeting.starts_at, Meeting.id))).all())
    if day is not None:
        rows = [row for row in rows if row[0].starts_at.astimezone(ZoneInfo(row[6])).date() == day]
    return Agenda(participant, participant_id, name, rows)
