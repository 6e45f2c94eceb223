"""Per question and part: answers, share correct, and how often each choice was picked.

One GROUP BY over (question, version, chosen claim type, speaker, evidence, the three
scores) gives a small table of combinations - a few per choice, never one per answer -
and an index in that column order serves it without reading the answer rows
(models.ix_answer_question_choices). Every per-part figure is a sum over that
table: share correct, choice counts, the most common wrong choice, the key's count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, QuestionVersion
from quizapp.review.filters import Scope

PARTS = ("claim_type", "speaker", "evidence")
COMBO_COLUMNS = (
    Answer.question_id,
    Answer.question_version_id,
    Answer.claim_type,
    Answer.speaker,
    Answer.evidence,
    Answer.claim_type_score,
    Answer.speaker_score,
    Answer.evidence_score,
)


@dataclass
class ChoiceCount:
    choice: str
    count: int = 0
    key_count: int = 0  # answers where this choice earned full credit (it was the key of their version)

    @property
    def is_key(self) -> bool:
        return self.key_count > 0

    @property
    def wrong(self) -> int:
        return self.count - self.key_count


@dataclass
class PartSummary:
    answers: int = 0
    points: float = 0.0
    choices: dict[str, ChoiceCount] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.points / self.answers if self.answers else 0.0

    @property
    def key_count(self) -> int:
        return sum(c.key_count for c in self.choices.values())

    def ranked(self) -> list[ChoiceCount]:
        """Most chosen first; the key first among equals."""
        return sorted(self.choices.values(), key=lambda c: (-c.count, not c.is_key, c.choice))

    @property
    def most_common_wrong(self) -> ChoiceCount | None:
        wrong = [c for c in self.choices.values() if c.wrong > 0]
        return max(wrong, key=lambda c: (c.wrong, c.choice), default=None) if wrong else None


@dataclass
class QuestionSummary:
    parts: dict[str, PartSummary] = field(default_factory=lambda: {p: PartSummary() for p in PARTS})

    @property
    def answers(self) -> int:
        return self.parts["claim_type"].answers

    def share(self, part: str) -> float:
        return self.parts[part].share


def choice_column(part: str) -> Any:
    """The chosen value of a part as text ('yes'/'no' for evidence), in SQL."""
    if part == "evidence":
        return case((Answer.evidence, "yes"), else_="no")
    return getattr(Answer, part)


def choice_text(part: str, value: object) -> str:
    if part == "evidence":
        return "yes" if value else "no"
    return str(value)


def add_combo(summary: QuestionSummary, row: Sequence[Any], count: int) -> None:
    """Add `count` answers of one combination (claim type, speaker, evidence, and their scores)."""
    claim_type, speaker, evidence, *scores = row
    for part, value, score in zip(PARTS, (claim_type, speaker, evidence), scores, strict=True):
        stats = summary.parts[part]
        stats.answers += count
        stats.points += float(score) * count
        key = choice_text(part, value)
        choice = stats.choices.setdefault(key, ChoiceCount(key))
        choice.count += count
        if score >= 1:
            choice.key_count += count


def answer_conditions(scope: Scope, *, quiz_id: int | None = None, user_id: int | None = None) -> list[Any]:
    """Conditions on Answer alone for a quiz, a student and a filter.

    With no filter, the quiz is found through the question ids, so an index on
    answer(question_id, ...) serves the whole count. With a filter (a class,
    dates, a student), the matching attempts are listed first and their answers
    read through answer(attempt_id, ...): a class of 25 then reads 25 attempts'
    answers, not the whole quiz's.
    """
    on_attempt = scope.attempts() + ([Attempt.user_id == user_id] if user_id is not None else [])
    if on_attempt:
        if quiz_id is not None:
            on_attempt.append(Attempt.quiz_id == quiz_id)
        return [Answer.attempt_id.in_(select(Attempt.id).filter(*on_attempt))]
    if quiz_id is not None:
        return [Answer.question_id.in_(select(Question.id).filter(Question.quiz_id == quiz_id))]
    return []


def combinations(conditions: Iterable[Any]) -> list[Sequence[Any]]:
    """COMBO_COLUMNS and a count, for the answers meeting `conditions` (on Answer alone)."""
    query = select(*COMBO_COLUMNS, func.count()).filter(*conditions).group_by(*COMBO_COLUMNS)
    return list(db.session.execute(query).all())


def summaries(
    scope: Scope, quiz_id: int, question_id: int | None = None, *, rows: list[Sequence[Any]] | None = None
) -> dict[int, QuestionSummary]:
    """question id -> its summary, for one quiz (or one of its questions) within `scope`.

    `rows`: combinations() for this quiz and scope, when the caller has them already.
    """
    if rows is None:
        conditions = answer_conditions(scope, quiz_id=quiz_id)
        if question_id is not None:
            conditions.append(Answer.question_id == question_id)
        rows = combinations(conditions)
    found: dict[int, QuestionSummary] = {}
    for question_id_, _version, *combo, count in rows:
        summary = found.get(question_id_)
        if summary is None:  # not setdefault(): that would build a summary for every row
            summary = found[question_id_] = QuestionSummary()
        add_combo(summary, combo, count)
    return found


def questions_of(quiz_id: int) -> list[tuple[Question, QuestionVersion | None]]:
    """Questions with their current version, live ones first, in file order, in one query."""
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .filter(Question.quiz_id == quiz_id)
        .order_by(Question.retired_at.is_not(None), Question.position)
    ).all()
    return [(q, v) for q, v in rows]
