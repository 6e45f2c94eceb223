"""The "account" blueprint: a person's own account - their password, and signing out everywhere."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from werkzeug.wrappers.response import Response

from quizapp.accounts import passwords, sessions
from quizapp.accounts.access import login_required
from quizapp.accounts.forms import ChangePasswordForm
from quizapp.db import db
from quizapp.forms import ActionForm, add_error, text_of
from quizapp.models import User

bp = Blueprint("account", __name__)


def _page(form: ChangePasswordForm, status: int = 200) -> tuple[str, int]:
    return render_template("accounts/account.html", form=form), status


@bp.route("/account")
@login_required
def index() -> tuple[str, int]:
    return _page(ChangePasswordForm(formdata=None))


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> tuple[str, int] | Response:
    """A new password, with the current one; every other session of the account ends."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    user = db.get_or_404(User, g.user.id)
    if not passwords.matches(user, text_of(form.current)):
        add_error(form.current, "This is not your current password.")
        return _page(form, 400)
    if passwords.matches(user, text_of(form.password)):
        add_error(form.password, "Choose a password different from the current one.")
        return _page(form, 400)
    passwords.set_password(user, text_of(form.password))
    sessions.start_session(user.id)  # this browser stays signed in; every other one is signed out
    flash("Your password is changed. Any other browser signed in as you is now signed out.", "success")
    return redirect(url_for("quiz.index"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere() -> Response:
    if ActionForm().validate_on_submit():
        sessions.end_every_session(g.user.id)
        db.session.commit()
        session.clear()  # this browser's sign-in was one of them
        flash("You are signed out everywhere: on this browser and every other one.", "info")
        return redirect(url_for("auth.login"))
    flash("The page had expired; please press the button again.", "error")
    return redirect(url_for("account.index"))
