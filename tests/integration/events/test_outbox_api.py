"""The outbox, digest and unsubscribe endpoints: who may call them, and bad input answered as 4xx problems."""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.unsubscribe import unsubscribe_token
from ocopfair.buyers.models import Buyer
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.events.mail_fair import MailFair
from tests.integration.events.mailbox import ManualClock
from tests.integration.factories import Client, create_fair

MISSING = "00000000-0000-0000-0000-000000000000"


async def test_the_unsubscribe_link_stops_every_email(
    client: Client, organiser: Account, settings: Settings, mail_fair: MailFair, clock: ManualClock, engine: AsyncEngine
) -> None:
    token = unsubscribe_token(settings.secret_key, "buyer", UUID(mail_fair.en_buyer))
    page = await client.get(f"/api/unsubscribe/{token}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Song Hong Hotel will get no more email" in page.text
    again = await client.post(f"/api/unsubscribe/{token}")
    assert again.status_code == 200 and again.json()["recipient_kind"] == "buyer"
    async with async_sessionmaker(engine)() as session:
        buyer = await session.get(Buyer, UUID(mail_fair.en_buyer))
        assert buyer is not None and buyer.unsubscribed_at == clock.now()
    sent = await client.post(f"/api/fairs/{mail_fair.id}/digests/send", json={"force": True}, headers=organiser.headers)
    assert (sent.json()["queued"], sent.json()["unsubscribed"]) == (1, 1)

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_problem(await client.get(f"/api/unsubscribe/{tampered}"), 400, "not valid")
    assert_problem(await client.get("/api/unsubscribe/not-a-token"), 400)
    stranger = unsubscribe_token(settings.secret_key, "exhibitor", uuid4())
    assert_problem(await client.post(f"/api/unsubscribe/{stranger}"), 404, "no longer exists")
    forged = unsubscribe_token("another-secret", "buyer", UUID(mail_fair.vi_buyer))
    assert_problem(await client.get(f"/api/unsubscribe/{forged}"), 400)


async def test_outbox_and_digest_endpoints_answer_problems(
    client: Client, organiser: Account, buyer_account: Account, exhibitor_account: Account
) -> None:
    fair = await create_fair(client, organiser)
    outbox = f"/api/fairs/{fair['id']}/outbox"
    send = f"/api/fairs/{fair['id']}/digests/send"
    assert (await client.get(outbox, headers=organiser.headers)).json()["total"] == 0
    assert_problem(await client.get(outbox), 401)
    assert_problem(await client.get(outbox, headers=buyer_account.headers), 403)
    assert_problem(await client.get(f"/api/fairs/{MISSING}/outbox", headers=organiser.headers), 404)
    assert_problem(await client.get(outbox, params={"status": "lost"}, headers=organiser.headers), 400, "status")
    assert_problem(await client.get(outbox, params={"limit": 1000}, headers=organiser.headers), 400, "limit")
    assert_problem(await client.post(f"/api/outbox/{MISSING}/retry", headers=organiser.headers), 404)
    assert_problem(await client.post(f"/api/outbox/{MISSING}/retry", headers=exhibitor_account.headers), 403)

    assert_problem(await client.post(send, headers=buyer_account.headers), 403)
    assert_problem(await client.post(f"/api/fairs/{MISSING}/digests/send", headers=organiser.headers), 404)
    assert_problem(await client.post(send, json={"forced": True}, headers=organiser.headers), 400, "forced")
    assert_problem(await client.post(send, json={"buyer_ids": []}, headers=organiser.headers), 400, "buyer_ids")
    assert_problem(await client.post(send, json={"buyer_ids": ["x"]}, headers=organiser.headers), 400)
    stranger = {"buyer_ids": [MISSING]}
    assert_problem(await client.post(send, json=stranger, headers=organiser.headers), 422, MISSING)
    empty = await client.post(send, headers=organiser.headers)
    assert empty.status_code == 200 and empty.json()["buyers"] == 0

    for status in ("open", "allocated", "running", "closed"):
        await client.patch(f"/api/fairs/{fair['id']}", json={"status": status}, headers=organiser.headers)
    assert_problem(await client.post(send, headers=organiser.headers), 409, "closed")
    bad_time = {"digest_time": "07:00:00+07:00"}
    assert_problem(
        await client.patch(f"/api/fairs/{fair['id']}", json=bad_time, headers=organiser.headers), 400, "timezone"
    )
    for field, value in (("reminder_minutes", 0), ("digest_days_before", 61)):
        response = await client.patch(f"/api/fairs/{fair['id']}", json={field: value}, headers=organiser.headers)
        assert_problem(response, 400, field)
