"""The "learning" blueprint: discernment, confidence and pre/post gain for a class; item statistics of a quiz (page and CSV)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from sqlalchemy import select

from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.models import Quiz
from quizapp.review import filters, item_analysis, learning, reliability
from quizapp.review.csv_files import csv_rows, download_name, figure, percent_cell
from quizapp.review.question_stats import PARTS, questions_of

bp = Blueprint("learning", __name__)


@bp.route("/instructor/learning")
@instructor_required
def class_page() -> str:
    """Per class (or every student): discernment and bias, confidence against scores, before and after."""
    scope, form = filters.current_scope()
    return render_template(
        "review/learning.html",
        scope=scope,
        filter=form,
        found=learning.class_learning(scope),
    )


@bp.route("/instructor/quizzes/<slug>/items")
@instructor_required
def items(slug: str) -> str:
    """Cronbach's alpha, its error, and per question facility, SD, item-rest r, efficiency and D."""
    quiz = db.first_or_404(select(Quiz).filter_by(slug=slug))
    scope, form = filters.current_scope()
    found = reliability.reliability(quiz.id, scope)
    analysis = item_analysis.analyse(quiz.id, scope, choices=False)
    return render_template(
        "review/items.html",
        quiz=quiz,
        scope=scope,
        filter=form,
        found=found,
        analysis=analysis,
        questions=questions_of(quiz.id),
        parts=PARTS,
    )


ITEM_HEADER = (
    "question",
    "question_file",
    "question_line",
    "attempts",
    "facility_percent",
    "sd_percent",
    "item_rest_r",
    "negative_item_rest_r",
    "discriminative_efficiency_percent",
    "d_claim_type",
    "d_speaker",
    "d_evidence",
    "quiz_alpha",
    "quiz_standard_error",
    "quiz_error_ratio_percent",
)


@bp.route("/instructor/quizzes/<slug>/items.csv")
@instructor_required
def items_csv(slug: str) -> Response:
    """One row per question of one quiz: every figure of its item statistics page (review/reliability.py)."""
    scope, _form = filters.current_scope()
    quiz = db.first_or_404(select(Quiz).filter_by(slug=slug))
    found = reliability.reliability(quiz.id, scope)
    analysis = item_analysis.analyse(quiz.id, scope, choices=False)
    summary = found.reliability
    quiz_figures = (
        figure(summary.alpha),
        figure(summary.standard_error),
        "" if summary.error_ratio is None else percent_cell(summary.error_ratio),
    )
    rows = []
    for question, version in questions_of(quiz.id):
        item = found.items.get(question.id)
        d = [analysis.part(question.id, part).discrimination if analysis.enough else None for part in PARTS]
        rest = item.item_rest if item else None
        rows.append(
            (
                question.slug,
                quiz.path,
                version.line if version else "",
                item.n if item else 0,
                percent_cell(item.facility) if item else "",
                percent_cell(item.sd_share) if item else "",
                figure(rest),
                "" if rest is None else ("yes" if rest < 0 else "no"),
                "" if item is None or item.efficiency is None else percent_cell(item.efficiency),
                *(figure(value) for value in d),
                *quiz_figures,
            )
        )
    return csv_rows(download_name("items", scope, quiz.slug), ITEM_HEADER, rows)
