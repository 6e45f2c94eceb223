"""What a regrade would do, as plain records: per answer, per question, per student and quiz.

Built by regrade.plan_regrade; printed by the command and shown on the Question bank page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass

from quizapp.taking.grading import Scores


@dataclass(frozen=True)
class AnswerChange:
    answer_id: int
    user_id: int
    username: str
    quiz_id: int
    quiz_slug: str
    question: str  # "quiz/question"
    passage: str  # the same in the version seen and the current one: another passage is never regraded
    answered_version: int  # the number of the version the student saw
    graded_version_id: int  # the version whose key the stored scores come from
    target_version_id: int
    target_version: int
    before: Scores
    after: Scores

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class QuestionChange:
    question: str
    passage: str
    answered_versions: tuple[int, ...]
    target_version: int
    answers: int
    changed: int


@dataclass(frozen=True)
class ScoreChange:
    """One student's points in one quiz, over every answer they gave in it."""

    user_id: int
    username: str
    quiz_slug: str
    quiz_title: str
    answers: int
    before: float
    after: float

    @property
    def possible(self) -> float:
        return 3.0 * self.answers

    def line(self) -> str:
        def share(points: float) -> str:
            return f"{round(100 * points / self.possible)}%" if self.possible else "-"

        return (
            f"{self.username}, quiz {self.quiz_slug}: {self.before:g} -> {self.after:g} "
            f"of {self.possible:g} points ({share(self.before)} -> {share(self.after)})"
        )


@dataclass(frozen=True)
class RegradePlan:
    quiz_slug: str | None
    answers: tuple[AnswerChange, ...]  # every answer to rescore, changed or not
    students: tuple[ScoreChange, ...]
    skipped_other_passage: int

    @property
    def empty(self) -> bool:
        return not self.answers

    @property
    def changed_answers(self) -> list[AnswerChange]:
        return [a for a in self.answers if a.changed]

    @property
    def questions(self) -> list[QuestionChange]:
        grouped: dict[str, list[AnswerChange]] = {}
        for change in self.answers:
            grouped.setdefault(change.question, []).append(change)
        return [
            QuestionChange(
                question=name,
                passage=changes[0].passage,
                answered_versions=tuple(sorted({c.answered_version for c in changes})),
                target_version=changes[0].target_version,
                answers=len(changes),
                changed=sum(1 for c in changes if c.changed),
            )
            for name, changes in grouped.items()
        ]

    @property
    def fingerprint(self) -> str:
        """Changes whenever the plan would do something else: the page's apply button carries it."""
        data = [
            [a.answer_id, a.graded_version_id, a.target_version_id, astuple(a.before), astuple(a.after)]
            for a in self.answers
        ]
        raw = json.dumps([self.quiz_slug, self.skipped_other_passage, data]).encode()
        return hashlib.sha256(raw).hexdigest()[:32]

    def lines(self) -> list[str]:
        """The plan as the command prints it."""
        lines: list[str] = []
        if self.empty:
            lines.append("Nothing to regrade: every answer is scored against its question's current key.")
        else:
            lines.append(
                f"{len(self.answers)} answer(s) to older versions are rescored against the current key; "
                f"{len(self.changed_answers)} change score."
            )
            for q in self.questions:
                seen = ", ".join(str(n) for n in q.answered_versions)
                lines.append(
                    f"  {q.question}: {q.answers} answer(s) to version {seen} rescored against "
                    f"version {q.target_version}; {q.changed} change score"
                )
            if self.students:
                lines.append("Scores that change, per student and quiz:")
                lines.extend(f"  {s.line()}" for s in self.students)
            else:
                lines.append("No student's score changes.")
        if self.skipped_other_passage:
            lines.append(
                f"Not regraded: {self.skipped_other_passage} answer(s) to an earlier passage "
                "(the student read a different text)."
            )
        return lines
