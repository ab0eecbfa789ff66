"""Text with a NUL character is refused before any API handler runs, with the same 400 on every database.

PostgreSQL can neither store nor compare U+0000 (asyncpg calls it an invalid byte sequence), so a NUL in a name or
a search term failed deep in a query: a 500 for ``GET /api/exhibitors?q=a%00b``, a misleading 409 for a new
exhibitor named ``"Lê\\u0000Gia"``; SQLite stored the same name happily. No name, description, code or search term
needs one, so a NUL anywhere in the path, the query string, a JSON body or a page's form is refused outright.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from ocopfair.errors import BadRequest

NUL = "\x00"
_ESCAPED_NUL = b"\\u0000"  # the only way a JSON text can carry one


def holds_nul(value: Any) -> bool:
    """Whether a decoded JSON value has a NUL in any string, key or value, at any depth."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


async def refuse_nul_characters(request: Request[Any, Any, Any]) -> None:
    """A ``before_request`` hook (the pages' own hook calls it first): 400 for a NUL in the path, a query
    parameter, a JSON body or a page's form."""
    query = request.query_params
    if NUL in request.scope["path"] or any(NUL in key or NUL in value for key, value in query.items()):
        raise BadRequest("text may not contain NUL characters (U+0000)")
    if request.method not in {"POST", "PUT", "PATCH"}:
        return
    if request.content_type[0] == "application/x-www-form-urlencoded":
        # A page's form: a NUL is sent as %00 (a typed "%00" arrives as %2500), so the raw body tells.
        if b"%00" in await request.body():
            raise BadRequest("text may not contain NUL characters (U+0000)")
        return
    if request.content_type[0] == "application/json":
        body = await request.body()
        if _ESCAPED_NUL in body:
            try:
                decoded = msgspec.json.decode(body)
            except msgspec.DecodeError:
                return  # malformed JSON: the handler's own decoding answers it
            if holds_nul(decoded):
                raise BadRequest("text may not contain NUL characters (U+0000)")
