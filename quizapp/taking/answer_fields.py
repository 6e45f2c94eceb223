"""The answer fields of a passage as HTML: blank ones kept per quiz snapshot, or a sent form with its errors.

Shared by the question page and the live class session's page.
"""

from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from quizapp.models import QuestionVersion
from quizapp.taking.forms import AnswerForm, answer_form
from quizapp.taking.snapshot import QuizView, VersionView


def render(quiz: QuizView, form: AnswerForm) -> Markup:
    return Markup(
        render_template(
            "taking/_answer_fields.html",
            form=form,
            quiz=quiz,
            definitions={c.slug: c.definition for c in quiz.claim_types},
        )
    )


def blank(quiz: QuizView, version: VersionView | QuestionVersion) -> Markup:
    """The answer fields as a student first sees them. They depend only on the
    version and its quiz, so each is rendered once per snapshot (a new bank stamp
    brings a new snapshot), not on every page: they were a third of its time.
    Not kept while templates reload on change (flask run --debug)."""
    kept = quiz.rendered_fields.get(version.id)
    if kept is None:
        kept = render(quiz, answer_form(quiz, version, quiz.claim_types))
        if not current_app.jinja_env.auto_reload:
            quiz.rendered_fields[version.id] = kept
    return kept
