"""How the class answered the passage shown now: counts per choice, reasons, who is still to answer.

Each is one GROUP BY or one indexed read over the session's attempts (the unique
index on attempt (live_session_id, user_id)) and their answers to one question
(the unique index on answer (attempt_id, question_id)), so it costs the same
whatever else the database holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from quizapp.db import db
from quizapp.live.state import LiveState
from quizapp.models import Answer, Attempt, ClassMembership, LivePick, QuestionVersion, User
from quizapp.taking.snapshot import ClaimType, QuizView, VersionView

Key = str  # "" before the key is shown; then "key", "half" (accepted for half credit) or ""


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of the answers given, 0..1
    key: Key


@dataclass(frozen=True)
class Part:
    name: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Split:
    answered: int
    parts: tuple[Part, ...]


def _answers_here(state: LiveState) -> tuple[ColumnElement[bool], ...]:
    """This session's answers to the passage shown now."""
    return (Attempt.live_session_id == state.id, Answer.question_id == state.question_id)


def split(
    state: LiveState,
    quiz: QuizView,
    version: VersionView | QuestionVersion,
    claim_types: Sequence[ClaimType],
) -> Split:
    """Every choice the passage offers with how many chose it; once the key is shown, which matches it."""
    rows = db.session.execute(
        select(Answer.claim_type, Answer.speaker, Answer.evidence, func.count())
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(*_answers_here(state))
        .group_by(Answer.claim_type, Answer.speaker, Answer.evidence)
    ).all()
    claim_count: Counter[str] = Counter()
    speaker_count: Counter[str] = Counter()
    evidence_count: Counter[str] = Counter()
    for claim_type, speaker, evidence, count in rows:
        claim_count[claim_type] += count
        speaker_count[speaker] += count
        evidence_count["yes" if evidence else "no"] += count
    answered = sum(claim_count.values())
    shown = state.revealed_at is not None

    def bars(
        choices: Iterable[tuple[str, str]], counts: Counter[str], keyed: str, half: Sequence[str] = ()
    ) -> tuple[Bar, ...]:
        offered = dict(choices)
        # An answer to an older version may name a choice this one no longer offers.
        offered.update({value: value for value in counts if value not in offered})
        return tuple(
            Bar(
                label,
                counts[value],
                counts[value] / answered if answered else 0.0,
                ("key" if value == keyed else "half" if value in half else "") if shown else "",
            )
            for value, label in offered.items()
        )

    return Split(
        answered,
        (
            Part(
                "Claim type",
                bars(((c.slug, c.label) for c in claim_types), claim_count, version.claim_type, version.accept),
            ),
            Part(
                "Speaker",
                bars(((s, quiz.speaker_label(s)) for s in version.speaker_choices), speaker_count, version.speaker),
            ),
            Part("Evidence", bars((("yes", "Yes"), ("no", "No")), evidence_count, "yes" if version.evidence else "no")),
        ),
    )


@dataclass(frozen=True)
class Reason:
    """A reason as the instructor's control page lists it: with its author and choices."""

    answer_id: int
    username: str
    text: str
    claim_type: str
    speaker: str
    evidence: bool
    picked: bool


def reasons(state: LiveState) -> list[Reason]:
    """Every reason given to the passage shown now, oldest first, and whether it is picked."""
    picked = (
        select(LivePick.answer_id).where(LivePick.live_session_id == state.id, LivePick.answer_id == Answer.id).exists()
    )
    rows = db.session.execute(
        select(Answer.id, User.username, Answer.reason, Answer.claim_type, Answer.speaker, Answer.evidence, picked)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(*_answers_here(state), Answer.reason != "")
        .order_by(Answer.id)
    )
    return [Reason(*row) for row in rows]


def picked_reasons(state: LiveState) -> list[str]:
    """The reasons the projector shows for the passage shown now: their text alone."""
    return list(
        db.session.scalars(
            select(Answer.reason)
            .join(LivePick, LivePick.answer_id == Answer.id)
            .where(LivePick.live_session_id == state.id, Answer.question_id == state.question_id)
            .order_by(Answer.id)
        )
    )


def members(classroom_id: int) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(ClassMembership).filter_by(classroom_id=classroom_id)) or 0
    )


def still_to_answer(state: LiveState) -> list[str]:
    """Names of the class's members with no answer to the passage shown now (for the instructor)."""
    answered = (
        select(Attempt.id)
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(*_answers_here(state), Attempt.user_id == User.id)
        .exists()
    )
    return list(
        db.session.scalars(
            select(User.username)
            .join(ClassMembership, ClassMembership.user_id == User.id)
            .where(ClassMembership.classroom_id == state.classroom_id, ~answered)
            .order_by(User.username_key)
        )
    )
