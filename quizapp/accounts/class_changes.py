"""Changing a class once made: its name, archiving, a new join code, co-teachers, deleting it.

A class is a list of students, not their work: removing a student or deleting
a class never deletes an answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from quizapp.accounts.classrooms import ClassroomError, checked_name, find_by_name, name_taken, new_code
from quizapp.accounts.users import find_user
from quizapp.db import db, utcnow
from quizapp.models import STAFF_ROLES, Answer, Attempt, ClassInstructor, ClassMembership, Classroom, User


def rename(classroom: Classroom, name: str) -> None:
    name = checked_name(name)
    existing = find_by_name(name)
    if existing is not None and existing.id != classroom.id:
        raise name_taken(existing)
    classroom.name = name
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ClassroomError(f"A class named '{name}' was created a moment ago.") from None


def set_archived(classroom: Classroom, archived: bool) -> None:
    """An archived class keeps its students and stays on its instructors' pages; its code stops working."""
    classroom.archived_at = (classroom.archived_at or utcnow()) if archived else None
    db.session.commit()


def replace_code(classroom: Classroom) -> str:
    """A new join code, for a code that was shared too widely; the old one stops working at once."""
    for _ in range(5):
        classroom.join_code = new_code()
        try:
            db.session.commit()
            return classroom.join_code
        except IntegrityError:
            db.session.rollback()
    raise ClassroomError("Could not find a free join code; try again.")


@dataclass(frozen=True)
class Impact:
    """What deleting a class touches: its students leave it; their answers stay."""

    students: int
    answers: int


def impact(classroom_id: int) -> Impact:
    members = select(ClassMembership.user_id).where(ClassMembership.classroom_id == classroom_id)
    students = db.session.scalar(select(func.count()).select_from(members.subquery())) or 0
    answers = (
        db.session.scalar(
            select(func.count(Answer.id))
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .where(Attempt.user_id.in_(members))
        )
        or 0
    )
    return Impact(students, answers)


def delete_classroom(classroom: Classroom) -> Impact:
    """Delete the class, its memberships and its instructors' links; every answer stays."""
    found = impact(classroom.id)
    db.session.execute(delete(ClassMembership).where(ClassMembership.classroom_id == classroom.id))
    db.session.execute(delete(ClassInstructor).where(ClassInstructor.classroom_id == classroom.id))
    db.session.delete(classroom)
    db.session.commit()
    return found


def instructors_of(classroom_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ClassInstructor, ClassInstructor.user_id == User.id)
            .where(ClassInstructor.classroom_id == classroom_id)
            .order_by(ClassInstructor.added_at, User.username_key)
        )
    )


def find_instructor(username: str) -> User:
    """The active instructor (or admin) with this username; ClassroomError when there is none."""
    user = find_user(username.strip())
    if user is None or user.role not in STAFF_ROLES or not user.active:
        raise ClassroomError(f"No active instructor is called '{username.strip()}'. Check the username.")
    return user


def add_instructor(classroom: Classroom, username: str) -> User:
    """Add a co-teacher by username: they then see this class and its students."""
    user = find_instructor(username)
    if db.session.get(ClassInstructor, (classroom.id, user.id)) is not None:
        raise ClassroomError(f"{user.username} already teaches {classroom.name}.")
    db.session.add(ClassInstructor(classroom_id=classroom.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once
        db.session.rollback()
    return user


def remove_instructor(classroom: Classroom, user_id: int) -> None:
    """Take an instructor off a class; a class keeps at least one."""
    link = db.session.get(ClassInstructor, (classroom.id, user_id))
    if link is None:
        return
    teachers = db.session.scalar(
        select(func.count()).select_from(ClassInstructor).where(ClassInstructor.classroom_id == classroom.id)
    )
    if (teachers or 0) <= 1:
        raise ClassroomError("A class needs at least one instructor: add another before taking this one off.")
    db.session.delete(link)
    db.session.commit()
