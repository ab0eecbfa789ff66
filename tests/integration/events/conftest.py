"""Fixtures of the email tests: a moved clock in the app, a real SMTP server, the jobs wired to both, a fair."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from events.jobs import FairJobs
from events.runner import fair_jobs
from events.transports import SmtpTransport
from ocopfair.settings import Settings
from tests.integration.conftest import Account
from tests.integration.events.mail_fair import DIGEST_DAY, MailFair, build_mail_fair, local
from tests.integration.events.mailbox import Inbox, ManualClock, SmtpServer
from tests.integration.factories import Client


@pytest.fixture
def clock(app: Litestar) -> ManualClock:
    """07:00 in Hồ Chí Minh City on 14 December 2026, three days before the mail fair opens."""
    moved = ManualClock(local(DIGEST_DAY, 7))
    app.state.clock = moved
    return moved


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp(inbox: Inbox) -> Iterator[SmtpServer]:
    server = SmtpServer(inbox)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def jobs(settings: Settings, engine: AsyncEngine, clock: ManualClock, smtp: SmtpServer) -> FairJobs:
    """The scheduler's jobs on the test database, sending to the test SMTP server, on the moved clock."""
    wired = fair_jobs(settings, engine, clock=clock, transport=SmtpTransport(smtp.url))
    wired.relay.rng = random.Random(6)
    return wired


@pytest.fixture
async def mail_fair(
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    other_exhibitor_account: Account,
    buyer_account: Account,
    other_buyer_account: Account,
) -> MailFair:
    return await build_mail_fair(
        client, organiser, exhibitor_account, other_exhibitor_account, buyer_account, other_buyer_account
    )
