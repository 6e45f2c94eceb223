"""`flask run --debug`: edited question files are synced on the next request."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.bank.watch import folder_signature, sync_if_changed
from quizapp.db import db
from quizapp.models import QuestionVersion

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .test_pages import vote_versions
from .test_regrade import VOTE_KEY, scores_by_student
from .test_sync import dump, edit


@pytest.fixture
def debug_app(app: Flask) -> Flask:
    app.config["DEBUG"] = True  # what `flask run --debug` sets
    return app


def test_debug_mode_syncs_an_edited_file_on_the_next_request(
    debug_app: Flask, student: Actor, questions_dir: Path
) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    assert vote_versions(debug_app) == [1]
    assert student.client.get("/").status_code == 200
    assert vote_versions(debug_app) == [1, 2]
    assert scores_by_student(debug_app)[("ada", "vote")] == (1.0, 1.0, 1.0)  # old answers keep their scores
    # A wording edit shows on the very next page: here the feedback after answering the next passage.
    edit(questions_dir, "No one is quoted; the newspaper", "Nobody is quoted; the newspaper")
    edit(questions_dir, "No report, figure or example is given", "No report, figure or instance is given")
    response = student.answer(attempt, *RIGHT[1])
    feedback = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No report, figure or instance is given" in feedback
    with debug_app.app_context():
        speaker_explanations = db.session.scalars(select(QuestionVersion.explain_speaker)).all()
        assert any(e.startswith("Nobody is quoted") for e in speaker_explanations)


def test_without_debug_an_edit_waits_for_a_sync(app: Flask, student: Actor, questions_dir: Path) -> None:
    assert not app.debug
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    before = dump(app)
    assert student.client.get("/").status_code == 200
    assert dump(app) == before


def test_a_broken_edit_in_debug_mode_changes_nothing_and_pages_still_work(
    debug_app: Flask, student: Actor, questions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    student.client.get("/")  # the first look
    before = dump(debug_app)
    edit(questions_dir, "claim_type: opinion", "claim_type: opinon")
    with caplog.at_level(logging.WARNING, logger=debug_app.logger.name):
        assert student.client.get("/").status_code == 200
    assert dump(debug_app) == before
    assert "unknown claim type 'opinon' - did you mean 'opinion'?" in caplog.text


def test_only_a_change_in_the_folder_loads_the_files_again(app: Flask, questions_dir: Path) -> None:
    with app.app_context():
        first = sync_if_changed(app)
        assert first is not None and not first.changed  # the first look syncs (nothing new here)
        assert sync_if_changed(app) is None
        # A source text counts too: passages are checked against it.
        source = questions_dir / "sources" / "daily-news.txt"
        stat = source.stat()
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert sync_if_changed(app) is not None
        assert sync_if_changed(app) is None


def test_signature_sees_edits_new_and_removed_files_but_not_hidden_ones(questions_dir: Path) -> None:
    start = folder_signature(questions_dir)
    (questions_dir / "quizzes" / ".bridge.yaml.swp").write_text("editor state")
    (questions_dir / ".git").mkdir()
    (questions_dir / ".git" / "index").write_text("x")
    assert folder_signature(questions_dir) == start
    extra = questions_dir / "quizzes" / "extra.yaml"
    extra.write_text("id: extra\n")
    with_extra = folder_signature(questions_dir)
    assert with_extra != start
    extra.write_text("id: extra2\n")
    assert folder_signature(questions_dir) != with_extra
    extra.unlink()
    assert folder_signature(questions_dir) == start
    assert folder_signature(questions_dir / "missing") == ()
