"""Scoring rules: pure functions, no Flask, no database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FULL = 1.0
HALF = 0.5
NONE = 0.0


@dataclass(frozen=True)
class Scores:
    claim_type: float
    speaker: float
    evidence: float

    @property
    def total(self) -> float:
        return self.claim_type + self.speaker + self.evidence


def score_claim_type(chosen: str, key: str, accepted: Sequence[str]) -> float:
    """Full credit for the key, half for an alternate the instructor accepts."""
    if chosen == key:
        return FULL
    return HALF if chosen in accepted else NONE


def score_answer(
    *,
    claim_type: str,
    speaker: str,
    evidence: bool,
    key_claim_type: str,
    accepted: Sequence[str],
    key_speaker: str,
    key_evidence: bool,
) -> Scores:
    return Scores(
        claim_type=score_claim_type(claim_type, key_claim_type, accepted),
        speaker=FULL if speaker == key_speaker else NONE,
        evidence=FULL if evidence == key_evidence else NONE,
    )
