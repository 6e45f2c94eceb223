"""The forms of accounts: registering, signing in, making and joining classes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, ValidationError
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from quizapp.accounts import classrooms

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores only.")


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(3, 32), USERNAME_RULE])
    password = PasswordField(
        "Password", validators=[InputRequired(), Length(8, 128, message="Use at least 8 characters.")]
    )
    confirm = PasswordField(
        "Repeat password", validators=[InputRequired(), EqualTo("password", "The passwords differ.")]
    )
    join_code = StringField(
        "Class join code (optional; you can join a class later)", validators=[Optional(), Length(max=32)]
    )

    def validate_join_code(self, field: StringField) -> None:
        if field.data and field.data.strip() and classrooms.find_by_code(field.data) is None:
            raise ValidationError(
                "No class has this code. Check it with your teacher, or leave it empty and join later."
            )


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=128)])


class ClassForm(FlaskForm):
    name = StringField(
        "Name of the new class", validators=[InputRequired("Give the class a name."), Length(max=classrooms.NAME_MAX)]
    )


class JoinForm(FlaskForm):
    code = StringField("Join code", validators=[InputRequired("Type the code your teacher gave you."), Length(max=32)])
