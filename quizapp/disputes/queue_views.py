"""The "dispute_queue" blueprint: the instructors' queue of disputes, and settling them.

/instructor/disputes lists the disputes an instructor sees, grouped by question
and part. Each group has a page of its own to settle it: keep the key with a
reply, or accept an answer (a page showing the exact change to the question
file first), then "Regrade now" once the quiz has the new key.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers.response import Response
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs describe 3.2

from quizapp import formatting
from quizapp.accounts import classrooms
from quizapp.accounts.access import instructor_required
from quizapp.bank.regrade import PlanChanged
from quizapp.disputes import bank_file, parts, queue, rulings
from quizapp.disputes.forms import AcceptForm, KeepForm, QueueFilterForm, RegradeForm, dispute_ids
from quizapp.disputes.key_edit import KeyChange
from quizapp.forms import text_of
from quizapp.models import Classroom
from quizapp.review import question_stats
from quizapp.review.filters import Scope
from quizapp.taking import snapshot

bp = Blueprint("dispute_queue", __name__, url_prefix="/instructor/disputes")

EXPIRED = "The page had expired; please try again."
# Arguments shown per question part in the queue; its own page shows them all. A part
# a whole school disputes would otherwise make the queue a page of a thousand cards.
SHOWN_PER_GROUP = 6


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


@bp.route("")
@instructor_required
def index() -> ResponseReturnValue:
    taught = classrooms.classes_taught_by(g.user.id)
    quizzes = queue.quizzes_with_disputes(g.user.id)
    form = QueueFilterForm(request.args)
    form.classroom.choices = [SelectChoice("", "All my students")] + [SelectChoice(str(c.id), c.name) for c in taught]
    form.quiz.choices = [SelectChoice("", "Every quiz")] + [SelectChoice(q.slug, q.title) for q in quizzes]
    if not form.validate():
        return render_template("disputes/queue.html", filter=form, groups=[], taught=taught), 400
    classroom = next((c for c in taught if str(c.id) == form.classroom.data), None)
    quiz = next((q for q in quizzes if q.slug == form.quiz.data), None)
    found = queue.groups(
        g.user.id,
        status=form.status.data,
        classroom_id=classroom.id if classroom else None,
        quiz_id=quiz.id if quiz else None,
    )
    _add_summaries(found, classroom)
    return render_template(
        "disputes/queue.html",
        filter=form,
        groups=found,
        taught=taught,
        classroom=classroom,
        status=form.status.data,
        shown_per_group=SHOWN_PER_GROUP,
        **formatting.labels(),
    )


def _add_summaries(found: list[queue.Group], classroom: Classroom | None) -> None:
    """Share correct per part for each group's question: one GROUP BY per quiz, in the class chosen."""
    scope = Scope(classroom=classroom)
    by_quiz: dict[int, dict[int, question_stats.QuestionSummary]] = {}
    for group in found:
        if group.quiz.id not in by_quiz:
            by_quiz[group.quiz.id] = question_stats.summaries(scope, group.quiz.id)
        group.summary = by_quiz[group.quiz.id].get(group.question.id)


def _group(question_id: int, part: str) -> queue.Group:
    """The disputes of one question part the instructor sees; 404 when there are none."""
    found = queue.groups(g.user.id, question_id=question_id, part=part)
    if not found:
        abort(404)
    return found[0]


def _group_url(question_id: int, part: str) -> str:
    return url_for("dispute_queue.group", question_id=question_id, part=part)


@bp.route(f"/questions/<id:question_id>/{parts.IN_URL}")
@instructor_required
def group(question_id: int, part: str) -> ResponseReturnValue:
    return _render_group(_group(question_id, part))


def _render_group(group: queue.Group, keep_form: KeepForm | None = None, status: int = 200) -> ResponseReturnValue:
    _add_summaries([group], None)
    plan = rulings.plan(group.quiz, group.question)
    past = queue.rulings(g.user.id, group.question.id, group.part)
    open_ids = ",".join(str(a.dispute.id) for a in group.open)
    labels = formatting.labels()
    options = (
        parts.options(group.current, group.part, [c.slug for c in snapshot.claim_types()]) if group.current else []
    )
    argued = dict(group.argued_for())
    return render_template(
        "disputes/group.html",
        group=group,
        rulings=past,
        states={r.id: rulings.state(r, group.current, plan) for r in past},
        plan=plan,
        show_regrade=any(rulings.carried(r, group.current) for r in past) and not plan.empty,
        keep_form=keep_form or KeepForm(formdata=None, disputes=open_ids),
        regrade_form=RegradeForm(formdata=None, fingerprint=plan.fingerprint),
        # Argued-for answers first, the most argued first; then the others.
        candidates=sorted(options, key=lambda value: (-argued.get(value, 0), options.index(value))),
        argued=argued,
        live=group.current is not None and group.question.retired_at is None and group.quiz.retired_at is None,
        **labels,
    ), status


@bp.route(f"/questions/<id:question_id>/{parts.IN_URL}/keep", methods=["POST"])
@instructor_required
def keep(question_id: int, part: str) -> ResponseReturnValue:
    group = _group(question_id, part)
    form = KeepForm()
    if not form.validate_on_submit():
        return _render_group(group, keep_form=form, status=400)
    try:
        settled = rulings.keep(question_id, part, dispute_ids(text_of(form.disputes)), text_of(form.reply), g.user.id)
    except rulings.NothingToSettle:
        flash("These disputes were settled meanwhile; nothing was changed.", "info")
    else:
        flash(f"Key kept. {settled} student{'s' if settled != 1 else ''} will see your reply.", "success")
    return redirect(_group_url(question_id, part))


def _change_asked(group: queue.Group) -> KeyChange | None:
    """The answer to accept, from the query string or form; None when it is not one that can be."""
    answer = request.values.get("answer", "")
    as_alternate = request.values.get("accept_as", "key") == "alternate"
    if group.current is None or (as_alternate and group.part != "claim_type"):
        return None
    if answer not in parts.options(group.current, group.part, [c.slug for c in snapshot.claim_types()]):
        return None
    if as_alternate and answer in group.current.accept:
        return None
    return KeyChange(group.part, answer, as_alternate)


@bp.route(f"/questions/<id:question_id>/{parts.IN_URL}/accept", methods=["GET", "POST"])
@instructor_required
def accept(question_id: int, part: str) -> ResponseReturnValue:
    group = _group(question_id, part)
    change = _change_asked(group)
    back = redirect(_group_url(question_id, part))
    if not group.open:
        flash("No dispute of this key is open; there is nothing to settle.", "info")
        return back
    if change is None or group.question.retired_at is not None or group.quiz.retired_at is not None:
        flash("Choose one of the answers listed to accept.", "error")
        return back
    writable = bool(current_app.config["BANK_WRITABLE"])
    if request.method == "POST":
        return _accept(group, change, writable)
    proposal = bank_file.propose(_questions_dir(), group.quiz.path, group.question.slug, change)
    form = AcceptForm(
        formdata=None,
        disputes=",".join(str(a.dispute.id) for a in group.open),
        answer=change.answer,
        accept_as="alternate" if change.as_alternate else "key",
        file_sha256=proposal.sha256,
    )
    return render_template(
        "disputes/accept.html",
        group=group,
        change=change,
        proposal=proposal,
        form=form,
        writes=writable and proposal.edit is not None,
        **formatting.labels(),
    )


def _accept(group: queue.Group, change: KeyChange, writable: bool) -> Response:
    form = AcceptForm()
    confirm = url_for(
        "dispute_queue.accept",
        question_id=group.question.id,
        part=group.part,
        answer=change.answer,
        accept_as="alternate" if change.as_alternate else "key",
    )
    if not form.validate_on_submit():
        flash(EXPIRED, "error")
        return redirect(confirm)
    quiz = group.quiz
    try:
        done = rulings.accept(
            quiz,
            group.question,
            change,
            dispute_ids(text_of(form.disputes)),
            text_of(form.note),
            g.user.id,
            questions_dir=_questions_dir(),
            writable=writable,
            shown_sha256=text_of(form.file_sha256),
        )
    except bank_file.FileChanged as changed:
        flash(f"Nothing was written: {changed}. Here is the change as the file is now.", "error")
        return redirect(confirm)
    except bank_file.WriteRefused as refused:
        flash(f"Nothing was written: {refused}", "error")
        return redirect(confirm)
    except rulings.NothingToSettle:
        flash("These disputes were settled meanwhile; nothing was changed.", "info")
        return redirect(_group_url(group.question.id, group.part))
    settled = f"{done.settled} dispute{'s' if done.settled != 1 else ''}"
    if done.ruling.file_written:
        summary = done.sync.summary() if done.sync else "not synced"
        flash(f"Accepted ({settled}). {quiz.path} was changed and synced ({summary}).", "success")
    else:
        flash(
            f"Accepted ({settled}). Make the change shown below in {quiz.path} and sync: "
            "the disputes wait until the quiz has the new key, then regrade.",
            "success",
        )
    return redirect(_group_url(group.question.id, group.part))


@bp.route(f"/questions/<id:question_id>/{parts.IN_URL}/regrade", methods=["POST"])
@instructor_required
def regrade(question_id: int, part: str) -> Response:
    group = _group(question_id, part)
    form = RegradeForm()
    if not form.validate_on_submit():
        flash(EXPIRED, "error")
        return redirect(_group_url(question_id, part))
    try:
        record = rulings.regrade_now(
            group.quiz, group.question, group.current, g.user.username, text_of(form.fingerprint)
        )
    except PlanChanged:
        flash(
            "The answers changed since this preview was shown (a sync or another regrade); nothing was written. "
            "Check the new preview and regrade again.",
            "error",
        )
    else:
        if record is None:
            flash("Nothing to regrade: every answer is scored against the current key.", "info")
        else:
            flash(
                f"Regrade #{record.id} done: {record.answers_changed} of {record.answers_checked} answer(s) changed "
                f"score; {record.scores_changed} student score(s) changed. Each disputing student sees the outcome.",
                "success",
            )
    return redirect(_group_url(question_id, part))
