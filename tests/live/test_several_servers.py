"""Two app instances on one database, as two servers behind a load balancer (or two gunicorn
workers): a session's state is in the database only, so each sees what the other did."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from quizapp import create_app
from quizapp.db import db

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .support import answer, start_session, step


@pytest.fixture
def other_server(app: Flask) -> Iterator[Flask]:
    """A second app on the same database (SQLite file or PostgreSQL schema), with the same secret key."""
    second = create_app({key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI")})
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def test_each_server_sees_what_the_other_did(
    app: Flask, other_server: Flask, instructor: Actor, student: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    teacher_b, ada_b = Actor(other_server.test_client()), Actor(other_server.test_client())
    teacher_b.login("teacher", "teacher password")
    ada_b.login("ada")

    students_poll = f"/live/{live_id}/state"
    projector_poll = f"/instructor/live/{live_id}/projector/state"
    seen_by_student = ada_b.client.get(students_poll)
    seen_by_projector = teacher_b.client.get(projector_poll)
    assert seen_by_student.get_json() == {"stage": 1}

    answer(student, live_id, RIGHT[0])  # on server A
    after_answer = teacher_b.client.get(projector_poll, headers={"If-None-Match": seen_by_projector.headers["ETag"]})
    assert after_answer.status_code == 200 and "1 of 2 answered" in after_answer.get_json()["parts"]["status"]

    assert step(teacher_b, live_id, "next").status_code == 302  # on server B
    moved = student.client.get(students_poll, headers={"If-None-Match": seen_by_student.headers["ETag"]})
    assert moved.status_code == 200 and moved.get_json() == {"stage": 2}  # server A knows at once
    assert "Passage 2 of 3" in student.client.get(f"/live/{live_id}").get_data(as_text=True)
    assert answer(ada_b, live_id, RIGHT[1]).status_code == 302  # and B takes the answer to passage 2
    page_a = student.client.get(f"/live/{live_id}").get_data(as_text=True)
    assert "Your answer is in" in page_a
