"""Buyers' and exhibitors' email preferences through the API: the daily digest, meeting reminders, a buyer's email
language, unsubscribing and resubscribing; the owner or an organiser only; bad input is a 4xx with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import Client, create_buyer, create_exhibitor, read

MISSING = "00000000-0000-0000-0000-000000000000"


async def patch(client: Client, account: Account, url: str, body: Any) -> dict[str, Any]:
    response = await client.patch(url, json=body, headers=account.headers)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_a_buyer_chooses_its_emails_and_unsubscribes_and_resubscribes(
    client: Client, buyer_account: Account
) -> None:
    buyer = await create_buyer(client, buyer_account)
    url = f"/api/buyers/{buyer['id']}/email-preferences"
    assert await read(client, buyer_account, url) == {
        "recipient_kind": "buyer",
        "recipient_id": buyer["id"],
        "contact_email": "thumua@bhx.vn",
        "subscribed": True,
        "unsubscribed_at": None,
        "daily_digest": True,
        "meeting_reminders": True,
        "language": "vi",
    }
    chosen = await patch(client, buyer_account, url, {"daily_digest": False, "language": "en"})
    assert (chosen["daily_digest"], chosen["meeting_reminders"], chosen["language"]) == (False, True, "en")
    assert (await read(client, buyer_account, f"/api/buyers/{buyer['id']}"))["language"] == "en", "the profile's"

    stopped = await patch(client, buyer_account, url, {"subscribed": False})
    assert stopped["subscribed"] is False and stopped["unsubscribed_at"] is not None
    again = await patch(client, buyer_account, url, {"subscribed": False, "meeting_reminders": False})
    assert again["unsubscribed_at"] == stopped["unsubscribed_at"], "the first unsubscribe counts"
    back = await patch(client, buyer_account, url, {"subscribed": True})
    assert (back["subscribed"], back["unsubscribed_at"]) == (True, None)
    assert (back["daily_digest"], back["meeting_reminders"]) == (False, False), "the choices survive"
    assert await patch(client, buyer_account, url, {}) == back


async def test_an_exhibitor_chooses_its_emails_without_a_language(
    client: Client, exhibitor_account: Account, organiser: Account
) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    url = f"/api/exhibitors/{exhibitor['id']}/email-preferences"
    read_back = await read(client, exhibitor_account, url)
    assert (read_back["recipient_kind"], read_back["language"], read_back["daily_digest"]) == ("exhibitor", None, True)
    changed = await patch(client, organiser, url, {"meeting_reminders": False, "subscribed": False})
    assert (changed["meeting_reminders"], changed["subscribed"]) == (False, False)
    assert await read(client, exhibitor_account, url) == changed
    assert_problem(await client.patch(url, json={"language": "en"}, headers=exhibitor_account.headers), 400, "language")


@pytest.mark.parametrize(
    ("viewer", "buyer_status", "exhibitor_status"),
    [
        ("organiser", 200, 200),
        ("other_buyer_account", 404, 403),
        ("other_exhibitor_account", 404, 403),
        (None, 401, 401),
    ],
)
async def test_only_the_owner_or_an_organiser_sees_or_changes_them(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    other_buyer_account: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    viewer: str | None,
    buyer_status: int,
    exhibitor_status: int,
) -> None:
    buyer = await create_buyer(client, buyer_account)
    exhibitor = await create_exhibitor(client, exhibitor_account)
    accounts = {
        "organiser": organiser,
        "other_buyer_account": other_buyer_account,
        "other_exhibitor_account": other_exhibitor_account,
    }
    headers = accounts[viewer].headers if viewer else {}
    for url, status, owner in (
        (f"/api/buyers/{buyer['id']}/email-preferences", buyer_status, buyer_account),
        (f"/api/exhibitors/{exhibitor['id']}/email-preferences", exhibitor_status, exhibitor_account),
    ):
        seen = await client.get(url, headers=headers)
        changed = await client.patch(url, json={"subscribed": False}, headers=headers)
        if status == 200:
            assert seen.status_code == changed.status_code == 200
            assert changed.json()["subscribed"] is False
        else:
            assert_problem(seen, status)
            assert_problem(changed, status)
            assert (await read(client, owner, url))["subscribed"] is True, "nothing written"


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"daily_digest": "no"}, 400, "daily_digest"),
        ({"meeting_reminders": None}, 400, "meeting_reminders"),
        ({"subscribed": "maybe"}, 400, "subscribed"),
        ({"language": "fr"}, 400, "language"),
        ({"weekly_digest": False}, 400, "weekly_digest"),
        ([False], 400, ""),
    ],
)
async def test_bad_input_is_a_problem_and_changes_nothing(
    client: Client, buyer_account: Account, body: Any, status: int, fragment: str
) -> None:
    buyer = await create_buyer(client, buyer_account)
    url = f"/api/buyers/{buyer['id']}/email-preferences"
    before = await read(client, buyer_account, url)
    assert_problem(await client.patch(url, json=body, headers=buyer_account.headers), status, fragment)
    assert await read(client, buyer_account, url) == before


async def test_a_missing_profile_is_not_found(client: Client, organiser: Account) -> None:
    for kind in ("buyers", "exhibitors"):
        url = f"/api/{kind}/{MISSING}/email-preferences"
        assert_problem(await client.get(url, headers=organiser.headers), 404)
        assert_problem(await client.patch(url, json={"daily_digest": False}, headers=organiser.headers), 404)
