"""Meeting reminders: to both sides, ``reminder_minutes`` before the meeting, once per meeting time, with an invite;
a moved meeting gets new ones; nobody who unsubscribed gets one."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.jobs import FairJobs
from ocopfair.outbox.models import OutboxMessage
from tests.integration.conftest import Account
from tests.integration.events.mail_fair import MEETING_DAY, MailFair, local
from tests.integration.events.mailbox import Inbox, ManualClock
from tests.integration.factories import Client


async def reminders(engine: AsyncEngine) -> list[str]:
    async with async_sessionmaker(engine)() as session:
        keys = await session.scalars(
            select(OutboxMessage.idempotency_key)
            .where(OutboxMessage.kind == "reminder")
            .order_by(OutboxMessage.created_at, OutboxMessage.idempotency_key)
        )
        return list(keys)


async def test_reminders_reach_both_sides_before_each_meeting_time_once(
    client: Client,
    organiser: Account,
    mail_fair: MailFair,
    jobs: FairJobs,
    clock: ManualClock,
    inbox: Inbox,
    engine: AsyncEngine,
) -> None:
    await client.patch(f"/api/fairs/{mail_fair.id}", json={"reminder_minutes": 45}, headers=organiser.headers)
    clock.current = local(MEETING_DAY, 7, 44)
    await jobs.reminders()
    assert await reminders(engine) == []
    clock.advance(dt.timedelta(minutes=1))
    await jobs.reminders()
    await jobs.reminders()
    assert await reminders(engine) == [
        f"reminder:{mail_fair.meeting}:buyer:0",
        f"reminder:{mail_fair.meeting}:exhibitor:0",
    ]
    assert (await jobs.relay.run()).sent == 2
    received = inbox.by_recipient()
    (buyer_mail,) = received["thumua@bhx.vn"]
    (exhibitor_mail,) = received["lienhe@legia.vn"]
    assert buyer_mail["Subject"].startswith("Nhắc lịch: 08:30 gặp HTX Nước mắm Lê Gia")
    assert exhibitor_mail["Subject"].startswith("Nhắc lịch: 08:30 gặp Siêu thị Bách Hóa Xanh")
    text = buyer_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Sau 45 phút nữa" in text and "Nhà A – Thực phẩm, gian A-001, bàn 1" in text
    (invite,) = list(exhibitor_mail.iter_attachments())
    calendar = Calendar.from_ical(invite.get_content())
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["ATTENDEE"]) == "mailto:lienhe@legia.vn"

    unsubscribe = exhibitor_mail["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    assert (await client.get(unsubscribe)).status_code == 200
    moved = await client.patch(
        f"/api/meetings/{mail_fair.meeting}", json={"starts_at": "2026-12-18T10:00:00+07:00"}, headers=organiser.headers
    )
    assert moved.status_code == 200, moved.text
    clock.current = local(MEETING_DAY, 9, 15)
    await jobs.reminders()
    assert (await reminders(engine))[2:] == [f"reminder:{mail_fair.meeting}:buyer:1"], "the exhibitor unsubscribed"
    clock.current = local(MEETING_DAY, 10, 0)
    await jobs.reminders()
    async with async_sessionmaker(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 3, "none once it has begun"


@pytest.mark.parametrize("side", ["buyer", "exhibitor"])
async def test_a_side_that_turned_reminders_off_gets_none_and_the_other_side_still_does(
    client: Client,
    organiser: Account,
    mail_fair: MailFair,
    jobs: FairJobs,
    clock: ManualClock,
    engine: AsyncEngine,
    side: str,
) -> None:
    url = (
        f"/api/buyers/{mail_fair.vi_buyer}/email-preferences"
        if side == "buyer"
        else f"/api/exhibitors/{mail_fair.legia}/email-preferences"
    )
    off = await client.patch(url, json={"meeting_reminders": False}, headers=organiser.headers)
    assert off.status_code == 200, off.text
    clock.current = local(MEETING_DAY, 8, 0)
    await jobs.reminders()
    other = "exhibitor" if side == "buyer" else "buyer"
    assert await reminders(engine) == [f"reminder:{mail_fair.meeting}:{other}:0"]
    if side == "buyer":
        digest = await client.post(f"/api/fairs/{mail_fair.id}/digests/send", headers=organiser.headers)
        assert digest.json()["queued"] == 2, "reminders off leaves the digest on"
