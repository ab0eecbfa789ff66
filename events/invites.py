"""Calendar invites (iTIP METHOD:REQUEST) for emailed meetings.

The event is the agenda feed's own (``Agenda.event``): same UID, SEQUENCE and times, so a calendar that imported the
feed and then opens the invite updates one event instead of adding a second. The recipient is the only attendee
named (the counterpart's address is not theirs to see); the organiser is the fair's sending address. The VTIMEZONE
is built and serialised once per zone and year and set before the event: serialising it again for every invite cost
a third of the invite.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from functools import cache
from typing import Any

from icalendar import Calendar, Timezone, vCalAddress

from ocopfair.meetings.agenda import PRODID, Agenda


def invite(agenda: Agenda, row: Any, language: str, sender: str, recipient: str, recipient_name: str) -> bytes:
    """The .ics bytes inviting ``recipient`` to the meeting of ``row`` (one of ``agenda.rows``)."""
    sender_name, sender_address = parseaddr(sender)
    event = agenda.event(row, language)
    organizer = vCalAddress(f"mailto:{sender_address}")
    organizer.params["CN"] = sender_name or sender_address
    attendee = vCalAddress(f"mailto:{recipient}")
    attendee.params.update({"CN": recipient_name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"})
    event.add("organizer", organizer)
    event.add("attendee", attendee)
    calendar: bytes = Calendar.new(prodid=PRODID, method="REQUEST", subcomponents=[event]).to_ical()
    head, begin, rest = calendar.partition(b"BEGIN:VEVENT\r\n")
    return head + _vtimezone(row[6], event.start.year) + begin + rest


@cache
def _vtimezone(tzid: str, year: int) -> bytes:
    """The VTIMEZONE of a zone around one year: building it over icalendar's default 1970–2038 span costs tens of
    milliseconds, too much for thousands of invites."""
    timezone = Timezone.from_tzid(tzid, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 1, 12, 31))
    body: bytes = timezone.to_ical()
    return body
