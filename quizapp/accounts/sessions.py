"""Sessions that end (F2): each sign-in is a row (SignIn), and the session cookie names it.

Sessions are signed cookies, which the server cannot take back once sent; so the
cookie carries the id of its sign-in, and `users.load_signed_in_user` accepts it
only while that row exists, in the query that reads the signed-in user anyway.
Signing out deletes this browser's row; a password change, a reset, "Sign out
everywhere" and deactivation delete every row of the account. A sign-in lasts at
most PERMANENT_SESSION_LIFETIME (31 days), however often its cookie is renewed.
"""

from __future__ import annotations

import secrets

from flask import session
from sqlalchemy import delete

from quizapp.accounts.users import SESSION_SIGN_IN, SESSION_USER, session_lifetime
from quizapp.db import db, utcnow
from quizapp.models import SignIn


def new_sign_in(user_id: int) -> str:
    """Store a sign-in for `user_id` and return its id, for the session cookie.

    The account's sign-ins too old to be used are dropped on the way, so the
    table holds about one row per browser in use.
    """
    db.session.execute(
        delete(SignIn).where(SignIn.user_id == user_id, SignIn.created_at <= utcnow() - session_lifetime())
    )
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(id=token, user_id=user_id))
    db.session.commit()
    return token


def start_session(user_id: int) -> None:
    """Sign this browser in: a fresh session (no fixation of an earlier one) naming a new sign-in."""
    token = new_sign_in(user_id)
    session.clear()
    session[SESSION_USER] = user_id
    session[SESSION_SIGN_IN] = token
    session.permanent = True


def end_session() -> None:
    """Sign this browser out: its sign-in is deleted, so a copy of the cookie no longer works."""
    token = session.get(SESSION_SIGN_IN)
    if isinstance(token, str):
        db.session.execute(delete(SignIn).where(SignIn.id == token))
        db.session.commit()
    session.clear()


def end_every_session(user_id: int) -> int:
    """End every session of the account, wherever it is signed in; the caller commits.
    Returns how many there were."""
    ended = db.session.execute(delete(SignIn).where(SignIn.user_id == user_id))
    return int(ended.rowcount)  # type: ignore[attr-defined]  # a DML result has a rowcount
