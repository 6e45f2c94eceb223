"""Output escaped: markup in a question file or a student's reason is shown as text, never run.

Every field an instructor or a student writes gets its own payload. Each page
that shows a field must show its payload escaped (so the test knows the field
is really on the page), and no page anywhere may contain a payload raw.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Question, User

from .routes import app_routes, build_path
from .support import Actor

QUIZ_TITLE = '<script>alert("quiz-title")</script>Bridge'
SOURCE_TITLE = '<script>alert("source-title")</script>Council Votes'
SPEAKER_LABEL = '<img src=x onerror=alert("speaker-label")>Mayor'
EXPLANATION = '<b onmouseover=alert("explanation")>A vote</b> is an event.'
PASSAGE = 'The council wrote <script>alert("passage")</script> on its <a href="//evil.example">site</a>.'
CUE = '<a href="//evil.example">site</a>'  # words of the passage marked on feedback
REASON = '<script>alert("reason")</script><iframe src="//evil.example"></iframe>'

PAYLOADS = {
    "quiz title": QUIZ_TITLE,
    "source title": SOURCE_TITLE,
    "speaker label": SPEAKER_LABEL,
    "explanation": EXPLANATION,
    "passage": PASSAGE,
    "cue": CUE,
    "reason": REASON,
}
# The app's own pages load static scripts (<script src=...>); a payload's script is inline.
RAW_MARKERS = ["<script>", "<img", "<iframe", "<b onmouseover", 'href="//evil']


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture
def hostile_bank(app: Flask, questions_dir: Path) -> None:
    """The test bank with markup in every field a question file can carry."""
    quiz = questions_dir / "quizzes" / "bridge.yaml"
    text = quiz.read_text()
    text = text.replace("title: The Old Bridge", f"title: {yaml_quoted(QUIZ_TITLE)}")
    text = text.replace("label: Mayor Ana Reyes", f"label: {yaml_quoted(SPEAKER_LABEL)}")
    text = text.replace(
        "claim_type: A vote with its count and day is an event records could confirm.",
        f"claim_type: {yaml_quoted(EXPLANATION)}",
    )
    text = text.replace(
        "passage: The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May.",
        f"passage: {yaml_quoted(PASSAGE)}",
    )
    text = text.replace("claim_type: [voted 7 to 2 on Tuesday]", f"claim_type: [{yaml_quoted(CUE)}]")
    quiz.write_text(text)
    sources = questions_dir / "sources.yaml"
    sources.write_text(
        sources.read_text().replace(
            "title: Council Votes to Close the Old Bridge", f"title: {yaml_quoted(SOURCE_TITLE)}"
        )
    )
    source_text = questions_dir / "sources" / "daily-news.txt"
    source_text.write_text(source_text.read_text() + "\n" + PASSAGE + "\n")
    with app.app_context():
        bank = load_bank(questions_dir)
        assert bank.problems == [], [str(p) for p in bank.problems]
        sync_bank(db.session, bank)


def assert_inert(page: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in page, f"raw {marker!r} on {where}"


def assert_shown_escaped(page: str, where: str, *fields: str) -> None:
    for field in fields:
        assert str(escape(PAYLOADS[field])) in page, f"{field} not shown (escaped) on {where}"


def test_markup_in_question_files_and_reasons_is_inert_everywhere(
    app: Flask, hostile_bank: None, student: Actor, admin: Actor
) -> None:
    attempt = student.start()
    take = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    answered = student.answer(attempt, "factual", "mayor", "no", reason=REASON)
    feedback_path = answered.headers["Location"]
    student.answer(attempt, "opinion", "mayor", "no", reason=REASON)
    student.answer(attempt, "factual", "council", "yes")
    with app.app_context():
        question_id = db.session.scalar(select(Question.id).filter_by(slug="vote"))
        version_id = db.session.scalar(select(Question.current_version_id).filter_by(slug="vote"))
        ada_id = db.session.scalar(select(User.id).filter_by(username="ada"))

    pages = {
        "question page": (take, ["quiz title", "source title", "speaker label", "passage"]),
        # The passage is cut around its cue there, so the cue stands for it.
        "feedback": (
            student.client.get(feedback_path).get_data(as_text=True),
            ["quiz title", "source title", "speaker label", "explanation", "cue", "reason"],
        ),
    }
    student_pages = {
        "/": ["quiz title"],
        "/quizzes/bridge": ["quiz title", "source title"],
        f"/attempts/{attempt}/summary": [
            "quiz title",
            "source title",
            "speaker label",
            "explanation",
            "cue",
            "reason",
        ],
        "/results/answers": ["quiz title", "speaker label", "explanation", "cue", "reason"],
        f"/passages/{version_id}/source": ["source title", "passage"],
        "/results": ["quiz title"],
    }
    instructor_pages = {
        "/instructor": ["quiz title"],
        "/instructor/quizzes/bridge": ["quiz title"],
        "/instructor/quizzes/bridge/students": ["quiz title"],
        f"/instructor/questions/{question_id}": ["quiz title", "speaker label", "passage"],
        f"/instructor/questions/{question_id}/explanations": ["quiz title", "speaker label", "passage", "reason"],
        "/instructor/quizzes/bridge/confusion": ["quiz title", "speaker label"],
        f"/instructor/students/{ada_id}": ["quiz title", "speaker label", "reason"],
    }
    for actor, paths in ((student, student_pages), (admin, instructor_pages)):
        for path, fields in paths.items():
            response = actor.client.get(path)
            assert response.status_code == 200, path
            pages[path] = (response.get_data(as_text=True), fields)

    for where, (page, fields) in pages.items():
        assert_inert(page, where)
        assert_shown_escaped(page, where, *fields)

    # Pages added later are covered too: every GET route, as the student and as an admin (who may open them all).
    values = {
        "slug": "bridge",
        "attempt_id": attempt,
        "question_id": question_id,
        "user_id": ada_id,
        "version_id": version_id,
    }
    for actor in (student, admin):
        for rule in app_routes(app):
            if "GET" in (rule.methods or ()):
                path = build_path(rule, values)
                response = actor.client.get(path)
                if response.mimetype in ("text/csv", "application/json"):
                    # A download keeps students' text verbatim; it must never be shown as a page.
                    assert "attachment" in response.headers.get("Content-Disposition", ""), path
                    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
                else:
                    assert_inert(response.get_data(as_text=True), path)


def test_the_payloads_would_be_caught(hostile_bank: None, student: Actor) -> None:
    """The checks can fail: the raw payloads are what the markers look for."""
    for payload in PAYLOADS.values():
        with pytest.raises(AssertionError):
            assert_inert(payload, "a raw payload")
