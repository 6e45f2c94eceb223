"""A live session as requests read it: its row, who may see it, and what it shows now.

The student's page, the answer and every poll read the session in one statement
built once (as taking does for its busiest requests). A poll that finds nothing
changed reads only the stamp columns and the membership that lets the student see it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from quizapp.accounts.classrooms import classes_taught_by
from quizapp.db import db, table_of
from quizapp.models import ClassMembership, Classroom, Question, QuestionVersion, Quiz
from quizapp.models import LiveSession as LiveSessionRow
from quizapp.taking import snapshot
from quizapp.taking.snapshot import QuizView, VersionView

Phase = Literal["open", "revealed", "ended"]


@dataclass(frozen=True)
class LiveState:
    """A session's row as a plain record, in the table's terms."""

    id: int
    code: str
    quiz_id: int
    classroom_id: int
    started_by_id: int
    question_ids: list[int]
    position: int
    revealed_at: datetime | None
    started_at: datetime
    ended_at: datetime | None
    stage: int
    version: int

    @property
    def question_id(self) -> int:
        """The passage shown now."""
        return self.question_ids[self.position]

    @property
    def number(self) -> int:
        """The passage shown now, counted from 1 as people count."""
        return self.position + 1

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def is_last(self) -> bool:
        return self.number >= self.total

    @property
    def phase(self) -> Phase:
        if self.ended_at is not None:
            return "ended"
        return "revealed" if self.revealed_at is not None else "open"


@dataclass(frozen=True)
class Reading:
    """A session as one request sees it: its state, and whether the signed-in user is in its class."""

    state: LiveState
    member: bool
    classroom_name: str
    bank_revision: str | None  # for the quiz as students see it (taking/snapshot.py)


@dataclass(frozen=True)
class Stamp:
    """What a poll needs to answer "nothing changed" (304) and to decide who may ask."""

    member: bool  # the signed-in user is in the session's class
    code: str
    stage: int
    version: int
    started_by_id: int
    classroom_id: int


SESSIONS = table_of(LiveSessionRow)
_MEMBERSHIPS = table_of(ClassMembership)
# Is the signed-in user in the session's class? A primary-key probe of class_membership.
_IS_MEMBER = (
    exists()
    .where(_MEMBERSHIPS.c.classroom_id == SESSIONS.c.classroom_id, _MEMBERSHIPS.c.user_id == bindparam("user_id"))
    .label("member")
)
_CLASSROOMS = table_of(Classroom)
_CLASSROOM_NAME = (
    select(_CLASSROOMS.c.name).where(_CLASSROOMS.c.id == SESSIONS.c.classroom_id).scalar_subquery().label("classroom")
)
_READ = select(
    *(SESSIONS.c[f.name] for f in fields(LiveState)),
    _IS_MEMBER,
    _CLASSROOM_NAME,
    snapshot.revision_column().label("revision"),
).where(SESSIONS.c.id == bindparam("live_id"))
STAMP = select(*(SESSIONS.c[f.name] for f in fields(Stamp)[1:]), _IS_MEMBER).where(
    SESSIONS.c.id == bindparam("live_id")
)


def read(live_id: int, user_id: int) -> Reading | None:
    row = db.session.execute(_READ, {"live_id": live_id, "user_id": user_id}).one_or_none()
    if row is None:
        return None
    *columns, member, classroom, revision = row
    return Reading(LiveState(*columns), bool(member), classroom, revision)


def stamp(live_id: int, user_id: int) -> Stamp | None:
    row = db.session.execute(STAMP, {"live_id": live_id, "user_id": user_id}).one_or_none()
    if row is None:
        return None
    *columns, member = row
    return Stamp(bool(member), *columns)


def running_with_code(code: str) -> int | None:
    """The running session students join with this code (as stored: no dash, capitals)."""
    if not code:
        return None
    return db.session.scalar(select(SESSIONS.c.id).where(SESSIONS.c.code == code, SESSIONS.c.ended_at.is_(None)))


def may_run(session: LiveState | Stamp, user_id: int) -> bool:
    """Whether this instructor may run the session: whoever started it, and anyone who
    teaches its class (the rule of classes_taught_by). The first check needs no query,
    so the starter's polls stay one statement."""
    if session.started_by_id == user_id:
        return True
    return any(c.id == session.classroom_id for c in classes_taught_by(user_id))


def quiz_of(reading: Reading) -> QuizView:
    return snapshot.quiz_view(reading.state.quiz_id, reading.bank_revision)


def current_version(reading: Reading, quiz: QuizView) -> VersionView | QuestionVersion:
    """The version of the passage shown now that students answer: the current one, from
    this process's snapshot; read from the database when the question was withdrawn
    from the bank during the session (the session goes on showing it)."""
    shown = quiz.current.get(reading.state.question_id)
    if shown is not None:
        return shown
    question = db.session.get(
        Question,
        reading.state.question_id,
        options=[joinedload(Question.current_version).joinedload(QuestionVersion.source)],
    )
    assert question is not None and question.current_version is not None, "sessions keep ids of synced questions"
    return question.current_version


def explained_version(version_id: int) -> QuestionVersion:
    """A version with its explanations, which the snapshot does not keep: for a revealed key."""
    version = db.session.get(QuestionVersion, version_id, options=[joinedload(QuestionVersion.source)])
    assert version is not None, "a version shown is never deleted"
    return version


@dataclass(frozen=True)
class Listed:
    """A session in a list: the quiz list's notice, the instructor's Teach live page."""

    id: int
    code: str
    quiz_title: str
    classroom_name: str
    started_at: datetime
    ended_at: datetime | None
    position: int
    question_ids: list[int]

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def total(self) -> int:
        return len(self.question_ids)


_LISTED = (
    select(
        LiveSessionRow.id,
        LiveSessionRow.code,
        Quiz.title,
        Classroom.name,
        LiveSessionRow.started_at,
        LiveSessionRow.ended_at,
        LiveSessionRow.position,
        LiveSessionRow.question_ids,
    )
    .join(Quiz, Quiz.id == LiveSessionRow.quiz_id)
    .join(Classroom, Classroom.id == LiveSessionRow.classroom_id)
)


def running_for_student(user_id: int) -> list[Listed]:
    """Sessions running now for the classes this student is in."""
    rows = db.session.execute(
        _LISTED.join(ClassMembership, ClassMembership.classroom_id == LiveSessionRow.classroom_id)
        .where(ClassMembership.user_id == user_id, LiveSessionRow.ended_at.is_(None))
        .order_by(LiveSessionRow.started_at)
    )
    return [Listed(*row) for row in rows]


def of_classes(classroom_ids: list[int], *, running: bool, limit: int = 20) -> list[Listed]:
    """The sessions of these classes, running or ended, newest first."""
    ended = LiveSessionRow.ended_at.is_(None) if running else LiveSessionRow.ended_at.is_not(None)
    rows = db.session.execute(
        _LISTED.where(LiveSessionRow.classroom_id.in_(classroom_ids), ended)
        .order_by(LiveSessionRow.started_at.desc(), LiveSessionRow.id.desc())
        .limit(limit)
    )
    return [Listed(*row) for row in rows]
