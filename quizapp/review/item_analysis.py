"""Item analysis: how well each question, part by part, separates strong from weak attempts.

Population: each student's first finished attempt at the quiz (within the filter).
Retakes come after the answers were shown, so they would flatter every question.
Those attempts are ranked by total score; the top and bottom 27% (rounded) form
the upper and lower groups. Discrimination D = share correct in the upper group
minus share correct in the lower group (-1..1; half credit counts half).

A part is flagged when there are enough students to say anything and
- a wrong choice is more popular than the key in the upper group (mis-keyed?), or
- D is negative: weaker attempts got it right more often (ambiguous or mis-keyed?).
Two statements per quiz (or question), whatever the class size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CTE, Select, Subquery, case, distinct, func, literal, select, union_all

from quizapp.db import db
from quizapp.models import ANSWER_POINTS, Answer, Attempt
from quizapp.review.filters import Scope
from quizapp.review.question_stats import PARTS, ChoiceCount, choice_column

GROUP_PERCENT = 27
MIN_STUDENTS = 10  # below this each group holds two attempts or fewer: too few to flag anything


def group_size(students: int) -> int:
    """round(27% of n) in integers, the same formula as in SQL below."""
    return (students * GROUP_PERCENT + 50) // 100


@dataclass(frozen=True)
class PartStats:
    upper: float | None = None  # share correct in the upper group
    lower: float | None = None
    upper_choices: dict[str, ChoiceCount] = field(default_factory=dict)

    @property
    def discrimination(self) -> float | None:
        return None if self.upper is None or self.lower is None else self.upper - self.lower

    @property
    def upper_key_count(self) -> int:
        return sum(c.key_count for c in self.upper_choices.values())

    @property
    def upper_top_wrong(self) -> ChoiceCount | None:
        wrong = [c for c in self.upper_choices.values() if c.wrong > 0]
        return max(wrong, key=lambda c: (c.wrong, c.choice)) if wrong else None


@dataclass(frozen=True)
class Flag:
    part: str
    kind: str  # "miskeyed": a wrong choice beats the key in the upper group; "negative": D < 0
    choice: str | None = None
    choice_count: int = 0
    key_count: int = 0
    discrimination: float = 0.0


@dataclass
class Analysis:
    students: int  # students with a finished attempt: their first one is ranked
    shares: dict[tuple[str, int], dict[str, float]]  # (group, question id) -> part -> share correct
    upper_choices: dict[
        int, dict[str, dict[str, ChoiceCount]]
    ]  # question -> part -> choice -> count in the upper group

    @property
    def group_size(self) -> int:
        return group_size(self.students)

    @property
    def enough(self) -> bool:
        return self.students >= MIN_STUDENTS

    @property
    def minimum(self) -> int:
        """Students with a finished attempt that discrimination needs (the pages say so where it would be)."""
        return MIN_STUDENTS

    def part(self, question_id: int, part: str) -> PartStats:
        upper, lower = self.shares.get(("upper", question_id)), self.shares.get(("lower", question_id))
        return PartStats(
            upper[part] if upper else None,
            lower[part] if lower else None,
            self.upper_choices.get(question_id, {}).get(part, {}),
        )

    def flags(self, question_id: int) -> list[Flag]:
        if not self.enough:
            return []
        found = []
        for part in PARTS:
            stats = self.part(question_id, part)
            top_wrong = stats.upper_top_wrong
            if top_wrong is not None and top_wrong.wrong > stats.upper_key_count:
                found.append(Flag(part, "miskeyed", top_wrong.choice, top_wrong.wrong, stats.upper_key_count))
            d = stats.discrimination
            if d is not None and d < 0:
                found.append(Flag(part, "negative", discrimination=d))
        return found


def attempt_totals(quiz_id: int, scope: Scope, name: str) -> Subquery:
    """attempt_id, total, nth (1 for a student's first) of each finished attempt at the quiz
    within the filter: the population of the item analysis and of reliability is nth == 1."""
    # Grouped by the attempts' id: the answers come from the covering index in attempt
    # order and the grouping needs no sort.
    return (
        select(
            Attempt.id.label("attempt_id"),
            func.sum(ANSWER_POINTS).label("total"),
            func.row_number()
            .over(partition_by=Attempt.user_id, order_by=(Attempt.started_at, Attempt.id))
            .label("nth"),
        )
        .select_from(Attempt)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .filter(Attempt.quiz_id == quiz_id, Attempt.finished_at.is_not(None), *scope.attempts())
        .group_by(Attempt.id)
        .subquery(name)
    )


def groups(quiz_id: int, scope: Scope) -> CTE:
    """attempt_id, grp ('upper' | 'middle' | 'lower') for each student's first finished attempt."""
    totals = attempt_totals(quiz_id, scope, "totals")
    ranked = (
        select(
            totals.c.attempt_id,
            func.row_number().over(order_by=(totals.c.total.desc(), totals.c.attempt_id)).label("rank"),
            func.count().over().label("n"),
        )
        .filter(totals.c.nth == 1)
        .subquery("ranked")
    )
    size = (ranked.c.n * GROUP_PERCENT + 50) // 100
    grp = case((ranked.c.rank <= size, "upper"), (ranked.c.rank > ranked.c.n - size, "lower"), else_="middle")
    return select(ranked.c.attempt_id, grp.label("grp")).cte("grouped")


def finished_students(quiz_id: int, scope: Scope) -> int:
    return (
        db.session.scalar(
            select(func.count(distinct(Attempt.user_id))).filter(
                Attempt.quiz_id == quiz_id, Attempt.finished_at.is_not(None), *scope.attempts()
            )
        )
        or 0
    )


def analyse(quiz_id: int, scope: Scope, question_id: int | None = None, *, choices: bool = True) -> Analysis:
    """Shares per group and question, and the upper group's choices, in one statement.

    Without `choices`, only the shares (and so D): the item statistics page shows
    no choices, and the branches that count them cost more than half the statement.

    The ranked attempts are a CTE that four branches of a UNION ALL read, so the
    database computes them once (SQLite and PostgreSQL materialise a CTE that is
    referenced more than once). Narrow GROUP BYs per branch cost about half of
    one GROUP BY over every column at once.
    """
    grouped = groups(quiz_id, scope)
    only = [Answer.question_id == question_id] if question_id is not None else []

    def joined(*columns: Any) -> Select[Any]:
        return (
            select(*columns).select_from(Answer).join(grouped, grouped.c.attempt_id == Answer.attempt_id).filter(*only)
        )

    shares = (
        joined(
            grouped.c.grp,
            Answer.question_id,
            literal("").label("part"),
            literal("").label("choice"),
            func.count(),
            func.sum(Answer.claim_type_score),
            func.sum(Answer.speaker_score),
            func.sum(Answer.evidence_score),
        )
        .filter(grouped.c.grp != "middle")
        .group_by(grouped.c.grp, Answer.question_id)
    )
    branches = [shares]
    for part in PARTS if choices else ():
        choice, score = choice_column(part), getattr(Answer, f"{part}_score")
        is_key = func.sum(case((score >= 1, 1), else_=0))
        branches.append(
            joined(
                grouped.c.grp, Answer.question_id, literal(part), choice, func.count(), is_key, literal(0), literal(0)
            )
            .filter(grouped.c.grp == "upper")
            .group_by(grouped.c.grp, Answer.question_id, choice)
        )
    by_group: dict[tuple[str, int], dict[str, float]] = {}
    upper: dict[int, dict[str, dict[str, ChoiceCount]]] = {}
    for grp, qid, part, choice, count, *sums in db.session.execute(union_all(*branches) if choices else shares):
        if not part:
            by_group[(grp, qid)] = {p: float(total) / count for p, total in zip(PARTS, sums, strict=True)}
        else:
            text = str(choice)
            upper.setdefault(qid, {}).setdefault(part, {})[text] = ChoiceCount(text, count, int(sums[0]))
    return Analysis(finished_students(quiz_id, scope), by_group, upper)
