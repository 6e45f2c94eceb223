"""Passwords: checking, changing, and resetting to a one-time password that must be replaced."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.accounts.classrooms import CODE_ALPHABET
from quizapp.accounts.sessions import end_every_session
from quizapp.accounts.users import hash_password
from quizapp.db import db
from quizapp.models import User

PASSWORD_MIN = 8
PASSWORD_MAX = 128
TOO_SHORT = f"Use at least {PASSWORD_MIN} characters."
# Compared against when the username is unknown, so a wrong username takes as
# long as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def matches(user: User | None, password: str) -> bool:
    """Is `password` this user's? Takes as long for no user as for a wrong password."""
    ok = check_password_hash(user.password_hash if user is not None else _DUMMY_HASH, password)
    return ok and user is not None


def temporary_password() -> str:
    """12 characters in groups of four, e.g. 'BCDF-2345-GHJK' (about 57 bits): easy to read
    out or copy from a screen, with no letters or digits that are confused with others."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def set_password(user: User, password: str, *, temporary: bool = False) -> None:
    """A new password, and every session of the account ends (the caller signs this browser in again).

    A temporary password must be replaced at the next sign-in. Commits.
    """
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    end_every_session(user.id)
    db.session.commit()


def reset_password(user: User) -> str:
    """Give `user` a one-time password, end their sessions, and return it to be shown once."""
    password = temporary_password()
    set_password(user, password, temporary=True)
    return password
