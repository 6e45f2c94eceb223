"""A student disputes one part of a key: whether they may, and sending a dispute exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from quizapp.db import db
from quizapp.disputes import parts
from quizapp.models import Answer, Attempt, Dispute, Question, QuestionVersion, Quiz
from quizapp.models.disputes import OPEN
from quizapp.review.student_history import keys_hidden
from quizapp.taking import answer_keys, snapshot

REASON_MIN = 10
REASON_MAX = 2000


@dataclass(frozen=True)
class AnswerInContext:
    """One of the signed-in student's answers, with the key it counts against now."""

    answer: Answer
    attempt: Attempt
    quiz: Quiz
    question: Question
    scored: QuestionVersion  # the version answered, or the one a regrade scored it against since

    @property
    def keys_hidden(self) -> bool:
        """A quiz with feedback at the end shows no key, so takes no dispute, before the attempt is finished."""
        return keys_hidden(self.attempt, self.quiz)

    @property
    def live(self) -> bool:
        return self.quiz.retired_at is None and self.question.retired_at is None


def answer_of(answer_id: int, user_id: int) -> AnswerInContext | None:
    """The answer if it is this student's; None for anyone else's, as for one that does not exist."""
    answer = db.session.get(
        Answer,
        answer_id,
        options=[
            joinedload(Answer.attempt).joinedload(Attempt.quiz),
            joinedload(Answer.question),
            joinedload(Answer.version).joinedload(QuestionVersion.source),
        ],
    )
    if answer is None or answer.attempt.user_id != user_id:
        return None
    regraded = answer_keys.graded_versions([answer.id]).get(answer.id)
    scored = regraded.to_version if regraded else answer.version
    return AnswerInContext(answer, answer.attempt, answer.attempt.quiz, answer.question, scored)


def disputes_of(answer_id: int, part: str) -> list[Dispute]:
    """This answer's disputes of one part, newest first, with their rulings."""
    return list(
        db.session.scalars(
            select(Dispute)
            .filter_by(answer_id=answer_id, part=part)
            .order_by(Dispute.id.desc())
            .options(joinedload(Dispute.ruling))
        )
    )


def why_not(context: AnswerInContext, part: str, earlier: list[Dispute]) -> str | None:
    """Why the student may not dispute this key now, in words for them; None when they may."""
    if context.keys_hidden:
        return "You can question a key once you have finished this attempt."
    if not context.live:
        return "This question is no longer part of the quiz, so its key can no longer be disputed."
    if any(d.status == OPEN for d in earlier):
        return "You have disputed this key already. Your teacher has not answered yet."
    if any(d.version_id == context.scored.id for d in earlier):
        return "Your teacher has answered your dispute of this key."
    return None


def options(context: AnswerInContext, part: str) -> list[str]:
    """The answers the student may argue for: that part's choices other than the key."""
    return parts.options(context.scored, part, [c.slug for c in snapshot.claim_types()])


class AlreadyOpen(Exception):
    """This answer's part has an open dispute already (a double click, a second tab)."""


def send(context: AnswerInContext, part: str, argued_for: str, reason: str) -> Dispute:
    """Store a dispute. The unique index on open disputes per answer and part decides, so
    two requests at once cannot both store one: the second raises AlreadyOpen."""
    dispute = Dispute(
        answer_id=context.answer.id,
        user_id=context.attempt.user_id,
        question_id=context.question.id,
        version_id=context.scored.id,
        part=part,
        key=parts.key_of(context.scored, part),
        argued_for=argued_for,
        reason=reason,
    )
    db.session.add(dispute)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyOpen() from None
    return dispute
