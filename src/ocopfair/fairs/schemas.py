"""Payloads of fairs, halls and booths."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import available_timezones

import msgspec

from ocopfair.allocation.schemas import AllocationPolicyIn
from ocopfair.matches.schemas import MatchWeightsIn
from ocopfair.payloads import LongText, Money, Name, TimeOfDay, check_category, province_code

FairStatus = Literal["draft", "open", "allocated", "running", "closed"]
BoothType = Literal["standard", "corner", "premium", "double"]
BoothStatus = Literal["available", "held", "confirmed"]
FAIR_STATUS_ORDER: tuple[str, ...] = ("draft", "open", "allocated", "running", "closed")
SlotMinutes = Annotated[int, msgspec.Meta(ge=5, le=240)]
TablesPerBooth = Annotated[int, msgspec.Meta(ge=1, le=20)]
SharedTables = Annotated[int, msgspec.Meta(ge=0, le=1000)]
DigestDaysBefore = Annotated[int, msgspec.Meta(ge=0, le=60)]
ReminderMinutes = Annotated[int, msgspec.Meta(ge=5, le=1440)]
Metres = Annotated[float, msgspec.Meta(gt=0, le=100)]
HallCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9]{0,4}$")]


class MeetingSession(msgspec.Struct, forbid_unknown_fields=True):
    """A block of meeting slots on each meeting day, e.g. morning 08:30–11:30."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    starts_at: TimeOfDay
    ends_at: TimeOfDay

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValueError(f"session {self.name!r} must end after it starts")


DEFAULT_SESSIONS = (
    MeetingSession(name="morning", starts_at=dt.time(8, 30), ends_at=dt.time(11, 30)),
    MeetingSession(name="afternoon", starts_at=dt.time(13, 30), ends_at=dt.time(16, 30)),
)


def _check_timezone(name: str) -> None:
    if name not in available_timezones():
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'Asia/Ho_Chi_Minh'")


def _check_sessions(sessions: list[MeetingSession]) -> None:
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for before, after in pairwise(ordered):
        if after.starts_at < before.ends_at:
            raise ValueError(f"sessions {before.name!r} and {after.name!r} overlap")
    if len({s.name for s in sessions}) != len(sessions):
        raise ValueError("session names must be unique")


class FairCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    venue: Name
    host_province_code: str
    starts_on: dt.date
    ends_on: dt.date
    timezone: str = "Asia/Ho_Chi_Minh"
    meeting_days: list[dt.date] = msgspec.field(default_factory=list)
    sessions: list[MeetingSession] = msgspec.field(default_factory=lambda: list(DEFAULT_SESSIONS))
    slot_minutes: SlotMinutes = 20
    description: LongText = ""
    digest_time: TimeOfDay = dt.time(7, 0)
    digest_days_before: DigestDaysBefore = 3
    reminder_minutes: ReminderMinutes = 30

    def __post_init__(self) -> None:
        self.host_province_code = province_code(self.host_province_code)
        _check_timezone(self.timezone)
        _check_sessions(self.sessions)
        self.meeting_days = sorted(set(self.meeting_days))


class FairUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    venue: Name | msgspec.UnsetType = msgspec.UNSET
    host_province_code: str | msgspec.UnsetType = msgspec.UNSET
    starts_on: dt.date | msgspec.UnsetType = msgspec.UNSET
    ends_on: dt.date | msgspec.UnsetType = msgspec.UNSET
    timezone: str | msgspec.UnsetType = msgspec.UNSET
    status: FairStatus | msgspec.UnsetType = msgspec.UNSET
    meeting_days: list[dt.date] | msgspec.UnsetType = msgspec.UNSET
    sessions: list[MeetingSession] | msgspec.UnsetType = msgspec.UNSET
    slot_minutes: SlotMinutes | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    match_weights: MatchWeightsIn | msgspec.UnsetType | None = msgspec.UNSET
    allocation_policy: AllocationPolicyIn | msgspec.UnsetType | None = msgspec.UNSET
    meeting_request_deadline: dt.datetime | msgspec.UnsetType | None = msgspec.UNSET
    meeting_tables_per_booth: TablesPerBooth | msgspec.UnsetType = msgspec.UNSET
    shared_meeting_tables: SharedTables | msgspec.UnsetType = msgspec.UNSET
    digest_time: TimeOfDay | msgspec.UnsetType = msgspec.UNSET
    digest_days_before: DigestDaysBefore | msgspec.UnsetType = msgspec.UNSET
    reminder_minutes: ReminderMinutes | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.meeting_request_deadline, dt.datetime) and self.meeting_request_deadline.tzinfo is None:
            raise ValueError("meeting_request_deadline needs a time zone offset, e.g. 2026-12-15T17:00:00+07:00")
        if isinstance(self.host_province_code, str):
            self.host_province_code = province_code(self.host_province_code)
        if isinstance(self.timezone, str):
            _check_timezone(self.timezone)
        if isinstance(self.sessions, list):
            _check_sessions(self.sessions)
        if isinstance(self.meeting_days, list):
            self.meeting_days = sorted(set(self.meeting_days))


class FairRead(msgspec.Struct):
    id: UUID
    name: str
    venue: str
    host_province_code: str
    starts_on: dt.date
    ends_on: dt.date
    timezone: str
    status: FairStatus
    meeting_days: list[dt.date]
    sessions: list[MeetingSession]
    slot_minutes: int
    description: str
    booth_count: int
    match_weights: dict[str, float]
    allocation_policy: AllocationPolicyIn
    meeting_request_deadline: dt.datetime | None
    meeting_tables_per_booth: int
    shared_meeting_tables: int
    digest_time: dt.time
    digest_days_before: int
    reminder_minutes: int


class HallLayout(msgspec.Struct, forbid_unknown_fields=True):
    """A hall laid out as ``rows`` × ``columns`` booths; ``zones`` (product groups) split its rows in order."""

    code: HallCode
    name: Name
    rows: Annotated[int, msgspec.Meta(ge=1, le=40)]
    columns: Annotated[int, msgspec.Meta(ge=1, le=60)]
    booth_width_m: Metres = 3.0
    booth_depth_m: Metres = 3.0
    aisle_m: Annotated[float, msgspec.Meta(ge=0, le=20)] = 2.0
    zones: list[str] = msgspec.field(default_factory=list)
    premium_rows: list[Annotated[int, msgspec.Meta(ge=1)]] = msgspec.field(default_factory=list)
    corner_booths: bool = True
    price_vnd: Money = 0
    corner_price_vnd: Money | None = None
    premium_price_vnd: Money | None = None

    def __post_init__(self) -> None:
        for zone in self.zones:
            check_category(zone)
        if len(self.zones) > self.rows:
            raise ValueError(f"hall {self.code} has more zones ({len(self.zones)}) than rows ({self.rows})")
        if any(row > self.rows for row in self.premium_rows):
            raise ValueError(f"hall {self.code} names a premium row beyond its {self.rows} rows")


class BoothLayout(msgspec.Struct, forbid_unknown_fields=True):
    halls: Annotated[list[HallLayout], msgspec.Meta(min_length=1, max_length=20)]

    def __post_init__(self) -> None:
        codes = [hall.code for hall in self.halls]
        if len(set(codes)) != len(codes):
            raise ValueError("hall codes must be unique")
        if sum(hall.rows * hall.columns for hall in self.halls) > 2000:
            raise ValueError("a fair holds at most 2000 booths")


class HallRead(msgspec.Struct):
    id: UUID
    code: str
    name: str
    zones: list[str]
    x_m: float
    y_m: float
    width_m: float
    depth_m: float
    booth_count: int


class LayoutRead(msgspec.Struct):
    fair_id: UUID
    halls: list[HallRead]
    booth_count: int


class BoothRead(msgspec.Struct):
    id: UUID
    code: str
    hall_code: str
    zone: str | None
    row: int
    column: int
    x_m: float
    y_m: float
    width_m: float
    depth_m: float
    booth_type: BoothType
    price_vnd: int
    status: BoothStatus
    exhibitor_id: UUID | None
    locked: bool
