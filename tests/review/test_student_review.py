"""A student's own history and answers; the instructor's view of one student."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from quizapp.db import db

from ..databases import DatabaseSupply
from ..support import Actor
from .support import DATA, RIGHT, create_class, make_app, register, sign_in_instructor, squash, take_quiz, user_id

LATER = """\
id: later
title: The Old Bridge, answers at the end
source: daily-news
feedback: end
speakers:
  - id: outlet
    label: The Daily Example, in its own voice
  - id: mayor
    label: Mayor Ana Reyes
questions:
  - id: later-vote
    passage: The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May.
    claim_type: factual
    speaker: outlet
    evidence: no
    explain:
      claim_type: A count and a day make it checkable, said at the end.
      speaker: Nobody is quoted.
      evidence: Nothing backs the report.
  - id: later-disgrace
    passage: >
      "The bridge is a disgrace and a danger to every family in this town," said Mayor Ana Reyes.
    claim_type: opinion
    speaker: mayor
    evidence: no
    explain:
      claim_type: A judgement.
      speaker: Quoted and attributed.
      evidence: No support given.
"""


@pytest.fixture
def school(tmp_path: Path, databases: DatabaseSupply) -> Iterator[Flask]:
    """The test bank plus a quiz that shows its answers only at the end."""
    questions = tmp_path / "source-questions"
    shutil.copytree(DATA / "questions", questions)
    (questions / "quizzes" / "later.yaml").write_text(LATER, encoding="utf-8")
    (tmp_path / "app").mkdir()
    app = make_app(tmp_path / "app", databases, questions)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_history_across_quizzes_and_attempts_with_a_chart_and_table(school: Flask) -> None:
    ada = register(school, "ada")
    take_quiz(ada, RIGHT, ["", "", ""])
    take_quiz(ada, [("opinion", "mayor", "yes"), RIGHT[1], RIGHT[2]], ["", "", ""])  # a retake
    page = squash(ada.client.get("/results").get_data(as_text=True))
    svg = re.search(r"<svg .*?</svg>", page)
    assert svg and "<title" in svg.group(0) and "<desc" in svg.group(0)
    assert "in 2 attempt(s) by you" in svg.group(0)
    assert "Latest, attempt #2 (The Old Bridge): claim type 67%, speaker 67%, evidence 67%." in svg.group(0)
    # The table holds the same numbers, newest first.
    assert re.search(r"<td>2</td> <td>The Old Bridge</td>.*?<td>67%</td><td>67%</td><td>67%</td><td>67%</td>", page)
    assert re.search(r"<td>1</td> <td>The Old Bridge</td>.*?<td>100%</td><td>100%</td><td>100%</td><td>100%</td>", page)


def test_every_answer_with_key_explanation_and_own_reason(school: Flask) -> None:
    ada = register(school, "ada")
    take_quiz(ada, [("opinion", "mayor", "yes"), RIGHT[1], RIGHT[2]], ["my <i>own</i> reason", "", ""])
    bob = register(school, "bob")
    take_quiz(bob, RIGHT, ["bob's secret reason", "", ""])
    page = squash(ada.client.get("/results/answers").get_data(as_text=True))
    assert "A vote with its count and day is an event records could confirm." in page
    assert "<strong>Your reason:</strong> my &lt;i&gt;own&lt;/i&gt; reason" in page
    assert "Does not match the key" in page and "Factual claim" in page  # the key beside the wrong answer
    assert "bob&#39;s secret reason" not in page and "bob's secret reason" not in page


def test_no_key_or_score_before_the_end_of_a_quiz_that_gives_feedback_at_the_end(school: Flask) -> None:
    ada = register(school, "ada")
    attempt = ada.start("later")
    ada.answer(attempt, "opinion", "mayor", "yes", reason="first thoughts")
    results = squash(ada.client.get("/results").get_data(as_text=True))
    assert "Shown when you finish this attempt" in results and "<svg" not in results
    answers = squash(ada.client.get("/results/answers").get_data(as_text=True))
    assert "first thoughts" in answers and "shown when you finish this attempt" in answers
    assert "said at the end" not in answers and "Does not match the key" not in answers
    ada.answer(attempt, "opinion", "mayor", "no")
    finished = squash(ada.client.get("/results/answers").get_data(as_text=True))
    assert "A count and a day make it checkable, said at the end." in finished and "Does not match the key" in finished


def test_instructor_sees_a_students_history_and_answers(school: Flask) -> None:
    instructor: Actor = sign_in_instructor(school)
    ada = register(school, "ada", create_class(instructor, "Period 1"))  # a student of the instructor's class
    take_quiz(ada, RIGHT, ["because <script>", "", ""])
    ada.answer(ada.start("later"), "opinion", "mayor", "yes")  # unfinished: the instructor sees it anyway
    page = squash(instructor.client.get(f"/instructor/students/{user_id(school, 'ada')}").get_data(as_text=True))
    assert "because &lt;script&gt;" in page and "<script>" not in page
    assert "in progress" in page and "key: Factual claim" in page
    assert "<svg" in page and "by ada" in page
    assert "/instructor/quizzes/bridge/confusion?student=" in page
