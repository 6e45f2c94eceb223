"""Tables of accounts: users, their roles, classes and who is in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from quizapp.db import Model, utcnow

STUDENT = "student"
INSTRUCTOR = "instructor"


class User(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # 'Ada' and 'ada' are one person: the name folded by Python, the same on
    # every database, and unique, so two sign-ups at one moment cannot both win.
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=STUDENT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_instructor(self) -> bool:
        return self.role == INSTRUCTOR

    @validates("username")
    def _set_username_key(self, _key: str, username: str) -> str:
        self.username_key = username_key(username)
        return username


def username_key(username: str) -> str:
    return username.lower()


class Classroom(Model):
    """A class students join with a code; instructors filter review pages by it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Stored without the dash it is shown with; see classrooms.format_code().
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClassMembership(Model):
    """Student <-> class, many to many: a student may be in several classes."""

    __table_args__ = (Index("ix_class_membership_user_id", "user_id"),)

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
