"""Tables of live class sessions: an instructor takes a class through a quiz, one passage at a time.

Everything a session is showing lives in its row, so any server process (and any
server on a shared database) answers a student or the projector the same way.
The answers themselves are ordinary answers of ordinary attempts (answers.py),
marked with the session they were given in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.db import JSONDocument, Model, utcnow


class LiveSession(Model):
    __table_args__ = (
        # One session running per class at a time: a second one would split the class.
        Index(
            "uq_live_session_running",
            "classroom_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What students type to join, stored without the dash it is shown with.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The quiz's passages (question ids) in the order they are shown, fixed when the
    # session starts: a sync during the lesson neither reorders nor drops one.
    question_ids: Mapped[list[int]] = mapped_column(JSONDocument, default=list)
    position: Mapped[int] = mapped_column(default=0)  # index into question_ids: the passage shown now
    revealed_at: Mapped[datetime | None] = mapped_column(default=None)  # the key of this passage is shown
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    # Raised by every change: `stage` when the passage, the reveal or the end changes
    # (what students' pages show), `version` also with every answer and every pick of
    # reasons (what the projector shows). Polls compare them and nothing else.
    stage: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)


class LivePick(Model):
    """A student's reason the instructor chose to show on the projector (without the student's name)."""

    live_session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), primary_key=True)
