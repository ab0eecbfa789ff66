"""What the emails show, as plain values for the templates: the fair, match lines, consortium suggestions and
meetings (from the participant's ``Agenda``, with an .ics invite for each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from events.composer import Addressee, Attachment
from events.invites import invite
from matching.explain import PERIODS, format_number, unit_label
from matching.types import Language
from ocopfair.fairs.models import Fair
from ocopfair.matches.schemas import ConsortiumRead
from ocopfair.meetings.agenda import Agenda, meeting_place
from ocopfair.payloads import Quantity
from seeds.reference import category_label, province


@dataclass(frozen=True, slots=True)
class FairInfo:
    name: str
    venue: str
    starts_on: dt.date
    ends_on: dt.date

    @classmethod
    def of(cls, fair: Fair) -> FairInfo:
        return cls(fair.name, fair.venue, fair.starts_on, fair.ends_on)


@dataclass(frozen=True, slots=True)
class MatchLine:
    rank: int
    product_name: str
    exhibitor_name: str
    province: str
    booth_code: str | None
    hall_name: str | None
    percent: int
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class ConsortiumMemberLine:
    exhibitor_name: str
    product_name: str
    supplies: str
    booth_code: str | None


@dataclass(frozen=True, slots=True)
class ConsortiumLine:
    wanted: str
    covered_percent: int
    members: list[ConsortiumMemberLine]


@dataclass(frozen=True, slots=True)
class DemandSection:
    title: str
    matches: list[MatchLine]
    consortium: ConsortiumLine | None


@dataclass(frozen=True, slots=True)
class MeetingLine:
    starts_at: dt.datetime
    ends_at: dt.datetime
    counterpart: str
    place: str


def province_name(code: str, language: str) -> str:
    try:
        found = province(code)
    except KeyError:
        return code
    return found.name_en if language == "en" else found.name


def demand_title(text: str, categories: list[str], language: str) -> str:
    """The demand as the buyer wrote it (shortened), else its categories by name."""
    text = " ".join(text.split())
    if text:
        return text if len(text) <= 90 else text[:89].rstrip() + "…"
    names = []
    for code in categories:
        try:
            names.append(category_label(code)[1 if language == "en" else 0])
        except KeyError:
            names.append(code)
    return ", ".join(names)


def quantity_text(quantity: Quantity, language: str) -> str:
    lang: Language = "en" if language == "en" else "vi"
    period = PERIODS[lang][quantity.per]
    return f"{format_number(quantity.amount, lang)} {unit_label(quantity.unit, lang)}/{period}"


def consortium_line(consortium: ConsortiumRead, booths: dict[str, str], language: str) -> ConsortiumLine:
    """``booths`` maps exhibitor ids (as text) to their booth codes at the fair."""
    return ConsortiumLine(
        wanted=quantity_text(consortium.wanted, language),
        covered_percent=round(consortium.covered_share * 100),
        members=[
            ConsortiumMemberLine(
                exhibitor_name=member.exhibitor_name,
                product_name=member.product_name,
                supplies=quantity_text(member.supplies, language),
                booth_code=booths.get(str(member.exhibitor_id)),
            )
            for member in consortium.members
        ],
    )


def meeting_lines(agenda: Agenda, language: str) -> list[MeetingLine]:
    """The agenda's scheduled meetings, placed in the same words as the calendar's LOCATION."""
    return [
        MeetingLine(
            item.starts_at,
            item.ends_at,
            item.counterpart_name,
            meeting_place(language, item.booth_code, item.hall_name or item.hall_code, item.table_no),
        )
        for item in agenda.read().items
    ]


def invites(agenda: Agenda, to: Addressee, sender: str) -> tuple[Attachment, ...]:
    """One METHOD:REQUEST invite per scheduled meeting of the agenda, named by its local start time."""
    attachments = []
    for row in agenda.rows:
        meeting = row[0]
        if meeting.status != "scheduled":
            continue
        local = meeting.starts_at.astimezone(ZoneInfo(row[6]))
        filename = f"meeting-{local:%Y%m%d-%H%M}.ics"
        attachments.append(Attachment(filename, invite(agenda, row, to.language, sender, to.email, to.name)))
    return tuple(attachments)
