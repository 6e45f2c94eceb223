"""The forms of the Question bank pages."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import InputRequired

from quizapp.forms import Form


class RegradeForm(Form):
    """The Question bank page's "Apply" button: the preview it confirms travels with it."""

    quiz = HiddenField()  # a quiz id, or empty for every quiz
    fingerprint = HiddenField(validators=[InputRequired()])
