"""Three ``ocopfair scheduler run`` processes on one PostgreSQL database, started at once for a fair whose digest is
due: one is elected and sends; killed mid-send, another takes over. Counted at a real SMTP server, every buyer gets
the day's digest exactly once after a graceful stop (SIGTERM); after a crash (SIGKILL) none is missing and the only
repeat is the one message the dead process had on the wire (one SMTP connection each), with the same Message-ID.

PostgreSQL only (the advisory-lock election across processes): skipped without OCOPFAIR_TEST_POSTGRES_URL, which
CI always sets.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.outbox.models import OutboxMessage
from ocopfair.settings import Settings
from tests.integration.conftest import POSTGRES_URL, Account
from tests.integration.events.mailbox import Inbox, SmtpServer
from tests.integration.factories import (
    Client,
    create_buyer,
    create_demand,
    create_exhibitor,
    create_fair,
    create_product,
)

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: set OCOPFAIR_TEST_POSTGRES_URL (CI does)")

BUYERS = 30
HELD_AFTER = 5
SCHEDULER = [sys.executable, "-c", "from ocopfair.cli import main; main()", "scheduler", "run"]


@pytest.fixture
def backend() -> str:
    return "postgresql"


async def due_fair(client: Client, organiser: Account, exhibitor: Account) -> str:
    """A fair opening tomorrow whose digest time (midnight) has passed today, with ``BUYERS`` buyers to write to."""
    tomorrow = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + dt.timedelta(days=1)
    fair = await create_fair(
        client, organiser, starts_on=tomorrow.isoformat(), ends_on=(tomorrow + dt.timedelta(days=2)).isoformat()
    )
    fair_id = str(fair["id"])
    changes = {"status": "open", "digest_time": "00:00:00"}
    assert (await client.patch(f"/api/fairs/{fair_id}", json=changes, headers=organiser.headers)).is_success
    supplier = (await create_exhibitor(client, exhibitor))["id"]
    await create_product(client, exhibitor, supplier, capacity={"amount": 20, "unit": "t", "per": "month"})
    for number in range(BUYERS):
        buyer = await create_buyer(
            client, organiser, organisation=f"Siêu thị số {number}", contact_email=f"buyer{number}@example.vn"
        )
        await create_demand(client, organiser, buyer["id"], fair_id=fair_id)
    return fair_id


def elected(log: Path) -> bool:
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            if json.loads(line).get("event") == "scheduler_elected":
                return True
        except json.JSONDecodeError:
            continue
    return False


async def digest_statuses(engine: AsyncEngine) -> Counter[str]:
    async with async_sessionmaker(engine)() as session:
        return Counter(await session.scalars(select(OutboxMessage.status).where(OutboxMessage.kind == "digest")))


@pytest.mark.parametrize(("kill", "repeats"), [(signal.SIGTERM, 0), (signal.SIGKILL, 1)], ids=["sigterm", "sigkill"])
async def test_three_schedulers_send_each_digest_once_and_survive_losing_the_leader(
    kill: signal.Signals,
    repeats: int,
    client: Client,
    organiser: Account,
    exhibitor_account: Account,
    settings: Settings,
    engine: AsyncEngine,
    tmp_path: Path,
) -> None:
    await due_fair(client, organiser, exhibitor_account)
    inbox = Inbox(hold_after=HELD_AFTER, expected=BUYERS + repeats)
    server = SmtpServer(inbox)
    server.start()
    environment = {
        **os.environ,
        "OCOPFAIR_DATABASE_URL": settings.database_url,
        "OCOPFAIR_SMTP_URL": server.url,
        "OCOPFAIR_SECRET_KEY": settings.secret_key,
        "OCOPFAIR_VAR_DIR": str(tmp_path),
        "OCOPFAIR_SCHEDULER_POLL_SECONDS": "0.3",
        "OCOPFAIR_SMTP_CONNECTIONS": "1",
        "OCOPFAIR_LOG_LEVEL": "INFO",
    }
    logs = [tmp_path / f"scheduler-{number}.log" for number in range(3)]
    processes = []
    try:
        for log in logs:
            with log.open("w", encoding="utf-8") as stderr:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        *SCHEDULER, env=environment, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
                    )
                )
        assert await asyncio.to_thread(inbox.holding.wait, 180), "no scheduler started sending"
        leaders = [number for number, log in enumerate(logs) if elected(log)]
        assert len(leaders) == 1, [log.read_text(encoding="utf-8") for log in logs]
        leader = processes[leaders[0]]
        leader.send_signal(kill)
        if kill == signal.SIGKILL:
            await asyncio.wait_for(leader.wait(), timeout=60)
        inbox.release.set()
        assert await asyncio.wait_for(leader.wait(), timeout=120) == (0 if kill == signal.SIGTERM else -kill)
        assert await asyncio.to_thread(inbox.complete.wait, 180), f"only {len(inbox.received)} digests arrived"
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.wait(), timeout=120)
        server.stop()
    assert await digest_statuses(engine) == Counter({"sent": BUYERS})
    assert sum(elected(log) for log in logs) >= 2, "another scheduler took over"
    recipients = Counter(str(message["To"].addresses[0].addr_spec) for message in inbox.received)
    assert sorted(recipients) == sorted(f"buyer{number}@example.vn" for number in range(BUYERS)), "none missing"
    assert sum(recipients.values()) == BUYERS + repeats
    message_ids = Counter(str(message["Message-ID"]) for message in inbox.received)
    assert len(message_ids) == BUYERS, "a repeat is the same message, never a second digest"
    assert [count for count in message_ids.values() if count > 1] == [2] * repeats
