"""After the migrations (not create_all): one open attempt of their own per student and quiz,
and beside it one attempt per live session; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from sqlalchemy.exc import IntegrityError

from quizapp import create_app, schema
from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Attempt, Classroom, LiveSession, Quiz, User


@pytest.fixture
def migrated(empty_database: str, questions_dir: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-test-secret-key-that-is-long-enough",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "QUESTIONS_DIR": questions_dir,
        }
    )
    with app.app_context():
        command.upgrade(schema.alembic_config(), "head")
        sync_bank(db.session, load_bank(questions_dir))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def refused(row: Attempt | LiveSession) -> bool:
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return True
    return False


def test_a_live_attempt_may_be_open_beside_the_students_own(migrated: Flask) -> None:
    with migrated.app_context():
        student = User(username="ada", password_hash="!", role="student")
        teacher = User(username="teacher", password_hash="!", role="instructor")
        db.session.add_all([student, teacher])
        db.session.flush()
        quiz = db.session.scalars(db.select(Quiz)).one()
        classroom = Classroom(name="Year 9", join_code="BCDFGHJK", created_by_id=teacher.id)
        db.session.add(classroom)
        db.session.flush()
        live = LiveSession(code="BCDFGH", quiz_id=quiz.id, classroom_id=classroom.id, started_by_id=teacher.id)
        db.session.add(live)
        db.session.commit()

        assert not refused(Attempt(user_id=student.id, quiz_id=quiz.id))
        assert refused(Attempt(user_id=student.id, quiz_id=quiz.id))  # a second open one of their own
        assert not refused(Attempt(user_id=student.id, quiz_id=quiz.id, live_session_id=live.id))
        assert refused(Attempt(user_id=student.id, quiz_id=quiz.id, live_session_id=live.id))  # one per session
        assert refused(  # and one running session per class
            LiveSession(code="CDFGHJ", quiz_id=quiz.id, classroom_id=classroom.id, started_by_id=teacher.id)
        )
