"""Fixtures: a real app on a real database, loaded from a small question bank."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import create_app
from quizapp.accounts.users import create_user
from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import ADMIN, INSTRUCTOR

from .databases import DatabaseSupply, configured_url, create_current_schema
from .support import Actor

DATA = Path(__file__).parent / "data"


def pytest_report_header() -> str:
    url = configured_url()
    return f"database: {'PostgreSQL at ' + url.render_as_string() if url else 'SQLite'}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked sqlite_only / postgresql_only skip on the other database, saying why."""
    on = "postgresql" if configured_url() else "sqlite"
    for marker, needs in (("sqlite_only", "sqlite"), ("postgresql_only", "postgresql")):
        mark = item.get_closest_marker(marker)
        if mark is not None and on != needs:
            pytest.skip(f"{needs} only: {mark.args[0] if mark.args else 'tests that database itself'}")


@pytest.fixture(scope="session")
def databases() -> Iterator[DatabaseSupply]:
    """SQLite files, or schemas on the PostgreSQL server in QUIZAPP_TEST_DATABASE_URL."""
    handed_out = DatabaseSupply(configured_url())
    yield handed_out
    handed_out.close()


@pytest.fixture
def empty_database(tmp_path: Path, databases: DatabaseSupply) -> str:
    """The URL of a database with no tables yet, for tests that build their own."""
    return databases.new_database(tmp_path, "empty.sqlite3")


@pytest.fixture(autouse=True)
def _push_request_context() -> Iterator[None]:
    """Replaces pytest-flask's fixture of this name, which keeps one request context
    open for the whole test: then every request would share `g` and one database
    session, hiding a missing commit. Here each request gets its own, as in production."""
    return


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Replaces pytest-flask's client, which is used as `with client:` and so keeps
    the last request's context (and its `g`) pushed while other clients make requests."""
    return app.test_client()


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    target = tmp_path / "questions"
    shutil.copytree(DATA / "questions", target)
    return target


@pytest.fixture
def app(tmp_path: Path, questions_dir: Path, databases: DatabaseSupply) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-test-secret-key-that-is-long-enough",
            "SQLALCHEMY_DATABASE_URI": databases.app_database(tmp_path),
            "QUESTIONS_DIR": questions_dir,
        }
    )
    with app.app_context():
        with db.engine.begin() as connection:
            if not connection.dialect.has_table(connection, "alembic_version"):
                create_current_schema(connection)
        report = sync_bank(db.session, load_bank(questions_dir))
        assert not report.files_with_errors, report
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def student(client: FlaskClient) -> Actor:
    actor = Actor(client)
    actor.register("ada")
    return actor


@pytest.fixture
def instructor(app: Flask) -> Actor:
    with app.app_context():
        create_user("teacher", "teacher password", role=INSTRUCTOR)
    actor = Actor(app.test_client())
    actor.login("teacher", "teacher password")
    return actor


@pytest.fixture
def admin(app: Flask) -> Actor:
    """An admin: sees every student and class, and manages the instructors."""
    with app.app_context():
        create_user("head", "head password", role=ADMIN)
    actor = Actor(app.test_client())
    actor.login("head", "head password")
    return actor
