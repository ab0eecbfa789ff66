"""Page parameters shared by every list: ``limit`` (1–100, default 20) and ``offset``."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import QueryParameter

from ocopfair.payloads import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class PageRequest(msgspec.Struct, frozen=True):
    limit: int
    offset: int


async def provide_page(
    limit: Annotated[
        int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="page size, at most 100")
    ] = DEFAULT_PAGE_SIZE,
    offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)
