"""Payloads of booth applications, the allocation policy, runs, confirmations and manual assignments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from ocopfair.payloads import check_category, province_code, unique

RequestedType = Literal["standard", "corner", "premium", "double"]
ApplicationStatus = Literal["submitted", "placed", "waitlisted", "confirmed", "withdrawn"]
BoothsRequested = Annotated[int, msgspec.Meta(ge=1, le=4)]
Percent = Annotated[float, msgspec.Meta(ge=0, le=100)]
BoothCount = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
HallOrZone = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]


class ApplicationCreate(msgspec.Struct, forbid_unknown_fields=True):
    """``product_group`` defaults to the group most of the exhibitor's products belong to."""

    exhibitor_id: UUID
    booths_requested: BoothsRequested = 1
    booth_type: RequestedType = "standard"
    preferred_halls: list[Annotated[str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9]{0,4}$")]] = msgspec.field(
        default_factory=list
    )
    wants_near_delegation: bool = False
    product_group: str | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""

    def __post_init__(self) -> None:
        self.preferred_halls = unique(self.preferred_halls, "preferred hall")
        if self.product_group is not None and "." in check_category(self.product_group):
            raise ValueError(f"product_group must be a group such as 'food', not the subgroup {self.product_group!r}")
        if self.booth_type == "double" and self.booths_requested < 2:
            raise ValueError("a double stand needs booths_requested of at least 2")


class AssignedBooth(msgspec.Struct):
    code: str
    hall_code: str
    status: Literal["held", "confirmed"]
    locked: bool


class ApplicationRead(msgspec.Struct):
    id: UUID
    fair_id: UUID
    exhibitor_id: UUID
    exhibitor_name: str
    booths_requested: int
    booth_type: RequestedType
    preferred_halls: list[str]
    wants_near_delegation: bool
    product_group: str | None
    note: str
    status: ApplicationStatus
    waitlist_reason: str | None
    booths: list[AssignedBooth]
    created_at: dt.datetime


class AllocationPolicyIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """How booths are shared out.

    ``zoning`` maps a product group to the halls (codes) or zones it belongs in; without it the halls' own zones
    count. Quotas are per province: the host province at most ``host_max_percent`` of the fair's booths, any other
    at most ``other_max_percent`` and at most ``other_max_booths``, and ``province_max_booths`` sets a province's
    own limit. ``star_weight`` (0–1) is how much star rating counts for premium and corner booths.
    """

    zoning: dict[str, list[HallOrZone]] = msgspec.field(default_factory=dict)
    host_max_percent: Percent | None = None
    other_max_percent: Percent | None = None
    other_max_booths: BoothCount | None = None
    province_max_booths: dict[str, BoothCount] = msgspec.field(default_factory=dict)
    star_weight: Annotated[float, msgspec.Meta(ge=0, le=1)] = 1.0
    contiguous_delegations: bool = False

    def __post_init__(self) -> None:
        for group in self.zoning:
            if "." in check_category(group):
                raise ValueError(f"zoning is by product group such as 'food', not the subgroup {group!r}")
        self.province_max_booths = {province_code(p): n for p, n in self.province_max_booths.items()}


class AllocationRunIn(msgspec.Struct, forbid_unknown_fields=True):
    time_limit_s: Annotated[float, msgspec.Meta(gt=0, le=120)] = 20.0


class WaitlistedRead(msgspec.Struct):
    application_id: UUID
    exhibitor_id: UUID
    exhibitor_name: str
    reason: str
    message: str


class QuotaUse(msgspec.Struct):
    province_code: str
    booths: int
    quota: int | None


class AllocationReport(msgspec.Struct):
    """What a run placed and why the rest wait; shares are of placed applications (null when none qualify)."""

    applications: int
    placed: int
    waitlisted: list[WaitlistedRead]
    booths_held: int
    booths_confirmed: int
    booths_free: int
    zone_share: float | None
    preferred_hall_share: float | None
    delegations: int
    delegations_contiguous: int
    quota_use: list[QuotaUse]
    premium_by_stars: dict[str, int]
    optimal: bool
    solve_ms: float


class ConfirmReport(msgspec.Struct):
    confirmed: int
    already_confirmed: int
    applications_confirmed: int


class AssignmentIn(msgspec.Struct, forbid_unknown_fields=True):
    exhibitor_id: UUID
    locked: bool = True


class AssignmentRead(msgspec.Struct):
    booth_code: str
    hall_code: str
    exhibitor_id: UUID
    application_id: UUID | None
    status: Literal["held", "confirmed"]
    locked: bool
