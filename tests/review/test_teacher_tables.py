"""Teacher tables say what each question is and what their figures count: the first words of
the passage beside every question id, half credit counted as half, and what discrimination needs."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Question, User

from ..bank.test_sync import edit, resync
from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .support import squash

# The first eight words of each passage of the bridge quiz (tests/data/questions/quizzes/bridge.yaml).
OPENING = {
    "vote": "“The city council voted 7 to 2 on…”",
    "disgrace": "“&#34;The bridge is a disgrace ... to every…”",
}


def finish(student: Actor, answers: list[tuple[str, str, str]]) -> None:
    attempt = student.start()
    for choice in answers:
        student.answer(attempt, *choice)


def page(actor: Actor, path: str) -> str:
    response = actor.client.get(path)
    assert response.status_code == 200, path
    return squash(response.get_data(as_text=True))


def test_every_table_of_questions_gives_the_first_words_of_each_passage(
    app: Flask, student: Actor, admin: Actor
) -> None:
    finish(student, RIGHT)
    with app.app_context():
        ada = db.session.scalar(select(User.id).filter_by(username="ada"))
    for path in ("/instructor/quizzes/bridge", "/instructor/quizzes/bridge/items", f"/instructor/students/{ada}"):
        shown = page(admin, path)
        for slug, words in OPENING.items():
            assert f'{slug} <span class="opening-words">{words}</span>' in shown, (path, slug)


def test_the_regrade_preview_names_the_question_by_its_first_words_too(
    app: Flask, student: Actor, admin: Actor, questions_dir: Path
) -> None:
    finish(student, RIGHT)
    edit(questions_dir, "claim_type: factual\n    speaker: outlet", "claim_type: rule\n    speaker: outlet")
    resync(app, questions_dir)
    preview = page(admin, "/instructor/bank?quiz=bridge")
    assert f'<td>bridge/vote <span class="opening-words">{OPENING["vote"]}</span></td>' in preview


def test_share_correct_counts_half_credit_as_half_and_says_so(app: Flask, student: Actor, admin: Actor) -> None:
    # disgrace is keyed opinion with factual for half credit: ada's claim type earns 0.5.
    finish(student, [RIGHT[0], ("factual", "mayor", "no"), RIGHT[2]])
    question = page(admin, "/instructor/quizzes/bridge")
    assert "half credit counts as half a correct answer" in question
    row = re.search(r'<tr[^>]*> <td><a href="[^"]+">disgrace .*?</tr>', question)
    assert row, "no row for disgrace"
    assert "<td>1</td> <td>50%</td><td>100%</td><td>100%</td>" in row.group(0)


def test_discrimination_says_how_many_students_it_needs_instead_of_dashes(
    app: Flask, student: Actor, admin: Actor
) -> None:
    finish(student, RIGHT)
    quiz = page(admin, "/instructor/quizzes/bridge")
    assert quiz.count('<td class="nowrap"><span class="muted">from 10 students</span></td>') == 3
    with app.app_context():
        vote = db.session.scalar(select(Question.id).filter_by(slug="vote"))
    question = page(admin, f"/instructor/questions/{vote}")
    assert question.count("from 10 students with a finished attempt") == 3
    assert '<td colspan="3">-</td>' not in question
