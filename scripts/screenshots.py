"""Screenshots of the main web pages, at a phone's width (375 px) and a desktop's (1280 px), for the README.

Loads the demo fair into a fresh SQLite database in a temporary folder, serves it with uvicorn on a free port and
photographs the pages with Playwright driving Debian's Chromium (``apt-get install chromium``; no browser download).

Usage: .venv/bin/python scripts/screenshots.py [--out docs/screens] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = "ocopfair-demo"
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


@dataclass(frozen=True)
class Shot:
    name: str
    account: str | None
    visit: Callable[[Page, str], None]


def _goto(path: str) -> Callable[[Page, str], None]:
    def visit(page: Page, base: str) -> None:
        page.goto(base + path)

    return visit


def _fair(page: Page, base: str) -> None:
    page.goto(base)
    page.get_by_role("link", name="Xem hội chợ và sơ đồ").click()
    if page.viewport_size and page.viewport_size["width"] < 600:
        page.get_by_label("Nhà", exact=True).select_option("A")
        page.wait_for_url("**hall=A")
    page.locator('a.booth-link[aria-label*="Lệ Gia"]').first.click()
    page.locator("#booth-panel h3").wait_for()
    if page.viewport_size and page.viewport_size["width"] < 600:
        page.evaluate("() => document.getElementById('plan-heading').scrollIntoView()")


def _matches(page: Page, base: str) -> None:
    page.goto(f"{base}/buyer")
    page.get_by_role("link", name="Xem nhà cung cấp phù hợp").first.click()
    page.locator("li.match").first.wait_for()


def _allocation(page: Page, base: str) -> None:
    page.goto(f"{base}/organiser")
    page.get_by_role("link", name="Phân gian hàng").first.click()
    page.locator("svg.floorplan").wait_for()


def _schedule(page: Page, base: str) -> None:
    page.goto(f"{base}/organiser")
    page.get_by_role("link", name="Xếp lịch gặp").first.click()


def _outbox(page: Page, base: str) -> None:
    """Today's digests sent through the API first (the first call writes them; the relay sends them), so the
    outbox has emails to show."""
    token = page.request.post(
        f"{base}/api/auth/login", data={"email": "organiser@ocopfair.vn", "password": PASSWORD}
    ).json()["access_token"]
    fair = page.request.get(f"{base}/api/fairs", headers={"Authorization": f"Bearer {token}"}).json()["items"][0]
    page.request.post(f"{base}/api/fairs/{fair['id']}/digests/send", headers={"Authorization": f"Bearer {token}"})
    page.goto(f"{base}/organiser/fairs/{fair['id']}/outbox")


SHOTS = (
    Shot("home", None, _goto("/")),
    Shot("fair-plan", None, _fair),
    Shot("catalogue", None, _goto("/products?q=nuoc+mam")),
    Shot("buyer-matches", "buyer@ocopfair.vn", _matches),
    Shot("buyer-demand-form", "buyer@ocopfair.vn", _goto("/buyer/demands/new")),
    Shot("buyer-agenda", "buyer@ocopfair.vn", _goto("/buyer/agenda")),
    Shot("buyer-emails", "buyer@ocopfair.vn", _goto("/buyer/emails")),
    Shot("exhibitor-products", "legia@ocopfair.vn", _goto("/exhibitor")),
    Shot("exhibitor-requests", "legia@ocopfair.vn", _goto("/exhibitor/requests")),
    Shot("organiser-dashboard", "organiser@ocopfair.vn", _goto("/organiser")),
    Shot("organiser-allocation", "organiser@ocopfair.vn", _allocation),
    Shot("organiser-schedule", "organiser@ocopfair.vn", _schedule),
    Shot("organiser-outbox", "organiser@ocopfair.vn", _outbox),
)


def _prepare(folder: Path) -> dict[str, str]:
    environment = {**os.environ, "OCOPFAIR_VAR_DIR": str(folder), "OCOPFAIR_LOG_LEVEL": "WARNING"}
    command = str(Path(sys.executable).with_name("ocopfair"))
    for step in (["database", "upgrade"], ["seed", "demo"]):
        subprocess.run([command, *step], env=environment, check=True, stdout=subprocess.DEVNULL)
    return environment


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("button", name="Đăng xuất").wait_for()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screens"))
    parser.add_argument("--chromium", type=Path, default=Path("/usr/bin/chromium"))
    args = parser.parse_args()
    if not args.chromium.exists():
        print(f"error: {args.chromium} is missing (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        environment = _prepare(Path(folder))
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "ocopfair.app:create_app",
                "--factory",
                "--fd",
                str(listener.fileno()),
                "--log-level",
                "warning",
            ],
            pass_fds=(listener.fileno(),),
            env=environment,
        )
        listener.close()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(args.chromium), args=["--no-sandbox"] if os.geteuid() == 0 else []
                )
                for shot in SHOTS:
                    for label, (width, height) in WIDTHS.items():
                        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
                        if shot.account:
                            _sign_in(page, base, shot.account)
                        shot.visit(page, base)
                        page.screenshot(path=args.out / f"{shot.name}-{label}.png")
                        print(args.out / f"{shot.name}-{label}.png")
                        page.context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
