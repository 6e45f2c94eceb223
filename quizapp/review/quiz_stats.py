"""A quiz at a glance: attempts started and finished, and how finished attempts scored per part."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, distinct, func, literal, select, union_all

from quizapp.db import db
from quizapp.models import ANSWER_POINTS, Answer, Attempt
from quizapp.review.filters import Scope

MEASURES = ("claim_type", "speaker", "evidence", "total")
BANDS = 10  # 0-9%, 10-19%, ..., 90-100%
_EPSILON = 1e-9  # 0.3 stored as 0.29999... still belongs to the 30% band


@dataclass(frozen=True)
class AttemptCounts:
    started: int
    finished: int
    students: int


@dataclass(frozen=True)
class Distribution:
    """Finished attempts by score band for one part (or the total)."""

    measure: str
    bands: list[int]  # attempts per band, BANDS of them
    mean: float | None

    @property
    def attempts(self) -> int:
        return sum(self.bands)


def band_label(band: int) -> str:
    return f"{band * 10}-{band * 10 + 9}%" if band < BANDS - 1 else f"{band * 10}-100%"


def attempt_counts(quiz_id: int, scope: Scope) -> AttemptCounts:
    started, finished, students = db.session.execute(
        select(
            func.count(Attempt.id),
            func.coalesce(func.sum(case((Attempt.finished_at.is_not(None), 1), else_=0)), 0),
            func.count(distinct(Attempt.user_id)),
        ).filter(Attempt.quiz_id == quiz_id, *scope.attempts())
    ).one()
    return AttemptCounts(started, int(finished), students)


def _band(column: ColumnElement[float]) -> ColumnElement[int]:
    # A CASE ladder rather than CAST/FLOOR: CAST rounds on PostgreSQL and
    # truncates on SQLite, and SQLite may be built without FLOOR.
    steps = [(column + _EPSILON >= b / BANDS, b) for b in range(BANDS - 1, 0, -1)]
    return case(*steps, else_=0)


def distributions(quiz_id: int, scope: Scope) -> dict[str, Distribution]:
    """Per part and total: finished attempts per score band and their mean, in one statement."""
    per_attempt = (
        select(
            func.avg(Answer.claim_type_score).label("claim_type"),
            func.avg(Answer.speaker_score).label("speaker"),
            func.avg(Answer.evidence_score).label("evidence"),
            func.avg(ANSWER_POINTS / 3).label("total"),
        )
        # From the attempts, grouped by their id: their answers then come from
        # the covering index in order, and the grouping needs no sort.
        .select_from(Attempt)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .filter(Attempt.quiz_id == quiz_id, Attempt.finished_at.is_not(None), *scope.attempts())
        .group_by(Attempt.id)
        .cte("per_attempt")
    )
    selects = []
    for measure in MEASURES:
        column = per_attempt.c[measure]
        band = _band(column)
        selects.append(
            select(
                literal(measure).label("measure"),
                band.label("band"),
                func.count().label("n"),
                func.sum(column).label("total"),
            )
            .select_from(per_attempt)
            .group_by(band)
        )
    bands = {m: [0] * BANDS for m in MEASURES}
    sums = dict.fromkeys(MEASURES, 0.0)
    for measure, band, count, total in db.session.execute(union_all(*selects)):
        bands[measure][int(band)] = count
        sums[measure] += float(total or 0)
    result = {}
    for measure in MEASURES:
        attempts = sum(bands[measure])
        result[measure] = Distribution(measure, bands[measure], sums[measure] / attempts if attempts else None)
    return result
