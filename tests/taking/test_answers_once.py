"""Answers are never lost or doubled: replays, back button, two tabs, retired questions, a busy database.

Sequential interleavings through the test client here; the same with real
threads against gunicorn in test_load.py.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
import threading

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, utcnow
from quizapp.taking import shown_version

from ..support import Actor
from .test_quiz_flow import RIGHT, stored_answers

db_module = importlib.import_module("quizapp.db")  # the module; `quizapp.db` the attribute is the SQLAlchemy object


def form_data(form: tuple[str, str], choice: tuple[str, str, str], reason: str = "") -> dict[str, str]:
    token, version = form
    claim_type, speaker, evidence = choice
    return {
        "csrf_token": token,
        "version": version,
        "claim_type": claim_type,
        "speaker": speaker,
        "evidence": evidence,
        "reason": reason,
    }


def attempt_state(app: Flask, attempt_id: int) -> tuple[int, bool]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        count = db.session.scalar(select(func.count()).select_from(Answer).filter_by(attempt_id=attempt_id))
        return count or 0, attempt.finished_at is not None


def test_back_button_and_resubmit_keeps_the_first_answer(app: Flask, student: Actor) -> None:
    attempt = student.start()
    first_form = student.current_form(attempt)
    first = student.client.post(f"/attempts/{attempt}/answer", data=form_data(first_form, RIGHT[0], "first"))
    student.answer(attempt, *RIGHT[1])
    # The browser's back button shows the first question's page again, with its old form.
    again = student.client.post(
        f"/attempts/{attempt}/answer", data=form_data(first_form, ("opinion", "mayor", "yes"), "second thoughts")
    )
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    page = student.client.get(again.headers["Location"]).get_data(as_text=True)
    assert "You had already answered this question; your first answer is kept." in page
    answers = stored_answers(app)
    assert [(a.claim_type, a.reason) for a in answers] == [("factual", "first"), ("opinion", "")]
    assert attempt_state(app, attempt) == (2, False)


def test_two_tabs_on_one_attempt(app: Flask, student: Actor) -> None:
    """Tab A opens passage 1 and waits; tab B answers passages 1 and 2; then tab A submits."""
    attempt = student.start()
    tab_a = student.current_form(attempt)
    tab_b = student.current_form(attempt)
    assert tab_a[1] == tab_b[1]  # the same passage in both tabs
    student.client.post(f"/attempts/{attempt}/answer", data=form_data(tab_b, RIGHT[0], "from tab B"))
    student.answer(attempt, *RIGHT[1])
    late = student.client.post(f"/attempts/{attempt}/answer", data=form_data(tab_a, ("rule", "outlet", "yes")))
    assert late.status_code == 302
    assert attempt_state(app, attempt) == (2, False)
    # Tab A reloads: the next passage is the third, as in tab B.
    assert "Passage 3 of 3" in student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    student.answer(attempt, *RIGHT[2])
    assert attempt_state(app, attempt) == (3, True)
    assert [a.reason for a in stored_answers(app)][0] == "from tab B"
    summary = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert "9 of 9" in summary
    # A stale tab posting after the end changes nothing; it is shown the answer that was kept.
    after = student.client.post(f"/attempts/{attempt}/answer", data=form_data(tab_a, RIGHT[0]))
    first_answer_id = stored_answers(app)[0].id
    assert after.headers["Location"].endswith(f"/attempts/{attempt}/answers/{first_answer_id}")
    assert attempt_state(app, attempt) == (3, True)


def test_answers_out_of_order_finish_the_attempt_once_all_are_in(app: Flask, student: Actor) -> None:
    """Pages of one attempt shown in another order (tabs opened around a reordering
    sync) can post passages in any order; the attempt ends when the last is in."""
    attempt = student.start()
    token = student.current_form(attempt)[0]
    with app.app_context():
        versions = {
            q.slug: shown_version.form_value(attempt, q.current_version_id)
            for q in db.session.scalars(select(Question))
            if q.current_version_id is not None
        }
    for slug, choice in (("cracks", RIGHT[2]), ("vote", RIGHT[0])):
        student.client.post(f"/attempts/{attempt}/answer", data=form_data((token, versions[slug]), choice))
        assert attempt_state(app, attempt)[1] is False
    student.client.post(f"/attempts/{attempt}/answer", data=form_data((token, versions["disgrace"]), RIGHT[1]))
    assert attempt_state(app, attempt) == (3, True)


def test_questions_retired_mid_attempt_end_it_without_a_redirect_loop(app: Flask, student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.answer(attempt, *RIGHT[1])
    with app.app_context():
        question = db.session.scalar(select(Question).filter_by(slug="cracks"))
        assert question is not None
        question.retired_at = utcnow()
        db.session.commit()
    take = student.client.get(f"/attempts/{attempt}")
    assert take.headers["Location"].endswith(f"/attempts/{attempt}/summary")
    summary = student.client.get(take.headers["Location"])
    assert summary.status_code == 200 and "6 of 6" in summary.get_data(as_text=True)
    assert attempt_state(app, attempt) == (2, True)


def sqlite_only(app: Flask) -> str:
    """The database file; tests of SQLite's own locking are skipped on other databases."""
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite's locking and PRAGMAs only")
    return url.removeprefix("sqlite:///")


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app: Flask) -> None:
    sqlite_only(app)
    with app.app_context():
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == db_module.BUSY_TIMEOUT_MS == 15000


@pytest.fixture
def database_path(app: Flask) -> str:
    return sqlite_only(app)


def test_a_writer_waits_for_the_lock_instead_of_failing(app: Flask, student: Actor, database_path: str) -> None:
    attempt = student.start()
    form = student.current_form(attempt)
    holding, release = threading.Event(), threading.Event()

    def hold_briefly() -> None:
        connection = sqlite3.connect(database_path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        holding.set()
        release.wait(timeout=0.5)  # let the answer start waiting, then let go
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=hold_briefly)
    thread.start()
    assert holding.wait(timeout=10)
    response = student.client.post(f"/attempts/{attempt}/answer", data=form_data(form, RIGHT[0]))
    thread.join(timeout=30)
    assert response.status_code == 302
    assert attempt_state(app, attempt) == (1, False)


def test_a_lock_held_too_long_gives_a_busy_page_and_loses_nothing(
    app: Flask, student: Actor, database_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = student.start()
    form = student.current_form(attempt)
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    with app.app_context():
        db.engine.dispose()  # new connections get the short timeout
    connection = sqlite3.connect(database_path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        busy = student.client.post(f"/attempts/{attempt}/answer", data=form_data(form, RIGHT[0]))
    finally:
        connection.execute("COMMIT")
        connection.close()
    page = busy.get_data(as_text=True)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "press the button again: an answer is never stored twice" in page
    assert not re.search(r"locked|Traceback|OperationalError", page)
    assert attempt_state(app, attempt) == (0, False)
    # Pressing the button again stores the answer, once.
    assert student.client.post(f"/attempts/{attempt}/answer", data=form_data(form, RIGHT[0])).status_code == 302
    assert student.client.post(f"/attempts/{attempt}/answer", data=form_data(form, RIGHT[0])).status_code == 302
    assert attempt_state(app, attempt) == (1, False)
