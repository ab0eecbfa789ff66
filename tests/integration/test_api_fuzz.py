"""Property-based fuzzing of the whole API with schemathesis, against the app's own OpenAPI, in process.

Every operation gets schema-valid and schema-breaking requests (path, query and body), sent with the bearer token
of an organiser, an exhibitor or a buyer, over a fresh database seeded with a fair that has booths, an exhibitor
with a product and a booth, a buyer with a demand, a meeting request, scheduled meetings and outbox emails. Path
ids (and ids in bodies) are often swapped for those real objects so the requests reach the code behind the 404s.
Every answer must be within the schema: no 5xx, a status the operation declares, a body matching its schema,
and every error ``application/problem+json``. ``OCOPFAIR_FUZZ_EXAMPLES`` sets how many examples each operation
gets and ``OCOPFAIR_FUZZ_RANDOM=1`` draws new ones on each run (``make fuzz`` sets both).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import hypothesis.strategies as st
import msgspec
import pytest
import schemathesis
from advanced_alchemy.base import metadata_registry
from hypothesis import HealthCheck, settings
from litestar import Litestar
from litestar.serialization import encode_json
from litestar.types import Receive, Scope, Send
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.core.failures import Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.python.asgi import ASGIClient, get_client
from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from events.unsubscribe import unsubscribe_token
from ocopfair.accounts.admin import create_organiser
from ocopfair.app import create_app
from ocopfair.errors import PROBLEM_JSON
from ocopfair.settings import Settings
from tests.integration.conftest import BACKENDS, PASSWORD, _empty_tables, database_config_keys_forgotten
from tests.integration.factories import (
    buyer_payload,
    demand_payload,
    exhibitor_payload,
    fair_payload,
    product_payload,
)

EXAMPLES = int(os.environ.get("OCOPFAIR_FUZZ_EXAMPLES", "10"))
# `make test` sends the same requests every run; `make fuzz` draws new ones each time.
RANDOM = os.environ.get("OCOPFAIR_FUZZ_RANDOM") == "1"
ROLES = ("organiser", "exhibitor", "buyer")
ORGANISER_EMAIL = "organiser@example.vn"


class AppUnderTest:
    """The ASGI app schemathesis sends every request to: the app of the backend being fuzzed, which the
    ``fuzzed_app`` fixture puts in place (schemathesis needs its app when the schema is loaded, at import)."""

    def __init__(self) -> None:
        self.app: Litestar | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no app to fuzz: the test must use the fuzzed_app fixture"
        await self.app(scope, receive, send)


def _openapi_document() -> dict[str, Any]:
    """The OpenAPI of an app built as the tests build theirs; the document does not depend on the database."""
    with database_config_keys_forgotten():
        app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", secret_key="fuzz-" + "x" * 40))
        document: dict[str, Any] = msgspec.json.decode(encode_json(app.openapi_schema.to_schema()))
    return document


APP_UNDER_TEST = AppUnderTest()
DOCUMENT = _openapi_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = APP_UNDER_TEST
# The bearer token is not generated: each request carries a real one, of a role drawn at random.
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=not RANDOM,
    with_security_parameters=False,
)
# Schema-valid requests may still be refused: many fields are codes looked up in reference data (provinces under
# both naming systems, OCOP categories, certifications, countries, time zones) or are bound by rules between fields
# (a demand needs a text or categories), which JSON Schema cannot state. What the schema does state is enforced the
# other way round: negative_data_rejection fails any request the schema forbids that the service accepts.
schema.config.checks.update(excluded_check_names=["positive_data_acceptance"])


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed_app(
    request: pytest.FixtureRequest, migrated_urls: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Litestar]:
    """One app per backend for every operation: building an app costs more than fuzzing an operation. Its access
    tokens outlive a long ``make fuzz`` run, as the seeded accounts sign in once."""
    url = migrated_urls[request.param]
    var_dir = tmp_path_factory.mktemp("fuzz")
    settings = Settings(database_url=url, secret_key="fuzz-" + "x" * 40, var_dir=var_dir, token_ttl_minutes=24 * 60)
    with database_config_keys_forgotten():
        APP_UNDER_TEST.app = create_app(settings)
        yield APP_UNDER_TEST.app
    APP_UNDER_TEST.app = None


def answers_problem_json(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every error answer is an RFC 9457 problem (the API's contract), whatever its status."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    if not content_type.startswith(PROBLEM_JSON):
        raise Failure(
            operation=case.operation.label,
            title="Error answer is not application/problem+json",
            message=f"{response.status_code} answered with content type {content_type!r}",
        )
    return True


def _answer(client: ASGIClient, method: str, url: str, headers: dict[str, str], body: Any = None) -> Any:
    response = client.request(method, url, json=body, headers=headers)
    assert response.status_code < 300, f"{method} {url}: {response.status_code} {response.text}"
    return response.json() if response.content else None


def _sign_in(client: ASGIClient, email: str) -> tuple[dict[str, str], str]:
    """The bearer header and the refresh token of a fresh sign-in."""
    tokens = _answer(client, "POST", "/api/auth/login", {}, {"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {tokens['access_token']}"}, tokens["refresh_token"]


def _register(client: ASGIClient, role: str, email: str) -> tuple[dict[str, str], str]:
    registration = {"email": email, "password": PASSWORD, "role": role, "display_name": email}
    _answer(client, "POST", "/api/auth/register", {}, registration)
    return _sign_in(client, email)


async def _fresh_database(url: str) -> None:
    """Empty tables and the organiser account, the one account that cannot register through the API."""
    engine = create_async_engine(url)
    try:
        await _empty_tables(engine)
        await create_organiser(engine, ORGANISER_EMAIL, PASSWORD, "Ban tổ chức")
    finally:
        await engine.dispose()


@dataclass
class Seeded:
    """The objects a fuzzed request can name, and a signed-in header per role."""

    headers: dict[str, dict[str, str]]
    ids: dict[str, list[str]]

    def aim(self, case: Case, data: st.DataObject) -> dict[str, str]:
        """The headers of a role drawn at random; the case's valid path parameters and body ids often point at real
        objects instead of random ones (a part generated to break the schema is left broken)."""
        negative = case.meta.is_negative_at if case.meta is not None else lambda _: False
        for name in [] if negative(ParameterLocation.PATH) else list(case.path_parameters or {}):
            real = self.ids.get(name)
            if real and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(real), label=name)
        if isinstance(case.body, dict) and not negative(ParameterLocation.BODY):
            for name in list(case.body):
                real = self.ids.get(name) or self.ids.get(name.removesuffix("s"))
                if real and data.draw(st.booleans(), label=f"real {name}"):
                    pick = data.draw(st.sampled_from(real), label=name)
                    case.body[name] = [pick] if isinstance(case.body[name], list) else pick
        return self.headers[data.draw(st.sampled_from(ROLES), label="role")]


def seed(app: Litestar) -> Seeded:
    """A fair ready for meetings: Lê Gia holds confirmed booth A-001 and lists a product, a tea cooperative has
    applied, the buyer's demand is matched, a meeting is scheduled and its emails wait in the outbox."""
    asyncio.run(_fresh_database(app.state.settings.database_url))
    with get_client(APP_UNDER_TEST) as client:
        organiser, organiser_refresh = _sign_in(client, ORGANISER_EMAIL)
        exhibitor, exhibitor_refresh = _register(client, "exhibitor", "legia@example.vn")
        buyer_headers, buyer_refresh = _register(client, "buyer", "buyer@example.vn")
        sessions = [{"name": "morning", "starts_at": "08:30:00", "ends_at": "10:30:00"}]
        fair_body = fair_payload(meeting_days=["2026-12-18"], sessions=sessions, slot_minutes=30)
        fair = _answer(client, "POST", "/api/fairs", organiser, fair_body)["id"]
        hall = {"code": "A", "name": "Nhà A", "rows": 1, "columns": 3, "zones": ["food"]}
        _answer(client, "POST", f"/api/fairs/{fair}/booths/layout", organiser, {"halls": [hall]})
        legia = _answer(client, "POST", "/api/exhibitors", exhibitor, exhibitor_payload())["id"]
        product = _answer(client, "POST", f"/api/exhibitors/{legia}/products", exhibitor, product_payload())["id"]
        tea = _answer(client, "POST", "/api/exhibitors", organiser, exhibitor_payload(name="HTX Chè Cầu Đất"))["id"]
        _answer(client, "PUT", f"/api/fairs/{fair}/booths/A-001/assignment", organiser, {"exhibitor_id": legia})
        _answer(client, "POST", f"/api/fairs/{fair}/allocation/confirm", organiser)
        application = _answer(client, "POST", f"/api/fairs/{fair}/applications", organiser, {"exhibitor_id": tea})
        buyer = _answer(client, "POST", "/api/buyers", buyer_headers, buyer_payload())["id"]
        demand = _answer(client, "POST", f"/api/buyers/{buyer}/demands", buyer_headers, demand_payload(fair_id=fair))
        _answer(client, "POST", f"/api/fairs/{fair}/matches/run", organiser)
        asked = {"buyer_id": buyer, "exhibitor_id": legia}
        request = _answer(client, "POST", f"/api/fairs/{fair}/meeting-requests", buyer_headers, asked)["id"]
        _answer(client, "PATCH", f"/api/meeting-requests/{request}", exhibitor, {"status": "accepted"})
        _answer(client, "POST", f"/api/fairs/{fair}/schedule", organiser, {})
        meetings = _answer(client, "GET", f"/api/fairs/{fair}/meetings", organiser)["items"]
        _answer(client, "POST", f"/api/fairs/{fair}/digests/send", organiser, {})
        messages = _answer(client, "GET", f"/api/fairs/{fair}/outbox", organiser)["items"]
    secret = app.state.settings.secret_key
    return Seeded(
        headers={"organiser": organiser, "exhibitor": exhibitor, "buyer": buyer_headers},
        ids={
            "fair_id": [fair],
            "exhibitor_id": [legia, tea],
            "product_id": [product],
            "buyer_id": [buyer],
            "demand_id": [demand["id"]],
            "application_id": [application["id"]],
            "booth_code": ["A-001", "A-002"],
            "request_id": [request],
            "meeting_id": [m["id"] for m in meetings],
            "message_id": [m["id"] for m in messages],
            "party": ["buyer", "exhibitor"],
            "participant_id": [buyer, legia],
            "token": [unsubscribe_token(secret, "buyer", UUID(buyer))],
            "refresh_token": [organiser_refresh, exhibitor_refresh, buyer_refresh],
        },
    )


Rows = dict[Table, list[dict[str, Any]]]


async def _copy_rows(url: str) -> Rows:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table: [dict(row._mapping) for row in await connection.execute(select(table))]
                for table in metadata_registry.get(None).sorted_tables
            }
    finally:
        await engine.dispose()


async def _put_back(url: str, rows: Rows) -> None:
    """Every table as it was copied, in one transaction (a DELETE of a few rows is far quicker than a TRUNCATE)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for table in reversed(rows):
                await connection.execute(table.delete())
            for table, table_rows in rows.items():
                if table_rows:
                    await connection.execute(insert(table), table_rows)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def seeded(fuzzed_app: Litestar) -> tuple[Seeded, Rows]:
    """The seeded objects and a copy of every row: putting rows back costs far less than seeding through the API."""
    objects = seed(fuzzed_app)
    return objects, asyncio.run(_copy_rows(fuzzed_app.state.settings.database_url))


@pytest.fixture
def world(fuzzed_app: Litestar, seeded: tuple[Seeded, Rows]) -> Seeded:
    """Every operation starts from the same rows, whatever the operations before it did to theirs."""
    objects, rows = seeded
    asyncio.run(_put_back(fuzzed_app.state.settings.database_url, rows))
    return objects


@schema.parametrize()
@schema.given(data=st.data())
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case: Case, data: st.DataObject, world: Seeded) -> None:
    headers = world.aim(case, data)
    case.call_and_validate(headers=headers, additional_checks=[answers_problem_json])


PUBLIC = [{}]


@pytest.mark.parametrize(
    ("method", "path", "declared", "security"),
    [
        ("get", "/health", {400}, PUBLIC),
        ("post", "/api/auth/login", {400, 401, 413, 429, 503}, PUBLIC),
        ("get", "/api/unsubscribe/{token}", {400, 404, 503}, PUBLIC),
        ("get", "/api/me", {400, 401, 503}, None),
        ("post", "/api/fairs", {400, 401, 403, 409, 413, 422, 503}, None),
        ("get", "/api/fairs/{fair_id}", {400, 401, 404, 503}, None),
        ("delete", "/api/demands/{demand_id}", {400, 401, 403, 404, 409, 503}, None),
        ("get", "/api/demands/{demand_id}/consortium", {400, 401, 403, 404, 422, 503}, None),
    ],
)
def test_the_schema_declares_the_problems_a_route_answers(
    method: str, path: str, declared: set[int], security: list[dict[str, Any]] | None
) -> None:
    """Read off the route: the bearer token (401), a guard or the caller's ownership (403), an object in the path
    (404), a change (409), a body (413, 422), the database (503, all but /health); every one a problem+json. The
    fuzz test catches a status answered but not declared; this catches one declared that the route's shape does not
    give."""
    operation = DOCUMENT["paths"][path][method]
    errors = {int(status): answer for status, answer in operation["responses"].items() if int(status) >= 400}
    assert set(errors) == declared
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    assert all(answer["content"] == {PROBLEM_JSON: problem} for answer in errors.values())
    assert operation.get("security") == security
