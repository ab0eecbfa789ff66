"""A plain per-pair scorer of the formula in :mod:`matching.rules`: the reference the vectorised engine must agree with.

Every (demand, product) pair is scored in a Python loop, factor by factor, with scalar code. Only the text models
fitted on the catalogue (``vectorizer_``) and the scalar helpers of
:mod:`matching.catalogue` and :mod:`matching.quantities` are reused; no array of the fitted catalogue is read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matching.catalogue import (
    Catalogue,
    capacity_per_month,
    haversine_km,
    min_order_in,
    product_text,
    satisfied_codes,
    valid_stars,
)
from matching.folding import fold
from matching.quantities import convert, per_month, unit_kind
from matching.rules import (
    EXCLUSION_REASONS,
    EXPORTED_ELSEWHERE,
    HOME_MARKET,
    NEUTRAL,
    REGION_SCALE_KM,
    SAME_GROUP,
    SCORE_DECIMALS,
    TEXT_SATURATION,
)
from matching.types import FACTORS, FactorScores, Match, Need, Ranking, Supply, Weights

BASE_UNIT = {"mass": "kg", "volume": "l", "count": "piece"}


def group_of(code: str) -> str:
    return code.split(".", 1)[0]


def dot(a: sparse.spmatrix, b: sparse.spmatrix) -> float:
    """Dot product of two 1-row sparse vectors (both L2-normalised by TF-IDF, so this is their cosine)."""
    return float(a.multiply(b).sum())


# ------------------------------------------------------------------------------------------------- per-demand context


def _phrases(catalogue: Catalogue) -> list[tuple[tuple[str, ...], str | None]]:
    """Every spottable phrase as folded words, with the subgroup it votes for (None: an ignored phrase)."""
    reference = catalogue.reference
    found: list[tuple[tuple[str, ...], str | None]] = []
    for phrase in reference.ignored_phrases:
        if len(fold(phrase).split()) >= 2:
            found.append((tuple(fold(phrase).split()), None))
    for code, keywords in reference.category_keywords.items():
        for keyword in keywords:
            words = fold(keyword).split()
            if not words:
                continue
            last = words[-1]
            other = last[:-1] if last.endswith("s") and len(last) > 3 else last + "s"
            found.append((tuple(words), code))
            found.append(((*words[:-1], other), code))
    return found


def inferred_subgroup(catalogue: Catalogue, need: Need) -> str | None:
    """The subgroup with strictly the most keyword words spotted in the demand's text (longest phrase first)."""
    phrases = _phrases(catalogue)
    words = fold(need.text).split()
    votes: dict[str, int] = {}
    position = 0
    while position < len(words):
        here = tuple(words[position:])
        matching = [(phrase, code) for phrase, code in phrases if here[: len(phrase)] == phrase]
        if not matching:
            position += 1
            continue
        longest = max(len(phrase) for phrase, _ in matching)
        for code in {code for phrase, code in matching if len(phrase) == longest and code is not None}:
            votes[code] = votes.get(code, 0) + longest
        position += longest
    ordered = sorted(votes.values(), reverse=True)
    if not ordered or (len(ordered) > 1 and ordered[0] == ordered[1]):
        return None
    return max(votes, key=lambda code: votes[code])


def region_anchors(catalogue: Catalogue, need: Need) -> list[str]:
    """Preferred provinces known to the reference; else the buyer's province; else none (region does not apply)."""
    known = catalogue.reference.province_coordinates
    anchors = [p for p in need.preferred_provinces if p in known]
    if not anchors and need.buyer_province_code in known:
        anchors = [str(need.buyer_province_code)]
    return anchors


# ----------------------------------------------------------------------------------------------------------- factors


def category_factor(need: Need, supply: Supply, inferred: str | None) -> float | None:
    if need.categories:
        return 1.0 if supply.category in need.categories or group_of(supply.category) in need.categories else 0.0
    if inferred is None:
        return None
    if supply.category == inferred:
        return 1.0
    return SAME_GROUP if "." in supply.category and group_of(supply.category) == group_of(inferred) else 0.0


def text_factor(catalogue: Catalogue, need: Need, supply: Supply) -> float | None:
    if not need.text.strip():
        return None
    model = catalogue.vectorizer_
    cosine = dot(model.transform([need.text]), model.transform([product_text(supply, catalogue.reference)]))
    return min(1.0, cosine / TEXT_SATURATION)


def wanted_per_month(need: Need) -> tuple[str, float]:
    """The demand's kind and its quantity per month in the base unit of that kind."""
    assert need.quantity is not None
    kind = unit_kind(need.quantity.unit)
    return kind, per_month(convert(need.quantity.amount, need.quantity.unit, BASE_UNIT[kind]), need.quantity.per)


def volume_factor(need: Need, supply: Supply) -> float | None:
    if need.quantity is None:
        return None
    kind, wanted = wanted_per_month(need)
    capacity = capacity_per_month(supply, kind)
    value = NEUTRAL if math.isnan(capacity) else min(1.0, capacity / wanted)
    minimum = min_order_in(supply, kind)
    if not math.isnan(minimum) and minimum > wanted:
        value *= wanted / minimum
    return value


def certification_factor(catalogue: Catalogue, need: Need, supply: Supply) -> float | None:
    preferred = {code for code in need.preferred_certifications if code in catalogue.reference.satisfiers}
    if not preferred:
        return None
    held = satisfied_codes(supply, catalogue.reference, catalogue.today)
    return sum(1 for code in preferred if code in held) / len(preferred)


def stars_factor(catalogue: Catalogue, supply: Supply) -> float:
    stars = valid_stars(supply, catalogue.today)
    return (stars - 2) / 3 if stars > 0 else 0.0


def export_factor(need: Need, supply: Supply) -> float | None:
    if not need.target_market or need.target_market == HOME_MARKET:
        return None
    if need.target_market in supply.export_markets:
        return 1.0
    return EXPORTED_ELSEWHERE if supply.export_markets else 0.0


def region_factor(catalogue: Catalogue, need: Need, supply: Supply, anchors: list[str]) -> float | None:
    if not anchors:
        return None
    coordinates = catalogue.reference.province_coordinates
    if supply.province_code not in coordinates:
        return 0.0
    if supply.province_code in need.preferred_provinces:
        return 1.0
    nearest = min(haversine_km(coordinates[a], coordinates[supply.province_code]) for a in anchors)
    return 1.0 / (1.0 + nearest / REGION_SCALE_KM)


def season_factor(need: Need, supply: Supply) -> float | None:
    needed = set(need.needed_months)
    if not needed:
        return None
    available = set(supply.months_available) or set(range(1, 13))
    return len(needed & available) / len(needed)


# ------------------------------------------------------------------------------------------------ filters and score


def exclusion(catalogue: Catalogue, need: Need, supply: Supply) -> str | None:
    """The first hard filter that excludes the product, in the documented order; None if it is eligible."""
    if need.categories and supply.category not in need.categories and group_of(supply.category) not in need.categories:
        return "category"
    held = satisfied_codes(supply, catalogue.reference, catalogue.today)
    if any(code not in held for code in need.required_certifications):
        return "certification"
    if need.min_stars is not None and valid_stars(supply, catalogue.today) < need.min_stars:
        return "stars"
    return None


def pair_factors(
    catalogue: Catalogue, need: Need, supply: Supply, inferred: str | None, anchors: list[str]
) -> FactorScores:
    return FactorScores(
        category=category_factor(need, supply, inferred),
        text=text_factor(catalogue, need, supply),
        volume=volume_factor(need, supply),
        certification=certification_factor(catalogue, need, supply),
        stars=stars_factor(catalogue, supply),
        export=export_factor(need, supply),
        region=region_factor(catalogue, need, supply, anchors),
        season=season_factor(need, supply),
    )


def weighted_score(factors: FactorScores, weights: Weights) -> float:
    """Σ w·s / Σ w over the factors that apply, rounded; 0 when no applicable factor has weight."""
    total = weighted = 0.0
    for name in FACTORS:
        value = getattr(factors, name)
        if value is not None:
            weight = float(getattr(weights, name))
            total += weight
            weighted += weight * value
    return float(np.round(weighted / total, SCORE_DECIMALS)) if total > 0 else 0.0


def oracle_rank(catalogue: Catalogue, needs: Sequence[Need], weights: Weights | None, k: int) -> list[Ranking]:
    weights = weights or Weights()
    rankings: list[Ranking] = []
    for need in needs:
        inferred = None if need.categories else inferred_subgroup(catalogue, need)
        anchors = region_anchors(catalogue, need)
        excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
        scored: list[tuple[float, int, FactorScores]] = []
        for index, supply in enumerate(catalogue.supplies):
            reason = exclusion(catalogue, need, supply)
            if reason is not None:
                excluded[reason] += 1
                continue
            factors = pair_factors(catalogue, need, supply, inferred, anchors)
            scored.append((weighted_score(factors, weights), index, factors))
        scored.sort(key=lambda item: (-item[0], item[1]))
        matches = tuple(
            Match(rank=position + 1, product_id=catalogue.supplies[index].product_id, score=score, factors=factors)
            for position, (score, index, factors) in enumerate(scored[:k])
        )
        rankings.append(
            Ranking(
                demand_id=need.demand_id,
                matches=matches,
                excluded={reason: count for reason, count in excluded.items() if count},
            )
        )
    return rankings
