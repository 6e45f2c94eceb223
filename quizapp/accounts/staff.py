"""Instructors and admins: making them, promoting, deactivating. Used by the commands and the admin page.

An admin may not demote or deactivate the last active admin (nobody could then
manage the instructors from the app); the commands can always make a new one.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from quizapp.accounts.sessions import end_every_session
from quizapp.accounts.users import hash_password
from quizapp.db import db
from quizapp.models import ADMIN, INSTRUCTOR, STAFF_ROLES, STUDENT, User

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]{3,32}")
USERNAME_HELP = "A username has 3 to 32 characters: letters, digits, dots, dashes or underscores only."
ROLE_NAMES = {STUDENT: "a student", INSTRUCTOR: "an instructor", ADMIN: "an admin"}


class StaffError(Exception):
    """The change cannot be made; the message says why, in plain words."""


def check_username(username: str) -> str:
    if not USERNAME_PATTERN.fullmatch(username):
        raise StaffError(USERNAME_HELP)
    return username


def create_staff(username: str, password: str, role: str = INSTRUCTOR, *, temporary: bool = False) -> User:
    """A new instructor or admin; with `temporary`, the password must be replaced at the first sign-in."""
    assert role in STAFF_ROLES
    user = User(username=check_username(username), password_hash=hash_password(password), role=role)
    user.must_change_password = temporary
    db.session.add(user)
    db.session.commit()
    return user


def _active_admins() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.role == ADMIN, User.active)) or 0


def _keep_an_admin(user: User) -> None:
    if user.role == ADMIN and user.active and _active_admins() <= 1:
        raise StaffError(f"{user.username} is the only active admin; make another admin first.")


def set_role(user: User, role: str) -> str:
    """Make `user` a student, an instructor or an admin; returns what was done, in words. Commits."""
    if role == user.role:
        return f"{user.username} is already {ROLE_NAMES[role]}; nothing changed."
    if role != ADMIN:
        _keep_an_admin(user)
    before = user.role
    user.role = role
    db.session.commit()
    return f"{user.username} is now {ROLE_NAMES[role]} (was {ROLE_NAMES.get(before, before)})."


def set_active(user: User, active: bool) -> str:
    """Deactivate (every session ends at its next request; nothing is deleted) or reactivate. Commits."""
    if active == user.active:
        return f"{user.username} is already {'active' if active else 'deactivated'}; nothing changed."
    if not active:
        _keep_an_admin(user)
        end_every_session(user.id)
    user.active = active
    db.session.commit()
    return f"{user.username} {'can sign in again' if active else 'is deactivated and signed out everywhere'}."


def staff_accounts() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.active.desc(), User.username_key)
        )
    )
