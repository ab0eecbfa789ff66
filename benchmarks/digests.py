"""Daily digests at scale: 5,000 buyers' digests rendered and sent to a local SMTP server (aiosmtpd).

Run by hand:  PYTHONPATH=src:. .venv/bin/python -m benchmarks.digests [buyers] [--database-url URL]
A fair of 200 exhibitors (one product and a confirmed booth each) and ``buyers`` buyers (default 5,000), each with a
demand and its five stored matches (a fifth too large for one supplier, so the digest carries a consortium), and
two scheduled meetings for the first 2,000 (two .ics invites each). As the elected scheduler runs them, the digest
job writes the digests to the outbox (reading, rendering with Jinja2, MIME, the inserts, 250 buyers a transaction)
while the relay sends what is written every second over SMTP to aiosmtpd in its own process, each message marked
sent before its connection sends the next one's content. Measured: (a) the job's time, (b) the total until the
server accepted the last digest; the goal is 5,000 within 60 s. SQLite in a temporary directory unless
``--database-url`` names an empty PostgreSQL database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import random
import socket
import tempfile
import time
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from uuid import uuid4

from advanced_alchemy.alembic.commands import AlembicCommands
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.digests import DigestCounts
from events.fair_days import local_day
from events.jobs import FairJobs
from events.runner import fair_jobs
from events.transports import SmtpTransport
from ocopfair.allocation.models import BoothAssignment
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.exhibitors.models import Exhibitor, Product
from ocopfair.fairs.models import Booth, Fair
from ocopfair.fairs.schemas import BoothLayout, FairCreate, HallLayout
from ocopfair.fairs.services import BoothService, FairService
from ocopfair.matches.models import DemandMatch
from ocopfair.meetings.models import Meeting
from ocopfair.meetings.slots import fair_slots
from ocopfair.outbox.models import ScheduledRun
from ocopfair.persistence import create_engine, database_config
from ocopfair.settings import Settings
from seeds.reference import provinces

EXHIBITORS = 200
POLL_SECONDS = 1.0
MEETING_BUYERS = 2_000
CATEGORIES = ("food.condiment", "food.processed", "beverage.tea", "handicraft.textile")


class FixedClock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at


class CountingSink:
    """An aiosmtpd handler that accepts everything and counts messages and bytes in shared memory."""

    def __init__(self, count: Synchronized[int], size: Synchronized[int]) -> None:
        self.count = count
        self.size = size

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        with self.count.get_lock():
            self.count.value += 1
            self.size.value += len(envelope.original_content or b"")
        return "250 OK"


def serve_smtp(port: int, sink: CountingSink, ready: EventType, stop: EventType) -> None:
    """aiosmtpd in its own process, as a real mail server would be: it must not share our interpreter's GIL."""
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


async def build_fair(engine: AsyncEngine, buyers: int, rng: random.Random) -> Fair:
    """The benchmark fair, written straight through the models (the API would only slow the set-up)."""
    now = dt.datetime.now(dt.UTC)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        fair = await FairService(session=session).create_fair(
            FairCreate(
                name="Hội chợ OCOP toàn quốc 2026",
                venue="Trung tâm Hội chợ Triển lãm Việt Nam",
                host_province_code="ha_noi",
                starts_on=dt.date(2026, 12, 17),
                ends_on=dt.date(2026, 12, 20),
                meeting_days=[dt.date(2026, 12, 18), dt.date(2026, 12, 19)],
            )
        )
        fair.status = "open"
        layout = BoothLayout(halls=[HallLayout(code="A", name="Nhà A – Thực phẩm", rows=10, columns=20)])
        await BoothService(session=session).lay_out(fair, layout)
        booths = list(await session.scalars(select(Booth).where(Booth.fair_id == fair.id).order_by(Booth.code)))
        codes = [p.code for p in provinces()]
        exhibitors, products = [], []
        for number in range(EXHIBITORS):
            exhibitor = Exhibitor(
                id=uuid4(),
                name=f"HTX OCOP số {number}",
                kind="cooperative",
                province_code=rng.choice(codes),
                contact_email=f"htx{number}@example.vn",
            )
            exhibitors.append(exhibitor)
            products.append(
                Product(
                    id=uuid4(),
                    exhibitor_id=exhibitor.id,
                    name=f"Nước mắm truyền thống {number}",
                    category=CATEGORIES[number % len(CATEGORIES)],
                    stars=rng.choice((3, 4, 5)),
                    capacity_amount=float(rng.choice((5, 10, 20))),
                    capacity_unit="t",
                    capacity_per="month",
                )
            )
        session.add_all(exhibitors)
        session.add_all(products)
        await session.flush()
        session.add_all(
            BoothAssignment(fair_id=fair.id, booth_id=booth.id, exhibitor_id=exhibitor.id, status="confirmed")
            for booth, exhibitor in zip(booths, exhibitors, strict=True)
        )
        buyer_rows, demands, matches = [], [], []
        for number in range(buyers):
            buyer = Buyer(
                id=uuid4(),
                organisation=f"Công ty Thương mại số {number}",
                buyer_type="retail_chain",
                contact_email=f"buyer{number}@example.vn",
                language="en" if number % 5 == 0 else "vi",
            )
            large = number % 5 == 1
            demand = Demand(
                id=uuid4(),
                buyer_id=buyer.id,
                fair_id=fair.id,
                text="Cần nước mắm truyền thống đóng chai 500 ml cho chuỗi siêu thị",
                categories=["food.condiment"],
                quantity_amount=60.0 if large else 5.0,
                quantity_unit="t",
                quantity_per="month",
            )
            buyer_rows.append(buyer)
            demands.append(demand)
            for rank, product in enumerate(rng.sample(products, 5), start=1):
                volume = 0.3 if large else 1.0
                matches.append(
                    DemandMatch(
                        demand_id=demand.id,
                        product_id=product.id,
                        rank=rank,
                        score=round(0.9 - rank * 0.05, 3),
                        factors={"category": 1.0, "text": 0.6, "volume": volume, "stars": 0.67},
                        reasons=["4★ OCOP", "đúng ngành hàng: Gia vị", f"cung cấp {product.capacity_amount:g} t/tháng"],
                        computed_at=now,
                    )
                )
        session.add_all(buyer_rows)
        await session.flush()
        session.add_all(demands)
        await session.flush()
        session.add_all(matches)
        slots = fair_slots(fair)
        with_meetings = min(buyers, MEETING_BUYERS)
        session.add_all(
            Meeting(
                fair_id=fair.id,
                buyer_id=buyer_rows[index % with_meetings].id,
                exhibitor_id=exhibitors[index % EXHIBITORS].id,
                booth_id=booths[index % EXHIBITORS].id,
                slot=slots[index // EXHIBITORS].index,
                starts_at=slots[index // EXHIBITORS].starts_at,
                ends_at=slots[index // EXHIBITORS].ends_at,
            )
            for index in range(with_meetings * 2)
        )
    return fair


async def relay_while_writing(jobs: FairJobs, digests: asyncio.Task[DigestCounts]) -> int:
    """Relay as the elected scheduler does, every poll interval while the digest job writes, then until nothing
    written is left; returns how many were sent."""
    sent = 0
    while True:
        written_all = digests.done()
        report = await jobs.relay.run()
        sent += report.sent
        if written_all and not report.sent:
            return sent
        if not report.sent:
            await asyncio.wait([digests], timeout=POLL_SECONDS)


async def run(settings: Settings, buyers: int, smtp_url: str) -> tuple[int, float]:
    """Set up the fair, then write and relay the digests as a scheduler would; returns how many were sent and the
    seconds from the start of the digest job to the last message accepted."""
    engine = create_engine(settings)
    try:
        started = time.perf_counter()
        fair = await build_fair(engine, buyers, random.Random(2026))
        at = dt.datetime(2026, 12, 16, 0, 0, tzinfo=dt.UTC)
        async with async_sessionmaker(engine)() as session, session.begin():
            session.add(ScheduledRun(fair_id=fair.id, job="rematch", day=local_day(fair, at)))
        print(f"set-up: {buyers} buyers, {EXHIBITORS} exhibitors in {time.perf_counter() - started:.1f} s")

        jobs = fair_jobs(settings, engine, clock=FixedClock(at), transport=SmtpTransport(smtp_url))
        started = time.perf_counter()
        digests = asyncio.create_task(jobs.digest_fair(fair.id, at))
        written_at: list[float] = []
        digests.add_done_callback(lambda _: written_at.append(time.perf_counter()))
        sent = await relay_while_writing(jobs, digests)
        elapsed = time.perf_counter() - started
        counts = digests.result()
    finally:
        await engine.dispose()
    rendered = written_at[0] - started
    print(
        f"(a) digest job: {counts.queued} digests read, rendered and written to the outbox in {rendered:.1f} s "
        f"({counts.queued / rendered:.0f}/s)\n"
        f"(b) relay on {jobs.relay.connections} SMTP connections, running alongside: {sent} sent, the last "
        f"{elapsed - rendered:.1f} s after the job finished"
    )
    return sent, elapsed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("buyers", nargs="?", type=int, default=5_000)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite in a temporary dir)")
    arguments = parser.parse_args()
    count, size = multiprocessing.Value("q", 0), multiprocessing.Value("q", 0)
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    port = _free_port()
    server = multiprocessing.Process(target=serve_smtp, args=(port, CountingSink(count, size), ready, stop))
    server.start()
    try:
        ready.wait(30)
        with tempfile.TemporaryDirectory() as workdir:
            url = arguments.database_url or f"sqlite+aiosqlite:///{Path(workdir) / 'benchmark.sqlite3'}"
            settings = Settings(database_url=url, secret_key="benchmark-" + "k" * 32, var_dir=Path(workdir))
            AlembicCommands(database_config(settings, create_engine(settings))).upgrade("head")
            sent, seconds = asyncio.run(run(settings, arguments.buyers, f"smtp://127.0.0.1:{port}"))
    finally:
        stop.set()
        server.join(30)
    goal = "met" if seconds <= 60 and count.value == arguments.buyers else "NOT met"
    print(
        f"the server counted {count.value} messages, {size.value / max(count.value, 1) / 1024:.1f} KiB each\n"
        f"total {seconds:.1f} s for {sent} digests: {sent / seconds:.0f} msg/s "
        f"(goal: {arguments.buyers} within 60 s: {goal})"
    )


if __name__ == "__main__":
    main()
