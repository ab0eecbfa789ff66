"""The public pages on a phone (375 px): no sideways scrolling, the floor plan zooms to one hall and a tapped booth
opens its panel, the catalogue filters as one types without diacritics, and the language switch is remembered."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer

PHONE = 375


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE, f"the page is {width} px wide on a {PHONE} px screen"


def test_a_phone_taps_a_booth_on_the_plan(live_server: LiveServer, open_page: Callable[..., Page]) -> None:
    page = open_page(PHONE, 800)
    page.goto(live_server.url)
    page.get_by_role("link", name="Xem hội chợ và sơ đồ").click()
    expect(page.get_by_role("heading", name="Sơ đồ gian hàng")).to_be_visible()
    fits_the_screen(page)
    assert page.evaluate("() => typeof window.htmx") == "object"
    page.get_by_label("Nhà", exact=True).select_option("A")
    expect(page).to_have_url(f"{live_server.url}/fairs/{live_server.fair_id}?color=group&hall=A")
    booth = page.locator('a.booth-link[href$="/booths/A-002"]')
    expect(booth).to_be_visible()
    expect(page.locator("a.booth-link[href*='/booths/B-']")).to_have_count(0)
    booth.click()
    expect(page.locator("#booth-panel")).to_contain_text("Gian A-002 · Nhà A – Thực phẩm")
    fits_the_screen(page)
    page.locator('a.booth-link[href$="/booths/A-003"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#booth-panel")).to_contain_text("Gian A-003 · Nhà A – Thực phẩm")


def test_the_catalogue_filters_as_one_types(live_server: LiveServer, open_page: Callable[..., Page]) -> None:
    page = open_page(PHONE, 800)
    page.goto(f"{live_server.url}/products")
    page.get_by_role("searchbox", name="Tìm kiếm").fill("nuoc mam le gia")
    expect(page.locator("#results")).to_contain_text("Nước mắm Lệ Gia truyền thống")
    expect(page).to_have_url(re.compile(r"/products\?q=nuoc(\+|%20)mam(\+|%20)le(\+|%20)gia&"))
    page.get_by_label("Số sao OCOP tối thiểu").select_option("5")
    expect(page.locator("#results")).to_contain_text("Tìm thấy 0 sản phẩm")
    fits_the_screen(page)


def test_the_language_switch_is_remembered(live_server: LiveServer, open_page: Callable[..., Page]) -> None:
    page = open_page()
    page.goto(f"{live_server.url}/products")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="OCOP products")).to_be_visible()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Fairs").click()
    expect(page.get_by_role("heading", name="OCOP trade fairs")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
