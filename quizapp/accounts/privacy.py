"""Everything stored about one student, as a document to hand over, and deleting it all.

What the database holds about a student: their account (username, a one-way
hash of their password, role, when it was made, whether it is active), the
classes they are in, their sign-ins (when each began), their attempts and every
answer with its reason and scores, and regrades of those answers. Nothing else:
the sign-in limits count failures by username and address in the rate-limit
storage for at most a day, and the server's logs are the host's to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from quizapp.db import db
from quizapp.models import (
    Answer,
    Attempt,
    ClassInstructor,
    ClassMembership,
    Classroom,
    Question,
    QuestionVersion,
    Quiz,
    Regrade,
    RegradedAnswer,
    SignIn,
    User,
)


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def student_record(user: User) -> dict[str, Any]:
    """Everything stored about `user`, as JSON-ready data (times in UTC)."""
    classes = db.session.execute(
        select(Classroom.name, ClassMembership.joined_at)
        .join(ClassMembership, ClassMembership.classroom_id == Classroom.id)
        .where(ClassMembership.user_id == user.id)
        .order_by(ClassMembership.joined_at)
    ).all()
    sign_ins = db.session.scalars(
        select(SignIn.created_at).where(SignIn.user_id == user.id).order_by(SignIn.created_at)
    ).all()
    attempts = db.session.execute(
        select(Attempt, Quiz.slug, Quiz.title)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == user.id)
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    answers = db.session.execute(
        select(Answer, Question.slug, QuestionVersion.number, QuestionVersion.passage)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Question, Question.id == Answer.question_id)
        .join(QuestionVersion, QuestionVersion.id == Answer.question_version_id)
        .where(Attempt.user_id == user.id)
        .order_by(Answer.id)
    ).all()
    regrades = db.session.execute(
        select(RegradedAnswer, Regrade.at)
        .join(Regrade, Regrade.id == RegradedAnswer.regrade_id)
        .join(Answer, Answer.id == RegradedAnswer.answer_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.user_id == user.id)
        .order_by(RegradedAnswer.id)
    ).all()
    by_attempt: dict[int, list[dict[str, Any]]] = {}
    for answer, question, version, passage in answers:
        by_attempt.setdefault(answer.attempt_id, []).append(
            {
                "answer_id": answer.id,
                "question": question,
                "question_version": version,
                "passage": passage,
                "claim_type": answer.claim_type,
                "speaker": answer.speaker,
                "evidence": answer.evidence,
                "reason": answer.reason,
                "scores": {
                    "claim_type": answer.claim_type_score,
                    "speaker": answer.speaker_score,
                    "evidence": answer.evidence_score,
                },
                "answered_at": _time(answer.answered_at),
            }
        )
    return {
        "account": {
            "id": user.id,
            "username": user.username,
            "role": user.role,
            "created_at": _time(user.created_at),
            "active": user.active,
            "must_change_password": user.must_change_password,
            "password": "stored only as a one-way hash (scrypt), which is not included",
        },
        "classes": [{"name": name, "joined_at": _time(joined)} for name, joined in classes],
        "sign_ins": [{"started_at": _time(started)} for started in sign_ins],
        "attempts": [
            {
                "attempt_id": attempt.id,
                "quiz": slug,
                "quiz_title": title,
                "started_at": _time(attempt.started_at),
                "finished_at": _time(attempt.finished_at),
                "answers": by_attempt.get(attempt.id, []),
            }
            for attempt, slug, title in attempts
        ],
        "regrades": [
            {
                "answer_id": change.answer_id,
                "regraded_at": _time(at),
                "scores_before": [change.before_claim_type, change.before_speaker, change.before_evidence],
                "scores_after": [change.after_claim_type, change.after_speaker, change.after_evidence],
            }
            for change, at in regrades
        ],
    }


@dataclass(frozen=True)
class Deleted:
    attempts: int
    answers: int


def answer_count(user_id: int) -> Deleted:
    attempts = select(Attempt.id).where(Attempt.user_id == user_id)
    return Deleted(
        db.session.scalar(select(func.count()).select_from(attempts.subquery())) or 0,
        db.session.scalar(select(func.count(Answer.id)).where(Answer.attempt_id.in_(attempts))) or 0,
    )


def delete_student(user: User) -> Deleted:
    """Delete the student and everything stored about them, in one transaction."""
    counted = answer_count(user.id)
    attempts = select(Attempt.id).where(Attempt.user_id == user.id)
    answers = select(Answer.id).where(Answer.attempt_id.in_(attempts))
    db.session.execute(delete(RegradedAnswer).where(RegradedAnswer.answer_id.in_(answers)))
    db.session.execute(delete(Answer).where(Answer.attempt_id.in_(attempts)))
    db.session.execute(delete(Attempt).where(Attempt.user_id == user.id))
    db.session.execute(delete(ClassMembership).where(ClassMembership.user_id == user.id))
    db.session.execute(delete(ClassInstructor).where(ClassInstructor.user_id == user.id))
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id))
    db.session.execute(update(Classroom).where(Classroom.created_by_id == user.id).values(created_by_id=None))
    db.session.delete(user)
    db.session.commit()
    return counted
