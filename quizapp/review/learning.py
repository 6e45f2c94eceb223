"""What the learning pages show, gathered in a fixed number of statements whatever the class size.

The class page: one scan of the answers gives each attempt's sums (a GROUP BY
per attempt); each student's figures, the class's pooled ones and the pre/post
pairs are sums of those rows. Confidence per level is one more GROUP BY.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from markupsafe import Markup
from sqlalchemy import ColumnElement, select

from quizapp.db import db
from quizapp.models import Attempt, User
from quizapp.review import calibration, discernment, pre_post
from quizapp.review.discernment import Judgements, StudentJudgements
from quizapp.review.filters import Scope
from quizapp.review.formulas import Calibration


@dataclass(frozen=True)
class Confidence:
    found: Calibration
    chart: Markup | None


def confidence(conditions: Iterable[ColumnElement[bool]], chart_id: str, who: str) -> Confidence:
    found = calibration.calibration(conditions)
    return Confidence(found, calibration.chart(found, chart_id, who) if found.enough else None)


@dataclass(frozen=True)
class ClassLearning:
    students: list[StudentJudgements]
    pooled: Judgements
    confidence: Confidence
    pairs: list[pre_post.Pair]


def class_learning(scope: Scope) -> ClassLearning:
    attempts = discernment.by_attempt(scope.attempts())
    names = db.session.execute(
        select(User.id, User.username)
        .filter(User.id.in_(select(Attempt.user_id).filter(*scope.attempts())))
        .order_by(User.username_key)
    ).all()
    students = discernment.by_student(attempts, [(uid, name) for uid, name in names])
    pooled = reduce(lambda a, b: a + b, (s.judgements for s in students), Judgements())
    who = "the class" if scope.classroom else "all students"
    return ClassLearning(
        students, pooled, confidence(scope.attempts(), "class-calibration", who), pre_post.pairs(scope, attempts)
    )
