"""The "members" blueprint: students join a class; its instructors remove one or reset their password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from werkzeug.wrappers.response import Response

from quizapp.accounts import classrooms, passwords
from quizapp.accounts.access import instructor_required, login_required
from quizapp.accounts.forms import ConfirmForm, JoinForm
from quizapp.accounts.visibility import taught_classroom
from quizapp.db import db
from quizapp.forms import add_error, text_of
from quizapp.models import STUDENT, Classroom, User

bp = Blueprint("members", __name__)


def _member(classroom_id: int, user_id: int) -> tuple[Classroom, User]:
    """A student of a class the signed-in instructor teaches; else 404."""
    classroom = taught_classroom(classroom_id)
    student = db.session.get(User, user_id)
    if student is None or student.role != STUDENT or not classrooms.is_member(classroom.id, student.id):
        abort(404)
    return classroom, student


@bp.route("/instructor/classes/<id:classroom_id>/members/<id:user_id>/remove", methods=["GET", "POST"])
@instructor_required
def remove(classroom_id: int, user_id: int) -> str | Response:
    classroom, student = _member(classroom_id, user_id)
    if ConfirmForm().validate_on_submit():
        classrooms.leave(classroom.id, student.id)
        flash(f"{student.username} is no longer in {classroom.name}. Their answers are kept.", "info")
        return redirect(url_for("classes.detail", classroom_id=classroom.id))
    return render_template(
        "accounts/classes/remove_member.html",
        classroom=classroom,
        student=student,
        form=ConfirmForm(formdata=None, confirm="yes"),
    )


@bp.route("/instructor/classes/<id:classroom_id>/members/<id:user_id>/password", methods=["GET", "POST"])
@instructor_required
def reset_password(classroom_id: int, user_id: int) -> str:
    """The confirmation page; its button gives the student a one-time password, shown once."""
    classroom, student = _member(classroom_id, user_id)
    if ConfirmForm().validate_on_submit():
        password = passwords.reset_password(student)
        return render_template(
            "accounts/classes/password_reset.html", classroom=classroom, student=student, password=password
        )
    return render_template(
        "accounts/classes/reset_password.html",
        classroom=classroom,
        student=student,
        form=ConfirmForm(formdata=None, confirm="yes"),
    )


@bp.route("/classes/join", methods=["GET", "POST"])
@login_required
def join() -> tuple[str, int] | Response:
    form = JoinForm()
    if form.validate_on_submit():
        classroom = classrooms.find_by_code(text_of(form.code))
        if classroom is None:
            add_error(form.code, "No class has this code. Check it with your teacher.")
        elif classroom.archived:
            add_error(form.code, f"{classroom.name} is archived and takes no new students. Ask your teacher.")
        else:
            if classrooms.join(classroom, g.user.id):
                flash(f"You joined {classroom.name}.", "success")
            else:
                flash(f"You are already in {classroom.name}.", "info")
            return redirect(url_for("members.join"))
    elif form.csrf_token.errors:
        flash("The page had expired; please try again.", "error")
    return render_template(
        "accounts/classes/join.html", form=form, my_classes=classrooms.classes_of(g.user.id)
    ), 400 if form.errors else 200
