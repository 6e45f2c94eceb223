"""Accounts as data: making and finding users, their passwords, and the signed-in user (g.user)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from flask import g, session
from sqlalchemy import bindparam, select
from werkzeug.security import generate_password_hash

from quizapp.db import db, table_of
from quizapp.models import INSTRUCTOR, STUDENT, User, username_key


@dataclass(frozen=True)
class SignedInUser:
    """The signed-in account as requests see it (g.user): a plain record, not an
    ORM row. It is read before every request, and loading a row object cost twice
    as much as the query; nor should a request change the account through it."""

    id: int
    username: str
    role: str

    @property
    def is_instructor(self) -> bool:
        return self.role == INSTRUCTOR


# A Core statement built once, for the same reason.
_USERS = table_of(User)
_SIGNED_IN_USER = select(*(_USERS.c[f.name] for f in fields(SignedInUser))).where(_USERS.c.id == bindparam("user_id"))


def load_signed_in_user() -> None:
    user_id = session.get("user_id")
    row = db.session.execute(_SIGNED_IN_USER, {"user_id": user_id}).one_or_none() if isinstance(user_id, int) else None
    g.user = SignedInUser(*row) if row is not None else None


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
