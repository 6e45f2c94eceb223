"""The learning statistics against scipy and numpy, on random classes stored in the real database.

benchmarks/seed.py (the benchmarks' own seeding) stores students with random
answers and stated confidence; the test then reads the raw answers and keys back
from the database, computes each figure with scipy/numpy (test-only dependencies),
and compares them with what the app's CSV exports say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from scipy import stats
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import ADMIN, Answer, Attempt, QuestionVersion, User

from ..databases import DatabaseSupply
from .support import make_app, read_csv, sign_in_instructor
from .test_queries import load_seed

STUDENTS, QUESTIONS = 40, 40  # 40 questions: 6 keyed factual, 6 keyed opinion, 20 with evidence


def raw_answers(app: Flask) -> dict[str, list[tuple[int, str, bool, str, bool, float, int]]]:
    """username -> (question, chosen claim type, said evidence, key claim type, key evidence, score, confidence)."""
    with app.app_context():
        rows = db.session.execute(
            select(
                User.username,
                Answer.question_id,
                Answer.claim_type,
                Answer.evidence,
                QuestionVersion.claim_type,
                QuestionVersion.evidence,
                Answer.claim_type_score + Answer.speaker_score + Answer.evidence_score,
                Answer.confidence,
            )
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .join(User, User.id == Attempt.user_id)
            .join(QuestionVersion, QuestionVersion.id == Answer.question_version_id)
        ).all()
    found: dict[str, list[tuple[int, str, bool, str, bool, float, int]]] = defaultdict(list)
    for name, *row in rows:
        found[name].append(tuple(row))  # type: ignore[arg-type]
    return found


def d_prime_and_c(said_yes: np.ndarray, keyed_yes: np.ndarray) -> tuple[float, float]:
    hits, false_alarms = np.sum(said_yes & keyed_yes), np.sum(said_yes & ~keyed_yes)
    hit_rate = (hits + 0.5) / (np.sum(keyed_yes) + 1)
    false_alarm_rate = (false_alarms + 0.5) / (np.sum(~keyed_yes) + 1)
    z_hit, z_false = stats.norm.ppf(hit_rate), stats.norm.ppf(false_alarm_rate)
    return float(z_hit - z_false), float(-(z_hit + z_false) / 2)


@pytest.fixture(params=[11, 22, 33], ids=lambda seed: f"seed{seed}")
def seeded(request: pytest.FixtureRequest, tmp_path: Path, databases: DatabaseSupply) -> Iterator[tuple[Flask, str]]:
    app = make_app(tmp_path, databases)
    with app.app_context():
        found = load_seed().seed(db.engine, students=STUDENTS, questions=QUESTIONS, prefix="r", rng_seed=request.param)
    yield app, found.quiz_slug
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_per_student_d_prime_c_and_brier_match_scipy(seeded: tuple[Flask, str]) -> None:
    app, quiz = seeded
    expected = raw_answers(app)
    rows = read_csv(
        sign_in_instructor(app, role=ADMIN).client.get(f"/instructor/exports/scores.csv?quiz={quiz}").get_data()
    )
    assert len(rows) == STUDENTS
    for row in rows:
        answers = expected[row["student"]]
        said = np.array([a[2] for a in answers])
        keyed = np.array([a[4] for a in answers])
        assert (int(row["evidence_hits"]), int(row["evidence_false_alarms"])) == (
            int(np.sum(said & keyed)),
            int(np.sum(said & ~keyed)),
        )
        d, c = d_prime_and_c(said, keyed)
        assert float(row["evidence_d_prime"]) == pytest.approx(d, abs=6e-4)
        assert float(row["evidence_bias_c"]) == pytest.approx(c, abs=6e-4)

        checkable = [a for a in answers if a[3] in ("factual", "opinion")]
        assert len(checkable) == 12
        d, c = d_prime_and_c(
            np.array([a[1] == "factual" for a in checkable]), np.array([a[3] == "factual" for a in checkable])
        )
        assert float(row["checkable_d_prime"]) == pytest.approx(d, abs=6e-4)
        assert float(row["checkable_bias_c"]) == pytest.approx(c, abs=6e-4)

        stated = np.array([a[6] for a in answers]) / 100
        scores = np.array([a[5] for a in answers]) / 3
        assert float(row["mean_confidence"]) == pytest.approx(float(np.mean(stated)), abs=6e-4)
        assert float(row["brier"]) == pytest.approx(float(np.mean((stated - scores) ** 2)), abs=6e-4)


def test_alpha_item_rest_r_and_efficiency_match_numpy(seeded: tuple[Flask, str]) -> None:
    app, quiz = seeded
    answers = raw_answers(app)
    names = sorted(answers)
    questions = sorted({a[0] for a in answers[names[0]]})
    # students x questions: each question's points (0..3); every seeded student finished once.
    matrix = np.array([[next(a[5] for a in answers[name] if a[0] == q) for q in questions] for name in names])
    totals = matrix.sum(axis=1)
    k = len(questions)
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / totals.var(ddof=1))

    rows = read_csv(sign_in_instructor(app, role=ADMIN).client.get(f"/instructor/quizzes/{quiz}/items.csv").get_data())
    assert len(rows) == QUESTIONS
    assert float(rows[0]["quiz_alpha"]) == pytest.approx(alpha, abs=6e-4)
    sem = np.sqrt(1 - alpha) * totals.std(ddof=1)
    assert float(rows[0]["quiz_standard_error"]) == pytest.approx(sem, abs=6e-4)
    for row, column in zip(rows, matrix.T, strict=True):
        rest = totals - column
        r = stats.pearsonr(column, rest).statistic
        assert float(row["item_rest_r"]) == pytest.approx(r, abs=6e-4)
        assert row["negative_item_rest_r"] == ("yes" if r < 0 else "no")
        covariance = np.cov(column, rest)[0, 1]
        largest = np.cov(np.sort(column), np.sort(rest))[0, 1]
        assert float(row["discriminative_efficiency_percent"]) == pytest.approx(100 * covariance / largest, abs=0.06)
        assert float(row["facility_percent"]) == pytest.approx(100 * column.mean() / 3, abs=0.06)
        assert float(row["sd_percent"]) == pytest.approx(100 * column.std(ddof=1) / 3, abs=0.06)
