"""The answer form: claim type, speaker, evidence and the student's reason."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs describe 3.2
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from quizapp.forms import Form
from quizapp.models import QuestionVersion, Quiz
from quizapp.taking import confidence
from quizapp.taking.snapshot import ClaimType, QuizView, VersionView

REASON_MAX = 2000


class AnswerForm(Form):
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
    # Asked only when the quiz says `confidence: ask` (then required); otherwise ignored.
    confidence = RadioField(
        confidence.QUESTION,
        choices=[SelectChoice(str(level.percent), level.label) for level in confidence.LEVELS],
        validators=[Optional()],
    )
    reason = TextAreaField(
        "Why? Explain your answer in your own words",
        validators=[Optional(), Length(max=REASON_MAX)],
    )

    def stated_confidence(self, asked: bool) -> int | None:
        """The chance in percent the chosen level stands for; None when the quiz does not ask."""
        return int(self.confidence.data) if asked else None

    def set_choices(
        self,
        claim_types: Sequence[tuple[str, str]],
        speakers: Sequence[tuple[str, str]],
        reason_required: bool,
        confidence_asked: bool = False,
    ) -> None:
        self.claim_type.choices = [SelectChoice(value, label) for value, label in claim_types]
        self.speaker.choices = [SelectChoice(value, label) for value, label in speakers]
        if confidence_asked:
            self.confidence.validators = [InputRequired("Say how sure you are.")]
        if reason_required:
            self.reason.validators = [
                DataRequired("This quiz asks you to explain your answer."),
                Length(max=REASON_MAX),
            ]


def answer_form(
    quiz: Quiz | QuizView, version: QuestionVersion | VersionView, claim_types: Iterable[ClaimType], prefix: str = ""
) -> AnswerForm:
    """The answer form for one version. The Question bank preview shows many on one
    page and gives each its own prefix."""
    form = AnswerForm(prefix=prefix)
    form.set_choices(
        claim_types=[(c.slug, c.label) for c in claim_types],
        speakers=[(s, quiz.speaker_label(s)) for s in version.speaker_choices],
        reason_required=quiz.ask_reason == "required",
        confidence_asked=quiz.confidence == "ask",
    )
    return form
