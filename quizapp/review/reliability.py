"""Test reliability and item statistics of one quiz, from SQL sums (formulas in review/formulas.py).

Population: each student's first finished attempt at the quiz within the filter,
as for the item analysis (retakes come after the key was shown). An item is a
question, scored 0..3: the sum of its three parts. One statement returns, per
question, how many attempts had each combination of x (its score) and r (the
rest of the attempt's total), and for the attempts the sums of their totals.
Both take few values (half points), so there are at most a few hundred
combinations per question however many students; every sum, and the sorted
pairing discriminative efficiency needs, is a little arithmetic on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select, union_all

from quizapp.db import db
from quizapp.models import ANSWER_POINTS, Answer
from quizapp.review.filters import Scope
from quizapp.review.formulas import ItemSums, Reliability, item_sums, sample_variance
from quizapp.review.item_analysis import attempt_totals


@dataclass(frozen=True)
class QuizReliability:
    reliability: Reliability
    items: dict[int, ItemSums]  # question id -> its sums

    @property
    def attempts(self) -> int:
        return self.reliability.attempts


def reliability(quiz_id: int, scope: Scope) -> QuizReliability:
    per_attempt = attempt_totals(quiz_id, scope, "per_attempt")
    firsts = select(per_attempt.c.attempt_id, per_attempt.c.total).filter(per_attempt.c.nth == 1).cte("first_attempts")
    items = (
        select(
            Answer.question_id.label("question_id"),
            ANSWER_POINTS.label("x"),
            (firsts.c.total - ANSWER_POINTS).label("r"),
        )
        .select_from(Answer)
        .join(firsts, firsts.c.attempt_id == Answer.attempt_id)
        .cte("items")
    )
    # Each question's joint counts of (its score x, the rest r): both take few values (half
    # points), so a question has at most a few hundred combinations, however many students.
    # Every sum follows from them, and so does the sorted pairing discriminative efficiency needs.
    combos = select(literal("item").label("kind"), items.c.question_id, items.c.x, items.c.r, func.count()).group_by(
        items.c.question_id, items.c.x, items.c.r
    )
    totals = select(
        literal("total"),
        literal(0),
        func.sum(firsts.c.total),
        func.sum(firsts.c.total * firsts.c.total),
        func.count(),
    )
    joint: dict[int, list[tuple[float, float, int]]] = {}
    attempts, total, squares = 0, 0.0, 0.0
    for kind, question_id, a, b, n in db.session.execute(union_all(combos, totals)):
        if kind == "item":
            joint.setdefault(question_id, []).append((float(a), float(b), int(n)))
        else:
            attempts, total, squares = int(n), float(a or 0), float(b or 0)
    items_found = {qid: item_sums(combos_found) for qid, combos_found in joint.items()}
    summary = Reliability(
        items=len(items_found),
        attempts=attempts,
        item_variance_sum=sum(item.variance for item in items_found.values()),
        total_variance=sample_variance(attempts, total, squares),
    )
    return QuizReliability(summary, items_found)
