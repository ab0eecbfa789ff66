"""The outbox relay against a real SMTP server: backoff while the server is down, delivery once it is back, parking
after the last attempt, retry by an organiser, permanent refusals, login (the server requires it), the .eml default,
and claims."""

from __future__ import annotations

import asyncio
import datetime as dt
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.jobs import FairJobs
from events.outbox import claim, release_claims
from events.relay import Relay
from events.transports import EmlTransport, SmtpTransport
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.events.mailbox import Inbox, ManualClock, SmtpServer
from tests.integration.events.outbox_rows import RECIPIENTS, eml_files, queue, rows
from tests.integration.factories import Client, create_fair


async def test_smtp_down_for_three_attempts_then_back_delivers_every_message_once(
    engine: AsyncEngine, jobs: FairJobs, clock: ManualClock, smtp: SmtpServer, inbox: Inbox
) -> None:
    await queue(engine, None, clock.now())
    smtp.stop()
    policy_ = jobs.relay.policy
    for attempt in (1, 2, 3):
        report = await jobs.relay.run()
        assert (report.sent, report.retrying, report.failed) == (0, 3, 0)
        for message in (await rows(engine)).values():
            assert (message.status, message.attempts) == ("pending", attempt)
            assert "Connect" in (message.last_error or ""), message.last_error
            wait = message.next_attempt_at - clock.now()
            full = policy_.base * 2 ** (attempt - 1)
            assert full / 2 <= wait < full, (attempt, wait)
        assert (await jobs.relay.run()).retrying == 0, "nothing is due before its backoff ends"
        clock.advance(policy_.base * 2 ** (attempt - 1))
    smtp.start()
    report = await jobs.relay.run()
    assert (report.sent, report.retrying, report.failed) == (3, 0, 0)
    assert (await jobs.relay.run()).sent == 0
    assert sorted(inbox.by_recipient()) == sorted(RECIPIENTS)
    assert all(len(copies) == 1 for copies in inbox.by_recipient().values())
    for message in (await rows(engine)).values():
        assert (message.status, message.attempts, message.sent_at) == ("sent", 4, clock.now())


async def test_smtp_down_past_the_last_attempt_parks_messages_failed_and_an_organiser_retries(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    engine: AsyncEngine,
    jobs: FairJobs,
    clock: ManualClock,
    smtp: SmtpServer,
    inbox: Inbox,
) -> None:
    fair = await create_fair(client, organiser)
    await queue(engine, fair["id"], clock.now(), RECIPIENTS[:2])
    smtp.stop()
    for _ in range(jobs.relay.policy.max_attempts):
        await jobs.relay.run()
        clock.advance(jobs.relay.policy.cap)
    assert (await jobs.relay.run()).failed == 0, "a parked message is not tried again"
    url = f"/api/fairs/{fair['id']}/outbox"
    failed = (await client.get(url, params={"status": "failed"}, headers=organiser.headers)).json()
    assert failed["total"] == 2
    first = failed["items"][0]
    assert first["attempts"] == jobs.relay.policy.max_attempts and "Connect" in first["last_error"]
    assert (await client.get(url, params={"status": "pending"}, headers=organiser.headers)).json()["total"] == 0

    assert_problem(await client.post(f"/api/outbox/{first['id']}/retry", headers=buyer_account.headers), 403)
    retried = await client.post(f"/api/outbox/{first['id']}/retry", headers=organiser.headers)
    assert retried.status_code == 200, retried.text
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    assert_problem(await client.post(f"/api/outbox/{first['id']}/retry", headers=organiser.headers), 409, "pending")
    smtp.start()
    assert (await jobs.relay.run()).sent == 1
    assert list(inbox.by_recipient()) == [first["recipient"]]
    statuses = sorted(m.status for m in (await rows(engine)).values())
    assert statuses == ["failed", "sent"]
    assert_problem(await client.post(f"/api/outbox/{first['id']}/retry", headers=organiser.headers), 409, "sent")


async def test_a_refused_recipient_is_parked_at_once(
    engine: AsyncEngine, jobs: FairJobs, clock: ManualClock, inbox: Inbox
) -> None:
    inbox.refuse.add("bep@halong.vn")
    await queue(engine, None, clock.now())
    report = await jobs.relay.run()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 1)
    refused = (await rows(engine))["bep@halong.vn"]
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "550" in (refused.last_error or "")


async def test_the_relay_logs_in_to_the_smtp_server(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    inbox = Inbox()
    server = SmtpServer(inbox, login=True)
    server.start()
    try:
        await queue(engine, None, clock.now(), RECIPIENTS[:1])
        relay = Relay(async_sessionmaker(engine), SmtpTransport(server.url), clock, settings.mail_from)
        assert (await relay.run()).sent == 1
    finally:
        server.stop()
    assert len(inbox.received) == 1


async def test_without_an_smtp_url_each_message_becomes_an_eml_file(
    settings: Settings, engine: AsyncEngine, clock: ManualClock
) -> None:
    await queue(engine, None, clock.now())
    directory = settings.var_dir / "outbox"
    relay = Relay(async_sessionmaker(engine), EmlTransport(directory), clock, settings.mail_from)
    assert (await relay.run()).sent == 3
    files = eml_files(directory)
    assert sorted(files) == sorted(f"reminder_{i}_{to}.eml" for i, to in enumerate(RECIPIENTS))
    assert all(str(parsed["Subject"]).startswith("Nhắc lịch gặp") for parsed in files.values())


async def test_concurrent_claims_never_take_the_same_message(
    backend: str, engine: AsyncEngine, clock: ManualClock
) -> None:
    await queue(engine, None, clock.now(), tuple(f"buyer{i}@example.vn" for i in range(30)))
    sessions = async_sessionmaker(engine)

    async def take() -> list[UUID]:
        async with sessions() as session, session.begin():
            return [m.id for m in await claim(session, clock.now(), 20, dt.timedelta(minutes=10))]

    first, second = await asyncio.gather(take(), take())
    assert not set(first) & set(second)
    rest = await take()
    assert len(first) + len(second) + len(rest) == 30
    if backend == "postgresql":
        assert rest == [], "FOR UPDATE SKIP LOCKED: the second claim took what the first had not locked"
    assert await take() == [], "claimed messages are not due until their lease ends"
    async with sessions() as session, session.begin():
        assert await release_claims(session, clock.now()) == 30
    assert len(await take()) == 20, "a new leader takes over its predecessor's claims at once"


@pytest.mark.parametrize("url", ["smtp://", "http://mail.example.vn", "smtp://:25"])
def test_a_bad_smtp_url_is_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ValueError, match="OCOPFAIR_SMTP_URL"):
        SmtpTransport(url)
