"""A student's answer in a live session: only to the passage shown now, stored like any other.

The answer goes through taking's record_answer into the student's attempt for this
session (one per student and session, made at their first answer). Before it, one
conditional UPDATE raises the session's `version` only while the passage is still
open; it runs in the answer's transaction, so an answer and an instructor's Reveal
or Next sent at the same moment are put in one order on every database: the answer
is stored before the step, or refused after it, never stored after it.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from quizapp.db import db
from quizapp.live.state import SESSIONS, LiveState, read
from quizapp.models import Answer, Attempt, QuestionVersion
from quizapp.taking import attempts
from quizapp.taking.snapshot import VersionView


class NotOpen(Exception):
    """The passage cannot be answered now; the message says why, for the student."""


def refusal(state: LiveState, question_id: int) -> str | None:
    """Why an answer to this question is refused in the session as it stands, or None."""
    if state.phase == "ended":
        return "This class session has ended; your answers are saved."
    if question_id != state.question_id:
        if question_id in state.question_ids[: state.position]:
            return "The class has moved on from that passage: here is the passage your teacher is showing now."
        return "That passage is not open yet: answer the passage your teacher is showing now."
    if state.phase == "revealed":
        return "Answers to this passage closed when your teacher showed the key."
    return None


def attempt_id_for(state: LiveState, user_id: int) -> int:
    """The student's attempt in this session, made at their first answer."""
    found = find_attempt(state.id, user_id)
    if found is not None:
        return found
    attempt = Attempt(user_id=user_id, quiz_id=state.quiz_id, live_session_id=state.id)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # the same student's other tab made it a moment ago
        db.session.rollback()
        found = find_attempt(state.id, user_id)
        assert found is not None
        return found
    return attempt.id


def find_attempt(live_id: int, user_id: int) -> int | None:
    return db.session.scalar(select(Attempt.id).filter_by(live_session_id=live_id, user_id=user_id))


def my_answer(live_id: int, user_id: int, question_id: int) -> Answer | None:
    return db.session.scalar(
        select(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.live_session_id == live_id, Attempt.user_id == user_id, Answer.question_id == question_id)
    )


def submit(
    state: LiveState,
    user_id: int,
    version: VersionView | QuestionVersion,
    *,
    claim_type: str,
    speaker: str,
    evidence: bool,
    reason: str,
    confidence: int | None = None,
) -> int:
    """Store the answer and return its id. Raises NotOpen when the passage is not the one
    open now, and taking's AlreadyAnswered for a second answer to it."""
    problem = refusal(state, version.question_id)
    if problem:
        raise NotOpen(problem)
    attempt_id = attempt_id_for(state, user_id)
    still_open = db.session.execute(
        update(SESSIONS)
        .where(
            SESSIONS.c.id == state.id,
            SESSIONS.c.position == state.position,
            SESSIONS.c.revealed_at.is_(None),
            SESSIONS.c.ended_at.is_(None),
        )
        .values(version=SESSIONS.c.version + 1)
    )
    if still_open.rowcount != 1:  # type: ignore[attr-defined]  # a step came first: say which
        db.session.rollback()
        fresh = read(state.id, user_id)
        raise NotOpen((fresh and refusal(fresh.state, version.question_id)) or "This passage has just closed.")
    # None: the attempt is finished when the session ends, not at its last answer.
    return attempts.record_answer(
        attempt_id,
        version,
        None,
        claim_type=claim_type,
        speaker=speaker,
        evidence=evidence,
        reason=reason,
        confidence=confidence,
    )
