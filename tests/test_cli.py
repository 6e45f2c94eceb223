"""The command-line tools an instructor runs."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import User


def test_check_passes_on_valid_files(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 0, result.output
    assert "1 quizzes, 3 questions" in result.output


def test_check_lists_problems_and_exits_1(app: Flask, questions_dir: Path) -> None:
    path = questions_dir / "quizzes" / "bridge.yaml"
    path.write_text(path.read_text().replace("claim_type: opinion", "claim_type: opinon"))
    result = app.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 1
    assert "quizzes/bridge.yaml:" in result.output and "opinon" in result.output
    assert "Traceback" not in result.output


def test_sync_twice_changes_nothing_the_second_time(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["questions", "sync"])
    assert result.exit_code == 0, result.output
    assert "added 0, new versions 0, updated 0, retired 0, unchanged 3" in result.output


def test_stats_describes_the_bank(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["questions", "stats"])
    assert result.exit_code == 0, result.output
    assert "daily-news" in result.output and "factual" in result.output


def test_create_instructor_asks_for_a_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-instructor", "mrs-lee"], input="a secret phrase\na secret phrase\n"
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="mrs-lee"))
        assert user is not None and user.is_instructor and "a secret phrase" not in user.password_hash


def test_create_instructor_can_generate_a_password(app: Flask) -> None:
    from werkzeug.security import check_password_hash

    result = app.test_cli_runner().invoke(args=["create-instructor", "mr-k", "--generate"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="mr-k"))
        assert user is not None and check_password_hash(user.password_hash, password)


def test_create_instructor_refuses_short_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-instructor", "mr-k"], input="short\nshort\n")
    assert result.exit_code == 1 and "at least 8" in result.output


def test_setup_loads_questions_and_prints_instructor_sign_in(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "username 'instructor' and password '" in result.output
    again = app.test_cli_runner().invoke(args=["setup"])
    assert "Instructor accounts exist" in again.output


def test_setup_counts_quizzes_and_questions_not_rows(app: Flask, questions_dir: Path) -> None:
    """A second quiz of three questions: 'added 4' counted rows; setup says what they are."""
    bridge = (questions_dir / "quizzes" / "bridge.yaml").read_text()
    (questions_dir / "quizzes" / "bridge-two.yaml").write_text(bridge.replace("id: bridge\n", "id: bridge-two\n", 1))
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "Question bank: 2 quizzes with 6 questions students can take." in result.output
    assert (
        "This sync: questions added 3, new versions 0, updated 0, retired 0, unchanged 3; "
        "quizzes added 1, updated 0, retired 0; files with errors 0." in result.output
    )
