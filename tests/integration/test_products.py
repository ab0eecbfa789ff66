"""OCOP products through the HTTP API: full records, edits, deletion and the catalogue's filters."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import Body, Client, create_exhibitor, create_product, read, total

FULL_PRODUCT: Body = {
    "name": "Nước mắm cốt nhĩ Lê Gia",
    "name_en": "Le Gia first-press fish sauce",
    "category": "food.condiment",
    "description": "Ủ chượp 12 tháng trong thùng gỗ",
    "stars": 5,
    "star_expires_on": "2028-06-30",
    "certifications": [
        {"code": "haccp", "expires_on": "2030-12-31"},
        {"code": "iso_22000"},
        {"code": "vietgap", "expires_on": "2020-01-01"},
    ],
    "capacity": {"amount": 12.5, "unit": "tấn", "per": "year"},
    "min_order": {"amount": 500, "unit": "chai"},
    "pack_size": {"amount": 500, "unit": "ml"},
    "price_min_vnd": 80_000,
    "price_max_vnd": 150_000,
    "export_markets": ["kr", "JP", "de"],
    "ecommerce_channels": ["shopee", "tiktok_shop"],
    "months_available": [12, 1, 6],
    "traceability_code": "VN-TH-0001",
}


def _by_code(product: Body) -> Body:
    """The product with its certificates in code order, so answers can be compared whole."""
    return {**product, "certifications": sorted(product["certifications"], key=lambda c: c["code"])}


async def test_a_full_product_is_normalised_and_read_back(
    client: Client, exhibitor_account: Account, buyer_account: Account
) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    created = await create_product(client, exhibitor_account, exhibitor["id"], **FULL_PRODUCT)
    assert created["exhibitor_id"] == exhibitor["id"]
    assert (created["exhibitor_name"], created["province_code"]) == ("HTX Nước mắm Lê Gia", "thanh_hoa")
    assert created["capacity"] == {"amount": 12.5, "unit": "t", "per": "year"}
    assert created["min_order"] == {"amount": 500, "unit": "bottle"}
    assert created["pack_size"] == {"amount": 500, "unit": "ml"}
    assert created["export_markets"] == ["KR", "JP", "DE"]
    assert created["months_available"] == [1, 6, 12]
    assert _by_code(created)["certifications"] == [
        {"code": "haccp", "expires_on": "2030-12-31", "valid": True},
        {"code": "iso_22000", "expires_on": None, "valid": True},
        {"code": "vietgap", "expires_on": "2020-01-01", "valid": False},
    ]
    for field in (
        "name",
        "name_en",
        "description",
        "stars",
        "star_expires_on",
        "price_min_vnd",
        "price_max_vnd",
        "ecommerce_channels",
        "traceability_code",
        "category",
    ):
        assert created[field] == FULL_PRODUCT[field], field

    got = await read(client, buyer_account, f"/api/products/{created['id']}")
    assert _by_code(got) == _by_code(created)
    assert (await read(client, buyer_account, f"/api/exhibitors/{exhibitor['id']}"))["product_count"] == 1


async def test_a_minimal_product_has_empty_defaults(client: Client, exhibitor_account: Account) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    response = await client.post(
        f"/api/exhibitors/{exhibitor['id']}/products",
        json={"name": "Bánh gai Tứ Trụ", "category": "food.processed"},
        headers=exhibitor_account.headers,
    )
    assert response.status_code == 201, response.text
    product = response.json()
    assert product["stars"] is None
    assert product["certifications"] == product["export_markets"] == product["months_available"] == []
    assert product["capacity"] is product["min_order"] is product["pack_size"] is None


async def test_patch_replaces_certificates_keeping_a_code_and_clears_what_is_nulled(
    client: Client, exhibitor_account: Account
) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    product = await create_product(client, exhibitor_account, exhibitor["id"], **FULL_PRODUCT)
    url = f"/api/products/{product['id']}"
    patch = {
        "certifications": [{"code": "iso_22000", "expires_on": "2031-01-01"}, {"code": "organic"}],
        "capacity": None,
        "stars": None,
        "export_markets": ["us"],
        "name": "Nước mắm nhĩ",
    }
    response = await client.patch(url, json=patch, headers=exhibitor_account.headers)
    assert response.status_code == 200, response.text
    got = await read(client, exhibitor_account, url)
    assert _by_code(response.json()) == _by_code(got)
    assert _by_code(got)["certifications"] == [
        {"code": "iso_22000", "expires_on": "2031-01-01", "valid": True},
        {"code": "organic", "expires_on": None, "valid": True},
    ]
    assert (got["capacity"], got["stars"], got["star_expires_on"]) == (None, None, None)
    assert (got["export_markets"], got["name"]) == (["US"], "Nước mắm nhĩ")
    untouched = ("min_order", "pack_size", "months_available", "price_min_vnd", "traceability_code", "category")
    assert {key: got[key] for key in untouched} == {key: product[key] for key in untouched}

    by_haccp = await read(client, exhibitor_account, "/api/products", certification="haccp")
    assert [p["id"] for p in by_haccp["items"]] == [product["id"]], "iso_22000 still meets a HACCP requirement"
    assert await total(client, exhibitor_account, "/api/products", certification="vietgap") == 0


async def test_patch_with_the_same_certificates_changes_nothing(client: Client, exhibitor_account: Account) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    product = await create_product(client, exhibitor_account, exhibitor["id"], **FULL_PRODUCT)
    url = f"/api/products/{product['id']}"
    same = {"certifications": FULL_PRODUCT["certifications"]}
    response = await client.patch(url, json=same, headers=exhibitor_account.headers)
    assert response.status_code == 200, response.text
    assert _by_code(await read(client, exhibitor_account, url)) == _by_code(product)


async def test_delete_removes_the_product(client: Client, exhibitor_account: Account, organiser: Account) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    kept = await create_product(client, exhibitor_account, exhibitor["id"], name="Nước mắm cốt")
    product = await create_product(client, exhibitor_account, exhibitor["id"], **FULL_PRODUCT)
    url = f"/api/products/{product['id']}"
    assert (await client.delete(url, headers=exhibitor_account.headers)).status_code == 204
    assert_problem(await client.get(url, headers=exhibitor_account.headers), 404)
    assert_problem(await client.delete(url, headers=exhibitor_account.headers), 404)
    listed = await read(client, organiser, "/api/products")
    assert [p["id"] for p in listed["items"]] == [kept["id"]]
    assert (await read(client, organiser, f"/api/exhibitors/{exhibitor['id']}"))["product_count"] == 1
    assert await total(client, organiser, "/api/products", certification="haccp") == 0


CATALOGUE: list[tuple[str, str, Body]] = [
    (
        "legia",
        "Nước mắm Lê Gia",
        {
            "category": "food.condiment",
            "stars": 5,
            "certifications": [{"code": "fssc_22000", "expires_on": "2099-01-01"}],
        },
    ),
    ("legia", "Chè Shan tuyết", {"category": "food.tea", "stars": 4, "certifications": [{"code": "globalgap"}]}),
    (
        "hoabinh",
        "Mật ong rừng",
        {
            "category": "food.preliminary",
            "stars": 3,
            "certifications": [{"code": "organic_eu"}, {"code": "vietgap", "expires_on": "2020-01-01"}],
        },
    ),
    (
        "hoabinh",
        "Rượu cần",
        {
            "category": "beverage.alcoholic",
            "stars": None,
            "certifications": [{"code": "haccp", "expires_on": "2020-01-01"}],
        },
    ),
    ("hoabinh", "Nuoc mam chay", {"category": "food.condiment", "stars": None}),
]


async def _catalogue(client: Client, organiser: Account) -> dict[str, str]:
    """Two exhibitors (Thanh Hóa; Hòa Bình, now Phú Thọ) and five products; returns exhibitor ids by key."""
    exhibitors = {
        "legia": (await create_exhibitor(client, organiser, province_code="Thanh Hóa"))["id"],
        "hoabinh": (await create_exhibitor(client, organiser, name="HTX Hòa Bình", province_code="Hòa Bình"))["id"],
    }
    for key, name, fields in CATALOGUE:
        await create_product(client, organiser, exhibitors[key], name=name, **fields)
    return exhibitors


EVERYTHING = ["Nước mắm Lê Gia", "Chè Shan tuyết", "Mật ong rừng", "Rượu cần", "Nuoc mam chay"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, EVERYTHING),
        ({"category": "food"}, ["Nước mắm Lê Gia", "Chè Shan tuyết", "Mật ong rừng", "Nuoc mam chay"]),
        ({"category": "food.condiment"}, ["Nước mắm Lê Gia", "Nuoc mam chay"]),
        ({"category": "beverage"}, ["Rượu cần"]),
        ({"category": "beverage.alcoholic"}, ["Rượu cần"]),
        ({"category": "herbal"}, []),
        ({"min_stars": 3}, ["Nước mắm Lê Gia", "Chè Shan tuyết", "Mật ong rừng"]),
        ({"min_stars": 4}, ["Nước mắm Lê Gia", "Chè Shan tuyết"]),
        ({"min_stars": 5}, ["Nước mắm Lê Gia"]),
        ({"certification": "vietgap"}, ["Chè Shan tuyết"]),
        ({"certification": "globalgap"}, ["Chè Shan tuyết"]),
        ({"certification": "haccp"}, ["Nước mắm Lê Gia"]),
        ({"certification": "iso_22000"}, ["Nước mắm Lê Gia"]),
        ({"certification": "fssc_22000"}, ["Nước mắm Lê Gia"]),
        ({"certification": "organic"}, ["Mật ong rừng"]),
        ({"certification": "organic_eu"}, ["Mật ong rừng"]),
        ({"certification": "organic_usda"}, []),
        ({"province": "thanh_hoa"}, ["Nước mắm Lê Gia", "Chè Shan tuyết"]),
        ({"province": "Thanh Hóa"}, ["Nước mắm Lê Gia", "Chè Shan tuyết"]),
        ({"province": "Hoa Binh"}, ["Mật ong rừng", "Rượu cần", "Nuoc mam chay"]),
        ({"province": "phu_tho"}, ["Mật ong rừng", "Rượu cần", "Nuoc mam chay"]),
        ({"province": "ha_noi"}, []),
        ({"q": "nuoc mam"}, ["Nước mắm Lê Gia", "Nuoc mam chay"]),
        ({"q": "nước mắm"}, ["Nước mắm Lê Gia", "Nuoc mam chay"]),
        ({"q": "NƯỚC MẮM"}, ["Nước mắm Lê Gia", "Nuoc mam chay"]),
        ({"q": "mam le gia"}, ["Nước mắm Lê Gia"]),
        ({"q": "mật ong"}, ["Mật ong rừng"]),
        ({"q": "ruou"}, ["Rượu cần"]),
        ({"q": "caviar"}, []),
        ({"q": "100%"}, []),
        ({"exhibitor_id": "legia"}, ["Nước mắm Lê Gia", "Chè Shan tuyết"]),
        ({"exhibitor_id": "hoabinh"}, ["Mật ong rừng", "Rượu cần", "Nuoc mam chay"]),
        ({"category": "food", "min_stars": 4}, ["Nước mắm Lê Gia", "Chè Shan tuyết"]),
        ({"province": "Hoa Binh", "q": "nuoc mam"}, ["Nuoc mam chay"]),
        ({"certification": "haccp", "category": "beverage"}, []),
    ],
)
async def test_catalogue_filters(
    client: Client, organiser: Account, buyer_account: Account, params: dict[str, Any], expected: list[str]
) -> None:
    exhibitors = await _catalogue(client, organiser)
    if "exhibitor_id" in params:
        params = {**params, "exhibitor_id": exhibitors[params["exhibitor_id"]]}
    page = await read(client, buyer_account, "/api/products", **params)
    assert sorted(p["name"] for p in page["items"]) == sorted(expected)
    assert page["total"] == len(expected)


async def test_an_expired_certificate_is_listed_as_invalid(client: Client, organiser: Account) -> None:
    await _catalogue(client, organiser)
    honey = (await read(client, organiser, "/api/products", q="mat ong"))["items"][0]
    assert {c["code"]: c["valid"] for c in honey["certifications"]} == {"organic_eu": True, "vietgap": False}


async def test_the_catalogue_pages_with_totals(client: Client, organiser: Account, buyer_account: Account) -> None:
    exhibitor = await create_exhibitor(client, organiser)
    ids = {(await create_product(client, organiser, exhibitor["id"], name=f"Sản phẩm {n:02}"))["id"] for n in range(23)}
    default = await read(client, buyer_account, "/api/products")
    assert (default["total"], default["limit"], default["offset"], len(default["items"])) == (23, 20, 0, 20)
    pages = [await read(client, buyer_account, "/api/products", limit=10, offset=offset) for offset in (0, 10, 20)]
    assert [len(page["items"]) for page in pages] == [10, 10, 3]
    assert all(page["total"] == 23 for page in pages)
    assert {p["id"] for page in pages for p in page["items"]} == ids
    beyond = await read(client, buyer_account, "/api/products", limit=100, offset=30)
    assert (beyond["total"], beyond["items"]) == (23, [])


async def test_an_unknown_product_is_a_404_problem(client: Client, buyer_account: Account) -> None:
    missing = uuid.uuid4()
    assert_problem(await client.get(f"/api/products/{missing}", headers=buyer_account.headers), 404, str(missing))
