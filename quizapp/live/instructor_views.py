"""The "live_control" blueprint: instructors start a live session, run it, and show it to the room."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from werkzeug.wrappers.response import Response

from quizapp.accounts import classrooms
from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.live import control, pages, polling, state
from quizapp.live.forms import RevealForm, StartForm, StepForm
from quizapp.live.state import Reading, Stamp
from quizapp.models import Question, Quiz

bp = Blueprint("live_control", __name__)

MOVED_ON = "The session had moved on already (another tab, or a second click): nothing was changed."
EXPIRED = "The page had expired; please press the button again."


def _runnable(live_id: int) -> Reading:
    reading = state.read(live_id, g.user.id)
    if reading is None:
        abort(404)
    if not state.may_run(reading.state, g.user.id):
        abort(404)  # another instructor's class: as if it did not exist, like their students
    return reading


def _runnable_stamp(live_id: int) -> Stamp:
    found = state.stamp(live_id, g.user.id)
    if found is None:
        abort(404)
    if not state.may_run(found, g.user.id):
        abort(404)
    return found


@bp.route("/instructor/live", methods=["GET", "POST"])
@instructor_required
def index() -> str | Response:
    """Start a session; the sessions of the classes this instructor teaches."""
    taught = classrooms.classes_taught_by(g.user.id)
    form = StartForm()
    form.classroom.choices = [(c.id, c.name) for c in taught]
    form.quiz.choices = [(q.id, q.title) for q in _quizzes_with_passages()]
    if form.validate_on_submit():
        try:
            session = control.start(form.quiz.data, form.classroom.data, g.user.id)
        except control.LiveError as problem:
            flash(str(problem), "error")
        else:
            return redirect(url_for("live_control.run", live_id=session.id))
    elif form.errors:
        flash(EXPIRED if form.csrf_token.errors else "Choose a quiz and one of your classes.", "error")
    ids = [c.id for c in taught]
    return render_template(
        "live/index.html",
        form=form,
        taught=taught,
        running=state.of_classes(ids, running=True),
        ended=state.of_classes(ids, running=False),
        format_code=classrooms.format_code,
    ), 400 if form.errors else 200  # type: ignore[return-value]


def _quizzes_with_passages() -> list[Quiz]:
    has_passages = db.select(Question.id).where(Question.quiz_id == Quiz.id, Question.retired_at.is_(None)).exists()
    return list(
        db.session.scalars(db.select(Quiz).where(Quiz.retired_at.is_(None), has_passages).order_by(*Quiz.list_order()))
    )


@bp.route("/instructor/live/<id:live_id>")
@instructor_required
def run(live_id: int) -> str:
    """The control page: names, every reason, the buttons. Not for the room's screen."""
    room = pages.room(_runnable(live_id))
    return render_template(
        "live/control.html",
        room=room,
        join_at=pages.join_address(),
        status_line=pages.room_status(room),
        split_html=pages.split_part(room),
        reasons_html=pages.reasons_part(room),
        **room.labels,
    )


@bp.route("/instructor/live/<id:live_id>/state")
@instructor_required
def run_state(live_id: int) -> Response:
    found = _runnable_stamp(live_id)

    def parts() -> dict[str, object]:
        room = pages.room(_runnable(live_id))
        return {
            "stage": room.state.stage,
            "parts": {
                "status": pages.room_status(room),
                "split": pages.split_part(room),
                "reasons": pages.reasons_part(room),
            },
        }

    return polling.respond(polling.etag(found.code, found.version, "v"), parts)


@bp.route("/instructor/live/<id:live_id>/projector")
@instructor_required
def projector(live_id: int) -> str:
    """The page shown to the class: the passage in large type, the split, no names."""
    room = pages.room(_runnable(live_id))
    return render_template(
        "live/projector.html",
        room=room,
        join_at=pages.join_address(),
        status_line=pages.room_status(room),
        board_html=pages.board_part(room),
    )


@bp.route("/instructor/live/<id:live_id>/projector/state")
@instructor_required
def projector_state(live_id: int) -> Response:
    found = _runnable_stamp(live_id)

    def parts() -> dict[str, object]:
        room = pages.room(_runnable(live_id))
        return {
            "stage": room.state.stage,
            "parts": {"status": pages.room_status(room), "board": pages.board_part(room)},
        }

    return polling.respond(polling.etag(found.code, found.version, "p"), parts)


def _back(form: StepForm, live_id: int) -> Response:
    """Back to the page the button was on: the projector's own buttons keep the room's screen on it."""
    endpoint = "live_control.projector" if form.back.data == "projector" else "live_control.run"
    return redirect(url_for(endpoint, live_id=live_id))


@bp.route("/instructor/live/<id:live_id>/reveal", methods=["POST"])
@instructor_required
def reveal(live_id: int) -> Response:
    live = _runnable(live_id).state
    form = RevealForm()
    if not form.validate_on_submit():
        flash(EXPIRED, "error")
    else:
        picked = (form.reasons.data or []) if form.reasons_listed.data else None
        if live.phase == "revealed" and picked is not None:
            done = control.pick(live, form.shown_stage, picked)
            message = "The projector shows the reasons ticked." if done else MOVED_ON
        else:
            done = control.reveal(live, form.shown_stage, picked)
            message = "The key is shown; answers to this passage are closed." if done else MOVED_ON
        flash(message, "success" if done else "info")
    return _back(form, live_id)


@bp.route("/instructor/live/<id:live_id>/next", methods=["POST"])
@instructor_required
def next_passage(live_id: int) -> Response:
    live = _runnable(live_id).state
    form = StepForm()
    if not form.validate_on_submit():
        flash(EXPIRED, "error")
    elif control.next_passage(live, form.shown_stage):
        flash(f"Passage {live.number + 1} of {live.total} is open.", "success")
    else:
        flash(MOVED_ON, "info")
    return _back(form, live_id)


@bp.route("/instructor/live/<id:live_id>/end", methods=["POST"])
@instructor_required
def end(live_id: int) -> Response:
    live = _runnable(live_id).state
    form = StepForm()
    if not form.validate_on_submit():
        flash(EXPIRED, "error")
    elif control.end(live, form.shown_stage):
        flash("The session has ended. Its answers are on the review pages, like any other.", "success")
    else:
        flash(MOVED_ON, "info")
    return _back(form, live_id)
