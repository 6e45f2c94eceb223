"""Helpers for the disputes tests: students who answer and dispute through the forms, instructors with classes."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from quizapp.accounts import classrooms
from quizapp.accounts.users import create_user
from quizapp.db import db
from quizapp.models import INSTRUCTOR, Answer, Attempt, Dispute, DisputeRuling, Question, User

from ..support import Actor, csrf_token

ARGUMENT = "A vote is also a rule: it closes the bridge to cars from May."


def answer_id(app: Flask, username: str, question: str) -> int:
    """The id of the student's (latest) answer to a question of the bridge quiz."""
    with app.app_context():
        found = db.session.scalar(
            select(Answer.id)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .join(User, User.id == Attempt.user_id)
            .join(Question, Question.id == Answer.question_id)
            .where(User.username == username, Question.slug == question)
            .order_by(Answer.id.desc())
            .limit(1)
        )
        assert found is not None, (username, question)
        return found


def question_id(app: Flask, slug: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Question.id).filter_by(slug=slug))
        assert found is not None
        return found


def student(app: Flask, username: str, answers: list[tuple[str, str, str]] | None = None) -> Actor:
    """A new student who answers the bridge quiz: every question, by default as in `answers`."""
    actor = Actor(app.test_client())
    actor.register(username)
    attempt = actor.start()
    for choice in answers or [("factual", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]:
        actor.answer(attempt, *choice)
    return actor


def dispute_path(answer: int, part: str) -> str:
    return f"/answers/{answer}/disputes/{part}"


def send_dispute(
    actor: Actor, answer: int, part: str, argued_for: str, reason: str = ARGUMENT, client: FlaskClient | None = None
) -> TestResponse:
    """Sends the dispute form as a browser does: the token comes from the page itself."""
    client = client or actor.client
    path = dispute_path(answer, part)
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "argued_for": argued_for, "reason": reason})


def teacher(app: Flask, username: str, *class_names: str, role: str = INSTRUCTOR) -> Actor:
    """An instructor (or, with role=ADMIN, an admin) signed in, with the classes they created (which they teach)."""
    with app.app_context():
        user = create_user(username, "teacher password", role=role)
        for name in class_names:
            classrooms.create_classroom(name, created_by_id=user.id)
    actor = Actor(app.test_client())
    actor.login(username, "teacher password")
    return actor


def join(app: Flask, username: str, class_name: str) -> None:
    with app.app_context():
        classroom = classrooms.find_by_name(class_name)
        user = db.session.scalar(select(User).filter_by(username=username))
        assert classroom is not None and user is not None
        classrooms.join(classroom, user.id)


def disputes(app: Flask) -> list[tuple[str, str, str, str]]:
    """(student, part, argued for, status) of every dispute stored, in order."""
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Dispute.part, Dispute.argued_for, Dispute.status)
            .join(User, User.id == Dispute.user_id)
            .order_by(Dispute.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def rulings_count(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(select(DisputeRuling)).all())


def form_values(page: str, form_action: str) -> dict[str, str]:
    """The hidden fields and the CSRF token of the form that posts to `form_action` on a page."""
    match = re.search(rf'<form[^>]*action="{re.escape(form_action)}"[^>]*>(.*?)</form>', page, re.S)
    assert match, f"no form posting to {form_action}"
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', match.group(1)))


def text(response: TestResponse) -> str:
    """The page's text without tags and with spaces folded, to compare with what people read."""
    return words(response.get_data(as_text=True))


def words(page: str) -> str:
    folded = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(page)).split())
    return re.sub(r" ([,.;:)])", r"\1", folded)  # "bridge.yaml</code>, line" reads "bridge.yaml, line"
