"""Validation at the edge: payloads decode once, normalise codes and refuse what the domain cannot hold."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from ocopfair.buyers.schemas import BuyerCreate, DemandCreate
from ocopfair.exhibitors.schemas import ExhibitorCreate, ProductCreate
from ocopfair.fairs.layout import plan_halls
from ocopfair.fairs.schemas import BoothLayout, HallLayout
from ocopfair.payloads import Quantity

PRODUCT = {"name": "Nước mắm Lệ Gia", "category": "food.condiment"}


def _product(**fields: Any) -> ProductCreate:
    return msgspec.convert({**PRODUCT, **fields}, ProductCreate)


def test_product_normalises_units_markets_and_months() -> None:
    product = _product(
        capacity={"amount": 5, "unit": "Tấn", "per": "month"},
        pack_size={"amount": 500, "unit": "ml"},
        export_markets=["kr", "RU"],
        months_available=[12, 1, 6],
        certifications=[{"code": "haccp", "expires_on": "2027-06-30"}],
    )
    assert product.capacity == Quantity(5, "t", "month")
    assert product.export_markets == ["KR", "RU"]
    assert product.months_available == [1, 6, 12]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "food"}, "unknown OCOP category"),
        ({"category": "food.caviar"}, "unknown OCOP category"),
        ({"stars": 2}, ">= 3"),
        ({"stars": 6}, "<= 5"),
        ({"capacity": {"amount": 0, "unit": "kg"}}, "> 0"),
        ({"capacity": {"amount": -1, "unit": "kg"}}, "> 0"),
        ({"capacity": {"amount": 1, "unit": "furlong"}}, "unknown unit"),
        ({"capacity": {"amount": 1, "unit": "kg", "per": "fortnight"}}, "per"),
        ({"pack_size": {"amount": 1, "unit": "piece"}}, "pack_size"),
        ({"certifications": [{"code": "iso_99999"}]}, "unknown certification"),
        ({"certifications": [{"code": "haccp"}, {"code": "haccp"}]}, "twice"),
        ({"export_markets": ["XX"]}, "unknown country"),
        ({"months_available": [13]}, "<= 12"),
        ({"price_min_vnd": 100, "price_max_vnd": 50}, "price_min_vnd"),
        ({"star_expires_on": "2027-01-01"}, "needs stars"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_bad_products_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=message):
        _product(**fields)


@pytest.mark.parametrize(
    ("given", "code"), [("Hòa Bình", "phu_tho"), ("Hoa Binh", "phu_tho"), ("thanh_hoa", "thanh_hoa")]
)
def test_exhibitor_province_accepts_former_names(given: str, code: str) -> None:
    exhibitor = msgspec.convert({"name": "HTX", "kind": "cooperative", "province_code": given}, ExhibitorCreate)
    assert exhibitor.province_code == code


def test_unknown_province_is_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown province"):
        msgspec.convert({"name": "HTX", "kind": "cooperative", "province_code": "Atlantis"}, ExhibitorCreate)


def test_buyer_country_is_iso_alpha_2() -> None:
    assert msgspec.convert({"organisation": "K", "buyer_type": "exporter", "country_code": "kr"}, BuyerCreate)
    with pytest.raises(msgspec.ValidationError, match="unknown country"):
        msgspec.convert({"organisation": "K", "buyer_type": "exporter", "country_code": "KOR"}, BuyerCreate)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "say what you need"),
        ({"text": "   "}, "say what you need"),
        ({"categories": ["food.nope"]}, "unknown OCOP category"),
        ({"text": "x", "required_certifications": ["nope"]}, "unknown certification"),
        ({"text": "x", "min_stars": 2}, ">= 3"),
        ({"text": "x", "quantity": {"amount": 0, "unit": "t"}}, "> 0"),
        ({"text": "x", "preferred_provinces": ["Atlantis"]}, "unknown province"),
        ({"text": "x", "needed_months": [0]}, ">= 1"),
    ],
)
def test_bad_demands_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=message):
        msgspec.convert(fields, DemandCreate)


def test_demand_accepts_groups_and_subgroups() -> None:
    demand = msgspec.convert({"categories": ["food", "handicraft.household"]}, DemandCreate)
    assert demand.categories == ["food", "handicraft.household"]


def test_layout_plans_rows_zones_corners_and_positions() -> None:
    hall = msgspec.convert(
        {
            "code": "A",
            "name": "A",
            "rows": 4,
            "columns": 3,
            "zones": ["food", "beverage"],
            "aisle_m": 2,
            "premium_rows": [1],
            "price_vnd": 1,
            "corner_price_vnd": 2,
            "premium_price_vnd": 3,
        },
        HallLayout,
    )
    (planned,) = plan_halls([hall])
    codes = [b.code for b in planned.booths]
    assert codes == [f"A-{n:03d}" for n in range(1, 13)]
    assert [b.zone for b in planned.booths if b.column == 2] == ["food", "food", "beverage", "beverage"]
    assert [(b.booth_type, b.price_vnd) for b in planned.booths[:3]] == [("corner", 2), ("premium", 3), ("corner", 2)]
    assert planned.booths[3].y_m - planned.booths[0].y_m == pytest.approx(3 + 2)


def test_layout_refuses_duplicate_halls() -> None:
    hall = {"code": "A", "name": "A", "rows": 1, "columns": 1}
    with pytest.raises(msgspec.ValidationError, match="unique"):
        msgspec.convert({"halls": [hall, hall]}, BoothLayout)
