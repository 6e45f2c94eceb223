"""Students in a live session: join, answer only the passage shown, see the key when it is revealed."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from quizapp.accounts import classrooms
from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Answer, Attempt, Classroom, LiveSession, QuestionVersion

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .support import VERSION, answer, start_session, step, student_page, user_id

EXPLANATION_1 = "A vote with its count and day is an event records could confirm."


def live_answers(app: Flask, username: str) -> list[tuple[int, str, str, bool, float]]:
    with app.app_context():
        rows = db.session.execute(
            select(Answer.question_id, Answer.claim_type, Answer.speaker, Answer.evidence, Answer.claim_type_score)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .where(Attempt.user_id == user_id(app, username), Attempt.live_session_id.is_not(None))
            .order_by(Answer.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def version_of(app: Flask, position: int) -> str:
    """The current version of the bridge quiz's passage at `position` (0, 1, 2)."""
    with app.app_context():
        versions = db.session.scalars(
            select(QuestionVersion.id).join(QuestionVersion.question).order_by(QuestionVersion.question_id)
        ).all()
        return str(versions[position])


def test_a_member_is_told_on_the_quiz_list_and_joins(
    app: Flask, instructor: Actor, student: Actor, cara: Actor, classroom: int
) -> None:
    assert "Your class is live" not in student.client.get("/").get_data(as_text=True)
    live_id = start_session(app, instructor, classroom)
    quiz_list = student.client.get("/").get_data(as_text=True)
    assert "Your class is live:" in quiz_list and f'href="/live/{live_id}"' in quiz_list
    assert "Your class is live" not in cara.client.get("/").get_data(as_text=True)  # not in the class
    assert cara.client.get(f"/live/{live_id}").status_code == 404

    page = student_page(student, live_id)
    assert "Passage 1 of 3" in page and "The city council voted 7 to 2" in page
    assert 'aria-live="polite"' in page and "Passage 1 of 3 is open: answer it now." in page


def test_joining_with_the_short_code(
    app: Flask, instructor: Actor, student: Actor, cara: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    with app.app_context():
        session = db.session.get(LiveSession, live_id)
        assert session is not None
        code = session.code
    typed = f" {code[:3].lower()}-{code[3:]} "  # as read off the projector, in any case
    response = student.client.get("/live", query_string={"code": typed})
    assert response.status_code == 302 and response.headers["Location"] == f"/live/{live_id}"

    wrong = student.client.get("/live", query_string={"code": "ZZZZZZ"})
    assert wrong.status_code == 400 and "No class session is running with this code" in wrong.get_data(as_text=True)
    outsider = cara.client.get("/live", query_string={"code": code})
    assert outsider.status_code == 400
    assert "This session is for the class Year 9. Join that class first" in outsider.get_data(as_text=True)
    assert student.client.get("/live").status_code == 200  # the empty form


def test_an_answer_is_stored_like_any_other_and_the_key_waits_for_reveal(
    app: Flask, instructor: Actor, student: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    response = answer(student, live_id, RIGHT[0], reason="Records would show the vote.")
    assert response.status_code == 302 and response.headers["Location"] == f"/live/{live_id}"
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).filter_by(live_session_id=live_id))
        assert attempt is not None and attempt.finished_at is None
        [stored] = attempt.answers
        assert (stored.claim_type, stored.speaker, stored.evidence) == ("factual", "outlet", False)
        assert stored.total_score == 3 and stored.reason == "Records would show the vote."

    waiting = student_page(student, live_id)
    assert "Your answer is in" in waiting and "Wait for your teacher to show the key" in waiting
    assert EXPLANATION_1 not in waiting and "Matches the key" not in waiting
    assert 'name="claim_type"' not in waiting

    assert step(instructor, live_id, "reveal").status_code == 302
    revealed = student_page(student, live_id)
    assert EXPLANATION_1 in revealed and revealed.count("Matches the key") == 3
    assert "Records would show the vote." in revealed


def test_a_student_cannot_run_ahead(app: Flask, instructor: Actor, student: Actor, classroom: int) -> None:
    live_id = start_session(app, instructor, classroom)
    ahead = answer(student, live_id, RIGHT[1], version=version_of(app, 1))
    assert ahead.status_code == 409
    body = ahead.get_data(as_text=True)
    assert "That passage is not open yet: answer the passage your teacher is showing now." in body
    assert "Passage 1 of 3" in body  # and the passage that is open, ready to answer
    assert live_answers(app, "ada") == []

    answer(student, live_id, RIGHT[0])
    assert answer(student, live_id, RIGHT[2], version=version_of(app, 2)).status_code == 409
    assert [row[0] for row in live_answers(app, "ada")] == [1]


def test_answers_close_when_the_key_is_shown_and_when_the_class_moves_on(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    shown = student_page(bob, live_id)  # bob reads passage 1 but is slow to answer
    version = VERSION.search(shown)
    assert version
    step(instructor, live_id, "reveal")
    late = answer(bob, live_id, RIGHT[0], version=version.group(1))
    assert late.status_code == 409
    assert "Answers to this passage closed when your teacher showed the key." in late.get_data(as_text=True)
    page = student_page(bob, live_id)
    assert "You did not answer this passage before the key was shown." in page and EXPLANATION_1 in page

    step(instructor, live_id, "next")
    behind = answer(bob, live_id, RIGHT[0], version=version.group(1))
    assert behind.status_code == 409 and "The class has moved on from that passage" in behind.get_data(as_text=True)
    assert live_answers(app, "bob") == []


def test_a_second_answer_keeps_the_first(app: Flask, instructor: Actor, student: Actor, classroom: int) -> None:
    live_id = start_session(app, instructor, classroom)
    page = student_page(student, live_id)
    version = VERSION.search(page)
    assert version
    answer(student, live_id, RIGHT[0])
    again = answer(student, live_id, ("opinion", "mayor", "yes"), version=version.group(1))
    assert again.status_code == 302
    assert "your first answer is kept" in student.client.get(again.headers["Location"]).get_data(as_text=True)
    assert [row[1] for row in live_answers(app, "ada")] == ["factual"]


def test_a_latecomer_joins_at_the_current_passage(app: Flask, instructor: Actor, cara: Actor, classroom: int) -> None:
    live_id = start_session(app, instructor, classroom)
    step(instructor, live_id, "next")
    step(instructor, live_id, "next")
    with app.app_context():
        joined = db.session.get(Classroom, classroom)
        assert joined is not None
        classrooms.join(joined, user_id(app, "cara"))
    page = student_page(cara, live_id)
    assert "Passage 3 of 3" in page and "reports show cracks in three" in page
    assert answer(cara, live_id, RIGHT[2]).status_code == 302
    assert [row[0] for row in live_answers(app, "cara")] == [3]


def test_end_closes_the_session_and_finishes_its_attempts(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0])
    shown = VERSION.search(student_page(bob, live_id))
    assert shown
    assert step(instructor, live_id, "end").status_code == 302

    refused = answer(bob, live_id, RIGHT[0], version=shown.group(1))
    assert refused.status_code == 409 and "This class session has ended" in refused.get_data(as_text=True)
    with app.app_context():
        attempts = db.session.scalars(select(Attempt).filter_by(live_session_id=live_id)).all()
        assert len(attempts) == 1 and attempts[0].finished_at is not None
        attempt_id = attempts[0].id
    page = student_page(student, live_id)
    assert "The session has ended" in page and f"/attempts/{attempt_id}/summary" in page
    summary = student.client.get(f"/attempts/{attempt_id}/summary").get_data(as_text=True)
    assert EXPLANATION_1 in summary  # every key of a finished attempt, as for any other
    assert "Your class is live" not in student.client.get("/").get_data(as_text=True)


def test_a_live_attempt_leaves_the_students_own_attempt_alone(
    app: Flask, instructor: Actor, student: Actor, classroom: int
) -> None:
    own = student.start()
    student.answer(own, *RIGHT[0])
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0])
    step(instructor, live_id, "next")
    answer(student, live_id, RIGHT[1])

    with app.app_context():
        open_attempts = db.session.execute(
            select(Attempt.id, Attempt.live_session_id).filter_by(user_id=user_id(app, "ada"), finished_at=None)
        ).all()
    assert sorted(open_attempts, key=lambda row: row[0]) == [(own, None), (own + 1, live_id)]
    assert "1 of 3 answered" in student.client.get("/").get_data(as_text=True)
    resumed = student.client.get(f"/attempts/{own}").get_data(as_text=True)
    assert "Passage 2 of 3" in resumed
    # Start on the quiz page resumes the own attempt, not the one in class.
    assert student.start() == own
    student.answer(own, *RIGHT[1])
    student.answer(own, *RIGHT[2])
    with app.app_context():
        finished = db.session.get(Attempt, own)
        live = db.session.get(Attempt, own + 1)
        assert finished is not None and finished.finished_at is not None
        assert live is not None and live.finished_at is None  # its session is still running


def test_the_quiz_pages_do_not_answer_or_show_keys_for_a_running_live_attempt(
    app: Flask, instructor: Actor, student: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0])
    with app.app_context():
        attempt_id, answer_id = db.session.execute(
            select(Attempt.id, Answer.id).join(Answer, Answer.attempt_id == Attempt.id)
        ).one()
    form = {"version": version_of(app, 1), "claim_type": "opinion", "speaker": "mayor", "evidence": "no"}
    page = student.client.get(f"/attempts/{attempt_id}")
    assert page.status_code == 302 and page.headers["Location"] == "/"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', student_page(student, live_id))
    assert token
    posted = student.client.post(f"/attempts/{attempt_id}/answer", data={**form, "csrf_token": token.group(1)})
    assert posted.status_code == 302 and posted.headers["Location"] == "/"
    assert "belongs to a class session that is still running" in student.client.get("/").get_data(as_text=True)
    for path in (f"/attempts/{attempt_id}/answers/{answer_id}", f"/attempts/{attempt_id}/summary"):
        shown = student.client.get(path, follow_redirects=True).get_data(as_text=True)
        assert EXPLANATION_1 not in shown and "Matches the key" not in shown, path
    mine = student.client.get("/results/answers").get_data(as_text=True)
    assert EXPLANATION_1 not in mine and "Your teacher shows the key and the explanation in class" in mine
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_review_pages_and_exports_include_live_answers(
    app: Flask, instructor: Actor, student: Actor, bob: Actor, classroom: int
) -> None:
    live_id = start_session(app, instructor, classroom)
    answer(student, live_id, RIGHT[0], reason="Council records would show it.")
    answer(bob, live_id, ("opinion", "outlet", "yes"))
    step(instructor, live_id, "end")
    overview = instructor.client.get(f"/instructor/quizzes/bridge?classroom={classroom}").get_data(as_text=True)
    assert "The Old Bridge" in overview
    exported = instructor.client.get("/instructor/exports/answers.csv?quiz=bridge").get_data(as_text=True)
    assert "Council records would show it." in exported and exported.count("\n") == 3  # header and two answers
    answers_page = instructor.client.get(f"/instructor/students/{user_id(app, 'ada')}").get_data(as_text=True)
    assert "Council records would show it." in answers_page


def test_an_answer_counts_against_the_version_shown_when_the_key_changed_meanwhile(
    app: Flask, instructor: Actor, student: Actor, classroom: int, questions_dir: Path
) -> None:
    live_id = start_session(app, instructor, classroom)
    shown = VERSION.search(student_page(student, live_id))
    assert shown
    path = questions_dir / "quizzes" / "bridge.yaml"  # the key of passage 1 changes during the lesson
    path.write_text(
        path.read_text().replace(
            "    claim_type: factual\n    speaker: outlet", "    claim_type: opinion\n    speaker: outlet", 1
        )
    )
    with app.app_context():
        sync_bank(db.session, load_bank(questions_dir))
    now_shown = VERSION.search(student_page(student, live_id))
    assert now_shown and now_shown.group(1) != shown.group(1)  # the page now shows the new version
    assert answer(student, live_id, RIGHT[0], version=shown.group(1)).status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(Answer)).one()
        assert str(stored.question_version_id) == shown.group(1) and stored.claim_type_score == 1
