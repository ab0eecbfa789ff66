"""Payloads of matches, consortia, match runs and per-fair weights."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from ocopfair.payloads import Quantity

Weight = Annotated[float, msgspec.Meta(ge=0, le=100)]


class MatchWeightsIn(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Per-fair weights of the factors; a factor left out keeps its default."""

    category: Weight | None = None
    text: Weight | None = None
    volume: Weight | None = None
    certification: Weight | None = None
    stars: Weight | None = None
    export: Weight | None = None
    region: Weight | None = None
    season: Weight | None = None


class Factors(msgspec.Struct):
    """Each factor in [0, 1], or null where it does not apply to the demand."""

    category: float | None
    text: float | None
    volume: float | None
    certification: float | None
    stars: float | None
    export: float | None
    region: float | None
    season: float | None


class MatchItem(msgspec.Struct):
    rank: int
    product_id: UUID
    product_name: str
    exhibitor_id: UUID
    exhibitor_name: str
    province_code: str
    booth_code: str | None
    score: float
    factors: Factors
    reasons: list[str]


class MatchesRead(msgspec.Struct):
    demand_id: UUID
    items: list[MatchItem]
    excluded: dict[str, int]


class ConsortiumMember(msgspec.Struct):
    product_id: UUID
    exhibitor_id: UUID
    product_name: str
    exhibitor_name: str
    supplies: Quantity


class ConsortiumRead(msgspec.Struct):
    demand_id: UUID
    wanted: Quantity
    covered_share: float
    members: list[ConsortiumMember]


class MatchRunRead(msgspec.Struct):
    fair_id: UUID
    demands: int
    matches: int
    elapsed_ms: int
