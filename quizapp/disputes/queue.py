"""The instructors' side: which disputes an instructor sees, grouped by question and part.

An instructor sees the disputes of the students in the classes they teach
(accounts.classrooms.taught_by, the one place that rule lives). Everything here
reads; rulings.py writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.disputes import parts
from quizapp.models import Answer, ClassMembership, Dispute, DisputeRuling, Question, QuestionVersion, Quiz, User
from quizapp.models.disputes import OPEN
from quizapp.review.question_stats import QuestionSummary

FLAG_AT = 3  # open disputes of one part that flag a question on the score pages


def visible(instructor_id: int) -> ColumnElement[bool]:
    """SQL: a dispute this instructor may see and settle."""
    return classrooms.taught_by(Dispute.user_id, instructor_id)


def open_count(instructor_id: int) -> int:
    """Open disputes the instructor may see: the number beside "Instructor" in the navigation."""
    statement = select(func.count()).select_from(Dispute).where(Dispute.status == OPEN, visible(instructor_id))
    return db.session.scalar(statement) or 0


def contested(instructor_id: int, quiz_id: int, question_id: int | None = None) -> dict[int, list[tuple[str, int]]]:
    """question id -> [(part, open disputes)] for parts with at least FLAG_AT open disputes the instructor sees."""
    statement = (
        select(Dispute.question_id, Dispute.part, func.count())
        .join(Question, Question.id == Dispute.question_id)
        .where(Question.quiz_id == quiz_id, Dispute.status == OPEN, visible(instructor_id))
        .group_by(Dispute.question_id, Dispute.part)
        .having(func.count() >= FLAG_AT)
        .order_by(Dispute.question_id, Dispute.part)
    )
    if question_id is not None:
        statement = statement.where(Dispute.question_id == question_id)
    found: dict[int, list[tuple[str, int]]] = {}
    for found_question, part, count in db.session.execute(statement):
        found.setdefault(found_question, []).append((part, count))
    return found


@dataclass(frozen=True)
class Argument:
    """One dispute as the instructor reads it."""

    dispute: Dispute
    username: str
    chosen: str  # what the student answered for the part


@dataclass
class Group:
    """The disputes of one part of one question."""

    quiz: Quiz
    question: Question
    current: QuestionVersion | None
    part: str
    arguments: list[Argument] = field(default_factory=list)
    summary: QuestionSummary | None = None  # how every student in the selection answered

    @property
    def key(self) -> str | None:
        return parts.key_of(self.current, self.part) if self.current else None

    @property
    def open(self) -> list[Argument]:
        return [a for a in self.arguments if a.dispute.status == OPEN]

    def argued_for(self) -> list[tuple[str, int]]:
        """Answers argued for in the open disputes, the most argued first."""
        counts = Counter(a.dispute.argued_for for a in self.open)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @property
    def share(self) -> float | None:
        return self.summary.share(self.part) if self.summary and self.summary.answers else None


def groups(
    instructor_id: int,
    *,
    status: str | None = None,
    classroom_id: int | None = None,
    quiz_id: int | None = None,
    question_id: int | None = None,
    part: str | None = None,
) -> list[Group]:
    """The disputes the instructor sees that match, grouped by question and part: the groups
    with the most open disputes first, the arguments in each in the order they came."""
    conditions: list[Any] = [visible(instructor_id)]
    if status is not None:
        conditions.append(Dispute.status == status)
    if classroom_id is not None:
        conditions.append(
            Dispute.user_id.in_(select(ClassMembership.user_id).where(ClassMembership.classroom_id == classroom_id))
        )
    if quiz_id is not None:
        conditions.append(Question.quiz_id == quiz_id)
    if question_id is not None:
        conditions.append(Dispute.question_id == question_id)
    if part is not None:
        conditions.append(Dispute.part == part)
    rows = db.session.execute(
        select(
            Dispute, User.username, Answer.claim_type, Answer.speaker, Answer.evidence, Question, Quiz, QuestionVersion
        )
        .join(User, User.id == Dispute.user_id)
        .join(Answer, Answer.id == Dispute.answer_id)
        .join(Question, Question.id == Dispute.question_id)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(*conditions)
        .order_by(Dispute.id)
    ).all()
    found: dict[tuple[int, str], Group] = {}
    for dispute, username, claim_type, speaker, evidence, question, quiz, current in rows:
        group = found.get((question.id, dispute.part))
        if group is None:
            group = found[(question.id, dispute.part)] = Group(quiz, question, current, dispute.part)
        chosen = {"claim_type": claim_type, "speaker": speaker, "evidence": parts.yes_no(evidence)}[dispute.part]
        group.arguments.append(Argument(dispute, username, chosen))
    return sorted(
        found.values(),
        key=lambda g: (-len(g.open), g.quiz.title, g.question.position, parts.PART_ORDER[g.part]),
    )


def rulings(instructor_id: int, question_id: int, part: str) -> list[DisputeRuling]:
    """The rulings on this question part that settled disputes the instructor sees, newest first."""
    settled = select(Dispute.ruling_id).where(
        Dispute.question_id == question_id, Dispute.part == part, visible(instructor_id)
    )
    return list(
        db.session.scalars(select(DisputeRuling).where(DisputeRuling.id.in_(settled)).order_by(DisputeRuling.id.desc()))
    )


def quizzes_with_disputes(instructor_id: int) -> list[Quiz]:
    """For the quiz filter: quizzes whose questions the instructor's students disputed."""
    return list(
        db.session.scalars(
            select(Quiz)
            .where(
                Quiz.id.in_(
                    select(Question.quiz_id)
                    .join(Dispute, Dispute.question_id == Question.id)
                    .where(visible(instructor_id))
                )
            )
            .order_by(*Quiz.list_order())
        )
    )
