"""Security headers on every kind of answer, HSTS and secure cookies in production, and CORS and allowed hosts
from the settings."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ocopfair.security_headers import API_POLICY, DOCS_POLICY, HSTS, PAGE_POLICY
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import Client
from tests.integration.pages import page_fair, sign_in
from tests.integration.workers import worker

MISSING = "00000000-0000-0000-0000-000000000000"
SHOP = "https://shop.example.vn"


@pytest.mark.parametrize(
    ("path", "status", "policy"),
    [
        ("/api/reference/categories", 200, API_POLICY),
        ("/api/fairs", 401, API_POLICY),
        ("/api/nowhere", 404, API_POLICY),
        ("/", 200, PAGE_POLICY),
        (f"/fairs/{MISSING}", 404, PAGE_POLICY),
        ("/buyer/agenda", 303, PAGE_POLICY),
        ("/static/app.css", 200, PAGE_POLICY),
        ("/schema/openapi.json", 200, DOCS_POLICY),
        ("/health", 200, PAGE_POLICY),
    ],
)
async def test_every_kind_of_answer_carries_the_security_headers(
    client: Client, path: str, status: int, policy: str
) -> None:
    answer = await client.get(path, follow_redirects=False)
    assert answer.status_code == status
    assert answer.headers["content-security-policy"] == policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in answer.headers, "HSTS only in production"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


async def test_the_pages_need_nothing_their_policy_forbids(
    client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account
) -> None:
    """The page policy allows no inline script, handler or style: the pages use none, signed in or not."""
    fair = await page_fair(client, organiser, exhibitor_account, buyer_account)
    paths = ["/", "/sign-in", "/register", "/products", f"/fairs/{fair.id}"]
    pages = [(await client.get(path)).text for path in paths]
    await sign_in(client, organiser.email)
    for path in (f"/organiser/fairs/{fair.id}", f"/organiser/fairs/{fair.id}/allocation"):
        pages.append((await client.get(path)).text)
    for path, page in zip([*paths, "organiser dashboard", "organiser allocation"], pages, strict=True):
        assert "<html" in page, path
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            assert not pattern.search(page), (path, pattern.pattern, pattern.search(page))
        assert not re.search(r"""(?:src|href)=["']https?://""", page), f"{path} loads from elsewhere"


async def test_production_sends_hsts_and_only_secure_cookies(settings: Settings) -> None:
    async with worker(replace(settings, environment="production", secure_cookies=True)) as production:
        for path in ("/", "/api/reference/categories", "/api/nowhere"):
            assert (await production.get(path)).headers["strict-transport-security"] == HSTS
        cookies = (await production.get("/sign-in")).headers.get_list("set-cookie")
    assert cookies
    assert all("secure" in cookie.lower() for cookie in cookies), cookies


async def test_cors_answers_only_the_configured_origins(settings: Settings) -> None:
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "authorization"}
    async with worker(replace(settings, cors_origins=(SHOP,))) as client:
        allowed = await client.options("/api/auth/login", headers={"origin": SHOP, **preflight})
        assert allowed.status_code in {200, 204}
        assert allowed.headers["access-control-allow-origin"] == SHOP
        simple = await client.get("/api/reference/categories", headers={"origin": SHOP})
        assert simple.headers["access-control-allow-origin"] == SHOP
        stranger = await client.get("/api/reference/categories", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in stranger.headers
        refused = await client.options("/api/auth/login", headers={"origin": "https://evil.example", **preflight})
        assert refused.headers.get("access-control-allow-origin") != "https://evil.example"


async def test_without_cors_origins_no_origin_is_allowed(client: Client) -> None:
    answer = await client.get("/api/reference/categories", headers={"origin": SHOP})
    assert "access-control-allow-origin" not in answer.headers


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("fair.example.vn", 200),
        ("fair.example.vn:8000", 200),
        ("api.ocop.vn", 200),
        ("evil.example", 400),
        ("evil.example:8000", 400),
        ("fair.example.vn:http", 400),
    ],
)
async def test_only_the_allowed_hosts_are_answered(settings: Settings, host: str, status: int) -> None:
    async with worker(replace(settings, allowed_hosts=("fair.example.vn", "*.ocop.vn"))) as client:
        answer = await client.get("/api/reference/categories", headers={"host": host})
        if status == 400:
            assert_problem(answer, 400, "host name")
            assert answer.headers["x-content-type-options"] == "nosniff"
        else:
            assert answer.status_code == 200, answer.text


async def test_without_allowed_hosts_any_host_is_answered(client: Client) -> None:
    answer = await client.get("/api/reference/categories", headers={"host": "192.168.1.20:8000"})
    assert answer.status_code == 200
