"""Resource limits: the request body cap (413 problem+json), the page size cap of every list, and the expensive runs
(booth allocation, matching, meeting schedule): organisers only, and one at a time per fair and kind across workers
(409 problem+json), the lease given back when a run ends and taken over when a killed worker's lease expires."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ocopfair.allocation import controllers as allocation_controllers
from ocopfair.fairs.run_leases import RunLease
from ocopfair.matches.services import MatchService
from ocopfair.meetings import controllers as meeting_controllers
from ocopfair.payloads import MAX_PAGE_SIZE
from ocopfair.settings import Settings
from tests.integration.conftest import Account, assert_problem
from tests.integration.factories import LAYOUT, Client, create_fair, created
from tests.integration.pages import body, sign_in, submit
from tests.integration.workers import worker

CAP = 1_048_576


@dataclass(frozen=True)
class Run:
    kind: str
    path: str
    owner: Any
    function: str


RUNS = [
    Run("allocation", "allocation/run", allocation_controllers, "run_allocation"),
    Run("matching", "matches/run", MatchService, "run_for_fair"),
    Run("schedule", "schedule", meeting_controllers, "run_schedule"),
]
IDS = [run.kind for run in RUNS]


@pytest.fixture
async def fair_id(client: Client, organiser: Account) -> str:
    """A fair the three runs can all run on: a hall of booths and a day of meeting slots."""
    sessions = [{"name": "morning", "starts_at": "08:30:00", "ends_at": "10:30:00"}]
    fair = await create_fair(client, organiser, meeting_days=["2026-12-18"], sessions=sessions, slot_minutes=30)
    await created(client, f"/api/fairs/{fair['id']}/booths/layout", organiser, LAYOUT)
    return str(fair["id"])


@dataclass
class HeldRun:
    """A run that, once started, waits for the test's word before it does its work."""

    started: asyncio.Event
    release: asyncio.Event


def hold(monkeypatch: pytest.MonkeyPatch, run: Run) -> HeldRun:
    held = HeldRun(asyncio.Event(), asyncio.Event())
    real = getattr(run.owner, run.function)

    async def waiting(*args: Any, **kwargs: Any) -> Any:
        held.started.set()
        await held.release.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(run.owner, run.function, waiting)
    return held


async def lease(engine: AsyncEngine, fair_id: str, kind: str, expires_in: dt.timedelta) -> None:
    """A lease as a worker that is still running, or was killed, leaves it."""
    async with async_sessionmaker(engine)() as session, session.begin():
        expires_at = dt.datetime.now(dt.UTC) + expires_in
        session.add(RunLease(fair_id=UUID(fair_id), kind=kind, holder=uuid4(), expires_at=expires_at))


async def leases(engine: AsyncEngine) -> int:
    async with async_sessionmaker(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(RunLease)) or 0)


def run_url(fair_id: str, run: Run) -> str:
    return f"/api/fairs/{fair_id}/{run.path}"


@pytest.mark.parametrize("run", RUNS, ids=IDS)
async def test_only_organisers_start_a_run(
    client: Client, fair_id: str, buyer_account: Account, exhibitor_account: Account, run: Run
) -> None:
    for account in (buyer_account, exhibitor_account):
        assert_problem(await client.post(run_url(fair_id, run), json={}, headers=account.headers), 403)
    assert_problem(await client.post(run_url(fair_id, run), json={}), 401)


@pytest.mark.parametrize("run", RUNS, ids=IDS)
async def test_a_second_run_while_one_runs_is_a_409_from_any_worker(
    settings: Settings,
    client: Client,
    engine: AsyncEngine,
    organiser: Account,
    fair_id: str,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = hold(monkeypatch, run)
    url = run_url(fair_id, run)
    async with worker(settings) as one, worker(settings) as other:
        first = asyncio.create_task(one.post(url, json={}, headers=organiser.headers))
        await asyncio.wait_for(held.started.wait(), 30)
        try:
            for second in (other, one):
                refused = await asyncio.wait_for(second.post(url, json={}, headers=organiser.headers), 10)
                assert_problem(refused, 409, "already running")
        finally:
            held.release.set()
        assert (await first).status_code == 200, (await first).text
    assert await leases(engine) == 0
    again = await client.post(url, json={}, headers=organiser.headers)
    assert again.status_code == 200, again.text


async def test_a_killed_workers_lease_blocks_until_it_expires(
    client: Client, engine: AsyncEngine, organiser: Account, fair_id: str
) -> None:
    url = run_url(fair_id, RUNS[0])
    await lease(engine, fair_id, "allocation", dt.timedelta(minutes=5))
    assert_problem(await client.post(url, json={}, headers=organiser.headers), 409, "booth allocation")
    async with async_sessionmaker(engine)() as session, session.begin():
        stale = await session.scalar(select(RunLease))
        assert stale is not None
        stale.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    answer = await client.post(url, json={}, headers=organiser.headers)
    assert answer.status_code == 200, answer.text
    assert await leases(engine) == 0


async def test_a_run_blocks_neither_other_fairs_nor_other_kinds_of_run(
    client: Client, engine: AsyncEngine, organiser: Account, fair_id: str
) -> None:
    other_fair = (await create_fair(client, organiser, name="Hội chợ OCOP Nghệ An 2026"))["id"]
    await created(client, f"/api/fairs/{other_fair}/booths/layout", organiser, LAYOUT)
    await lease(engine, fair_id, "allocation", dt.timedelta(minutes=5))
    for url in (run_url(other_fair, RUNS[0]), run_url(fair_id, RUNS[1]), run_url(fair_id, RUNS[2])):
        answer = await client.post(url, json={}, headers=organiser.headers)
        assert answer.status_code == 200, (url, answer.text)
    assert await leases(engine) == 1


async def test_a_failed_run_gives_its_lease_back(client: Client, engine: AsyncEngine, organiser: Account) -> None:
    no_slots = (await create_fair(client, organiser))["id"]
    for _ in range(2):
        refused = await client.post(run_url(no_slots, RUNS[2]), json={}, headers=organiser.headers)
        assert_problem(refused, 422, "no meeting slots")
    assert await leases(engine) == 0


async def test_the_organiser_pages_refuse_a_run_while_one_runs(
    client: Client, engine: AsyncEngine, organiser: Account, fair_id: str
) -> None:
    for kind in ("allocation", "matching", "schedule"):
        await lease(engine, fair_id, kind, dt.timedelta(minutes=5))
    await sign_in(client, organiser.email)
    message = "Lượt chạy này của hội chợ đang diễn ra. Hãy thử lại khi đã xong."
    allocation = await submit(client, f"/organiser/fairs/{fair_id}/allocation/run", {"time_limit_s": "5"})
    assert allocation.status_code == 409
    assert message in body(allocation)
    matching = await submit(client, f"/organiser/fairs/{fair_id}/matches/run")
    assert matching.status_code == 409
    assert message in body(matching)
    form = {"time_limit_s": "5", "keep_existing": "true", "suggestions_per_buyer": "3"}
    schedule = await submit(client, f"/organiser/fairs/{fair_id}/schedule/run", form)
    assert schedule.status_code == 422
    assert message in body(schedule)
    assert await leases(engine) == 3


def _padded_registration(size: int) -> bytes:
    """A registration whose JSON is exactly ``size`` bytes (its display name padded out)."""
    fields = {"email": "big@example.vn", "password": "correct horse battery", "role": "buyer", "display_name": ""}
    bare = len(json.dumps(fields).encode())
    return json.dumps({**fields, "display_name": "x" * (size - bare)}).encode()


@pytest.mark.parametrize(("size", "status"), [(CAP, 400), (CAP + 1, 413), (5 * CAP, 413)])
async def test_the_body_cap_is_one_mebibyte(client: Client, size: int, status: int) -> None:
    content = _padded_registration(size)
    assert len(content) == size
    answer = await client.post("/api/auth/register", content=content, headers={"content-type": "application/json"})
    assert_problem(answer, status)
    refused = await client.post(
        "/api/auth/login", json={"email": "big@example.vn", "password": "correct horse battery"}
    )
    assert_problem(refused, 401)


async def test_a_page_form_over_the_cap_is_a_413_page(client: Client) -> None:
    answer = await submit(client, "/sign-in", {"email": "a@example.vn", "password": "x" * (CAP + 1)})
    assert answer.status_code == 413
    assert "<html" in answer.text


def test_no_route_accepts_a_larger_body(app: Litestar, settings: Settings) -> None:
    handlers = [handler for route in app.routes for handler in getattr(route, "route_handlers", [])]
    http_handlers = [handler for handler in handlers if isinstance(handler, HTTPRouteHandler)]
    assert http_handlers
    for handler in http_handlers:
        assert handler.resolve_request_max_body_size() == settings.request_max_body_bytes, handler


def _component(schema: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    ref = next(iter(content.values()), {}).get("schema", {}).get("$ref", "")
    found: dict[str, Any] = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return found


def test_every_list_caps_its_page_size(app: Litestar) -> None:
    schema = app.openapi_schema.to_schema()
    paged = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "limit" in parameters:
                assert parameters["limit"]["schema"]["maximum"] <= MAX_PAGE_SIZE, (method, path)
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            answer = _component(schema, content)
            if {"items", "total", "limit", "offset"} <= set(answer.get("properties", {})):
                paged += 1
                assert "limit" in parameters, f"{method} {path} answers a page but takes no limit"
    assert paged >= 8


@pytest.mark.parametrize(
    "path", ["fairs", "exhibitors", "products", "buyers", "fairs/{fair}/booths", "fairs/{fair}/meetings"]
)
async def test_a_page_larger_than_100_is_a_400_problem(
    client: Client, organiser: Account, fair_id: str, path: str
) -> None:
    url = "/api/" + path.format(fair=fair_id)
    assert_problem(await client.get(url, params={"limit": 101}, headers=organiser.headers), 400, "limit")
    largest = await client.get(url, params={"limit": 100}, headers=organiser.headers)
    assert largest.status_code == 200, largest.text
    assert largest.json()["limit"] == 100
