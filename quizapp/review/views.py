"""The "review" blueprint: a student's own results, the instructors' home and per-student page."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, g, render_template
from sqlalchemy import and_, func, select

from quizapp import formatting
from quizapp.accounts import classrooms, visibility
from quizapp.accounts.access import instructor_required, login_required
from quizapp.db import db
from quizapp.models import STUDENT, Answer, Attempt, Quiz, User
from quizapp.review import (
    calibration,
    discernment,
    filters,
    formulas,
    learning,
    question_stats,
    scores,
    sdt,
    student_history,
)
from quizapp.taking import answer_keys

bp = Blueprint("review", __name__)


def init_app(app: Flask) -> None:
    filters.init_app(app)
    app.add_template_filter(sdt.discernment_word, "discernment_word")
    app.add_template_filter(sdt.lean_words, "lean_words")
    app.add_template_filter(formulas.reliability_word, "reliability_word")
    app.add_template_filter(_decimal3, "decimal3")
    app.jinja_env.globals["min_answers"] = sdt.MIN_ANSWERS
    app.jinja_env.globals["judgement_tasks"] = sdt.TASKS
    app.add_template_global(calibration.level_name, "level_name")


def _decimal3(value: float | None) -> str:
    """A Brier score: 0.183; None -> '-'."""
    return "-" if value is None else f"{value:.3f}"


@bp.route("/results")
@login_required
def my_results() -> str:
    rows = student_history.history(g.user.id, as_student=True)
    # Only answers whose verdict the student may see: not those of an unfinished quiz that gives feedback at the end.
    mine = [Attempt.user_id == g.user.id, discernment.visible_to_student()]
    my_answers = [Answer.attempt_id.in_(select(Attempt.id).filter(*mine))]
    return render_template(
        "review/my_results.html",
        judged=discernment.pooled(my_answers),
        confidence=learning.confidence(mine, "my-calibration", "you"),
        rows=list(reversed(rows)),  # newest first in the table
        chart=student_history.chart(rows, "my-history", "you"),
        my_classes=classrooms.classes_of(g.user.id),
    )


@bp.route("/results/answers")
@login_required
def my_answers() -> str:
    """Every answer this student gave, with the key, the explanation and their reason."""
    answers = db.session.execute(
        scores.answers_query()
        .add_columns(Quiz)
        .join(Quiz, Attempt.quiz_id == Quiz.id)
        .filter(Attempt.user_id == g.user.id)
        .order_by(Attempt.started_at, Attempt.id, Answer.id)
    ).all()
    return render_template(
        "review/my_answers.html",
        answers=answers,
        graded=answer_keys.graded_versions(row[0].id for row in answers),
        keys_hidden=student_history.keys_hidden,
        **formatting.labels(),
    )


@bp.route("/instructor")
@instructor_required
def instructor_home() -> str:
    scope, form = filters.current_scope()
    quizzes = db.session.scalars(select(Quiz).order_by(Quiz.retired_at.is_not(None), *Quiz.list_order())).all()
    attempt_counts = dict(
        db.session.execute(
            select(Attempt.quiz_id, func.count()).filter(*scope.attempts()).group_by(Attempt.quiz_id)
        ).all()
    )
    # Outer joins with the filter in the ON clause: a student with nothing in
    # range is still listed, with 0 answers.
    students = db.session.execute(
        select(User, func.count(Answer.id))
        .select_from(User)
        .outerjoin(Attempt, and_(Attempt.user_id == User.id, *scope.attempts()))
        .outerjoin(Answer, Answer.attempt_id == Attempt.id)
        .filter(User.role == STUDENT, *scope.students(User.id))
        .group_by(User.id)
        .order_by(User.username_key)
    ).all()
    return render_template(
        "review/instructor_home.html",
        quizzes=quizzes,
        attempt_counts=attempt_counts,
        students=students,
        scope=scope,
        filter=form,
    )


@bp.route("/instructor/students/<id:user_id>")
@instructor_required
def student_answers(user_id: int) -> str:
    """One student's attempts and answers: for an admin, or an instructor who teaches them (else 404)."""
    if not visibility.can_see_student(g.user, user_id):
        abort(404)
    student = db.get_or_404(User, user_id)
    scope, form = filters.current_scope()
    rows = student_history.history(student.id, scope, as_student=False)
    theirs = [Attempt.user_id == student.id, *scope.attempts()]
    answers = db.session.execute(
        scores.answers_query()
        .add_columns(Quiz)
        .join(Quiz, Attempt.quiz_id == Quiz.id)
        .filter(Attempt.user_id == student.id, *scope.attempts())
        .order_by(Attempt.started_at, Attempt.id, Answer.id)
    ).all()
    return render_template(
        "review/student.html",
        student=student,
        rows=rows,
        chart=student_history.chart(rows, "student-history", student.username),
        answers=answers,
        # The answers table names each attempt by its number in the attempts table.
        attempt_numbers={row.attempt.id: row.number for row in rows},
        graded=answer_keys.graded_versions(row[0].id for row in answers),
        quizzes=sorted({row.quiz.slug: row.quiz for row in rows}.values(), key=lambda q: q.title),
        student_classes=classrooms.classes_of(student.id, taught_by=scope.teacher_id),
        judged=discernment.pooled(question_stats.answer_conditions(scope, user_id=student.id)),
        confidence=learning.confidence(theirs, "student-calibration", student.username),
        scope=scope,
        filter=form,
        **formatting.labels(),
    )
