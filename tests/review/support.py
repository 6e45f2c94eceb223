"""Builders for the review tests: an app on its own database, students who answer through the forms."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from quizapp import create_app
from quizapp.accounts.users import create_user
from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import INSTRUCTOR, Classroom, Question, User

from ..databases import DatabaseSupply, create_current_schema
from ..support import Actor, csrf_token

DATA = Path(__file__).parents[1] / "data"

# The bridge quiz's keys, question by question: vote, disgrace, cracks.
RIGHT = [("factual", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]
# Strong readers get everything right except the key of 'vote', where they all
# say "opinion": the pattern of a mis-keyed question. Weak readers get 'vote'
# right by luck and little else.
STRONG = [("opinion", "outlet", "no"), RIGHT[1], RIGHT[2]]
WEAK = [("factual", "mayor", "yes"), ("factual", "outlet", "yes"), ("opinion", "outlet", "no")]


def make_app(folder: Path, databases: DatabaseSupply, questions: Path | None = None) -> Flask:
    """An app on a database of its own (SQLite, or PostgreSQL when the suite runs there), with the test bank loaded."""
    target = folder / "questions"
    shutil.copytree(questions or DATA / "questions", target)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-test-secret-key-that-is-long-enough",
            "SQLALCHEMY_DATABASE_URI": databases.new_database(folder),
            "QUESTIONS_DIR": target,
        }
    )
    with app.app_context():
        with db.engine.begin() as connection:
            create_current_schema(connection)
        report = sync_bank(db.session, load_bank(target))
        assert not report.files_with_errors, report
    return app


def sign_in_instructor(app: Flask, username: str = "teacher", role: str = INSTRUCTOR) -> Actor:
    """An instructor (who then sees the classes they make) or, with role=ADMIN, an admin (who sees everyone)."""
    with app.app_context():
        create_user(username, "teacher password", role=role)
    actor = Actor(app.test_client())
    actor.login(username, "teacher password")
    return actor


def create_class(instructor: Actor, name: str) -> str:
    """Make a class on the instructors' page; returns its join code as shown."""
    token = csrf_token(instructor.client, "/instructor/classes")
    page = instructor.client.post(
        "/instructor/classes", data={"name": name, "csrf_token": token}, follow_redirects=True
    ).get_data(as_text=True)
    match = re.search(r"join code is ([A-Z0-9]{4}-[A-Z0-9]{4})", page)
    assert match, page[:600]
    return match.group(1)


def register(app: Flask, username: str, join_code: str = "") -> Actor:
    actor = Actor(app.test_client())
    token = csrf_token(actor.client, "/register")
    response = actor.client.post(
        "/register",
        data={
            "username": username,
            "password": "correct horse",
            "confirm": "correct horse",
            "join_code": join_code,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    return actor


def take_quiz(actor: Actor, answers: list[tuple[str, str, str]], reasons: list[str]) -> int:
    attempt = actor.start()
    for choice, reason in zip(answers, reasons, strict=True):
        response = actor.answer(attempt, *choice, reason=reason)
        assert response.status_code == 302, response.status_code
    return attempt


def question_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {slug: qid for qid, slug in db.session.execute(select(Question.id, Question.slug))}


def user_id(app: Flask, username: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).filter_by(username=username))
        assert found is not None
        return found


def class_id(app: Flask, name: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Classroom.id).filter_by(name=name))
        assert found is not None
        return found


def read_csv(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "no byte-order mark"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def squash(html: str) -> str:
    """Whitespace runs to one space, so assertions do not depend on template layout."""
    return re.sub(r"\s+", " ", html)


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@dataclass
class Taught:
    """Twelve students who took the bridge quiz; nine are in 'Period 1', three in '@Evening'."""

    app: Flask
    instructor: Actor
    students: dict[str, Actor] = field(default_factory=dict)
    folder: Path = Path()


STRONG_NAMES = [f"strong{n}" for n in range(1, 7)]
WEAK_NAMES = ["weak1", "weak2", "weak3", "-w4", "weak5", "weak6"]
HOSTILE_REASONS = {
    "strong1": '=HYPERLINK("http://example.invalid","click")',
    "weak1": "+1 it is a fact",
    "weak2": "-so it is",
    "weak3": "@SUM(A1:A9)",
}


def build_taught(folder: Path, databases: DatabaseSupply) -> Taught:
    app = make_app(folder, databases)
    instructor = sign_in_instructor(app)
    period = create_class(instructor, "Period 1")
    evening = create_class(instructor, "@Evening")
    taught = Taught(app, instructor, folder=folder)
    for name in STRONG_NAMES + WEAK_NAMES:
        in_evening = name in ("-w4", "weak5", "weak6")
        actor = register(app, name, evening if in_evening else period)
        answers = STRONG if name in STRONG_NAMES else WEAK
        first_reason = HOSTILE_REASONS.get(name, f"{name} on vote <b>bold</b>")
        take_quiz(actor, answers, [first_reason, f"{name} on disgrace", ""])
        taught.students[name] = actor
    return taught
