"""Signal-detection counts (review/sdt.py) and confidence sums, from SQL, per student or for a whole group.

One GROUP BY statement gives, per group (a student, or everyone in scope), the
2x2 tables of the evidence and checkable judgements and the sums calibration
needs. The evidence key follows from the stored score (a yes scored right was
keyed yes), so after a regrade it is the key scored against. The claim-type key
comes from the version scored against: the answered one, or the latest regrade's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from quizapp.db import db
from quizapp.models import ANSWER_POINTS, Answer, Attempt, QuestionVersion, Quiz, RegradedAnswer
from quizapp.review import question_stats
from quizapp.review.sdt import Counts

CHECKABLE = "factual"  # taxonomy ids, never labels: labels may be reworded
OPINION = "opinion"

KEY = aliased(QuestionVersion, name="scored_key")


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
    """Sums per group that Judgements.from_row reads (a query must join KEY: with_scored_key).

    As few and as plain as they can be: the database evaluates each for every answer,
    and that is most of a learning page's time. The rest of each 2x2 table follows
    from these by subtraction, and the confidence sums are kept in whole points and
    percent (no division per answer): Python scales them.
    """
    chose_checkable = Answer.claim_type == CHECKABLE
    points = ANSWER_POINTS  # 0..3
    confident = Answer.confidence.is_not(None)
    return [
        func.count(Answer.id),
        _count(and_(Answer.evidence, Answer.evidence_score >= 1)),  # hits
        _count(Answer.evidence.is_(True)),  # said yes
        func.coalesce(func.sum(Answer.evidence_score), 0),  # right (each 0 or 1)
        _count(and_(KEY.claim_type == CHECKABLE, chose_checkable)),  # hits
        _count(KEY.claim_type == CHECKABLE),  # keyed yes
        _count(and_(KEY.claim_type == OPINION, chose_checkable)),  # false alarms
        _count(KEY.claim_type == OPINION),  # keyed no
        func.count(Answer.confidence),
        func.coalesce(func.sum(Answer.confidence), 0),  # Σ percent
        func.coalesce(func.sum(Answer.confidence * Answer.confidence), 0),
        func.coalesce(func.sum(Answer.confidence * points), 0),  # NULL, so left out, without a confidence
        func.coalesce(func.sum(case((confident, points), else_=0)), 0),
        func.coalesce(func.sum(case((confident, points * points), else_=0)), 0),
    ]


@dataclass(frozen=True)
class Judgements:
    """One student's (or group's) answers as signal-detection tables, with their confidence sums."""

    answers: int = 0
    evidence: Counts = field(default_factory=Counts)
    checkable: Counts = field(default_factory=Counts)
    confident_answers: int = 0  # answers with a stated chance
    stated_sum: float = 0.0  # Σ stated chance (0..1)
    confident_score_sum: float = 0.0  # Σ score (0..1) of those answers
    confident_score_squares: float = 0.0  # Σ score² of those answers
    brier_sum: float = 0.0  # Σ (stated chance − score)²

    EMPTY_ROW = (0,) * 14  # what judgement_columns() give for no answers

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Judgements:
        n, ev_hits, ev_yes, ev_right, ck_hits, ck_keyed_yes, ck_false, ck_keyed_no, *confidence = row
        n, ev_hits, ev_yes, ev_right = int(n), int(ev_hits), int(ev_yes), round(float(ev_right))
        ev_rejections = ev_right - ev_hits  # said no, and right
        evidence = Counts(ev_hits, n - ev_yes - ev_rejections, ev_yes - ev_hits, ev_rejections)
        ck_hits, ck_false = int(ck_hits), int(ck_false)
        checkable = Counts(ck_hits, int(ck_keyed_yes) - ck_hits, ck_false, int(ck_keyed_no) - ck_false)
        confident, percent, percent_squares, percent_points, points, point_squares = (float(v) for v in confidence)
        # Stated chance p = percent / 100, score o = points / 3: Σ(p − o)² = Σp² − 2Σpo + Σo².
        brier = percent_squares / 10_000 - 2 * percent_points / 300 + point_squares / 9
        return cls(
            n, evidence, checkable, int(confident), percent / 100, points / 3, point_squares / 9, max(brier, 0.0)
        )

    def __add__(self, other: Judgements) -> Judgements:
        return Judgements(
            self.answers + other.answers,
            self.evidence + other.evidence,
            self.checkable + other.checkable,
            self.confident_answers + other.confident_answers,
            self.stated_sum + other.stated_sum,
            self.confident_score_sum + other.confident_score_sum,
            self.confident_score_squares + other.confident_score_squares,
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


@dataclass(frozen=True)
class AttemptSums:
    """One attempt's answers: points per part (summed) and its judgements."""

    user_id: int
    claim_type: float
    speaker: float
    evidence: float
    judgements: Judgements


def by_attempt(conditions: Iterable[ColumnElement[bool]]) -> dict[int, AttemptSums]:
    """attempt id -> its sums, for attempts meeting `conditions` (on Attempt) with answers.

    Driven by the attempt table in id order: each attempt's answers come from the
    covering index in order, so the grouping needs no sort. One scan of the answers
    serves a whole page: each student's figures and the pre/post pairs are sums of these rows.
    """
    query = with_scored_key(
        select(
            Attempt.id,
            Attempt.user_id,
            func.sum(Answer.claim_type_score),
            func.sum(Answer.speaker_score),
            func.sum(Answer.evidence_score),
            *judgement_columns(),
        )
        .select_from(Attempt)
        .join(Answer, Answer.attempt_id == Attempt.id)
    )
    rows = db.session.execute(query.filter(*conditions).group_by(Attempt.id, Attempt.user_id))
    return {
        attempt_id: AttemptSums(user_id, float(ct), float(sp), float(ev), Judgements.from_row(sums))
        for attempt_id, user_id, ct, sp, ev, *sums in rows
    }


def by_student(attempts: dict[int, AttemptSums], names: Iterable[tuple[int, str]]) -> list[StudentJudgements]:
    """Each named student's judgements: the sum of their attempts' (students without any are left out)."""
    totals: dict[int, Judgements] = {}
    for found in attempts.values():
        kept = totals.get(found.user_id)
        totals[found.user_id] = kept + found.judgements if kept else found.judgements
    return [StudentJudgements(uid, name, totals[uid]) for uid, name in names if uid in totals]


def pooled(answer_conditions: Sequence[Any], rows: Iterable[Sequence[Any]] | None = None) -> Judgements:
    """Every answer meeting `answer_conditions` (on Answer alone: question_stats.answer_conditions)
    in one table: the group read as one reader. Without confidence sums.

    From the answers counted per (question, version, choices, scores), read through the
    covering index (`rows`: question_stats.combinations(answer_conditions), which the quiz
    overview has already), then the keys of those versions, and the few regraded answers
    moved to the version they are scored against now.
    """
    if rows is None:
        rows = question_stats.combinations(answer_conditions)
    evidence = [0, 0, 0, 0]  # answers, said yes, right, hits
    chose_checkable: dict[tuple[int, bool], int] = {}  # (version answered, chose factual) -> answers
    for _question, version, claim_type, _speaker, said_yes, _ct, _sp, evidence_score, n in rows:
        right = evidence_score >= 1
        evidence[0] += n
        evidence[1] += n if said_yes else 0
        evidence[2] += n if right else 0
        evidence[3] += n if said_yes and right else 0
        key = (version, claim_type == CHECKABLE)
        chose_checkable[key] = chose_checkable.get(key, 0) + n
    regraded = _latest_regrades()
    moved = db.session.execute(
        select(Answer.question_version_id, regraded.c.to_version_id, Answer.claim_type, func.count())
        .join(regraded, regraded.c.answer_id == Answer.id)
        .filter(*answer_conditions)
        .group_by(Answer.question_version_id, regraded.c.to_version_id, Answer.claim_type)
    ).all()
    for answered, scored, claim_type, n in moved:
        factual = claim_type == CHECKABLE
        chose_checkable[(answered, factual)] -= n
        chose_checkable[(scored, factual)] = chose_checkable.get((scored, factual), 0) + n
    keys = dict(
        db.session.execute(
            select(QuestionVersion.id, QuestionVersion.claim_type).filter(
                QuestionVersion.id.in_({version for version, _ in chose_checkable}),
                QuestionVersion.claim_type.in_((CHECKABLE, OPINION)),
            )
        ).all()
    )
    table = {(CHECKABLE, True): 0, (CHECKABLE, False): 0, (OPINION, True): 0, (OPINION, False): 0}
    for (version, factual), n in chose_checkable.items():
        if version in keys:
            table[(keys[version], factual)] += n
    answers, said_yes, right, hits = evidence
    rejections = right - hits
    return Judgements(
        answers,
        Counts(hits, answers - said_yes - rejections, said_yes - hits, rejections),
        Counts(table[(CHECKABLE, True)], table[(CHECKABLE, False)], table[(OPINION, True)], table[(OPINION, False)]),
    )
