"""A class taught live in real browsers: the projector and three students, one of them without JavaScript.

The projector and each student have their own browser context (their own cookies).
Waiting is done by Playwright's expectations with a timeout, never by sleeping:
the pages poll every two seconds, and the machine running the tests is shared.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.models import Answer, User

from ..live.support import answer as answer_through_the_app
from ..live.support import start_session, step
from ..support import Actor
from .checks import Audit, axe_violations, describe_violations
from .conftest import PHONE
from .flows import (
    ANSWERS,
    INSTRUCTOR_NAME,
    PASSWORD,
    QUIZ_TITLE,
    Choice,
    OpenPage,
    answer,
    expect_heading,
    no_check,
    sign_in,
)
from .hands import Mouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1280, "height": 720}  # a classroom projector
STUDENTS = ("ada", "bob", "cara")
CLASS = "Year 9"
SPLIT_WITHIN_S = 3.0  # from an answer's response to the projector showing it
FOLLOW_MS = 10_000  # a page following the class, on a busy machine
# Bob disagrees with the key on the claim type and the evidence, to give the split two sides.
BOB = [Choice("Opinion or judgement", a.speaker, "Yes", "", ("", "", "")) for a in ANSWERS]


@pytest.fixture
def year_nine(app: Flask, instructor_account: str) -> int:
    """The class and its three students, made through the app as data (no browser)."""
    for name in STUDENTS:
        Actor(app.test_client()).register(name, PASSWORD)
    with app.app_context():
        ids = dict(db.session.execute(db.select(User.username, User.id)).all())
        classroom = classrooms.create_classroom(CLASS, created_by_id=ids[INSTRUCTOR_NAME])
        for name in STUDENTS:
            classrooms.join(classroom, ids[name])
        return classroom.id


def signed_in(open_page: OpenPage, name: str, javascript: bool = True, viewport: dict[str, int] = PROJECTOR) -> Page:
    page = open_page(viewport, javascript=javascript)
    sign_in(page, name, no_check)
    expect_heading(page, "Instructor" if name == INSTRUCTOR_NAME else "Quizzes")
    return page


def no_axe_violations(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + "\n".join(describe_violations(violations))


def status_of(page: Page) -> Locator:
    return page.locator("[data-live-part=status]")


def test_a_class_goes_through_three_passages_live(
    open_page: OpenPage, year_nine: int, screenshots: Path, app: Flask
) -> None:
    folder = screenshots / "live"
    folder.mkdir(parents=True, exist_ok=True)
    teacher = signed_in(open_page, INSTRUCTOR_NAME)
    teacher.goto("/instructor/live")
    teacher.get_by_label("Quiz").select_option(label=QUIZ_TITLE)
    teacher.get_by_label("Class").select_option(label=CLASS)
    teacher.get_by_role("button", name="Start the live session").click()
    expect_heading(teacher, f"Live: {QUIZ_TITLE}")
    projector_path = teacher.get_by_role("link", name="Open the projector page").get_attribute("href")
    assert projector_path

    projector = open_page(PROJECTOR, storage_state=teacher.context.storage_state())
    projector.goto(projector_path)
    expect_heading(projector, "Passage 1 of 3")

    ada, bob = signed_in(open_page, "ada"), signed_in(open_page, "bob")
    cara = signed_in(open_page, "cara", javascript=False)
    for student in (ada, bob, cara):
        expect(student.locator(".live-banner")).to_contain_text(f"Your class is live: {CLASS}")
        student.get_by_role("link", name=re.compile("^Join")).click()
        expect_heading(student, "Passage 1 of 3")

    timings = []
    for number in (1, 2, 3):
        where = f"Passage {number} of 3"
        for count, (student, choice) in enumerate(((ada, ANSWERS[number - 1]), (bob, BOB[number - 1])), 1):
            with student.expect_response(lambda r: r.url.endswith("/answer") and r.request.method == "POST"):
                answer(student, choice, Mouse(student))
            answered_at = time.monotonic()
            expect(student.get_by_role("heading", name="Your answer is in")).to_be_visible()
            left_ms = SPLIT_WITHIN_S * 1000 - (time.monotonic() - answered_at) * 1000
            expect(status_of(projector)).to_have_text(
                f"{where} is open. {count} of 3 answered.", timeout=max(left_ms, 1)
            )
            timings.append(time.monotonic() - answered_at)
            assert timings[-1] < SPLIT_WITHIN_S
        answer(cara, ANSWERS[number - 1], Mouse(cara))  # without JavaScript: the form posts and the page reloads
        expect(cara.get_by_role("heading", name="Your answer is in")).to_be_visible()
        expect(status_of(projector)).to_have_text(f"{where} is open. 3 of 3 answered.", timeout=FOLLOW_MS)
        expect(projector.locator(".split-part").first.locator(".number")).to_have_count(7)

        teacher.reload()  # the control page follows by itself too; reloaded here to wait on nothing
        expect(status_of(teacher)).to_contain_text("3 of 3 answered")
        if number == 1:
            expect(status_of(ada)).to_have_text(f"{where}: your answer is in. Wait for your teacher to show the key.")
            for page, name in ((projector, "projector"), (teacher, "control"), (ada, "student-waiting")):
                no_axe_violations(page, name)
            projector.screenshot(path=folder / "projector-before-reveal.png", full_page=True)
            teacher.get_by_label(ANSWERS[0].reason).first.check()  # a reason, shown without its author's name
        teacher.get_by_role("button", name="Reveal the key").click()

        expect(status_of(projector)).to_have_text(f"{where}: the key is shown. 3 of 3 answered.", timeout=FOLLOW_MS)
        expect(projector.locator(".key-mark").first).to_be_visible()
        for student in (ada, bob):
            expect(student.get_by_role("heading", name="The key")).to_be_visible(timeout=FOLLOW_MS)
        expect(ada.locator(".parts .verdict")).to_have_text(list(ANSWERS[number - 1].verdicts))
        cara.get_by_role("button", name="Refresh").click()
        expect(cara.get_by_role("heading", name="The key")).to_be_visible()
        if number == 1:
            expect(projector.get_by_text(ANSWERS[0].reason)).to_be_visible()
            assert "ada" not in projector.locator("main").inner_text()
            projector.screenshot(path=folder / "projector-after-reveal.png", full_page=True)
            for page, name in ((projector, "projector revealed"), (ada, "student key")):
                no_axe_violations(page, name)

        if number < 3:
            teacher.get_by_role("button", name="Next passage").click()
            following = f"Passage {number + 1} of 3"
            expect(projector.get_by_role("heading", level=1)).to_have_text(following, timeout=FOLLOW_MS)
            for student in (ada, bob):
                expect(student.get_by_role("heading", level=1)).to_have_text(following, timeout=FOLLOW_MS)
                expect(status_of(student)).to_have_text(f"{following} is open: answer it now.")
            cara.get_by_role("button", name="Refresh").click()
            expect_heading(cara, following)

    teacher.get_by_role("button", name="End the session").click()
    for page in (projector, ada, bob):
        expect(page.get_by_role("heading", level=1)).to_have_text("The session has ended", timeout=FOLLOW_MS)
    cara.get_by_role("button", name="Refresh").click()
    expect_heading(cara, "The session has ended")
    print("projector showed each answer after (s):", ", ".join(f"{t:.2f}" for t in timings))


@pytest.fixture(params=[PHONE, PROJECTOR], ids=lambda size: f"{size['width']}x{size['height']}")
def size(request: pytest.FixtureRequest) -> dict[str, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def live_audit(size: dict[str, int], screenshots: Path) -> Audit:
    folder = screenshots / f"{size['width']}x{size['height']}"
    folder.mkdir(parents=True, exist_ok=True)
    return Audit(folder)


@pytest.fixture
def session_under_way(app: Flask, year_nine: int) -> tuple[Actor, int, int]:
    """A session at passage 1 with Ada's answer in, driven through the app (no browser):
    (the instructor, the session's id, Ada's answer's id)."""
    teacher, ada = Actor(app.test_client()), Actor(app.test_client())
    teacher.login(INSTRUCTOR_NAME, PASSWORD)
    ada.login("ada", PASSWORD)
    live_id = start_session(app, teacher, year_nine)
    answer_through_the_app(ada, live_id, ("factual", "outlet", "no"), reason=ANSWERS[0].reason)
    with app.app_context():
        answer_id = db.session.scalar(db.select(Answer.id))
    assert answer_id is not None
    return teacher, live_id, answer_id


def test_every_live_page_passes_the_audit(
    open_page: OpenPage, size: dict[str, int], live_audit: Audit, session_under_way: tuple[Actor, int, int]
) -> None:
    teacher_actor, live_id, ada_answer = session_under_way
    teacher = signed_in(open_page, INSTRUCTOR_NAME, viewport=size)
    ada = signed_in(open_page, "ada", viewport=size)
    bob = signed_in(open_page, "bob", viewport=size)
    live_audit(bob, "live-quiz-list-notice")
    pages = [
        (bob, f"/live/{live_id}", "Passage 1 of 3", "live-student-question"),
        (ada, f"/live/{live_id}", "Passage 1 of 3", "live-student-waiting"),
        (teacher, f"/instructor/live/{live_id}", f"Live: {QUIZ_TITLE}", "live-control"),
        (teacher, f"/instructor/live/{live_id}/projector", "Passage 1 of 3", "live-projector"),
        (teacher, "/instructor/live", "Teach live", "live-teach"),
        (bob, "/live", "Join a class session", "live-join"),
    ]
    for page, path, heading, name in pages:
        page.goto(path)
        expect_heading(page, heading)
        live_audit(page, name)
    step(teacher_actor, live_id, "reveal", reasons=[ada_answer])
    for page, path, name in (
        (ada, f"/live/{live_id}", "live-student-key"),
        (bob, f"/live/{live_id}", "live-student-key-unanswered"),
        (teacher, f"/instructor/live/{live_id}", "live-control-revealed"),
        (teacher, f"/instructor/live/{live_id}/projector", "live-projector-revealed"),
    ):
        page.goto(path)
        expect_heading(page, "Passage 1 of 3" if "control" not in name else f"Live: {QUIZ_TITLE}")
        live_audit(page, name)
        assert page.evaluate(SMALLEST_TEXT_PX) >= 12, name
    assert not live_audit.problems, live_audit.report()
    assert not live_audit.minor, "\n".join(live_audit.minor)  # axe-clean, whatever the impact


# The smallest font size of any element with text of its own, in CSS pixels.
SMALLEST_TEXT_PX = """() => Math.min(...[...document.body.querySelectorAll('*')]
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && el.checkVisibility())
  .map((el) => parseFloat(getComputedStyle(el).fontSize)))"""

# WCAG's enhanced contrast (AAA, 7:1), which axe runs only when asked for by name.
ENHANCED_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}


def test_the_projector_reads_from_the_back_of_the_room(
    open_page: OpenPage, session_under_way: tuple[Actor, int, int]
) -> None:
    teacher_actor, live_id, ada_answer = session_under_way
    step(teacher_actor, live_id, "reveal", reasons=[ada_answer])
    projector = signed_in(open_page, INSTRUCTOR_NAME)
    projector.goto(f"/instructor/live/{live_id}/projector")
    expect_heading(projector, "Passage 1 of 3")
    passage_px = projector.locator(".passage").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert passage_px >= 28
    assert projector.evaluate(SMALLEST_TEXT_PX) >= 16
    contrast = Axe().run(projector, options=ENHANCED_CONTRAST).response["violations"]
    assert contrast == [], describe_violations(contrast)
    # Each bar's number and share are written beside it, and the key is marked in words.
    first = projector.locator(".split-part").first.get_by_role("row").filter(has_text="Factual claim")
    expect(first).to_contain_text("1")
    expect(first).to_contain_text("100%")
    expect(first).to_contain_text("✓ key")
