"""The daily digest end to end: written to the outbox by the organiser's send or the scheduled job, relayed to a
real SMTP server, read back as a buyer's mail program would (text, HTML, invites, unsubscribe)."""

from __future__ import annotations

import asyncio
import datetime as dt
from email.message import EmailMessage
from html.parser import HTMLParser
from uuid import UUID

from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.jobs import FairJobs
from ocopfair.outbox.models import OutboxMessage, ScheduledRun
from tests.integration.conftest import Account
from tests.integration.events.mail_fair import DIGEST_DAY, MailFair, local
from tests.integration.events.mailbox import Inbox, ManualClock
from tests.integration.factories import Body, Client


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.extend(value or "" for name, value in attrs if tag == "a" and name == "href")


def html_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.links


async def send(client: Client, organiser: Account, fair: MailFair, **body: object) -> Body:
    response = await client.post(f"/api/fairs/{fair.id}/digests/send", json=body, headers=organiser.headers)
    assert response.status_code == 200, response.text
    answer: Body = response.json()
    return answer


async def outbox_count(engine: AsyncEngine, **where: object) -> int:
    async with async_sessionmaker(engine)() as session:
        query = select(func.count()).select_from(OutboxMessage).filter_by(**where)
        return int(await session.scalar(query) or 0)


def parts(message: EmailMessage) -> tuple[str, str, list[tuple[str, bytes]]]:
    body = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body is not None and html is not None
    attachments = [(str(a.get_filename()), a.get_content()) for a in message.iter_attachments()]
    return str(body.get_content()), str(html.get_content()), attachments


async def test_digest_arrives_with_text_html_and_invites_in_the_buyers_language(
    client: Client,
    organiser: Account,
    buyer_account: Account,
    mail_fair: MailFair,
    clock: ManualClock,
    jobs: FairJobs,
    inbox: Inbox,
) -> None:
    answer = await send(client, organiser, mail_fair)
    assert answer == {
        "fair_id": mail_fair.id,
        "day": DIGEST_DAY.isoformat(),
        "buyers": 3,
        "queued": 2,
        "already_sent": 0,
        "nothing_new": 0,
        "unsubscribed": 0,
        "no_email": 1,
    }
    report = await jobs.relay.run()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    received = inbox.by_recipient()
    assert sorted(received) == ["purchasing@songhong.com", "thumua@bhx.vn"]

    (vi,) = received["thumua@bhx.vn"]
    assert vi["Subject"] == "Hội chợ OCOP Thanh Hóa 2026: gợi ý kết nối và lịch gặp ngày 14/12/2026"
    assert vi["Content-Language"] == "vi"
    text, html, attachments = parts(vi)
    for fragment in ("Kính gửi Siêu thị Bách Hóa Xanh", "gian A-002, Nhà A – Thực phẩm", "phù hợp", "Nhóm liên kết"):
        assert fragment in text, text
    assert "cung cấp 40 t/tháng, bạn cần 50 t" in text
    assert "18/12/2026 08:30–09:00: HTX Nước mắm Lê Gia, Nhà A – Thực phẩm, gian A-001, bàn 1" in text
    html_words, links = html_text(html)
    assert "Gian A-001" in html_words and "Lịch gặp của Quý khách" in html_words
    unsubscribe = vi["List-Unsubscribe"].strip("<>")
    assert unsubscribe in links and unsubscribe in text
    assert vi["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    ((invite_name, invite_bytes),) = attachments
    assert invite_name == "meeting-20261218-0830.ics"
    invite = Calendar.from_ical(invite_bytes)
    assert invite["METHOD"] == "REQUEST"
    (event,) = invite.walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:thumua@bhx.vn"
    assert event.decoded("DTSTART") == local(dt.date(2026, 12, 18), 8, 30)
    feed = await client.get(f"/api/buyers/{mail_fair.vi_buyer}/agenda.ics", headers=buyer_account.headers)
    (feed_event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert event["UID"] == feed_event["UID"] == f"meeting-{mail_fair.meeting}@ocopfair"
    assert event["SEQUENCE"] == feed_event["SEQUENCE"]

    (en,) = received["purchasing@songhong.com"]
    assert en["Subject"] == "Hội chợ OCOP Thanh Hóa 2026: your matches and meetings, 14 Dec 2026"
    en_text, _, en_attachments = parts(en)
    assert (
        "Dear Song Hong Hotel" in en_text and "% match" in en_text and "No single supplier covers 50 t/month" in en_text
    )
    assert en_attachments == []
    assert vi["Message-ID"] != en["Message-ID"]


async def test_a_day_gets_one_digest_unless_forced_and_only_news_the_next_day(
    client: Client, organiser: Account, mail_fair: MailFair, clock: ManualClock, engine: AsyncEngine
) -> None:
    assert (await send(client, organiser, mail_fair))["queued"] == 2
    again = await send(client, organiser, mail_fair)
    assert (again["queued"], again["already_sent"]) == (0, 2)
    forced = await send(client, organiser, mail_fair, force=True, buyer_ids=[mail_fair.en_buyer])
    assert (forced["buyers"], forced["queued"]) == (1, 1)
    assert await outbox_count(engine, kind="digest") == 3

    clock.advance(dt.timedelta(days=1))
    next_day = await send(client, organiser, mail_fair)
    assert (next_day["queued"], next_day["nothing_new"]) == (0, 2)
    await client.patch(f"/api/fairs/{mail_fair.id}", json={"match_weights": {"text": 0}}, headers=organiser.headers)
    product = {"name": "Nước mắm nhĩ cá cơm", "category": "food.condiment", "capacity": {"amount": 60, "unit": "t"}}
    await client.post(f"/api/exhibitors/{mail_fair.legia}/products", json=product, headers=organiser.headers)
    assert (await client.post(f"/api/fairs/{mail_fair.id}/matches/run", headers=organiser.headers)).is_success
    assert (await send(client, organiser, mail_fair))["queued"] == 2


async def test_the_scheduled_job_sends_at_the_fairs_digest_time_once_a_day(
    client: Client, organiser: Account, mail_fair: MailFair, clock: ManualClock, jobs: FairJobs, engine: AsyncEngine
) -> None:
    await client.patch(f"/api/fairs/{mail_fair.id}", json={"digest_time": "08:15:00"}, headers=organiser.headers)
    clock.current = local(DIGEST_DAY - dt.timedelta(days=1), 9)
    await jobs.digests()
    assert await outbox_count(engine) == 0, "the day before the window"
    clock.current = local(DIGEST_DAY, 8, 14)
    await jobs.digests()
    assert await outbox_count(engine) == 0, "before the digest time"
    clock.advance(dt.timedelta(minutes=1))
    await jobs.digests()
    assert await outbox_count(engine, kind="digest") == 2
    await jobs.digests()
    assert await outbox_count(engine, kind="digest") == 2
    async with async_sessionmaker(engine)() as session:
        runs = sorted((run.job, run.day) for run in await session.scalars(select(ScheduledRun)))
    assert runs == [("digest", DIGEST_DAY), ("rematch", DIGEST_DAY)]

    clock.current = local(dt.date(2026, 12, 18), 8, 15)
    await jobs.digests()
    assert await outbox_count(engine, kind="agenda") == 1, "Lê Gia's meetings of the day"
    assert await outbox_count(engine, kind="digest") == 2, "nothing new for the buyers"
    clock.current = local(dt.date(2026, 12, 21), 8, 15)
    await jobs.digests()
    assert await outbox_count(engine) == 3, "the fair is over"


async def test_two_runs_at_once_write_one_digest_per_buyer(
    mail_fair: MailFair, jobs: FairJobs, engine: AsyncEngine
) -> None:
    fair_id, at = UUID(mail_fair.id), jobs.clock.now()
    first, second = await asyncio.gather(jobs.digest_fair(fair_id, at), jobs.digest_fair(fair_id, at))
    assert first.queued + second.queued == 2
    for run in (first, second):
        assert run.queued + run.already_sent + run.nothing_new == 2
    assert await outbox_count(engine, kind="digest") == 2


async def test_a_buyer_who_turned_the_digest_off_gets_none_until_it_turns_it_on(
    client: Client, organiser: Account, other_buyer_account: Account, mail_fair: MailFair, engine: AsyncEngine
) -> None:
    preferences = f"/api/buyers/{mail_fair.en_buyer}/email-preferences"
    off = await client.patch(preferences, json={"daily_digest": False}, headers=other_buyer_account.headers)
    assert off.status_code == 200, off.text
    answer = await send(client, organiser, mail_fair)
    assert (answer["queued"], answer["unsubscribed"], answer["no_email"]) == (1, 1, 1)
    async with async_sessionmaker(engine)() as session:
        recipients = await session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "digest"))
        assert list(recipients) == ["thumua@bhx.vn"]

    await client.patch(preferences, json={"daily_digest": True}, headers=other_buyer_account.headers)
    again = await send(client, organiser, mail_fair)
    assert (again["queued"], again["already_sent"], again["unsubscribed"]) == (1, 1, 0)


async def test_an_exhibitor_who_turned_its_daily_email_off_gets_no_agenda(
    client: Client,
    exhibitor_account: Account,
    mail_fair: MailFair,
    clock: ManualClock,
    jobs: FairJobs,
    engine: AsyncEngine,
) -> None:
    preferences = f"/api/exhibitors/{mail_fair.legia}/email-preferences"
    off = await client.patch(preferences, json={"daily_digest": False}, headers=exhibitor_account.headers)
    assert off.status_code == 200, off.text
    clock.current = local(dt.date(2026, 12, 18), 7)
    await jobs.digests()
    assert await outbox_count(engine, kind="agenda") == 0
    assert await outbox_count(engine, kind="digest") == 2, "the buyers' digests go as before"
