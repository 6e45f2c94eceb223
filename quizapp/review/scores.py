"""Score aggregates for the review pages, computed in SQL (GROUP BY), never row by row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, QuestionVersion, User
from quizapp.review.filters import Scope

EVERYONE = Scope()


@dataclass(frozen=True)
class PartScores:
    """Mean score per part, 0..1, over `answers` answers."""

    answers: int
    claim_type: float
    speaker: float
    evidence: float

    @property
    def total(self) -> float:
        return (self.claim_type + self.speaker + self.evidence) / 3


def _means() -> tuple[ColumnElement[Any], ...]:
    return (
        func.count(Answer.id),
        func.avg(Answer.claim_type_score),
        func.avg(Answer.speaker_score),
        func.avg(Answer.evidence_score),
    )


def _part_scores(count: int, ct: float | None, sp: float | None, ev: float | None) -> PartScores:
    return PartScores(count, float(ct or 0), float(sp or 0), float(ev or 0))


def attempt_scores(attempt_ids: Iterable[int]) -> dict[int, PartScores]:
    ids = list(attempt_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Answer.attempt_id, *_means()).filter(Answer.attempt_id.in_(ids)).group_by(Answer.attempt_id)
    )
    return {attempt_id: _part_scores(count, ct, sp, ev) for attempt_id, count, ct, sp, ev in rows}


@dataclass(frozen=True)
class StudentRow:
    user_id: int
    username: str
    attempts: int
    finished: int
    scores: PartScores


def students_in_quiz(quiz_id: int, scope: Scope = EVERYONE) -> list[StudentRow]:
    """One row per student who answered anything in this quiz."""
    answer_stats = (
        select(Attempt.user_id.label("user_id"), *[c.label(f"c{i}") for i, c in enumerate(_means())])
        .join(Answer, Answer.attempt_id == Attempt.id)
        .filter(Attempt.quiz_id == quiz_id, *scope.attempts())
        .group_by(Attempt.user_id)
        .subquery()
    )
    attempt_stats = (
        select(
            Attempt.user_id.label("user_id"),
            func.count(Attempt.id).label("attempts"),
            func.sum(case((Attempt.finished_at.is_not(None), 1), else_=0)).label("finished"),
        )
        .filter(Attempt.quiz_id == quiz_id, *scope.attempts())
        .group_by(Attempt.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User.id, User.username, attempt_stats.c.attempts, attempt_stats.c.finished, *answer_stats.c[1:])
        .join(attempt_stats, attempt_stats.c.user_id == User.id)
        .join(answer_stats, answer_stats.c.user_id == User.id)
        .order_by(User.username_key)  # not by case, which SQLite and PostgreSQL sort differently
    )
    return [StudentRow(r[0], r[1], r[2], int(r[3] or 0), _part_scores(*r[4:])) for r in rows]


def answers_query() -> Select[Answer, Attempt, User, QuestionVersion, Question]:
    """Answers with everything a review table shows, in one joined query."""
    return (
        select(Answer, Attempt, User, QuestionVersion, Question)
        .join(Attempt, Answer.attempt_id == Attempt.id)
        .join(User, Attempt.user_id == User.id)
        .join(QuestionVersion, Answer.question_version_id == QuestionVersion.id)
        .join(Question, Answer.question_id == Question.id)
    )
