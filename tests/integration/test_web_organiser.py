"""The organiser's pages: the dashboard's charts, the allocation run with its report and coloured plan, locking a
booth from its panel, the matching and scheduling runs — the API's own runs, in the page's request."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import Account
from tests.integration.factories import Client, create_demand, read
from tests.integration.pages import PageFair, body, field_error, page_fair, sign_in, submit


@pytest.fixture
async def fair(client: Client, organiser: Account, exhibitor_account: Account, buyer_account: Account) -> PageFair:
    made = await page_fair(client, organiser, exhibitor_account, buyer_account)
    await sign_in(client, organiser.email)
    return made


async def booth(client: Client, organiser: Account, fair: PageFair, code: str) -> dict[str, object]:
    booths = (await read(client, organiser, f"/api/fairs/{fair.id}/booths"))["items"]
    found: dict[str, object] = next(b for b in booths if b["code"] == code)
    return found


async def test_the_dashboard_charts_the_fair(client: Client, fair: PageFair) -> None:
    assert (await client.get("/organiser", follow_redirects=False)).headers["location"] == f"/organiser/fairs/{fair.id}"
    html = body(await client.get(f"/organiser/fairs/{fair.id}"))
    charts = re.findall(r'<svg [^>]*role="img" aria-label="([^"]*)"', html)
    assert len(charts) == 5
    assert charts[0] == "Gian hàng: Đã xác nhận 0; Đang giữ 0; Trống 6"
    assert "Đã gửi 1" in charts[1]
    assert charts[4] == "Email gửi đi: Đã gửi 0; Chờ gửi 0; Gửi lỗi 0"


async def test_allocation_runs_reports_and_confirms(client: Client, fair: PageFair, organiser: Account) -> None:
    ran = await submit(
        client, f"/organiser/fairs/{fair.id}/allocation/run", {"time_limit_s": "5"}, htmx="allocation-result"
    )
    html = body(ran)
    assert "<html" not in html
    assert re.search(r'<p class="big">1 / 1</p>', html)
    assert 'data-status="held"' in html
    assert (await booth(client, organiser, fair, "A-001"))["status"] in ("held", "available")
    confirmed = await submit(client, f"/organiser/fairs/{fair.id}/allocation/confirm")
    assert confirmed.headers["location"] == f"/organiser/fairs/{fair.id}/allocation"
    assert "Đã xác nhận 1 gian." in body(await client.get(confirmed.headers["location"]))
    booths = (await read(client, organiser, f"/api/fairs/{fair.id}/booths", status="confirmed"))["items"]
    assert [b["exhibitor_id"] for b in booths] == [fair.exhibitor]


async def test_allocation_form_errors_show_beside_the_field(client: Client, fair: PageFair) -> None:
    refused = await submit(client, f"/organiser/fairs/{fair.id}/allocation/run", {"time_limit_s": "500"})
    assert refused.status_code == 422
    assert field_error(body(refused), "time_limit_s") == "Không được lớn hơn 120."


async def test_a_booth_is_locked_and_released_from_its_panel(
    client: Client, fair: PageFair, organiser: Account
) -> None:
    url = f"/organiser/fairs/{fair.id}/booths/A-003"
    panel = body(await client.get(url, headers={"hx-request": "true", "hx-target": "booth-panel"}))
    assert "HTX Nước mắm Lê Gia" in panel
    held = await submit(
        client, f"{url}/assignment", {"exhibitor_id": fair.exhibitor, "locked": "true"}, htmx="booth-panel"
    )
    assert held.status_code == 200
    assert held.headers["hx-trigger"] == "plan-changed"
    assert "đã khóa" in held.text
    assert (await booth(client, organiser, fair, "A-003"))["locked"] is True
    wrong = await submit(client, f"{url}/assignment", {"exhibitor_id": "not-an-id"}, htmx="booth-panel")
    assert wrong.status_code == 422
    assert "Lựa chọn không hợp lệ." in wrong.text
    released = await submit(client, f"{url}/assignment", {"action": "release"}, htmx="booth-panel")
    assert "Gian hàng còn trống." in released.text
    assert (await booth(client, organiser, fair, "A-003"))["status"] == "available"


async def test_matching_and_scheduling_run_from_the_pages(
    client: Client, fair: PageFair, organiser: Account, exhibitor_account: Account, buyer_account: Account
) -> None:
    await create_demand(client, buyer_account, fair.buyer, fair_id=fair.id)
    matched = await submit(client, f"/organiser/fairs/{fair.id}/matches/run")
    assert "Đã tính gợi ý cho 1 nhu cầu" in body(await client.get(matched.headers["location"]))
    assign = {"exhibitor_id": fair.exhibitor}
    assert (
        await client.put(f"/api/fairs/{fair.id}/booths/A-001/assignment", json=assign, headers=organiser.headers)
    ).is_success
    assert (await client.post(f"/api/fairs/{fair.id}/allocation/confirm", headers=organiser.headers)).is_success
    asked = {"buyer_id": fair.buyer, "exhibitor_id": fair.exhibitor}
    made = await client.post(f"/api/fairs/{fair.id}/meeting-requests", json=asked, headers=buyer_account.headers)
    accepted = {"status": "accepted"}
    await client.patch(f"/api/meeting-requests/{made.json()['id']}", json=accepted, headers=exhibitor_account.headers)
    form = {"time_limit_s": "5", "keep_existing": "true", "suggestions_per_buyer": "0"}
    ran = body(await submit(client, f"/organiser/fairs/{fair.id}/schedule/run", form, htmx="schedule-result"))
    assert re.search(r'<p class="big">1</p><p>cuộc gặp đã xếp</p>', ran)
    assert "Siêu thị Bách Hóa Xanh" in ran
    meetings = (await read(client, organiser, f"/api/fairs/{fair.id}/meetings"))["items"]
    assert [(m["booth_code"], m["kind"]) for m in meetings] == [("A-001", "requested")]
    await sign_in(client, exhibitor_account.email)
    assert "Siêu thị Bách Hóa Xanh" in body(await client.get("/exhibitor/agenda?day=2026-12-18"))
    assert "BEGIN:VEVENT" in (await client.get(f"/exhibitor/agenda.ics?fair={fair.id}")).text


async def test_the_scheduler_says_what_is_missing(client: Client, organiser: Account, fair: PageFair) -> None:
    await client.patch(f"/api/fairs/{fair.id}", json={"meeting_days": []}, headers=organiser.headers)
    refused = await submit(client, f"/organiser/fairs/{fair.id}/schedule/run", {"time_limit_s": "5"})
    assert refused.status_code == 422
    assert "Hội chợ chưa có khung giờ gặp" in body(refused)
