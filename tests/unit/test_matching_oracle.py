"""Property tests: the vectorised engine ranks exactly as the per-pair oracle written from :mod:`matching.rules`."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.catalogue import Catalogue, fit_catalogue
from matching.engine import rank
from matching.types import FACTORS, Amount, Certificate, Need, Ranking, Rate, Supply, Weights
from seeds.reference import group_codes, matching_reference, subgroup_codes
from tests.unit.matching_oracle import oracle_rank

TODAY = dt.date(2025, 7, 1)
REFERENCE = matching_reference()
SUBGROUPS = sorted(subgroup_codes())
GROUPS = sorted(group_codes())
CERTIFICATIONS = sorted(REFERENCE.satisfiers)
PROVINCES = sorted(REFERENCE.province_coordinates)
COUNTRIES = ["VN", "US", "JP", "DE", "KR", "AU"]
MASS_UNITS = ["kg", "t", "g"]
VOLUME_UNITS = ["l", "ml"]
COUNT_UNITS = ["piece", "bottle", "box"]
UNITS = MASS_UNITS + VOLUME_UNITS + COUNT_UNITS
PERIODS = ["day", "week", "month", "quarter", "year"]
WORDS = [
    "Nước mắm",
    "nuoc mam",
    "Tôm khô",
    "tom kho",
    "đặc sản",
    "dac san",
    "Chè",
    "che",
    "trà xanh",
    "tra xanh",
    "Cà phê",
    "ca phe",
    "rượu",
    "ruou",
    "gạo",
    "gao",
    "mật ong",
    "mat ong",
    "gốm",
    "lụa",
    "mây tre đan",
    "homestay",
    "Long Đương",
    "Lệ Gia",
    "Đà Lạt",
    "fish sauce",
    "dried shrimp",
    "tea",
    "coffee",
    "honey",
    "rice",
    "premium",
    "organic",
    "gift box",
    "hạt điều",
    "cashew",
    "tinh dầu",
    "hoa lan",
    "bưởi",
    "pomelo",
]

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
dates = st.one_of(st.none(), st.dates(min_value=TODAY - dt.timedelta(days=400), max_value=TODAY + dt.timedelta(400)))
positive = st.floats(min_value=0.01, max_value=1e5, allow_nan=False, allow_infinity=False)
months = st.lists(st.integers(1, 12), max_size=4, unique=True).map(tuple)
rates = st.builds(Rate, amount=positive, unit=st.sampled_from(UNITS), per=st.sampled_from(PERIODS))
amounts = st.builds(Amount, amount=positive, unit=st.sampled_from(UNITS))
pack_sizes = st.builds(
    Amount, amount=st.sampled_from([0.25, 0.5, 1.0, 250.0, 500.0]), unit=st.sampled_from(MASS_UNITS + VOLUME_UNITS)
)
certificates = st.lists(st.builds(Certificate, code=st.sampled_from(CERTIFICATIONS), expires_on=dates), max_size=3).map(
    tuple
)


@st.composite
def supplies(draw: st.DrawFn, index: int) -> Supply:
    stars = draw(st.one_of(st.none(), st.integers(3, 5)))
    return Supply(
        product_id=f"p{index}",
        exhibitor_id=f"e{index % 3}",
        name=draw(names),
        category=draw(st.sampled_from(SUBGROUPS)),
        province_code=draw(st.sampled_from(PROVINCES)),
        name_en=draw(st.one_of(st.none(), texts)),
        description=draw(texts),
        stars=stars,
        star_expires_on=draw(dates) if stars is not None else None,
        certificates=draw(certificates),
        capacity=draw(st.one_of(st.none(), rates)),
        min_order=draw(st.one_of(st.none(), amounts)),
        pack_size=draw(st.one_of(st.none(), pack_sizes)),
        export_markets=tuple(draw(st.lists(st.sampled_from(COUNTRIES[1:]), max_size=3, unique=True))),
        months_available=draw(months),
    )


@st.composite
def needs(draw: st.DrawFn, index: int) -> Need:
    codes = st.lists(st.sampled_from(CERTIFICATIONS), max_size=2, unique=True).map(tuple)
    return Need(
        demand_id=f"d{index}",
        text=draw(texts),
        categories=tuple(
            draw(st.lists(st.sampled_from(SUBGROUPS + GROUPS), max_size=2, unique=True))
            if draw(st.integers(0, 2)) == 0
            else ()
        ),
        quantity=draw(st.one_of(st.none(), rates)),
        required_certifications=draw(codes) if draw(st.integers(0, 3)) == 0 else (),
        preferred_certifications=draw(codes),
        min_stars=draw(st.one_of(st.none(), st.none(), st.integers(3, 5))),
        target_market=draw(st.one_of(st.none(), st.sampled_from(COUNTRIES))),
        preferred_provinces=tuple(draw(st.lists(st.sampled_from(PROVINCES), max_size=2, unique=True))),
        needed_months=draw(months),
        buyer_province_code=draw(st.one_of(st.none(), st.sampled_from(PROVINCES))),
        language=draw(st.sampled_from(["vi", "en"])),
    )


@st.composite
def problems(draw: st.DrawFn) -> tuple[Catalogue, list[Need]]:
    n_supplies = draw(st.integers(1, 40))
    n_needs = draw(st.integers(1, 15))
    catalogue = fit_catalogue([draw(supplies(i)) for i in range(n_supplies)], REFERENCE, TODAY)
    return catalogue, [draw(needs(i)) for i in range(n_needs)]


weight_sets = st.one_of(
    st.just(Weights()),
    st.builds(Weights, **{name: st.sampled_from([0.0, 0.05, 0.1, 0.3, 1.0]) for name in FACTORS}),
)


def assert_same(actual: list[Ranking], expected: list[Ranking]) -> None:
    assert [r.demand_id for r in actual] == [r.demand_id for r in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got.excluded == want.excluded, want.demand_id
        assert [m.product_id for m in got.matches] == [m.product_id for m in want.matches], want.demand_id
        for got_match, want_match in zip(got.matches, want.matches, strict=True):
            assert got_match.rank == want_match.rank
            assert got_match.score == pytest.approx(want_match.score, abs=1e-9), (want.demand_id, want_match)
            for name in FACTORS:
                got_value, want_value = getattr(got_match.factors, name), getattr(want_match.factors, name)
                assert (got_value is None) == (want_value is None), (want.demand_id, want_match.product_id, name)
                if want_value is not None:
                    assert got_value == pytest.approx(want_value, abs=1e-9), (want.demand_id, want_match, name)


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(problem=problems(), weights=weight_sets, k=st.integers(1, 12))
def test_engine_agrees_with_the_oracle(problem: tuple[Catalogue, list[Need]], weights: Weights, k: int) -> None:
    catalogue, demands = problem
    assert_same(rank(catalogue, demands, weights, k=k), oracle_rank(catalogue, demands, weights, k))


@PROPERTY
@given(problem=problems(), k=st.integers(1, 8))
def test_block_boundaries_and_worker_threads_do_not_matter(problem: tuple[Catalogue, list[Need]], k: int) -> None:
    catalogue, demands = problem
    expected = oracle_rank(catalogue, demands, None, k)
    for block_size, workers in ((1, 1), (7, 1), (1, 3), (7, 2)):
        assert_same(rank(catalogue, demands, k=k, block_size=block_size, workers=workers), expected)


@PROPERTY
@given(problem=problems())
def test_k_larger_than_the_catalogue_returns_every_eligible_product(problem: tuple[Catalogue, list[Need]]) -> None:
    catalogue, demands = problem
    k = catalogue.size + 5
    actual = rank(catalogue, demands, k=k)
    assert_same(actual, oracle_rank(catalogue, demands, None, k))
    for ranking in actual:
        assert len(ranking.matches) + sum(ranking.excluded.values()) == catalogue.size
        assert [m.rank for m in ranking.matches] == list(range(1, len(ranking.matches) + 1))
