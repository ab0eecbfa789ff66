"""The error answers of every API route, declared in the OpenAPI from the route's own shape.

Every failure leaves through ``errors.problem`` as ``application/problem+json``; Litestar on its own documents only
a 400 in a different body. Declaring answers by hand in each controller would drift, so this plugin reads what each
route is made of when it is registered (its bearer-token requirement, guards, path, query and body parameters,
method) and declares the answers that shape implies, with one shared ``Problem`` schema. The few answers no shape
shows (a wrong password or refresh token, the login rate limit, a rule about a stored object that a GET checks) are
listed by operation in ``ANSWERS_BEYOND_SHAPE``. The API fuzz test (tests/integration/test_api_fuzz.py) holds the
result to the truth: any status a route answers that is not declared here fails it.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.security.jwt import JWTAuth

from ocopfair.accounts.security import CHECKS_ITS_OWN_TOKEN
from ocopfair.errors import PROBLEM_JSON

if TYPE_CHECKING:
    from litestar._kwargs import KwargsModel

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# (method, path) -> statuses the route answers that its shape does not show.
ANSWERS_BEYOND_SHAPE: dict[tuple[str, str], frozenset[int]] = {
    ("POST", "/api/auth/register"): frozenset({409}),
    ("POST", "/api/auth/login"): frozenset({401, 429}),
    ("POST", "/api/auth/refresh"): frozenset({401}),
    ("GET", "/api/demands/{demand_id}/consortium"): frozenset({422}),
}

# Routes that answer without the database; every other one answers 503 while the database is unreachable.
WITHOUT_DATABASE = frozenset({"/health"})

_WHY = {
    400: "The request is malformed: a parameter or the body does not match its schema, or it holds a NUL.",
    401: "No valid bearer token, or (at login) a wrong email or password.",
    403: "The signed-in account may not do this: the role or the ownership of the object does not allow it.",
    404: "The object named in the path does not exist, or is private to another account.",
    409: "The change conflicts with the object's state or with existing data.",
    413: "The request body is larger than the service accepts.",
    422: "The request is well-formed but breaks a rule of the domain or names an object that does not exist.",
    429: "Too many attempts: wait for the time in the Retry-After header.",
    503: "The database is unreachable for now: try again after the time in the Retry-After header.",
}


class ValidationIssue(msgspec.Struct, frozen=True):
    """One field that failed validation: where it is and what is wrong with it."""

    message: str
    key: str | None = None
    source: str | None = None


class Problem(msgspec.Struct, frozen=True):
    """An RFC 9457 problem: the body of every error answer of the API."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ValidationIssue] | None = None


def _is_public(auth: JWTAuth[Any, Any], handler: HTTPRouteHandler, path: str) -> bool:
    if handler.opt.get(CHECKS_ITS_OWN_TOKEN):
        return False
    if auth.exclude_opt_key and handler.opt.get(auth.exclude_opt_key):
        return True
    patterns = [auth.exclude] if isinstance(auth.exclude, str) else list(auth.exclude or [])
    return any(re.search(pattern, path) for pattern in patterns)


def error_statuses(route: HTTPRoute, method: str, model: KwargsModel, *, public: bool, guarded: bool) -> set[int]:
    """The error statuses the ``method`` handler of ``route`` can answer, read off its parameters."""
    takes_body = "data" in model.expected_reserved_kwargs
    statuses = {400}  # any request can be malformed: a parameter, a body, a NUL character, a foreign Host header
    if route.path_parameters:
        statuses.add(404)
    if takes_body:
        statuses.add(413)
    if not public:
        writes = method in WRITE_METHODS
        statuses.add(401)
        if guarded or ("request" in model.expected_reserved_kwargs and (writes or route.path_parameters)):
            statuses.add(403)
        if writes:
            statuses.add(409)
        if takes_body:
            statuses.add(422)
    if route.path_format not in WITHOUT_DATABASE:
        statuses.add(503)
    statuses |= ANSWERS_BEYOND_SHAPE.get((method, route.path_format), frozenset())
    return statuses


def problem_response(status: int) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=_WHY.get(status, HTTPStatus(status).description),
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )


class ProblemAnswers(ReceiveRoutePlugin):
    """Declares on each API route handler, as it is registered, the problem+json answers it can give; routes the
    bearer token does not guard are marked as needing no credentials (``security: [{}]``)."""

    def __init__(self, auth: JWTAuth[Any, Any]) -> None:
        self.auth = auth

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for method, (handler, model) in route.route_handler_map.items():
            if method == "OPTIONS" or not handler.resolve_include_in_schema():
                continue
            public = _is_public(self.auth, handler, route.path_format)
            statuses = error_statuses(route, method, model, public=public, guarded=bool(handler.resolve_guards()))
            handler.responses = {
                **{status: problem_response(status) for status in statuses},
                **(handler.responses or {}),
            }
            if public:
                handler.security = [{}]
