"""F1 and F8 where people meet them: `questions check`, sync, and the Question bank page."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.db import db

from ..support import Actor
from .files.test_links_and_limits import SECRET
from .test_sync import dump


def link_a_secret_in(questions_dir: Path) -> None:
    secret = questions_dir.parent / "shadow"
    secret.write_text(SECRET, encoding="utf-8")
    (questions_dir / "quizzes" / "zz-shadow.yaml").symlink_to(secret)


def test_f1_check_and_sync_name_the_link_and_show_nothing_of_its_target(app: Flask, questions_dir: Path) -> None:
    link_a_secret_in(questions_dir)
    runner = app.test_cli_runner()
    for args in (["questions", "check"], ["questions", "sync"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert "quizzes/zz-shadow.yaml:0:0: this file is a link to a file outside the questions folder" in result.output
        assert "not-for-anyone" not in result.output and "secret-user" not in result.output


def test_f1_the_bank_page_names_the_link_and_shows_nothing_of_its_target(
    app: Flask, instructor: Actor, questions_dir: Path
) -> None:
    link_a_secret_in(questions_dir)
    page = instructor.client.get("/instructor/bank").get_data(as_text=True)
    assert "quizzes/zz-shadow.yaml" in page and "link to a file outside the questions folder" in page
    assert "not-for-anyone" not in page and "secret-user" not in page


def test_f8_the_bank_page_stops_checking_in_time_and_changes_nothing(
    app: Flask, instructor: Actor, questions_dir: Path
) -> None:
    before = dump(app)
    quiz = questions_dir / "quizzes" / "bridge.yaml"
    quiz.write_text(quiz.read_text() + "\n")  # changed since the last sync: it would be read again
    app.config["BANK_PAGE_SECONDS"] = 0
    page = instructor.client.get("/instructor/bank")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "not checked: checking the bank here stops after 0 seconds" in text
    assert "flask --app quizapp questions check" in text
    assert dump(app) == before  # and a sync from the page would keep the quiz as stored, not retire it


def test_f8_the_caps_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, app: Flask, questions_dir: Path
) -> None:
    monkeypatch.setenv("QUIZAPP_BANK_MAX_PASSAGES_PER_FILE", "2")
    small = create_app(
        {"TESTING": True, "SECRET_KEY": "k" * 32, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    small.config["QUESTIONS_DIR"] = questions_dir
    result = small.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 1
    assert "questions: the quiz has 3 questions; one file holds at most 2" in result.output
    with small.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QUIZAPP_BANK_MAX_FILE_KB", "1e3"),
        ("QUIZAPP_BANK_MAX_SOURCE_KB", "0"),
        ("QUIZAPP_BANK_MAX_PASSAGES_PER_FILE", "２００"),
        ("QUIZAPP_BANK_MAX_PASSAGES_PER_FILE", "200000000"),
    ],
)
def test_f8_f4_a_cap_that_is_not_a_whole_number_in_range_stops_the_app(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert refused.value.message.startswith(f"{name} must be a whole number from ")
    assert refused.value.message.endswith(f", not {value!r}")
