"""A small fair for the email tests, built through the API: two exhibitors with confirmed booths A-001 and A-002
whose fish sauce together covers a large demand, three buyers (Vietnamese, English, one without an address) with
that demand, stored matches, and one scheduled meeting on 18 December at 08:30 between the first buyer and Lê Gia."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tests.integration.conftest import Account
from tests.integration.factories import (
    Client,
    create_buyer,
    create_demand,
    create_exhibitor,
    create_fair,
    create_product,
    created,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MEETING_DAY = dt.date(2026, 12, 18)
DIGEST_DAY = dt.date(2026, 12, 14)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), ZONE)


@dataclass(frozen=True)
class MailFair:
    id: str
    vi_buyer: str
    en_buyer: str
    silent_buyer: str
    legia: str
    bamboo: str
    meeting: str


async def build_mail_fair(
    client: Client,
    organiser: Account,
    exhibitor: Account,
    other_exhibitor: Account,
    buyer: Account,
    other_buyer: Account,
) -> MailFair:
    sessions = [{"name": "morning", "starts_at": "08:30:00", "ends_at": "10:30:00"}]
    fair = await create_fair(
        client, organiser, meeting_days=[MEETING_DAY.isoformat()], sessions=sessions, slot_minutes=30
    )
    fair_id = str(fair["id"])
    hall = {"code": "A", "name": "Nhà A – Thực phẩm", "rows": 1, "columns": 3, "corner_booths": False}
    await created(client, f"/api/fairs/{fair_id}/booths/layout", organiser, {"halls": [hall]})
    legia = (await create_exhibitor(client, exhibitor))["id"]
    bamboo = (
        await create_exhibitor(
            client, other_exhibitor, name="Công ty Nước mắm Đảo Ngọc", contact_email="ban@daongoc.vn"
        )
    )["id"]
    for exhibitor_id, amount in ((legia, 20), (bamboo, 40)):
        await create_product(
            client,
            exhibitor if exhibitor_id == legia else other_exhibitor,
            exhibitor_id,
            name="Nước mắm cốt truyền thống",
            capacity={"amount": amount, "unit": "t", "per": "month"},
        )
    for code, exhibitor_id in (("A-001", legia), ("A-002", bamboo)):
        answer = await client.put(
            f"/api/fairs/{fair_id}/booths/{code}/assignment",
            json={"exhibitor_id": exhibitor_id},
            headers=organiser.headers,
        )
        assert answer.status_code == 200, answer.text
    assert (await client.post(f"/api/fairs/{fair_id}/allocation/confirm", headers=organiser.headers)).is_success
    vi_buyer = (await create_buyer(client, buyer))["id"]
    en_buyer = (
        await create_buyer(
            client, other_buyer, organisation="Song Hong Hotel", language="en", contact_email="purchasing@songhong.com"
        )
    )["id"]
    silent_buyer = (await create_buyer(client, organiser, organisation="Bếp ăn Hạ Long", contact_email=None))["id"]
    demand = {"fair_id": fair_id, "quantity": {"amount": 50, "unit": "t", "per": "month"}}
    for account, buyer_id in ((buyer, vi_buyer), (other_buyer, en_buyer), (organiser, silent_buyer)):
        await create_demand(client, account, buyer_id, **demand)
    assert (await client.post(f"/api/fairs/{fair_id}/matches/run", headers=organiser.headers)).status_code == 200
    request = await created(
        client, f"/api/fairs/{fair_id}/meeting-requests", buyer, {"buyer_id": vi_buyer, "exhibitor_id": legia}
    )
    accepted = await client.patch(
        f"/api/meeting-requests/{request['id']}", json={"status": "accepted"}, headers=exhibitor.headers
    )
    assert accepted.status_code == 200, accepted.text
    schedule = {"time_limit_s": 5, "suggestions_per_buyer": 0}
    assert (await client.post(f"/api/fairs/{fair_id}/schedule", json=schedule, headers=organiser.headers)).is_success
    meetings = (await client.get(f"/api/fairs/{fair_id}/meetings", headers=organiser.headers)).json()["items"]
    assert len(meetings) == 1, meetings
    fair_status = (await client.get(f"/api/fairs/{fair_id}", headers=organiser.headers)).json()["status"]
    assert fair_status == "allocated"
    return MailFair(fair_id, vi_buyer, en_buyer, silent_buyer, legia, bamboo, meetings[0]["id"])
