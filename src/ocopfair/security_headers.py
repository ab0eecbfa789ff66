"""The security headers of every answer, pages, API, errors and static files alike.

They are added by a before-send hook, which sees every response the app sends, the error answers and the refusals
of middleware included (a response header set on a router would miss those). Each kind of answer gets the strictest
Content-Security-Policy it can live with: the pages load everything from this site (no CDN, no inline script or
style; htmx's indicator styles are in app.css and its eval is off); the API's JSON loads nothing; the OpenAPI viewers
under ``/schema`` fetch their scripts from a CDN, so they are only kept out of frames. HSTS is sent in production,
which is served over HTTPS only.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from ocopfair.settings import Settings

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_POLICY = "frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(path: str) -> str:
    if path == "/api" or path.startswith("/api/"):
        return API_POLICY
    if path == "/schema" or path.startswith("/schema/"):
        return DOCS_POLICY
    return PAGE_POLICY


def security_headers(settings: Settings) -> BeforeMessageSendHookHandler:
    """The hook that adds the headers to each response's start message."""
    fixed = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if settings.is_production:
        fixed["Strict-Transport-Security"] = HSTS

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in fixed.items():
            headers[name] = value
        headers["Content-Security-Policy"] = content_security_policy(scope["path"])

    return add_headers
