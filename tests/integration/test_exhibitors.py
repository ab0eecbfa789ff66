"""Exhibitor profiles through the HTTP API: ownership, contact visibility and the catalogue list."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import (
    Client,
    create_exhibitor,
    create_product,
    exhibitor_payload,
    read,
    total,
)


async def test_an_exhibitor_account_creates_reads_and_patches_its_own_profile(
    client: Client, exhibitor_account: Account
) -> None:
    created = await create_exhibitor(client, exhibitor_account, province_code="Hòa Bình")
    assert created["province_code"] == "phu_tho", "a former province name maps to the province that absorbed it"
    assert created["has_account"] is True
    assert created["product_count"] == 0
    assert (created["contact_email"], created["phone"]) == ("lienhe@legia.vn", "+84 237 386 1234")
    url = f"/api/exhibitors/{created['id']}"
    assert await read(client, exhibitor_account, url) == created

    patch = {"name": "HTX Lê Gia", "phone": None, "province_code": "thanh hoa", "description": "Mới"}
    response = await client.patch(url, json=patch, headers=exhibitor_account.headers)
    assert response.status_code == 200, response.text
    expected = {**created, "name": "HTX Lê Gia", "phone": None, "province_code": "thanh_hoa", "description": "Mới"}
    assert response.json() == expected
    assert await read(client, exhibitor_account, url) == expected


async def test_an_exhibitor_account_has_one_profile(client: Client, exhibitor_account: Account) -> None:
    await create_exhibitor(client, exhibitor_account)
    second = await client.post("/api/exhibitors", json=exhibitor_payload(name="B"), headers=exhibitor_account.headers)
    assert_problem(second, 409, "already")
    assert await total(client, exhibitor_account, "/api/exhibitors") == 1


@pytest.mark.parametrize(
    ("viewer", "sees_contact"),
    [
        ("organiser", True),
        ("exhibitor_account", True),
        ("other_exhibitor_account", False),
        ("buyer_account", False),
    ],
)
async def test_contact_details_are_shown_only_to_organisers_and_the_owner(
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    buyer_account: Account,
    viewer: str,
    sees_contact: bool,
) -> None:
    created = await create_exhibitor(client, exhibitor_account)
    account = {
        "organiser": organiser,
        "exhibitor_account": exhibitor_account,
        "other_exhibitor_account": other_exhibitor_account,
        "buyer_account": buyer_account,
    }[viewer]
    single = await read(client, account, f"/api/exhibitors/{created['id']}")
    listed = (await read(client, account, "/api/exhibitors"))["items"]
    assert [item["id"] for item in listed] == [created["id"]]
    for seen in (single, listed[0]):
        assert seen["name"] == created["name"]
        contact = (seen["contact_email"], seen["phone"])
        assert contact == (("lienhe@legia.vn", "+84 237 386 1234") if sees_contact else (None, None))


async def test_an_organiser_creates_a_profile_for_an_exhibitor_account_which_then_owns_it(
    client: Client, organiser: Account, exhibitor_account: Account, other_exhibitor_account: Account
) -> None:
    created = await create_exhibitor(client, organiser, owner_user_id=exhibitor_account.user_id)
    assert created["has_account"] is True
    assert created["contact_email"] == "lienhe@legia.vn"
    url = f"/api/exhibitors/{created['id']}"
    assert (await read(client, exhibitor_account, url))["contact_email"] == "lienhe@legia.vn"
    assert (await read(client, other_exhibitor_account, url))["contact_email"] is None

    patched = await client.patch(url, json={"district": "Hoằng Hóa"}, headers=exhibitor_account.headers)
    assert patched.status_code == 200, patched.text
    own_second = await client.post("/api/exhibitors", json=exhibitor_payload(), headers=exhibitor_account.headers)
    assert_problem(own_second, 409)
    organiser_second = await client.post(
        "/api/exhibitors", json=exhibitor_payload(owner_user_id=exhibitor_account.user_id), headers=organiser.headers
    )
    assert_problem(organiser_second, 409)
    assert await total(client, organiser, "/api/exhibitors") == 1


async def test_an_unowned_profile_is_managed_by_organisers_only(
    client: Client, organiser: Account, exhibitor_account: Account
) -> None:
    created = await create_exhibitor(client, organiser)
    assert created["has_account"] is False
    url = f"/api/exhibitors/{created['id']}"
    assert_problem(await client.patch(url, json={"name": "Chiếm"}, headers=exhibitor_account.headers), 403)
    patched = await client.patch(url, json={"name": "HTX Lê Gia"}, headers=organiser.headers)
    assert patched.status_code == 200, patched.text
    assert (await read(client, exhibitor_account, url))["name"] == "HTX Lê Gia"


@pytest.mark.parametrize("owner", ["buyer_account", "organiser", "nobody"])
async def test_an_owner_that_is_not_an_exhibitor_account_is_a_422(
    client: Client, organiser: Account, buyer_account: Account, owner: str
) -> None:
    owners = {"buyer_account": buyer_account.user_id, "organiser": organiser.user_id, "nobody": str(uuid.uuid4())}
    owner_id = owners[owner]
    response = await client.post(
        "/api/exhibitors", json=exhibitor_payload(owner_user_id=owner_id), headers=organiser.headers
    )
    assert_problem(response, 422, "owner_user_id", "exhibitor")
    assert await total(client, organiser, "/api/exhibitors") == 0


async def test_an_exhibitor_account_cannot_create_a_profile_for_another_account(
    client: Client, exhibitor_account: Account, other_exhibitor_account: Account
) -> None:
    response = await client.post(
        "/api/exhibitors",
        json=exhibitor_payload(owner_user_id=other_exhibitor_account.user_id),
        headers=exhibitor_account.headers,
    )
    assert_problem(response, 403)
    assert await total(client, exhibitor_account, "/api/exhibitors") == 0


async def _three_exhibitors(client: Client, organiser: Account) -> dict[str, str]:
    exhibitors = [
        ("HTX Nước mắm Lê Gia", "cooperative", "thanh_hoa"),
        ("Công ty Chè Hòa Bình", "enterprise", "Hòa Bình"),
        ("Hộ Mật ong Vĩnh Phúc", "household", "Vĩnh Phúc"),
    ]
    ids = {}
    for name, kind, province in exhibitors:
        ids[name] = (await create_exhibitor(client, organiser, name=name, kind=kind, province_code=province))["id"]
    return ids


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Công ty Chè Hòa Bình", "HTX Nước mắm Lê Gia", "Hộ Mật ong Vĩnh Phúc"]),
        ({"province": "Hoa Binh"}, ["Công ty Chè Hòa Bình", "Hộ Mật ong Vĩnh Phúc"]),
        ({"province": "phu_tho"}, ["Công ty Chè Hòa Bình", "Hộ Mật ong Vĩnh Phúc"]),
        ({"province": "Phú Thọ"}, ["Công ty Chè Hòa Bình", "Hộ Mật ong Vĩnh Phúc"]),
        ({"province": "Thanh Hóa"}, ["HTX Nước mắm Lê Gia"]),
        ({"province": "ha_noi"}, []),
        ({"kind": "household"}, ["Hộ Mật ong Vĩnh Phúc"]),
        ({"kind": "enterprise", "province": "vinh phuc"}, ["Công ty Chè Hòa Bình"]),
        ({"q": "LÊ GIA"}, ["HTX Nước mắm Lê Gia"]),
    ],
)
async def test_the_exhibitor_list_filters_by_province_kind_and_name(
    client: Client, organiser: Account, buyer_account: Account, params: dict[str, Any], expected: list[str]
) -> None:
    await _three_exhibitors(client, organiser)
    page = await read(client, buyer_account, "/api/exhibitors", **params)
    assert sorted(item["name"] for item in page["items"]) == sorted(expected)
    assert page["total"] == len(expected)


async def test_the_exhibitor_list_pages_and_counts_products(
    client: Client, organiser: Account, exhibitor_account: Account
) -> None:
    ids = await _three_exhibitors(client, organiser)
    le_gia = ids["HTX Nước mắm Lê Gia"]
    for name in ("Nước mắm cốt", "Nước mắm nhĩ"):
        await create_product(client, organiser, le_gia, name=name)

    first = await read(client, exhibitor_account, "/api/exhibitors", limit=2)
    rest = await read(client, exhibitor_account, "/api/exhibitors", limit=2, offset=2)
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (3, 2, 0, 2)
    assert (rest["total"], rest["limit"], rest["offset"], len(rest["items"])) == (3, 2, 2, 1)
    seen = [item["id"] for item in first["items"] + rest["items"]]
    assert sorted(seen) == sorted(ids.values())
    counts = {item["id"]: item["product_count"] for item in first["items"] + rest["items"]}
    assert counts == {exhibitor_id: 2 if exhibitor_id == le_gia else 0 for exhibitor_id in ids.values()}
    assert (await read(client, exhibitor_account, f"/api/exhibitors/{le_gia}"))["product_count"] == 2
    default = await read(client, exhibitor_account, "/api/exhibitors")
    assert (default["limit"], default["offset"]) == (20, 0)


async def test_an_unknown_exhibitor_is_a_404_problem(client: Client, buyer_account: Account) -> None:
    missing = uuid.uuid4()
    assert_problem(await client.get(f"/api/exhibitors/{missing}", headers=buyer_account.headers), 404, str(missing))


@pytest.mark.parametrize("q", ["HTX NƯỚC MẮM LÊ GIA", "nước mắm lê gia", "Nước Mắm", "nuoc mam le gia", " LÊ  GIA "])
async def test_the_exhibitor_name_search_ignores_case_and_accents_on_every_backend(
    client: Client, organiser: Account, q: str
) -> None:
    await create_exhibitor(client, organiser, name="HTX NƯỚC MẮM LÊ GIA")
    await create_exhibitor(client, organiser, name="HTX Mây tre đan Phú Vinh")
    page = await read(client, organiser, "/api/exhibitors", q=q)
    assert [item["name"] for item in page["items"]] == ["HTX NƯỚC MẮM LÊ GIA"]


async def test_a_renamed_exhibitor_is_found_by_its_new_name(client: Client, organiser: Account) -> None:
    exhibitor = await create_exhibitor(client, organiser, name="HTX Nước mắm Hải Long")
    response = await client.patch(
        f"/api/exhibitors/{exhibitor['id']}", json={"name": "HTX Nước mắm Lệ Gia"}, headers=organiser.headers
    )
    assert response.status_code == 200, response.text
    assert await total(client, organiser, "/api/exhibitors", q="le gia") == 1
    assert await total(client, organiser, "/api/exhibitors", q="hai long") == 0


@pytest.mark.parametrize("q", ["%", "_", "L_ Gia"])
async def test_wildcards_in_the_exhibitor_search_are_plain_characters(
    client: Client, organiser: Account, q: str
) -> None:
    await _three_exhibitors(client, organiser)
    assert await total(client, organiser, "/api/exhibitors", q=q) == 0
