"""Ranks products for demands, a block of demands at a time, with one dense product per block.

Every factor but text and volume is linear in a one-hot or indicator encoding of the product, so their weighted
sum for a whole block is a single matrix product of demand-side weights (demands × features) with the fitted
product features (features × products). Text is a sparse product of TF-IDF vectors, volume a few array operations.
Memory stays bounded by ``block_size × catalogue size``; :mod:`matching.rules` states the formula.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from matching.catalogue import BoolArray, Catalogue, FloatArray, Int8Array, IntArray
from matching.quantities import convert, per_month, unit_kind
from matching.rules import (
    BASE_UNITS,
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
VOLUME_CHUNK = 64
CATEGORY, TEXT, VOLUME, CERTIFICATION, STARS, EXPORT, REGION, SEASON = range(len(FACTORS))


@dataclass(frozen=True, slots=True)
class DemandBlock:
    """The demand side of a block, encoded against one catalogue."""

    affinity: FloatArray
    named: BoolArray
    text: sparse.csr_matrix
    preferred: FloatArray
    required: FloatArray
    unknown_required: BoolArray
    min_stars: IntArray
    target: IntArray
    region: FloatArray
    needed: FloatArray
    kind: IntArray
    wanted: FloatArray
    applies: BoolArray
    share: FloatArray


def _category_affinity(catalogue: Catalogue, needs: Sequence[Need]) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Per demand and subgroup: how well a product of that subgroup fits (an extra last column for unknown ones)."""
    n_sub = len(catalogue.subgroups_)
    affinity = np.zeros((len(needs), n_sub + 1))
    named = np.zeros(len(needs), dtype=np.bool_)
    applies = np.zeros(len(needs), dtype=np.bool_)
    votes = catalogue.keyword_votes([need.text for need in needs])
    ranked_votes = -np.sort(-votes, axis=1)
    for row, need in enumerate(needs):
        if need.categories:
            named[row] = applies[row] = True
            for index, code in enumerate(catalogue.subgroups_):
                if code in need.categories or code.split(".", 1)[0] in need.categories:
                    affinity[row, index] = 1.0
        elif n_sub and ranked_votes[row, 0] > (ranked_votes[row, 1] if n_sub > 1 else 0.0):
            best = int(np.argmax(votes[row]))
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
    index = {code: i for i, code in enumerate(catalogue.provinces_)}
    region = np.zeros((len(needs), len(index) + 1))
    applies = np.zeros(len(needs), dtype=np.bool_)
    for row, need in enumerate(needs):
        anchors = [index[p] for p in need.preferred_provinces if p in index]
        if not anchors and need.buyer_province_code in index:
            anchors = [index[need.buyer_province_code]]
        if not anchors:
            continue
        applies[row] = True
        nearest = catalogue.distance_km_[anchors].min(axis=0)
        region[row, : len(index)] = 1.0 / (1.0 + nearest / REGION_SCALE_KM)
        region[row, [index[p] for p in need.preferred_provinces if p in index]] = 1.0
    return region, applies


def encode_demands(catalogue: Catalogue, needs: Sequence[Need], weights: Weights) -> DemandBlock:
    b = len(needs)
    applies = np.zeros((b, len(FACTORS)), dtype=np.bool_)
    affinity, named, applies[:, CATEGORY] = _category_affinity(catalogue, needs)
    applies[:, TEXT] = [bool(need.text.strip()) for need in needs]
    preferred = _code_matrix(catalogue, [need.preferred_certifications for need in needs])
    applies[:, CERTIFICATION] = preferred.sum(axis=1) > 0
    applies[:, STARS] = True
    country = {code: i for i, code in enumerate(catalogue.countries_)}
    target = np.full(b, -1, dtype=np.int64)
    kind = np.full(b, -1, dtype=np.int64)
    wanted = np.ones(b)
    needed = np.zeros((b, 12))
    for row, need in enumerate(needs):
        if need.target_market and need.target_market != HOME_MARKET:
            applies[row, EXPORT] = True
            target[row] = country.get(need.target_market, -1)
        if need.quantity is not None:
            applies[row, VOLUME] = True
            kind[row] = KINDS.index(unit_kind(need.quantity.unit))
            base = BASE_UNITS[kind[row]]
            wanted[row] = per_month(convert(need.quantity.amount, need.quantity.unit, base), need.quantity.per)
        needed[row, [m - 1 for m in need.needed_months]] = 1.0
    applies[:, SEASON] = needed.sum(axis=1) > 0
    region, applies[:, REGION] = _region(catalogue, needs)
    weight = np.array(weights.as_tuple()) * applies
    total = weight.sum(axis=1, keepdims=True)
    return DemandBlock(
        affinity=affinity,
        named=named,
        text=sparse.csr_matrix(catalogue.vectorizer_.transform([need.text for need in needs])),
        preferred=preferred,
        required=_code_matrix(catalogue, [need.required_certifications for need in needs]),
        unknown_required=np.array(
            [any(c not in catalogue.requirement_codes_ for c in need.required_certifications) for need in needs],
            dtype=np.bool_,
        ),
        min_stars=np.array([need.min_stars or 0 for need in needs], dtype=np.int64),
        target=target,
        region=region,
        needed=needed,
        kind=kind,
        wanted=wanted,
        applies=applies,
        share=np.divide(weight, total, out=np.zeros_like(weight), where=total > 0),
    )


def _linear_weights(catalogue: Catalogue, block: DemandBlock) -> FloatArray:
    """Demand-side coefficients over the catalogue's linear product features (see ``Catalogue.features_``)."""
    share = block.share
    parts = catalogue.feature_slices_
    coefficients = np.zeros((share.shape[0], catalogue.features_.shape[1]))
    coefficients[:, parts["category"]] = share[:, [CATEGORY]] * block.affinity
    coefficients[:, parts["region"]] = share[:, [REGION]] * block.region
    preferred_count = np.maximum(block.preferred.sum(axis=1, keepdims=True), 1.0)
    coefficients[:, parts["certification"]] = share[:, [CERTIFICATION]] * block.preferred / preferred_count
    needed_count = np.maximum(block.needed.sum(axis=1, keepdims=True), 1.0)
    coefficients[:, parts["season"]] = share[:, [SEASON]] * block.needed / needed_count
    coefficients[:, parts["stars"]] = share[:, [STARS]]
    coefficients[:, parts["exports_any"]] = share[:, [EXPORT]] * EXPORTED_ELSEWHERE
    rows = np.flatnonzero(block.target >= 0)
    markets = parts["markets"]
    coefficients[rows, markets.start + block.target[rows]] = share[rows, EXPORT] * (1.0 - EXPORTED_ELSEWHERE)
    return coefficients


def _volume_of(capacity: FloatArray, minimum: FloatArray, wanted: FloatArray) -> FloatArray:
    """Supply ÷ demand per month, capped at 1, neutral where not comparable (NaN capacity), lowered by a minimum
    order above the demand; arrays broadcast."""
    volume = np.where(np.isnan(capacity), NEUTRAL, np.minimum(np.nan_to_num(capacity) / wanted, 1.0))
    ordered = minimum > wanted
    return np.where(ordered, volume * wanted / np.where(ordered, minimum, 1.0), volume)


def volume_rows(catalogue: Catalogue, block: DemandBlock, rows: IntArray) -> FloatArray:
    """The volume factor of ``rows`` (which all state a quantity) against every product.

    Rows are grouped by the kind of their quantity, so each group divides one capacity column; the neutral value
    and the minimum-order penalty touch only the products they concern.
    """
    volume = np.empty((rows.size, catalogue.size))
    for kind in np.unique(block.kind[rows]):
        group = np.flatnonzero(block.kind[rows] == kind)
        wanted = block.wanted[rows[group], None]
        capacity = catalogue.capacity_[:, kind]
        known = ~np.isnan(capacity)
        part = np.divide(np.where(known, capacity, 0.0)[None, :], wanted)
        np.minimum(part, 1.0, out=part)
        part[:, ~known] = NEUTRAL
        ordered = np.flatnonzero(~np.isnan(catalogue.min_order_[:, kind]))
        if ordered.size:
            part[:, ordered] *= np.minimum(wanted / catalogue.min_order_[ordered, kind][None, :], 1.0)
        volume[group] = part
    return volume


def volume_pairs(catalogue: Catalogue, block: DemandBlock, rows: IntArray, columns: IntArray) -> FloatArray:
    """The volume factor of (row, column) pairs whose rows all state a quantity."""
    kind = block.kind[rows]
    return _volume_of(catalogue.capacity_[columns, kind], catalogue.min_order_[columns, kind], block.wanted[rows])


def _text(catalogue: Catalogue, block: DemandBlock) -> sparse.csr_matrix:
    """The text factor as a sparse matrix: cosine ÷ saturation, capped at 1, only where some n-gram is shared."""
    similarity = sparse.csr_matrix(block.text @ catalogue.text_by_feature_)
    np.minimum(similarity.data / TEXT_SATURATION, 1.0, out=similarity.data)
    return similarity


def _add_rows(score: FloatArray, values: sparse.csr_matrix, row_weight: FloatArray) -> None:
    """``score += row_weight[:, None] * values`` touching only the stored entries of ``values``."""
    rows = np.repeat(np.arange(values.shape[0]), np.diff(values.indptr))
    score.ravel()[rows * score.shape[1] + values.indices] += values.data * row_weight[rows]


def _exclusions(catalogue: Catalogue, block: DemandBlock) -> Int8Array:
    """Per pair, the first hard filter that excludes it (1 category, 2 certification, 3 stars), else 0."""
    excluded_by = np.zeros((block.named.size, catalogue.size), dtype=np.int8)
    for row in np.flatnonzero(block.min_stars > 0):
        excluded_by[row, catalogue.valid_stars_ < block.min_stars[row]] = 3
    for row in np.flatnonzero(block.required.any(axis=1) | block.unknown_required):
        if block.unknown_required[row]:
            excluded_by[row] = 2
            continue
        required = np.flatnonzero(block.required[row])
        excluded_by[row, catalogue.unsatisfied_by_code_[required].any(axis=0)] = 2
    for row in np.flatnonzero(block.named):
        excluded_by[row, block.affinity[row, catalogue.product_subgroup_] == 0] = 1
    return excluded_by


@dataclass(frozen=True, slots=True)
class BlockScores:
    """Scores of a block of demands against the whole catalogue, and what excluded each pair (0: nothing)."""

    block: DemandBlock
    score: FloatArray
    text: sparse.csr_matrix
    excluded_by: Int8Array


def score_block(catalogue: Catalogue, needs: Sequence[Need], weights: Weights) -> BlockScores:
    """The weighted score and the hard filters of ``needs`` against the whole catalogue."""
    block = encode_demands(catalogue, needs, weights)
    score = _linear_weights(catalogue, block) @ catalogue.features_by_product_
    text = _text(catalogue, block)
    _add_rows(score, text, block.share[:, TEXT])
    for start in range(0, score.shape[0], VOLUME_CHUNK):
        rows = start + np.flatnonzero(block.applies[start : start + VOLUME_CHUNK, VOLUME])
        if rows.size:
            volume = volume_rows(catalogue, block, rows)
            volume *= block.share[rows, VOLUME, None]
            score[rows] += volume
    np.round(score, SCORE_DECIMALS, out=score)
    return BlockScores(block=block, score=score, text=text, excluded_by=_exclusions(catalogue, block))


def pair_factors(catalogue: Catalogue, scored: BlockScores, rows: IntArray, columns: IntArray) -> FloatArray:
    """Factor scores of the (demand row, product column) pairs of a scored block: one row of eight per pair."""
    block = scored.block
    values = np.zeros((rows.size, len(FACTORS)))
    values[:, CATEGORY] = block.affinity[rows, catalogue.product_subgroup_[columns]]
    values[:, TEXT] = np.asarray(scored.text[rows, columns]).ravel() if rows.size else 0.0
    with_quantity = block.applies[rows, VOLUME]
    if with_quantity.any():
        values[with_quantity, VOLUME] = volume_pairs(catalogue, block, rows[with_quantity], columns[with_quantity])
    preferred = block.preferred[rows]
    values[:, CERTIFICATION] = (preferred * catalogue.satisfies_[columns]).sum(axis=1) / np.maximum(
        preferred.sum(axis=1), 1.0
    )
    values[:, STARS] = catalogue.stars_[columns]
    markets = catalogue.features_[:, catalogue.feature_slices_["markets"]]
    target = block.target[rows]
    exported_there = (target >= 0) & (markets[columns, np.maximum(target, 0)] > 0) if markets.shape[1] else False
    values[:, EXPORT] = np.where(
        exported_there, 1.0, np.where(catalogue.exports_any_[columns], EXPORTED_ELSEWHERE, 0.0)
    )
    values[:, REGION] = block.region[rows, catalogue.product_province_[columns]]
    needed = block.needed[rows]
    values[:, SEASON] = (needed * catalogue.months_[columns]).sum(axis=1) / np.maximum(needed.sum(axis=1), 1.0)
    return values


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
    workers: int | None = None,
) -> list[Ranking]:
    """The ``k`` best products for each demand, with factor scores and exclusion counts.

    Blocks are ranked on ``workers`` threads (default: one per core); numpy and scipy release the GIL in the heavy
    operations, so the blocks really run side by side. Memory grows to ``workers`` blocks in flight.
    """
    weights = weights or Weights()
    blocks = list(_blocks(needs, block_size))
    workers = max(1, min(workers or os.cpu_count() or 1, len(blocks)))
    if workers == 1:
        return [ranking for block in blocks for ranking in _rank_block(catalogue, block, weights, k)]
    # One BLAS thread per worker: the blocks already use every core, and nested BLAS threads would fight over them.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers, thread_name_prefix="rank") as pool:
        ranked = pool.map(lambda block: _rank_block(catalogue, block, weights, k), blocks)
        return [ranking for block_rankings in ranked for ranking in block_rankings]


def _rank_block(catalogue: Catalogue, needs_block: Sequence[Need], weights: Weights, k: int) -> list[Ranking]:
    scored = score_block(catalogue, needs_block, weights)
    counts = np.stack([(scored.excluded_by == r).sum(axis=1) for r in range(1, len(EXCLUSION_REASONS) + 1)], 1)
    best = [top_k(scored.score[row], scored.excluded_by[row] == 0, k) for row in range(len(needs_block))]
    rows = np.repeat(np.arange(len(needs_block)), [len(b) for b in best])
    columns = np.concatenate(best) if best else np.zeros(0, dtype=np.int64)
    factors = pair_factors(catalogue, scored, rows, columns)
    applies = scored.block.applies[rows]
    rankings: list[Ranking] = []
    position = 0
    for row, need in enumerate(needs_block):
        matches = []
        for rank_in_row, index in enumerate(best[row]):
            values, applying = factors[position], applies[position]
            matches.append(
                Match(
                    rank=rank_in_row + 1,
                    product_id=catalogue.supplies[index].product_id,
                    score=float(scored.score[row, index]),
                    factors=FactorScores(*(float(v) if a else None for v, a in zip(values, applying, strict=True))),
                )
            )
            position += 1
        excluded = {reason: int(counts[row, i]) for i, reason in enumerate(EXCLUSION_REASONS) if counts[row, i]}
        rankings.append(Ranking(demand_id=need.demand_id, matches=tuple(matches), excluded=excluded))
    return rankings
