"""The email preferences page, the same for buyers and exhibitors: which emails, the language (buyers), stopping
every email and getting them again — saved through the API's schema and service, errors beside their field."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.unsubscribe import unsubscribe_token
from ocopfair.buyers.models import Buyer
from ocopfair.settings import Settings
from tests.integration.conftest import Account
from tests.integration.factories import Client, create_buyer, create_exhibitor, read
from tests.integration.pages import body, field_error, sign_in, submit


def checked(html: str, name: str, value: str = "true") -> bool:
    match = re.search(rf'<input type="(?:checkbox|radio)" name="{name}" value="{value}"( checked)?', html)
    assert match, f"no input {name}={value}"
    return match.group(1) is not None


async def test_a_buyer_turns_the_digest_off_and_reads_emails_in_english(client: Client, buyer_account: Account) -> None:
    buyer = await create_buyer(client, buyer_account)
    await sign_in(client, buyer_account.email)
    page = body(await client.get("/buyer/emails"))
    assert "Email được gửi tới thumua@bhx.vn." in page
    assert checked(page, "daily_digest") and checked(page, "meeting_reminders") and checked(page, "language", "vi")
    assert '<a href="/buyer/emails" aria-current="page">Nhận email</a>' in page

    saved = await submit(client, "/buyer/emails", {"meeting_reminders": "true", "language": "en"})
    assert (saved.status_code, saved.headers["location"]) == (303, "/buyer/emails")
    page = body(await client.get("/buyer/emails"))
    assert '<html lang="vi">' in page and "Đã lưu." in page
    assert not checked(page, "daily_digest") and checked(page, "meeting_reminders") and checked(page, "language", "en")
    preferences = await read(client, buyer_account, f"/api/buyers/{buyer['id']}/email-preferences")
    assert (preferences["daily_digest"], preferences["meeting_reminders"], preferences["language"]) == (
        False,
        True,
        "en",
    )


async def test_a_wrong_choice_shows_beside_its_field_and_keeps_the_rest(client: Client, buyer_account: Account) -> None:
    buyer = await create_buyer(client, buyer_account)
    await sign_in(client, buyer_account.email)
    refused = await submit(client, "/buyer/emails", {"daily_digest": "true", "language": "fr"})
    assert refused.status_code == 422
    html = body(refused)
    assert field_error(html, "language") == "Lựa chọn không hợp lệ."
    assert checked(html, "daily_digest") and not checked(html, "meeting_reminders"), "what was ticked stays ticked"
    preferences = await read(client, buyer_account, f"/api/buyers/{buyer['id']}/email-preferences")
    assert preferences["meeting_reminders"] is True, "nothing saved"


async def test_a_buyer_stops_every_email_and_gets_them_again(
    client: Client, buyer_account: Account, engine: AsyncEngine
) -> None:
    buyer = await create_buyer(client, buyer_account)
    await sign_in(client, buyer_account.email)
    await submit(client, "/buyer/emails", {"daily_digest": "true"})
    stopped = await submit(client, "/buyer/emails", {"subscribed": "false"})
    assert stopped.headers["location"] == "/buyer/emails"
    page = body(await client.get("/buyer/emails"))
    assert "Đã ngừng gửi mọi email cho bạn." in page
    assert re.search(r"Bạn đã ngừng nhận mọi email từ ngày \d\d/\d\d/\d{4}\.", page)
    assert '<button type="submit" name="subscribed" value="true">Nhận email trở lại</button>' in page
    async with async_sessionmaker(engine)() as session:
        found = await session.get(Buyer, UUID(buyer["id"]))
        assert found is not None and found.unsubscribed_at is not None and not found.gets_daily_digest

    await submit(client, "/buyer/emails", {"subscribed": "true"})
    page = body(await client.get("/buyer/emails"))
    assert "Bạn sẽ nhận email trở lại." in page
    assert 'name="subscribed" value="false">Ngừng nhận mọi email</button>' in page
    assert checked(page, "daily_digest") and not checked(page, "meeting_reminders"), "the choices were kept"


async def test_the_unsubscribe_link_leads_to_the_page_that_resubscribes(
    client: Client, buyer_account: Account, settings: Settings
) -> None:
    buyer = await create_buyer(client, buyer_account)
    token = unsubscribe_token(settings.secret_key, "buyer", UUID(buyer["id"]))
    landing = await client.get(f"/api/unsubscribe/{token}")
    assert landing.status_code == 200 and 'href="/buyer/emails"' in landing.text
    await sign_in(client, buyer_account.email)
    page = body(await client.get("/buyer/emails"))
    assert "Nhận email trở lại" in page
    await submit(client, "/buyer/emails", {"subscribed": "true"})
    assert (await read(client, buyer_account, f"/api/buyers/{buyer['id']}/email-preferences"))["subscribed"] is True


async def test_an_exhibitor_has_the_same_page_for_its_agenda_and_reminders(
    client: Client, exhibitor_account: Account
) -> None:
    exhibitor = await create_exhibitor(client, exhibitor_account)
    await sign_in(client, exhibitor_account.email)
    page = body(await client.get("/exhibitor/emails"))
    assert "Lịch gặp trong ngày" in page and 'name="language"' not in page
    assert '<a href="/exhibitor/emails" aria-current="page">Nhận email</a>' in page
    await submit(client, "/exhibitor/emails", {"daily_digest": "true", "language": "en"})
    preferences = await read(client, exhibitor_account, f"/api/exhibitors/{exhibitor['id']}/email-preferences")
    assert (preferences["daily_digest"], preferences["meeting_reminders"], preferences["language"]) == (
        True,
        False,
        None,
    )
    await submit(client, "/exhibitor/emails", {"subscribed": "false"})
    assert (await read(client, exhibitor_account, f"/api/exhibitors/{exhibitor['id']}/email-preferences"))[
        "subscribed"
    ] is False


async def test_an_account_without_its_profile_is_sent_to_the_profile_form(
    client: Client, buyer_account: Account, exhibitor_account: Account
) -> None:
    for account, role in ((buyer_account, "buyer"), (exhibitor_account, "exhibitor")):
        await sign_in(client, account.email)
        shown = await client.get(f"/{role}/emails", follow_redirects=False)
        posted = await submit(client, f"/{role}/emails", {"subscribed": "false"})
        assert shown.headers["location"] == posted.headers["location"] == f"/{role}/profile"


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("exhibitor", "/buyer/emails"),
        ("organiser", "/buyer/emails"),
        ("buyer", "/exhibitor/emails"),
        ("organiser", "/exhibitor/emails"),
    ],
)
async def test_each_role_reaches_only_its_own_preferences(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    exhibitor_account: Account,
    role: str,
    path: str,
) -> None:
    await create_buyer(client, buyer_account)
    await create_exhibitor(client, exhibitor_account)
    accounts = {"buyer": buyer_account, "exhibitor": exhibitor_account, "organiser": organiser}
    await sign_in(client, accounts[role].email)
    assert (await client.get(path)).status_code == 403
    assert (await submit(client, path, {"subscribed": "false"})).status_code == 403
    client.cookies.clear()
    anonymous = await client.get(path, follow_redirects=False)
    assert anonymous.headers["location"] == f"/sign-in?next={path}"


async def test_the_form_needs_its_csrf_token(client: Client, buyer_account: Account) -> None:
    await create_buyer(client, buyer_account)
    await sign_in(client, buyer_account.email)
    assert (await client.post("/buyer/emails", data={"subscribed": "false"})).status_code == 403
