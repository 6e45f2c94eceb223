"""A student takes a quiz through the real app: pages, scoring, storage, resuming."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.db import db
from quizapp.models import Answer, Attempt

from ..support import Actor

RIGHT = [("factual", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]


def stored_answers(app: Flask) -> list[Answer]:
    with app.app_context():
        rows = db.session.scalars(select(Answer).order_by(Answer.id)).all()
        db.session.expunge_all()
        return list(rows)


def test_quiz_list_shows_progress(student: Actor) -> None:
    page = student.client.get("/").get_data(as_text=True)
    assert "The Old Bridge" in page and "Not started" in page
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    page = student.client.get("/").get_data(as_text=True)
    assert "1 of 3 answered" in page


def test_question_page_shows_passage_source_choices_and_definitions(student: Actor) -> None:
    attempt = student.start()
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert "The city council voted 7 to 2" in page
    assert "Council Votes to Close the Old Bridge" in page and "The Daily Example" in page and "news report" in page
    assert "Cause and effect" in page and "Says that one thing caused" in page
    assert "Mayor Ana Reyes" in page
    assert page.count("<fieldset") == 3 and page.count("<legend>") == 3
    assert 'name="reason"' in page


def test_answer_is_scored_stored_and_explained(app: Flask, student: Actor) -> None:
    attempt = student.start()
    response = student.answer(attempt, "opinion", "outlet", "yes", reason="It sounds like a judgement")
    assert response.status_code == 302
    feedback = student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A vote with its count and day is an event records could confirm." in feedback
    assert "Does not match the key" in feedback and "Matches the key" in feedback
    assert "It sounds like a judgement" in feedback
    [answer] = stored_answers(app)
    assert (answer.claim_type, answer.speaker, answer.evidence) == ("opinion", "outlet", True)
    assert (answer.claim_type_score, answer.speaker_score, answer.evidence_score) == (0.0, 1.0, 0.0)
    assert answer.reason == "It sounds like a judgement"
    assert answer.attempt_id == attempt and answer.question_version_id is not None
    assert answer.answered_at is not None


def test_accepted_alternate_earns_half(app: Flask, student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    response = student.answer(attempt, "factual", "mayor", "no")
    assert "Half credit" in student.client.get(response.headers["Location"]).get_data(as_text=True)
    assert stored_answers(app)[1].claim_type_score == 0.5


def test_whole_quiz_ends_with_summary_per_part(app: Flask, student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.answer(attempt, *RIGHT[1])
    last = student.answer(attempt, "factual", "outlet", "yes")
    feedback = student.client.get(last.headers["Location"]).get_data(as_text=True)
    assert "See your results" in feedback
    summary = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert "3 of 3" in summary  # claim type and evidence: all right
    assert "2 of 3" in summary  # speaker: one wrong
    assert "8 of 9" in summary
    with app.app_context():
        assert db.session.get(Attempt, attempt).finished_at is not None  # type: ignore[union-attr]


def test_leaving_and_coming_back_resumes(student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.logout()
    student.login("ada")
    assert student.start() == attempt
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert "Passage 2 of 3" in page and "disgrace" in page


def test_retake_is_a_new_attempt(app: Flask, student: Actor) -> None:
    first = student.start()
    for choice in RIGHT:
        student.answer(first, *choice)
    second = student.start()
    assert second != first
    student.answer(second, "rule", "outlet", "no")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 2
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 4


def test_value_that_is_not_a_choice_is_refused_and_nothing_stored(app: Flask, student: Actor) -> None:
    attempt = student.start()
    response = student.answer(attempt, "definitely-true", "outlet", "maybe")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page
    assert "The city council voted 7 to 2" in page  # the same passage, to answer again
    assert stored_answers(app) == []


@pytest.mark.parametrize("version", ["", "abc", "-1", "999999", "9" * 30])
def test_a_version_that_is_not_one_of_the_quiz_is_sent_back_to_the_question(
    app: Flask, student: Actor, version: str
) -> None:
    """A tampered or stale form (a number too large for the database too) loses nothing."""
    attempt = student.start()
    token, _version = student.current_form(attempt)
    data = {"csrf_token": token, "version": version, "claim_type": "factual", "speaker": "outlet", "evidence": "no"}
    response = student.client.post(f"/attempts/{attempt}/answer", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/attempts/{attempt}"
    assert "no longer part of this quiz" in student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert stored_answers(app) == []


def test_missing_parts_are_named(app: Flask, student: Actor) -> None:
    attempt = student.start()
    token, version = student.current_form(attempt)
    response = student.client.post(f"/attempts/{attempt}/answer", data={"csrf_token": token, "version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a claim type." in page and "Choose who is speaking." in page
    assert stored_answers(app) == []


def test_speaker_outside_the_questions_choices_is_refused(app: Flask, student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.answer(attempt, *RIGHT[1])
    response = student.answer(attempt, "factual", "mayor", "yes")  # cracks offers outlet and council only
    assert response.status_code == 400
    assert len(stored_answers(app)) == 2


def test_double_submission_stores_one_answer(app: Flask, student: Actor) -> None:
    attempt = student.start()
    token, version = student.current_form(attempt)
    data = {"csrf_token": token, "version": version, "claim_type": "factual", "speaker": "outlet", "evidence": "no"}
    first = student.client.post(f"/attempts/{attempt}/answer", data=data)
    replay = student.client.post(f"/attempts/{attempt}/answer", data={**data, "claim_type": "opinion"})
    assert first.status_code == replay.status_code == 302
    assert first.headers["Location"] == replay.headers["Location"]
    [answer] = stored_answers(app)
    assert answer.claim_type == "factual"


def test_missing_csrf_token_is_refused(app: Flask, student: Actor) -> None:
    attempt = student.start()
    _token, version = student.current_form(attempt)
    response = student.client.post(
        f"/attempts/{attempt}/answer",
        data={"version": version, "claim_type": "factual", "speaker": "outlet", "evidence": "no"},
    )
    assert response.status_code == 400
    assert stored_answers(app) == []


def test_required_reason(app: Flask, student: Actor, questions_dir) -> None:  # type: ignore[no-untyped-def]
    from quizapp.bank.files import load_bank
    from quizapp.bank.sync import sync_bank

    path = questions_dir / "quizzes" / "bridge.yaml"
    path.write_text(path.read_text().replace("source: daily-news\n", "source: daily-news\nask_reason: required\n", 1))
    with app.app_context():
        sync_bank(db.session, load_bank(questions_dir))
    attempt = student.start()
    response = student.answer(attempt, *RIGHT[0], reason="  ")
    assert response.status_code == 400
    assert "This quiz asks you to explain your answer." in response.get_data(as_text=True)
    assert student.answer(attempt, *RIGHT[0], reason="No one is quoted").status_code == 302


def test_feedback_at_the_end(app: Flask, student: Actor, questions_dir) -> None:  # type: ignore[no-untyped-def]
    from quizapp.bank.files import load_bank
    from quizapp.bank.sync import sync_bank

    path = questions_dir / "quizzes" / "bridge.yaml"
    path.write_text(path.read_text().replace("source: daily-news\n", "source: daily-news\nfeedback: end\n", 1))
    with app.app_context():
        sync_bank(db.session, load_bank(questions_dir))
    attempt = student.start()
    response = student.answer(attempt, *RIGHT[0])
    assert response.headers["Location"].endswith(f"/attempts/{attempt}")
    answer_id = stored_answers(app)[0].id
    early = student.client.get(f"/attempts/{attempt}/answers/{answer_id}")
    assert early.status_code == 302  # no key before the end
    student.answer(attempt, *RIGHT[1])
    student.answer(attempt, *RIGHT[2])
    summary = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert "A vote with its count and day is an event records could confirm." in summary
