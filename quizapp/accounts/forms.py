"""The forms of accounts: registering, signing in, passwords, classes, instructors."""

from __future__ import annotations

from wtforms import HiddenField, PasswordField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs describe 3.2
from wtforms.validators import AnyOf, EqualTo, InputRequired, Length, Optional, Regexp

from quizapp.accounts import classrooms
from quizapp.accounts.passwords import PASSWORD_MAX, PASSWORD_MIN, TOO_SHORT
from quizapp.forms import Form
from quizapp.models import ADMIN, INSTRUCTOR

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores only.")


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[InputRequired(), Length(PASSWORD_MIN, PASSWORD_MAX, message=TOO_SHORT)])


def _repeat(label: str = "Repeat password") -> PasswordField:
    return PasswordField(label, validators=[InputRequired(), EqualTo("password", "The passwords differ.")])


class RegisterForm(Form):
    username = StringField("Username", validators=[InputRequired(), Length(3, 32), USERNAME_RULE])
    password = _new_password("Password")
    confirm = _repeat()
    join_code = StringField(
        "Class join code (optional; you can join a class later)", validators=[Optional(), Length(max=32)]
    )

    def validate_join_code(self, field: StringField) -> None:
        if not (field.data and field.data.strip()):
            return
        classroom = classrooms.find_by_code(field.data)
        if classroom is None:
            raise ValidationError(
                "No class has this code. Check it with your teacher, or leave it empty and join later."
            )
        if classroom.archived:
            raise ValidationError(f"{classroom.name} is archived and takes no new students. Ask your teacher.")


class LoginForm(Form):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=PASSWORD_MAX)])


class ChangePasswordForm(Form):
    current = PasswordField(
        "Current password (or the one-time password you were given)",
        validators=[InputRequired("Type your current password."), Length(max=PASSWORD_MAX)],
    )
    password = _new_password("New password")
    confirm = _repeat("Repeat the new password")


class ClassForm(Form):
    name = StringField(
        "Name of the new class", validators=[InputRequired("Give the class a name."), Length(max=classrooms.NAME_MAX)]
    )


class RenameForm(Form):
    name = StringField(
        "New name", validators=[InputRequired("Give the class a name."), Length(max=classrooms.NAME_MAX)]
    )


class CoTeacherForm(Form):
    username = StringField(
        "Username of the instructor to add",
        validators=[InputRequired("Type an instructor's username."), Length(max=64)],
    )


class ConfirmForm(Form):
    """A change that cannot be undone: it is made only from its confirmation page,
    whose button sends `confirm`; the same request without it shows that page."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])


class JoinForm(Form):
    code = StringField("Join code", validators=[InputRequired("Type the code your teacher gave you."), Length(max=32)])


class NewStaffForm(Form):
    username = StringField("Username", validators=[InputRequired(), Length(3, 32), USERNAME_RULE])
    role = SelectField(
        "Role",
        choices=[
            SelectChoice(INSTRUCTOR, "Instructor"),
            SelectChoice(ADMIN, "Admin: sees every class, manages instructors"),
        ],
        default=INSTRUCTOR,
    )


class PromoteForm(Form):
    # Not `username`: the page's other form has that field, and ids must differ.
    account = StringField(
        "Username of an existing account", validators=[InputRequired("Type a username."), Length(max=64)]
    )
