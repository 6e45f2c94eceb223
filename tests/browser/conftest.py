"""Browser fixtures: the app served by a real HTTP server on 127.0.0.1, driven by Chromium.

The browser is the system's Chromium (Debian: `apt-get install -y chromium`), never one
downloaded by Playwright. Without it these tests skip and say how to install it, unless
QUIZAPP_REQUIRE_BROWSER is set (CI sets it): there a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, sync_playwright
from werkzeug.serving import make_server

from quizapp.accounts.users import create_user
from quizapp.models import ADMIN, INSTRUCTOR

from .checks import Audit
from .flows import ADMIN_NAME, INSTRUCTOR_NAME, PASSWORD, OpenPage, seed_finished_attempt

CHROMIUM = Path(os.environ.get("QUIZAPP_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the sandbox cannot start when the tests run as root (CI)
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
# Screenshots of the last run, one folder per window size, kept for people (and CI) to look at.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = (
            f"no Chromium at {CHROMIUM}: install it (Debian/Ubuntu: apt-get install -y chromium) "
            "or set QUIZAPP_CHROMIUM to the path of a Chromium binary"
        )
        if os.environ.get("QUIZAPP_REQUIRE_BROWSER"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The test app (fresh SQLite file, small bank) on an ephemeral port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def open_page(chromium: Browser, live_url: str) -> Iterator[OpenPage]:
    """Opens a page in a fresh browser context (own cookies, empty cache).

    Every request is watched, on every page, even one a test does not look at closely:
    an error status from the app, or a request to anywhere but the app, fails the test.
    """
    contexts: list[BrowserContext] = []
    failed: list[str] = []

    def watch_request(request: Request) -> None:
        if not request.url.startswith(live_url + "/"):
            failed.append(f"request outside the app: {request.method} {request.url}")

    def watch_response(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.request.method} {response.url}")

    def open_page(viewport: dict[str, int] = DESKTOP, javascript: bool = True, **options: Any) -> Page:
        context = chromium.new_context(
            base_url=live_url,
            viewport=viewport,
            java_script_enabled=javascript,
            **options,  # type: ignore[arg-type]
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("request", watch_request)
        page.on("response", watch_response)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not failed, "\n".join(failed)


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    return open_page()


@pytest.fixture(params=[PHONE, DESKTOP], ids=lambda size: f"{size['width']}x{size['height']}")
def sized_page(request: pytest.FixtureRequest, open_page: OpenPage) -> Page:
    """A page at phone size, then at desktop size."""
    return open_page(request.param)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Emptied once per run, so no picture from an earlier run passes for a new one."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    return SCREENSHOTS


@pytest.fixture
def audit(sized_page: Page, screenshots: Path) -> Audit:
    size = sized_page.viewport_size
    assert size is not None
    folder = screenshots / f"{size['width']}x{size['height']}"
    folder.mkdir(parents=True, exist_ok=True)
    return Audit(folder)


@pytest.fixture
def instructor_account(app: Flask) -> str:
    with app.app_context():
        create_user(INSTRUCTOR_NAME, PASSWORD, role=INSTRUCTOR)
    return INSTRUCTOR_NAME


@pytest.fixture
def finished_student(app: Flask, instructor_account: str) -> str:
    """A student of the instructor's class who has finished the quiz, entered through the app's own forms."""
    return seed_finished_attempt(app)


@pytest.fixture
def admin_account(app: Flask) -> str:
    with app.app_context():
        create_user(ADMIN_NAME, PASSWORD, role=ADMIN)
    return ADMIN_NAME
