"""A passage inside its source: who may see it there, and the paragraphs around it.

Sync stores, with each question version, the source's text as read and where each
piece of the passage (between its cuts) occurs in it (bank/sync.py). This module
reads no question file and matches nothing again: it cuts the stored text into
paragraphs and marks the stored places.

The page shows the source and never the key (no cue words, no speaker), so a
student may open it while answering; a quiz file decides whether the link shows
then (`context: always`), only on the feedback page (`after`) or not at all (`off`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import inspect, select

from quizapp.db import db
from quizapp.models import Answer, Attempt, Quiz, Source, User

AROUND = 3  # paragraphs shown before and after the passage, unless the whole text is asked for
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")  # a blank line (spaces allowed) and whatever space follows

# Labels of the source card, in this order. Every other column of Source shows as
# well (after these, under its own name), so a field added to sources.yaml and to
# Source appears on the card without a change here; a label here only names it.
CARD_LABELS = {
    "publisher": "Publisher",
    "author": "Author",
    "genre": "Genre",
    "date": "Date",
    "note": "About this source",
    "presents": "Whose side it presents",
}
_NOT_ON_CARD = frozenset({"id", "slug", "title"})  # the title heads the card


def card_rows(source: Source) -> list[tuple[str, str]]:
    """(label, value) for every source field that has a value, labelled ones first."""
    columns = [attribute.key for attribute in inspect(Source).column_attrs]
    named = [name for name in CARD_LABELS if name in columns]
    others = [name for name in columns if name not in CARD_LABELS and name not in _NOT_ON_CARD]
    rows = []
    for name in named + others:
        value = getattr(source, name)
        if value is not None and str(value).strip():
            rows.append((CARD_LABELS.get(name, name.replace("_", " ").capitalize()), str(value)))
    return rows


def student_may_see(user: User, quiz: Quiz, question_live: bool, version_id: int) -> bool:
    """May this student open the version's passage in its source?

    While the quiz links it from the question page: when the version is the one
    students get now. Otherwise (or also) once they have answered it where they
    may see feedback: the quiz gives it after each answer, the attempt is
    finished, or the quiz was withdrawn (its summary shows every answer).
    """
    if quiz.context == "off":
        return False
    if quiz.context == "always" and question_live and quiz.retired_at is None:
        return True
    feedback_shown = quiz.feedback == "immediate" or quiz.retired_at is not None
    answered = db.session.scalar(
        select(Answer.id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(
            Answer.question_version_id == version_id,
            Attempt.user_id == user.id,
            *([] if feedback_shown else [Attempt.finished_at.is_not(None)]),
        )
        .limit(1)
    )
    return answered is not None


@dataclass(frozen=True)
class Run:
    """A stretch of one paragraph: plain text, or (part of) a piece of the passage."""

    text: str
    piece: int | None = None  # 0-based piece of the passage this stretch shows, if any
    anchor: bool = False  # where the view starts: the first stretch of the first piece
    before: str = ""  # read out before the stretch (a screen reader hears where a piece starts)
    after: str = ""  # ...and after it (where it ends)


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, in the whole text
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Excerpt:
    paragraphs: tuple[Paragraph, ...]  # the ones shown
    total: int  # paragraphs in the whole text
    pieces: int  # pieces of the passage, one per cut plus one

    @property
    def whole(self) -> bool:
        return len(self.paragraphs) == self.total

    @property
    def omitted_before(self) -> str:
        """Says which paragraphs above the shown ones are left out ('' when none)."""
        return _omitted(1, self.paragraphs[0].number - 1) if self.paragraphs else ""

    @property
    def omitted_after(self) -> str:
        return _omitted(self.paragraphs[-1].number + 1, self.total) if self.paragraphs else ""


def _omitted(first: int, last: int) -> str:
    if last < first:
        return ""
    return f"[Paragraph {first} not shown]" if first == last else f"[Paragraphs {first} to {last} not shown]"


def paragraphs_of(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of the text: stretches between blank lines, trimmed."""
    found = []
    start = 0
    for gap in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = gap.start() if gap else len(body)
        text = body[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            found.append((start + lead, start + len(text.rstrip())))
        if gap:
            start = gap.end()
    return found


def excerpt(body: str, spans: Sequence[Sequence[int]], whole: bool = False) -> Excerpt:
    """The paragraphs around the passage (every paragraph when `whole`), each piece marked."""
    paragraphs = paragraphs_of(body)
    pieces = [(int(start), int(end)) for start, end in spans]
    labels = [_piece_labels(n, len(pieces)) for n in range(len(pieces))]
    holding = [i for i, (start, end) in enumerate(paragraphs) if any(s < end and e > start for s, e in pieces)]
    first, last = (holding[0], holding[-1]) if holding else (0, len(paragraphs) - 1)
    shown = range(len(paragraphs)) if whole else range(max(0, first - AROUND), min(len(paragraphs), last + AROUND + 1))
    out = []
    for index in shown:
        start, end = paragraphs[index]
        out.append(Paragraph(index + 1, tuple(_runs(body, start, end, pieces, labels))))
    return Excerpt(tuple(out), len(paragraphs), len(pieces))


def _runs(body: str, start: int, end: int, pieces: list[tuple[int, int]], labels: list[tuple[str, str]]) -> list[Run]:
    runs = []
    position = start
    for n, (piece_start, piece_end) in enumerate(pieces):
        if piece_end <= start or piece_start >= end:
            continue
        inside = max(piece_start, start), min(piece_end, end)
        if inside[0] > position:
            runs.append(Run(body[position : inside[0]]))
        opens, closes = inside[0] == piece_start, inside[1] == piece_end
        runs.append(
            Run(
                body[inside[0] : inside[1]],
                piece=n,
                anchor=opens and n == 0,
                before=labels[n][0] if opens else "",
                after=labels[n][1] if closes else "",
            )
        )
        position = inside[1]
    if position < end:
        runs.append(Run(body[position:end]))
    return runs


def _piece_labels(n: int, count: int) -> tuple[str, str]:
    """What a screen reader hears where a piece starts and ends (a <mark> itself is silent)."""
    if count == 1:
        return "[Start of the quoted passage] ", " [End of the quoted passage]"
    return f"[Start of the quoted passage, part {n + 1} of {count}] ", f" [End of part {n + 1} of {count}]"
