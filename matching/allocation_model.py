"""What booth allocation works on: the booths, the applications, what is fixed, the policy, and what comes out.

Plain values in, plain values out: the service layer maps rows to these and back. :mod:`matching.allocation`
states the model and solves it; :mod:`matching.booth_runs` finds the booths an application could take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BoothType = Literal["standard", "corner", "premium", "double"]
RequestedType = Literal["standard", "corner", "premium", "double"]
WaitlistReason = Literal["quota", "no_booths", "delegation", "full"]

WAITLIST_MESSAGES: dict[WaitlistReason, str] = {
    "quota": "the province's booth quota is used up",
    "no_booths": "no free run of booths of the requested type and size exists",
    "delegation": "the province's delegation could not be placed together",
    "full": "every suitable booth went to an application that ranks higher",
}


@dataclass(frozen=True, slots=True)
class BoothSpot:
    """A booth as the solver sees it; ``zones`` are the product groups it is meant for (empty: open to all)."""

    booth_id: str
    hall: str
    row: int
    column: int
    booth_type: BoothType
    zones: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Applicant:
    """An application: who, from where, showing what, asking for what; ``previous`` are the booths it held."""

    application_id: str
    exhibitor_id: str
    province: str
    group: str | None
    stars: int
    booths: int
    booth_type: RequestedType = "standard"
    preferred_halls: frozenset[str] = frozenset()
    near_delegation: bool = False
    previous: frozenset[str] = frozenset()
    order: int = 0


@dataclass(frozen=True, slots=True)
class FixedBooth:
    """A booth the solver must not touch: locked by the organiser or already confirmed."""

    booth_id: str
    exhibitor_id: str
    province: str
    application_id: str | None = None


@dataclass(frozen=True, slots=True)
class AllocationPolicy:
    """Quotas in booths per province (``default_quota`` for the rest; None: no limit), the weight of star rating for
    premium and corner booths (0–1), and whether a province's delegation must sit together."""

    quotas: dict[str, int] = field(default_factory=dict)
    default_quota: int | None = None
    star_weight: float = 1.0
    contiguous_delegations: bool = False


@dataclass(frozen=True, slots=True)
class Allocation:
    """The proposal: booths per placed application, a reason per waitlisted one, and how good and how fast."""

    placed: dict[str, tuple[str, ...]]
    waitlisted: dict[str, WaitlistReason]
    objective: float
    optimal: bool
    solve_ms: float
    candidates: int
