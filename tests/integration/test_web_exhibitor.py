"""An exhibitor's pages: profile and products through the API's schemas and services (certificates with expiry,
capacity, export markets), the booth application, answering meeting requests, and the API's ownership rules."""

from __future__ import annotations

import pytest

from tests.integration.conftest import PASSWORD, Account
from tests.integration.factories import Client, read
from tests.integration.pages import PageFair, body, field_error, input_value, page_fair, sign_in, submit

PRODUCT = {
    "name": "Mắm tôm Lê Gia",
    "category": "food.condiment",
    "stars": "4",
    "star_expires_on": "2027-09-30",
    "certifications[0].code": "haccp",
    "certifications[0].expires_on": "2027-06-30",
    "certifications[1].code": "",
    "certifications[1].expires_on": "",
    "certifications[2].code": "iso_22000",
    "certifications[2].expires_on": "",
    "capacity.amount": "8000",
    "capacity.unit": "kg",
    "capacity.per": "month",
    "pack_size.amount": "250",
    "pack_size.unit": "g",
    "price_min_vnd": "25000",
    "price_max_vnd": "45000",
    "export_markets": "RU, kr",
    "ecommerce_channels": "shopee, lazada",
    "months_available": ["1", "2", "12"],
}


@pytest.fixture
async def fair(client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account) -> PageFair:
    return await page_fair(client, organiser, exhibitor_account, buyer_account)


async def test_a_new_exhibitor_registers_its_profile(client: Client, other_exhibitor_account: Account) -> None:
    await sign_in(client, other_exhibitor_account.email)
    assert (await client.get("/exhibitor", follow_redirects=False)).headers["location"] == "/exhibitor/profile"
    refused = await submit(
        client, "/exhibitor/profile", {"name": "BambooVina", "kind": "enterprise", "province_code": ""}
    )
    assert field_error(body(refused), "province_code") == "Vui lòng nhập mục này."
    assert input_value(refused.text, "name") == "BambooVina"
    form = {
        "name": "BambooVina",
        "kind": "enterprise",
        "province_code": "Thanh Hóa",
        "district": "Thọ Xuân",
        "contact_email": "lienhe@bamboovina.vn",
        "phone": "0237 555 0104",
        "description": "Ống hút tre",
    }
    assert (await submit(client, "/exhibitor/profile", form)).headers["location"] == "/exhibitor"
    (profile,) = (await read(client, other_exhibitor_account, "/api/exhibitors"))["items"]
    assert (profile["province_code"], profile["has_account"], profile["phone"]) == ("thanh_hoa", True, "0237 555 0104")


async def test_a_product_from_the_form_is_the_product_the_api_stores(
    client: Client, fair: PageFair, exhibitor_account: Account
) -> None:
    await sign_in(client, exhibitor_account.email)
    assert (await submit(client, "/exhibitor/products", PRODUCT)).headers["location"] == "/exhibitor"
    products = (await read(client, exhibitor_account, "/api/products", exhibitor_id=fair.exhibitor, q="mam tom"))[
        "items"
    ]
    (stored,) = products
    assert [(c["code"], c["expires_on"]) for c in stored["certifications"]] == [
        ("haccp", "2027-06-30"),
        ("iso_22000", None),
    ]
    assert stored["capacity"] == {"amount": 8000.0, "unit": "kg", "per": "month"}
    assert (stored["export_markets"], stored["months_available"], stored["stars"]) == (["RU", "KR"], [1, 2, 12], 4)
    edit = body(await client.get(f"/exhibitor/products/{stored['id']}/edit"))
    assert input_value(edit, "certifications[1].expires_on") == ""
    assert input_value(edit, "export_markets") == "RU, KR"
    assert 'value="haccp" selected' in edit


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"price_min_vnd": "90000"}, "price_min_vnd", "Giá thấp nhất đang lớn hơn giá cao nhất."),
        (
            {"export_markets": "RU, XX"},
            "export_markets",
            'Mã nước không hợp lệ: "XX". Dùng mã 2 chữ cái như VN, KR, DE.',
        ),
        ({"certifications[2].code": "haccp"}, "certifications", "Có giá trị bị lặp lại."),
        ({"certifications[1].expires_on": "2027-02-28"}, "certifications[1].code", "Vui lòng nhập mục này."),
        ({"certifications[0].expires_on": "2027-02-30"}, "certifications[0].expires_on", "Ngày không hợp lệ."),
        (
            {"pack_size.unit": "bottle"},
            "pack_size",
            "Quy cách đóng gói phải tính theo khối lượng hoặc thể tích (g, kg, ml, l…).",
        ),
        (
            {"stars": "", "star_expires_on": "2027-01-01"},
            "star_expires_on",
            "Chỉ nhập hạn chứng nhận sao khi sản phẩm có số sao.",
        ),
        ({"name": ""}, "name", "Vui lòng nhập mục này."),
    ],
)
async def test_product_errors_show_beside_their_field(
    client: Client, fair: PageFair, exhibitor_account: Account, changes: dict[str, str], field: str, error: str
) -> None:
    await sign_in(client, exhibitor_account.email)
    response = await submit(client, "/exhibitor/products", {**PRODUCT, **changes})
    assert response.status_code == 422
    assert field_error(body(response), field) == error
    assert input_value(response.text, "capacity.amount") == "8000"
    assert (await read(client, exhibitor_account, "/api/products", exhibitor_id=fair.exhibitor))["total"] == 1


async def test_an_edit_refused_by_the_service_changes_nothing(
    client: Client, fair: PageFair, exhibitor_account: Account
) -> None:
    await sign_in(client, exhibitor_account.email)
    refused = await submit(client, f"/exhibitor/products/{fair.product}", {**PRODUCT, "price_min_vnd": "90000"})
    assert field_error(body(refused), "price_min_vnd") == "Giá thấp nhất đang lớn hơn giá cao nhất."
    product = await read(client, exhibitor_account, f"/api/products/{fair.product}")
    assert (product["name"], product["price_min_vnd"]) == ("Nước mắm cốt Lê Gia", None)


async def test_another_exhibitors_product_is_not_theirs_to_change(
    client: Client, fair: PageFair, other_exhibitor_account: Account
) -> None:
    await sign_in(client, other_exhibitor_account.email)
    await submit(
        client, "/exhibitor/profile", {"name": "BambooVina", "kind": "enterprise", "province_code": "thanh_hoa"}
    )
    assert (await client.get(f"/exhibitor/products/{fair.product}/edit")).status_code == 403
    assert (await submit(client, f"/exhibitor/products/{fair.product}/delete")).status_code == 403


async def test_an_exhibitor_withdraws_and_applies_for_a_booth(
    client: Client, fair: PageFair, exhibitor_account: Account
) -> None:
    await sign_in(client, exhibitor_account.email)
    page = body(await client.get("/exhibitor/application"))
    (application,) = await read(client, exhibitor_account, f"/api/fairs/{fair.id}/applications")
    assert f"/exhibitor/application/{application['id']}/withdraw" in page
    form = {"fair_id": fair.id}
    assert (await submit(client, f"/exhibitor/application/{application['id']}/withdraw", form)).status_code == 303
    double = await submit(client, "/exhibitor/application", {**form, "booths_requested": "1", "booth_type": "double"})
    assert field_error(body(double), "booths_requested") == "Gian đôi cần ít nhất 2 gian."
    apply = {
        **form,
        "booths_requested": "2",
        "booth_type": "double",
        "preferred_halls": ["A"],
        "wants_near_delegation": "true",
    }
    assert (await submit(client, "/exhibitor/application", apply)).status_code == 303
    live = [
        a
        for a in await read(client, exhibitor_account, f"/api/fairs/{fair.id}/applications")
        if a["status"] != "withdrawn"
    ]
    assert [
        (a["booths_requested"], a["booth_type"], a["preferred_halls"], a["wants_near_delegation"]) for a in live
    ] == [(2, "double", ["A"], True)]


async def test_an_exhibitor_accepts_a_meeting_request_in_place(
    client: Client, fair: PageFair, exhibitor_account: Account, buyer_account: Account, other_exhibitor_account: Account
) -> None:
    asked = {"buyer_id": fair.buyer, "exhibitor_id": fair.exhibitor, "message": "Gặp tại gian"}
    made = await client.post(f"/api/fairs/{fair.id}/meeting-requests", json=asked, headers=buyer_account.headers)
    request_id = made.json()["id"]
    await sign_in(client, other_exhibitor_account.email, PASSWORD)
    assert (await submit(client, f"/exhibitor/requests/{request_id}", {"status": "accepted"})).status_code == 404
    await sign_in(client, exhibitor_account.email)
    listed = body(await client.get("/exhibitor/requests"))
    assert "Siêu thị Bách Hóa Xanh" in listed
    assert "Gặp tại gian" in listed
    answered = await submit(
        client, f"/exhibitor/requests/{request_id}", {"status": "accepted"}, htmx=f"request-{request_id}"
    )
    assert answered.status_code == 200
    assert "Đã đồng ý" in body(answered)
    late = await submit(
        client, f"/exhibitor/requests/{request_id}", {"status": "declined"}, htmx=f"request-{request_id}"
    )
    assert late.status_code == 422
    assert 'Yêu cầu đã ở trạng thái "Đã đồng ý", không thể thay đổi nữa.' in late.text.replace("&#34;", '"')
    (stored,) = (await read(client, buyer_account, f"/api/fairs/{fair.id}/meeting-requests"))["items"]
    assert stored["status"] == "accepted"
