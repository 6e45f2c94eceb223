"""Confidence against scores: answers per stated chance, in one GROUP BY, and the reliability chart."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup
from sqlalchemy import ColumnElement, func, select

from quizapp.db import db
from quizapp.models import ANSWER_POINTS, Answer, Attempt
from quizapp.review import charts
from quizapp.review.formulas import Calibration, Level
from quizapp.taking.confidence import BY_PERCENT


def calibration(conditions: Iterable[ColumnElement[bool]]) -> Calibration:
    """Answers with a stated chance, of attempts meeting `conditions` (on Attempt), per level."""
    points = ANSWER_POINTS  # 0..3; the score is a third
    rows = db.session.execute(
        select(Answer.confidence, func.count(), func.sum(points), func.sum(points * points))
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .filter(Answer.confidence.is_not(None), *conditions)
        .group_by(Answer.confidence)
        .order_by(Answer.confidence)
    )
    return Calibration([Level(int(p or 0), int(n), float(s) / 3, float(q) / 9) for p, n, s, q in rows])


def level_name(percent: int) -> str:
    level = BY_PERCENT.get(percent)
    return f"{level.word} ({level.odds})" if level else f"{percent}%"


def chart(found: Calibration, chart_id: str, who: str) -> Markup:
    desc = (
        f"Share of points {who} got at each level of confidence, against the chance the level stands for: "
        + "; ".join(
            f"{level_name(level.percent)}: {charts.percent(level.share_right)} right in {level.answers} answers"
            for level in found.levels
        )
        + ". Points on the diagonal are as sure as the scores bear out; below it, surer than the scores."
    )
    points = [(level.chance, level.share_right, f"{level.answers}") for level in found.levels]
    return charts.reliability_chart(chart_id, "Stated chance against share right", desc, points)
