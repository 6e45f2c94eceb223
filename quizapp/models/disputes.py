"""Tables of disputes: a student's objection to one part of a key, and the instructor's ruling on it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.db import JSONDocument, Model, utcnow

if TYPE_CHECKING:
    from quizapp.models.accounts import User
    from quizapp.models.answers import Answer, Regrade
    from quizapp.models.bank import Question, QuestionVersion

# The parts of an answer a student may dispute, as they are named in answers and question files.
PARTS = ("claim_type", "speaker", "evidence")
OPEN = "open"
KEPT = "kept"
ACCEPTED = "accepted"
STATUSES = (OPEN, KEPT, ACCEPTED)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DisputeRuling(Model):
    """An instructor's decision on the disputes of one question part, seen by every student who disputed it:
    keep the key (with a reply), or accept an answer as the key or as a half-credit alternate."""

    __table_args__ = (
        CheckConstraint(_one_of("part", PARTS), name="part"),
        CheckConstraint(_one_of("outcome", (KEPT, ACCEPTED)), name="outcome"),
        Index("ix_dispute_ruling_question_part", "question_id", "part"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    part: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    # Accepted: the answer made the key, or (claim type only) added to `accept` for half credit.
    accepted: Mapped[str | None] = mapped_column(String(64), default=None)
    as_alternate: Mapped[bool] = mapped_column(default=False)
    reply: Mapped[str] = mapped_column(Text, default="")  # required to keep the key; a note when accepting
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Accepted: the question file and the change to make in it, as shown to the instructor:
    # [{"line": 14, "before": ["    claim_type: factual"], "after": ["    claim_type: rule"]}, ...]
    path: Mapped[str | None] = mapped_column(String(500), default=None)
    change: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    file_written: Mapped[bool] = mapped_column(default=False)  # by the app (QUIZAPP_BANK_WRITABLE=1)
    regrade_id: Mapped[int | None] = mapped_column(ForeignKey("regrade.id"), default=None)  # "Regrade now"

    question: Mapped[Question] = relationship()
    by: Mapped[User] = relationship()
    regrade: Mapped[Regrade | None] = relationship()


class Dispute(Model):
    """A student says the key of one part of a question is wrong, for one of their answers."""

    __table_args__ = (
        CheckConstraint(_one_of("part", PARTS), name="part"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        # One open dispute per answer and part (an answer is one student's): a double
        # click or a second tab cannot make two. A settled one may be followed by another.
        Index(
            "uq_dispute_open",
            "answer_id",
            "part",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_dispute_answer_part", "answer_id", "part"),
        Index("ix_dispute_user_id", "user_id"),
        # The queue: disputes by question and part, per status.
        Index("ix_dispute_question_part_status", "question_id", "part", "status"),
        # The count beside "Instructor": open disputes, by whose they are.
        Index("ix_dispute_status_user", "status", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))  # the answer's student, kept here for the queue
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    # The version whose key the student saw and disputes: the one their answer is scored against.
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    part: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))  # that key, as text ("yes"/"no" for evidence)
    argued_for: Mapped[str] = mapped_column(String(64))  # the answer the student says should be the key
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ruling_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_ruling.id"), default=None)

    answer: Mapped[Answer] = relationship()
    user: Mapped[User] = relationship()
    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()
    ruling: Mapped[DisputeRuling | None] = relationship()
