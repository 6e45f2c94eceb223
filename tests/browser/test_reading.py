"""Reading a passage in context, in a real browser: its source with the passage marked (with
JavaScript and without), the cue words on feedback, the summary's passages to look at again,
the last score on the quiz list, and a long reason on the teacher's page of a student.

Every page here is audited (axe, labels, focus, no sideways scroll) and photographed at
375x812 and 1280x800, and its smallest text must be at least 12 CSS pixels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .checks import Audit
from .conftest import DESKTOP, PHONE
from .flows import ADMIN_NAME, INSTRUCTOR_NAME, PASSWORD, STUDENT_NAME, OpenPage, expect_heading, no_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=lambda size: f"{size['width']}x{size['height']}")
LONG_REASON = "https://example.org/" + "a" * 1980  # 2,000 characters and nowhere to break a line


def audited(page: Page, screenshots: Path, name: str) -> list[str]:
    """Audit the page as shown (its smallest text included); what is wrong (empty: fine)."""
    size = page.viewport_size
    assert size is not None
    folder = screenshots / f"{size['width']}x{size['height']}"
    folder.mkdir(parents=True, exist_ok=True)
    audit = Audit(folder)
    audit(page, name)
    return audit.problems


def student_at_passage_two(app: Flask) -> int:
    """A student has answered the first passage through the app's forms; returns the attempt."""
    student = Actor(app.test_client())
    student.register(STUDENT_NAME, PASSWORD)
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    return attempt


def student_finished(app: Flask) -> int:
    """A student has finished the quiz with one part wrong and one half right; returns the attempt."""
    student = Actor(app.test_client())
    student.register(STUDENT_NAME, PASSWORD)
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.answer(attempt, "factual", "mayor", "no")  # half credit on the claim type
    student.answer(attempt, "factual", "outlet", "yes", reason=LONG_REASON)  # the speaker does not match
    return attempt


def expect_marked_pieces(page: Page) -> None:
    """The second passage leaves words out: two marks, the first where the view starts."""
    pieces = page.locator("article.source-text mark")
    expect(pieces).to_have_count(2)
    expect(pieces.nth(0)).to_contain_text('"The bridge is a disgrace')
    expect(pieces.nth(1)).to_contain_text("said Mayor Ana Reyes.")
    expect(page.locator("#quoted-passage")).to_be_in_viewport()
    # A <mark> is silent to most screen readers: they hear where each piece starts and ends.
    expect(pieces.nth(0).locator(".visually-hidden")).to_have_text(
        ["[Start of the quoted passage, part 1 of 2]", "[End of part 1 of 2]"]
    )


@SIZES
def test_the_passage_in_its_source_without_javascript(app: Flask, open_page: OpenPage, size: dict[str, int]) -> None:
    """The link leads to a page of its own that opens at the passage. (No audit here: axe runs
    as a script; the same page is audited below with JavaScript on.)"""
    attempt = student_at_passage_two(app)
    page = open_page(size, javascript=False)
    sign_in(page, STUDENT_NAME, no_check)
    page.goto(f"/attempts/{attempt}")
    expect_heading(page, "Passage 2 of 3")
    page.get_by_role("link", name="Read it in the source").click()
    expect_heading(page, "The passage in its source")
    assert page.url.endswith("#quoted-passage")
    expect_marked_pieces(page)
    expect(page.get_by_role("region", name="Council Votes to Close the Old Bridge")).to_contain_text(
        "The Daily Example"
    )
    page.get_by_role("link", name="Back to the question").click()
    expect_heading(page, "Passage 2 of 3")


@SIZES
def test_the_passage_in_its_source_as_a_page_passes_the_audit(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int]
) -> None:
    attempt = student_at_passage_two(app)
    page = open_page(size)
    sign_in(page, STUDENT_NAME, no_check)
    page.goto(f"/attempts/{attempt}")
    href = page.get_by_role("link", name="Read it in the source").get_attribute("href")
    assert href is not None
    page.goto(href)  # as a new tab opens it, or a browser without the dialog
    expect_heading(page, "The passage in its source")
    expect_marked_pieces(page)
    problems = audited(page, screenshots, "passage-in-source")
    assert not problems, "\n".join(problems)


@SIZES
def test_the_passage_in_its_source_opens_in_place_with_javascript(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int]
) -> None:
    """A dialog over the question: the choice made before opening it is still there after."""
    attempt = student_at_passage_two(app)
    page = open_page(size)
    sign_in(page, STUDENT_NAME, no_check)
    page.goto(f"/attempts/{attempt}")
    expect_heading(page, "Passage 2 of 3")
    question = page.url
    chosen = page.get_by_role("group", name="1. What kind of claim is this?").get_by_label("Opinion or judgement")
    chosen.check()
    link = page.get_by_role("link", name="Read it in the source")
    link.click()
    dialog = page.get_by_role("dialog", name="The passage in its source")
    expect(dialog).to_be_visible()
    assert page.url == question  # no page was left
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    marked = dialog.locator("article.source-text mark")
    expect(marked).to_have_count(2)
    expect(dialog.locator("#quoted-passage")).to_be_in_viewport()
    problems = audited(page, screenshots, "passage-in-source-dialog")
    assert not problems, "\n".join(problems)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()
    expect(chosen).to_be_checked()


def test_the_dialog_falls_back_to_the_page_when_it_cannot_load(app: Flask, open_page: OpenPage) -> None:
    attempt = student_at_passage_two(app)
    page = open_page()
    sign_in(page, STUDENT_NAME, no_check)
    page.goto(f"/attempts/{attempt}")
    page.route("**/passages/**", lambda route: route.fulfill(status=200, body="<p>not the page</p>"), times=1)
    page.get_by_role("link", name="Read it in the source").click()
    expect_heading(page, "The passage in its source")  # followed the link instead
    expect_marked_pieces(page)


@SIZES
def test_feedback_marks_the_cue_words_part_by_part(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int]
) -> None:
    student = Actor(app.test_client())
    student.register(STUDENT_NAME, PASSWORD)
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.answer(attempt, *RIGHT[1])
    page = open_page(size)
    sign_in(page, STUDENT_NAME, no_check)
    page.goto(f"/attempts/{attempt}")
    for legend, label in (
        ("1. What kind of claim is this?", "Factual claim"),
        ("2. Who is making the claim?", "The Daily Example, in its own voice"),
        ("3. Does the passage itself offer evidence for its claim?", "Yes"),
    ):
        page.get_by_role("group", name=legend).get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Submit answer").click()
    expect_heading(page, "How you did")
    expect(page.get_by_text("The Old Bridge · Passage 3 of 3")).to_be_visible()
    passage = page.locator("blockquote.passage")
    # Each part in its own underline style and with its number, not by colour alone.
    styles = passage.locator("mark.cue").evaluate_all(
        "marks => marks.map(m => [m.textContent, getComputedStyle(m).textDecorationStyle,"
        " m.nextElementSibling.textContent])"
    )
    assert styles == [
        ["Engineers' reports", "dotted", "3"],
        ["cracks in three of the bridge's five supports", "solid", "1"],
        ["the council said", "double", "2"],
    ]
    legend = page.get_by_role("list", name="Words in the passage that point to the key:")
    expect(legend.get_by_role("listitem")).to_have_text(
        [
            "1 Claim type (solid underline): cracks in three of the bridge's five supports",
            "2 Speaker (double underline): the council said",
            "3 Evidence (dotted underline): Engineers' reports",
        ]
    )
    expect(page.get_by_role("row", name="Speaker")).to_contain_text(
        "as quoted or summarised by The Daily Example, in its own voice"
    )
    problems = audited(page, screenshots, "feedback-with-cues")
    assert not problems, "\n".join(problems)


@SIZES
def test_the_summary_lists_the_passages_to_look_at_again(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int]
) -> None:
    attempt = student_finished(app)
    page = open_page(size)
    sign_in(page, STUDENT_NAME, no_check)
    page.goto(f"/attempts/{attempt}/summary")
    expect_heading(page, "Results: The Old Bridge")
    to_review = page.get_by_role("list", name="Passages to look at again (2)")
    expect(to_review.get_by_role("link")).to_have_text(["Passage 2", "Passage 3"])
    every = page.locator("details.every-passage")
    expect(every.locator("section.card").first).to_be_hidden()  # folded until asked for
    problems = audited(page, screenshots, "summary-to-review")
    every.locator("summary").click()
    expect(every.locator("section.card")).to_have_count(3)
    expect(every.locator("section.card").first).to_be_visible()
    problems += audited(page, screenshots, "summary-every-passage")
    assert not problems, "\n".join(problems)
    to_review.get_by_role("link", name="Passage 3").click()
    expect_heading(page, "How you did")
    expect(page.get_by_text("Passage 3 of 3")).to_be_visible()


@SIZES
def test_the_quiz_list_shows_the_last_score(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int]
) -> None:
    student_finished(app)
    page = open_page(size)
    sign_in(page, STUDENT_NAME, no_check)
    expect_heading(page, "Quizzes")
    expect(page.locator(".quiz-list .last-score")).to_contain_text("Last score: 7.5 of 9 points (83%).")
    problems = audited(page, screenshots, "quizzes-last-score")
    assert not problems, "\n".join(problems)


@SIZES
def test_a_long_unbroken_reason_wraps_on_the_teachers_page(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int], admin_account: str
) -> None:
    """Sideways scroll, axe and focus only: this page's chart text is left to the phone-layout work."""
    student_finished(app)
    page = open_page(size)
    sign_in(page, ADMIN_NAME, no_check)  # the student is in no class: an admin sees them
    page.goto("/instructor/quizzes/bridge/students")
    page.get_by_role("link", name=STUDENT_NAME, exact=True).click()
    expect_heading(page, f"Student {STUDENT_NAME}")
    reason = page.get_by_role("cell", name=LONG_REASON[:40])
    expect(reason).to_be_visible()
    region = page.get_by_role("region", name="Every answer")
    fits = region.evaluate("el => el.scrollWidth <= el.clientWidth")
    if size == DESKTOP:
        assert fits, "the answers table is wider than its column"
    size_folder = screenshots / f"{size['width']}x{size['height']}"
    size_folder.mkdir(parents=True, exist_ok=True)
    audit = Audit(size_folder)
    audit(page, "student-long-reason")
    assert not audit.problems, audit.report()


@SIZES
def test_the_other_pages_this_work_changed_pass_the_audit_with_text_of_12px_or_more(
    app: Flask, open_page: OpenPage, screenshots: Path, size: dict[str, int], instructor_account: str
) -> None:
    """Pages with a new note, link, time or field: sign-in when sent there, a quiz's intro,
    the question page, a student's answers, classes, the Question bank and its preview."""
    attempt = student_at_passage_two(app)
    problems: list[str] = []
    student = open_page(size)
    student.goto("/results/answers")
    expect(student.get_by_text("Please sign in to see that page.")).to_be_visible()
    problems += audited(student, screenshots, "sign-in-when-sent")
    sign_in(student, STUDENT_NAME, no_check)
    for path, heading, name in (
        ("/quizzes/bridge", "The Old Bridge", "quiz-intro-with-times"),
        (f"/attempts/{attempt}", "Passage 2 of 3", "question-with-definitions-folded"),
        ("/results/answers", "My answers", "my-answers-with-cues"),
    ):
        student.goto(path)
        expect_heading(student, heading)
        problems += audited(student, screenshots, name)
    teacher = open_page(size)
    sign_in(teacher, INSTRUCTOR_NAME, no_check)
    teacher.goto("/instructor/classes")
    teacher.get_by_label("Name").fill("Media Literacy 9B")
    teacher.get_by_role("button", name="Create class").click()
    for path, heading, name in (
        ("/instructor/classes", "Classes", "classes-with-days"),
        ("/instructor/bank", "Question bank", "question-bank-with-times"),
        ("/instructor/bank/quizzes/bridge", "Preview: The Old Bridge", "preview-with-cues"),
    ):
        teacher.goto(path)
        expect_heading(teacher, heading)
        problems += audited(teacher, screenshots, name)
    assert not problems, "\n".join(problems)
