"""A quiz that asks how sure each answer is: the question, its levels, and what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Answer

from ..review.learning_support import POST_TEST
from ..support import Actor

RIGHT = ("factual", "outlet", "no")


@pytest.fixture
def asking(app: Flask, questions_dir: Path) -> str:
    """The bridge quiz again as `bridge-post`, which says `confidence: ask`."""
    (questions_dir / "quizzes" / "bridge-post.yaml").write_text(POST_TEST, encoding="utf-8")
    with app.app_context():
        assert not sync_bank(db.session, load_bank(questions_dir)).files_with_errors
    return "bridge-post"


def stored_confidence(app: Flask) -> list[int | None]:
    with app.app_context():
        return list(db.session.scalars(select(Answer.confidence).order_by(Answer.id)))


def test_the_question_page_asks_how_sure_on_three_labelled_levels(student: Actor, asking: str) -> None:
    attempt = student.start(asking)
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert "<legend>4. How sure are you that your three answers are right?</legend>" in page
    for label in ("Unsure: about 1 in 2 right", "Fairly sure: about 3 in 4 right", "Sure: about 9 in 10 right"):
        assert f">{label}</label>" in page
    plain = student.client.get(f"/attempts/{student.start('bridge')}").get_data(as_text=True)
    assert "How sure are you" not in plain


def test_confidence_is_required_when_asked_and_nothing_is_stored_without_it(
    app: Flask, student: Actor, asking: str
) -> None:
    attempt = student.start(asking)
    response = student.answer(attempt, *RIGHT)
    assert response.status_code == 400
    assert "Say how sure you are." in response.get_data(as_text=True)
    assert student.answer(attempt, *RIGHT, confidence="80").status_code == 400  # not one of the levels
    assert stored_confidence(app) == []


def test_the_stated_chance_is_stored_and_shown_back(app: Flask, student: Actor, asking: str) -> None:
    attempt = student.start(asking)
    response = student.answer(attempt, *RIGHT, confidence="75")
    assert response.status_code == 302
    assert stored_confidence(app) == [75]
    feedback = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You said: fairly sure (about 3 in 4 right)." in feedback


def test_a_quiz_that_does_not_ask_stores_no_confidence(app: Flask, student: Actor, asking: str) -> None:
    attempt = student.start("bridge")
    assert student.answer(attempt, *RIGHT, confidence="90").status_code == 302  # a forged field is ignored
    assert stored_confidence(app) == [None]
