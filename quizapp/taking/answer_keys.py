"""Which version's key an answer is scored against now.

An answer keeps the version the student saw; a regrade rescores it against a
newer version and records that (RegradedAnswer, the latest per answer). Pages
that show a key beside a choice - confusion matrices, the answers export - take
it from the version scored against, so the key and the verdict always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, literal, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from quizapp.db import db
from quizapp.models import Answer, RegradedAnswer


def scored_version_id() -> ColumnElement[int]:
    """Per answer (for listings): its latest regrade's target version, else the version answered."""
    latest = (
        select(RegradedAnswer.to_version_id)
        .filter(RegradedAnswer.answer_id == Answer.id)
        .order_by(RegradedAnswer.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, Answer.question_version_id)


def counts_by_scored_version(conditions: Iterable[Any], *chosen: InstrumentedAttribute[Any]) -> Subquery:
    """version_id, the `chosen` columns and n: answers meeting `conditions`, counted per version scored against.

    Answers are counted per version *answered* - grouped in the order of the
    index on answer(question_id, question_version_id, ...), so without a sort -
    and then only the regraded ones, found from regraded_answer, are moved: taken
    off their answered version and added to the version they count against now.
    """
    conditions = list(conditions)
    regraded = (
        select(Answer.question_version_id.label("answered"), RegradedAnswer.to_version_id.label("scored"), *chosen)
        .join(Answer, Answer.id == RegradedAnswer.answer_id)
        .filter(
            RegradedAnswer.id.in_(select(func.max(RegradedAnswer.id)).group_by(RegradedAnswer.answer_id)),
            *conditions,
        )
        .subquery("regraded")
    )
    moved = [regraded.c[column.key] for column in chosen]
    return union_all(
        select(Answer.question_version_id.label("version_id"), *chosen, func.count().label("n"))
        .filter(*conditions)
        .group_by(Answer.question_id, Answer.question_version_id, *chosen),
        select(regraded.c.answered, *moved, literal(0) - func.count()).group_by(regraded.c.answered, *moved),
        select(regraded.c.scored, *moved, func.count()).group_by(regraded.c.scored, *moved),
    ).subquery("counted")


def graded_versions(answer_ids: Iterable[int]) -> dict[int, RegradedAnswer]:
    """For answers a regrade rescored: the latest regrade, with the version it scored against."""
    ids = list(answer_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(RegradedAnswer.id)).filter(RegradedAnswer.answer_id.in_(ids)).group_by(RegradedAnswer.answer_id)
    )
    rows = db.session.scalars(
        select(RegradedAnswer)
        .filter(RegradedAnswer.id.in_(latest))
        .options(joinedload(RegradedAnswer.to_version), joinedload(RegradedAnswer.regrade))
    )
    return {row.answer_id: row for row in rows}
