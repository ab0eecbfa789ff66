"""The web pages' frame: public pages, signing in and registering, the cookie session beside the API's bearer
tokens, CSRF on every form and HTMX request, the language switch, and who may open which pages."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import PASSWORD, Account
from tests.integration.factories import Client
from tests.integration.pages import body, csrf_token, field_error, input_value, page_fair, sign_in, submit


@pytest.mark.parametrize("path", ["/", "/products", "/products?q=nuoc+mam&min_stars=4", "/sign-in", "/register"])
async def test_public_pages_open_without_signing_in(client: Client, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert '<html lang="vi">' in body(response)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


async def test_the_fair_page_has_a_plan_whose_booths_open_their_panel(
    client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account
) -> None:
    fair = await page_fair(client, organiser, exhibitor_account, buyer_account)
    page = body(await client.get(f"/fairs/{fair.id}"))
    assert f'hx-get="/fairs/{fair.id}/booths/A-001"' in page
    assert 'class="booth-link"' in page
    panel = await client.get(
        f"/fairs/{fair.id}/booths/A-001", headers={"hx-request": "true", "hx-target": "booth-panel"}
    )
    assert "A-001" in body(panel)
    assert "<html" not in panel.text


async def test_the_catalogue_finds_fish_sauce_without_diacritics(
    client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account
) -> None:
    await page_fair(client, organiser, exhibitor_account, buyer_account)
    found = body(await client.get("/products", params={"q": "nuoc mam cot", "category": "food", "min_stars": "4"}))
    assert "Nước mắm cốt Lê Gia" in found
    nothing = body(await client.get("/products", params={"q": "nuoc mam", "certification": "organic"}))
    assert "Nước mắm cốt Lê Gia" not in nothing
    bad = body(await client.get("/products", params={"category": "food.nothing"}))
    assert "unknown OCOP category" in bad


async def test_registering_signs_in_and_asks_for_the_profile(client: Client) -> None:
    form = {"role": "exhibitor", "display_name": "HTX Cói Nga Sơn", "email": "coi@example.vn", "password": PASSWORD}
    response = await submit(client, "/register", form)
    assert response.status_code == 303
    assert response.headers["location"] == "/exhibitor/profile"
    profile = body(await client.get("/exhibitor/profile"))
    assert 'value="HTX Cói Nga Sơn"' in profile
    assert (await client.get("/api/me")).status_code == 401, "the page session is no bearer token for the API"


async def test_registration_errors_keep_what_was_typed(client: Client, buyer_account: Account) -> None:
    form = {"role": "buyer", "display_name": "Siêu thị", "email": buyer_account.email, "password": "short"}
    response = await submit(client, "/register", form)
    assert response.status_code == 422
    html = body(response)
    assert field_error(html, "password") == "Cần ít nhất 8 ký tự."
    assert input_value(html, "email") == buyer_account.email
    assert input_value(html, "password") == ""
    taken = await submit(client, "/register", {**form, "password": PASSWORD})
    assert field_error(body(taken), "email") == f"Email {buyer_account.email} đã được dùng cho một tài khoản khác."


async def test_a_wrong_password_is_refused_and_the_email_kept(client: Client, buyer_account: Account) -> None:
    response = await submit(client, "/sign-in", {"email": buyer_account.email, "password": "not it at all"})
    assert response.status_code == 422
    assert "Sai email hoặc mật khẩu." in body(response)
    assert input_value(response.text, "email") == buyer_account.email


async def test_signing_in_goes_back_to_the_page_asked_for(client: Client, buyer_account: Account) -> None:
    asked = await client.get("/buyer/agenda", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/sign-in?next=/buyer/agenda"
    form = {"email": buyer_account.email, "password": PASSWORD, "next": "/buyer/agenda"}
    assert (await submit(client, "/sign-in", form)).headers["location"] == "/buyer/agenda"
    elsewhere = await submit(client, "/sign-in", {**form, "next": "//evil.example/"})
    assert elsewhere.headers["location"] == "/buyer"


@pytest.mark.parametrize("htmx", [False, True])
async def test_a_post_without_the_csrf_token_is_refused(client: Client, buyer_account: Account, htmx: bool) -> None:
    await csrf_token(client)
    headers = {"hx-request": "true"} if htmx else {}
    response = await client.post("/sign-in", data={"email": buyer_account.email, "password": PASSWORD}, headers=headers)
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text


async def test_an_htmx_request_carries_the_token_in_a_header(client: Client, buyer_account: Account) -> None:
    response = await submit(client, "/sign-in", {"email": buyer_account.email, "password": PASSWORD}, htmx="main")
    assert response.status_code == 303


async def test_the_language_is_remembered(client: Client) -> None:
    switched = await client.get("/language/en", params={"next": "/products?q=tea"}, follow_redirects=False)
    assert switched.headers["location"] == "/products?q=tea"
    page = body(await client.get("/products"))
    assert '<html lang="en">' in page
    assert "OCOP products" in page
    assert (await client.get("/language/vi", params={"next": "https://evil.example"}, follow_redirects=False)).headers[
        "location"
    ] == "/"
    assert '<html lang="vi">' in body(await client.get("/"))


@pytest.mark.parametrize(
    ("email_of", "path", "status"),
    [
        ("buyer", "/organiser", 403),
        ("buyer", "/exhibitor", 403),
        ("exhibitor", "/buyer", 403),
        ("organiser", "/buyer/agenda", 403),
    ],
)
async def test_each_role_reaches_only_its_pages(
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    buyer_account: Account,
    email_of: str,
    path: str,
    status: int,
) -> None:
    accounts = {"buyer": buyer_account, "exhibitor": exhibitor_account, "organiser": organiser}
    await sign_in(client, accounts[email_of].email)
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == status
    assert re.search(r"Trang này dành cho tài khoản", response.text)


async def test_signing_out_ends_the_session(client: Client, buyer_account: Account) -> None:
    await sign_in(client, buyer_account.email)
    assert (await client.get("/buyer/profile")).status_code == 200
    assert (await submit(client, "/sign-out")).status_code == 303
    assert (await client.get("/buyer/profile", follow_redirects=False)).status_code == 303
