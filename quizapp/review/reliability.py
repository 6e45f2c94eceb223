"""Test reliability and item statistics of one quiz, from SQL sums (formulas in review/formulas.py).

Population: each student's first finished attempt at the quiz within the filter,
as for the item analysis (retakes come after the key was shown). An item is a
question, scored 0..3: the sum of its three parts. One statement returns, per
question, the sums of x (its score), r (the rest of the attempt's total), their
squares and products, and Σ x(i)·r(i) with both sorted (for discriminative
efficiency); and for the attempts, the sums of their totals.
"""

from __future__ import annotations

from collections import Counter
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


def item_sums(joint: list[tuple[float, float, int]]) -> ItemSums:
    """Sums of one question from its (x, r, count) combinations."""
    n = sum(c for _, _, c in joint)
    sx = sum(x * c for x, _, c in joint)
    sr = sum(r * c for _, r, c in joint)
    return ItemSums(
        n,
        sx,
        sum(x * x * c for x, _, c in joint),
        sr,
        sum(r * r * c for _, r, c in joint),
        sum(x * r * c for x, r, c in joint),
        sorted_products(joint),
    )


def sorted_products(joint: list[tuple[float, float, int]]) -> float:
    """Σ x(i)·r(i) with x and r each sorted ascending: walk both sorted histograms, pairing counts."""
    xs, rs = Counter[float](), Counter[float]()
    for x, r, c in joint:
        xs[x] += c
        rs[r] += c
    x_run, r_run = sorted(xs.items()), sorted(rs.items())
    total, i, j = 0.0, 0, 0
    x_left, r_left = (x_run[0][1], r_run[0][1]) if x_run else (0, 0)
    while i < len(x_run) and j < len(r_run):
        paired = min(x_left, r_left)
        total += x_run[i][0] * r_run[j][0] * paired
        x_left -= paired
        r_left -= paired
        if x_left == 0:
            i += 1
            x_left = x_run[i][1] if i < len(x_run) else 0
        if r_left == 0:
            j += 1
            r_left = r_run[j][1] if j < len(r_run) else 0
    return total


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
