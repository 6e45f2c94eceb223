"""The quiz page stays light for school networks and loads nothing from other sites."""

from __future__ import annotations

import pytest
from playwright.sync_api import Request

from .flows import QUIZ_TITLE, STUDENT_NAME, OpenPage, expect_heading, no_check, register
from .hands import Mouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIMIT = 100 * 1024  # bytes, headers included, for the page and everything it loads


def test_quiz_page_loads_under_100_kb_all_from_the_app(open_page: OpenPage, live_url: str) -> None:
    student = open_page()
    register(student, STUDENT_NAME, no_check, Mouse(student))
    student.get_by_role("link", name=QUIZ_TITLE).click()
    student.get_by_role("button", name="Start the quiz").click()
    expect_heading(student, "Passage 1 of 3")

    # The same student in a browser with an empty cache: the page costs what a first visit costs.
    page = open_page(storage_state=student.context.storage_state())
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(student.url, wait_until="networkidle")
    expect_heading(page, "Passage 1 of 3")

    sizes = {request.url: request.sizes() for request in requests}
    weight = sum(size["responseHeadersSize"] + size["responseBodySize"] for size in sizes.values())
    print(f"quiz page: {len(requests)} requests, {weight} bytes: {sizes}")
    assert [url for url in sizes if not url.startswith(live_url + "/")] == []
    assert any(url.endswith("/static/style.css") for url in sizes)  # the measure includes what the page loads
    assert weight < LIMIT, sizes
