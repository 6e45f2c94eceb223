"""Discernment, calibration, pre/post gain and reliability on a small class, checked against numbers worked by hand.

Everything is entered through the app's forms (register, take a quiz, answer with
a stated confidence) and read back from the pages and CSV files a teacher uses.
The expected values are worked out in the comments from the answers below, with
z from a normal table; none comes from the app's code. The class is built once
for the module and only read; tests that need other data build their own.

Keys of the bridge quiz (and of bridge-post, its post-test, which asks how sure):
  vote: factual, outlet, evidence no · disgrace: opinion (factual half credit), mayor, no
  cracks: factual, council, yes
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from quizapp.models import ADMIN

from ..databases import DatabaseSupply
from ..support import Actor
from .learning_support import make_learning_app, take
from .support import class_id, create_class, read_csv, register, sign_in_instructor, squash, user_id

RIGHT = [("factual", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]
# The pre-test (bridge), item scores (vote, disgrace, cracks) out of 3 each:
PRE = {
    "sana": RIGHT,  # 3, 3, 3 = 9
    "timo": [RIGHT[0], ("factual", "mayor", "no"), ("opinion", "outlet", "no")],  # 3, 2.5, 0 = 5.5
    "ugo": [("opinion", "outlet", "no"), RIGHT[1], ("factual", "outlet", "yes")],  # 2, 3, 2 = 7
    "vera": [("opinion", "mayor", "yes"), ("opinion", "outlet", "yes"), ("opinion", "outlet", "no")],  # 0, 1, 0 = 1
}
# The post-test (bridge-post): all right but s4's cracks (opinion, outlet, no: 0 points).
POST = {"sana": RIGHT, "timo": RIGHT, "ugo": RIGHT, "vera": [RIGHT[0], RIGHT[1], ("opinion", "outlet", "no")]}
SURE = {"sana": "90", "timo": "75", "ugo": "50", "vera": "90"}  # each says the same for all three passages
# ada is in no class and takes bridge four times: twelve answers, enough for her own d′.
ADA = [
    [("factual", "outlet", "yes"), ("opinion", "mayor", "no"), ("factual", "council", "yes")],
    [("factual", "outlet", "no"), ("factual", "mayor", "yes"), ("factual", "council", "yes")],
    [("opinion", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")],
    [("opinion", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "no")],
]


@dataclass
class School:
    app: Flask
    instructor: Actor
    ada: Actor
    period: int


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory, databases: DatabaseSupply) -> Iterator[School]:
    app = make_learning_app(tmp_path_factory.mktemp("learning"), databases)
    instructor = sign_in_instructor(app, role=ADMIN)  # sees every student, in a class or not
    code = create_class(instructor, "Period 1")
    for name in PRE:
        student = register(app, name, code)
        take(student, "bridge", PRE[name])
        take(student, "bridge-post", POST[name], [SURE[name]] * 3)
    ada = register(app, "ada")
    for answers in ADA:
        take(ada, "bridge", answers)
    yield School(app, instructor, ada, class_id(app, "Period 1"))
    with app.app_context():
        from quizapp.db import db

        db.session.remove()
        db.engine.dispose()


def page(actor: Actor, path: str) -> str:
    response = actor.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return squash(response.get_data(as_text=True))


def test_a_students_own_discernment_and_bias(school: School) -> None:
    # Evidence, ada's 12 answers. Keyed yes (cracks, 4): yes in attempts 1-3: 3 hits, 1 miss.
    # Keyed no (vote and disgrace, 8): yes on vote in attempt 1 and disgrace in 2: 2 false alarms.
    #   H = (3 + 0.5) / (4 + 1) = 0.7          z(0.7) = 0.5244
    #   F = (2 + 0.5) / (8 + 1) = 0.2778       z(0.2778) = -0.5895
    #   d′ = 0.5244 + 0.5895 = 1.1139 ("fairly well": 0.75 <= d′ < 1.5)
    #   c = -(0.5244 - 0.5895) / 2 = +0.0326 ("leans neither way": |c| < 0.25)
    # Checkable, the same 12: keyed factual (vote, cracks: 8), factual chosen 6 times: 6 hits.
    # Keyed opinion (disgrace: 4), factual chosen once: 1 false alarm.
    #   H = 6.5 / 9 = 0.7222   z = 0.5895;   F = 1.5 / 5 = 0.3   z = -0.5244
    #   d′ = 1.1139, c = -(0.5895 - 0.5244) / 2 = -0.0326
    own = page(school.ada, "/results")
    assert "Tells passages with evidence from those without</h3>" in own
    assert "<strong>fairly well</strong>; leans neither way." in own
    assert "d′ +1.11 · c +0.03 · rests on 12 answers: 3 hits of 4, 2 false alarms of 8." in own
    assert "d′ +1.11 · c \u22120.03 · rests on 12 answers: 6 hits of 8, 1 false alarm of 4." in own
    assert "choosing factual on a passage keyed opinion" in own  # what counts as a hit is said
    ada_id = user_id(school.app, "ada")
    theirs = page(school.instructor, f"/instructor/students/{ada_id}")
    assert "d′ +1.11 · c +0.03 · rests on 12 answers: 3 hits of 4, 2 false alarms of 8." in theirs


def test_below_ten_answers_nothing_is_read_into_them(school: School) -> None:
    s4 = user_id(school.app, "vera")
    theirs = page(school.instructor, f"/instructor/students/{s4}")
    assert "Not shown yet: it needs at least 10 answers, to passages of both kinds; there are 6." in theirs
    assert "d′ " not in theirs


def test_quiz_overview_pools_the_class(school: School) -> None:
    # bridge, Period 1 (ada is in no class). Evidence: cracks yes for s1, s3: 2 hits of 4;
    # vote and disgrace yes only for s4: 2 false alarms of 8.
    #   H = 2.5 / 5 = 0.5  z = 0;  F = 2.5 / 9 = 0.2778  z = -0.5895
    #   d′ = 0.5895 ("barely": 0.3 <= d′ < 0.75); c = -(0 - 0.5895) / 2 = +0.2947 (leans towards no)
    # Checkable: factual chosen on vote by s1, s2 and on cracks by s1, s3: 4 hits of 8;
    # on disgrace by s2: 1 false alarm of 4.  H = 4.5 / 9 = 0.5, F = 1.5 / 5 = 0.3 (z = -0.5244):
    #   d′ = 0.5244, c = +0.2622
    overview = page(school.instructor, f"/instructor/quizzes/bridge?classroom={school.period}")
    assert "<strong>barely</strong>; leans towards saying it offers none." in overview
    assert "d′ +0.59 · c +0.29 · rests on 12 answers: 2 hits of 4, 2 false alarms of 8." in overview
    assert "d′ +0.52 · c +0.26 · rests on 12 answers: 4 hits of 8, 1 false alarm of 4." in overview


def test_class_calibration_chart_and_table(school: School) -> None:
    # bridge-post, stated chance per answer and its score (mean of the three parts):
    #   sana 0.9 x3, scores 1, 1, 1;  timo 0.75 x3, 1, 1, 1;  ugo 0.5 x3, 1, 1, 1;  vera 0.9 x3, 1, 1, 0
    # Per level: 50%: 3 answers, 3 right (100%); 75%: 3, 100%; 90%: 6 answers, 5 points (83%).
    # Mean stated = (6 x 0.9 + 3 x 0.75 + 3 x 0.5) / 12 = 9.15 / 12 = 0.7625; mean score 11/12 = 0.9167:
    # 15 points under-confident. Brier: s1 3 x 0.01, s2 3 x 0.0625, s3 3 x 0.25, s4 2 x 0.01 + 0.81
    #   = (0.03 + 0.1875 + 0.75 + 0.83) / 12 = 1.7975 / 12 = 0.1498
    learning = page(school.instructor, f"/instructor/learning?classroom={school.period}")
    assert "<strong>under-confident: 15 points less sure than the scores bear out</strong>" in learning
    assert "Stated chance 76% on average, share right 92%; Brier score 0.150" in learning
    for row in (
        '<th scope="row">Unsure (1 in 2)</th><td>50%</td><td>3</td><td>100%</td>',
        '<th scope="row">Fairly sure (3 in 4)</th><td>75%</td><td>3</td><td>100%</td>',
        '<th scope="row">Sure (9 in 10)</th><td>90%</td><td>6</td><td>83%</td>',
    ):
        assert row in learning
    svg = learning[learning.index('<svg class="chart"') : learning.index("</svg>")]
    assert 'font-size="12"' in svg and 'font-size="10"' not in svg
    assert "Sure (9 in 10): 83% right in 6 answers" in svg  # the chart's description gives its numbers


def test_pre_and_post_with_normalised_gain(school: School) -> None:
    # Before (bridge) per part, 12 answers of the 4 students:
    #   claim type (1+1+1) + (1+0.5+0) + (0+1+1) + (0+1+0) = 7.5 / 12 = 62.5%
    #   speaker 7 / 12 = 58.3%, evidence 8 / 12 = 66.7%, total 22.5 / 36 = 62.5%
    # After (bridge-post): only s4's cracks is wrong in every part: 11 / 12 = 91.7% each.
    #   g claim type = (91.67 - 62.5) / (100 - 62.5) = 0.778; speaker (91.67 - 58.33) / 41.67 = 0.80
    #   g evidence = (91.67 - 66.67) / 33.33 = 0.75; g total = 0.778
    # Evidence d′ before: as on the overview, +0.59 (c +0.29). After: cracks yes for s1-s3:
    #   H = 3.5 / 5 = 0.7 (z 0.5244), no false alarm in 8: F = 0.5 / 9 = 0.0556 (z -1.5932)
    #   d′ = 2.1176, c = -(0.5244 - 1.5932) / 2 = +0.5344
    learning = page(school.instructor, f"/instructor/learning?classroom={school.period}")
    section = learning[learning.index("The Old Bridge → The Old Bridge, again") :]
    assert "4 students finished both" in section
    for row in (
        '<th scope="row">Claim type</th><td>62%</td><td>92%</td><td>+0.78</td>',  # 62.5 rounds to even
        '<th scope="row">Speaker</th><td>58%</td><td>92%</td><td>+0.80</td>',
        '<th scope="row">Evidence</th><td>67%</td><td>92%</td><td>+0.75</td>',
        '<th scope="row">Total</th><td>62%</td><td>92%</td><td>+0.78</td>',
        '<th scope="row">Evidence: d′</th><td>+0.59</td><td>+2.12</td>',
        '<th scope="row">Evidence: c</th><td>+0.29</td><td>+0.53</td>',
    ):
        assert row in section, row


def test_reliability_and_item_statistics(school: School) -> None:
    # First attempts at bridge, Period 1. Item scores (vote, disgrace, cracks) and totals:
    #   sana 3, 3, 3 = 9;  s2 3, 2.5, 0 = 5.5;  s3 2, 3, 2 = 7;  s4 0, 1, 0 = 1
    # Sample variances: vote: mean 2, squares of deviations 1+1+0+4 = 6, / 3 = 2
    #   disgrace: mean 2.375, 0.390625+0.015625+0.390625+1.890625 = 2.6875, / 3 = 0.8958
    #   cracks: mean 1.25, 3.0625+1.5625+0.5625+1.5625 = 6.75, / 3 = 2.25
    #   totals: mean 5.625, 11.390625+0.015625+1.890625+21.390625 = 34.6875, / 3 = 11.5625
    # alpha = 3/2 x (1 - (2 + 0.8958 + 2.25) / 11.5625) = 1.5 x 0.55496 = 0.8324
    # error ratio = sqrt(1 - 0.8324) = 0.4094; SEM = 0.4094 x sqrt(11.5625) = 0.4094 x 3.4004 = 1.392
    # vote against the rest (9-3, 5.5-3, 7-2, 1-0) = (6, 2.5, 5, 1), mean 3.625:
    #   cross products of deviations (1)(2.375) + (1)(-1.125) + 0 + (-2)(-2.625) = 6.5
    #   rest squares 5.640625+1.265625+1.890625+6.890625 = 15.6875; r = 6.5 / sqrt(6 x 15.6875) = 0.670
    #   sorted pairing: vote (0, 2, 3, 3) with rest (1, 2.5, 5, 6): 0 + 5 + 15 + 18 = 38; actual 35.5;
    #   n x means = 4 x 2 x 3.625 = 29; efficiency = (35.5 - 29) / (38 - 29) = 0.722
    # facility of vote = 2 / 3 = 66.7%; SD = sqrt(2) / 3 = 47.1%
    rows = read_csv(
        school.instructor.client.get(f"/instructor/quizzes/bridge/items.csv?classroom={school.period}").get_data()
    )
    vote = next(r for r in rows if r["question"] == "vote")
    assert vote["attempts"] == "4"
    assert float(vote["quiz_alpha"]) == pytest.approx(0.832, abs=0.001)
    assert float(vote["quiz_standard_error"]) == pytest.approx(1.392, abs=0.001)
    assert float(vote["quiz_error_ratio_percent"]) == pytest.approx(40.9, abs=0.1)
    assert float(vote["item_rest_r"]) == pytest.approx(0.670, abs=0.001)
    assert float(vote["discriminative_efficiency_percent"]) == pytest.approx(72.2, abs=0.1)
    assert (vote["facility_percent"], vote["sd_percent"], vote["negative_item_rest_r"]) == ("66.7", "47.1", "no")
    items = page(school.instructor, f"/instructor/quizzes/bridge/items?classroom={school.period}")
    assert "<dt>Cronbach's alpha</dt><dd>0.83: consistent enough to rank students on this quiz</dd>" in items
    assert "negative item-rest r" not in items


def test_scores_csv_has_the_learning_columns(school: School) -> None:
    rows = read_csv(school.instructor.client.get("/instructor/exports/scores.csv").get_data())
    ada = next(r for r in rows if r["student"] == "ada")
    # As worked out for ada's own page: 3 hits, 2 false alarms, d′ 1.114, c 0.033 / -0.033.
    assert (ada["evidence_hits"], ada["evidence_false_alarms"]) == ("3", "2")
    assert float(ada["evidence_d_prime"]) == pytest.approx(1.114, abs=0.001)
    assert float(ada["evidence_bias_c"]) == pytest.approx(0.033, abs=0.001)
    assert float(ada["checkable_d_prime"]) == pytest.approx(1.114, abs=0.001)
    assert float(ada["checkable_bias_c"]) == pytest.approx(-0.033, abs=0.001)
    assert ada["mean_confidence"] == ada["brier"] == ""  # bridge does not ask
    s4_post = next(r for r in rows if r["student"] == "vera" and r["quiz"] == "bridge-post")
    # s4 said 0.9 three times and scored 1, 1, 0: Brier (0.01 + 0.01 + 0.81) / 3 = 0.2767
    assert (s4_post["mean_confidence"], s4_post["brier"]) == ("0.9", "0.277")
    assert s4_post["evidence_d_prime"] == ""  # 3 answers: below 10, left blank


def test_a_negative_item_rest_correlation_is_flagged(
    tmp_path_factory: pytest.TempPathFactory, databases: DatabaseSupply
) -> None:
    # disgrace goes against the rest: right for the two who get the rest wrong, and the other way round.
    #   a: vote 3, disgrace 1 (opinion, outlet, yes), cracks 3  -> rest 6
    #   b: vote 0, disgrace 3, cracks 0                          -> rest 0
    #   c: vote 3, disgrace 1, cracks 2                          -> rest 5
    # disgrace (1, 3, 1) against rest (6, 0, 5): as one rises the other falls, r < 0.
    app = make_learning_app(tmp_path_factory.mktemp("negative"), databases)
    instructor = sign_in_instructor(app, role=ADMIN)  # sees every student, in a class or not
    answers = {
        "abe": [RIGHT[0], ("opinion", "outlet", "yes"), RIGHT[2]],
        "bea": [("opinion", "mayor", "yes"), RIGHT[1], ("opinion", "outlet", "no")],
        "cyd": [RIGHT[0], ("opinion", "outlet", "yes"), ("factual", "outlet", "yes")],
    }
    for name, chosen in answers.items():
        take(register(app, name), "bridge", chosen)
    items = page(instructor, "/instructor/quizzes/bridge/items")
    assert items.count("&#9873; negative item-rest r") == 1
    flagged = items[items.index('<tr class="flagged">') :]
    assert '>disgrace <span class="opening-words">' in flagged[: flagged.index("</tr>")]
    with app.app_context():
        from quizapp.db import db

        db.session.remove()
        db.engine.dispose()


def test_a_student_sees_no_judgement_of_answers_still_unmarked(
    tmp_path_factory: pytest.TempPathFactory, databases: DatabaseSupply
) -> None:
    """A quiz that gives feedback at the end: its answers count on the student's own page only once finished."""
    app = make_learning_app(tmp_path_factory.mktemp("unmarked"), databases)
    instructor = sign_in_instructor(app, role=ADMIN)  # sees every student, in a class or not
    student = register(app, "dora")
    attempt = student.start("bridge-end")
    for choice in RIGHT[:2]:
        assert student.answer(attempt, *choice).status_code == 302
    own = page(student, "/results")
    assert "Not shown yet: it needs at least 10 answers, to passages of both kinds." in own  # no count at all
    dora = user_id(app, "dora")
    assert "there are 2." in page(instructor, f"/instructor/students/{dora}")  # the teacher sees them
    assert student.answer(attempt, *RIGHT[2]).status_code == 302
    assert "to passages of both kinds; there are 3." in page(student, "/results")
    with app.app_context():
        from quizapp.db import db

        db.session.remove()
        db.engine.dispose()
