"""Object-level authorisation of the API and the pages: every route that takes an id, asked by buyer A, exhibitor A,
an organiser and an anonymous visitor for what buyer B and exhibitor B own (see ``authorisation_routes``).

A refused request answers 401/403/404 (a page: 403/404, or the sign-in page for a visitor) with nothing of the
object in its body, and a refused write changes no row. Public objects answer everyone, but not what only
organisers may see; scoped lists show each account only its own part. The world is built once per backend.
"""

from __future__ import annotations

import pytest
from litestar.routes import HTTPRoute

from tests.integration.authorisation_routes import CASES, MATRIX_ROLES, Case
from tests.integration.authorisation_world import (
    ANONYMOUS,
    PRIVATE_B,
    PUBLIC_B,
    World,
    fingerprint,
    module_world,  # noqa: F401 (the ``world`` fixture)
    text_of,
)
from tests.integration.conftest import assert_problem

pytestmark = pytest.mark.asyncio(loop_scope="module")

REFUSED = [(case, role) for case in CASES for role in MATRIX_ROLES if case.refusal(role) is not None]
ALLOWED_READS = [
    (case, role)
    for case in CASES
    for role in MATRIX_ROLES
    if case.method == "GET" and case.access in ("public", "scoped") and case.refusal(role) is None
    if role != case.insider
]
READS = [case for case in CASES if case.method == "GET" and case.access != "not_an_object"]


def leaked(world: World, text: str, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if world.values[name] in text]


async def test_every_route_with_an_id_is_classified(world: World) -> None:
    served = {
        (method, route.path)
        for route in world.client.app.routes
        if isinstance(route, HTTPRoute) and route.path_parameters
        for method in route.methods - {"OPTIONS"}
    }
    classified = {(case.method, case.route) for case in CASES}
    assert sorted(served - classified) == [], "classify these in tests/integration/authorisation_routes.py"
    assert sorted(classified - served) == [], "the app no longer serves these"
    assert [case.name for case in CASES if case.access not in ("owned", "organiser") and not case.why] == []


@pytest.mark.parametrize(("case", "role"), REFUSED, ids=[f"{role}:{case.name}" for case, role in REFUSED])
async def test_another_partys_object_is_refused(world: World, case: Case, role: str) -> None:
    before = None if case.method == "GET" else await fingerprint(world.engine)
    response = await world.send(role, case.method, world.url(case.url), world.body(case.body))
    expected = case.refusal(role)
    if expected == 303:
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith("/sign-in?next="), response.headers
    elif case.page:
        assert response.status_code == expected, response.text
    else:
        assert_problem(response, expected or 0)
    assert leaked(world, text_of(response), (*PRIVATE_B, *PUBLIC_B, *case.shows)) == [], response.text
    if before is not None:
        assert await fingerprint(world.engine) == before


@pytest.mark.parametrize(("case", "role"), ALLOWED_READS, ids=[f"{role}:{case.name}" for case, role in ALLOWED_READS])
async def test_public_and_scoped_reads_hold_nothing_of_the_other_party(world: World, case: Case, role: str) -> None:
    response = await world.send(role, "GET", world.url(case.url))
    assert response.status_code == 200, response.text
    private = (*PRIVATE_B, *case.hidden)
    if case.access == "scoped":
        private = (*private, *PUBLIC_B, *case.shows)
    assert leaked(world, text_of(response), private) == [], response.text


@pytest.mark.parametrize("case", READS, ids=[case.name for case in READS])
async def test_the_owner_or_an_organiser_sees_the_object(world: World, case: Case) -> None:
    """The control of the two tests above: the ids are real and the values looked for are in the object."""
    response = await world.send(case.insider, "GET", world.url(case.url))
    assert response.status_code == 200, response.text
    text = text_of(response)
    assert [name for name in case.shows if world.values[name] not in text] == [], text


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_forged_unsubscribe_token_is_refused(world: World, method: str) -> None:
    before = await fingerprint(world.engine)
    response = await world.send(ANONYMOUS, method, world.url("/api/unsubscribe/{forged_token}"))
    assert_problem(response, 400)
    assert await fingerprint(world.engine) == before
