"""Pre- and post-test: for students who finished both quizzes of a pair, scores and judgements before and after.

A quiz file names the quiz it follows (`post_test_of`). For each such pair, the
students counted are those with a finished attempt at both within the filter;
each student's first finished attempt at each quiz is used (later ones come
after the key was shown). Two statements, whatever the number of pairs and
students: the pairs, and which pair and side each attempt counts for (an attempt
may count for several pairs); the attempts' sums come from the page's one scan
of the answers (discernment.by_attempt).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import aliased

from quizapp.db import db
from quizapp.models import Attempt, Quiz
from quizapp.review.discernment import AttemptSums, Judgements
from quizapp.review.filters import Scope
from quizapp.review.formulas import normalised_gain
from quizapp.review.scores import PartScores


@dataclass(frozen=True)
class Side:
    scores: PartScores
    judgements: Judgements


@dataclass(frozen=True)
class Pair:
    pre: Quiz
    post: Quiz
    students: int
    before: Side | None
    after: Side | None

    def gain(self, part: str) -> float | None:
        """Normalised gain on the class mean of one part (or "total"), in percent."""
        if self.before is None or self.after is None:
            return None
        return normalised_gain(100 * getattr(self.before.scores, part), 100 * getattr(self.after.scores, part))


def pairs(scope: Scope, attempts: dict[int, AttemptSums]) -> list[Pair]:
    """Every pre/post pair with its sums; `attempts` are discernment.by_attempt(scope.attempts())."""
    pre_quiz = aliased(Quiz, name="pre_quiz")
    quiz_pairs = db.session.execute(
        select(Quiz, pre_quiz).join(pre_quiz, pre_quiz.slug == Quiz.post_test_of).order_by(Quiz.title)
    ).all()
    if not quiz_pairs:
        return []
    ids = {quiz.id for pair in quiz_pairs for quiz in pair}
    numbered = (
        select(
            Attempt.id.label("attempt_id"),
            Attempt.user_id,
            Attempt.quiz_id,
            func.row_number()
            .over(partition_by=(Attempt.user_id, Attempt.quiz_id), order_by=(Attempt.started_at, Attempt.id))
            .label("nth"),
        )
        .filter(Attempt.quiz_id.in_(ids), Attempt.finished_at.is_not(None), *scope.attempts())
        .subquery("numbered")
    )
    firsts = select(numbered).filter(numbered.c.nth == 1).cte("firsts")
    pair_ids = union_all(
        *(select(literal(post.id).label("post_id"), literal(pre.id).label("pre_id")) for post, pre in quiz_pairs)
    ).cte("pairs")
    before, after = firsts.alias("before"), firsts.alias("after")
    matched = (
        select(pair_ids.c.post_id, before.c.attempt_id.label("pre_attempt"), after.c.attempt_id.label("post_attempt"))
        .join(before, before.c.quiz_id == pair_ids.c.pre_id)
        .join(after, (after.c.quiz_id == pair_ids.c.post_id) & (after.c.user_id == before.c.user_id))
        .cte("matched")
    )
    sides = union_all(
        select(matched.c.post_id, literal("pre").label("side"), matched.c.pre_attempt.label("attempt_id")),
        select(matched.c.post_id, literal("post"), matched.c.post_attempt),
    ).cte("sides")
    totals: dict[tuple[int, str], list[Any]] = {}
    for post_id, side, attempt_id in db.session.execute(select(sides)):
        sums = attempts.get(attempt_id)
        if sums is None:  # finished without an answer (every question retired meanwhile)
            continue
        kept = totals.setdefault((post_id, side), [0, 0.0, 0.0, 0.0, Judgements()])
        kept[0] += 1
        kept[1] += sums.claim_type
        kept[2] += sums.speaker
        kept[3] += sums.evidence
        kept[4] += sums.judgements
    found: dict[tuple[int, str], tuple[int, Side]] = {}
    for key, (students, ct, sp, ev, judgements) in totals.items():
        answers = judgements.answers or 1
        scores = PartScores(judgements.answers, ct / answers, sp / answers, ev / answers)
        found[key] = (students, Side(scores, judgements))
    result = []
    for post, pre in quiz_pairs:
        before_side, after_side = found.get((post.id, "pre")), found.get((post.id, "post"))
        students = before_side[0] if before_side else 0
        result.append(
            Pair(pre, post, students, before_side[1] if before_side else None, after_side[1] if after_side else None)
        )
    return result
