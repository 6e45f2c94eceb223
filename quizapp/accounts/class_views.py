"""The "classes" blueprint: instructors make and manage the classes they teach.

An instructor sees and changes only the classes they teach (an admin: every
class); another class's pages answer 404, as if it did not exist.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from sqlalchemy import func, select
from werkzeug.wrappers.response import Response

from quizapp.accounts import class_changes, classrooms, visibility
from quizapp.accounts.access import instructor_required
from quizapp.accounts.forms import ClassForm, ConfirmForm, CoTeacherForm, RenameForm
from quizapp.accounts.visibility import taught_classroom
from quizapp.db import db
from quizapp.forms import ActionForm, add_error, text_of
from quizapp.models import Answer, Attempt, ClassMembership, Classroom, User

bp = Blueprint("classes", __name__)

EXPIRED = "The page had expired; please try again."


@bp.route("/instructor/classes", methods=["GET", "POST"])
@instructor_required
def index() -> tuple[str, int] | Response:
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
        classes=visibility.visible_classrooms(g.user),
        member_counts=classrooms.member_counts(),
        format_code=classrooms.format_code,
        sees_everyone=visibility.sees_everyone(g.user),
    ), 400 if form.errors else 200


def _detail(classroom: Classroom, *, rename: RenameForm | None = None, co_teacher: CoTeacherForm | None = None) -> str:
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
        instructors=class_changes.instructors_of(classroom.id),
        code=classrooms.format_code(classroom.join_code),
        rename_form=rename or RenameForm(formdata=None, name=classroom.name),
        co_teacher_form=co_teacher or CoTeacherForm(formdata=None),
    )


@bp.route("/instructor/classes/<id:classroom_id>")
@instructor_required
def detail(classroom_id: int) -> str:
    return _detail(taught_classroom(classroom_id))


def _back(classroom: Classroom) -> Response:
    return redirect(url_for("classes.detail", classroom_id=classroom.id))


@bp.route("/instructor/classes/<id:classroom_id>/rename", methods=["POST"])
@instructor_required
def rename(classroom_id: int) -> tuple[str, int] | Response:
    classroom = taught_classroom(classroom_id)
    form = RenameForm()
    if form.validate_on_submit():
        before = classroom.name
        try:
            class_changes.rename(classroom, text_of(form.name))
        except classrooms.ClassroomError as problem:
            add_error(form.name, str(problem))
        else:
            flash(f"Class '{before}' is now called '{classroom.name}'.", "success")
            return _back(classroom)
    return _detail(classroom, rename=form), 400


@bp.route("/instructor/classes/<id:classroom_id>/archive", methods=["POST"])
@instructor_required
def archive(classroom_id: int) -> Response:
    classroom = taught_classroom(classroom_id)
    if ActionForm().validate_on_submit():
        class_changes.set_archived(classroom, True)
        flash(f"{classroom.name} is archived: its join code no longer works; its students stay in it.", "info")
    return _back(classroom)


@bp.route("/instructor/classes/<id:classroom_id>/unarchive", methods=["POST"])
@instructor_required
def unarchive(classroom_id: int) -> Response:
    classroom = taught_classroom(classroom_id)
    if ActionForm().validate_on_submit():
        class_changes.set_archived(classroom, False)
        flash(f"{classroom.name} is active again; its join code works again.", "info")
    return _back(classroom)


@bp.route("/instructor/classes/<id:classroom_id>/code", methods=["POST"])
@instructor_required
def new_code(classroom_id: int) -> Response:
    classroom = taught_classroom(classroom_id)
    if ActionForm().validate_on_submit():
        try:
            code = class_changes.replace_code(classroom)
        except classrooms.ClassroomError as problem:
            flash(str(problem), "error")
        else:
            flash(
                f"The new join code of {classroom.name} is {classrooms.format_code(code)}. "
                "The old code no longer works; students already in the class stay in it.",
                "success",
            )
    return _back(classroom)


@bp.route("/instructor/classes/<id:classroom_id>/delete", methods=["GET", "POST"])
@instructor_required
def delete(classroom_id: int) -> str | Response:
    """The confirmation page says what is affected; its button deletes the class. Answers stay."""
    classroom = taught_classroom(classroom_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = classroom.name
        done = class_changes.delete_classroom(classroom)
        flash(
            f"Class '{name}' is deleted. Its {done.students} student(s) keep their accounts and their "
            f"{done.answers} answer(s).",
            "info",
        )
        return redirect(url_for("classes.index"))
    return render_template(
        "accounts/classes/delete.html",
        classroom=classroom,
        impact=class_changes.impact(classroom.id),
        form=ConfirmForm(formdata=None, confirm="yes"),
    )


@bp.route("/instructor/classes/<id:classroom_id>/instructors", methods=["POST"])
@instructor_required
def add_instructor(classroom_id: int) -> tuple[str, int] | Response:
    classroom = taught_classroom(classroom_id)
    form = CoTeacherForm()
    if form.validate_on_submit():
        try:
            added = class_changes.add_instructor(classroom, text_of(form.username))
        except classrooms.ClassroomError as problem:
            add_error(form.username, str(problem))
        else:
            flash(f"{added.username} now teaches {classroom.name} and sees its students.", "success")
            return _back(classroom)
    return _detail(classroom, co_teacher=form), 400


@bp.route("/instructor/classes/<id:classroom_id>/instructors/<id:user_id>/remove", methods=["POST"])
@instructor_required
def remove_instructor(classroom_id: int, user_id: int) -> Response:
    classroom = taught_classroom(classroom_id)
    teacher = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        try:
            class_changes.remove_instructor(classroom, teacher.id)
        except classrooms.ClassroomError as problem:
            flash(str(problem), "error")
            return _back(classroom)
        flash(f"{teacher.username} no longer teaches {classroom.name}.", "info")
        if teacher.id == g.user.id and not visibility.teaches(g.user, classroom.id):
            return redirect(url_for("classes.index"))
    return _back(classroom)
