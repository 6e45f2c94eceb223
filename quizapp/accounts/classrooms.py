"""Classes and their join codes: making a class, finding it by code, joining it."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp.db import db
from quizapp.models import ClassMembership, Classroom

# No vowels (so no accidental words) and none of 0/O, 1/I/L that are misread
# when a code is copied from a projector or dictated to a class.
CODE_ALPHABET = "BCDFGHJKMNPQRSTVWXZ23456789"
CODE_LENGTH = 8
NAME_MAX = 100


class ClassroomError(Exception):
    """A class cannot be made as asked; the message says why, in plain words."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """'BCDF2345' -> 'BCDF-2345': easier to read aloud and to type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(typed: str) -> str:
    """What a student typed, in the stored form: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-]+", "", typed).upper()


def clean_name(name: str) -> str:
    return " ".join(name.split())


def find_by_name(name: str) -> Classroom | None:
    return db.session.scalar(select(Classroom).filter(func.lower(Classroom.name) == clean_name(name).lower()))


def find_by_code(typed: str) -> Classroom | None:
    code = normalise_code(typed)
    if not code:
        return None
    return db.session.scalar(select(Classroom).filter_by(join_code=code))


def create_classroom(name: str, created_by_id: int | None = None) -> Classroom:
    """Make a class with a fresh unique join code; raises ClassroomError for a bad or taken name."""
    name = clean_name(name)
    if not name:
        raise ClassroomError("Give the class a name.")
    if len(name) > NAME_MAX:
        raise ClassroomError(f"A class name has at most {NAME_MAX} characters.")
    existing = find_by_name(name)
    if existing is not None:
        raise ClassroomError(
            f"A class named '{existing.name}' exists already (join code {format_code(existing.join_code)})."
        )
    # A clash of two random codes is very unlikely; the unique index is the
    # real guard, so a clash is simply retried with a new code.
    for _ in range(5):
        classroom = Classroom(name=name, join_code=new_code(), created_by_id=created_by_id)
        db.session.add(classroom)
        try:
            db.session.commit()
            return classroom
        except IntegrityError:
            db.session.rollback()
            if find_by_name(name) is not None:
                raise ClassroomError(f"A class named '{name}' was created a moment ago.") from None
    raise ClassroomError("Could not find a free join code; try again.")


def is_member(classroom_id: int, user_id: int) -> bool:
    return db.session.get(ClassMembership, (classroom_id, user_id)) is not None


def join(classroom: Classroom, user_id: int) -> bool:
    """Add a student to a class; False when they were in it already."""
    if is_member(classroom.id, user_id):
        return False
    db.session.add(ClassMembership(classroom_id=classroom.id, user_id=user_id))
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once
        db.session.rollback()
        return False
    return True


def leave(classroom_id: int, user_id: int) -> bool:
    membership = db.session.get(ClassMembership, (classroom_id, user_id))
    if membership is None:
        return False
    db.session.delete(membership)
    db.session.commit()
    return True


def all_classrooms() -> list[Classroom]:
    return list(db.session.scalars(select(Classroom).order_by(func.lower(Classroom.name))))


def classes_taught_by(user_id: int) -> list[Classroom]:
    """The classes this instructor teaches, by name. The one place that rule is decided:
    for now, the classes they created."""
    return list(
        db.session.scalars(
            select(Classroom).filter(Classroom.created_by_id == user_id).order_by(func.lower(Classroom.name))
        )
    )


def classes_of(user_id: int) -> list[Classroom]:
    return list(
        db.session.scalars(
            select(Classroom)
            .join(ClassMembership, ClassMembership.classroom_id == Classroom.id)
            .filter(ClassMembership.user_id == user_id)
            .order_by(func.lower(Classroom.name))
        )
    )


def member_counts() -> dict[int, int]:
    rows = db.session.execute(select(ClassMembership.classroom_id, func.count()).group_by(ClassMembership.classroom_id))
    return dict(rows.all())


def class_names_by_user() -> dict[int, list[str]]:
    """Every student's class names in one query (for tables and exports)."""
    query = (
        select(ClassMembership.user_id, Classroom.name)
        .join(Classroom, Classroom.id == ClassMembership.classroom_id)
        .order_by(ClassMembership.user_id, func.lower(Classroom.name))
    )
    names: dict[int, list[str]] = {}
    for user_id, name in db.session.execute(query):
        names.setdefault(user_id, []).append(name)
    return names
