"""The "auth" blueprint: registering, signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers.response import Response

from quizapp.accounts import classrooms, limits
from quizapp.accounts.access import public
from quizapp.accounts.forms import LoginForm, RegisterForm
from quizapp.accounts.users import create_user, find_user, load_signed_in_user
from quizapp.db import db
from quizapp.forms import ActionForm, add_error, text_of
from quizapp.models import User

bp = Blueprint("auth", __name__)

# Compared against when the username is unknown, so a wrong username takes as
# long as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def init_app(app: Flask) -> None:
    app.before_request(load_signed_in_user)


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
        username = text_of(form.username).strip()
        if find_user(username) is None:
            try:
                user = create_user(username, text_of(form.password))
            except IntegrityError:
                db.session.rollback()
            else:
                _start_session(user)
                flash("Welcome! Pick a quiz to start.", "success")
                joined = classrooms.find_by_code(text_of(form.join_code))
                if joined is not None and classrooms.join(joined, user.id):
                    flash(f"You joined {joined.name}.", "success")
                return redirect(url_for("quiz.index"))
        add_error(form.username, "That username is taken; choose another.")
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        username = text_of(form.username).strip()
        limits.check_sign_in(username)  # 429 after too many failures
        user = find_user(username)
        password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, text_of(form.password))
        if user is not None and password_ok:
            _start_session(user)
            target = safe_next(request.args.get("next"))
            if target:
                return redirect(target)
            return redirect(url_for("review.instructor_home" if user.is_instructor else "quiz.index"))
        limits.failed_sign_in(username)
        add_error(form.password, "Wrong username or password.")
    # Sent here from a page that needs signing in (access.login_required passes it as ?next=).
    sent_from_page = safe_next(request.args.get("next")) is not None
    return render_template("accounts/login.html", form=form, sent_from_page=sent_from_page)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
