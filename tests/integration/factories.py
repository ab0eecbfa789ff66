"""Payloads and creation helpers shared by the integration tests of accounts, catalogue, buyers and permissions."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.integration.conftest import Account

Client = AsyncTestClient[Litestar]
Body = dict[str, Any]

LAYOUT: Body = {"halls": [{"code": "A", "name": "Thực phẩm", "rows": 2, "columns": 3, "zones": ["food"]}]}


def exhibitor_payload(**overrides: Any) -> Body:
    return {
        "name": "HTX Nước mắm Lê Gia",
        "kind": "cooperative",
        "province_code": "Thanh Hóa",
        "district": "Hậu Lộc",
        "contact_email": "lienhe@legia.vn",
        "phone": "+84 237 386 1234",
        "description": "Nước mắm truyền thống ủ chượp 12 tháng",
        **overrides,
    }


def product_payload(**overrides: Any) -> Body:
    return {"name": "Nước mắm cốt Lê Gia", "category": "food.condiment", "stars": 4, **overrides}


def buyer_payload(**overrides: Any) -> Body:
    return {
        "organisation": "Siêu thị Bách Hóa Xanh",
        "buyer_type": "retail_chain",
        "country_code": "VN",
        "province_code": "Hồ Chí Minh",
        "contact_email": "thumua@bhx.vn",
        "phone": "028 3812 3456",
        **overrides,
    }


def demand_payload(**overrides: Any) -> Body:
    return {
        "text": "Cần nước mắm truyền thống đóng chai 500ml",
        "categories": ["food.condiment"],
        "quantity": {"amount": 2, "unit": "t", "per": "month"},
        **overrides,
    }


def fair_payload(**overrides: Any) -> Body:
    return {
        "name": "Hội chợ OCOP Thanh Hóa 2026",
        "venue": "Quảng trường Lam Sơn",
        "host_province_code": "thanh_hoa",
        "starts_on": "2026-12-17",
        "ends_on": "2026-12-20",
        **overrides,
    }


async def created(client: Client, url: str, account: Account, body: Body) -> Body:
    """POST ``body`` as ``account`` and return the 201 answer."""
    response = await client.post(url, json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    answer: Body = response.json()
    return answer


async def create_exhibitor(client: Client, account: Account, **overrides: Any) -> Body:
    return await created(client, "/api/exhibitors", account, exhibitor_payload(**overrides))


async def create_product(client: Client, account: Account, exhibitor_id: str, **overrides: Any) -> Body:
    return await created(client, f"/api/exhibitors/{exhibitor_id}/products", account, product_payload(**overrides))


async def create_buyer(client: Client, account: Account, **overrides: Any) -> Body:
    return await created(client, "/api/buyers", account, buyer_payload(**overrides))


async def create_demand(client: Client, account: Account, buyer_id: str, **overrides: Any) -> Body:
    return await created(client, f"/api/buyers/{buyer_id}/demands", account, demand_payload(**overrides))


async def create_fair(client: Client, organiser: Account, **overrides: Any) -> Body:
    return await created(client, "/api/fairs", organiser, fair_payload(**overrides))


async def read(client: Client, account: Account, url: str, **params: Any) -> Body:
    """GET ``url`` as ``account`` and return the 200 answer."""
    response = await client.get(url, params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    answer: Body = response.json()
    return answer


async def total(client: Client, account: Account, url: str, **params: Any) -> int:
    """The ``total`` of a list endpoint as seen by ``account``."""
    return int((await read(client, account, url, **params))["total"])
