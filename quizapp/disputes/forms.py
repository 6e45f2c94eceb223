"""The forms of disputes: a student's dispute, the instructor's rulings, the queue's filter."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs describe 3.2
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from quizapp.disputes.filing import REASON_MAX, REASON_MIN
from quizapp.forms import Form, QueryForm
from quizapp.models.disputes import ACCEPTED, KEPT, OPEN

REPLY_MAX = 2000
# The disputes a ruling settles travel with its form, so that one sent in after the page
# was shown stays open for the next ruling instead of being settled unseen.
DISPUTE_IDS = Regexp(r"^\d{1,18}(,\d{1,18}){0,999}$", message="The page had expired; open it again.")


def written(text: str | None) -> str | None:
    """What a person wrote, as it is counted and stored: without the spaces around it, and a line
    break as one character (browsers send two, but count one against maxlength)."""
    return text.replace("\r\n", "\n").strip() if text is not None else None


class DisputeForm(Form):
    argued_for = RadioField(
        "Which answer should be the key?", validators=[InputRequired("Choose the answer you argue for.")]
    )
    reason = TextAreaField(
        "Why? Explain what in the passage supports your answer",
        filters=[written],
        validators=[
            DataRequired("Say why you think the key is wrong."),
            Length(
                REASON_MIN,
                REASON_MAX,
                message=f"Write {REASON_MIN} to {REASON_MAX:,} characters (you wrote %(length)d).",
            ),
        ],
    )

    def set_options(self, options: list[tuple[str, str]]) -> None:
        self.argued_for.choices = [SelectChoice(value, label) for value, label in options]


class KeepForm(Form):
    disputes = HiddenField(validators=[InputRequired(), DISPUTE_IDS])
    reply = TextAreaField(
        "Your reply, which every student who disputed this key sees",
        filters=[written],
        validators=[
            DataRequired("Write a reply: the students see why the key stays."),
            Length(max=REPLY_MAX, message=f"A reply has at most {REPLY_MAX:,} characters."),
        ],
    )


class AcceptForm(Form):
    disputes = HiddenField(validators=[InputRequired(), DISPUTE_IDS])
    answer = HiddenField(validators=[InputRequired()])
    accept_as = HiddenField(validators=[AnyOf(["key", "alternate"])])
    file_sha256 = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{64}$")])
    note = TextAreaField(
        "A note to the students who disputed this key (optional)",
        filters=[written],
        validators=[Optional(), Length(max=REPLY_MAX, message=f"A note has at most {REPLY_MAX:,} characters.")],
    )


class RegradeForm(Form):
    """ "Regrade now": the preview it confirms travels with it."""

    fingerprint = HiddenField(validators=[InputRequired()])


def dispute_ids(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part]


STATUS_CHOICES = [SelectChoice(OPEN, "Open"), SelectChoice(KEPT, "Key kept"), SelectChoice(ACCEPTED, "Accepted")]


class QueueFilterForm(QueryForm):
    """A GET form: it changes nothing, so it carries no CSRF token."""

    classroom = SelectField("Class", default="", validate_choice=True)
    quiz = SelectField("Quiz", default="", validate_choice=True)
    status = SelectField("Status", choices=STATUS_CHOICES, default=OPEN, validate_choice=True)
