"""One student's attempts across quizzes, oldest first, with scores per part and a chart."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Attempt, Quiz
from quizapp.review import charts, scores
from quizapp.review.filters import Scope
from quizapp.review.scores import PartScores

EVERYONE = Scope()


@dataclass(frozen=True)
class HistoryRow:
    number: int  # 1, 2, ... in the order attempts were started
    attempt: Attempt
    quiz: Quiz
    scores: PartScores | None  # None: nothing answered, or not to be shown yet
    hidden: bool  # scores withheld until the attempt is finished


def keys_hidden(attempt: Attempt, quiz: Quiz) -> bool:
    """A quiz that gives feedback at the end shows nothing about right or wrong before then;
    nor does an attempt in a live class session, whose keys the instructor shows on the
    session's page, passage by passage, until the session ends (and finishes it)."""
    return attempt.finished_at is None and (quiz.feedback != "immediate" or attempt.live_session_id is not None)


def history(user_id: int, scope: Scope = EVERYONE, *, as_student: bool) -> list[HistoryRow]:
    rows = db.session.execute(
        select(Attempt, Quiz)
        .join(Quiz, Attempt.quiz_id == Quiz.id)
        .filter(Attempt.user_id == user_id, *scope.attempts())
        .order_by(Attempt.started_at, Attempt.id)
    ).all()
    found = scores.attempt_scores(a.id for a, _ in rows)
    result = []
    for number, (attempt, quiz) in enumerate(rows, 1):
        hidden = as_student and keys_hidden(attempt, quiz)
        result.append(HistoryRow(number, attempt, quiz, None if hidden else found.get(attempt.id), hidden))
    return result


def chart(rows: list[HistoryRow], chart_id: str, who: str) -> Markup | None:
    """Share correct per part in each attempt with scores, in time order; None when there is nothing to draw."""
    shown = [r for r in rows if r.scores is not None]
    if not shown:
        return None
    series = [
        charts.Series(label, [getattr(r.scores, part) for r in shown])
        for label, part in (("Claim type", "claim_type"), ("Speaker", "speaker"), ("Evidence", "evidence"))
    ]
    last = shown[-1]
    assert last.scores is not None
    desc = (
        f"Share of points per part in {len(shown)} attempt(s) by {who}, oldest first, numbered as in the table below. "
        f"Latest, attempt #{last.number} ({last.quiz.title}): claim type {charts.percent(last.scores.claim_type)}, "
        f"speaker {charts.percent(last.scores.speaker)}, evidence {charts.percent(last.scores.evidence)}."
    )
    return charts.line_chart(chart_id, "Score per part over time", desc, [f"#{r.number}" for r in shown], series)
