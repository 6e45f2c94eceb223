"""Database tables. Question content is versioned; answers are never deleted."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, QueryableAttribute, mapped_column, relationship, validates

from .db import JSONDocument, db

STUDENT = "student"
INSTRUCTOR = "instructor"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # 'Ada' and 'ada' are one person: the name folded by Python, the same on
    # every database, and unique, so two sign-ups at one moment cannot both win.
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=STUDENT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_instructor(self) -> bool:
        return self.role == INSTRUCTOR

    @validates("username")
    def _set_username_key(self, _key: str, username: str) -> str:
        self.username_key = username_key(username)
        return username


def username_key(username: str) -> str:
    return username.lower()



class TaxonomyChoice(db.Model):
    """A claim type or evidence kind, kept so old answers still show their labels."""

    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "claim_type" or "evidence_kind"
    slug: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)


class Source(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    genre: Mapped[str] = mapped_column(String(32))
    publisher: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    # Whose side of the dispute the text presents (sources.yaml `presents`),
    # shown beside every passage quoted from it.
    presents: Mapped[str | None] = mapped_column(String(200), default=None)


class Quiz(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str] = mapped_column(String(500))
    ask_reason: Mapped[str] = mapped_column(String(16), default="optional")
    feedback: Mapped[str] = mapped_column(String(16), default="immediate")
    # [{"id": ..., "label": ...}] in file order; the labels students choose from.
    speakers: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument, default=list)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
    # SHA-256 (hex) of the quiz file as it last synced cleanly, together with the
    # taxonomy, sources and texts it was checked against (bank/fingerprint.py).
    # A cache: while the file at `path` still matches it, a sync skips parsing it.
    file_fingerprint: Mapped[str | None] = mapped_column(String(64), default=None)
    # The quiz file's `position`: the quiz list shows quizzes by it, then by title.
    position: Mapped[int | None] = mapped_column(default=None)

    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position"
    )

    def speaker_label(self, speaker_id: str) -> str:
        return next((s["label"] for s in self.speakers if s["id"] == speaker_id), speaker_id)

    @classmethod
    def list_order(cls) -> tuple[ColumnElement[Any] | QueryableAttribute[Any], ...]:
        """How quiz lists are sorted: by position, then title; quizzes without a position
        after those with one. (IS NULL first, because databases disagree on where NULLs sort.)"""
        return (cls.position.is_(None), cls.position, cls.title)


class Question(db.Model):
    """A question's identity: (quiz, slug). Its content lives in versions."""

    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    slug: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_version.id", use_alter=True)
    )

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class QuestionVersion(db.Model):
    """What a student answered. A new version is made whenever a key or the passage changes."""

    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    number: Mapped[int] = mapped_column(default=1)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    passage: Mapped[str] = mapped_column(Text)
    claim_type: Mapped[str] = mapped_column(String(64))
    accept: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    speaker: Mapped[str] = mapped_column(String(64))
    speaker_choices: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    evidence: Mapped[bool] = mapped_column()
    evidence_kind: Mapped[str | None] = mapped_column(String(64))
    explain_claim_type: Mapped[str] = mapped_column(Text)
    explain_speaker: Mapped[str] = mapped_column(Text)
    explain_evidence: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    source: Mapped[Source] = relationship()


class BankRevision(db.Model):
    """One row whose stamp changes with every change to the question bank, so that
    server processes know when what they keep of it is out of date (live_bank.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


class Attempt(db.Model):
    __table_args__ = (
        Index("ix_attempt_user_quiz", "user_id", "quiz_id"),
        # At most one unfinished attempt per student and quiz, even when
        # "Start" is clicked twice at once.
        Index(
            "uq_attempt_open",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", order_by="Answer.id")


class Answer(db.Model):
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
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()

    @property
    def total_score(self) -> float:
        return self.claim_type_score + self.speaker_score + self.evidence_score


class Regrade(db.Model):
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


class RegradedAnswer(db.Model):
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


class Classroom(db.Model):
    """A class students join with a code; instructors filter review pages by it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Stored without the dash it is shown with; see classrooms.format_code().
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassMembership(db.Model):
    """Student <-> class, many to many: a student may be in several classes."""

    __table_args__ = (Index("ix_class_membership_user_id", "user_id"),)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


# The review pages count answers per question and per attempt, by choice and
# score. These covering indexes serve those GROUP BYs in index order without
# reading the answer rows themselves (which carry the students' reasons).
Index(
    "ix_answer_question_choices",
    Answer.question_id, Answer.question_version_id, Answer.claim_type, Answer.speaker, Answer.evidence,
    Answer.claim_type_score, Answer.speaker_score, Answer.evidence_score,
)
Index(
    "ix_answer_attempt_choices",
    Answer.attempt_id, Answer.question_id, Answer.question_version_id, Answer.claim_type, Answer.speaker, Answer.evidence,
    Answer.claim_type_score, Answer.speaker_score, Answer.evidence_score,
)
