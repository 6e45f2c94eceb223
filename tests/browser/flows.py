"""What people do in the app, step by step, as a browser user does it.

Each flow calls `visit(page, name)` on every page it arrives at, so one flow serves
several tests: the accessibility audit, the screenshots, the phone-width check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.models import User

from ..support import Actor, csrf_token
from .hands import Hands, Mouse

Visit = Callable[[Page, str], None]
OpenPage = Callable[..., Page]  # the open_page fixture: a new page in a fresh browser context


def no_check(page: Page, name: str) -> None:
    """A visit that only passes through."""


PASSWORD = "correct horse battery"
STUDENT_NAME = "ada"
INSTRUCTOR_NAME = "teacher"
ADMIN_NAME = "head"
QUIZ_TITLE = "The Old Bridge"


@dataclass(frozen=True)
class Choice:
    """One answer as the student sees it: the labels of the choices, and a reason."""

    claim_type: str
    speaker: str
    evidence: str
    reason: str
    verdicts: tuple[str, str, str]  # what the feedback page should say, part by part


# Against tests/data/questions/quizzes/bridge.yaml: all right; half credit on the claim
# type (an accepted alternative); all wrong and no reason (reasons are optional there).
ANSWERS = [
    Choice(
        "Factual claim",
        "The Daily Example, in its own voice",
        "No",
        "A vote count is something the council's records would show.",
        ("✓ Matches the key", "✓ Matches the key", "✓ Matches the key"),
    ),
    Choice(
        "Factual claim",
        "Mayor Ana Reyes",
        "No",
        "It is in quotation marks and the mayor is named after it.",
        ("½ Half credit", "✓ Matches the key", "✓ Matches the key"),
    ),
    Choice(
        "Opinion or judgement",
        "The Daily Example, in its own voice",
        "No",
        "",
        ("✗ Does not match the key", "✗ Does not match the key", "✗ Does not match the key"),
    ),
]
# The summary those answers earn: points per part out of 3, then all parts out of 9.
SUMMARY = {"Claim type": "1.5 of 3", "Speaker": "2 of 3", "Evidence": "2 of 3", "All parts": "5.5 of 9"}

QUESTIONS = (
    "1. What kind of claim is this?",
    "2. Who is making the claim?",
    "3. Does the passage itself offer evidence for its claim?",
)
REASON_LABEL = "Why? Explain your answer in your own words (optional)"


def expect_heading(page: Page, text: str) -> None:
    """The page has arrived: its h1 says `text` and what it loads (the stylesheet) is in,
    so checks of layout and focus styles see the page as a person does."""
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    page.wait_for_load_state("load")


def register(page: Page, username: str, visit: Visit, hands: Hands, join_code: str = "") -> None:
    page.goto("/register")
    visit(page, "register")
    hands.fill(page.get_by_label("Username"), username)
    hands.fill(page.get_by_label("Password", exact=True), PASSWORD)
    hands.fill(page.get_by_label("Repeat password"), PASSWORD)
    if join_code:
        hands.fill(page.get_by_label("Class join code", exact=False), join_code)
    hands.press(page.get_by_role("button", name="Create account"))
    expect_heading(page, "Quizzes")


def sign_in(page: Page, username: str, visit: Visit) -> None:
    page.goto("/login")
    visit(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def answer(page: Page, choice: Choice, hands: Hands) -> None:
    """Picks each part inside its own fieldset, found by its legend."""
    for legend, label in zip(QUESTIONS, (choice.claim_type, choice.speaker, choice.evidence), strict=True):
        hands.choose(page.get_by_role("group", name=legend).get_by_label(label, exact=True))
    if choice.reason:
        hands.fill(page.get_by_label(REASON_LABEL), choice.reason)
    hands.press(page.get_by_role("button", name="Submit answer"))


def expect_feedback(page: Page, choice: Choice) -> None:
    """Whether each part matches the key is said in words on the page, not only shown in colour."""
    expect(page.locator(".parts .verdict")).to_have_text(list(choice.verdicts))
    if choice.reason:
        expect(page.get_by_text(choice.reason)).to_be_visible()


def expect_summary(page: Page) -> None:
    table = page.get_by_role("table", name="Your score per part")
    for part, points in SUMMARY.items():
        expect(
            table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=part, exact=True))
        ).to_contain_text(points)


def student_takes_quiz(page: Page, visit: Visit = no_check, hands: Hands | None = None) -> None:
    """A new student registers, takes the whole quiz and opens their results."""
    hands = hands or Mouse(page)
    register(page, STUDENT_NAME, visit, hands)
    visit(page, "quizzes")
    hands.press(page.get_by_role("link", name=QUIZ_TITLE))
    expect_heading(page, QUIZ_TITLE)
    visit(page, "quiz-intro")
    hands.press(page.get_by_role("button", name="Start the quiz"))
    for number, choice in enumerate(ANSWERS, 1):
        expect_heading(page, f"Passage {number} of {len(ANSWERS)}")
        expect(page.locator("form fieldset > legend")).to_have_text(list(QUESTIONS))
        visit(page, f"question-{number}")
        answer(page, choice, hands)
        expect_heading(page, "How you did")
        expect_feedback(page, choice)
        visit(page, f"feedback-{number}")
        last = number == len(ANSWERS)
        hands.press(page.get_by_role("link", name="See your results" if last else "Next passage"))
    expect_heading(page, f"Results: {QUIZ_TITLE}")
    expect_summary(page)
    visit(page, "summary")
    hands.press(page.get_by_role("navigation", name="Main").get_by_role("link", name="My results"))
    expect_heading(page, "My results")
    expect(page.get_by_role("row").filter(has_text=QUIZ_TITLE)).to_contain_text("Finished")
    visit(page, "my-results")
    hands.press(page.get_by_role("navigation", name="Main").get_by_role("link", name="Account"))
    expect_heading(page, "Your account")
    visit(page, "account")


@dataclass(frozen=True)
class InstructorPage:
    """A page an instructor opens: start at `start`, follow `link` (a name, or names one
    after the other), press the button `press` (if any), see `heading`."""

    name: str
    start: str
    link: str | tuple[str, ...] | None
    heading: str
    press: str | None = None


CLASS_NAME = "Period 1"
# The instructor's tour, in order. A new instructor page is one line here: the audit,
# the screenshots and the phone-width check then cover it too.
INSTRUCTOR_PAGES = [
    InstructorPage("instructor-home", "/instructor", None, "Instructor"),
    InstructorPage("quiz-scores", "/instructor", QUIZ_TITLE, f"Scores: {QUIZ_TITLE}"),
    InstructorPage(
        "question-scores",
        "/instructor/quizzes/bridge",
        'disgrace “"The bridge is a disgrace ... to every…”',  # its id and the first words of its passage
        "Question disgrace",
    ),
    InstructorPage("quiz-students", "/instructor/quizzes/bridge", "Scores per student", f"Students: {QUIZ_TITLE}"),
    InstructorPage("student-answers", "/instructor/quizzes/bridge/students", STUDENT_NAME, f"Student {STUDENT_NAME}"),
    InstructorPage(
        "confusion",
        "/instructor/quizzes/bridge",
        "Keyed against chosen (confusion matrices)",
        f"Keyed against chosen: {QUIZ_TITLE}",
    ),
    InstructorPage(
        "item-statistics",
        "/instructor/quizzes/bridge",
        "Item statistics and reliability",
        f"Item statistics: {QUIZ_TITLE}",
    ),
    InstructorPage(
        "learning", "/instructor", "Learning: discernment, confidence, before and after", "Learning: all students"
    ),
    InstructorPage("classes", "/instructor", "Classes and join codes", "Classes"),
    InstructorPage("class", "/instructor/classes", CLASS_NAME, f"Class {CLASS_NAME}"),
    InstructorPage(
        "remove-student",
        "/instructor/classes",
        (CLASS_NAME, f"Remove {STUDENT_NAME} from class"),
        f"Remove {STUDENT_NAME} from {CLASS_NAME}?",
    ),
    InstructorPage(
        "delete-class", "/instructor/classes", (CLASS_NAME, "Delete this class"), f"Delete class {CLASS_NAME}?"
    ),
    InstructorPage(
        "reset-student-password",
        "/instructor/classes",
        (CLASS_NAME, f"Reset password of {STUDENT_NAME}"),
        f"Reset the password of {STUDENT_NAME}?",
    ),
    InstructorPage(
        "student-one-time-password",
        "/instructor/classes",
        (CLASS_NAME, f"Reset password of {STUDENT_NAME}"),
        f"New password for {STUDENT_NAME}",
        press="Reset the password",
    ),
    InstructorPage("question-bank", "/instructor", "Question bank", "Question bank"),
    InstructorPage("quiz-preview", "/instructor/bank", QUIZ_TITLE, f"Preview: {QUIZ_TITLE}"),
    InstructorPage("instructor-account", "/instructor", "Account", "Your account"),
]
# An admin's own pages, after signing in as one.
ADMIN_PAGES = [
    InstructorPage("admin-instructors", "/instructor", "Admin", "Instructors"),
    InstructorPage(
        "admin-reset-password",
        "/admin/instructors",
        f"Reset the password of {INSTRUCTOR_NAME}",
        f"Reset the password of {INSTRUCTOR_NAME}?",
    ),
    InstructorPage(
        "admin-one-time-password",
        "/admin/instructors",
        f"Reset the password of {INSTRUCTOR_NAME}",
        f"New password: {INSTRUCTOR_NAME}",
        press="Reset the password",
    ),
    InstructorPage(
        "admin-delete-student",
        "/instructor",
        (STUDENT_NAME, f"Delete {STUDENT_NAME} and all their answers"),
        f"Delete {STUDENT_NAME} and all their answers?",
    ),
]


def open_pages(page: Page, steps: list[InstructorPage], visit: Visit) -> None:
    for step in steps:
        page.goto(step.start)
        links = (step.link,) if isinstance(step.link, str) else step.link or ()
        for name in links:
            page.get_by_role("link", name=name, exact=True).click()
        if step.press:
            page.get_by_role("button", name=step.press).click()
        expect_heading(page, step.heading)
        visit(page, step.name)


def instructor_tour(page: Page, visit: Visit = no_check) -> None:
    """An instructor signs in and opens each score page; a student of their class has answered already."""
    sign_in(page, INSTRUCTOR_NAME, visit)
    expect_heading(page, "Instructor")
    open_pages(page, INSTRUCTOR_PAGES, visit)


def admin_tour(page: Page, admin: str, visit: Visit = no_check) -> None:
    """An admin signs in, manages an instructor and opens a student's privacy page."""
    sign_in(page, admin, visit)
    expect_heading(page, "Instructor")
    open_pages(page, ADMIN_PAGES, visit)


def seed_finished_attempt(app: Flask, username: str = STUDENT_NAME) -> str:
    """A student of the instructor's class finishes the quiz through the app's forms (no browser: it is only data)."""
    with app.app_context():
        teacher = db.session.scalar(select(User.id).filter_by(username=INSTRUCTOR_NAME))
        classroom = classrooms.find_by_name(CLASS_NAME) or classrooms.create_classroom(CLASS_NAME, teacher)
        code = classrooms.format_code(classroom.join_code)
    student = Actor(app.test_client())
    token = csrf_token(student.client, "/register")
    student.client.post(
        "/register",
        data={"username": username, "password": PASSWORD, "confirm": PASSWORD, "join_code": code, "csrf_token": token},
    )
    attempt = student.start()
    student.answer(attempt, "factual", "outlet", "no", reason="The council's records would show it.")
    student.answer(attempt, "factual", "mayor", "no", reason="Quotation marks, then the mayor's name.")
    student.answer(attempt, "opinion", "outlet", "no")
    return username
