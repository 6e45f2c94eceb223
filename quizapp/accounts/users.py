"""Accounts as data: making and finding users, and the signed-in user (g.user)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta

from flask import current_app, g, session
from sqlalchemy import bindparam, select, true
from werkzeug.security import generate_password_hash

from quizapp.db import db, table_of, utcnow
from quizapp.models import ADMIN, STAFF_ROLES, STUDENT, SignIn, User, username_key

# The session cookie holds these two: whose session it is, and which sign-in (a SignIn row).
SESSION_USER = "user_id"
SESSION_SIGN_IN = "sign_in"


@dataclass(frozen=True)
class SignedInUser:
    """The signed-in account as requests see it (g.user): a plain record, not an
    ORM row. It is read before every request, and loading a row object cost twice
    as much as the query; nor should a request change the account through it."""

    id: int
    username: str
    role: str
    must_change_password: bool

    @property
    def is_instructor(self) -> bool:
        """Staff: an instructor or an admin."""
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


# A Core statement built once, for the same reason. It also checks, in the same
# query, that the cookie's sign-in has not ended (sign-out, a password change or
# reset, "Sign out everywhere"), is not older than a session may live, and that
# the account is active: ending a session costs no extra query on any page.
_USERS = table_of(User)
_SIGN_INS = table_of(SignIn)
_SIGNED_IN_USER = (
    select(*(_USERS.c[f.name] for f in fields(SignedInUser)))
    .select_from(_USERS.join(_SIGN_INS, _SIGN_INS.c.user_id == _USERS.c.id))
    .where(
        _SIGN_INS.c.id == bindparam("sign_in"),
        _USERS.c.id == bindparam("user_id"),
        _SIGN_INS.c.created_at > bindparam("since"),
        _USERS.c.active.is_(true()),
    )
)


def session_lifetime() -> timedelta:
    lifetime: timedelta = current_app.permanent_session_lifetime
    return lifetime


def load_signed_in_user() -> None:
    user_id, sign_in = session.get(SESSION_USER), session.get(SESSION_SIGN_IN)
    row = None
    if isinstance(user_id, int) and isinstance(sign_in, str):
        values = {"user_id": user_id, "sign_in": sign_in, "since": utcnow() - session_lifetime()}
        row = db.session.execute(_SIGNED_IN_USER, values).one_or_none()
    g.user = SignedInUser(*row) if row is not None else None
    if row is None and SESSION_USER in session:
        session.clear()  # an ended session: the browser's cookie is dropped with this response


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # scrypt, werkzeug's default KDF


def create_user(username: str, password: str, role: str = STUDENT) -> User:
    user = User(username=username, password_hash=hash_password(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def find_user(username: str) -> User | None:
    """Usernames are matched without regard to case: 'Ada' and 'ada' are one person."""
    return db.session.scalar(select(User).filter_by(username_key=username_key(username)))
