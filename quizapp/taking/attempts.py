"""Attempts and answers: what comes next, and storing an answer exactly once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.db import db, table_of
from quizapp.models import ANSWER_POINTS, Answer, Attempt, Question, QuestionVersion, Quiz, utcnow
from quizapp.taking.grading import score_answer
from quizapp.taking.snapshot import VersionView


@dataclass(frozen=True)
class LastScore:
    """The score of a student's latest finished attempt at a quiz: points of 3 per passage."""

    attempt_id: int
    points: float
    out_of: int

    @property
    def share(self) -> float:
        return self.points / self.out_of if self.out_of else 0.0


@dataclass(frozen=True)
class QuizProgress:
    quiz: Quiz
    question_count: int
    open_attempt: Attempt | None
    answered_in_open_attempt: int
    finished_attempts: int
    last_score: LastScore | None = None


def live_questions(quiz_id: int) -> list[Question]:
    """The questions students get now, in file order."""
    return list(
        db.session.scalars(
            select(Question)
            .filter(Question.quiz_id == quiz_id, Question.retired_at.is_(None))
            .order_by(Question.position)
        )
    )


@dataclass(frozen=True)
class AttemptState:
    """What the question page and answer submission need of an attempt. They read
    it as a plain row (quiz._attempt_in_progress): they run for every passage, and
    an ORM row object cost more than the query."""

    id: int
    user_id: int
    quiz_id: int
    finished_at: datetime | None
    live_session_id: int | None  # given in a live class session: answered there, not here


# The statements of those two requests are plain Core, built once: building one
# per call cost about as much as running it.
ATTEMPTS = table_of(Attempt)
# The columns an AttemptState is made from, in its field order.
ATTEMPT_STATE_COLUMNS = tuple(ATTEMPTS.c[f.name] for f in fields(AttemptState))
_ANSWERS = table_of(Answer)
_ANSWERED_QUESTION_IDS = select(_ANSWERS.c.question_id).where(_ANSWERS.c.attempt_id == bindparam("attempt_id"))
_FINISH = (
    update(ATTEMPTS)
    .where(ATTEMPTS.c.id == bindparam("attempt_id"), ATTEMPTS.c.finished_at.is_(None))
    .values(finished_at=bindparam("now"))
)
_LOCK_ATTEMPT = select(ATTEMPTS.c.id).where(ATTEMPTS.c.id == bindparam("attempt_id")).with_for_update()
# A plain INSERT rather than a unit-of-work flush or an ORM insert: on SQLite every
# server process waits in turn for the write lock it takes.
_INSERT_ANSWER = insert(_ANSWERS)


def live_question_ids(quiz_id: int) -> list[int]:
    """The ids of the questions students get now, in file order."""
    return list(
        db.session.scalars(
            select(Question.id)
            .filter(Question.quiz_id == quiz_id, Question.retired_at.is_(None))
            .order_by(Question.position)
        )
    )


def answered_question_ids(attempt_id: int) -> set[int]:
    return set(db.session.scalars(_ANSWERED_QUESTION_IDS, {"attempt_id": attempt_id}))


def finish(attempt_id: int) -> None:
    """Mark the attempt finished now; one already finished keeps its time."""
    db.session.execute(_FINISH, {"attempt_id": attempt_id, "now": utcnow()})


def has_unanswered(attempt: Attempt) -> bool:
    """Is any live question of the quiz still unanswered in this attempt?"""
    answered = select(Answer.id).where(Answer.attempt_id == attempt.id, Answer.question_id == Question.id).exists()
    unanswered = (
        select(Question.id)
        .where(Question.quiz_id == attempt.quiz_id, Question.retired_at.is_(None), ~answered)
        .exists()
    )
    return bool(db.session.scalar(select(unanswered)))


def open_attempt(user_id: int, quiz_id: int) -> Attempt | None:
    """The student's unfinished attempt at their own pace (not one in a live class session)."""
    return db.session.scalar(
        select(Attempt).filter_by(user_id=user_id, quiz_id=quiz_id, finished_at=None, live_session_id=None)
    )


def start_or_resume(user_id: int, quiz_id: int) -> Attempt:
    """Resume the unfinished attempt, or start a new one (a retake)."""
    attempt = open_attempt(user_id, quiz_id)
    if attempt is not None:
        return attempt
    attempt = Attempt(user_id=user_id, quiz_id=quiz_id)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request started one a moment ago: use that one.
        db.session.rollback()
        attempt = open_attempt(user_id, quiz_id)
        assert attempt is not None
    return attempt


def progress_for(user_id: int) -> list[QuizProgress]:
    """Every live quiz with this student's progress at their own pace (attempts in class
    sessions are left out: My results lists them), in a fixed number of queries."""
    quizzes = list(db.session.scalars(select(Quiz).filter(Quiz.retired_at.is_(None)).order_by(*Quiz.list_order())))
    counts = dict(
        db.session.execute(
            select(Question.quiz_id, func.count()).filter(Question.retired_at.is_(None)).group_by(Question.quiz_id)
        ).all()
    )
    attempts = list(db.session.scalars(select(Attempt).filter_by(user_id=user_id, live_session_id=None)))
    open_by_quiz = {a.quiz_id: a for a in attempts if a.finished_at is None}
    answered = dict(
        db.session.execute(
            select(Answer.attempt_id, func.count())
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .filter(Attempt.user_id == user_id, Attempt.finished_at.is_(None), Attempt.live_session_id.is_(None))
            .group_by(Answer.attempt_id)
        ).all()
    )
    finished: dict[int, int] = {}
    latest: dict[int, Attempt] = {}  # quiz id -> the attempt finished last
    for a in attempts:
        if a.finished_at is not None:
            finished[a.quiz_id] = finished.get(a.quiz_id, 0) + 1
            if a.quiz_id not in latest or (a.finished_at, a.id) > (latest[a.quiz_id].finished_at, latest[a.quiz_id].id):
                latest[a.quiz_id] = a
    last_scores = _scores_of([a.id for a in latest.values()])
    result = []
    for quiz in quizzes:
        current = open_by_quiz.get(quiz.id)
        result.append(
            QuizProgress(
                quiz=quiz,
                question_count=counts.get(quiz.id, 0),
                open_attempt=current,
                answered_in_open_attempt=answered.get(current.id, 0) if current else 0,
                finished_attempts=finished.get(quiz.id, 0),
                last_score=last_scores.get(latest[quiz.id].id) if quiz.id in latest else None,
            )
        )
    return [p for p in result if p.question_count]


def _scores_of(attempt_ids: list[int]) -> dict[int, LastScore]:
    """Points and possible points of each attempt, in one statement."""
    if not attempt_ids:
        return {}
    rows = db.session.execute(
        select(
            Answer.attempt_id,
            func.sum(ANSWER_POINTS),
            func.count(),
        )
        .filter(Answer.attempt_id.in_(attempt_ids))
        .group_by(Answer.attempt_id)
    )
    return {attempt_id: LastScore(attempt_id, float(points or 0), 3 * count) for attempt_id, points, count in rows}


class AlreadyAnswered(Exception):
    def __init__(self, answer: Answer) -> None:
        super().__init__("already answered")
        self.answer = answer


def find_answer(attempt_id: int, question_id: int) -> Answer | None:
    return db.session.scalar(select(Answer).filter_by(attempt_id=attempt_id, question_id=question_id))


def _lock(attempt_id: int) -> None:
    """Answers to one attempt are stored one at a time.

    Whoever stores the last answer marks the attempt finished, which needs the
    answers of parallel requests (two tabs, two servers) to be seen. SQLite
    lets one writer in at a time anyway; on PostgreSQL two transactions would
    each miss the other's answer and neither would finish the attempt, so the
    attempt's row is locked first (SELECT ... FOR UPDATE). SQLite has
    no such clause and needs none: its write transaction begins at the INSERT and
    then sees every committed answer; there the statement is skipped.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return
    db.session.execute(_LOCK_ATTEMPT, {"attempt_id": attempt_id})


def record_answer(
    attempt_id: int,
    version: QuestionVersion | VersionView,
    live_question_ids: Collection[int] | None,
    *,
    claim_type: str,
    speaker: str,
    evidence: bool,
    reason: str,
    confidence: int | None = None,
) -> int:
    """Score and store one answer and return its id; finish the attempt when it
    answers the last of `live_question_ids` (the quiz's live questions). With None
    the attempt is finished elsewhere: a live class session finishes its attempts
    when it ends, since the whole class moves through the passages together.

    `confidence` is the stated chance in percent (taking/confidence.py), None when not asked.
    A second answer to the same question raises AlreadyAnswered. The unique
    constraint on (attempt, question) decides, so parallel requests cannot both store.
    """
    _lock(attempt_id)
    scores = score_answer(
        claim_type=claim_type,
        speaker=speaker,
        evidence=evidence,
        key_claim_type=version.claim_type,
        accepted=version.accept,
        key_speaker=version.speaker,
        key_evidence=version.evidence,
    )
    try:
        inserted = db.session.execute(
            _INSERT_ANSWER,
            {
                "attempt_id": attempt_id,
                "question_id": version.question_id,
                "question_version_id": version.id,
                "claim_type": claim_type,
                "speaker": speaker,
                "evidence": evidence,
                "reason": reason,
                "claim_type_score": scores.claim_type,
                "speaker_score": scores.speaker,
                "evidence_score": scores.evidence,
                # Always given, even as None, so the one prebuilt INSERT compiles one way.
                "confidence": confidence,
            },
        )
    except IntegrityError:
        # The same question was stored by a parallel request (double click, second tab).
        db.session.rollback()
        stored = find_answer(attempt_id, version.question_id)
        if stored is None:
            raise
        raise AlreadyAnswered(stored) from None
    # Asked after the INSERT, inside its transaction: of two last answers sent at
    # once, the second then sees the first and finishes the attempt.
    if live_question_ids is not None and set(live_question_ids) <= answered_question_ids(attempt_id):
        finish(attempt_id)
    db.session.commit()
    return int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]
