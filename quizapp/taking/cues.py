"""Cue words: the stretches of a passage that signal each part's key, cut into runs to mark.

A version stores its cues as offsets into its passage, part by part (sync does
it from the question file's `cues`). Feedback pages mark them; each part has a
number (its question's number on the question page) and an underline style of
its own, and a legend names both, so the marks never rely on colour alone. Cues
of different parts may overlap: the passage is cut wherever a cue starts or
ends, and each run knows every part that covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from quizapp.bank.files import PARTS

Cues = Mapping[str, Sequence[Sequence[int]]]


@dataclass(frozen=True)
class Part:
    """How one part's cues are marked."""

    key: str  # claim_type, speaker or evidence
    number: int  # its question's number on the question page
    name: str
    style: str  # the underline, in words for the legend

    @property
    def css(self) -> str:
        return "cue-" + self.key.replace("_", "-")


MARKED_PARTS = {
    part.key: part
    for part in (
        Part("claim_type", 1, "Claim type", "solid underline"),
        Part("speaker", 2, "Speaker", "double underline"),
        Part("evidence", 3, "Evidence", "dotted underline"),
    )
}


@dataclass(frozen=True)
class CueRun:
    text: str
    parts: tuple[Part, ...] = ()  # the parts whose cues cover this run, in part order
    starts: tuple[Part, ...] = ()  # parts with a cue that starts at this run
    ends: tuple[Part, ...] = ()  # parts with a cue that ends with this run


@dataclass(frozen=True)
class LegendEntry:
    part: Part
    words: tuple[str, ...]  # the part's cues, in the order given; none for a passage in its writer's voice


@dataclass(frozen=True)
class MarkedPassage:
    runs: tuple[CueRun, ...]
    legend: tuple[LegendEntry, ...]  # the parts that have cues, and the speaker, in part order


def marked_passage(passage: str, cues: Cues | None) -> MarkedPassage | None:
    """The passage in runs with the parts covering each; None when it has no cues."""
    found = [
        (MARKED_PARTS[part], int(span[0]), int(span[1]))
        for part in PARTS
        if part in MARKED_PARTS
        for span in (cues or {}).get(part, ())
        if 0 <= int(span[0]) < int(span[1]) <= len(passage)  # stored with this passage; checked all the same
    ]
    if not found:
        return None
    cuts = sorted({0, len(passage), *(start for _, start, _ in found), *(end for _, _, end in found)})
    runs = [
        CueRun(
            passage[start:end],
            parts=_unique(part for part, s, e in found if s <= start and end <= e),
            starts=_unique(part for part, s, _ in found if s == start),
            ends=_unique(part for part, _, e in found if e == end),
        )
        for start, end in pairwise(cuts)
    ]
    # The speaker is always in the legend: cues without a speaker cue say that no words
    # credit the passage to anyone but its writer (questions/README.md, "Cue words").
    legend = tuple(
        LegendEntry(part, tuple(passage[start:end] for p, start, end in found if p is part))
        for part in MARKED_PARTS.values()
        if part.key == "speaker" or any(p is part for p, _, _ in found)
    )
    return MarkedPassage(tuple(runs), legend)


def _unique(parts: Iterable[Part]) -> tuple[Part, ...]:
    return tuple(dict.fromkeys(parts))
