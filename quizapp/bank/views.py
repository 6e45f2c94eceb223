"""The "bank" blueprint: the instructors' Question bank page.

Every question file with its status, "Sync now", a regrade preview with its
apply button, the regrades done so far, and a preview of each quiz exactly as
students see it. In debug mode it also syncs edited files before each request
(see bank_watch).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers.response import Response

from quizapp import formatting
from quizapp.accounts import visibility
from quizapp.accounts.access import instructor_required
from quizapp.bank import regrade, watch
from quizapp.bank.files import Bank, FileKind, Problem
from quizapp.bank.forms import RegradeForm
from quizapp.bank.limits import configured
from quizapp.bank.regrade_plan import ScoreChange
from quizapp.bank.sync import SyncReport, load_for_sync, sync_bank
from quizapp.db import db
from quizapp.forms import ActionForm
from quizapp.models import Answer, Attempt, Question, QuestionVersion, Quiz
from quizapp.taking import snapshot
from quizapp.taking.forms import answer_form

bp = Blueprint("bank", __name__, url_prefix="/instructor/bank")
bp.before_app_request(watch.before_request)


@dataclass(frozen=True)
class FileRow:
    path: str
    kind: str
    problems: tuple[Problem, ...]
    quiz: Quiz | None  # the stored quiz this file defines, when it has been synced
    live_questions: int
    retired_questions: int


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def _question_counts() -> dict[int, tuple[int, int]]:
    """quiz id -> (live, retired) question counts."""
    rows = db.session.execute(
        select(Question.quiz_id, Question.retired_at.is_(None), func.count()).group_by(
            Question.quiz_id, Question.retired_at.is_(None)
        )
    )
    counts: dict[int, tuple[int, int]] = {}
    for quiz_id, live, count in rows:
        current = counts.get(quiz_id, (0, 0))
        counts[quiz_id] = (count, current[1]) if live else (current[0], count)
    return counts


def _file_rows(loaded: Bank, quizzes: dict[str, Quiz], counts: dict[int, tuple[int, int]]) -> list[FileRow]:
    rows = []
    for report in loaded.files:
        quiz = quizzes.get(report.quiz_id) if report.kind is FileKind.QUIZ and report.quiz_id else None
        live, retired = counts.get(quiz.id, (0, 0)) if quiz else (0, 0)
        rows.append(FileRow(report.path, report.kind.value, report.problems, quiz, live, retired))
    return rows


def _quiz_filter() -> str | None:
    slug = request.args.get("quiz") or None
    if slug is not None and slug not in regrade.quiz_slugs():
        abort(404)
    return slug


def _students_shown(students: tuple[ScoreChange, ...]) -> tuple[list[ScoreChange], int]:
    """The per-student lines of a regrade preview the viewer may see (the students of
    their classes; an admin: everyone's), and how many other students it changes."""
    if not students or visibility.sees_everyone(g.user):
        return list(students), 0
    taught = set(db.session.scalars(visibility.taught_students(g.user.id)))
    return [s for s in students if s.user_id in taught], len({s.user_id for s in students} - taught)


def _render_index(sync_report: SyncReport | None = None, loaded: Bank | None = None) -> str:
    # Files unchanged since they last synced cleanly are not parsed again: they
    # have no problems, and the pending sync below would leave them alone.
    loaded = loaded if loaded is not None else load_for_sync(db.session, _questions_dir(), configured(page=True))
    # What "Sync now" would change, found by a sync that is rolled back (before
    # anything else is read: the rollback forgets what the session had loaded).
    pending = sync_bank(db.session, loaded, commit=False) if sync_report is None else None
    quizzes = {q.slug: q for q in db.session.scalars(select(Quiz).order_by(Quiz.title))}
    counts = _question_counts()
    answer_counts = dict(
        db.session.execute(
            select(Attempt.quiz_id, func.count(Answer.id))
            .join(Answer, Answer.attempt_id == Attempt.id)
            .group_by(Attempt.quiz_id)
        ).all()
    )
    quiz_filter = _quiz_filter()
    plan = regrade.plan_regrade(quiz_filter)
    form = RegradeForm(formdata=None, quiz=quiz_filter or "", fingerprint=plan.fingerprint)
    students_shown, other_students = _students_shown(plan.students)
    return render_template(
        "bank/index.html",
        folder=_questions_dir(),
        files=_file_rows(loaded, quizzes, counts),
        quizzes=list(quizzes.values()),
        counts=counts,
        answer_counts=answer_counts,
        sync_report=sync_report,
        pending=pending,
        plan=plan,
        students_shown=students_shown,
        other_students=other_students,
        quiz_filter=quiz_filter,
        regrade_form=form,
        history=regrade.history(),
        via_names=regrade.VIA_NAMES,
        form=ActionForm(),
    )


@bp.route("")
@instructor_required
def index() -> str:
    return _render_index()


@bp.route("/sync", methods=["POST"])
@instructor_required
def sync_now() -> str | Response:
    if not ActionForm().validate_on_submit():
        flash("The page had expired; press Sync now again.", "error")
        return redirect(url_for("bank.index"))
    loaded = load_for_sync(db.session, _questions_dir(), configured(page=True))
    report = sync_bank(db.session, loaded)
    return _render_index(sync_report=report, loaded=loaded)


@bp.route("/regrade", methods=["POST"])
@instructor_required
def apply_regrade() -> Response:
    form = RegradeForm()
    quiz = form.quiz.data or None
    if not form.validate_on_submit():
        flash("The page had expired; check the preview and press the button again.", "error")
    elif quiz is not None and quiz not in regrade.quiz_slugs():
        flash(f"There is no quiz with id '{quiz}'.", "error")
        quiz = None
    else:
        try:
            _plan, record = regrade.apply_regrade(
                quiz, by=g.user.username, via=regrade.PAGE, expected_fingerprint=form.fingerprint.data
            )
        except regrade.PlanChanged:
            flash(
                "The answers changed since this preview was shown (a sync or another regrade); "
                "nothing was written. Check the new preview below and apply again.",
                "error",
            )
        else:
            if record is None:
                flash("Nothing to regrade: every answer is scored against its question's current key.", "info")
            else:
                flash(
                    f"Regrade #{record.id} done: {record.answers_changed} of {record.answers_checked} answer(s) "
                    f"changed score; {record.scores_changed} student score(s) changed.",
                    "success",
                )
    return redirect(url_for("bank.index", quiz=quiz, _anchor="regrade"))


@bp.route("/quizzes/<slug:slug>")
@instructor_required
def preview(slug: str) -> str:
    quiz = db.first_or_404(select(Quiz).filter_by(slug=slug))
    questions = db.session.scalars(
        select(Question)
        .filter(Question.quiz_id == quiz.id, Question.retired_at.is_(None))
        .order_by(Question.position)
        .options(joinedload(Question.current_version).joinedload(QuestionVersion.source))
    ).all()
    claim_types = snapshot.claim_types()
    items = [
        (
            question,
            question.current_version,
            answer_form(quiz, question.current_version, claim_types, f"q{question.id}"),
        )
        for question in questions
        if question.current_version is not None
    ]
    return render_template(
        "bank/preview.html",
        quiz=quiz,
        items=items,
        definitions={c.slug: c.definition for c in claim_types},
        **formatting.labels(),
    )
