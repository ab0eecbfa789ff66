"""Registration, login and the signed-in user through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import PASSWORD, Account, assert_problem, login, register
from tests.integration.factories import Client

NEW_USER = {"email": "htx.legia@example.vn", "password": PASSWORD, "role": "exhibitor", "display_name": "HTX Lê Gia"}


@pytest.mark.parametrize("role", ["buyer", "exhibitor"])
async def test_register_login_and_me(client: Client, role: str) -> None:
    response = await client.post("/api/auth/register", json={**NEW_USER, "role": role})
    assert response.status_code == 201, response.text
    registered = response.json()
    assert set(registered) == {"id", "email", "role", "display_name"}, "no password hash may leave the service"
    assert (registered["email"], registered["role"], registered["display_name"]) == (
        "htx.legia@example.vn",
        role,
        "HTX Lê Gia",
    )

    token = await client.post("/api/auth/login", json={"email": NEW_USER["email"], "password": PASSWORD})
    assert token.status_code == 200, token.text
    body = token.json()
    assert (body["token_type"], body["role"], body["user_id"]) == ("bearer", role, registered["id"])
    assert body["access_token"]

    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json() == registered


@pytest.mark.parametrize("typed", ["Buyer@Example.VN", "BUYER@EXAMPLE.VN", " buyer@example.vn "])
async def test_login_ignores_the_case_of_the_email(client: Client, buyer_account: Account, typed: str) -> None:
    account = await login(client, typed)
    assert account.user_id == buyer_account.user_id


async def test_an_email_registered_in_capitals_is_stored_lower_case(client: Client) -> None:
    response = await client.post("/api/auth/register", json={**NEW_USER, "email": "HTX.LeGia@Example.VN"})
    assert response.status_code == 201, response.text
    assert response.json()["email"] == "htx.legia@example.vn"
    account = await login(client, "htx.legia@example.vn")
    assert account.user_id == response.json()["id"]


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "buyer@example.vn", "password": "wrong horse battery"},
        {"email": "buyer@example.vn", "password": PASSWORD.upper()},
        {"email": "nobody@example.vn", "password": PASSWORD},
    ],
)
async def test_wrong_credentials_are_a_401_problem_that_does_not_say_which_part_was_wrong(
    client: Client, buyer_account: Account, credentials: dict[str, str]
) -> None:
    response = await client.post("/api/auth/login", json=credentials)
    body = assert_problem(response, 401, "wrong email or password")
    assert "access_token" not in body


@pytest.mark.parametrize("email", ["buyer@example.vn", "Buyer@Example.vn"])
async def test_a_duplicate_email_is_a_409_and_the_first_account_is_kept(
    client: Client, buyer_account: Account, email: str
) -> None:
    response = await client.post(
        "/api/auth/register",
        json={"email": email, "password": "another password", "role": "exhibitor", "display_name": "Kẻ giả mạo"},
    )
    assert_problem(response, 409, "buyer@example.vn", "already exists")
    kept = await login(client, "buyer@example.vn")
    me = (await client.get("/api/me", headers=kept.headers)).json()
    assert (me["id"], me["role"], me["display_name"]) == (buyer_account.user_id, "buyer", "buyer@example.vn")
    refused = await client.post("/api/auth/login", json={"email": "buyer@example.vn", "password": "another password"})
    assert_problem(refused, 401)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"role": "organiser"}, "role"),
        ({"role": "admin"}, "role"),
        ({"password": "short"}, "password"),
        ({"password": "1234567"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "two words@example.vn"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"is_admin": True}, "is_admin"),
    ],
)
async def test_bad_registrations_are_400_problems_and_create_no_account(
    client: Client, overrides: dict[str, Any], fragment: str
) -> None:
    body = {**NEW_USER, **overrides}
    assert_problem(await client.post("/api/auth/register", json=body), 400, fragment)
    refused = await client.post("/api/auth/login", json={"email": body["email"], "password": body["password"]})
    assert_problem(refused, 401)


@pytest.mark.parametrize("missing", ["email", "password", "role", "display_name"])
async def test_a_registration_missing_a_field_names_it(client: Client, missing: str) -> None:
    body = {key: value for key, value in NEW_USER.items() if key != missing}
    assert_problem(await client.post("/api/auth/register", json=body), 400, missing)


async def test_a_password_of_exactly_eight_characters_is_accepted(client: Client) -> None:
    response = await client.post("/api/auth/register", json={**NEW_USER, "password": "12345678"})
    assert response.status_code == 201, response.text
    await login(client, NEW_USER["email"], "12345678")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer garbage"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic YnV5ZXI6cGFzc3dvcmQ="},
        {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"},
    ],
    ids=["no-header", "garbage", "empty-bearer", "basic-auth", "forged-jwt"],
)
async def test_me_without_a_valid_token_is_a_401_problem(client: Client, headers: dict[str, str]) -> None:
    assert_problem(await client.get("/api/me", headers=headers), 401)


async def test_a_token_with_a_tampered_signature_is_refused(client: Client, buyer_account: Account) -> None:
    token = buyer_account.headers["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[::-1]}"
    assert_problem(await client.get("/api/me", headers={"Authorization": f"Bearer {tampered}"}), 401)
    assert (await client.get("/api/me", headers=buyer_account.headers)).status_code == 200


async def test_each_account_sees_itself_in_me(client: Client, buyer_account: Account, organiser: Account) -> None:
    other = await register(client, "exhibitor", "second@example.vn")
    for account, role in ((buyer_account, "buyer"), (other, "exhibitor"), (organiser, "organiser")):
        me = (await client.get("/api/me", headers=account.headers)).json()
        assert (me["id"], me["email"], me["role"]) == (account.user_id, account.email, role)
