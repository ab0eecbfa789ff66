"""A worker serves a match read it has already answered without ranking again, and never once anything the answer
depends on has changed: the demand, its buyer, its fair's weights, its booths, the catalogue (the last three are also
covered, read after read, in ``test_matches.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from tests.integration.conftest import Account
from tests.integration.factories import Body, Client
from tests.integration.test_matches import FAIR, _buyer_with_demand, _post, catalogue

__all__ = ["catalogue"]  # the producers fixture, shared with the matching tests


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


async def _read(client: Client, account: Account, url: str) -> tuple[Body, int]:
    with counted_statements() as statements:
        response = await client.get(url, headers=account.headers)
    assert response.status_code == 200, response.text
    body: Body = response.json()
    return body, len(statements)


async def test_a_repeated_read_is_served_again_until_its_demand_or_buyer_changes(
    client: Client, organiser: Account, buyer_account: Account, catalogue: dict[str, Body]
) -> None:
    fair = await _post(client, "/api/fairs", organiser, FAIR)
    buyer, demand = await _buyer_with_demand(
        client, buyer_account, {"text": "nước mắm", "categories": ["food.condiment"], "fair_id": fair["id"]}
    )
    url = f"/api/demands/{demand['id']}/matches"
    first, ranked = await _read(client, buyer_account, url)
    again, reused = await _read(client, buyer_account, url)
    assert again == first
    assert reused < ranked - 3, (reused, ranked)
    shorter, _ = await _read(client, buyer_account, f"{url}?limit=1")
    assert len(shorter["items"]) == 1 < len(first["items"])

    english = await client.patch(f"/api/buyers/{buyer['id']}", json={"language": "en"}, headers=buyer_account.headers)
    assert english.status_code == 200, english.text
    in_english, _ = await _read(client, buyer_account, url)
    assert [i["product_id"] for i in in_english["items"]] == [i["product_id"] for i in first["items"]]
    assert in_english["items"][0]["reasons"] != first["items"][0]["reasons"]

    stricter = await client.patch(f"/api/demands/{demand['id']}", json={"min_stars": 5}, headers=buyer_account.headers)
    assert stricter.status_code == 200, stricter.text
    five_stars, _ = await _read(client, buyer_account, url)
    assert five_stars["excluded"].get("stars", 0) > first["excluded"].get("stars", 0)
    assert catalogue["legia"]["id"] not in [item["product_id"] for item in five_stars["items"]]
