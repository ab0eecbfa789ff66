"""The journey the fair exists for, in a real browser: a buyer registers and asks, without diacritics, for fish
sauce; Lệ Gia's is among the matches and the buyer asks to meet; Lệ Gia accepts; the organiser allocates the booths,
schedules the meetings and looks at the fair's outbox; the meeting is on the buyer's agenda and its .ics downloads;
the buyer turns the meeting reminders off."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.small_fair import EXHIBITOR, ORGANISER, PASSWORD

BUYER = "thumua@sieuthi-halong.vn"
ORGANISATION = "Siêu thị Hạ Long"
LE_GIA_SAUCE = "Nước mắm Lệ Gia truyền thống"


def register_buyer(page: Page, server: LiveServer) -> None:
    page.goto(server.url)
    page.get_by_role("banner").get_by_role("link", name="Đăng ký tài khoản").click()
    page.get_by_label("Người mua").check()
    page.get_by_label("Tên hiển thị").fill("Phòng thu mua")
    page.get_by_label("Email").fill(BUYER)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", name="Hồ sơ người mua")).to_be_visible()
    page.get_by_label("Tên tổ chức").fill(ORGANISATION)
    page.get_by_label("Loại hình người mua").select_option("retail_chain")
    page.get_by_label("Tỉnh, thành").select_option(label="Quảng Ninh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Nhu cầu của tôi")).to_be_visible()


def post_demand(page: Page) -> None:
    """First with a quantity that breaks the API's rule (the error shows beside it, the text stays), then right."""
    page.get_by_role("link", name="Đăng nhu cầu mới").click()
    page.get_by_label("Bạn cần gì?").fill("nuoc mam truyen thong dong chai")
    quantity = page.get_by_role("group", name="Số lượng")
    quantity.get_by_label("Số lượng").fill("-5")
    quantity.get_by_label("Đơn vị").select_option("l")
    page.get_by_role("button", name="Lưu và tìm nhà cung cấp").click()
    expect(page.locator("#f-quantity-amount-error")).to_have_text("Phải lớn hơn 0.")
    expect(page.get_by_label("Bạn cần gì?")).to_have_value("nuoc mam truyen thong dong chai")
    expect(quantity.get_by_label("Đơn vị")).to_have_value("l")
    quantity.get_by_label("Số lượng").fill("2000")
    page.get_by_role("button", name="Lưu và tìm nhà cung cấp").click()
    expect(page.get_by_role("heading", name="Nhà cung cấp phù hợp")).to_be_visible()


def request_meeting_with_le_gia(page: Page) -> None:
    match = page.locator("li.match").filter(has=page.get_by_role("link", name=LE_GIA_SAUCE))
    expect(match).to_be_visible()
    expect(match.locator("meter").first).to_be_visible()
    match.get_by_role("button", name=re.compile("Đặt lịch gặp")).click()
    expect(match.get_by_role("status")).to_contain_text("Đã gửi yêu cầu gặp")


def accept_request(page: Page, server: LiveServer) -> None:
    sign_in(page, server, EXHIBITOR, PASSWORD)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Yêu cầu gặp").click()
    row = page.get_by_role("row").filter(has_text=ORGANISATION)
    row.get_by_role("button", name=re.compile("Đồng ý")).click()
    expect(row).to_contain_text("Đã đồng ý")


def allocate_and_schedule(page: Page, server: LiveServer) -> None:
    sign_in(page, server, ORGANISER, PASSWORD)
    expect(page.get_by_role("heading", name="Gian hàng", exact=True)).to_be_visible()
    page.get_by_role("link", name="Phân gian hàng").first.click()
    page.get_by_label("Thời gian tính tối đa (giây)").fill("10")
    page.get_by_role("button", name="Chạy phân gian").click()
    report = page.get_by_role("region", name="Kết quả phân gian")
    expect(report).to_contain_text("đơn được xếp gian")
    page.get_by_role("button", name="Xác nhận tất cả gian đang giữ").click()
    expect(page.locator("#alerts")).to_contain_text("Đã xác nhận")
    page.get_by_role("link", name="Xếp lịch gặp").first.click()
    page.get_by_label("Thời gian tính tối đa (giây)").fill("10")
    page.get_by_role("button", name="Chạy xếp lịch").click()
    result = page.get_by_role("region", name="Kết quả xếp lịch")
    expect(result).to_contain_text("cuộc gặp đã xếp")
    expect(page.get_by_role("row").filter(has_text=ORGANISATION).first).to_contain_text("Công ty TNHH Lệ Gia")
    page.get_by_role("navigation", name="Các mục của hội chợ").get_by_role("link", name="Hộp thư đi").click()
    expect(page.get_by_role("heading", name="Hộp thư đi")).to_be_visible()
    expect(page.get_by_role("list", name="Lọc theo trạng thái")).to_contain_text("Gửi lỗi (0)")


def agenda_has_the_meeting(page: Page, tmp_path: Path) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Lịch gặp").click()
    expect(page.locator("ol.agenda")).to_contain_text("Công ty TNHH Lệ Gia")
    with page.expect_download() as download:
        page.get_by_role("link", name="Thêm vào lịch (.ics)").click()
    calendar = tmp_path / "agenda.ics"
    download.value.save_as(calendar)
    text = calendar.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "Lệ Gia" in text
    assert "TZID=Asia/Ho_Chi_Minh" in text


def reminders_turned_off(page: Page) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhận email").click()
    reminders = page.get_by_label("Nhắc lịch trước mỗi cuộc gặp")
    expect(reminders).to_be_checked()
    reminders.uncheck()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#alerts")).to_contain_text("Đã lưu.")
    expect(page.get_by_label("Nhắc lịch trước mỗi cuộc gặp")).not_to_be_checked()
    expect(page.get_by_label("Bản tin gợi ý kết nối hằng ngày")).to_be_checked()


def test_a_buyer_meets_le_gia_at_the_fair(
    live_server: LiveServer, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    buyer = open_page()
    register_buyer(buyer, live_server)
    post_demand(buyer)
    request_meeting_with_le_gia(buyer)

    accept_request(open_page(), live_server)
    allocate_and_schedule(open_page(), live_server)

    agenda_has_the_meeting(buyer, tmp_path)
    reminders_turned_off(buyer)
