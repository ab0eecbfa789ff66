"""Payloads of meeting requests, availability, slots, the scheduling run, meetings and agendas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

Priority = Literal["must", "would_like"]
RequestStatus = Literal["pending", "accepted", "declined", "expired", "cancelled"]
MeetingKind = Literal["requested", "suggested"]
MeetingStatus = Literal["scheduled", "cancelled"]


def aware(moment: dt.datetime, what: str) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{what} needs a time zone offset, e.g. 2026-12-18T08:30:00+07:00")
    return moment


class MeetingRequestCreate(msgspec.Struct, forbid_unknown_fields=True):
    buyer_id: UUID
    exhibitor_id: UUID
    demand_id: UUID | None = None
    priority: Priority = "would_like"
    message: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class MeetingRequestAnswer(msgspec.Struct, forbid_unknown_fields=True):
    """The exhibitor (or an organiser) accepts or declines; the buyer (or an organiser) cancels."""

    status: Literal["accepted", "declined", "cancelled"]


class MeetingRequestRead(msgspec.Struct):
    id: UUID
    fair_id: UUID
    buyer_id: UUID
    buyer_name: str
    exhibitor_id: UUID
    exhibitor_name: str
    demand_id: UUID | None
    priority: Priority
    message: str
    status: RequestStatus
    answered_at: dt.datetime | None
    created_at: dt.datetime


class AvailabilityIn(msgspec.Struct, forbid_unknown_fields=True):
    """The start times of the slots a participant cannot attend, and at most how many meetings a day."""

    unavailable: Annotated[list[dt.datetime], msgspec.Meta(max_length=1000)] = msgspec.field(default_factory=list)
    max_per_day: Annotated[int, msgspec.Meta(ge=0, le=100)] | None = None

    def __post_init__(self) -> None:
        self.unavailable = sorted({aware(moment, "an unavailable slot") for moment in self.unavailable})


class AvailabilityRead(msgspec.Struct):
    fair_id: UUID
    participant: Literal["buyer", "exhibitor"]
    participant_id: UUID
    unavailable: list[dt.datetime]
    max_per_day: int | None


class SlotRead(msgspec.Struct):
    index: int
    day: dt.date
    session: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class ScheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    """``keep_existing`` keeps every scheduled meeting where it is; ``suggestions_per_buyer`` caps the meetings
    suggested from each buyer's top matches (0: none)."""

    time_limit_s: Annotated[float, msgspec.Meta(gt=0, le=120)] = 20.0
    keep_existing: bool = True
    suggestions_per_buyer: Annotated[int, msgspec.Meta(ge=0, le=20)] = 3


class UnplacedRequest(msgspec.Struct):
    request_id: UUID
    reason: str


class ScheduleReport(msgspec.Struct):
    meetings_placed: int
    requests_unplaced: list[UnplacedRequest]
    suggested_placed: int
    total_score: float
    breaks: int
    max_breaks_per_participant: int
    solve_ms: float
    status: Literal["optimal", "feasible", "infeasible", "timeout"]


class MeetingRead(msgspec.Struct):
    id: UUID
    fair_id: UUID
    request_id: UUID | None
    buyer_id: UUID
    buyer_name: str
    exhibitor_id: UUID
    exhibitor_name: str
    booth_code: str | None
    hall_code: str | None
    table_no: int
    slot: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: MeetingKind
    score: float
    status: MeetingStatus


class MeetingChange(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Move a meeting to another slot (by its start time) or cancel it; one of the two."""

    starts_at: dt.datetime | None = None
    status: Literal["cancelled"] | None = None

    def __post_init__(self) -> None:
        if (self.starts_at is None) == (self.status is None):
            raise ValueError("give either starts_at (to move the meeting) or status 'cancelled', not both or neither")
        if self.starts_at is not None:
            aware(self.starts_at, "starts_at")


class AgendaItem(msgspec.Struct):
    meeting_id: UUID
    fair_id: UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    booth_code: str | None
    hall_code: str | None
    hall_name: str | None
    table_no: int
    counterpart_id: UUID
    counterpart_name: str
    kind: MeetingKind


class AgendaRead(msgspec.Struct):
    participant: Literal["buyer", "exhibitor"]
    participant_id: UUID
    name: str
    items: list[AgendaItem]
