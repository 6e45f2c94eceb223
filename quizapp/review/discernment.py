"""Signal-detection counts (review/sdt.py) and confidence sums, from SQL, per student or for a whole group.

One GROUP BY statement gives, per group (a student, or everyone in scope), the
2x2 tables of the evidence and checkable judgements and the sums calibration
needs. The evidence key follows from the stored score (a yes scored right was
keyed yes), so after a regrade it is the key scored against. The claim-type key
comes from the version scored against: the answered one, or the latest regrade's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from quizapp.db import db
from quizapp.models import Answer, Attempt, QuestionVersion, Quiz, RegradedAnswer, User
from quizapp.review.sdt import Counts
from quizapp.taking.answer_keys import counts_by_scored_version

CHECKABLE = "factual"  # taxonomy ids, never labels: labels may be reworded
OPINION = "opinion"

KEY = aliased(QuestionVersion, name="scored_key")


def answer_score() -> ColumnElement[float]:
    """The answer's score, 0..1: the mean of its three parts (what "right" means for calibration)."""
    return (Answer.claim_type_score + Answer.speaker_score + Answer.evidence_score) / 3.0


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _latest_regrades() -> Any:
    """answer_id -> to_version_id of the latest regrade of each regraded answer."""
    latest = select(func.max(RegradedAnswer.id)).group_by(RegradedAnswer.answer_id)
    return (
        select(RegradedAnswer.answer_id, RegradedAnswer.to_version_id)
        .filter(RegradedAnswer.id.in_(latest))
        .subquery("latest_regrade")
    )


def with_scored_key(query: Select[Any]) -> Select[Any]:
    """Join KEY, the version each answer is scored against, to a query over Answer."""
    regraded = _latest_regrades()
    return query.outerjoin(regraded, regraded.c.answer_id == Answer.id).join(
        KEY, KEY.id == func.coalesce(regraded.c.to_version_id, Answer.question_version_id)
    )


def judgement_columns() -> list[ColumnElement[Any]]:
    """Sums per group, in Judgements field order (a query must join KEY: with_scored_key)."""
    says_yes, right = Answer.evidence, Answer.evidence_score >= 1
    chose_checkable = Answer.claim_type == CHECKABLE
    score = answer_score()
    stated = Answer.confidence / 100.0
    return [
        func.count(Answer.id),
        _count(and_(says_yes, right)),
        _count(and_(~says_yes, ~right)),
        _count(and_(says_yes, ~right)),
        _count(and_(~says_yes, right)),
        _count(and_(KEY.claim_type == CHECKABLE, chose_checkable)),
        _count(and_(KEY.claim_type == CHECKABLE, ~chose_checkable)),
        _count(and_(KEY.claim_type == OPINION, chose_checkable)),
        _count(and_(KEY.claim_type == OPINION, ~chose_checkable)),
        func.count(Answer.confidence),
        func.coalesce(func.sum(stated), 0),
        func.coalesce(func.sum(case((Answer.confidence.is_not(None), score), else_=0)), 0),
        func.coalesce(func.sum((stated - score) * (stated - score)), 0),
    ]


@dataclass(frozen=True)
class Judgements:
    """One student's (or group's) answers as signal-detection tables, with their confidence sums."""

    answers: int = 0
    evidence: Counts = field(default_factory=Counts)
    checkable: Counts = field(default_factory=Counts)
    confident_answers: int = 0  # answers with a stated chance
    stated_sum: float = 0.0  # Σ stated chance (0..1)
    confident_score_sum: float = 0.0  # Σ score of those answers
    brier_sum: float = 0.0  # Σ (stated chance − score)²

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Judgements:
        n, eh, em, ef, ec, ch, cm, cf, cc, confident, stated, scored, brier = row
        return cls(
            int(n),
            Counts(int(eh), int(em), int(ef), int(ec)),
            Counts(int(ch), int(cm), int(cf), int(cc)),
            int(confident),
            float(stated),
            float(scored),
            float(brier),
        )

    def __add__(self, other: Judgements) -> Judgements:
        return Judgements(
            self.answers + other.answers,
            self.evidence + other.evidence,
            self.checkable + other.checkable,
            self.confident_answers + other.confident_answers,
            self.stated_sum + other.stated_sum,
            self.confident_score_sum + other.confident_score_sum,
            self.brier_sum + other.brier_sum,
        )

    @property
    def mean_confidence(self) -> float | None:
        return self.stated_sum / self.confident_answers if self.confident_answers else None

    @property
    def brier(self) -> float | None:
        return self.brier_sum / self.confident_answers if self.confident_answers else None


def visible_to_student() -> ColumnElement[bool]:
    """On Attempt: a quiz that gives feedback at the end shows nothing about right or wrong before then."""
    immediate = select(Quiz.id).filter(Quiz.feedback == "immediate")
    return or_(Attempt.finished_at.is_not(None), Attempt.quiz_id.in_(immediate))


@dataclass(frozen=True)
class StudentJudgements:
    user_id: int
    username: str
    judgements: Judgements


def by_student(conditions: Iterable[ColumnElement[bool]]) -> list[StudentJudgements]:
    """Each student's judgements over the answers of attempts meeting `conditions` (on Attempt), by name."""
    query = with_scored_key(
        select(User.id, User.username, *judgement_columns())
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
    )
    rows = db.session.execute(
        query.filter(*conditions).group_by(User.id, User.username, User.username_key).order_by(User.username_key)
    )
    return [StudentJudgements(row[0], row[1], Judgements.from_row(row[2:])) for row in rows]


def pooled(answer_conditions: Iterable[ColumnElement[bool]]) -> Judgements:
    """Every answer meeting `answer_conditions` (on Answer alone: question_stats.answer_conditions)
    in one table: the group read as one reader. Without confidence sums.

    Answers are first counted per version scored against and choice (answer_keys),
    through the covering indexes on answer; only those counts meet the versions' keys.
    """
    counted = counts_by_scored_version(answer_conditions, Answer.claim_type, Answer.evidence, Answer.evidence_score)
    says_yes, right = counted.c.evidence, counted.c.evidence_score >= 1
    chose_checkable, n = counted.c.claim_type == CHECKABLE, counted.c.n

    def weighted(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, n), else_=0)), 0)

    row = db.session.execute(
        select(
            func.coalesce(func.sum(n), 0),
            weighted(and_(says_yes, right)),
            weighted(and_(~says_yes, ~right)),
            weighted(and_(says_yes, ~right)),
            weighted(and_(~says_yes, right)),
            weighted(and_(QuestionVersion.claim_type == CHECKABLE, chose_checkable)),
            weighted(and_(QuestionVersion.claim_type == CHECKABLE, ~chose_checkable)),
            weighted(and_(QuestionVersion.claim_type == OPINION, chose_checkable)),
            weighted(and_(QuestionVersion.claim_type == OPINION, ~chose_checkable)),
            *(literal(0),) * 4,
        ).join(counted, counted.c.version_id == QuestionVersion.id)
    ).one()
    return Judgements.from_row(row)
