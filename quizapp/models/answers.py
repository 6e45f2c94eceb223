"""Tables of what students did: attempts, answers, and regrades of answers. Answers are never deleted."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.db import JSONDocument, Model, utcnow

if TYPE_CHECKING:
    from quizapp.models.accounts import User
    from quizapp.models.bank import Question, QuestionVersion, Quiz


# The rows uq_attempt_open keeps unique: unfinished attempts a student makes at their own pace.
OPEN_OWN_PACE = "finished_at IS NULL AND live_session_id IS NULL"


class Attempt(Model):
    __table_args__ = (
        Index("ix_attempt_user_quiz", "user_id", "quiz_id"),
        # At most one unfinished attempt per student and quiz, even when
        # "Start" is clicked twice at once. Attempts in a live class session
        # are left out: a lesson must not take over (or be blocked by) the
        # attempt a student is making at their own pace.
        Index(
            "uq_attempt_open",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=text(OPEN_OWN_PACE),
            postgresql_where=text(OPEN_OWN_PACE),
        ),
        # One attempt per student in a live session; also finds a session's attempts.
        UniqueConstraint("live_session_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when the answers were given in a live class session (models/live.py); such an
    # attempt is finished when the session ends.
    live_session_id: Mapped[int | None] = mapped_column(ForeignKey("live_session.id"), default=None)

    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", order_by="Answer.id")


class Answer(Model):
    # One answer per question per attempt: a double click or a replayed form
    # cannot store a second row.
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        Index("ix_answer_question_version", "question_version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    claim_type: Mapped[str] = mapped_column(String(64))
    speaker: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    claim_type_score: Mapped[float] = mapped_column()
    speaker_score: Mapped[float] = mapped_column()
    evidence_score: Mapped[float] = mapped_column()
    # How sure the student said they were, as the chance of being right that the
    # level they picked stands for, in percent (50, 75 or 90; see taking/confidence.py).
    # None when the quiz did not ask.
    confidence: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()

    @property
    def total_score(self) -> float:
        return self.claim_type_score + self.speaker_score + self.evidence_score


# An answer's points, 0 to 3, half credit counting half: what every total and score page sums.
ANSWER_POINTS = Answer.claim_type_score + Answer.speaker_score + Answer.evidence_score


class Regrade(Model):
    """One regrade someone ran on purpose: who, when, which questions, what changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(64))  # an instructor's username, or the OS user of a command
    via: Mapped[str] = mapped_column(String(16))  # "command" or "page"
    quiz_slug: Mapped[str | None] = mapped_column(String(64))  # None: every quiz
    # ["bridge/vote", ...]: the questions whose answers were rescored.
    questions: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    answers_checked: Mapped[int] = mapped_column(default=0)
    answers_changed: Mapped[int] = mapped_column(default=0)
    scores_changed: Mapped[int] = mapped_column(default=0)  # (student, quiz) totals that moved
    skipped_other_passage: Mapped[int] = mapped_column(default=0)


class RegradedAnswer(Model):
    """An answer rescored by a regrade. The answer keeps the version the student saw;
    this row says which version's key it is scored against now, and what it had before."""

    id: Mapped[int] = mapped_column(primary_key=True)
    regrade_id: Mapped[int] = mapped_column(ForeignKey("regrade.id"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    before_claim_type: Mapped[float] = mapped_column()
    before_speaker: Mapped[float] = mapped_column()
    before_evidence: Mapped[float] = mapped_column()
    after_claim_type: Mapped[float] = mapped_column()
    after_speaker: Mapped[float] = mapped_column()
    after_evidence: Mapped[float] = mapped_column()

    regrade: Mapped[Regrade] = relationship()
    to_version: Mapped[QuestionVersion] = relationship(foreign_keys=[to_version_id])


# The review pages count answers per question and per attempt, by choice and
# score (and, per attempt, stated confidence). These covering indexes serve those
# GROUP BYs in index order without reading the answer rows themselves (which
# carry the students' reasons).
Index(
    "ix_answer_question_choices",
    Answer.question_id,
    Answer.question_version_id,
    Answer.claim_type,
    Answer.speaker,
    Answer.evidence,
    Answer.claim_type_score,
    Answer.speaker_score,
    Answer.evidence_score,
)
Index(
    "ix_answer_attempt_choices",
    Answer.attempt_id,
    Answer.question_id,
    Answer.question_version_id,
    Answer.claim_type,
    Answer.speaker,
    Answer.evidence,
    Answer.claim_type_score,
    Answer.speaker_score,
    Answer.evidence_score,
    Answer.confidence,
)
