"""Starting a live session: only for a class the instructor teaches, one at a time per class."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from quizapp.accounts.classrooms import CODE_ALPHABET
from quizapp.accounts.users import create_user
from quizapp.db import db
from quizapp.models import INSTRUCTOR, LiveSession, Question

from ..support import Actor
from .support import make_class, quiz_id, start, start_session, step


def test_an_instructor_starts_a_session_of_a_quiz_for_their_class_at_its_first_passage(
    app: Flask, instructor: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    with app.app_context():
        session = db.session.get(LiveSession, live_id)
        assert session is not None
        passages = list(db.session.scalars(select(Question.id).filter_by(quiz_id=session.quiz_id).order_by("position")))
        assert session.question_ids == passages and len(passages) == 3
        assert (session.position, session.revealed_at, session.ended_at) == (0, None, None)
        assert len(session.code) == 6 and set(session.code) <= set(CODE_ALPHABET)
        code = session.code
    page = instructor.client.get(f"/instructor/live/{live_id}").get_data(as_text=True)
    assert f"{code[:3]}-{code[3:]}" in page  # shown with a dash, to read aloud
    assert "Passage 1 of 3" in page and "The city council voted 7 to 2" in page
    listing = instructor.client.get("/instructor/live").get_data(as_text=True)
    assert "Running now" in listing and f"/instructor/live/{live_id}" in listing


def test_only_for_a_class_the_instructor_teaches(app: Flask, instructor: Actor, classroom: int) -> None:
    with app.app_context():
        create_user("other", "other teacher password", role=INSTRUCTOR)
    other = Actor(app.test_client())
    other.login("other", "other teacher password")
    page = other.client.get("/instructor/live").get_data(as_text=True)
    assert "You teach no class yet" in page and "Year 9" not in page

    refused = start(other, quiz_id(app), classroom)
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(LiveSession.id)) is None

    live_id = start_session(app, instructor, classroom)
    for path in (f"/instructor/live/{live_id}", f"/instructor/live/{live_id}/projector"):
        response = other.client.get(path)  # another instructor's class: as if it did not exist
        assert response.status_code == 404
        assert "Year 9" not in response.get_data(as_text=True)


def test_one_session_at_a_time_per_class(app: Flask, instructor: Actor, classroom: int) -> None:
    first = start_session(app, instructor, classroom)
    again = start(instructor, quiz_id(app), classroom)
    assert again.status_code == 200
    assert "Year 9 has a live session running already" in again.get_data(as_text=True)
    other_class = make_class(app, name="Year 10")
    assert start_session(app, instructor, other_class) != first  # another class may run its own

    assert step(instructor, first, "end").status_code == 302
    assert start_session(app, instructor, classroom) != first  # once ended, a new one may start
