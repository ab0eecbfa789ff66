"""Browser tests: the real server (uvicorn running the app factory) on a free port over a fresh SQLite database,
driven by Playwright in Debian's Chromium — never a downloaded browser.

The server gets its listening socket from the test (bound to port 0, already listening), so the port is known and
the first request simply waits in the socket's queue until the app has started: no polling, no sleeping. A failed
test leaves a screenshot of every page it had open in ``var/e2e-failures/``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from ocopfair.persistence import create_engine, database_config
from ocopfair.settings import Settings
from tests.e2e.small_fair import seed_small_fair

CHROMIUM = Path(os.environ.get("OCOPFAIR_CHROMIUM", "/usr/bin/chromium"))
FAILURES = Path(__file__).resolve().parents[2] / "var" / "e2e-failures"
FAILED = pytest.StashKey[bool]()
TIMEOUT_MS = 20_000
SECRET = "e2e-secret-key-" + "x" * 32

expect.set_options(timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class LiveServer:
    url: str
    fair_id: UUID
    log: Path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


async def _seed(settings: Settings) -> UUID:
    engine = create_engine(settings)
    try:
        return await seed_small_fair(engine)
    finally:
        await engine.dispose()


def _prepare(settings: Settings) -> UUID:
    """Migrate and seed the database; run in a thread of its own, as Playwright keeps an event loop in this one."""
    AlembicCommands(database_config(settings, create_engine(settings))).upgrade("head")
    return asyncio.run(_seed(settings))


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``ocopfair``'s app under uvicorn, over a migrated SQLite file holding the small fair; one per test module."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite+aiosqlite:///{folder / 'ocopfair.sqlite3'}"
    settings = Settings(database_url=url, secret_key=SECRET, var_dir=folder)
    with ThreadPoolExecutor(max_workers=1) as worker:
        fair_id = worker.submit(_prepare, settings).result()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    environment = {
        **os.environ,
        "OCOPFAIR_DATABASE_URL": url,
        "OCOPFAIR_SECRET_KEY": SECRET,
        "OCOPFAIR_VAR_DIR": str(folder),
        "OCOPFAIR_LOG_LEVEL": "WARNING",
    }
    log = folder / "server.log"
    command = [sys.executable, "-m", "uvicorn", "ocopfair.app:create_app", "--factory", "--fd", str(listener.fileno())]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603  (our own interpreter running our own app)
            [*command, "--log-level", "warning"],
            pass_fds=(listener.fileno(),),
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    listener.close()
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", fair_id, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; ``make test`` installs it when it is missing. One per module: Playwright keeps
    an event loop in the main thread while it runs, which the async tests of other modules must not meet."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (make test does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"] if os.geteuid() == 0 else []
        )
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh browser context (its own cookies: one per person in a test)."""
    pages: list[Page] = []
    problems: list[str] = []

    def open_page(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda message: problems.append(message.text) if _is_problem(message) else None)
        pages.append(page)
        return page

    yield open_page
    failed = request.node.stash.get(FAILED, False)
    if failed:
        FAILURES.mkdir(parents=True, exist_ok=True)
        for index, page in enumerate(pages):
            page.screenshot(path=FAILURES / f"{request.node.name}-{index}.png", full_page=True)
    for page in pages:
        page.context.close()
    if problems and not failed:
        pytest.fail(f"the pages reported problems: {problems}")


def _is_problem(message: ConsoleMessage) -> bool:
    """A script error or a refused resource (a CSP violation, say); a form answered 422 is no problem."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


def sign_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
