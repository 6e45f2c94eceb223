"""Score review pages: the student's own results and the instructor pages."""

from __future__ import annotations

from flask import Flask

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT


def finish_quiz(actor: Actor, answers: list[tuple[str, str, str]], reasons: list[str]) -> int:
    attempt = actor.start()
    for choice, reason in zip(answers, reasons, strict=False):
        actor.answer(attempt, *choice, reason=reason)
    return attempt


def test_own_results_list_attempts_with_scores(student: Actor) -> None:
    finish_quiz(student, RIGHT, ["a", "b", "c"])
    page = student.client.get("/results").get_data(as_text=True)
    assert "The Old Bridge" in page and "Finished" in page and "100%" in page


def test_instructor_sees_quiz_table_question_stats_and_reasons(app: Flask, student: Actor, admin: Actor) -> None:
    finish_quiz(student, RIGHT, ["no quotes, so the paper", "judgement word", "reports named"])
    other = Actor(app.test_client())
    other.register("bob")
    finish_quiz(other, [("opinion", "mayor", "yes"), RIGHT[1], RIGHT[2]], ["<b>bold</b> guess", "", ""])

    students_page = admin.client.get("/instructor/quizzes/bridge/students").get_data(as_text=True)
    assert "ada" in students_page and "bob" in students_page
    assert "100%" in students_page  # ada on every part
    quiz_page = admin.client.get("/instructor/quizzes/bridge").get_data(as_text=True)
    assert "Opinion or judgement" in quiz_page  # bob's wrong claim type on 'vote' is the most common wrong one

    home = admin.client.get("/instructor").get_data(as_text=True)
    assert "The Old Bridge" in home and "ada" in home

    from sqlalchemy import select

    from quizapp.db import db
    from quizapp.models import Question, User

    with app.app_context():
        vote_id = db.session.scalar(select(Question.id).filter_by(slug="vote"))
        bob_id = db.session.scalar(select(User.id).filter_by(username="bob"))
    question_page = admin.client.get(f"/instructor/questions/{vote_id}").get_data(as_text=True)
    assert "50%" in question_page  # one of two right on claim type
    explanations = admin.client.get(f"/instructor/questions/{vote_id}/explanations").get_data(as_text=True)
    assert "no quotes, so the paper" in explanations
    assert "&lt;b&gt;bold&lt;/b&gt; guess" in explanations and "<b>bold</b>" not in explanations

    student_page = admin.client.get(f"/instructor/students/{bob_id}").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt; guess" in student_page
    assert "key: Factual claim" in student_page


def test_unknown_ids_are_404_not_500(instructor: Actor) -> None:
    for path in ("/instructor/quizzes/nope", "/instructor/questions/999", "/instructor/students/999"):
        assert instructor.client.get(path).status_code == 404, path
