"""Ranking quality of the matching engine on a fixed, hand-labelled evaluation set.

``tests/data/match_eval/catalogue.json`` is a catalogue of OCOP products with near-duplicates and distractors;
``tests/data/match_eval/demands.json`` holds buyers' demands (Vietnamese with and without diacritics, English) with
graded relevance judgements made the way a buyer would judge: 3 exactly what they want, 2 a good substitute,
1 marginal, unlisted 0. The judgements were made from the product data alone, without looking at the engine.

Quality is NDCG@10 with gains ``2^rel − 1`` and a ``log2(rank + 1)`` discount, the ideal ranking taken from the
judgements. The hard filters are checked from the product data, independently of the engine's own arrays.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import pytest

from matching.catalogue import Catalogue, fit_catalogue
from matching.engine import rank
from matching.quantities import normalise_unit
from matching.types import Need, Ranking, Supply, Weights
from seeds import reference

DATA = Path(__file__).resolve().parent.parent / "data" / "match_eval"
TODAY = dt.date(2026, 11, 28)
K = 10
MIN_MEAN_NDCG = 0.85
PERIODS = frozenset({"day", "week", "month", "quarter", "year"})


class LabelledDemand(msgspec.Struct, frozen=True):
    need: Need
    judgements: dict[str, int]


@cache
def supplies() -> tuple[Supply, ...]:
    return msgspec.json.decode((DATA / "catalogue.json").read_bytes(), type=tuple[Supply, ...])


@cache
def demands() -> tuple[LabelledDemand, ...]:
    raw: list[dict[str, Any]] = msgspec.json.decode((DATA / "demands.json").read_bytes())
    labelled = []
    for item in raw:
        fields = {key: value for key, value in item.items() if key != "judgements"}
        need = msgspec.json.decode(msgspec.json.encode(fields), type=Need)
        labelled.append(LabelledDemand(need=need, judgements=dict(item["judgements"])))
    return tuple(labelled)


@cache
def catalogue() -> Catalogue:
    return fit_catalogue(supplies(), reference.matching_reference(), TODAY)


@cache
def rankings() -> dict[str, Ranking]:
    result = rank(catalogue(), [d.need for d in demands()], Weights(), k=K)
    return {r.demand_id: r for r in result}


# ---------------------------------------------------------------------------------------- hard filters, from the data


def _valid_stars(supply: Supply) -> int:
    if supply.stars is None or (supply.star_expires_on is not None and supply.star_expires_on < TODAY):
        return 0
    return supply.stars


def _holds(supply: Supply, required: str) -> bool:
    """Whether a valid certificate of the product meets ``required`` (itself or a dominating certificate)."""
    accepted = reference.satisfiers(required)
    return any(c.code in accepted and (c.expires_on is None or c.expires_on >= TODAY) for c in supply.certificates)


def violations(need: Need, supply: Supply) -> list[str]:
    """Every hard filter of ``need`` that ``supply`` fails, judged from the product data alone."""
    found = []
    if need.categories:
        group = supply.category.split(".", 1)[0]
        if supply.category not in need.categories and group not in need.categories:
            found.append(f"category {supply.category} not in {list(need.categories)}")
    for code in need.required_certifications:
        if not _holds(supply, code):
            found.append(f"no valid certificate satisfying {code}")
    if need.min_stars is not None and _valid_stars(supply) < need.min_stars:
        found.append(f"valid stars {_valid_stars(supply)} < {need.min_stars}")
    return found


# ----------------------------------------------------------------------------------------------------------- metrics


def dcg(gains: list[int]) -> float:
    return float(sum((2**rel - 1) / math.log2(position + 2) for position, rel in enumerate(gains[:K])))


def ndcg_at_k(ranked_ids: list[str], judgements: dict[str, int]) -> float:
    ideal = dcg(sorted(judgements.values(), reverse=True))
    if ideal == 0:
        return 1.0
    return dcg([judgements.get(pid, 0) for pid in ranked_ids]) / ideal


# ------------------------------------------------------------------------------------------------- the data is sound


def test_evaluation_set_is_well_formed() -> None:
    products = {s.product_id: s for s in supplies()}
    assert len(products) == len(supplies()) >= 140
    assert len(demands()) >= 30
    assert {s.category.split(".", 1)[0] for s in supplies()} == reference.group_codes()
    for s in supplies():
        assert s.category in reference.subgroup_codes(), s.product_id
        reference.province(s.province_code)
        assert s.stars in (3, 4, 5), s.product_id
        assert {c.code for c in s.certificates} <= reference.certification_codes(), s.product_id
        for amount in (s.capacity, s.min_order, s.pack_size):
            if amount is not None:
                normalise_unit(amount.unit)
        assert s.capacity is None or s.capacity.per in PERIODS
        assert set(s.months_available) <= set(range(1, 13))
    for d in demands():
        need = d.need
        assert d.judgements, need.demand_id
        assert set(need.categories) <= reference.group_codes() | reference.subgroup_codes(), need.demand_id
        assert set(need.required_certifications) | set(need.preferred_certifications) <= (
            reference.certification_codes()
        ), need.demand_id
        assert set(need.preferred_provinces) <= {p.code for p in reference.provinces()}, need.demand_id
        if need.quantity is not None:
            normalise_unit(need.quantity.unit)
            assert need.quantity.per in PERIODS
        for pid, grade in d.judgements.items():
            assert pid in products, (need.demand_id, pid)
            assert grade in (1, 2, 3), (need.demand_id, pid)
            # A product a hard filter must exclude is never judged relevant.
            assert not violations(need, products[pid]), (need.demand_id, pid, violations(need, products[pid]))
    languages = {d.need.language for d in demands()}
    assert languages == {"vi", "en"}


# ------------------------------------------------------------------------------------------------------ the quality


def test_mean_ndcg_at_10() -> None:
    scores: dict[str, float] = {}
    lines = []
    for d in demands():
        ranked = [m.product_id for m in rankings()[d.need.demand_id].matches]
        scores[d.need.demand_id] = ndcg_at_k(ranked, d.judgements)
        top = ", ".join(f"{pid}({d.judgements.get(pid, 0)})" for pid in ranked[:5])
        lines.append(f"  {scores[d.need.demand_id]:.3f}  {d.need.demand_id:<28} {top}")
    mean = sum(scores.values()) / len(scores)
    print(f"\nNDCG@{K} per demand (top 5 with judged grade):")  # noqa: T201
    print("\n".join(lines))  # noqa: T201
    print(f"mean NDCG@{K} over {len(scores)} demands: {mean:.4f}")  # noqa: T201
    assert mean >= MIN_MEAN_NDCG, f"mean NDCG@{K} {mean:.4f} < {MIN_MEAN_NDCG}"


@pytest.mark.parametrize("demand_id", [d.need.demand_id for d in demands()])
def test_no_match_violates_a_hard_filter(demand_id: str) -> None:
    need = next(d.need for d in demands() if d.need.demand_id == demand_id)
    products = {s.product_id: s for s in supplies()}
    broken = {
        m.product_id: violations(need, products[m.product_id])
        for m in rankings()[demand_id].matches
        if violations(need, products[m.product_id])
    }
    assert not broken, broken
