"""The learning pages with real figures, at phone and desktop size: a class, one student, item statistics.

A class of 25 took a 24-question quiz and a 12-question post-test of it, every
answer with a stated confidence (benchmarks/seed.py stores them), so every block
shows numbers, the calibration chart and the before-and-after table.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from quizapp.db import db

from ..review.test_queries import load_seed
from .checks import Audit
from .flows import ADMIN_NAME, expect_heading, no_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_class_with_figures_passes_the_audit(app: Flask, sized_page: Page, audit: Audit, admin_account: str) -> None:
    with app.app_context():
        seed = load_seed().seed
        pre = seed(db.engine, students=25, questions=24, prefix="pre")
        post = seed(
            db.engine, students=25, questions=12, prefix="post", start=datetime(2025, 3, 3, 8, 0), post_test_of=pre
        )
    page = sized_page
    sign_in(page, ADMIN_NAME, no_check)  # an admin sees every class the seed made
    expect_heading(page, "Instructor")

    page.goto(f"/instructor/learning?classroom={pre.classroom_ids[0]}")
    expect_heading(page, "Learning: pre class 1")
    expect(page.get_by_role("img", name="Stated chance against share right")).to_be_visible()
    expect(page.get_by_text("25 students finished both")).to_be_visible()
    expect(page.get_by_text("Tells passages with evidence from those without").first).to_be_visible()
    audit(page, "learning-class")

    page.goto(f"/instructor/students/{pre.user_ids[0]}")
    expect_heading(page, "Student pre-s00000")
    audit(page, "learning-student")

    page.goto(f"/instructor/quizzes/{pre.quiz_slug}/items")
    expect_heading(page, "Item statistics: Benchmark quiz pre")
    audit(page, "item-statistics-class")

    page.goto(f"/instructor/quizzes/{post.quiz_slug}?classroom={pre.classroom_ids[0]}")
    expect_heading(page, "Scores: Benchmark quiz post")
    audit(page, "quiz-overview-class")
    assert not audit.problems, audit.report()
