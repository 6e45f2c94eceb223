"""The "learning" blueprint: discernment, confidence and pre/post gain for a class; item statistics of a quiz."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.models import Quiz
from quizapp.review import filters, item_analysis, learning, reliability, sdt
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
        tasks=(sdt.EVIDENCE, sdt.CHECKABLE),
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
