"""The forms of live sessions: starting one, the instructor's steps, joining with a code."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from quizapp.forms import Form


class StartForm(Form):
    quiz = SelectField("Quiz", coerce=int, validators=[InputRequired("Choose a quiz.")])
    classroom = SelectField("Class", coerce=int, validators=[InputRequired("Choose a class.")])


class StepForm(Form):
    """Show the key, Next, End. It carries the stage the page was showing, so a
    double click or a second tab cannot apply a step twice."""

    stage = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    back = HiddenField()  # "projector" when pressed on the projector page, which the room's screen keeps showing

    @property
    def shown_stage(self) -> int:
        """The stage the page was showing (a number once the form has validated)."""
        return int(self.stage.data or 0)


class RevealForm(StepForm):
    """Show the key with the reasons ticked, or change the ticks once it is shown.
    `reasons_listed` says the form listed the reasons: with none ticked, the projector
    then shows none; without it (the projector's own button) the picks stay as they are."""

    reasons = SelectMultipleField(coerce=int, validate_choice=False)
    reasons_listed = HiddenField()


class JoinForm(Form):
    """Sent with GET: it only finds the session, so it carries no CSRF token."""

    class Meta:
        csrf = False

    code = StringField("Session code", validators=[InputRequired("Type the code your teacher shows."), Length(max=16)])
