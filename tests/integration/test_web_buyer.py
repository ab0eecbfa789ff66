"""A buyer's pages: the profile and demand forms check exactly what the API checks and put errors beside the
fields, the matches come with reasons and factor bars, a meeting is requested in one click, the agenda downloads."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import Account
from tests.integration.factories import Client, read, total
from tests.integration.pages import PageFair, body, field_error, input_value, page_fair, sign_in, submit

DEMAND = {"text": "nuoc mam truyen thong", "quantity.amount": "2000", "quantity.unit": "l", "quantity.per": "month"}


@pytest.fixture
async def fair(client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account) -> PageFair:
    return await page_fair(client, organiser, exhibitor_account, buyer_account)


async def post_demand(client: Client, fair: PageFair, **changes: str | list[str]) -> str:
    response = await submit(client, "/buyer/demands", {**DEMAND, "fair_id": fair.id, **changes})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/buyer/demands/[0-9a-f-]{36}", location)
    return location.rsplit("/", 1)[1]


async def test_a_new_buyer_is_sent_to_the_profile_first(client: Client, other_buyer_account: Account) -> None:
    await sign_in(client, other_buyer_account.email)
    assert (await client.get("/buyer", follow_redirects=False)).headers["location"] == "/buyer/profile"
    form = {
        "organisation": "Nhà hàng Sen",
        "buyer_type": "hotel_restaurant",
        "country_code": "VN",
        "province_code": "Huế",
        "contact_email": "",
        "phone": "",
        "language": "en",
    }
    assert (await submit(client, "/buyer/profile", form)).headers["location"] == "/buyer"
    (profile,) = (await read(client, other_buyer_account, "/api/buyers"))["items"]
    assert (profile["organisation"], profile["province_code"], profile["contact_email"], profile["language"]) == (
        "Nhà hàng Sen",
        "hue",
        None,
        "en",
    )


async def test_a_demand_from_the_form_is_the_demand_the_api_stores(
    client: Client, fair: PageFair, buyer_account: Account
) -> None:
    await sign_in(client, buyer_account.email)
    demand_id = await post_demand(
        client,
        fair,
        categories=["food.condiment"],
        required_certifications=["haccp"],
        needed_months=["3", "1"],
        min_stars="4",
        target_market="KR",
        preferred_provinces=["thanh_hoa"],
    )
    stored = await read(client, buyer_account, f"/api/demands/{demand_id}")
    assert stored["quantity"] == {"amount": 2000.0, "unit": "l", "per": "month"}
    assert (stored["categories"], stored["required_certifications"], stored["needed_months"]) == (
        ["food.condiment"],
        ["haccp"],
        [1, 3],
    )
    assert (stored["min_stars"], stored["target_market"], stored["fair_id"]) == (4, "KR", fair.id)


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        (
            {"text": "", "quantity.amount": "", "quantity.unit": ""},
            "text",
            "Hãy mô tả nhu cầu hoặc chọn ít nhất một ngành hàng.",
        ),
        ({"quantity.amount": "-5"}, "quantity.amount", "Phải lớn hơn 0."),
        ({"quantity.amount": "nhiều"}, "quantity.amount", "Hãy nhập một số."),
        ({"quantity.unit": ""}, "quantity.unit", "Vui lòng nhập mục này."),
        ({"target_market": "XX"}, "target_market", 'Mã nước không hợp lệ: "XX". Dùng mã 2 chữ cái như VN, KR, DE.'),
        (
            {"categories": ["food.nothing"]},
            "categories",
            "unknown OCOP category 'food.nothing'; see GET /api/reference/categories",
        ),
    ],
)
async def test_demand_errors_show_beside_their_field_and_nothing_is_stored(
    client: Client, fair: PageFair, buyer_account: Account, changes: dict[str, str], field: str, error: str
) -> None:
    await sign_in(client, buyer_account.email)
    response = await submit(client, "/buyer/demands", {**DEMAND, "fair_id": fair.id, **changes})
    assert response.status_code == 422
    html = body(response)
    assert field_error(html, field) == error
    assert "Vui lòng sửa các mục được đánh dấu bên dưới." in html
    if field != "text":
        assert "nuoc mam truyen thong</textarea>" in html
    assert await total(client, buyer_account, f"/api/buyers/{fair.buyer}/demands") == 0


async def test_a_form_holding_a_nul_character_is_refused_and_nothing_is_stored(
    client: Client, fair: PageFair, buyer_account: Account
) -> None:
    """PostgreSQL cannot store U+0000: the pages refuse it up front, as the API does, rather than fail in a query."""
    await sign_in(client, buyer_account.email)
    response = await submit(client, "/buyer/demands", {**DEMAND, "fair_id": fair.id, "text": "nước\u0000mắm"})
    assert response.status_code == 400
    assert "NUL" in body(response)
    assert await total(client, buyer_account, f"/api/buyers/{fair.buyer}/demands") == 0


async def test_matches_are_ranked_with_reasons_and_factor_bars(
    client: Client, fair: PageFair, buyer_account: Account
) -> None:
    await sign_in(client, buyer_account.email)
    demand_id = await post_demand(client, fair)
    html = body(await client.get(f"/buyer/demands/{demand_id}"))
    assert "Nước mắm cốt Lê Gia" in html
    assert "4★ OCOP" in html
    assert re.search(r'<meter min="0" max="1" value="[0-9.]+" aria-labelledby="f-[0-9a-f-]+-text">', html)
    assert "Đặt lịch gặp" in html


async def test_a_meeting_is_requested_in_one_click_once(
    client: Client, fair: PageFair, buyer_account: Account, exhibitor_account: Account
) -> None:
    await sign_in(client, buyer_account.email)
    demand_id = await post_demand(client, fair)
    form = {"exhibitor_id": fair.exhibitor, "demand_id": demand_id, "fair_id": fair.id}
    first = await submit(client, "/buyer/meeting-requests", form, htmx="request-1")
    assert first.status_code == 200
    assert "Đã gửi yêu cầu gặp" in body(first)
    again = await submit(client, "/buyer/meeting-requests", form, htmx="request-1")
    assert again.status_code == 422
    assert "Bạn đã gửi yêu cầu gặp đơn vị này rồi." in again.text
    (request,) = (await read(client, exhibitor_account, f"/api/fairs/{fair.id}/meeting-requests"))["items"]
    assert (request["buyer_id"], request["demand_id"], request["status"]) == (fair.buyer, demand_id, "pending")
    assert "chờ trả lời" in body(await client.get(f"/buyer/demands/{demand_id}"))


async def test_a_demand_is_edited_with_its_values_in_the_form(
    client: Client, fair: PageFair, buyer_account: Account
) -> None:
    await sign_in(client, buyer_account.email)
    demand_id = await post_demand(client, fair, categories=["food.condiment"])
    form = body(await client.get(f"/buyer/demands/{demand_id}/edit"))
    assert input_value(form, "quantity.amount") == "2000"
    assert 'value="food.condiment" checked' in form
    changed = await submit(
        client,
        f"/buyer/demands/{demand_id}",
        {**DEMAND, "quantity.amount": "3", "quantity.unit": "t", "status": "closed"},
    )
    assert changed.status_code == 303
    stored = await read(client, buyer_account, f"/api/demands/{demand_id}")
    assert (stored["quantity"], stored["categories"], stored["status"]) == (
        {"amount": 3.0, "unit": "t", "per": "month"},
        [],
        "closed",
    )
    refused = await submit(client, f"/buyer/demands/{demand_id}", {**DEMAND, "text": " ", "status": "open"})
    assert field_error(body(refused), "text") == "Hãy mô tả nhu cầu hoặc chọn ít nhất một ngành hàng."
    assert (await read(client, buyer_account, f"/api/demands/{demand_id}"))["status"] == "closed"


async def test_another_buyers_demand_is_not_found(
    client: Client, fair: PageFair, buyer_account: Account, other_buyer_account: Account
) -> None:
    await sign_in(client, buyer_account.email)
    demand_id = await post_demand(client, fair)
    await sign_in(client, other_buyer_account.email)
    await submit(client, "/buyer/profile", {"organisation": "Khác", "buyer_type": "exporter", "country_code": "VN"})
    for path in (f"/buyer/demands/{demand_id}", f"/buyer/demands/{demand_id}/edit"):
        assert (await client.get(path)).status_code == 404
    assert (await submit(client, f"/buyer/demands/{demand_id}", DEMAND)).status_code == 404


async def test_the_agenda_shows_the_meeting_and_downloads_as_ics(
    client: Client, fair: PageFair, organiser: Account, exhibitor_account: Account, buyer_account: Account
) -> None:
    assign = {"exhibitor_id": fair.exhibitor}
    assert (
        await client.put(f"/api/fairs/{fair.id}/booths/A-001/assignment", json=assign, headers=organiser.headers)
    ).is_success
    assert (await client.post(f"/api/fairs/{fair.id}/allocation/confirm", headers=organiser.headers)).is_success
    asked = {"buyer_id": fair.buyer, "exhibitor_id": fair.exhibitor}
    made = await client.post(f"/api/fairs/{fair.id}/meeting-requests", json=asked, headers=buyer_account.headers)
    answer = await client.patch(
        f"/api/meeting-requests/{made.json()['id']}", json={"status": "accepted"}, headers=exhibitor_account.headers
    )
    assert answer.is_success
    assert (await client.post(f"/api/fairs/{fair.id}/schedule", headers=organiser.headers)).is_success
    await sign_in(client, buyer_account.email)
    agenda = body(await client.get("/buyer/agenda"))
    assert "HTX Nước mắm Lê Gia" in agenda
    assert "Gian A-001" in agenda
    calendar = await client.get(f"/buyer/agenda.ics?fair={fair.id}")
    assert calendar.headers["content-type"] == "text/calendar; charset=utf-8"
    assert calendar.headers["content-disposition"].startswith("attachment")
    assert calendar.text.startswith("BEGIN:VCALENDAR")
    assert "Lê Gia" in calendar.text
