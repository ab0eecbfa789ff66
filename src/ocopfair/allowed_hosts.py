"""Requests only for the service's own host names (``OCOPFAIR_ALLOWED_HOSTS``), refused with a 400 problem otherwise.

A forged Host header must not reach pages and redirects that could echo it (web cache poisoning, links in a
password-reset style email). Litestar's ``AllowedHostsConfig`` would do this, but since 2.22 it compares the header
with its port still attached (litestar-org/litestar#4869: ``fair.example.vn:8000`` is refused for
``fair.example.vn``), and its refusal is not problem+json; this middleware keeps its rules (an exact name, or
``*.example.vn`` for any subdomain, ``*`` for any host) and compares the name without the port.
"""

from __future__ import annotations

import re

import msgspec
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.response.base import ASGIResponse
from litestar.types import ASGIApp, Receive, Scope, Send

from ocopfair.errors import PROBLEM_JSON, problem_body

# A host name or IPv4 address, or an IPv6 address in brackets, then an optional numeric port.
_HOST = re.compile(r"(?P<name>\[[0-9a-fA-F:.]+\]|[^\[\]:/@\s]+)(?::\d{1,5})?")


def host_name(header: str) -> str | None:
    """The name in a Host header, lower case and without the port; None for a malformed header."""
    matched = _HOST.fullmatch(header.strip())
    return matched.group("name").lower().rstrip(".") if matched else None


def host_allowed(name: str, allowed: tuple[str, ...]) -> bool:
    patterns = [pattern.lower() for pattern in allowed]
    return any(p in ("*", name) or (p.startswith("*.") and name.endswith(p[1:])) for p in patterns)


class AllowedHostsMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        header = next((value.decode("latin-1") for key, value in scope["headers"] if key == b"host"), "")
        name = host_name(header)
        if name is not None and host_allowed(name, self.allowed):
            await next_app(scope, receive, send)
            return
        body = problem_body(400, "this service does not answer for that host name", scope["path"])
        await ASGIResponse(body=msgspec.json.encode(body), status_code=400, media_type=PROBLEM_JSON)(
            scope, receive, send
        )
