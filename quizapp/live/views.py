"""The "live" blueprint: students join a class session and answer with the class."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers.response import Response

from quizapp import formatting
from quizapp.accounts.access import login_required
from quizapp.accounts.classrooms import normalise_code
from quizapp.db import db
from quizapp.forms import add_error, text_of
from quizapp.integers import parse_int
from quizapp.live import answering, pages, polling, state
from quizapp.live.forms import JoinForm
from quizapp.live.state import Reading
from quizapp.models import QuestionVersion
from quizapp.taking import answer_fields, attempts
from quizapp.taking.forms import AnswerForm, answer_form
from quizapp.taking.snapshot import QuizView, VersionView

bp = Blueprint("live", __name__)


def _as_member(live_id: int) -> Reading:
    """The session, for a member of its class; to anyone else it does not exist."""
    reading = state.read(live_id, g.user.id)
    if reading is None or not reading.member:
        abort(404)
    return reading


@bp.route("/live")
@login_required
def join() -> str | Response:
    """Type the code the projector shows; a member of its class goes to the session."""
    form = JoinForm(request.args)
    if "code" in request.args and form.validate():
        found = state.running_with_code(normalise_code(text_of(form.code)))
        reading = state.read(found, g.user.id) if found else None
        if reading is None:
            add_error(form.code, "No class session is running with this code. Check it on the projector.")
        elif not reading.member:
            add_error(
                form.code,
                f"This session is for the class {reading.classroom_name}. "
                "Join that class first, with the class join code your teacher gives you.",
            )
        else:
            return redirect(url_for("live.student", live_id=reading.state.id))
    return render_template("live/join.html", form=form), 400 if form.errors else 200  # type: ignore[return-value]


@bp.route("/live/<id:live_id>")
@login_required
def student(live_id: int) -> str:
    return _student_page(_as_member(live_id))


def _student_page(
    reading: Reading, form: AnswerForm | None = None, refused: str | None = None, status: int = 200
) -> str:
    live = reading.state
    quiz = state.quiz_of(reading)
    version = state.current_version(reading, quiz)
    mine = answering.my_answer(live.id, g.user.id, live.question_id)
    fields = None
    if live.phase == "open" and mine is None:
        fields = answer_fields.render(quiz, form) if form else answer_fields.blank(quiz, version)
    attempt_id = answering.find_attempt(live.id, g.user.id) if live.phase == "ended" else None
    return render_template(
        "live/student.html",
        live=live,
        quiz=quiz,
        classroom=reading.classroom_name,
        version=state.explained_version(version.id) if live.phase == "revealed" else version,
        mine=mine,
        fields=fields,
        invalid=form is not None,
        refused=refused,
        attempt_id=attempt_id,
        status_line=pages.student_status(live, answered=mine is not None),
        **_labels(quiz, revealed=live.phase == "revealed"),
    ), status  # type: ignore[return-value]


def _labels(quiz: QuizView, revealed: bool) -> dict[str, dict[str, str]]:
    """Choice labels for the page: the key's need every label ever loaded (two queries);
    a student's own choices before it, only the claim types the snapshot keeps."""
    if revealed:
        return formatting.labels()
    return {"claim_labels": {c.slug: c.label for c in quiz.claim_types}, "evidence_labels": {}}


@bp.route("/live/<id:live_id>/state")
@login_required
def student_state(live_id: int) -> Response:
    """What students' pages poll. They change only with a step (not with each answer):
    then the page fetches itself again."""
    found = state.stamp(live_id, g.user.id)
    if found is None or not found.member:
        abort(404)
    return polling.respond(polling.etag(found.code, found.stage, "s"), lambda: {"stage": found.stage})


@bp.route("/live/<id:live_id>/answer", methods=["POST"])
@login_required
def answer(live_id: int) -> str | Response:
    reading = _as_member(live_id)
    quiz = state.quiz_of(reading)
    version = _version_from_form(reading, quiz)
    if version is None:
        return _student_page(reading, refused="That passage is not part of this session.", status=400)
    refused = answering.refusal(reading.state, version.question_id)
    if refused:
        return _student_page(reading, refused=refused, status=409)
    form = answer_form(quiz, version, quiz.claim_types)
    if not form.validate_on_submit():
        return _student_page(reading, form=form, status=400)
    try:
        answering.submit(
            reading.state,
            g.user.id,
            version,
            claim_type=form.claim_type.data,
            speaker=form.speaker.data,
            evidence=form.evidence.data == "yes",
            reason=(form.reason.data or "").strip(),
            confidence=form.stated_confidence(quiz.confidence == "ask"),
        )
    except answering.NotOpen as closed:
        fresh = _as_member(live_id)
        return _student_page(fresh, refused=str(closed), status=409)
    except attempts.AlreadyAnswered:
        flash("You had already answered this passage; your first answer is kept.", "info")
    return redirect(url_for("live.student", live_id=live_id))


def _version_from_form(reading: Reading, quiz: QuizView) -> VersionView | QuestionVersion | None:
    """The version of a passage of this session the student was shown: usually the
    current one; an older one when the key changed since the page was shown."""
    version_id = parse_int(request.form.get("version"))
    if version_id is None:
        return None
    shown = quiz.version(version_id)
    if shown is not None:
        return shown if shown.question_id in reading.state.question_ids else None
    version = db.session.get(QuestionVersion, version_id)
    if version is None or version.question_id not in reading.state.question_ids:
        return None
    return version
