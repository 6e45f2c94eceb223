"""A new student in a real browser: registers, takes the whole quiz, reads feedback, opens results."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .checks import Audit, focus_problem
from .flows import QUESTIONS, QUIZ_TITLE, STUDENT_NAME, OpenPage, expect_heading, no_check, register, student_takes_quiz
from .hands import Keyboard, Mouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_new_student_takes_whole_quiz_and_every_page_passes_the_audit(sized_page: Page, audit: Audit) -> None:
    student_takes_quiz(sized_page, audit)
    assert "feedback-3" in audit.visited and "my-results" in audit.visited
    assert not audit.problems, audit.report()
    print("axe, below serious:", audit.minor or "none")


def test_whole_quiz_with_the_keyboard_alone(page: Page) -> None:
    """Tab to each control, arrows and Space to choose, Enter to press; focus shows at every stop."""
    student_takes_quiz(page, hands=Keyboard(page))


def test_skip_link_leads_past_the_menu_to_the_first_question(page: Page) -> None:
    register(page, STUDENT_NAME, no_check, Mouse(page))
    page.get_by_role("link", name=QUIZ_TITLE).click()
    page.get_by_role("button", name="Start the quiz").click()
    expect_heading(page, "Passage 1 of 3")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert focus_problem(page) == ""  # on screen and outlined while focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the one link between the passage and the questions
    expect(page.get_by_role("link", name="Read it in the source")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("group", name=QUESTIONS[0]).get_by_role("radio").first).to_be_focused()


def test_whole_quiz_without_javascript(open_page: OpenPage) -> None:
    page = open_page(javascript=False)
    page.set_content("<title>before</title><script>document.title = 'script ran'</script>")
    assert page.title() == "before"
    student_takes_quiz(page)
