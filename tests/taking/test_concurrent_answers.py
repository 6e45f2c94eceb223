"""Answers to one attempt arriving at the same moment, on whichever database the suite runs."""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.db import db
from quizapp.models import Answer, Attempt, Question
from quizapp.taking import shown_version

from ..support import CSRF_FIELD, Actor
from .test_quiz_flow import RIGHT

ROUNDS = 6


def second_tab(app: Flask, first: FlaskClient) -> FlaskClient:
    """Another tab of the same browser: the same session cookie."""
    tab = app.test_client()
    cookie = first.get_cookie("session")
    assert cookie is not None
    tab.set_cookie("session", cookie.value)
    return tab


def version_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(Question.slug, Question.current_version_id)).all()
        return {slug: version for slug, version in rows if version is not None}


def shown(app: Flask, attempt: int, version: int) -> str:
    """The version field as the attempt's question page for that version sends it."""
    with app.app_context():
        return shown_version.form_value(attempt, version)


def post_at_once(requests: list[tuple[FlaskClient, str, dict[str, str]]]) -> list[int]:
    """Send every request from its own thread, released together."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def send(index: int, client: FlaskClient, path: str, data: dict[str, str]) -> None:
        barrier.wait(timeout=30)
        statuses[index] = client.post(path, data=data).status_code

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_the_last_two_answers_sent_at_once_finish_the_attempt(app: Flask) -> None:
    """Whichever request stores the last answer must see the other one and finish the attempt."""
    versions = version_ids(app)
    for round_number in range(ROUNDS):
        student = Actor(app.test_client())
        student.register(f"twin-{round_number}")
        attempt = student.start()
        student.answer(attempt, *RIGHT[0])
        tab = second_tab(app, student.client)
        page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
        token = CSRF_FIELD.search(page)
        assert token is not None
        path = f"/attempts/{attempt}/answer"
        statuses = post_at_once(
            [
                (student.client, path, _answer(token.group(1), shown(app, attempt, versions["disgrace"]), RIGHT[1])),
                (tab, path, _answer(token.group(1), shown(app, attempt, versions["cracks"]), RIGHT[2])),
            ]
        )
        assert statuses == [302, 302], statuses
        with app.app_context():
            stored = db.session.scalar(select(func.count()).select_from(Answer).filter_by(attempt_id=attempt))
            finished = db.session.get(Attempt, attempt).finished_at  # type: ignore[union-attr]
        assert stored == 3
        assert finished is not None, f"round {round_number}: all answered, attempt left open"
        summary = student.client.get(f"/attempts/{attempt}/summary")
        assert summary.status_code == 200 and "3 of 3" in summary.get_data(as_text=True)


def test_one_question_sent_from_two_tabs_at_once_is_stored_once(app: Flask) -> None:
    versions = version_ids(app)
    for round_number in range(ROUNDS):
        student = Actor(app.test_client())
        student.register(f"double-{round_number}")
        attempt = student.start()
        tab = second_tab(app, student.client)
        token, version = student.current_form(attempt)
        assert version == shown(app, attempt, versions["vote"])
        path = f"/attempts/{attempt}/answer"
        statuses = post_at_once(
            [
                (student.client, path, _answer(token, version, RIGHT[0])),
                (tab, path, _answer(token, version, ("opinion", "mayor", "yes"))),
            ]
        )
        assert statuses == [302, 302], statuses
        with app.app_context():
            stored = db.session.scalars(select(Answer).filter_by(attempt_id=attempt)).all()
            assert len(stored) == 1
            assert (stored[0].claim_type, stored[0].speaker) in {("factual", "outlet"), ("opinion", "mayor")}


def _answer(token: str, version: str, choice: tuple[str, str, str]) -> dict[str, str]:
    claim_type, speaker, evidence = choice
    return {
        "csrf_token": token,
        "version": version,
        "claim_type": claim_type,
        "speaker": speaker,
        "evidence": evidence,
    }
