"""The "admin" blueprint: admins manage instructors, and a student's stored data (privacy).

Instructors: make one (with a one-time password, shown once), promote an
existing account, make an admin or take that back, deactivate and reactivate,
reset a password. Students: download everything stored about one as JSON, or
delete them with all their answers after a confirmation page.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers.response import Response as BaseResponse

from quizapp.accounts import passwords, privacy, staff
from quizapp.accounts.access import admin_required
from quizapp.accounts.forms import ConfirmForm, NewStaffForm, PromoteForm
from quizapp.accounts.users import find_user
from quizapp.db import db, utcnow
from quizapp.forms import ActionForm, add_error, text_of
from quizapp.models import INSTRUCTOR, STAFF_ROLES, STUDENT, ClassInstructor, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(new: NewStaffForm | None = None, promote: PromoteForm | None = None, status: int = 200) -> tuple[str, int]:
    taught = dict(
        db.session.execute(select(ClassInstructor.user_id, func.count()).group_by(ClassInstructor.user_id)).all()
    )
    return render_template(
        "accounts/admin/instructors.html",
        staff=staff.staff_accounts(),
        taught=taught,
        new_form=new or NewStaffForm(formdata=None),
        promote_form=promote or PromoteForm(formdata=None),
    ), status


def _staff_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role not in STAFF_ROLES:
        abort(404)
    return user


def _back(message: str, category: str = "info") -> BaseResponse:
    flash(message, category)
    return redirect(url_for("admin.instructors"))


@bp.route("/instructors", methods=["GET", "POST"])
@admin_required
def instructors() -> tuple[str, int]:
    """Every instructor and admin; the form below them makes a new one (POST)."""
    form = NewStaffForm()
    if not form.is_submitted():
        return _page()
    if not form.validate():
        return _page(new=form, status=400)
    username = text_of(form.username).strip()
    if find_user(username) is not None:
        add_error(form.username, "That username is taken. To make that account an instructor, promote it below.")
        return _page(new=form, status=400)
    password = passwords.temporary_password()
    try:
        user = staff.create_staff(username, password, role=form.role.data or INSTRUCTOR, temporary=True)
    except IntegrityError:  # made a moment ago by another request
        db.session.rollback()
        add_error(form.username, "That username is taken.")
        return _page(new=form, status=400)
    return render_template("accounts/admin/new_password.html", user=user, password=password, created=True), 200


@bp.route("/instructors/promote", methods=["POST"])
@admin_required
def promote() -> tuple[str, int] | BaseResponse:
    form = PromoteForm()
    if not form.validate_on_submit():
        return _page(promote=form, status=400)
    user = find_user(text_of(form.account).strip())
    if user is None:
        add_error(form.account, "No account has this username.")
        return _page(promote=form, status=400)
    if user.role != STUDENT:
        return _back(f"{user.username} is already {staff.ROLE_NAMES[user.role]}; nothing changed.")
    return _back(staff.set_role(user, INSTRUCTOR), "success")


@bp.route("/instructors/<id:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int) -> BaseResponse:
    user = _staff_member(user_id)
    role = request.form.get("role", "")
    if not ActionForm().validate_on_submit() or role not in STAFF_ROLES:
        return _back("Choose a role from the page.", "error")
    try:
        return _back(staff.set_role(user, role), "success")
    except staff.StaffError as problem:
        return _back(str(problem), "error")


@bp.route("/instructors/<id:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate(user_id: int) -> BaseResponse:
    user = _staff_member(user_id)
    if not ActionForm().validate_on_submit():
        return _back("The page had expired; please press the button again.", "error")
    if user.id == g.user.id:
        return _back("You cannot deactivate your own account.", "error")
    try:
        return _back(staff.set_active(user, False), "success")
    except staff.StaffError as problem:
        return _back(str(problem), "error")


@bp.route("/instructors/<id:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate(user_id: int) -> BaseResponse:
    user = _staff_member(user_id)
    if not ActionForm().validate_on_submit():
        return _back("The page had expired; please press the button again.", "error")
    return _back(staff.set_active(user, True), "success")


@bp.route("/instructors/<id:user_id>/password", methods=["GET", "POST"])
@admin_required
def reset_password(user_id: int) -> str:
    user = _staff_member(user_id)
    if ConfirmForm().validate_on_submit():
        password = passwords.reset_password(user)
        return render_template("accounts/admin/new_password.html", user=user, password=password, created=False)
    return render_template(
        "accounts/admin/reset_password.html", user=user, form=ConfirmForm(formdata=None, confirm="yes")
    )


def _student(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != STUDENT:
        abort(404)
    return user


@bp.route("/students/<id:user_id>/data.json")
@admin_required
def student_data(user_id: int) -> Response:
    """Everything stored about one student, as a file to hand to them."""
    user = _student(user_id)
    document = {"exported_at": utcnow().isoformat(timespec="seconds") + "Z", **privacy.student_record(user)}
    filename = f"quizapp-student-{user.id}-{utcnow():%Y-%m-%d}.json"
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/students/<id:user_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_student(user_id: int) -> str | BaseResponse:
    user = _student(user_id)
    if ConfirmForm().validate_on_submit():
        name = user.username
        deleted = privacy.delete_student(user)
        flash(
            f"{name} is deleted, with {deleted.attempts} attempt(s) and {deleted.answers} answer(s).",
            "info",
        )
        return redirect(url_for("review.instructor_home"))
    return render_template(
        "accounts/admin/delete_student.html",
        student=user,
        counts=privacy.answer_count(user.id),
        form=ConfirmForm(formdata=None, confirm="yes"),
    )
