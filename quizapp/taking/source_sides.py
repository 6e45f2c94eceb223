"""Whose side the texts behind the live quizzes present, as the quiz list discloses it.

Students meet the bank on the quiz list, so it says there, before any passage,
whether every text comes from one side of the dispute. The words come from
sources.yaml (`presents`), counted over the sources of live questions only: a
source no live question quotes any more says nothing about what students read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Question, QuestionVersion, Quiz, Source


@dataclass(frozen=True)
class SourceSides:
    texts: int  # distinct sources quoted by live questions
    sides: tuple[tuple[str, int], ...]  # (a `presents` value, how many of those texts), most texts first
    not_stated: int  # texts whose `presents` is not given

    @property
    def one_side_only(self) -> bool:
        """Every text presents the same side, and each says so: then "none presents another" holds."""
        return len(self.sides) == 1 and self.not_stated == 0

    def sentence(self) -> str:
        """What the quiz list says, in plain text ("" when no live question quotes any text)."""
        where = "these passages come from"
        if not self.texts:
            return ""
        if self.one_side_only:
            side = self.sides[0][0]
            if self.texts == 1:
                return f"The one text {where} presents {side}."
            return f"All {self.texts} texts {where} present {side}; none of them presents another side or an independent account."
        if not self.sides:
            if self.texts == 1:
                return f"This bank does not say whose side the text {where} presents."
            return f"This bank does not say whose side the {self.texts} texts {where} present."
        parts = [f"{count} {'presents' if count == 1 else 'present'} {side}" for side, count in self.sides]
        if self.not_stated:
            verb = "it presents" if self.not_stated == 1 else "they present"
            parts.append(f"for {self.not_stated} this bank does not say whose side {verb}")
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"Of the {self.texts} texts {where}, {listed}."


def live_source_sides() -> SourceSides:
    rows = db.session.execute(
        select(Source.id, Source.presents)
        .distinct()
        .join(QuestionVersion, QuestionVersion.source_id == Source.id)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .where(Question.retired_at.is_(None), Quiz.retired_at.is_(None))
    ).all()
    counts = Counter(presents for _id, presents in rows if presents)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return SourceSides(texts=len(rows), sides=tuple(ordered), not_stated=sum(1 for _id, p in rows if not p))
