"""Test reliability and item statistics of one quiz, from SQL sums (formulas in review/formulas.py).

Population: each student's first finished attempt at the quiz within the filter,
as for the item analysis (retakes come after the key was shown). An item is a
question, scored 0..3: the sum of its three parts. One statement returns, per
question, the sums of x (its score), r (the rest of the attempt's total), their
squares and products, and Σ x(i)·r(i) with both sorted (for discriminative
efficiency); and for the attempts, the sums of their totals.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select, union_all

from quizapp.db import db
from quizapp.models import Answer, Attempt
from quizapp.review.filters import Scope
from quizapp.review.formulas import ItemSums, Reliability, sample_variance


@dataclass(frozen=True)
class QuizReliability:
    reliability: Reliability
    items: dict[int, ItemSums]  # question id -> its sums

    @property
    def attempts(self) -> int:
        return self.reliability.attempts


def reliability(quiz_id: int, scope: Scope) -> QuizReliability:
    points = Answer.claim_type_score + Answer.speaker_score + Answer.evidence_score
    per_attempt = (
        select(
            Attempt.id.label("attempt_id"),
            func.sum(points).label("total"),
            func.row_number()
            .over(partition_by=Attempt.user_id, order_by=(Attempt.started_at, Attempt.id))
            .label("nth"),
        )
        .select_from(Attempt)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .filter(Attempt.quiz_id == quiz_id, Attempt.finished_at.is_not(None), *scope.attempts())
        .group_by(Attempt.id)
        .subquery("per_attempt")
    )
    firsts = select(per_attempt.c.attempt_id, per_attempt.c.total).filter(per_attempt.c.nth == 1).cte("first_attempts")
    items = (
        select(
            Answer.question_id.label("question_id"),
            points.label("x"),
            (firsts.c.total - points).label("r"),
        )
        .select_from(Answer)
        .join(firsts, firsts.c.attempt_id == Answer.attempt_id)
        .cte("items")
    )
    ranked = select(
        items.c.question_id,
        items.c.x,
        items.c.r,
        func.row_number().over(partition_by=items.c.question_id, order_by=items.c.x).label("x_rank"),
        func.row_number().over(partition_by=items.c.question_id, order_by=items.c.r).label("r_rank"),
    ).cte("ranked")
    by_x, by_r = ranked.alias("by_x"), ranked.alias("by_r")
    x, r = items.c.x, items.c.r
    sums = select(
        literal("item").label("kind"),
        items.c.question_id,
        func.count(),
        func.sum(x),
        func.sum(x * x),
        func.sum(r),
        func.sum(r * r),
        func.sum(x * r),
    ).group_by(items.c.question_id)
    # The largest Σ xr two columns allow: pair the i-th smallest x with the i-th smallest r.
    sorted_pairs = (
        select(
            literal("sorted"),
            by_x.c.question_id,
            func.count(),
            func.sum(by_x.c.x * by_r.c.r),
            literal(0.0),
            literal(0.0),
            literal(0.0),
            literal(0.0),
        )
        .select_from(by_x)
        .join(by_r, (by_r.c.question_id == by_x.c.question_id) & (by_r.c.r_rank == by_x.c.x_rank))
        .group_by(by_x.c.question_id)
    )
    totals = select(
        literal("total"),
        literal(0),
        func.count(),
        func.sum(firsts.c.total),
        func.sum(firsts.c.total * firsts.c.total),
        literal(0.0),
        literal(0.0),
        literal(0.0),
    )
    found: dict[int, list[float]] = {}
    sorted_sums: dict[int, float] = {}
    attempts, total, squares = 0, 0.0, 0.0
    for kind, question_id, n, a, b, c, d, e in db.session.execute(union_all(sums, sorted_pairs, totals)):
        if kind == "item":
            found[question_id] = [float(n), float(a), float(b), float(c), float(d), float(e)]
        elif kind == "sorted":
            sorted_sums[question_id] = float(a)
        else:
            attempts, total, squares = int(n), float(a or 0), float(b or 0)
    items_found = {
        qid: ItemSums(int(n), sx, sxx, sr, srr, sxr, sorted_sums.get(qid, 0.0))
        for qid, (n, sx, sxx, sr, srr, sxr) in found.items()
    }
    summary = Reliability(
        items=len(items_found),
        attempts=attempts,
        item_variance_sum=sum(item.variance for item in items_found.values()),
        total_variance=sample_variance(attempts, total, squares),
    )
    return QuizReliability(summary, items_found)
