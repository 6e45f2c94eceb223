"""Sign-up, sign-in, the signed-in user, and the access rules routes declare."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers.response import Response

from quizapp.accounts import classrooms, limits
from quizapp.db import db
from quizapp.accounts.forms import LoginForm, RegisterForm
from quizapp.forms import ActionForm
from quizapp.models import INSTRUCTOR, STUDENT, User, username_key

bp = Blueprint("auth", __name__)

View = TypeVar("View", bound=Callable[..., Any])

# Compared against when the username is unknown, so a wrong username takes as
# long as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def init_app(app: Flask) -> None:
    app.before_request(load_signed_in_user)


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
_USERS = User.__table__
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
    return db.session.scalar(db.select(User).filter_by(username_key=username_key(username)))


# Each access rule marks the view it guards, so a test can walk the URL map and
# find any route that was added without stating who may open it.
ACCESS_RULE_ATTR = "access_rule"


def _mark(view: View, rule: str) -> View:
    setattr(view, ACCESS_RULE_ATTR, rule)
    return view


def login_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return _mark(wrapped, "login")  # type: ignore[return-value]


def instructor_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not g.user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return _mark(wrapped, "instructor")  # type: ignore[return-value]


def public(view: View) -> View:
    """Marks a route that anyone may open; every route states its rule."""
    return _mark(view, "public")


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: no scheme, no host, no protocol-relative '//'."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _start_session(user: User) -> None:
    session.clear()  # a fresh session on sign-in: no fixation of an earlier one
    session["user_id"] = user.id
    session.permanent = True


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> str | Response:
    form = RegisterForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        if find_user(username) is None:
            try:
                user = create_user(username, form.password.data)
            except IntegrityError:
                db.session.rollback()
            else:
                _start_session(user)
                flash("Welcome! Pick a quiz to start.", "success")
                joined = classrooms.find_by_code(form.join_code.data or "")
                if joined is not None and classrooms.join(joined, user.id):
                    flash(f"You joined {joined.name}.", "success")
                return redirect(url_for("quiz.index"))
        form.username.errors.append("That username is taken; choose another.")
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        limits.check_sign_in(username)  # 429 after too many failures
        user = find_user(username)
        password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data)
        if user is not None and password_ok:
            _start_session(user)
            target = safe_next(request.args.get("next"))
            if target:
                return redirect(target)
            return redirect(url_for("review.instructor_home" if user.is_instructor else "quiz.index"))
        limits.failed_sign_in(username)
        form.password.errors.append("Wrong username or password.")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


__all__ = ["INSTRUCTOR", "STUDENT", "bp", "create_user", "instructor_required", "login_required"]
