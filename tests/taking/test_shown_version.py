"""F9: a student is scored against the version of the question they were shown, and no other.

The question page signs the version it shows with the attempt's id; an answer
naming any other version (an older key, a passage not reached yet, a page of
another attempt) is refused, stores nothing, and sends the student back to the
passage they are on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Answer, Question, QuestionVersion

from ..support import Actor
from .test_quiz_flow import RIGHT, stored_answers

VOTE_KEY = "claim_type: factual\n"  # the key of the first passage, 'vote'


def change_vote_key(app: Flask, questions_dir: Path) -> None:
    """A new version of 'vote' with the key 'opinion' (what a student shown version 1 might prefer)."""
    path = questions_dir / "quizzes" / "bridge.yaml"
    text = path.read_text()
    assert text.count(VOTE_KEY) >= 1
    path.write_text(text.replace(VOTE_KEY, "claim_type: opinion\n", 1))
    with app.app_context():
        sync_bank(db.session, load_bank(questions_dir))


def version_ids(app: Flask, slug: str) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(QuestionVersion.id)
                .join(Question, Question.id == QuestionVersion.question_id)
                .filter(Question.slug == slug)
                .order_by(QuestionVersion.number)
            )
        )


def post(student: Actor, attempt: int, token: str, version: str, choice: tuple[str, str, str]):  # type: ignore[no-untyped-def]
    claim_type, speaker, evidence = choice
    return student.client.post(
        f"/attempts/{attempt}/answer",
        data={
            "csrf_token": token,
            "version": version,
            "claim_type": claim_type,
            "speaker": speaker,
            "evidence": evidence,
        },
    )


def assert_refused(app: Flask, student: Actor, attempt: int, response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302 and response.headers["Location"] == f"/attempts/{attempt}"
    assert stored_answers(app) == []


def test_f9_an_older_versions_id_cannot_be_swapped_in(app: Flask, student: Actor, questions_dir: Path) -> None:
    change_vote_key(app, questions_dir)
    old, new = version_ids(app, "vote")
    attempt = student.start()
    token, shown = student.current_form(attempt)
    assert shown.startswith(f"{new}.")
    # Version 1's id, bare or with the signature of the version shown: both refused.
    for forged in (str(old), f"{old}.{shown.partition('.')[2]}"):
        assert_refused(app, student, attempt, post(student, attempt, token, forged, ("factual", "outlet", "no")))
    # The version shown is scored against its own key: 'factual' is no longer right.
    assert post(student, attempt, token, shown, ("factual", "outlet", "no")).status_code == 302
    [answer] = stored_answers(app)
    assert (answer.question_version_id, answer.claim_type_score) == (new, 0.0)


def test_f9_a_passage_not_reached_yet_cannot_be_answered(app: Flask, student: Actor) -> None:
    attempt = student.start()
    token, _shown = student.current_form(attempt)
    [cracks] = version_ids(app, "cracks")
    assert_refused(app, student, attempt, post(student, attempt, token, str(cracks), RIGHT[2]))


def test_f9_a_form_from_another_attempt_is_refused(app: Flask, student: Actor) -> None:
    other = Actor(app.test_client())
    other.register("bob")
    bobs_attempt = other.start()
    _token, bobs_version = other.current_form(bobs_attempt)
    attempt = student.start()
    token, _shown = student.current_form(attempt)
    assert_refused(app, student, attempt, post(student, attempt, token, bobs_version, RIGHT[0]))


@pytest.mark.parametrize("value", ["", "abc", "-1", "999999", "9" * 30, "1.", ".abc", "²", "١"])
def test_f9_values_that_were_never_shown_are_refused(app: Flask, student: Actor, value: str) -> None:
    attempt = student.start()
    token, _shown = student.current_form(attempt)
    assert_refused(app, student, attempt, post(student, attempt, token, value, RIGHT[0]))


def test_a_page_opened_before_a_sync_is_scored_against_the_version_it_showed(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    """The reason the field exists: the key changed while the student read the passage."""
    attempt = student.start()
    token, shown = student.current_form(attempt)
    (old,) = version_ids(app, "vote")
    change_vote_key(app, questions_dir)
    assert post(student, attempt, token, shown, RIGHT[0]).status_code == 302
    [answer] = stored_answers(app)
    assert (answer.question_version_id, answer.claim_type_score) == (old, 1.0)
    with app.app_context():
        assert db.session.scalar(select(Answer.claim_type).filter_by(id=answer.id)) == "factual"
