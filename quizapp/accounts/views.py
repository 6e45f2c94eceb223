"""The "auth" blueprint: registering, signing in and out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers.response import Response

from quizapp.accounts import classrooms, limits, passwords, sessions
from quizapp.accounts.access import public
from quizapp.accounts.forms import LoginForm, RegisterForm
from quizapp.accounts.users import create_user, find_user, load_signed_in_user
from quizapp.db import db
from quizapp.forms import ActionForm, add_error, text_of

bp = Blueprint("auth", __name__)

# Endpoints open to someone who must first replace a one-time password.
_WHILE_CHANGING_PASSWORD = {
    "account.index",
    "account.change_password",
    "account.sign_out_everywhere",
    "auth.logout",
    "static",
}
# F6: browsers drop tabs and line breaks from a URL, and Werkzeug refuses them in a
# header. Control characters and spaces are refused (a path of this site arrives
# percent-encoded, as url_for writes it into the sign-in link).
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def init_app(app: Flask) -> None:
    app.before_request(load_signed_in_user)
    app.before_request(_replace_one_time_password)


def _replace_one_time_password() -> Response | None:
    """After a reset, the one-time password must be replaced before anything else."""
    user = g.user
    if user is None or not user.must_change_password or request.endpoint in _WHILE_CHANGING_PASSWORD:
        return None
    return redirect(url_for("account.index"))


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: no scheme, no host, no protocol-relative '//', no control characters."""
    if not target or _CONTROL.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> tuple[str, int] | Response:
    form = RegisterForm()
    if form.validate_on_submit():
        limits.check_registration()  # 429 after too many new accounts from this address
        username = text_of(form.username).strip()
        if find_user(username) is None:
            try:
                user = create_user(username, text_of(form.password))
            except IntegrityError:
                db.session.rollback()
            else:
                limits.registered()
                sessions.start_session(user.id)
                flash("Welcome! Pick a quiz to start.", "success")
                joined = classrooms.find_by_code(text_of(form.join_code))
                if joined is not None and not joined.archived and classrooms.join(joined, user.id):
                    flash(f"You joined {joined.name}.", "success")
                return redirect(url_for("quiz.index"))
        add_error(form.username, "That username is taken; choose another.")
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> tuple[str, int] | Response:
    form = LoginForm()
    valid = form.validate_on_submit()
    if valid:
        username = text_of(form.username).strip()
        limits.check_sign_in(username)  # 429 after too many failures
        user = find_user(username)
        if passwords.matches(user, text_of(form.password)) and user is not None:
            if not user.active:
                add_error(form.username, "This account is deactivated. Ask your school's administrator.")
                return render_template("accounts/login.html", form=form), 403
            limits.signed_in(username)
            sessions.start_session(user.id)
            if user.must_change_password:
                flash("Choose a new password to replace the one-time password you were given.", "info")
                return redirect(url_for("account.index"))
            target = safe_next(request.args.get("next"))
            if target:
                return redirect(target)
            return redirect(url_for("review.instructor_home" if user.is_instructor else "quiz.index"))
        limits.failed_sign_in(username)
        add_error(form.password, "Wrong username or password.")
    # Sent here from a page that needs signing in (access.login_required passes it as ?next=).
    sent_from_page = safe_next(request.args.get("next")) is not None
    # A wrong password is an answer (200); a form that cannot be read is a bad request.
    status = 400 if form.errors and not valid else 200
    return render_template("accounts/login.html", form=form, sent_from_page=sent_from_page), status


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        sessions.end_session()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
