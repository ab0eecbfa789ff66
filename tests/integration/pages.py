"""Helpers for the web page tests: a client that behaves like a browser (session and CSRF cookies, forms, HTMX
requests), and a small fair built through the API for the pages to show."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass
from typing import Any

import httpx

from tests.integration.conftest import PASSWORD, Account
from tests.integration.factories import (
    LAYOUT,
    Client,
    create_buyer,
    create_exhibitor,
    create_fair,
    create_product,
    created,
)

CSRF_COOKIE = "ocopfair_csrf"
Form = dict[str, str | list[str]]


async def csrf_token(client: Client) -> str:
    """The CSRF token of this browser: the cookie a first page view sets, which every form repeats."""
    if CSRF_COOKIE not in client.cookies:
        await client.get("/sign-in")
    return str(client.cookies[CSRF_COOKIE])


async def submit(client: Client, url: str, form: Form | None = None, *, htmx: str | None = None) -> httpx.Response:
    """POST a form as a page does: with the token as a hidden input, or (``htmx``: the target's id) as HTMX does."""
    token = await csrf_token(client)
    if htmx is None:
        return await client.post(url, data={**(form or {}), "_csrf_token": token}, follow_redirects=False)
    headers = {"hx-request": "true", "hx-target": htmx, "x-csrftoken": token}
    return await client.post(url, data=form or {}, headers=headers, follow_redirects=False)


async def sign_in(client: Client, email: str, password: str = PASSWORD) -> None:
    client.cookies.clear()
    response = await submit(client, "/sign-in", {"email": email, "password": password})
    assert response.status_code == 303, response.text


def field_error(html: str, name: str) -> str:
    """The error shown beside the input ``name``."""
    ident = "f-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")
    match = re.search(rf'<p class="error" id="{ident}-error">([^<]*)</p>', html)
    assert match, f"no error beside {name}"
    return html_module.unescape(match.group(1))


def input_value(html: str, name: str) -> str:
    match = re.search(rf'<input id="[^"]*" name="{re.escape(name)}" type="[^"]*" value="([^"]*)"', html)
    assert match, f"no input {name}"
    return html_module.unescape(match.group(1))


@dataclass(frozen=True)
class PageFair:
    """A fair with one hall of six food booths and two meeting days; Lê Gia (the exhibitor account) has applied
    and lists fish sauce; the buyer account has its profile."""

    id: str
    exhibitor: str
    product: str
    buyer: str


async def page_fair(client: Client, organiser: Account, exhibitor: Account, buyer: Account) -> PageFair:
    sessions = [{"name": "morning", "starts_at": "08:30:00", "ends_at": "10:30:00"}]
    fair = await create_fair(
        client, organiser, meeting_days=["2026-12-18", "2026-12-19"], sessions=sessions, slot_minutes=30
    )
    await created(client, f"/api/fairs/{fair['id']}/booths/layout", organiser, LAYOUT)
    legia = await create_exhibitor(client, exhibitor)
    product = await create_product(
        client,
        exhibitor,
        legia["id"],
        capacity={"amount": 15000, "unit": "l", "per": "month"},
        certifications=[{"code": "haccp", "expires_on": "2030-01-01"}],
    )
    await created(client, f"/api/fairs/{fair['id']}/applications", exhibitor, {"exhibitor_id": legia["id"]})
    profile = await create_buyer(client, buyer)
    return PageFair(str(fair["id"]), str(legia["id"]), str(product["id"]), str(profile["id"]))


def body(response: httpx.Response) -> Any:
    assert response.headers["content-type"].startswith("text/html"), response.headers
    return response.text
