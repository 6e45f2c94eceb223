"""The "classes" blueprint: instructors make classes; students join with a code."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from sqlalchemy import func, select
from werkzeug.wrappers.response import Response

from quizapp.accounts import classrooms
from quizapp.accounts.access import instructor_required, login_required
from quizapp.accounts.forms import ClassForm, JoinForm
from quizapp.db import db
from quizapp.forms import ActionForm, add_error, text_of
from quizapp.models import Answer, Attempt, ClassMembership, Classroom, User

bp = Blueprint("classes", __name__)

EXPIRED = "The page had expired; please try again."


@bp.route("/instructor/classes", methods=["GET", "POST"])
@instructor_required
def index() -> str | Response:
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = classrooms.create_classroom(text_of(form.name), created_by_id=g.user.id)
        except classrooms.ClassroomError as problem:
            add_error(form.name, str(problem))
        else:
            flash(
                f"Class '{classroom.name}' created. Its join code is {classrooms.format_code(classroom.join_code)}.",
                "success",
            )
            return redirect(url_for("classes.detail", classroom_id=classroom.id))
    elif form.csrf_token.errors:
        flash(EXPIRED, "error")
    return render_template(
        "accounts/classes/index.html",
        form=form,
        classes=classrooms.all_classrooms(),
        member_counts=classrooms.member_counts(),
        format_code=classrooms.format_code,
    ), 400 if form.errors else 200  # type: ignore[return-value]


@bp.route("/instructor/classes/<id:classroom_id>")
@instructor_required
def detail(classroom_id: int) -> str:
    classroom = db.get_or_404(Classroom, classroom_id)
    members = db.session.execute(
        select(User, ClassMembership.joined_at, func.count(Answer.id))
        .join(ClassMembership, ClassMembership.user_id == User.id)
        .outerjoin(Attempt, Attempt.user_id == User.id)
        .outerjoin(Answer, Answer.attempt_id == Attempt.id)
        .filter(ClassMembership.classroom_id == classroom.id)
        .group_by(User.id, ClassMembership.joined_at)
        .order_by(User.username_key)
    ).all()
    return render_template(
        "accounts/classes/detail.html",
        classroom=classroom,
        members=members,
        code=classrooms.format_code(classroom.join_code),
    )


@bp.route("/instructor/classes/<id:classroom_id>/members/<id:user_id>/remove", methods=["POST"])
@instructor_required
def remove_member(classroom_id: int, user_id: int) -> Response:
    classroom = db.get_or_404(Classroom, classroom_id)
    student = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        flash("The page had expired; please press the button again.", "error")
    elif classrooms.leave(classroom.id, student.id):
        flash(f"{student.username} is no longer in {classroom.name}. Their answers are kept.", "info")
    return redirect(url_for("classes.detail", classroom_id=classroom.id))


@bp.route("/classes/join", methods=["GET", "POST"])
@login_required
def join() -> str | Response:
    form = JoinForm()
    if form.validate_on_submit():
        classroom = classrooms.find_by_code(text_of(form.code))
        if classroom is None:
            add_error(form.code, "No class has this code. Check it with your teacher.")
        else:
            if classrooms.join(classroom, g.user.id):
                flash(f"You joined {classroom.name}.", "success")
            else:
                flash(f"You are already in {classroom.name}.", "info")
            return redirect(url_for("classes.join"))
    elif form.csrf_token.errors:
        flash(EXPIRED, "error")
    return render_template(
        "accounts/classes/join.html", form=form, my_classes=classrooms.classes_of(g.user.id)
    ), 400 if form.errors else 200  # type: ignore[return-value]
