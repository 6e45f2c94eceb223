"""Confusion matrices: what the key said (rows) against what students chose (columns)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from quizapp.db import db
from quizapp.models import Answer, QuestionVersion, Quiz, TaxonomyChoice
from quizapp.review.filters import Scope
from quizapp.review.question_stats import answer_conditions
from quizapp.taking.answer_keys import counts_by_scored_version


@dataclass(frozen=True)
class Confusion:
    keyed: str
    chosen: str
    count: int
    share: float  # of the answers to passages with this key


@dataclass
class Matrix:
    labels: list[tuple[str, str]]  # (id, label) for rows and columns, in order
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (keyed, chosen) -> answers

    def label(self, choice: str) -> str:
        return next((label for slug, label in self.labels if slug == choice), choice)

    def cell(self, keyed: str, chosen: str) -> int:
        return self.counts.get((keyed, chosen), 0)

    def row_total(self, keyed: str) -> int:
        return sum(n for (k, _c), n in self.counts.items() if k == keyed)

    def share(self, keyed: str, chosen: str) -> float:
        total = self.row_total(keyed)
        return self.cell(keyed, chosen) / total if total else 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def correct(self) -> int:
        return sum(n for (k, c), n in self.counts.items() if k == c)

    def heat(self, keyed: str, chosen: str) -> int:
        """0..4, for shading a cell; the numbers are always written in it too."""
        share = self.share(keyed, chosen)
        return 0 if share == 0 else 1 if share <= 0.1 else 2 if share <= 0.25 else 3 if share <= 0.5 else 4

    def top_confusions(self, limit: int = 3) -> list[Confusion]:
        wrong = [(k, c, n) for (k, c), n in self.counts.items() if k != c and n]
        wrong.sort(key=lambda item: (-item[2], item[0], item[1]))
        return [Confusion(k, c, n, self.share(k, c)) for k, c, n in wrong[:limit]]


def _claim_type_labels() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(TaxonomyChoice.slug, TaxonomyChoice.label)
        .filter_by(kind="claim_type")
        .order_by(TaxonomyChoice.retired, TaxonomyChoice.position)
    )
    return [(slug, label) for slug, label in rows]


def _with_unlisted(labels: list[tuple[str, str]], counts: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """Ids that answers use but the list lacks (a retired choice) get a row and column too."""
    known = {slug for slug, _ in labels}
    extra = sorted({s for pair in counts for s in pair} - known)
    return labels + [(slug, slug) for slug in extra]


def matrices(scope: Scope, quiz: Quiz | None = None, user_id: int | None = None) -> tuple[Matrix, Matrix | None]:
    """Claim type and (for one quiz; speakers are named per quiz) speaker, in one statement.

    Answers are counted per version scored against (see answer_keys) and choice,
    and only those counts are joined to the versions for their keys.
    """
    counted = counts_by_scored_version(
        answer_conditions(scope, quiz_id=quiz.id if quiz else None, user_id=user_id), Answer.claim_type, Answer.speaker
    )
    rows = db.session.execute(
        select(
            QuestionVersion.claim_type,
            counted.c.claim_type,
            QuestionVersion.speaker,
            counted.c.speaker,
            func.sum(counted.c.n),
        )
        .join(counted, counted.c.version_id == QuestionVersion.id)
        .group_by(QuestionVersion.claim_type, counted.c.claim_type, QuestionVersion.speaker, counted.c.speaker)
    )
    claims: dict[tuple[str, str], int] = {}
    speakers: dict[tuple[str, str], int] = {}
    for key_claim, chosen_claim, key_speaker, chosen_speaker, n in rows:
        claims[(key_claim, chosen_claim)] = claims.get((key_claim, chosen_claim), 0) + int(n)
        speakers[(key_speaker, chosen_speaker)] = speakers.get((key_speaker, chosen_speaker), 0) + int(n)
    claim_matrix = Matrix(_with_unlisted(_claim_type_labels(), claims), claims)
    if quiz is None:
        return claim_matrix, None
    speaker_labels = [(s["id"], s["label"]) for s in quiz.speakers]
    return claim_matrix, Matrix(_with_unlisted(speaker_labels, speakers), speakers)
