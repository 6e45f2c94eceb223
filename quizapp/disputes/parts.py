"""The three parts of a key as disputes see them: their names, a key's value, the answers to argue for.

Every value is text: a claim type id, a speaker id, or "yes"/"no" for evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from quizapp.models.disputes import PARTS

# A part in a route: any other word is "not found".
IN_URL = "<any(claim_type, speaker, evidence):part>"
PART_ORDER = {part: index for index, part in enumerate(PARTS)}
NAMES = {"claim_type": "Claim type", "speaker": "Speaker", "evidence": "Evidence"}
# As a sentence says it: "the claim type key", "the speaker key", "the evidence key".
IN_A_SENTENCE = {"claim_type": "claim type", "speaker": "speaker", "evidence": "evidence"}
YES_NO = ("yes", "no")


class Keyed(Protocol):
    """A question version, as stored or as kept in a snapshot."""

    @property
    def claim_type(self) -> str: ...
    @property
    def accept(self) -> Sequence[str]: ...
    @property
    def speaker(self) -> str: ...
    @property
    def speaker_choices(self) -> Sequence[str]: ...
    @property
    def evidence(self) -> bool: ...


class Answered(Protocol):
    @property
    def claim_type(self) -> str: ...
    @property
    def speaker(self) -> str: ...
    @property
    def evidence(self) -> bool: ...


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def key_of(version: Keyed, part: str) -> str:
    """The key of one part of a version."""
    if part == "evidence":
        return yes_no(version.evidence)
    return str(getattr(version, part))


def chosen(answer: Answered, part: str) -> str:
    """What a student chose for one part."""
    if part == "evidence":
        return yes_no(answer.evidence)
    return str(getattr(answer, part))


def options(version: Keyed, part: str, claim_types: Sequence[str]) -> list[str]:
    """The answers a student may argue for: that part's choices other than the key."""
    key = key_of(version, part)
    if part == "claim_type":
        every = list(claim_types)
    elif part == "speaker":
        every = list(version.speaker_choices)
    else:
        every = list(YES_NO)
    return [value for value in every if value != key]


def carries(version: Keyed, part: str, answer: str, as_alternate: bool) -> bool:
    """Does this version's key say what accepting `answer` asked for?"""
    if as_alternate:
        return answer in version.accept
    return key_of(version, part) == answer


class Speakers(Protocol):
    def speaker_label(self, speaker_id: str) -> str: ...


def label(part: str, value: str, quiz: Speakers, claim_labels: dict[str, str]) -> str:
    """How a page names a value of a part: a claim type's or speaker's label, Yes or No."""
    if part == "claim_type":
        return claim_labels.get(value, value)
    if part == "speaker":
        return quiz.speaker_label(value)
    return value.capitalize()
