"""Disputes in a real browser: a student disputes a key from the feedback page; the teacher opens the
queue, accepts (the app changes the file) and regrades, or keeps the key with a reply; the student
sees the outcome. Every page passes the audit at phone and desktop size; the queue and the resolved
dispute are saved as screenshots (disputes-queue.png, dispute-resolved.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from quizapp.accounts import classrooms

from ..disputes.support import answer_id, join, send_dispute, student, teacher
from .checks import Audit
from .flows import PASSWORD, QUIZ_TITLE, OpenPage, Visit, expect_heading, no_check, register, sign_in
from .hands import Hands, Keyboard, Mouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEACHER = "teacher"
ARGUMENT = "It says the bridge is closed to cars from May: that is a rule the council made, not just an event."
REPLY = "The passage reports that a vote happened, with its count and day: a record could confirm it."
# bob and cyra dispute the same key beforehand, so the queue shows arguments side by side.
OTHERS = {
    "bob": ("rule", "Closing the bridge is a decision about what drivers may do, so it is a rule."),
    "cyra": ("opinion", "The report chooses to make the vote its headline, which is a judgement."),
}


@pytest.fixture
def classroom(app: Flask) -> str:
    """The teacher's class, with two students who disputed the claim type key of the first passage; its join code."""
    teacher_actor = teacher(app, TEACHER, "Period 1")
    with app.app_context():
        from quizapp.accounts.users import find_user, hash_password
        from quizapp.db import db

        user = find_user(TEACHER)
        assert user is not None
        user.password_hash = hash_password(PASSWORD)  # the browser signs in with the flows' password
        db.session.commit()
    for name, (argued_for, reason) in OTHERS.items():
        actor = student(
            app, name, [("rule", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]
        )
        join(app, name, "Period 1")
        send_dispute(actor, answer_id(app, name, "vote"), "claim_type", argued_for, reason)
    assert teacher_actor is not None
    with app.app_context():
        period = classrooms.find_by_name("Period 1")
        assert period is not None
        return classrooms.format_code(period.join_code)


def student_disputes_from_feedback(page: Page, visit: Visit, hands: Hands, join_code: str) -> None:
    """ada, joining the teacher's class, answers the first passage with another claim type than the key,
    and disputes the key."""
    register(page, "ada", no_check, hands, join_code)
    hands.press(page.get_by_role("link", name=QUIZ_TITLE))
    expect_heading(page, QUIZ_TITLE)
    hands.press(page.get_by_role("button", name="Start the quiz"))
    expect_heading(page, "Passage 1 of 3")
    for legend, label in (
        ("1. What kind of claim is this?", "Rule or legal claim"),
        ("2. Who is making the claim?", "The Daily Example, in its own voice"),
        ("3. Does the passage itself offer evidence for its claim?", "No"),
    ):
        hands.choose(page.get_by_role("group", name=legend).get_by_label(label, exact=True))
    hands.press(page.get_by_role("button", name="Submit answer"))
    expect_heading(page, "How you did")
    visit(page, "feedback-with-disputes")
    hands.press(page.get_by_role("link", name="I think the key is wrong (claim type)"))
    expect_heading(page, "The claim type key")
    visit(page, "dispute-form")
    expect(
        page.get_by_role("group", name="Which answer should be the key?").get_by_label("Rule or legal claim")
    ).to_be_checked()
    hands.fill(page.get_by_label("Why? Explain what in the passage supports your answer"), ARGUMENT)
    hands.press(page.get_by_role("button", name="Send to my teacher"))
    expect(page.get_by_text("Waiting for your teacher.")).to_be_visible()
    visit(page, "dispute-sent")


def teacher_opens_the_queue(page: Page, visit: Visit) -> None:
    sign_in(page, TEACHER, no_check)
    expect_heading(page, "Instructor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="3 open disputes").click()
    expect_heading(page, "Disputes")
    expect(page.locator(".dispute-group h2")).to_contain_text("vote: Claim type 3 open")
    expect(page.locator(".argument")).to_have_count(3)
    visit(page, "disputes-queue")
    page.get_by_role("link", name="Settle: keep the key or accept an answer (vote, claim type)").click()
    expect_heading(page, "The claim type key of vote")
    visit(page, "dispute-group")


def test_student_disputes_teacher_accepts_and_regrades_and_the_student_sees_the_new_score(
    app: Flask, sized_page: Page, open_page: OpenPage, audit: Audit, classroom: str, questions_dir: Path
) -> None:
    app.config["BANK_WRITABLE"] = True
    student_disputes_from_feedback(sized_page, audit, Mouse(sized_page), classroom)

    desk = open_page(sized_page.viewport_size)
    teacher_opens_the_queue(desk, audit)
    desk.get_by_role("link", name="accept as the key (Rule or legal claim)").click()
    expect_heading(desk, "Accept Rule or legal claim as the key")
    expect(desk.locator("table.change")).to_contain_text("claim_type: factual")
    expect(desk.locator("table.change")).to_contain_text("claim_type: rule")
    audit(desk, "dispute-accept")
    desk.get_by_role("button", name="Accept and change the file").click()
    expect(desk.locator(".flash-success")).to_contain_text("quizzes/bridge.yaml was changed and synced")
    assert b"    claim_type: rule\n" in (questions_dir / "quizzes" / "bridge.yaml").read_bytes()
    expect(desk.get_by_role("heading", name="Regrade now")).to_be_visible()
    audit(desk, "dispute-regrade")
    desk.get_by_role("button", name="Regrade now").click()
    expect(desk.locator(".flash-success")).to_contain_text("Regrade #1 done")
    expect(desk.get_by_text("Done: the answers are scored against the new key")).to_be_visible()

    sized_page.get_by_role("navigation", name="Main").get_by_role("link", name="My results").click()
    expect_heading(sized_page, "My results")
    resolved = sized_page.locator(".dispute-list li").first
    expect(resolved).to_contain_text("Your teacher accepted Rule or legal claim as the key")
    expect(resolved).to_contain_text("Claim type: from 0 to 1 point.")
    resolved.scroll_into_view_if_needed()
    audit(sized_page, "dispute-resolved")
    assert not audit.problems, audit.report()
    print("axe, below serious:", audit.minor or "none")


def test_keeping_the_key_with_the_keyboard_alone(app: Flask, open_page: OpenPage, classroom: str) -> None:
    """Tab, arrows, Space and Enter only: the student disputes, the teacher keeps the key with a reply."""
    page = open_page()
    student_disputes_from_feedback(page, no_check, Keyboard(page), classroom)
    desk = open_page()
    teacher_opens_the_queue(desk, no_check)
    keys = Keyboard(desk)
    keys.fill(desk.get_by_label("Your reply, which every student who disputed this key sees"), REPLY)
    keys.press(desk.get_by_role("button", name="Keep the key"))
    expect(desk.locator(".flash-success")).to_contain_text("Key kept. 3 students will see your reply.")
    page.goto("/results")
    expect(page.locator(".dispute-list")).to_contain_text("Your teacher kept the key (Factual claim)")
    expect(page.locator(".dispute-list")).to_contain_text(REPLY)


def test_disputing_works_without_javascript(open_page: OpenPage, classroom: str) -> None:
    page = open_page(javascript=False)
    student_disputes_from_feedback(page, no_check, Mouse(page), classroom)
