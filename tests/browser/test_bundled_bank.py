"""The bundled question bank in a real browser, at phone size: the quiz list's order and
disclosure, and the starter's Start button in view without scrolling."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE
from .flows import STUDENT_NAME, OpenPage, expect_heading, no_check, register
from .hands import Mouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUNDLED = Path(__file__).resolve().parents[2] / "questions"


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    """The bundled bank instead of the small test bank (overrides the fixture of tests/conftest.py)."""
    target = tmp_path / "questions"
    shutil.copytree(BUNDLED, target)
    return target


@pytest.fixture
def phone(open_page: OpenPage) -> Page:
    return open_page(PHONE)


def test_starter_is_first_and_its_start_button_needs_no_scrolling(phone: Page) -> None:
    register(phone, STUDENT_NAME, no_check, Mouse(phone))
    titles = phone.locator(".quiz-list h2").all_inner_texts()
    assert titles[0].startswith("Start here") and titles[-1].startswith("Mixed practice"), titles
    expect(phone.locator(".disclosure")).to_contain_text("All 5 texts these passages come from present")

    phone.locator(".quiz-list h2 a").first.click()
    expect_heading(phone, "Start here: seven kinds of claim")
    button = phone.get_by_role("button", name="Start the quiz")
    box = button.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], f"the Start button ends at {box['y'] + box['height']}px"
    assert phone.evaluate("window.scrollY") == 0

    phone.screenshot(path=str(Path(__file__).resolve().parents[2] / "artifacts" / "starter-intro-375x812.png"))
    button.click()
    expect(phone.locator(".source-line .presents")).to_contain_text("This text presents the Azerbaijani government")
