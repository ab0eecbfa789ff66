"""Property-level authorisation: what a read may carry and what a write may set.

Reads: no answer carries a password hash or a bearer token, and none shows another party's contact details (their
email, phone or sign-in address) to anyone but organisers: every GET route of the app, the matrix's routes with
their ids, asked by every role. The API's response schemas have no field for a secret either.
Writes: the fields a role may not set (the owner, which comes from the token; status, booth, role, read-only
counts) are refused with a problem+json 4xx that names them, and nothing changes; on the pages, whose forms read
only their own inputs, a smuggled owner field is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from litestar.routes import HTTPRoute
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from ocopfair.buyers.models import Buyer, Demand
from ocopfair.exhibitors.models import Exhibitor, Product
from tests.integration.authorisation_routes import CASES
from tests.integration.authorisation_world import (
    ANONYMOUS,
    CONTACTS,
    JWT,
    SIGNED_IN,
    World,
    fingerprint,
    module_world,  # noqa: F401 (the ``world`` fixture)
    text_of,
)
from tests.integration.conftest import PASSWORD, assert_problem
from tests.integration.factories import Body, buyer_payload, demand_payload, exhibitor_payload, product_payload

pytestmark = pytest.mark.asyncio(loop_scope="module")

VIEWERS = (*SIGNED_IN, "buyer_c", ANONYMOUS)
SECRET_FIELD = re.compile(r"password|hash|secret|token", re.IGNORECASE)


def read_urls(world: World) -> list[str]:
    """Every GET route of the app: those without ids as they are, those with ids as the matrix fills them."""
    plain = [
        route.path
        for route in world.client.app.routes
        if isinstance(route, HTTPRoute) and not route.path_parameters and "GET" in route.methods
    ]
    with_ids = [world.url(c.url) for c in CASES if c.method == "GET" and c.access != "not_an_object"]
    return sorted({*plain, *with_ids})


@pytest.mark.parametrize("viewer", VIEWERS)
async def test_no_read_carries_a_hash_a_token_or_a_strangers_contact(world: World, viewer: str) -> None:
    strangers = (
        () if viewer == "organiser" else [n for owner, names in CONTACTS.items() if owner != viewer for n in names]
    )
    found = []
    for url in read_urls(world):
        text = text_of(await world.send(viewer, "GET", url))
        found += [(url, "password hash") for _ in re.finditer(r"\$argon2", text)]
        found += [(url, "bearer token") for _ in JWT.finditer(text)]
        found += [(url, name) for name in strangers if world.values[name] in text]
    assert found == []


def _properties(schema: dict[str, Any], components: dict[str, Any], seen: set[str]) -> set[str]:
    """The property names of a schema and of every schema it refers to, at any depth."""
    names: set[str] = set()
    if ref := schema.get("$ref"):
        name = ref.rsplit("/", 1)[1]
        if name in seen:
            return names
        seen.add(name)
        return _properties(components[name], components, seen)
    for key, value in schema.items():
        if key == "properties":
            names |= set(value)
            for child in value.values():
                names |= _properties(child, components, seen)
        elif isinstance(value, dict):
            names |= _properties(value, components, seen)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    names |= _properties(item, components, seen)
    return names


async def test_no_response_schema_has_a_field_for_a_secret(world: World) -> None:
    """Only signing in (and refreshing) answers with tokens; no other answer has a field for a password, a hash, a
    secret or a token, whatever the route."""
    document = (await world.send(ANONYMOUS, "GET", "/schema/openapi.json")).json()
    components = document["components"]["schemas"]
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                for content in answer.get("content", {}).values():
                    names = _properties(content.get("schema", {}), components, set())
                    secret = sorted(name for name in names if SECRET_FIELD.search(name))
                    if secret:
                        found[(method, path, status)] = secret
    assert "access_token" in found.pop(("post", "/api/auth/login", "200"))
    assert {key: names for key, names in found.items() if not key[1].startswith("/api/auth/")} == {}


def _struct_types(info: Any, seen: dict[type, bool]) -> dict[type, bool]:
    """Every Struct a payload type is made of, at any depth, with whether it refuses unknown fields."""
    if isinstance(info, msgspec.inspect.StructType):
        if info.cls in seen:
            return seen
        seen[info.cls] = info.forbid_unknown_fields
    if isinstance(info, msgspec.inspect.Type):
        for value in msgspec.structs.asdict(info).values():
            for part in value if isinstance(value, tuple) else (value,):
                if isinstance(part, msgspec.inspect.Type | msgspec.inspect.Field):
                    _struct_types(part.type if isinstance(part, msgspec.inspect.Field) else part, seen)
    return seen


async def test_every_request_body_refuses_fields_it_does_not_name(world: World) -> None:
    """So a role, an owner, a status or a booth that a write's schema leaves out is a 400, never silently set; this
    covers every route with a body, the ones added later too."""
    bodies = [
        handler.parsed_fn_signature.parameters["data"].annotation
        for route in world.client.app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if "data" in handler.parsed_fn_signature.parameters
    ]
    structs: dict[type, bool] = {}
    for body in bodies:
        _struct_types(msgspec.inspect.type_info(body), structs)
    assert len(bodies) >= 20, bodies
    assert sorted(cls.__qualname__ for cls, refuses in structs.items() if not refuses) == []


@dataclass(frozen=True)
class Smuggled:
    """A write by ``role`` that is valid but for ``field``; ``status`` and ``fragment`` (of the detail) say how it is
    refused (default: 400, an unknown field named in backquotes)."""

    role: str
    method: str
    url: str
    body: Body
    field: str
    value: Any
    status: int = 400
    fragment: str = ""

    @property
    def name(self) -> str:
        return f"{self.role}:{self.method} {self.url} {self.field}={self.value!r}"


REGISTRATION = {"email": "intruder@authz.vn", "password": PASSWORD, "role": "buyer", "display_name": "Intruder"}
APPLICATION = {"exhibitor_id": "{exhibitor_a}"}
REQUEST = {"buyer_id": "{buyer_a}", "exhibitor_id": "{exhibitor_a}"}
AVAILABILITY = "/api/fairs/{fair}/availability/buyers/{buyer_a}"

SMUGGLED = [
    Smuggled(ANONYMOUS, "POST", "/api/auth/register", REGISTRATION, "role", "organiser", fragment="role"),
    Smuggled(ANONYMOUS, "POST", "/api/auth/register", REGISTRATION, "is_active", False),
    Smuggled(ANONYMOUS, "POST", "/api/auth/register", REGISTRATION, "id", "{buyer_a_user}"),
    Smuggled(
        "exhibitor_c",
        "POST",
        "/api/exhibitors",
        exhibitor_payload(name="HTX C"),
        "owner_user_id",
        "{exhibitor_a_user}",
        403,
        "own profile",
    ),
    Smuggled(
        "exhibitor_c", "POST", "/api/exhibitors", exhibitor_payload(name="HTX C"), "owner_id", "{exhibitor_c_user}"
    ),
    Smuggled("exhibitor_c", "POST", "/api/exhibitors", exhibitor_payload(name="HTX C"), "has_account", True),
    Smuggled(
        "buyer_c",
        "POST",
        "/api/buyers",
        buyer_payload(organisation="C"),
        "owner_user_id",
        "{buyer_a_user}",
        403,
        "own profile",
    ),
    Smuggled("buyer_c", "POST", "/api/buyers", buyer_payload(organisation="C"), "owner_id", "{buyer_c_user}"),
    *(
        Smuggled("exhibitor_a", "PATCH", "/api/exhibitors/{exhibitor_a}", {"district": "Nga Sơn"}, field, value)
        for field, value in (
            ("owner_id", "{exhibitor_b_user}"),
            ("owner_user_id", "{exhibitor_b_user}"),
            ("booth", "A-002"),
        )
    ),
    *(
        Smuggled("buyer_a", "PATCH", "/api/buyers/{buyer_a}", {"language": "en"}, field, "{buyer_b_user}")
        for field in ("owner_id", "owner_user_id")
    ),
    *(
        Smuggled(
            "exhibitor_a", "POST", "/api/exhibitors/{exhibitor_a}/products", product_payload(name="Mới"), field, value
        )
        for field, value in (("exhibitor_id", "{exhibitor_b}"), ("id", "{product_b}"))
    ),
    Smuggled("exhibitor_a", "PATCH", "/api/products/{product_a}", {"stars": 5}, "exhibitor_id", "{exhibitor_b}"),
    *(
        Smuggled("buyer_a", "POST", "/api/buyers/{buyer_a}/demands", demand_payload(), field, value)
        for field, value in (("buyer_id", "{buyer_b}"), ("status", "closed"))
    ),
    Smuggled("buyer_a", "PATCH", "/api/demands/{demand_a}", {"text": "Mới"}, "buyer_id", "{buyer_b}"),
    *(
        Smuggled("exhibitor_a", "POST", "/api/fairs/{fair}/applications", APPLICATION, field, value)
        for field, value in (("status", "confirmed"), ("booths", ["A-002"]), ("waitlist_reason", None))
    ),
    *(
        Smuggled("buyer_a", "POST", "/api/fairs/{fair}/meeting-requests", REQUEST, field, value)
        for field, value in (("status", "accepted"), ("answered_at", "2026-12-01T08:00:00+07:00"))
    ),
    Smuggled(
        "buyer_a", "POST", "/api/fairs/{fair}/meeting-requests", REQUEST, "demand_id", "{demand_b}", 422, "demand"
    ),
    Smuggled("buyer_a", "PATCH", "/api/meeting-requests/{request_a}", {}, "status", "declined", 403, "exhibitor"),
    Smuggled("exhibitor_a", "PATCH", "/api/meeting-requests/{request_a}", {}, "status", "cancelled", 403, "buyer"),
    Smuggled("buyer_a", "PATCH", "/api/meeting-requests/{request_a}", {"status": "cancelled"}, "buyer_id", "{buyer_b}"),
    Smuggled(
        "buyer_a", "PATCH", "/api/meetings/{meeting_a}", {}, "starts_at", "2026-12-18T10:00:00+07:00", 403, "organisers"
    ),
    *(
        Smuggled("buyer_a", "PATCH", "/api/meetings/{meeting_a}", {"status": "cancelled"}, field, value)
        for field, value in (("table_no", 2), ("booth_id", "{exhibitor_b}"))
    ),
    Smuggled("buyer_a", "PUT", AVAILABILITY, {"max_per_day": 2}, "buyer_id", "{buyer_b}"),
    Smuggled("buyer_a", "PATCH", "/api/buyers/{buyer_a}/email-preferences", {}, "contact_email", "x@authz.vn"),
    Smuggled("exhibitor_a", "PATCH", "/api/exhibitors/{exhibitor_a}/email-preferences", {}, "unsubscribed_at", None),
    Smuggled(
        "organiser",
        "PUT",
        "/api/fairs/{fair}/booths/{held_booth_b}/assignment",
        {"exhibitor_id": "{exhibitor_b}"},
        "status",
        "confirmed",
    ),
    Smuggled("organiser", "PATCH", "/api/fairs/{fair}", {"description": "Mới"}, "booth_count", 0),
]


@pytest.mark.parametrize("smuggled", SMUGGLED, ids=[s.name for s in SMUGGLED])
async def test_a_field_the_role_may_not_set_is_refused(world: World, smuggled: Smuggled) -> None:
    before = await fingerprint(world.engine)
    body = world.body({**smuggled.body, smuggled.field: smuggled.value})
    response = await world.send(smuggled.role, smuggled.method, world.url(smuggled.url), body)
    assert_problem(response, smuggled.status, smuggled.fragment or f"`{smuggled.field}`")
    assert await fingerprint(world.engine) == before


@dataclass(frozen=True)
class SmuggledOwner:
    """A page form posted by ``role`` with an owner input it does not have; ``column`` of the row ``row`` keeps
    ``owner``."""

    role: str
    url: str
    form: Body
    smuggled: Body
    column: InstrumentedAttribute[Any]
    row: str
    owner: str


PRODUCT_FORM = {"name": "Nước mắm cốt", "category": "food.condiment"}
DEMAND_FORM = {"text": "Cần nước mắm", "quantity.per": "month", "fair_id": "{fair}"}
EXHIBITOR_FORM = {"name": "HTX Lê Gia", "kind": "cooperative", "province_code": "Thanh Hóa"}
BUYER_FORM = {"organisation": "Bách Hóa Xanh", "buyer_type": "retail_chain", "country_code": "VN"}
PAGE_FORMS = [
    SmuggledOwner(
        "exhibitor_a",
        "/exhibitor/products/{product_a}",
        PRODUCT_FORM,
        {"exhibitor_id": "{exhibitor_b}"},
        Product.exhibitor_id,
        "product_a",
        "exhibitor_a",
    ),
    SmuggledOwner(
        "buyer_a",
        "/buyer/demands/{demand_a}",
        DEMAND_FORM,
        {"buyer_id": "{buyer_b}"},
        Demand.buyer_id,
        "demand_a",
        "buyer_a",
    ),
    SmuggledOwner(
        "exhibitor_a",
        "/exhibitor/profile",
        EXHIBITOR_FORM,
        {"owner_user_id": "{exhibitor_c_user}", "owner_id": "{exhibitor_c_user}"},
        Exhibitor.owner_id,
        "exhibitor_a",
        "exhibitor_a_user",
    ),
    SmuggledOwner(
        "buyer_a",
        "/buyer/profile",
        BUYER_FORM,
        {"owner_user_id": "{buyer_c_user}", "owner_id": "{buyer_c_user}"},
        Buyer.owner_id,
        "buyer_a",
        "buyer_a_user",
    ),
]


@pytest.mark.parametrize("case", PAGE_FORMS, ids=[case.url for case in PAGE_FORMS])
async def test_a_page_form_ignores_a_smuggled_owner(world: World, case: SmuggledOwner) -> None:
    response = await world.send(case.role, "POST", world.url(case.url), world.body({**case.form, **case.smuggled}))
    assert response.status_code == 303, response.text
    model = case.column.class_
    async with world.engine.connect() as connection:
        owner = await connection.scalar(select(case.column).where(model.id == world.values[case.row]))
    assert str(owner) == world.values[case.owner]


async def test_a_meeting_request_from_the_page_is_the_signed_in_buyers(world: World) -> None:
    """The form names buyer B, who has no request to exhibitor A; the page asks as buyer A, who has one already,
    so the request is refused and nothing is written (taking the form's buyer would have written B's request)."""
    before = await fingerprint(world.engine)
    form = {"buyer_id": "{buyer_b}", "exhibitor_id": "{exhibitor_a}", "fair_id": "{fair}"}
    response = await world.send("buyer_a", "POST", "/buyer/meeting-requests", world.body(form))
    assert response.status_code == 422, response.text
    assert await fingerprint(world.engine) == before
