"""What the engine takes and gives: plain frozen Structs, no database rows."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

Language = Literal["vi", "en"]
FACTORS: tuple[str, ...] = ("category", "text", "volume", "certification", "stars", "export", "region", "season")


class Certificate(msgspec.Struct, frozen=True):
    code: str
    expires_on: dt.date | None = None


class Amount(msgspec.Struct, frozen=True):
    """An amount in a canonical unit symbol of :mod:`matching.quantities` (``kg``, ``l``, ``bottle``…)."""

    amount: float
    unit: str


class Rate(msgspec.Struct, frozen=True):
    """An amount per period (``day``, ``week``, ``month``, ``quarter``, ``year``)."""

    amount: float
    unit: str
    per: str = "month"


class Supply(msgspec.Struct, frozen=True):
    """One OCOP product as the engine sees it."""

    product_id: str
    exhibitor_id: str
    name: str
    category: str
    province_code: str
    name_en: str | None = None
    description: str = ""
    stars: int | None = None
    star_expires_on: dt.date | None = None
    certificates: tuple[Certificate, ...] = ()
    capacity: Rate | None = None
    min_order: Amount | None = None
    pack_size: Amount | None = None
    export_markets: tuple[str, ...] = ()
    months_available: tuple[int, ...] = ()


class Need(msgspec.Struct, frozen=True):
    """One buyer's demand, with what the engine needs to know of the buyer."""

    demand_id: str
    text: str = ""
    categories: tuple[str, ...] = ()
    quantity: Rate | None = None
    required_certifications: tuple[str, ...] = ()
    preferred_certifications: tuple[str, ...] = ()
    min_stars: int | None = None
    target_market: str | None = None
    preferred_provinces: tuple[str, ...] = ()
    needed_months: tuple[int, ...] = ()
    buyer_province_code: str | None = None
    language: Language = "vi"


class Weights(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Relative weight of each factor in the weighted mean; a fair may override any of them."""

    category: float = 0.20
    text: float = 0.25
    volume: float = 0.15
    certification: float = 0.10
    stars: float = 0.10
    export: float = 0.10
    region: float = 0.05
    season: float = 0.05

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, name)) for name in FACTORS)


class Reference(msgspec.Struct, frozen=True):
    """Reference data the engine needs, handed in so the engine stays free of files and databases.

    ``category_keywords`` maps a subgroup code to typical product words ("nước mắm", "fish sauce");
    ``satisfiers`` maps a certification code to every code that satisfies a requirement for it (itself included);
    ``province_coordinates`` maps a province code to its centroid (lat, lon) in degrees; ``ignored_phrases`` say
    where or how, not what (provinces, countries, "an toàn thực phẩm"): category inference leaves them out.
    """

    category_keywords: dict[str, tuple[str, ...]]
    satisfiers: dict[str, frozenset[str]]
    province_coordinates: dict[str, tuple[float, float]]
    category_names: dict[str, tuple[str, str]] = msgspec.field(default_factory=dict)
    province_names: dict[str, str] = msgspec.field(default_factory=dict)
    ignored_phrases: tuple[str, ...] = ()


class FactorScores(msgspec.Struct, frozen=True):
    """Each factor in [0, 1]; ``None`` where the factor does not apply to the demand (left out of the mean)."""

    category: float | None
    text: float | None
    volume: float | None
    certification: float | None
    stars: float | None
    export: float | None
    region: float | None
    season: float | None


class Match(msgspec.Struct, frozen=True):
    rank: int
    product_id: str
    score: float
    factors: FactorScores


class Ranking(msgspec.Struct, frozen=True):
    """The best matches of one demand, best first, and how many products each hard filter excluded."""

    demand_id: str
    matches: tuple[Match, ...]
    excluded: dict[str, int]
