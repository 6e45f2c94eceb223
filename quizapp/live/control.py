"""What the instructor does to a live session: start it, show the key, move on, end it.

Every step is one conditional UPDATE of the session's row that names the stage
the instructor's page was showing: a double click, a second tab or a colleague
pressing the same button at once changes the session once, on any number of
servers, and the others are told nothing was changed. Each step raises `stage`
(what students' pages show) and `version` (what the projector shows), which is
how every page following the session learns of it.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.live.state import SESSIONS, LiveState
from quizapp.models import Answer, Attempt, Classroom, LivePick, LiveSession, Quiz, utcnow
from quizapp.taking import attempts
from quizapp.taking.attempts import ATTEMPTS

CODE_LENGTH = 6  # short enough to read aloud and type on a phone; 27**6 codes


class LiveError(Exception):
    """A session cannot be started as asked; the message says why, in plain words."""


def new_code() -> str:
    return classrooms.new_code()[:CODE_LENGTH]


def running_in(classroom_id: int) -> LiveSession | None:
    return db.session.scalar(select(LiveSession).filter_by(classroom_id=classroom_id, ended_at=None))


def start(quiz_id: int, classroom_id: int, user_id: int) -> LiveSession:
    """Start a session of the quiz for the class, at its first passage. The class must be
    one the instructor teaches, and no other session may be running in it."""
    classroom = next((c for c in classrooms.classes_taught_by(user_id) if c.id == classroom_id), None)
    if classroom is None:
        raise LiveError("You can start a live session only for a class you teach.")
    quiz = db.session.get(Quiz, quiz_id)
    passages = [q.id for q in attempts.live_questions(quiz_id)] if quiz and quiz.retired_at is None else []
    if quiz is None or not passages:
        raise LiveError("That quiz has no passages to show; choose another.")
    # A clash of two random codes is very unlikely; the unique index is the guard,
    # as it is for one running session per class (two instructors starting at once).
    for _ in range(5):
        session = LiveSession(
            code=new_code(), quiz_id=quiz.id, classroom_id=classroom.id, started_by_id=user_id, question_ids=passages
        )
        db.session.add(session)
        try:
            db.session.commit()
            return session
        except IntegrityError:
            db.session.rollback()
            if running_in(classroom.id) is not None:
                raise _already_running(classroom) from None
    raise LiveError("Could not find a free session code; try again.")


def _already_running(classroom: Classroom) -> LiveError:
    return LiveError(f"{classroom.name} has a live session running already: end it before starting another.")


def _step(
    state: LiveState, stage: int, *conditions: ColumnElement[bool], students_see_it: bool = True, **values: object
) -> bool:
    """Apply a step if the session is still at `stage` and the conditions hold; True if it was
    applied. `version` always goes up; `stage` too when students' pages change with it."""
    raised = {"stage": SESSIONS.c.stage + 1} if students_see_it else {}
    changed = db.session.execute(
        update(SESSIONS)
        .where(SESSIONS.c.id == state.id, SESSIONS.c.stage == stage, *conditions)
        .values(version=SESSIONS.c.version + 1, **raised, **values)
    )
    applied: bool = changed.rowcount == 1  # type: ignore[attr-defined]
    return applied


def _finish(applied: bool) -> bool:
    """Commit a step that was applied; undo everything of one that was not."""
    if applied:
        db.session.commit()
    else:
        db.session.rollback()
    return applied


def reveal(state: LiveState, stage: int, picked: Collection[int] | None) -> bool:
    """Show the key of the passage (answers to it close). `picked`: the answers whose
    reasons the projector shows, replacing earlier picks; None keeps them (the
    projector's own button, which lists no reasons)."""
    revealed = _step(
        state, stage, SESSIONS.c.ended_at.is_(None), SESSIONS.c.revealed_at.is_(None), revealed_at=utcnow()
    )
    if revealed and picked is not None:
        _replace_picks(state, picked)
    return _finish(revealed)


def pick(state: LiveState, stage: int, picked: Collection[int]) -> bool:
    """Change which reasons the projector shows once the key is out (students' pages do not show them)."""
    still = _step(
        state, stage, SESSIONS.c.ended_at.is_(None), SESSIONS.c.revealed_at.is_not(None), students_see_it=False
    )
    if still:
        _replace_picks(state, picked)
    return _finish(still)


def _replace_picks(state: LiveState, picked: Collection[int]) -> None:
    """Only reasons given in this session to the passage shown now can be picked."""
    of_this_passage = (
        select(Answer.id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.live_session_id == state.id, Answer.question_id == state.question_id)
    )
    db.session.execute(
        delete(LivePick).where(LivePick.live_session_id == state.id, LivePick.answer_id.in_(of_this_passage))
    )
    chosen = db.session.scalars(of_this_passage.where(Answer.id.in_(list(picked)), Answer.reason != "")).all()
    if chosen:
        db.session.execute(insert(LivePick), [{"live_session_id": state.id, "answer_id": a} for a in chosen])


def next_passage(state: LiveState, stage: int) -> bool:
    """Move everyone to the next passage; its answers open. Not past the last one: End is for that."""
    moved = _step(
        state,
        stage,
        SESSIONS.c.ended_at.is_(None),
        SESSIONS.c.position < state.total - 1,
        position=SESSIONS.c.position + 1,
        revealed_at=None,
    )
    return _finish(moved)


def end(state: LiveState, stage: int) -> bool:
    """Close the session. Its attempts are finished now, so their summaries show every key."""
    now = utcnow()
    ended = _step(state, stage, SESSIONS.c.ended_at.is_(None), ended_at=now)
    if ended:
        db.session.execute(
            update(ATTEMPTS)
            .where(ATTEMPTS.c.live_session_id == state.id, ATTEMPTS.c.finished_at.is_(None))
            .values(finished_at=now)
        )
    return _finish(ended)
