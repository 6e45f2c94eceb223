"""Tables of accounts: users, their roles and sign-ins, classes, who is in them and who teaches them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, validates

from quizapp.db import Model, utcnow

STUDENT = "student"
INSTRUCTOR = "instructor"
ADMIN = "admin"  # an instructor who sees every student and manages the instructors
STAFF_ROLES = (INSTRUCTOR, ADMIN)


class User(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # 'Ada' and 'ada' are one person: the name folded by Python, the same on
    # every database, and unique, so two sign-ups at one moment cannot both win.
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=STUDENT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A deactivated account cannot sign in, and its open sessions end at their next request.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Set by a password reset: the one-time password given out must be replaced at sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def is_instructor(self) -> bool:
        """Staff: an instructor or an admin."""
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @validates("username")
    def _set_username_key(self, _key: str, username: str) -> str:
        self.username_key = username_key(username)
        return username


def username_key(username: str) -> str:
    return username.lower()


class SignIn(Model):
    """One signed-in browser. The session cookie names its row; signing out deletes
    the row, so a copy of the cookie taken before then no longer signs anyone in.
    Ending all of a user's rows ends every session they have (a password change,
    a reset, "Sign out everywhere", deactivation)."""

    # A random token (secrets.token_urlsafe), not a counter: it cannot be guessed.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Classroom(Model):
    """A class students join with a code; instructors filter review pages by it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Stored without the dash it is shown with; see classrooms.format_code().
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An archived class takes no new students (its code stops working); its
    # instructors still review it.
    archived_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class ClassMembership(Model):
    """Student <-> class, many to many: a student may be in several classes."""

    __table_args__ = (Index("ix_class_membership_user_id", "user_id"),)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassInstructor(Model):
    """Instructor <-> class, many to many: who teaches a class and so sees its students.
    The instructor who makes a class is its first; co-teachers are added on the class page."""

    __table_args__ = (Index("ix_class_instructor_user_id", "user_id"),)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
