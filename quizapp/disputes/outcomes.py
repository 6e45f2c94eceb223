"""What became of a student's disputes, as the student's own pages show it.

Open; the key kept, with the teacher's reply; or an answer accepted, and then,
once the answers were regraded against the new key, how the student's score for
that part and for the attempt changed. The pages of taking and review show this
through template globals (templating.py), so those rooms need not import this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from quizapp.db import db
from quizapp.models import ANSWER_POINTS, Answer, Attempt, Dispute, Question, Quiz, Regrade, RegradedAnswer
from quizapp.models.disputes import ACCEPTED, OPEN, PARTS
from quizapp.taking import answer_keys


@dataclass(frozen=True)
class Rescore:
    """A regrade after the ruling changed the answer's score: the part's points and the attempt's."""

    part_before: float
    part_after: float
    attempt_before: float
    attempt_after: float
    possible: float  # 3 points per answer in the attempt


@dataclass(frozen=True)
class Outcome:
    dispute: Dispute
    rescore: Rescore | None = None  # accepted, and regraded since


@dataclass
class PartView:
    """One part of one answer on a student's page: the latest dispute of it, and whether another may be sent."""

    part: str
    latest: Outcome | None = None
    can_dispute: bool = True


@dataclass
class AnswerView:
    answer_id: int
    parts: dict[str, PartView] = field(default_factory=dict)

    def part(self, part: str) -> PartView:
        return self.parts.setdefault(part, PartView(part))


def outcomes(disputes: list[Dispute]) -> list[Outcome]:
    """Each dispute with its score change, in the order given."""
    rescores = _rescores([d for d in disputes if d.status == ACCEPTED and d.ruling is not None])
    return [Outcome(d, rescores.get(d.id)) for d in disputes]


def of_student(user_id: int) -> list[Outcome]:
    """Every dispute the student sent, newest first."""
    disputes = db.session.scalars(
        select(Dispute)
        .filter_by(user_id=user_id)
        .order_by(Dispute.id.desc())
        .options(
            joinedload(Dispute.ruling),
            joinedload(Dispute.answer).joinedload(Answer.attempt).joinedload(Attempt.quiz),
            joinedload(Dispute.version),
        )
    ).all()
    return outcomes(list(disputes))


def of_answers(answer_ids: Iterable[int]) -> dict[int, AnswerView]:
    """Per answer and part: the latest dispute and whether the student may dispute that key now
    (not while one is open, nor again once the key they disputed was ruled on). Two queries
    when none of the answers was disputed, as on most feedback pages."""
    ids = sorted(set(answer_ids))
    if not ids:
        return {}
    views = {answer_id: AnswerView(answer_id) for answer_id in ids}
    disputes = db.session.scalars(
        select(Dispute)
        .where(Dispute.answer_id.in_(ids))
        .order_by(Dispute.id)
        .options(joinedload(Dispute.ruling), joinedload(Dispute.answer))
    ).all()
    retired = db.session.scalars(
        select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .where(Answer.id.in_(ids), Question.retired_at.is_not(None) | Quiz.retired_at.is_not(None))
    ).all()
    for answer_id in retired:
        for part in PARTS:
            views[answer_id].part(part).can_dispute = False
    if disputes:
        graded = answer_keys.graded_versions(ids)
        for outcome in outcomes(list(disputes)):
            dispute = outcome.dispute
            view = views[dispute.answer_id].part(dispute.part)
            view.latest = outcome  # oldest first, so the newest stays
            regraded = graded.get(dispute.answer_id)
            scored = regraded.to_version_id if regraded else dispute.answer.question_version_id
            if dispute.status == OPEN or dispute.version_id == scored:
                view.can_dispute = False
    return views


def _rescores(accepted: list[Dispute]) -> dict[int, Rescore]:
    """dispute id -> the score change of its answer by the first regrade after its ruling."""
    if not accepted:
        return {}
    answer_ids = {d.answer_id for d in accepted}
    regraded: dict[int, list[tuple[RegradedAnswer, datetime]]] = {}
    for row, at in db.session.execute(
        select(RegradedAnswer, Regrade.at)
        .join(Regrade, Regrade.id == RegradedAnswer.regrade_id)
        .where(RegradedAnswer.answer_id.in_(answer_ids))
        .order_by(RegradedAnswer.id)
    ):
        regraded.setdefault(row.answer_id, []).append((row, at))
    attempt_ids = {d.answer.attempt_id for d in accepted}
    totals = {
        attempt_id: (float(points or 0), int(count))
        for attempt_id, points, count in db.session.execute(
            select(
                Answer.attempt_id,
                func.sum(ANSWER_POINTS),
                func.count(),
            )
            .where(Answer.attempt_id.in_(attempt_ids))
            .group_by(Answer.attempt_id)
        )
    }
    found = {}
    for dispute in accepted:
        assert dispute.ruling is not None
        after_ruling = [row for row, at in regraded.get(dispute.answer_id, []) if at >= dispute.ruling.at]
        if not after_ruling:
            continue
        first, answer = after_ruling[0], dispute.answer
        before_total = first.before_claim_type + first.before_speaker + first.before_evidence
        attempt_now, answers = totals[answer.attempt_id]
        found[dispute.id] = Rescore(
            part_before=getattr(first, f"before_{dispute.part}"),
            part_after=getattr(answer, f"{dispute.part}_score"),
            attempt_before=attempt_now - (answer.total_score - before_total),
            attempt_after=attempt_now,
            possible=3.0 * answers,
        )
    return found
