"""Authentication: short-lived access tokens renewed by rotating refresh tokens, and login attempts limited per
account and per client address (429 problem+json with Retry-After), counted in the database so that every worker
counts the same; a wrong password and an unknown account answer alike."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from dataclasses import replace
from typing import Any
from uuid import UUID

import httpx
import jwt
import pytest
from argon2 import extract_parameters
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.accounts import passwords
from ocopfair.accounts.models import LoginAttempt, RefreshToken, User
from ocopfair.settings import Settings
from tests.integration.conftest import PASSWORD, Account, assert_problem, login
from tests.integration.factories import Client
from tests.integration.pages import body, input_value, submit
from tests.integration.workers import worker

PER_ACCOUNT = 3
PER_ADDRESS = 8
WINDOW = dt.timedelta(minutes=15)
WRONG = "not the password"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, login_attempts_per_account=PER_ACCOUNT, login_attempts_per_address=PER_ADDRESS)


async def attempt(client: httpx.AsyncClient | Client, email: str, password: str = WRONG) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def claims(access_token: str) -> dict[str, Any]:
    payload = access_token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


async def tokens(client: Client, email: str) -> dict[str, Any]:
    response = await attempt(client, email, PASSWORD)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def refresh(client: Client, refresh_token: str) -> httpx.Response:
    return await client.post("/api/auth/refresh", json={"refresh_token": refresh_token})


def bearer(answer: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {answer['access_token']}"}


async def test_an_access_token_lives_minutes_and_says_so(client: Client, buyer_account: Account) -> None:
    answer = await tokens(client, buyer_account.email)
    assert answer["expires_in"] == 15 * 60
    lifetime = claims(answer["access_token"])["exp"] - claims(answer["access_token"])["iat"]
    assert 15 * 60 - 5 <= lifetime <= 15 * 60 + 5
    assert (await client.get("/api/me", headers=bearer(answer))).status_code == 200


async def test_an_expired_access_token_is_refused(client: Client, settings: Settings, buyer_account: Account) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    expired = jwt.encode(
        {"sub": buyer_account.user_id, "exp": past, "iat": past - dt.timedelta(minutes=15)},
        settings.secret_key,
        algorithm="HS256",
    )
    assert_problem(await client.get("/api/me", headers={"Authorization": f"Bearer {expired}"}), 401)


async def test_a_refresh_gives_a_new_pair_and_uses_the_old_refresh_token_up(
    client: Client, buyer_account: Account
) -> None:
    first = await tokens(client, buyer_account.email)
    renewed = await refresh(client, first["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    second = renewed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (second["user_id"], second["role"], second["expires_in"]) == (buyer_account.user_id, "buyer", 15 * 60)
    me = await client.get("/api/me", headers=bearer(second))
    assert me.json()["id"] == buyer_account.user_id

    third = await refresh(client, second["refresh_token"])
    assert third.status_code == 200, third.text


async def test_a_refresh_token_used_twice_revokes_the_sign_in(client: Client, buyer_account: Account) -> None:
    stolen = (await tokens(client, buyer_account.email))["refresh_token"]
    owners = (await refresh(client, stolen)).json()["refresh_token"]
    assert_problem(await refresh(client, stolen), 401, "sign in again")
    assert_problem(await refresh(client, owners), 401, "sign in again")


async def test_signing_out_revokes_the_refresh_token_only(client: Client, buyer_account: Account) -> None:
    phone = (await tokens(client, buyer_account.email))["refresh_token"]
    laptop = (await tokens(client, buyer_account.email))["refresh_token"]
    assert (await client.post("/api/auth/logout", json={"refresh_token": phone})).status_code == 204
    assert_problem(await refresh(client, phone), 401)
    assert (await refresh(client, laptop)).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["garbage", "not-a-uuid.secret", "00000000-0000-0000-0000-000000000000.secret", "."],
)
async def test_a_made_up_refresh_token_is_a_401_problem(client: Client, token: str) -> None:
    assert_problem(await refresh(client, token), 401, "sign in again")


async def test_a_malformed_refresh_request_is_a_400_problem(client: Client) -> None:
    assert_problem(await client.post("/api/auth/refresh", json={}), 400, "refresh_token")
    assert_problem(await client.post("/api/auth/refresh", json={"refresh_token": "x" * 201}), 400)


async def test_an_expired_refresh_token_is_refused_and_dropped(
    client: Client, engine: AsyncEngine, buyer_account: Account
) -> None:
    token = (await tokens(client, buyer_account.email))["refresh_token"]
    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(update(RefreshToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert_problem(await refresh(client, token), 401)
    async with async_sessionmaker(engine)() as session:
        assert await session.get(RefreshToken, UUID(token.partition(".")[0])) is None


async def test_a_deactivated_account_cannot_refresh(
    client: Client, engine: AsyncEngine, buyer_account: Account
) -> None:
    token = (await tokens(client, buyer_account.email))["refresh_token"]
    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(update(User).where(User.email == buyer_account.email).values(is_active=False))
    assert_problem(await refresh(client, token), 401)


async def test_a_wrong_password_and_an_unknown_account_answer_alike(
    client: Client, buyer_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real = passwords._hasher

    class CountingHasher:
        def verify(self, password_hash: str, password: str) -> bool:
            verified.append(password_hash)
            return real.verify(password_hash, password)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    wrong = await attempt(client, buyer_account.email)
    unknown = await attempt(client, "nobody@example.vn")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["content-type"] == unknown.headers["content-type"]
    assert len(verified) == 2, "an unknown account must cost a password hash check too"
    stored, dummy = verified
    assert dummy != stored
    assert extract_parameters(dummy) == extract_parameters(stored), "the dummy hash must be as slow as a real one"


@pytest.mark.parametrize(
    ("email", "fragment"),
    [("buyer\u0000@example.vn", "NUL"), ("buyer@example.vn\n", "email"), ("buyer\t@x.vn", "email")],
)
async def test_a_login_email_with_a_control_character_is_a_400_problem(
    client: Client, email: str, fragment: str
) -> None:
    assert_problem(await attempt(client, email), 400, fragment)


async def test_an_account_is_refused_after_its_failures_even_with_the_right_password(
    client: Client, buyer_account: Account
) -> None:
    for _ in range(PER_ACCOUNT):
        assert_problem(await attempt(client, buyer_account.email), 401, "wrong email or password")
    refused = await attempt(client, buyer_account.email, PASSWORD)
    body = assert_problem(refused, 429, "too many sign-in attempts")
    assert "access_token" not in body
    assert 0 < int(refused.headers["retry-after"]) <= WINDOW.total_seconds()


async def test_an_unknown_account_is_limited_exactly_like_a_real_one(client: Client, buyer_account: Account) -> None:
    for email in (buyer_account.email, "nobody@example.vn"):
        for _ in range(PER_ACCOUNT):
            assert_problem(await attempt(client, email), 401)
    real, unknown = await attempt(client, buyer_account.email), await attempt(client, "nobody@example.vn")
    assert real.status_code == unknown.status_code == 429
    assert real.json() == unknown.json()
    assert abs(int(real.headers["retry-after"]) - int(unknown.headers["retry-after"])) <= 2


async def test_the_limit_ends_with_its_window_and_a_refusal_does_not_extend_it(
    client: Client, engine: AsyncEngine, buyer_account: Account
) -> None:
    for _ in range(PER_ACCOUNT):
        await attempt(client, buyer_account.email)
    for _ in range(3):
        assert_problem(await attempt(client, buyer_account.email, PASSWORD), 429)
    async with async_sessionmaker(engine)() as session, session.begin():
        assert await session.scalar(select(func.count()).select_from(LoginAttempt)) == PER_ACCOUNT
        window_ago = dt.datetime.now(dt.UTC) - WINDOW - dt.timedelta(seconds=1)
        await session.execute(update(LoginAttempt).values(attempted_at=window_ago))
    await login(client, buyer_account.email)


async def test_a_success_forgives_the_accounts_failures(client: Client, buyer_account: Account) -> None:
    for _ in range(PER_ACCOUNT - 1):
        await attempt(client, buyer_account.email)
    await login(client, buyer_account.email)
    for _ in range(PER_ACCOUNT):
        assert_problem(await attempt(client, buyer_account.email), 401)


async def test_failures_count_per_address_and_per_account_across_workers(
    settings: Settings, client: Client, buyer_account: Account, other_buyer_account: Account
) -> None:
    async with worker(settings, "203.0.113.7") as one, worker(settings, "198.51.100.9") as other:
        for n in range(PER_ADDRESS):
            assert_problem(await attempt(one, f"guess{n}@example.vn"), 401)
        assert_problem(await attempt(one, other_buyer_account.email, PASSWORD), 429, "too many")
        assert (await attempt(other, other_buyer_account.email, PASSWORD)).status_code == 200

        for _ in range(PER_ACCOUNT):
            assert_problem(await attempt(other, buyer_account.email), 401)
    async with worker(settings, "192.0.2.44") as third:
        assert_problem(await attempt(third, buyer_account.email, PASSWORD), 429)


async def test_a_burst_of_guesses_never_gets_more_than_the_limit_through(
    settings: Settings, client: Client, buyer_account: Account
) -> None:
    async with worker(settings, "203.0.113.7") as one, worker(settings, "203.0.113.8") as other:
        answers = await asyncio.gather(
            *(attempt(one if n % 2 else other, buyer_account.email) for n in range(4 * PER_ACCOUNT))
        )
    statuses = [answer.status_code for answer in answers]
    assert set(statuses) <= {401, 429}
    assert statuses.count(401) <= PER_ACCOUNT, statuses


async def test_the_sign_in_page_is_limited_by_the_same_count(client: Client, buyer_account: Account) -> None:
    for _ in range(PER_ACCOUNT - 1):
        await attempt(client, buyer_account.email)
    last = await submit(client, "/sign-in", {"email": buyer_account.email, "password": "not it"})
    assert last.status_code == 422
    refused = await submit(client, "/sign-in", {"email": buyer_account.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút." in body(refused)
    assert input_value(refused.text, "email") == buyer_account.email
    assert_problem(await attempt(client, buyer_account.email, PASSWORD), 429)
