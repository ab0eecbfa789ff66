"""The organiser's outbox page: a fair's emails by status with their attempts and last error, "send again" on a
failed one (the API's retry), and the dashboard's emails panel that links to it."""

from __future__ import annotations

import datetime as dt
import re
from uuid import UUID

import pytest
from markupsafe import escape
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.outbox.models import OutboxMessage
from tests.integration.conftest import Account
from tests.integration.events.outbox_rows import queue, rows
from tests.integration.factories import Client, create_fair, read
from tests.integration.pages import PageFair, body, page_fair, sign_in, submit

AT = dt.datetime(2026, 12, 14, 0, 5, tzinfo=dt.UTC)
FAILURE = (
    "SMTPRecipientsRefused: {'bep@halong.vn': (550, '5.1.1 <bep@halong.vn>: Recipient address rejected: "
    "User unknown in virtual mailbox table')}"
)


@pytest.fixture
async def fair(
    client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account, engine: AsyncEngine
) -> PageFair:
    """The page fair with three emails: one sent, one waiting and one failed after five attempts."""
    made = await page_fair(client, organiser, exhibitor_account, buyer_account)
    await queue(engine, made.id, AT)
    async with async_sessionmaker(engine)() as session, session.begin():
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == "thumua@bhx.vn")
            .values(status="sent", attempts=1, sent_at=AT + dt.timedelta(seconds=3))
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == "bep@halong.vn")
            .values(status="failed", attempts=5, last_error=FAILURE)
        )
    await sign_in(client, organiser.email)
    return made


def outbox_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="email-[^"]+">.*?</tr>', html, re.DOTALL)


async def test_the_outbox_lists_the_fairs_emails_by_status(client: Client, fair: PageFair) -> None:
    url = f"/organiser/fairs/{fair.id}/outbox"
    page = body(await client.get(url))
    assert len(outbox_rows(page)) == 3
    for tab in ("Tất cả (3)", "Chờ gửi (1)", "Đang gửi (0)", "Đã gửi (1)", "Gửi lỗi (1)"):
        assert tab in page, tab
    assert f'<a href="{url}" aria-current="page">Hộp thư đi</a>' in page, "the organiser's sections link to it"

    (failed,) = outbox_rows(body(await client.get(url, params={"status": "failed"})))
    assert "bep@halong.vn" in failed and "Người mua" in failed and "Nhắc lịch gặp" in failed
    assert "Nhắc lịch gặp bep@halong.vn" in failed, "the subject"
    assert '<td data-label="Số lần gửi" class="number">5</td>' in failed
    assert "<details><summary>SMTPRecipientsRefused: " in failed, "a long error folds away"
    assert str(escape(FAILURE)) in failed
    assert 'Tạo <span class="nowrap">14/12/2026 07:05</span>' in failed, "times in the fair's time zone"
    assert 'Gửi lại<span class="visually-hidden"> – bep@halong.vn</span>' in failed

    (sent,) = outbox_rows(body(await client.get(url, params={"status": "sent"})))
    assert 'Đã gửi <span class="nowrap">14/12/2026 07:05</span>' in sent and "Gửi lại" not in sent
    assert "Chưa có email nào." in body(await client.get(url, params={"status": "sending"}))
    assert (await client.get(url, params={"status": "lost"})).status_code == 400
    assert (await client.get(url, params={"page": 0})).status_code == 400


async def test_a_failed_email_is_sent_again_in_place(
    client: Client, fair: PageFair, organiser: Account, engine: AsyncEngine
) -> None:
    failed = (await rows(engine))["bep@halong.vn"]
    retry = f"/organiser/fairs/{fair.id}/outbox/{failed.id}/retry"
    answer = await submit(client, retry, {"status": "failed", "page": "1"}, htmx="outbox-list")
    assert answer.status_code == 200
    part = body(answer)
    assert "<html" not in part
    assert '<div id="alerts" hx-swap-oob="innerHTML"><p class="notice">Đã xếp lại email gửi bep@halong.vn' in part
    assert outbox_rows(part) == [], "the failed list it was sent from is empty now"
    assert "Gửi lỗi (0)" in part and "Chờ gửi (2)" in part
    api = await read(client, organiser, f"/api/fairs/{fair.id}/outbox", status="pending")
    again = next(item for item in api["items"] if item["id"] == str(failed.id))
    assert (again["attempts"], again["last_error"]) == (0, FAILURE)

    refused = await submit(client, retry, htmx="outbox-list")
    assert refused.status_code == 409
    assert "chỉ email gửi lỗi mới gửi lại được" in body(refused)


async def test_without_htmx_a_retry_goes_back_to_the_list_it_came_from(
    client: Client, fair: PageFair, engine: AsyncEngine
) -> None:
    failed = (await rows(engine))["bep@halong.vn"]
    answer = await submit(client, f"/organiser/fairs/{fair.id}/outbox/{failed.id}/retry", {"status": "failed"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/organiser/fairs/{fair.id}/outbox?status=failed"
    assert "Đã xếp lại email gửi bep@halong.vn để gửi lại." in body(await client.get(answer.headers["location"]))
    assert (await rows(engine))["bep@halong.vn"].status == "pending"


async def test_an_email_of_another_fair_is_not_found_from_this_one(
    client: Client, fair: PageFair, organiser: Account, engine: AsyncEngine
) -> None:
    other = await create_fair(client, organiser, name="Hội chợ OCOP Nghệ An")
    failed = (await rows(engine))["bep@halong.vn"]
    answer = await submit(client, f"/organiser/fairs/{other['id']}/outbox/{failed.id}/retry")
    assert answer.status_code == 404
    assert (await rows(engine))["bep@halong.vn"].status == "failed"
    missing = f"/organiser/fairs/00000000-0000-0000-0000-000000000000/outbox/{UUID(int=1)}/retry"
    assert (await submit(client, missing)).status_code == 404


async def test_the_dashboard_charts_the_emails_and_links_to_the_outbox(client: Client, fair: PageFair) -> None:
    html = body(await client.get(f"/organiser/fairs/{fair.id}"))
    charts = re.findall(r'<svg [^>]*role="img" aria-label="([^"]*)"', html)
    assert charts[-1] == "Email gửi đi: Đã gửi 1; Chờ gửi 1; Gửi lỗi 1"
    assert re.search(r"<dt>Tổng số email</dt><dd>3</dd><dt>Gửi gần nhất</dt><dd>14/12/2026 00:05 UTC</dd>", html)
    assert f'<a href="/organiser/fairs/{fair.id}/outbox">Hộp thư đi →</a>' in html


@pytest.mark.parametrize("role", ["buyer", "exhibitor"])
async def test_only_organisers_reach_the_outbox(
    client: Client,
    fair: PageFair,
    exhibitor_account: Account,
    buyer_account: Account,
    engine: AsyncEngine,
    role: str,
) -> None:
    await sign_in(client, (buyer_account if role == "buyer" else exhibitor_account).email)
    assert (await client.get(f"/organiser/fairs/{fair.id}/outbox")).status_code == 403
    failed = (await rows(engine))["bep@halong.vn"]
    assert (await submit(client, f"/organiser/fairs/{fair.id}/outbox/{failed.id}/retry")).status_code == 403
    assert (await rows(engine))["bep@halong.vn"].status == "failed"
    client.cookies.clear()
    anonymous = await client.get(f"/organiser/fairs/{fair.id}/outbox", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/sign-in?next=")


async def test_the_outbox_is_paged(client: Client, fair: PageFair, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ocopfair.web.outbox.EMAILS_PAGE", 2)
    url = f"/organiser/fairs/{fair.id}/outbox"
    first = body(await client.get(url))
    assert len(outbox_rows(first)) == 2
    assert "Trang 1/2" in first and f'<a href="{url}?page=2">Trang sau →</a>' in first
    second = body(await client.get(url, params={"page": 2}))
    assert len(outbox_rows(second)) == 1 and "Trang 2/2" in second
    assert len(outbox_rows(body(await client.get(url, params={"page": 9})))) == 1, "past the end: the last page"
