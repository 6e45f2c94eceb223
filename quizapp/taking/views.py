"""The "quiz" blueprint: the quiz list, one passage per page, feedback, the summary."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers.response import Response

from quizapp import formatting
from quizapp.accounts.access import login_required
from quizapp.db import db
from quizapp.forms import ActionForm
from quizapp.models import Answer, Attempt, QuestionVersion, Quiz
from quizapp.taking import (
    answer_fields,
    answer_keys,
    attempts,
    confidence,
    cues,
    notices,
    shown_version,
    snapshot,
    source_sides,
)
from quizapp.taking.forms import answer_form
from quizapp.taking.snapshot import QuizView, VersionView

bp = Blueprint("quiz", __name__)
# Feedback, the summary, a student's answers and the bank's preview all mark cue words.
bp.add_app_template_global(cues.marked_passage, "marked_passage")


def _own_attempt(attempt_id: int) -> Attempt:
    """Another student's attempt is answered like one that does not exist."""
    attempt = db.session.get(Attempt, attempt_id, options=[joinedload(Attempt.quiz)])
    if attempt is None or attempt.user_id != g.user.id:
        abort(404)
    return attempt


def _live_quiz(slug: str) -> Quiz:
    quiz: Quiz = db.first_or_404(select(Quiz).filter_by(slug=slug))
    if quiz.retired_at is not None:
        abort(404)
    return quiz


# Built once, like the statements in attempts.py: every question page and answer runs it.
_ATTEMPT_AND_BANK_STAMP = select(*attempts.ATTEMPT_STATE_COLUMNS, snapshot.revision_column()).where(
    attempts.ATTEMPTS.c.id == bindparam("attempt_id")
)


def _attempt_in_progress(attempt_id: int) -> tuple[attempts.AttemptState, QuizView]:
    """The signed-in student's attempt and its quiz as students see it, in one query
    (the quiz itself usually comes from this process's snapshot: see snapshot.py)."""
    row = db.session.execute(_ATTEMPT_AND_BANK_STAMP, {"attempt_id": attempt_id}).one_or_none()
    if row is None or row.user_id != g.user.id:
        abort(404)
    *columns, revision = row
    attempt = attempts.AttemptState(*columns)
    return attempt, snapshot.quiz_view(attempt.quiz_id, revision)


@bp.route("/")
@login_required
def index() -> str:
    return render_template(
        "taking/index.html",
        progress=attempts.progress_for(g.user.id),
        sides=source_sides.live_source_sides(),
        notices=notices.for_user(g.user.id),
    )


@bp.route("/quizzes/<slug:slug>")
@login_required
def intro(slug: str) -> str:
    quiz = _live_quiz(slug)
    questions = attempts.live_questions(quiz.id)
    if not questions:
        abort(404)
    current = attempts.open_attempt(g.user.id, quiz.id)
    answered = len(attempts.answered_question_ids(current.id)) if current else 0
    finished = db.session.scalars(
        db.select(Attempt)
        .filter(
            Attempt.user_id == g.user.id,
            Attempt.quiz_id == quiz.id,
            Attempt.finished_at.is_not(None),
            Attempt.live_session_id.is_(None),
        )
        .order_by(Attempt.started_at)
    ).all()
    sources = {q.current_version.source for q in questions if q.current_version}
    return render_template(
        "taking/intro.html",
        quiz=quiz,
        question_count=len(questions),
        current=current,
        answered=answered,
        finished=finished,
        sources=sorted(sources, key=lambda s: s.title),
        form=ActionForm(),
    )


@bp.route("/quizzes/<slug:slug>/start", methods=["POST"])
@login_required
def start(slug: str) -> Response:
    quiz = _live_quiz(slug)
    if not ActionForm().validate_on_submit():
        flash("The page had expired; please press the button again.", "error")
        return redirect(url_for("quiz.intro", slug=slug))
    attempt = attempts.start_or_resume(g.user.id, quiz.id)
    return redirect(url_for("quiz.take", attempt_id=attempt.id))


@bp.route("/attempts/<id:attempt_id>")
@login_required
def take(attempt_id: int) -> str | Response:
    attempt, quiz = _attempt_in_progress(attempt_id)
    if attempt.finished_at is not None or quiz.retired_at is not None:
        return redirect(url_for("quiz.summary", attempt_id=attempt_id))
    if attempt.live_session_id is not None:
        return _in_class_session()
    answered = attempts.answered_question_ids(attempt_id)
    question_id = next((q for q in quiz.questions if q not in answered), None)
    if question_id is None:
        # The questions not yet answered were retired since the attempt began: it is complete.
        attempts.finish(attempt_id)
        db.session.commit()
        return redirect(url_for("quiz.summary", attempt_id=attempt_id))
    version = quiz.current[question_id]
    return _render_question(attempt, quiz, version, answer_fields.blank(quiz, version))


def _in_class_session() -> Response:
    """An attempt of a live class session that is still running: the class answers it
    together on the session's page, and sees keys when the instructor shows them."""
    flash("This attempt belongs to a class session that is still running: join it from the quiz list.", "info")
    return redirect(url_for("quiz.index"))


def _render_question(
    attempt: attempts.AttemptState,
    quiz: QuizView,
    version: QuestionVersion | VersionView,
    answer_fields: Markup,
    invalid: bool = False,
    status: int = 200,
) -> str:
    live = quiz.questions
    return render_template(
        "taking/question.html",
        attempt=attempt,
        quiz=quiz,
        version=version,
        source=version.source,
        answer_fields=answer_fields,
        shown_version=shown_version.form_value(attempt.id, version.id),
        invalid=invalid,
        position=live.index(version.question_id) + 1 if version.question_id in live else len(live),
        total=len(live),
    ), status  # type: ignore[return-value]


@bp.route("/attempts/<id:attempt_id>/answer", methods=["POST"])
@login_required
def answer(attempt_id: int) -> str | Response:
    attempt, quiz = _attempt_in_progress(attempt_id)
    if attempt.live_session_id is not None and attempt.finished_at is None:
        return _in_class_session()  # answered on the session's page, passage by passage with the class
    version = _version_from_form(attempt, quiz)
    if attempt.finished_at is not None or quiz.retired_at is not None:
        previous = attempts.find_answer(attempt_id, version.question_id) if version else None
        if previous is not None:
            # A double click or a replayed form of the last question: show what was stored.
            return _after_answer(attempt_id, quiz.feedback, previous.id, duplicate=True)
        if attempt.finished_at is not None:
            flash("This attempt is already finished; your answers are saved.", "info")
        else:
            flash("This quiz was withdrawn by your instructor; your answers so far are saved.", "info")
        return redirect(url_for("quiz.summary", attempt_id=attempt_id))
    if version is None:
        flash("That question is no longer part of this quiz; here is the next one.", "info")
        return redirect(url_for("quiz.take", attempt_id=attempt_id))
    form = answer_form(quiz, version, quiz.claim_types)
    if not form.validate_on_submit():
        return _render_question(attempt, quiz, version, answer_fields.render(quiz, form), invalid=True, status=400)
    try:
        stored_id = attempts.record_answer(
            attempt_id,
            version,
            quiz.questions,
            claim_type=form.claim_type.data,
            speaker=form.speaker.data,
            evidence=form.evidence.data == "yes",
            reason=(form.reason.data or "").strip(),
            confidence=form.stated_confidence(quiz.confidence == "ask"),
        )
    except attempts.AlreadyAnswered as already:
        # A double click, a replayed form or a second tab: the first answer stands.
        return _after_answer(attempt_id, quiz.feedback, already.answer.id, duplicate=True)
    return _after_answer(attempt_id, quiz.feedback, stored_id, duplicate=False)


def _version_from_form(attempt: attempts.AttemptState, quiz: QuizView) -> QuestionVersion | VersionView | None:
    """The version this attempt's question page showed (its signature says so), if it
    belongs to a live question of this quiz: usually the current one; an older one
    when the key changed since the page was shown."""
    version_id = shown_version.version_id_from(attempt.id, request.form.get("version", ""))
    if version_id is None:
        return None
    current = quiz.version(version_id)
    if current is not None:
        return current
    version = db.session.get(
        QuestionVersion, version_id, options=[joinedload(QuestionVersion.question), joinedload(QuestionVersion.source)]
    )
    if version is None or version.question.quiz_id != attempt.quiz_id or version.question_id not in quiz.current:
        return None
    return version


def _after_answer(attempt_id: int, feedback: str, answer_id: int, duplicate: bool) -> Response:
    if duplicate:
        flash("You had already answered this question; your first answer is kept.", "info")
    if feedback == "immediate":
        return redirect(url_for("quiz.feedback", attempt_id=attempt_id, answer_id=answer_id))
    return redirect(url_for("quiz.take", attempt_id=attempt_id))


@bp.route("/attempts/<id:attempt_id>/answers/<id:answer_id>")
@login_required
def feedback(attempt_id: int, answer_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    stored = db.get_or_404(Answer, answer_id)
    if stored.attempt_id != attempt.id:
        abort(404)
    quiz = attempt.quiz
    # Keys wait for the end of the attempt in a quiz that gives feedback at the end, and in a
    # class session (its students see each key when the instructor reveals it there).
    keys_wait = quiz.feedback != "immediate" or attempt.live_session_id is not None
    if keys_wait and attempt.finished_at is None and quiz.retired_at is None:
        return redirect(url_for("quiz.take", attempt_id=attempt.id))
    live = attempts.live_question_ids(quiz.id)
    return render_template(
        "taking/feedback.html",
        attempt=attempt,
        quiz=quiz,
        answer=stored,
        version=stored.version,
        regraded=answer_keys.graded_versions([stored.id]).get(stored.id),
        **formatting.labels(),
        stated=confidence.BY_PERCENT.get(stored.confidence) if stored.confidence is not None else None,
        # As on the question page: where the passage stands among those students get now.
        position=live.index(stored.question_id) + 1 if stored.question_id in live else None,
        total=len(live),
        remaining=attempts.has_unanswered(attempt),
    )


@bp.route("/attempts/<id:attempt_id>/summary")
@login_required
def summary(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    if attempt.finished_at is None and attempt.quiz.retired_at is None:
        return redirect(url_for("quiz.take", attempt_id=attempt.id))
    answers = attempt.answers
    return render_template(
        "taking/summary.html",
        attempt=attempt,
        quiz=attempt.quiz,
        answers=answers,
        # (passage number, answer) for each passage with a part that does not fully match the key.
        to_review=[
            (n, a) for n, a in enumerate(answers, 1) if min(a.claim_type_score, a.speaker_score, a.evidence_score) < 1
        ],
        graded=answer_keys.graded_versions(a.id for a in answers),
        **formatting.labels(),
    )
