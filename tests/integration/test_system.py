"""Liveness, readiness, the OpenAPI document, and problem answers for requests that never reach a handler."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.integration.conftest import Account, assert_problem


async def test_health_and_ready_answer_without_a_token(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok"}


async def test_openapi_schema_lists_the_api(client: AsyncTestClient[Litestar]) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/fairs", "/api/products", "/api/buyers/{buyer_id}/demands", "/api/reference/provinces"):
        assert path in schema["paths"], path


async def test_unknown_route_and_oversized_body_are_problems(
    client: AsyncTestClient[Litestar], organiser: Account
) -> None:
    assert_problem(await client.get("/api/nowhere", headers=organiser.headers), 404)
    huge = {"name": "x" * 2_000_000}
    response = await client.post("/api/fairs", json=huge, headers=organiser.headers)
    assert_problem(response, 413)


async def test_malformed_json_is_a_400_problem(client: AsyncTestClient[Litestar], organiser: Account) -> None:
    response = await client.post(
        "/api/fairs", content=b"{not json", headers={**organiser.headers, "content-type": "application/json"}
    )
    assert_problem(response, 400)
