"""HTML form inputs into the API's schemas: the payload the API would receive, and each error beside its input."""

from __future__ import annotations

import datetime as dt

import pytest

from ocopfair.buyers.schemas import DemandCreate, DemandUpdate
from ocopfair.exhibitors.schemas import ProductCreate, ProductRead, ProductUpdate
from ocopfair.payloads import Quantity
from ocopfair.web.forms import FORM, FormInvalid, Values, named_field, parse, values_of
from ocopfair.web.messages import localise


def form(**inputs: str | list[str]) -> Values:
    return {name.replace("__", "."): value if isinstance(value, list) else [value] for name, value in inputs.items()}


def test_inputs_become_the_demand_the_api_receives() -> None:
    inputs = form(
        text="nuoc mam",
        categories=["food.condiment", "food.fresh"],
        quantity__amount="2",
        quantity__unit="tấn",
        quantity__per="week",
        min_stars="",
        target_market="",
        needed_months=["3", "1"],
    )
    demand = parse(inputs, DemandCreate)
    assert (demand.text, demand.categories, demand.needed_months) == (
        "nuoc mam",
        ["food.condiment", "food.fresh"],
        [1, 3],
    )
    assert (demand.quantity, demand.min_stars, demand.target_market) == (Quantity(2.0, "t", "week"), None, None)


def test_a_group_left_blank_is_left_out_though_its_period_has_a_value() -> None:
    inputs = form(text="chè", quantity__amount="", quantity__unit="", quantity__per="month")
    assert parse(inputs, DemandCreate, fields=("text", "quantity")).quantity is None


def test_comma_lists_and_blank_rows() -> None:
    inputs = form(
        name="Mắm tôm",
        category="food.condiment",
        export_markets="RU, kr,",
        **{
            "certifications[0].code": "",
            "certifications[0].expires_on": "",
            "certifications[1].code": "haccp",
            "certifications[1].expires_on": "2027-06-30",
        },
    )
    product = parse(inputs, ProductCreate)
    assert product.export_markets == ["RU", "KR"]
    assert [(c.code, c.expires_on) for c in product.certifications] == [("haccp", dt.date(2027, 6, 30))]


@pytest.mark.parametrize(
    ("inputs", "errors"),
    [
        (form(text="x", quantity__amount="0", quantity__unit="l"), {"quantity.amount": "Expected `float` > 0.0"}),
        (form(text="x", quantity__amount="2"), {"quantity.unit": "Object missing required field `unit`"}),
        (
            form(text="x", quantity__amount="2", quantity__unit="furlong"),
            {
                "quantity.unit": "unknown unit 'furlong'; use one of: g, kg, t, ml, l, m3, piece, bottle, jar, box, "
                "pack, bag, can, set, carton, tray"
            },
        ),
        (form(text=""), {"text": "say what you need: give a text, categories, or both"}),
        (
            form(text="x", target_market="XX", categories=["nope"]),
            {
                "target_market": "unknown country code 'XX'; use ISO 3166-1 alpha-2 such as 'VN', 'KR', 'DE'",
                "categories": "unknown OCOP category 'nope'; see GET /api/reference/categories",
            },
        ),
    ],
)
def test_each_error_is_put_beside_its_input(inputs: Values, errors: dict[str, str]) -> None:
    with pytest.raises(FormInvalid) as invalid:
        parse(inputs, DemandCreate, twin=DemandUpdate)
    assert invalid.value.errors == errors


def test_a_row_error_names_the_row_the_user_saw() -> None:
    inputs = form(
        name="Mắm",
        category="food.condiment",
        **{
            "certifications[0].code": "",
            "certifications[1].code": "haccp",
            "certifications[2].code": "zz",
        },
    )
    with pytest.raises(FormInvalid) as invalid:
        parse(inputs, ProductCreate, twin=ProductUpdate)
    assert list(invalid.value.errors) == ["certifications[2]"]


def test_a_rule_across_fields_falls_to_the_field_it_names() -> None:
    inputs = form(name="Mắm", category="food.condiment", price_min_vnd="9", price_max_vnd="5")
    with pytest.raises(FormInvalid) as invalid:
        parse(inputs, ProductCreate, twin=ProductUpdate)
    assert invalid.value.errors == {"price_min_vnd": "price_min_vnd is above price_max_vnd"}


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("this exhibitor already has a live application for this fair", None),
        ("a double stand needs booths_requested of at least 2", "booths_requested"),
        ("an account with email a@b.vn already exists", "email"),
    ],
)
def test_a_message_is_placed_by_the_field_it_names(message: str, field: str | None) -> None:
    assert named_field(message, ["email", "booths_requested", "booth_type", "note"]) == field
    assert FORM == "_form"


def test_a_stored_object_fills_its_edit_form() -> None:
    product = ProductRead(
        id="00000000-0000-0000-0000-000000000001",
        exhibitor_id="00000000-0000-0000-0000-000000000002",
        exhibitor_name="Lệ Gia",
        province_code="thanh_hoa",
        name="Mắm",
        name_en=None,
        description="",
        category="food.condiment",
        stars=4,
        star_expires_on=dt.date(2027, 9, 30),
        certifications=[],
        capacity=None,
        min_order=None,
        pack_size=None,
        price_min_vnd=55000,
        price_max_vnd=None,
        export_markets=["RU", "KR"],
        ecommerce_channels=[],
        months_available=[1, 12],
        traceability_code=None,
    )
    values = values_of(product)
    assert values["stars"] == ["4"]
    assert values["star_expires_on"] == ["2027-09-30"]
    assert values["export_markets"] == ["RU", "KR"]
    assert values["months_available"] == ["1", "12"]
    assert "name_en" not in values


@pytest.mark.parametrize(
    ("message", "field", "vi", "en"),
    [
        ("Expected `str` of length >= 8", "password", "Cần ít nhất 8 ký tự.", "At least 8 characters."),
        ("Expected `float` <= 120.0", "time_limit_s", "Không được lớn hơn 120.", "Must be at most 120."),
        (
            "Expected `str` matching regex '^[^@]+$'",
            "contact_email",
            "Địa chỉ email không hợp lệ.",
            "Not a valid email address.",
        ),
        (
            "the fair is closed: it takes no more booth applications",
            "",
            'Hội chợ đang ở trạng thái "Đã kết thúc", không nhận thêm đăng ký gian hàng.',
            "The fair is Closed: it takes no more booth applications.",
        ),
        ("something the pages do not know", "", "something the pages do not know", "something the pages do not know"),
    ],
)
def test_messages_are_said_in_the_visitors_language(message: str, field: str, vi: str, en: str) -> None:
    assert localise(message, field, "vi") == vi
    assert localise(message, field, "en") == en
