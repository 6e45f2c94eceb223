"""The "context" blueprint: a passage inside its source text, on a page of its own.

The question and feedback pages link here with `#quoted-passage`, so the page
opens at the passage without JavaScript; with it, static/passage-context.js
shows the same content in a dialog over the page the student is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, g, render_template, request, url_for
from sqlalchemy.orm import joinedload

from quizapp.accounts.access import login_required
from quizapp.db import db
from quizapp.models import Question, QuestionVersion, SourceText
from quizapp.taking import context

bp = Blueprint("context", __name__)
BACK_ARGS = ("attempt", "answer", "from")  # what a link here may pass along to lead back


@dataclass(frozen=True)
class BackLink:
    url: str
    label: str


def _back_link(question: Question) -> BackLink | None:
    """Back to the page the link was on, from the ids it passed along.

    Only ever a link to one of this app's pages built here; a page that is not
    the visitor's answers as any other such URL does (404).
    """
    attempt = request.args.get("attempt", type=int)
    answer = request.args.get("answer", type=int)
    if attempt is not None and attempt > 0:
        if answer is not None and answer > 0:
            return BackLink(url_for("quiz.feedback", attempt_id=attempt, answer_id=answer), "Back to your feedback")
        return BackLink(url_for("quiz.take", attempt_id=attempt), "Back to the question")
    if request.args.get("from") == "preview" and g.user.is_instructor:
        anchor = f"q{question.id}-heading"
        return BackLink(url_for("bank.preview", slug=question.quiz.slug, _anchor=anchor), "Back to the preview")
    return None


def _kept_args() -> dict[str, str]:
    """The link's own arguments (where it came from), for the whole-text link. Only these:
    url_for reads names such as _external and _scheme, which a visitor must not set."""
    return {name: request.args[name] for name in BACK_ARGS if name in request.args}


@bp.route("/passages/<id:version_id>/source")
@login_required
def passage(version_id: int) -> str:
    version = db.session.get(
        QuestionVersion,
        version_id,
        options=[joinedload(QuestionVersion.question).joinedload(Question.quiz), joinedload(QuestionVersion.source)],
    )
    if version is None or not version.in_source or version.source_spans is None:
        abort(404)
    question = version.question
    current = question.retired_at is None and question.current_version_id == version.id
    if not g.user.is_instructor and not context.student_may_see(g.user, question.quiz, current, version.id):
        abort(404)  # as for a passage that does not exist: says nothing about the quiz
    text = db.session.get(SourceText, version.source_text_id)
    if text is None:
        abort(404)
    whole = request.args.get("whole") == "1"
    whole_args: dict[str, Any] = {"version_id": version.id, "whole": "1", **_kept_args()}
    return render_template(
        "taking/context.html",
        source=version.source,
        card=context.card_rows(version.source),
        excerpt=context.excerpt(text.body, version.source_spans, whole=whole),
        back=_back_link(question),
        whole_url=url_for("context.passage", **whole_args),
    )
