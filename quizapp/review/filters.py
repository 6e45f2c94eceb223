"""The class and date filter every instructor page takes from its query string,
and who the page may count at all.

One rule for dates everywhere: an attempt is in the range when it was *started*
on one of those days (UTC, both ends included), and its answers come with it.
So a page, a chart and an export made with the same filter count the same answers.

One rule for people everywhere: an instructor's pages count only the students of
the classes they teach (accounts/visibility.py); an admin's count everyone. The
Scope carries that as one more condition on the student id, in the same SQL
statements, so no page makes an extra query for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Flask, g, render_template, request
from sqlalchemy import ColumnElement, select
from wtforms import Form, SelectField, StringField, ValidationError

from quizapp.accounts import visibility
from quizapp.db import db
from quizapp.forms import QueryForm, text_of
from quizapp.integers import parse_int
from quizapp.models import Attempt, ClassMembership, Classroom

DATE_HELP = "Enter a date as YYYY-MM-DD, for example 2025-03-01."


def _parse_day(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError(DATE_HELP) from None


def _valid_day(_form: Form, field: StringField) -> None:
    if field.data and field.data.strip():
        _parse_day(field.data)


class FilterForm(QueryForm):
    """A GET form: it changes nothing, so it carries no CSRF token."""

    classroom = SelectField("Class", validate_choice=False)
    start = StringField("Attempts started from", validators=[_valid_day])
    end = StringField("to (inclusive)", validators=[_valid_day])

    def validate_classroom(self, field: SelectField) -> None:
        if field.data and field.data not in {choice[0] for choice in field.choices or ()}:
            raise ValidationError("There is no such class; choose one from the list.")

    def validate_end(self, field: StringField) -> None:
        if self.start.errors or field.errors or not (self.start.data or "").strip() or not (field.data or "").strip():
            return
        if _parse_day(text_of(field)) < _parse_day(text_of(self.start)):
            raise ValidationError("The end date is before the start date.")


@dataclass(frozen=True)
class Scope:
    """Which students and attempts an instructor page counts."""

    classroom: Classroom | None = None
    start: date | None = None
    end: date | None = None
    args: dict[str, str] = field(default_factory=dict)  # to carry the filter on links
    # The instructor whose classes' students the page may count; None: everyone (an admin).
    teacher_id: int | None = None

    def students(self, user_id: Any) -> list[ColumnElement[bool]]:
        """Conditions on a user id column: members of the chosen class, else of the teacher's classes.

        A chosen class is always one the teacher teaches (the filter offers no
        other), so its members need no second condition.
        """
        if self.classroom is not None:
            members = select(ClassMembership.user_id).filter(ClassMembership.classroom_id == self.classroom.id)
            return [user_id.in_(members)]
        if self.teacher_id is not None:
            return [user_id.in_(visibility.taught_students(self.teacher_id))]
        return []

    def attempts(self) -> list[ColumnElement[bool]]:
        """Conditions on Attempt (which the query must join): class and dates."""
        conditions = self.students(Attempt.user_id)
        if self.start is not None:
            conditions.append(Attempt.started_at >= datetime.combine(self.start, time()))
        if self.end is not None and self.end < date.max:
            conditions.append(Attempt.started_at < datetime.combine(self.end + timedelta(days=1), time()))
        return conditions

    @property
    def active(self) -> bool:
        return bool(self.args)

    def describe(self) -> str:
        everyone = "students of your classes" if self.teacher_id is not None else "all students"
        parts = [f"class {self.classroom.name}" if self.classroom else everyone]
        if self.start and self.end:
            parts.append(f"attempts started {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}")
        elif self.start:
            parts.append(f"attempts started on or after {self.start:%Y-%m-%d}")
        elif self.end:
            parts.append(f"attempts started on or before {self.end:%Y-%m-%d}")
        return ", ".join(parts)


class BadFilter(Exception):
    """The query string holds a filter that makes no sense; shown as a form with messages."""

    def __init__(self, form: FilterForm) -> None:
        super().__init__("bad filter")
        self.form = form


def filter_form() -> FilterForm:
    """The filter, offering the classes the signed-in instructor teaches (an admin: every class)."""
    form = FilterForm(request.args)
    everyone = "All students" if visibility.sees_everyone(g.user) else "All students of your classes"
    form.classroom.choices = [("", everyone)] + [
        (str(c.id), f"{c.name} (archived)" if c.archived else c.name) for c in visibility.visible_classrooms(g.user)
    ]
    return form


def current_scope() -> tuple[Scope, FilterForm]:
    """The filter of this request, or BadFilter with the form and its messages."""
    form = filter_form()
    if not form.validate():
        raise BadFilter(form)
    classroom = None
    classroom_id = parse_int(form.classroom.data)
    if classroom_id is not None:  # one of the choices: validated above
        classroom = db.session.get(Classroom, classroom_id)
    start = _parse_day(text_of(form.start)) if text_of(form.start).strip() else None
    end = _parse_day(text_of(form.end)) if text_of(form.end).strip() else None
    args = {}
    if classroom is not None:
        args["classroom"] = str(classroom.id)
    if start is not None:
        args["start"] = start.isoformat()
    if end is not None:
        args["end"] = end.isoformat()
    teacher_id = None if visibility.sees_everyone(g.user) else g.user.id
    return Scope(classroom, start, end, args, teacher_id), form


FIELDS = ("classroom", "start", "end")


def _bad_filter(error: BadFilter) -> tuple[str, int]:
    keep = {name: value for name, value in request.args.items() if name not in FIELDS}
    return render_template("review/bad_filter.html", filter=error.form, action=request.path, keep=keep), 400


def init_app(app: Flask) -> None:
    app.register_error_handler(BadFilter, _bad_filter)
