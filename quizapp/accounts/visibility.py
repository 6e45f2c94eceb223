"""Which students and classes a member of staff sees.

An admin sees every student and class. An instructor sees the classes they teach
(made, or were added to as a co-teacher) and the students in them: their answers,
scores and accounts. The review room's filter (`review.filters.Scope`) turns
`taught_students` into a condition of every aggregate query, so the rule is
applied in SQL and a page's statement count does not change.
"""

from __future__ import annotations

from flask import abort, g
from sqlalchemy import Select, func, select

from quizapp.accounts.users import SignedInUser
from quizapp.db import db
from quizapp.models import STUDENT, ClassInstructor, ClassMembership, Classroom, User


def taught_students(instructor_id: int) -> Select[int]:
    """The ids of the students in the classes this instructor teaches, as a subquery."""
    return (
        select(ClassMembership.user_id)
        .join(ClassInstructor, ClassInstructor.classroom_id == ClassMembership.classroom_id)
        .where(ClassInstructor.user_id == instructor_id)
    )


def sees_everyone(viewer: SignedInUser) -> bool:
    return viewer.is_admin


def teaches(viewer: SignedInUser, classroom_id: int) -> bool:
    """May the viewer see and manage this class? Admins may manage every class."""
    if viewer.is_admin:
        return True
    return db.session.get(ClassInstructor, (classroom_id, viewer.id)) is not None


def can_see_student(viewer: SignedInUser, student_id: int) -> bool:
    """Is this a student whose answers the viewer may see? One query."""
    query = select(User.id).where(User.id == student_id, User.role == STUDENT)
    if not sees_everyone(viewer):
        query = query.where(User.id.in_(taught_students(viewer.id)))
    return db.session.scalar(query) is not None


def visible_classrooms(viewer: SignedInUser) -> list[Classroom]:
    """The classes the viewer teaches (every class for an admin), by name, archived ones last."""
    query = select(Classroom).order_by(Classroom.archived_at.is_not(None), func.lower(Classroom.name))
    if not sees_everyone(viewer):
        query = query.join(ClassInstructor, ClassInstructor.classroom_id == Classroom.id).where(
            ClassInstructor.user_id == viewer.id
        )
    return list(db.session.scalars(query))


def taught_classroom(classroom_id: int) -> Classroom:
    """The class, if the signed-in instructor teaches it (an admin: any class); else 404,
    as if it did not exist."""
    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None or not teaches(g.user, classroom.id):
        abort(404)
    return classroom
