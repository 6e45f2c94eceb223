"""What must behave the same on SQLite and PostgreSQL, and what belongs to one of them only."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import JSON, select, text
from sqlalchemy.exc import IntegrityError

from quizapp.accounts.users import create_user
from quizapp.bank.files import fields
from quizapp.db import db
from quizapp.models import Question, QuestionVersion, Quiz, Source, TaxonomyChoice, User

# (file, the line to lengthen, its key, limit, column that keeps it)
LONG_VALUES = [
    ("quizzes/bridge.yaml", "title: The Old Bridge", "title", fields.QUIZ_TITLE_MAX, Quiz.__table__.c.title),
    (
        "sources.yaml",
        "    title: Council Votes to Close the Old Bridge",
        "title",
        fields.SOURCE_TITLE_MAX,
        Source.__table__.c.title,
    ),
    ("sources.yaml", "    publisher: The Daily Example", "publisher", fields.NAME_MAX, Source.__table__.c.publisher),
    ("taxonomy.yaml", "    label: Factual claim", "label", fields.NAME_MAX, TaxonomyChoice.__table__.c.label),
]


def lengthen(questions_dir: Path, name: str, line: str, key: str, length: int) -> None:
    path = questions_dir / name
    text_now = path.read_text(encoding="utf-8")
    assert line in text_now, line
    indent = line[: len(line) - len(line.lstrip())]
    path.write_text(text_now.replace(line, f"{indent}{key}: " + ("é" * length), 1), encoding="utf-8")


def test_the_limits_are_the_column_sizes() -> None:
    for *_, limit, column in LONG_VALUES:
        assert column.type.length == limit, column
    assert Question.__table__.c.slug.type.length == fields.ID_MAX
    assert Source.__table__.c.date.type.length == fields.DATE_MAX


@pytest.mark.parametrize(("name", "line", "key", "limit", "column"), LONG_VALUES, ids=lambda v: str(v)[:20])
def test_a_value_longer_than_its_column_is_refused_with_its_line(
    app: Flask, questions_dir: Path, name: str, line: str, key: str, limit: int, column: object
) -> None:
    """PostgreSQL refuses such a value where SQLite keeps it: both now refuse it in the file, with its line."""
    lengthen(questions_dir, name, line, key, limit + 1)
    result = app.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 1
    assert f"{name}:" in result.output
    assert f"'{key}' has {limit + 1} characters; at most {limit} are allowed" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "line", "key", "limit", "column"), LONG_VALUES, ids=lambda v: str(v)[:20])
def test_a_value_as_long_as_its_column_is_stored_whole(
    app: Flask, questions_dir: Path, name: str, line: str, key: str, limit: int, column: object
) -> None:
    lengthen(questions_dir, name, line, key, limit)
    result = app.test_cli_runner().invoke(args=["questions", "sync"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalars(select(column)).all()
        assert "é" * limit in stored


def test_an_id_longer_than_its_column_is_refused(app: Flask, questions_dir: Path) -> None:
    path = questions_dir / "quizzes" / "bridge.yaml"
    path.write_text(path.read_text().replace("  - id: vote", "  - id: " + "v" * 65, 1))
    result = app.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 1 and "has 65 characters; at most 64 are allowed" in result.output


def test_usernames_differing_only_in_case_cannot_both_be_stored(app: Flask) -> None:
    """The guard for two sign-ups at one moment: the database itself refuses the second."""
    with app.app_context():
        create_user("Ada.L", "a long password")
    with app.app_context(), pytest.raises(IntegrityError):
        create_user("ada.l", "another password")
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["Ada.L"]


def test_instructor_names_follow_the_sign_up_rule(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-instructor", "Ådne", "--generate"])
    assert result.exit_code == 1
    assert "letters, digits, dots, dashes or underscores only" in result.output


def test_rows_with_json_columns_can_be_compared(app: Flask) -> None:
    """DISTINCT needs equality on every column; PostgreSQL's json type has none (jsonb has)."""
    with app.app_context():
        versions = db.session.scalars(select(QuestionVersion).distinct()).all()
        quizzes = db.session.scalars(select(Quiz).distinct()).all()
        assert len(versions) == 3 and len(quizzes) == 1
        assert [s["id"] for s in quizzes[0].speakers] == ["outlet", "mayor", "council"]  # file order kept
        same = db.session.scalars(select(QuestionVersion).filter(QuestionVersion.accept == versions[0].accept)).all()
        assert versions[0] in same


def test_students_are_listed_in_one_order_whatever_the_collation(app: Flask, admin) -> None:  # type: ignore[no-untyped-def]
    from .support import Actor
    from .taking.test_quiz_flow import RIGHT

    for name in ("bob", "Alice", "carl"):
        actor = Actor(app.test_client())
        actor.register(name)
        actor.answer(actor.start(), *RIGHT[0])
    page = admin.client.get("/instructor/quizzes/bridge/students").get_data(as_text=True)
    assert page.index("Alice") < page.index("bob") < page.index("carl")


@pytest.mark.sqlite_only("WAL, foreign keys and the busy timeout are SQLite pragmas")
def test_sqlite_connections_use_wal_and_enforce_foreign_keys(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


@pytest.mark.postgresql_only("jsonb is a PostgreSQL type")
def test_postgresql_keeps_json_as_jsonb(app: Flask) -> None:
    with app.app_context():
        types = dict(
            db.session.execute(
                text(
                    "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND data_type LIKE 'json%'"
                )
            ).all()
        )
    # Every column the models declare as a JSON document, as the migrations made it.
    declared = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, JSON)
    ]
    assert "question_version.cues" in declared
    assert types == dict.fromkeys(declared, "jsonb")
