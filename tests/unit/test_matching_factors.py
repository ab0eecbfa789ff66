"""Hand-worked examples of every factor, hard filter and ranking rule of :mod:`matching.rules`.

Each example runs through both the vectorised engine and the per-pair oracle of the tests; the expected numbers are
worked out from the rules (distances from the province centroids with the haversine formula, R = 6371 km).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from matching.catalogue import Catalogue, fit_catalogue
from matching.engine import rank
from matching.folding import fold
from matching.types import Amount, Certificate, Match, Need, Ranking, Rate, Supply, Weights
from seeds.reference import matching_reference
from tests.unit.matching_oracle import oracle_rank

TODAY = dt.date(2025, 7, 1)
YESTERDAY = TODAY - dt.timedelta(days=1)
NEXT_YEAR = TODAY + dt.timedelta(days=365)
REFERENCE = matching_reference()

Ranker = Callable[[Catalogue, Sequence[Need], Weights | None, int], list[Ranking]]


def engine_rank(catalogue: Catalogue, needs: Sequence[Need], weights: Weights | None, k: int) -> list[Ranking]:
    return rank(catalogue, needs, weights, k=k)


@pytest.fixture(params=[engine_rank, oracle_rank], ids=["engine", "oracle"])
def ranker(request: pytest.FixtureRequest) -> Ranker:
    function: Ranker = request.param
    return function


def product(product_id: str = "p", **fields: Any) -> Supply:
    defaults: dict[str, Any] = {
        "exhibitor_id": "e",
        "name": "Sản phẩm",
        "category": "food.processed",
        "province_code": "ha_noi",
    }
    return Supply(product_id=product_id, **(defaults | fields))


def run(ranker: Ranker, supplies: Sequence[Supply], need: Need, weights: Weights | None = None, k: int = 50) -> Ranking:
    return ranker(fit_catalogue(supplies, REFERENCE, TODAY), [need], weights, k)[0]


def match(ranker: Ranker, supply: Supply, need: Need, weights: Weights | None = None) -> Match:
    matches = run(ranker, [supply], need, weights).matches
    assert len(matches) == 1, "the product was excluded"
    return matches[0]


def by_id(ranking: Ranking) -> dict[str, Match]:
    return {m.product_id: m for m in ranking.matches}


# ----------------------------------------------------------------------------------------------------------- category


@pytest.mark.parametrize(
    ("categories", "category", "expected"),
    [
        (("food.condiment",), "food.condiment", 1.0),  # named subgroup
        (("food",), "food.tea", 1.0),  # named group
        (("beverage.alcoholic", "food"), "beverage.alcoholic", 1.0),
        (("beverage.alcoholic", "food"), "food.fresh", 1.0),
    ],
)
def test_named_category(ranker: Ranker, categories: tuple[str, ...], category: str, expected: float) -> None:
    assert match(ranker, product(category=category), Need("d", categories=categories)).factors.category == expected


@pytest.mark.parametrize(
    ("text", "category", "expected"),
    [
        ("nuoc mam", "food.condiment", 1.0),  # "nước mắm" is a condiment keyword: same subgroup
        ("Nước mắm", "food.condiment", 1.0),
        ("nuoc mam", "food.tea", 0.5),  # same group (food): SAME_GROUP
        ("nuoc mam", "beverage.alcoholic", 0.0),  # other group
        ("ruou", "beverage.alcoholic", 1.0),
        ("ruou", "beverage.non_alcoholic", 0.5),
        ("ruou", "food.tea", 0.0),
        ("xyz qwerty", "food.condiment", None),  # points nowhere: the factor does not apply
        ("mắm tôm Thanh Hóa", "food.condiment", 1.0),  # "mắm tôm" (2 words) outvotes fresh "tôm"; the place is no "hoa"
        ("mam tom", "food.fresh", 0.5),
        ("Tìm mắm tôm có chứng nhận an toàn thực phẩm", "food.condiment", 1.0),  # food safety is no supplement
        ("hoa lan Hà Lan", "ornamental.flower", 1.0),  # the country is left out, the orchid is not
        ("Hà Lan", "ornamental.flower", None),
        ("fish sauce for Korea", "food.condiment", 1.0),  # English keywords
        ("herbal tea bag", "herbal.supplement", 1.0),  # "herbal tea" is spotted before "tea", singular or plural
        ("gạo nếp gói bánh chưng", "food.preliminary", None),  # a tie (rice 2, cake 2) points nowhere
        ("", "food.condiment", None),
    ],
)
def test_inferred_category(ranker: Ranker, text: str, category: str, expected: float | None) -> None:
    assert match(ranker, product(category=category), Need("d", text=text)).factors.category == expected


# --------------------------------------------------------------------------------------------------------------- text


def test_folding_drops_diacritics_and_d_bar() -> None:
    assert fold("Đặc sản ĐỒNG Tháp – đđ") == "dac san dong thap dd"
    assert fold("Nước mắm Lệ Gia") == "nuoc mam le gia"


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("nuoc mam", "Nước mắm Lệ Gia"),
        ("dac san", "Bánh đặc sản"),
        ("tom kho", "Tôm khô Long Đương"),
        ("DONG THAP", "Sen Đồng Tháp"),
        ("Đồng Tháp", "Sen dong thap"),
    ],
)
def test_text_without_diacritics_finds_the_product(ranker: Ranker, query: str, wanted: str) -> None:
    names = ["Nước mắm Lệ Gia", "Bánh đặc sản", "Tôm khô Long Đương", "Sen Đồng Tháp", "Sen dong thap", "Gốm Bát Tràng"]
    names = [wanted, *[n for n in names if fold(n) != fold(wanted)]]
    supplies = [product(f"p{i}", name=name, category="handicraft.decoration") for i, name in enumerate(names)]
    ranking = run(ranker, supplies, Need("d", text=query))
    best, *rest = ranking.matches
    assert best.product_id == "p0"
    assert best.factors.text is not None and best.factors.text > 0.5
    assert all(m.factors.text is not None and m.factors.text < best.factors.text for m in rest)


def test_text_factor_is_blind_to_diacritics_and_case(ranker: Ranker) -> None:
    supplies = [product("a", name="Nước mắm Lệ Gia"), product("b", name="Tôm khô Long Đương")]
    folded = by_id(run(ranker, supplies, Need("d", text="nuoc mam tom kho")))
    accented = by_id(run(ranker, supplies, Need("d", text="NƯỚC MẮM Tôm Khô")))
    for pid in ("a", "b"):
        assert folded[pid].factors.text == pytest.approx(accented[pid].factors.text, abs=1e-12)


def test_text_does_not_apply_without_text(ranker: Ranker) -> None:
    assert match(ranker, product(), Need("d", text="   ")).factors.text is None


# ------------------------------------------------------------------------------------------------------------- volume

MONTHLY_TONNE = Rate(1, "t", "month")  # 1000 kg a month


@pytest.mark.parametrize(
    ("quantity", "fields", "expected"),
    [
        (MONTHLY_TONNE, {"capacity": Rate(500, "kg", "month")}, 0.5),
        (MONTHLY_TONNE, {"capacity": Rate(2, "t", "month")}, 1.0),  # capped
        (MONTHLY_TONNE, {"capacity": Rate(6000, "kg", "year")}, 0.5),  # 500 kg a month
        (Rate(12, "t", "year"), {"capacity": Rate(250, "kg", "month")}, 0.25),
        (Rate(1, "kg", "month"), {"capacity": Rate(250, "g", "month")}, 0.25),
        (Rate(14, "kg", "week"), {"capacity": Rate(1, "kg", "day")}, 0.5),  # 7 kg a week of 14
        (Rate(100, "l", "month"), {"capacity": Rate(50_000, "ml", "month")}, 0.5),
        (Rate(100, "l", "month"), {"capacity": Rate(100, "bottle", "month"), "pack_size": Amount(500, "ml")}, 0.5),
        (Rate(200, "bottle", "month"), {"capacity": Rate(50, "l", "month"), "pack_size": Amount(500, "ml")}, 0.5),
        (Rate(400, "box", "month"), {"capacity": Rate(50, "kg", "month"), "pack_size": Amount(250, "g")}, 0.5),
        (Rate(100, "kg", "month"), {"capacity": Rate(100, "piece", "month")}, 0.5),  # no pack size: NEUTRAL
        (Rate(100, "kg", "month"), {"capacity": Rate(100, "l", "month"), "pack_size": Amount(1, "l")}, 0.5),
        (Rate(100, "kg", "month"), {}, 0.5),  # no capacity: NEUTRAL
        (Rate(100, "kg", "month"), {"capacity": Rate(0, "kg", "month")}, 0.0),
        # a minimum order above the monthly demand multiplies by demand ÷ minimum order
        (Rate(100, "kg", "month"), {"capacity": Rate(200, "kg", "month"), "min_order": Amount(400, "kg")}, 0.25),
        (Rate(100, "kg", "month"), {"capacity": Rate(200, "kg", "month"), "min_order": Amount(0.2, "t")}, 0.5),
        (Rate(100, "kg", "month"), {"capacity": Rate(50, "kg", "month"), "min_order": Amount(200, "kg")}, 0.25),
        (Rate(100, "kg", "month"), {"capacity": Rate(200, "kg", "month"), "min_order": Amount(50, "kg")}, 1.0),
        (Rate(100, "kg", "month"), {"min_order": Amount(400, "kg")}, 0.125),  # NEUTRAL × 100/400
        (Rate(100, "kg", "month"), {"capacity": Rate(200, "kg", "month"), "min_order": Amount(400, "piece")}, 1.0),
        (Rate(10, "bottle", "month"), {"min_order": Amount(20, "l"), "pack_size": Amount(500, "ml")}, 0.125),
    ],
)
def test_volume(ranker: Ranker, quantity: Rate, fields: dict[str, Any], expected: float) -> None:
    factors = match(ranker, product(**fields), Need("d", quantity=quantity)).factors
    assert factors.volume == pytest.approx(expected, abs=1e-12)


def test_volume_does_not_apply_without_quantity(ranker: Ranker) -> None:
    assert match(ranker, product(capacity=Rate(1, "kg")), Need("d")).factors.volume is None


# ------------------------------------------------------------------------------------------------------ certification

VALID_GAP = Certificate("globalgap", NEXT_YEAR)


@pytest.mark.parametrize(
    ("preferred", "certificates", "expected"),
    [
        (("vietgap", "haccp"), (Certificate("globalgap"),), 0.5),  # GlobalGAP satisfies VietGAP
        (("vietgap", "haccp"), (Certificate("fssc_22000", NEXT_YEAR),), 0.5),  # FSSC 22000 → ISO 22000 → HACCP
        (("vietgap", "haccp"), (VALID_GAP, Certificate("iso_22000")), 1.0),
        (("vietgap", "haccp"), (Certificate("globalgap", YESTERDAY),), 0.0),  # expired: does not count
        (("vietgap", "haccp"), (Certificate("vietgap", TODAY),), 0.5),  # valid through its last day
        (("organic",), (Certificate("organic_eu"),), 1.0),
        (("organic_eu",), (Certificate("organic"),), 0.0),  # dominance goes one way
        (("haccp", "halal", "iso_9001"), (Certificate("brcgs"), Certificate("halal", YESTERDAY)), 1 / 3),
        (("vietgap",), (), 0.0),
        ((), (VALID_GAP,), None),
    ],
)
def test_certification(
    ranker: Ranker, preferred: tuple[str, ...], certificates: tuple[Certificate, ...], expected: float | None
) -> None:
    factors = match(ranker, product(certificates=certificates), Need("d", preferred_certifications=preferred)).factors
    assert factors.certification == (None if expected is None else pytest.approx(expected, abs=1e-12))


# -------------------------------------------------------------------------------------------------------------- stars


@pytest.mark.parametrize(
    ("stars", "expires_on", "expected"),
    [(5, None, 1.0), (4, NEXT_YEAR, 2 / 3), (3, None, 1 / 3), (None, None, 0.0), (5, YESTERDAY, 0.0), (5, TODAY, 1.0)],
)
def test_stars(ranker: Ranker, stars: int | None, expires_on: dt.date | None, expected: float) -> None:
    factors = match(ranker, product(stars=stars, star_expires_on=expires_on), Need("d")).factors
    assert factors.stars == pytest.approx(expected, abs=1e-12)


# ------------------------------------------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("target", "markets", "expected"),
    [
        ("JP", ("US", "JP"), 1.0),
        ("JP", ("US",), 0.5),
        ("JP", (), 0.0),
        ("VN", ("US",), None),  # the home market: not applicable
        (None, ("US",), None),
    ],
)
def test_export(ranker: Ranker, target: str | None, markets: tuple[str, ...], expected: float | None) -> None:
    factors = match(ranker, product(export_markets=markets), Need("d", target_market=target)).factors
    assert factors.export == expected


# ------------------------------------------------------------------------------------------------------------- region

HA_NOI_HO_CHI_MINH = 1 / (1 + 1129.189902329129 / 300)  # 0.2099…
CAN_THO_CA_MAU = 1 / (1 + 101.92945795650506 / 300)  # 0.7464…
HUE_DA_NANG = 1 / (1 + 103.77538536831014 / 300)  # 0.7430…


@pytest.mark.parametrize(
    ("preferred", "buyer", "province", "expected"),
    [
        (("ha_noi",), None, "ha_noi", 1.0),
        (("ha_noi", "can_tho"), None, "can_tho", 1.0),
        (("ha_noi",), None, "ho_chi_minh", HA_NOI_HO_CHI_MINH),
        (("ha_noi", "can_tho"), None, "ca_mau", CAN_THO_CA_MAU),  # the nearest preferred province
        ((), "hue", "hue", 1.0),  # the buyer's province anchors when nothing is preferred
        ((), "hue", "da_nang", HUE_DA_NANG),
        (("ha_noi",), "ho_chi_minh", "ho_chi_minh", HA_NOI_HO_CHI_MINH),  # preferred provinces come first
        ((), None, "ha_noi", None),  # no anchor: not applicable
    ],
)
def test_region(
    ranker: Ranker, preferred: tuple[str, ...], buyer: str | None, province: str, expected: float | None
) -> None:
    need = Need("d", preferred_provinces=preferred, buyer_province_code=buyer)
    factors = match(ranker, product(province_code=province), need).factors
    assert factors.region == (None if expected is None else pytest.approx(expected, abs=1e-9))


# ------------------------------------------------------------------------------------------------------------- season


@pytest.mark.parametrize(
    ("needed", "available", "expected"),
    [
        ((1, 2, 3, 4), (3, 4, 5), 0.5),
        ((1, 2, 3, 4), (), 1.0),  # a product that names no months is available all year
        ((12,), (1, 2), 0.0),
        ((6,), (6,), 1.0),
        ((), (1,), None),
    ],
)
def test_season(ranker: Ranker, needed: tuple[int, ...], available: tuple[int, ...], expected: float | None) -> None:
    factors = match(ranker, product(months_available=available), Need("d", needed_months=needed)).factors
    assert factors.season == expected


# ------------------------------------------------------------------------------------------------------- hard filters

FILTERED = [
    product("other_group", category="beverage.alcoholic", stars=3),  # category first, though it fails everything
    product("no_cert", category="food.fresh", stars=5),
    product("expired_cert", category="food.fresh", stars=5, certificates=(Certificate("vietgap", YESTERDAY),)),
    product("dominating", category="food.fresh", stars=5, certificates=(VALID_GAP,)),
    product(
        "expired_stars", category="food.tea", stars=5, star_expires_on=YESTERDAY, certificates=(Certificate("vietgap"),)
    ),
    product("few_stars", category="food.tea", stars=3, certificates=(Certificate("vietgap"),)),
    product("ok", category="food.tea", stars=4, certificates=(Certificate("vietgap"),)),
]


def test_hard_filters_count_under_the_first_that_applies(ranker: Ranker) -> None:
    need = Need("d", categories=("food",), required_certifications=("vietgap",), min_stars=4)
    ranking = run(ranker, FILTERED, need)
    assert ranking.excluded == {"category": 1, "certification": 2, "stars": 2}
    # category 1 (weight .2) and stars (weight .1): (.2 + .1·1)/.3 and (.2 + .1·⅔)/.3
    assert [(m.product_id, m.score) for m in ranking.matches] == [("dominating", 1.0), ("ok", 0.888888888889)]


@pytest.mark.parametrize(
    ("need", "excluded"),
    [
        (Need("d"), {}),
        (Need("d", categories=("food.tea",)), {"category": 4}),
        (Need("d", required_certifications=("vietgap",)), {"certification": 3}),  # the beverage has none either
        (Need("d", required_certifications=("globalgap",)), {"certification": 6}),  # VietGAP does not satisfy it
        (Need("d", required_certifications=("no_such_code",)), {"certification": 7}),
        (Need("d", min_stars=5), {"stars": 4}),  # expired stars count as none
        (Need("d", min_stars=3), {"stars": 1}),
    ],
)
def test_exclusion_counts(ranker: Ranker, need: Need, excluded: dict[str, int]) -> None:
    ranking = run(ranker, FILTERED, need)
    assert ranking.excluded == excluded
    assert len(ranking.matches) == len(FILTERED) - sum(excluded.values())


# ------------------------------------------------------------------------------------------------ weights and ranking


@pytest.mark.parametrize(
    ("fields", "need", "weights", "score"),
    [
        ({"stars": 4}, Need("d"), None, 0.666666666667),  # only stars applies: the score is the stars factor
        ({"stars": 5, "export_markets": ("US",)}, Need("d", target_market="JP"), None, 0.75),  # (.1·1 + .1·.5)/.2
        ({"stars": 5, "export_markets": ("US",)}, Need("d", target_market="JP"), Weights(stars=1, export=3), 0.625),
        ({"stars": 3, "months_available": (1,)}, Need("d", needed_months=(1, 2)), None, 0.388888888889),
        ({"stars": 5}, Need("d", quantity=Rate(1, "kg")), Weights(volume=0.0), 1.0),  # zero weight: left out
    ],
)
def test_weights_are_renormalised_over_applicable_factors(
    ranker: Ranker, fields: dict[str, Any], need: Need, weights: Weights | None, score: float
) -> None:
    assert match(ranker, product(**fields), need, weights).score == score


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (1, ["s1"]),
        (2, ["s1", "s3"]),
        (3, ["s1", "s3", "s4"]),
        (4, ["s1", "s3", "s4", "s0"]),
        (10, ["s1", "s3", "s4", "s0", "s2", "s5"]),
    ],
)
def test_top_k_breaks_ties_by_catalogue_order(ranker: Ranker, k: int, expected: list[str]) -> None:
    stars = [None, 5, None, 5, 4, None]  # scores 0, 1, 0, 1, ⅔, 0
    ranking = run(ranker, [product(f"s{i}", stars=s) for i, s in enumerate(stars)], Need("d"), k=k)
    assert [m.product_id for m in ranking.matches] == expected
    assert [m.rank for m in ranking.matches] == list(range(1, len(expected) + 1))
