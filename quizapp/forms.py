"""Forms. Every POST carries a CSRF token, checked app-wide by CSRFProtect (Flask-WTF)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, SelectChoice, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp

from quizapp.accounts import classrooms

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores only."
)
REASON_MAX = 2000


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(3, 32), USERNAME_RULE])
    password = PasswordField(
        "Password", validators=[InputRequired(), Length(8, 128, message="Use at least 8 characters.")]
    )
    confirm = PasswordField(
        "Repeat password", validators=[InputRequired(), EqualTo("password", "The passwords differ.")]
    )
    join_code = StringField("Class join code (optional; you can join a class later)", validators=[Optional(), Length(max=32)])

    def validate_join_code(self, field: StringField) -> None:
        if field.data and field.data.strip() and classrooms.find_by_code(field.data) is None:
            raise ValidationError("No class has this code. Check it with your teacher, or leave it empty and join later.")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=128)])


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class AnswerForm(FlaskForm):
    """The three parts of an answer; choices come from the question being answered.

    Its CSRF token is checked by the app-wide CSRFProtect before the view runs, as
    for every POST; the form does not check it a second time (nor make a token
    field: the question page writes the token itself). Answers are the busiest
    request, and the second check cost a tenth of it. The version the student saw
    travels in a plain hidden input; the view reads it before the form is built.
    """

    class Meta:
        csrf = False

    claim_type = RadioField("What kind of claim is this?", validators=[InputRequired("Choose a claim type.")])
    speaker = RadioField("Who is making the claim?", validators=[InputRequired("Choose who is speaking.")])
    evidence = RadioField(
        "Does the passage itself offer evidence for its claim?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        validators=[InputRequired("Say whether the passage offers evidence.")],
    )
    reason = TextAreaField(
        "Why? Explain your answer in your own words",
        validators=[Optional(), Length(max=REASON_MAX)],
    )

    def set_choices(
        self,
        claim_types: Sequence[tuple[str, str]],
        speakers: Sequence[tuple[str, str]],
        reason_required: bool,
    ) -> None:
        self.claim_type.choices = [SelectChoice(value, label) for value, label in claim_types]
        self.speaker.choices = [SelectChoice(value, label) for value, label in speakers]
        if reason_required:
            self.reason.validators = [
                DataRequired("This quiz asks you to explain your answer."),
                Length(max=REASON_MAX),
            ]


class RegradeForm(FlaskForm):
    """The Question bank page's "Apply" button: the preview it confirms travels with it."""

    quiz = HiddenField()  # a quiz id, or empty for every quiz
    fingerprint = HiddenField(validators=[InputRequired()])
