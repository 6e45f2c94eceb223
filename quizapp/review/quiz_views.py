"""The "quiz_review" blueprint: quiz overview, item analysis per question, explanations, confusion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from quizapp import formatting
from quizapp.accounts import visibility
from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.integers import parse_int
from quizapp.models import Answer, Attempt, Question, QuestionVersion, Quiz, User
from quizapp.review import (
    charts,
    confusion,
    discernment,
    filters,
    item_analysis,
    question_stats,
    quiz_stats,
    scores,
)
from quizapp.taking import answer_keys

bp = Blueprint("quiz_review", __name__)


MEASURE_NAMES = {"claim_type": "Claim type", "speaker": "Speaker", "evidence": "Evidence", "total": "Total"}


def _charts(quiz: Quiz, dists: dict[str, quiz_stats.Distribution]) -> list[tuple[str, Markup]]:
    """(visible caption, SVG) for the means and for each part's distribution."""
    found = []
    means = [(MEASURE_NAMES[m], d.mean) for m, d in dists.items() if d.mean is not None]
    if means:
        title = "Mean score per part"
        found.append(
            (
                title,
                charts.bar_chart(
                    "means",
                    f"{title}, {quiz.title}",
                    "Mean share of points in finished attempts: "
                    + ", ".join(f"{n} {charts.percent(v)}" for n, v in means)
                    + ".",
                    [(name, value * 100) for name, value in means],
                    value_text=lambda v: f"{round(v)}%",
                ),
            )
        )
    for measure, dist in dists.items():
        if not dist.attempts:
            continue
        peak = max(range(quiz_stats.BANDS), key=lambda b: dist.bands[b])
        title = f"{MEASURE_NAMES[measure]}: finished attempts by score"
        found.append(
            (
                title,
                charts.bar_chart(
                    f"dist-{measure}",
                    title,
                    f"{dist.attempts} finished attempts in bands of 10 points; the most ({dist.bands[peak]}) scored "
                    f"{quiz_stats.band_label(peak)}.",
                    [(f"{b * 10}", n) for b, n in enumerate(dist.bands)],
                    value_text=lambda v: str(int(v)),
                    x_caption="score (%), band starts; the last band includes 100",
                ),
            )
        )
    return found


@bp.route("/instructor/quizzes/<slug:slug>")
@instructor_required
def overview(slug: str) -> str:
    quiz = db.first_or_404(select(Quiz).filter_by(slug=slug))
    scope, form = filters.current_scope()
    questions = question_stats.questions_of(quiz.id)
    answers = question_stats.answer_conditions(scope, quiz_id=quiz.id)
    combinations = question_stats.combinations(answers)  # one pass: summaries and discernment both use it
    dists = quiz_stats.distributions(quiz.id, scope)
    analysis = item_analysis.analyse(quiz.id, scope)
    return render_template(
        "review/quiz.html",
        quiz=quiz,
        scope=scope,
        filter=form,
        counts=quiz_stats.attempt_counts(quiz.id, scope),
        distributions=dists,
        charts=_charts(quiz, dists),
        band_label=quiz_stats.band_label,
        bands=range(quiz_stats.BANDS),
        measure_names=MEASURE_NAMES,
        questions=questions,
        summaries=question_stats.summaries(scope, quiz.id, rows=combinations),
        analysis=analysis,
        flags_by_question={q.id: analysis.flags(q.id) for q, _ in questions},
        judged=discernment.pooled(answers, combinations),
        **formatting.labels(),
    )


@bp.route("/instructor/quizzes/<slug:slug>/students")
@instructor_required
def students(slug: str) -> str:
    """One row per student: attempts, answers and mean score per part in this quiz."""
    quiz = db.first_or_404(select(Quiz).filter_by(slug=slug))
    scope, form = filters.current_scope()
    return render_template(
        "review/quiz_students.html",
        quiz=quiz,
        scope=scope,
        filter=form,
        students=scores.students_in_quiz(quiz.id, scope),
    )


def _question_and_version(question_id: int) -> tuple[Question, QuestionVersion | None, Quiz]:
    row = db.session.execute(
        select(Question, QuestionVersion, Quiz)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .filter(Question.id == question_id)
    ).first()
    if row is None:
        abort(404)
    return row[0], row[1], row[2]


@bp.route("/instructor/questions/<id:question_id>")
@instructor_required
def question(question_id: int) -> str:
    question, current, quiz = _question_and_version(question_id)
    scope, form = filters.current_scope()
    versions = db.session.scalars(
        select(QuestionVersion).filter_by(question_id=question.id).order_by(QuestionVersion.number)
    ).all()
    summary = question_stats.summaries(scope, quiz.id, question.id).get(question.id)
    return render_template(
        "review/question.html",
        question=question,
        current=current or (versions[-1] if versions else None),
        quiz=quiz,
        versions=versions,
        scope=scope,
        filter=form,
        summary=summary,
        analysis=item_analysis.analyse(quiz.id, scope, question.id),
        parts=question_stats.PARTS,
        **formatting.labels(),
    )


@bp.route("/instructor/questions/<id:question_id>/explanations")
@instructor_required
def explanations(question_id: int) -> str:
    """Every student's reason beside their choices, grouped by the claim type they chose."""
    question, current, quiz = _question_and_version(question_id)
    scope, form = filters.current_scope()
    # Plain columns, not ORM objects: a class of a thousand is a thousand rows.
    answers = db.session.execute(
        select(
            Answer.id.label("answer_id"),
            User.id.label("user_id"),
            User.username,
            Answer.claim_type,
            Answer.claim_type_score,
            Answer.speaker,
            Answer.speaker_score,
            Answer.evidence,
            Answer.evidence_score,
            Answer.reason,
            Answer.question_version_id,
            QuestionVersion.number.label("version"),
        )
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(QuestionVersion, QuestionVersion.id == Answer.question_version_id)
        .filter(Answer.question_id == question.id, *scope.attempts())
        .order_by(Answer.claim_type, Answer.reason == "", User.username_key, Answer.id)
    ).all()
    groups: dict[str, list[Any]] = {}
    for row in answers:
        groups.setdefault(row.claim_type, []).append(row)
    # The key's group first, then the most chosen.
    key = current.claim_type if current else None
    ordered = sorted(groups.items(), key=lambda item: (item[0] != key, -len(item[1]), item[0]))
    return render_template(
        "review/explanations.html",
        question=question,
        current=current,
        quiz=quiz,
        groups=ordered,
        graded=answer_keys.graded_versions(row.answer_id for row in answers),
        total=len(answers),
        with_reason=sum(1 for row in answers if row.reason),
        scope=scope,
        filter=form,
        **formatting.labels(),
    )


def _student_arg() -> User | None:
    """?student=ID: one student the signed-in instructor may see; anything else is 404."""
    raw = request.args.get("student")
    if raw is None or raw == "":
        return None
    student_id = parse_int(raw)
    if student_id is None or not visibility.can_see_student(g.user, student_id):
        abort(404)
    return db.get_or_404(User, student_id)


@bp.route("/instructor/confusion", defaults={"slug": None})
@bp.route("/instructor/quizzes/<slug:slug>/confusion")
@instructor_required
def confusion_page(slug: str | None) -> str:
    quiz = db.first_or_404(select(Quiz).filter_by(slug=slug)) if slug else None
    scope, form = filters.current_scope()
    student = _student_arg()
    claim_matrix, speaker_matrix = confusion.matrices(scope, quiz, student.id if student else None)
    return render_template(
        "review/confusion.html",
        quiz=quiz,
        student=student,
        scope=scope,
        filter=form,
        claim_matrix=claim_matrix,
        speaker_matrix=speaker_matrix,
    )
