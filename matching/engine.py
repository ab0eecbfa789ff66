"""Ranks products for demands, a block of demands at a time: sparse products, gathers and argpartition.

Memory stays bounded by ``block_size × catalogue size``; see :mod:`matching.rules` for the formula.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.catalogue import BoolArray, Catalogue, FloatArray, IntArray
from matching.quantities import convert, normalise_unit, per_month, unit_kind
from matching.rules import (
    BASE_UNITS,
    CATEGORY_INFERENCE_MIN,
    EXCLUSION_REASONS,
    EXPORTED_ELSEWHERE,
    HOME_MARKET,
    KINDS,
    NEUTRAL,
    REGION_SCALE_KM,
    SAME_GROUP,
    SCORE_DECIMALS,
    TEXT_SATURATION,
)
from matching.types import FACTORS, FactorScores, Match, Need, Ranking, Weights

DEFAULT_BLOCK_SIZE = 256


@dataclass(frozen=True, slots=True)
class BlockScores:
    """Scores of a block of demands against the whole catalogue: ``factors[f]`` is (demands × products)."""

    score: FloatArray
    factors: FloatArray
    applies: BoolArray
    excluded_by: IntArray


def _category_affinity(catalogue: Catalogue, needs: Sequence[Need]) -> tuple[
    FloatArray, BoolArray, BoolArray
]:
    """Per demand and subgroup: how well a product of that subgroup fits (an extra last column for unknown ones)."""
    n_sub = len(catalogue.subgroups_)
    affinity = np.zeros((len(needs), n_sub + 1))
    named = np.zeros(len(needs), dtype=np.bool_)
    applies = np.zeros(len(needs), dtype=np.bool_)
    words = catalogue.category_vectorizer_.transform([need.text for need in needs])
    similarity = (words @ catalogue.subgroup_text_.T).toarray()
    for row, need in enumerate(needs):
        if need.categories:
            named[row] = applies[row] = True
            for index, code in enumerate(catalogue.subgroups_):
                group = code.split(".", 1)[0]
                if code in need.categories or group in need.categories:
                    affinity[row, index] = 1.0
        elif n_sub and need.text.strip() and similarity[row].max() >= CATEGORY_INFERENCE_MIN:
            best = int(np.argmax(similarity[row]))
            applies[row] = True
            same_group = catalogue.subgroup_group_ == catalogue.subgroup_group_[best]
            affinity[row, :n_sub] = np.where(same_group, SAME_GROUP, 0.0)
            affinity[row, best] = 1.0
    return affinity, named, applies


def _code_matrix(catalogue: Catalogue, lists: Sequence[Sequence[str]]) -> FloatArray:
    index = {code: i for i, code in enumerate(catalogue.requirement_codes_)}
    matrix = np.zeros((len(lists), len(index)))
    for row, codes in enumerate(lists):
        for code in codes:
            if code in index:
                matrix[row, index[code]] = 1.0
    return matrix


def _region(catalogue: Catalogue, needs: Sequence[Need]) -> tuple[FloatArray, BoolArray]:
    """Per demand and province (plus a last column for unknown provinces): the region score."""
    provinces = catalogue.provinces_
    index = {code: i for i, code in enumerate(provinces)}
    region = np.zeros((len(needs), len(provinces) + 1))
    applies = np.zeros(len(needs), dtype=np.bool_)
    for row, need in enumerate(needs):
        anchors = [index[p] for p in need.preferred_provinces if p in index]
        if not anchors and need.buyer_province_code in index:
            anchors = [index[need.buyer_province_code]]
        if not anchors:
            continue
        applies[row] = True
        nearest = catalogue.distance_km_[anchors].min(axis=0)
        region[row, : len(provinces)] = 1.0 / (1.0 + nearest / REGION_SCALE_KM)
        for p in need.preferred_provinces:
            if p in index:
                region[row, index[p]] = 1.0
    return region, applies


def _volume(catalogue: Catalogue, needs: Sequence[Need]) -> tuple[FloatArray, BoolArray]:
    volume = np.zeros((len(needs), catalogue.size))
    applies = np.zeros(len(needs), dtype=np.bool_)
    for row, need in enumerate(needs):
        if need.quantity is None:
            continue
        applies[row] = True
        kind = KINDS.index(unit_kind(need.quantity.unit))
        base = BASE_UNITS[kind]
        wanted = per_month(convert(need.quantity.amount, normalise_unit(need.quantity.unit), base), need.quantity.per)
        capacity = catalogue.capacity_[:, kind]
        share = np.where(np.isnan(capacity), NEUTRAL, np.minimum(1.0, np.nan_to_num(capacity) / wanted))
        minimum = catalogue.min_order_[:, kind]
        penalty = np.where(~np.isnan(minimum) & (np.nan_to_num(minimum) > wanted),
                           wanted / np.where(np.isnan(minimum) | (minimum == 0), 1.0, minimum), 1.0)
        volume[row] = share * penalty
    return volume, applies


def score_block(catalogue: Catalogue, needs: Sequence[Need], weights: Weights) -> BlockScores:
    """Every factor, the hard filters and the weighted score of ``needs`` against the whole catalogue."""
    b, n = len(needs), catalogue.size
    text_vectors = sparse.csr_matrix(catalogue.vectorizer_.transform([need.text for need in needs]))
    factors = np.zeros((len(FACTORS), b, n))
    applies = np.zeros((b, len(FACTORS)), dtype=np.bool_)

    affinity, named, applies[:, 0] = _category_affinity(catalogue, needs)
    factors[0] = affinity[:, catalogue.product_subgroup_]

    applies[:, 1] = np.array([bool(need.text.strip()) for need in needs])
    cosine = (text_vectors @ catalogue.text_.T).toarray() if n else np.zeros((b, 0))
    factors[1] = np.minimum(1.0, cosine / TEXT_SATURATION)

    factors[2], applies[:, 2] = _volume(catalogue, needs)

    preferred = _code_matrix(catalogue, [need.preferred_certifications for need in needs])
    preferred_count = preferred.sum(axis=1)
    applies[:, 3] = preferred_count > 0
    factors[3] = (preferred @ catalogue.satisfies_.T) / np.maximum(preferred_count, 1.0)[:, None]

    applies[:, 4] = True
    factors[4] = np.broadcast_to(catalogue.stars_, (b, n))

    country_index = {code: i for i, code in enumerate(catalogue.countries_)}
    markets_by_country = catalogue.markets_.T.tocsr()
    for row, need in enumerate(needs):
        if need.target_market and need.target_market != HOME_MARKET:
            applies[row, 5] = True
            exported_there = np.zeros(n, dtype=np.bool_)
            if need.target_market in country_index:
                exported_there = markets_by_country[country_index[need.target_market]].toarray().ravel() > 0
            factors[5, row] = np.where(exported_there, 1.0, np.where(catalogue.exports_any_, EXPORTED_ELSEWHERE, 0.0))

    region, applies[:, 6] = _region(catalogue, needs)
    factors[6] = region[:, catalogue.product_province_]

    needed = np.zeros((b, 12))
    for row, need in enumerate(needs):
        needed[row, [m - 1 for m in need.needed_months]] = 1.0
    needed_count = needed.sum(axis=1)
    applies[:, 7] = needed_count > 0
    factors[7] = (needed @ catalogue.months_.T) / np.maximum(needed_count, 1.0)[:, None]

    excluded_by = np.zeros((b, n), dtype=np.int64)
    required = _code_matrix(catalogue, [need.required_certifications for need in needs])
    unknown_required = np.array(
        [any(code not in catalogue.requirement_codes_ for code in need.required_certifications) for need in needs]
    )
    missing = ((required @ (1.0 - catalogue.satisfies_).T) > 0) | unknown_required[:, None]
    minimum_stars = np.array([need.min_stars or 0 for need in needs])
    too_few_stars = minimum_stars[:, None] > catalogue.valid_stars_[None, :]
    for reason, rule in reversed(list(enumerate((named[:, None] & (factors[0] == 0), missing, too_few_stars), 1))):
        excluded_by[rule] = reason

    weight = np.array(weights.as_tuple()) * applies
    total = weight.sum(axis=1)
    weighted = np.einsum("fbn,bf->bn", factors, weight)
    score = np.round(np.divide(weighted, total[:, None], out=np.zeros_like(weighted), where=total[:, None] > 0),
                     SCORE_DECIMALS)
    return BlockScores(score=score, factors=factors, applies=applies, excluded_by=excluded_by)


def top_k(scores: FloatArray, eligible: BoolArray, k: int) -> IntArray:
    """Indices of the ``k`` best eligible scores, best first, ties by index."""
    candidates = np.flatnonzero(eligible)
    if candidates.size > k:
        values = scores[candidates]
        threshold = np.partition(values, candidates.size - k)[candidates.size - k]
        candidates = candidates[values >= threshold]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[:k]]


def _blocks(needs: Sequence[Need], size: int) -> Iterator[Sequence[Need]]:
    for start in range(0, len(needs), size):
        yield needs[start : start + size]


def rank(
    catalogue: Catalogue,
    needs: Sequence[Need],
    weights: Weights | None = None,
    k: int = 20,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> list[Ranking]:
    """The ``k`` best products for each demand, with factor scores and exclusion counts."""
    weights = weights or Weights()
    rankings: list[Ranking] = []
    for block in _blocks(needs, block_size):
        scored = score_block(catalogue, block, weights)
        for row, need in enumerate(block):
            reasons = scored.excluded_by[row]
            best = top_k(scored.score[row], reasons == 0, k)
            counts = np.bincount(reasons, minlength=len(EXCLUSION_REASONS) + 1)
            matches = tuple(
                Match(
                    rank=position + 1,
                    product_id=catalogue.supplies[index].product_id,
                    score=float(scored.score[row, index]),
                    factors=FactorScores(
                        *(float(scored.factors[f, row, index]) if scored.applies[row, f] else None
                          for f in range(len(FACTORS)))
                    ),
                )
                for position, index in enumerate(best)
            )
            excluded = {reason: int(counts[i + 1]) for i, reason in enumerate(EXCLUSION_REASONS) if counts[i + 1]}
            rankings.append(Ranking(demand_id=need.demand_id, matches=matches, excluded=excluded))
    return rankings


