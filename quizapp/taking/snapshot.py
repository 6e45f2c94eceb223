"""What students are shown of the question bank, read once per server process.

The question page and answer submission are the busiest requests by far, and
what they show of a quiz (its questions in order, each current version with its
source, the claim types) changes only when the bank is synced. So each process
keeps a read-only snapshot per quiz and reads it again only when the bank's
revision stamp has changed. Every flush that adds, changes or deletes a bank row
writes a new random stamp in the same transaction (see `_stamp_bank_changes`),
so every process and every server sees a change as soon as it is committed. A
random stamp rather than a counter: a database rebuilt from scratch (tests do
this) counts from the start again, and a counter would then match old snapshots. The
snapshots are plain frozen records, never ORM rows, so threads and sessions
cannot share database state through them.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any

from markupsafe import Markup
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session, joinedload

from quizapp.db import SessionLike, db, table_of
from quizapp.models import BankRevision, Question, QuestionVersion, Quiz, Source, SourceText, TaxonomyChoice

BANK_MODELS = (Quiz, Question, QuestionVersion, Source, SourceText, TaxonomyChoice)


@dataclass(frozen=True)
class SourceView:
    title: str
    genre: str
    publisher: str | None
    author: str | None
    date: str | None
    presents: str | None  # whose side the text presents, shown beside the passage


@dataclass(frozen=True)
class VersionView:
    id: int
    question_id: int
    passage: str
    claim_type: str
    accept: tuple[str, ...]
    speaker: str
    speaker_choices: tuple[str, ...]
    evidence: bool
    source: SourceView
    in_source: bool  # can the passage be shown inside its source text (see context.py)?


@dataclass(frozen=True)
class ClaimType:
    slug: str
    label: str
    definition: str


@dataclass(frozen=True)
class QuizView:
    id: int
    slug: str
    title: str
    ask_reason: str
    feedback: str
    confidence: str  # "ask": each answer also says how sure the student is
    context: str  # where the passage-in-its-source link shows: always, after (answering) or off
    retired_at: datetime | None
    speakers: tuple[tuple[str, str], ...]  # (id, label) in file order
    current: dict[int, VersionView]  # live question id -> its current version, in quiz order
    claim_types: tuple[ClaimType, ...]
    # The question page's answer fields per version id, rendered once per snapshot (see quiz.py).
    rendered_fields: dict[int, Markup] = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> tuple[int, ...]:
        """The live question ids in quiz order."""
        return tuple(self.current)

    def speaker_label(self, speaker_id: str) -> str:
        return next((label for sid, label in self.speakers if sid == speaker_id), speaker_id)

    def version(self, version_id: int) -> VersionView | None:
        """A current version of a live question of this quiz, by id."""
        return next((v for v in self.current.values() if v.id == version_id), None)


_lock = threading.Lock()
_snapshots: dict[tuple[str, int], tuple[str, QuizView]] = {}  # (database URL, quiz id) -> (stamp, view)


def revision_column() -> Any:
    """The bank's revision stamp as a scalar subquery, read with another query at no extra cost."""
    revisions = table_of(BankRevision)  # Core columns: ORM ones would make the enclosing query an ORM one
    return select(revisions.c.stamp).where(revisions.c.id == 1).scalar_subquery()


def quiz_view(quiz_id: int, revision: str | None) -> QuizView:
    """The quiz as students see it now; `revision` is the stamp read in this request
    (None when no bank change was ever stamped: then it is read afresh every time)."""
    key = (str(db.engine.url), quiz_id)
    kept = _snapshots.get(key)
    if kept is not None and revision is not None and kept[0] == revision:
        return kept[1]
    view = _read_quiz(quiz_id)
    if revision is not None:
        with _lock:
            _snapshots[key] = (revision, view)
    return view


def _read_quiz(quiz_id: int) -> QuizView:
    quiz = db.session.get(Quiz, quiz_id)
    assert quiz is not None, "attempts reference their quiz with a foreign key"
    questions = db.session.scalars(
        select(Question)
        .where(Question.quiz_id == quiz_id, Question.retired_at.is_(None))
        .order_by(Question.position)
        .options(joinedload(Question.current_version).joinedload(QuestionVersion.source))
    ).all()
    current = {q.id: _version_view(q.current_version) for q in questions if q.current_version is not None}
    return QuizView(
        id=quiz.id,
        slug=quiz.slug,
        title=quiz.title,
        ask_reason=quiz.ask_reason,
        feedback=quiz.feedback,
        confidence=quiz.confidence,
        context=quiz.context,
        retired_at=quiz.retired_at,
        speakers=tuple((s["id"], s["label"]) for s in quiz.speakers),
        current=current,
        claim_types=claim_types(),
    )


def claim_types() -> tuple[ClaimType, ...]:
    """The claim types students choose from, in the taxonomy's order."""
    rows = db.session.execute(
        select(TaxonomyChoice.slug, TaxonomyChoice.label, TaxonomyChoice.definition)
        .filter_by(kind="claim_type", retired=False)
        .order_by(TaxonomyChoice.position)
    )
    return tuple(ClaimType(*row) for row in rows)


def _version_view(version: QuestionVersion) -> VersionView:
    source = version.source
    return VersionView(
        id=version.id,
        question_id=version.question_id,
        passage=version.passage,
        claim_type=version.claim_type,
        accept=tuple(version.accept),
        speaker=version.speaker,
        speaker_choices=tuple(version.speaker_choices),
        evidence=version.evidence,
        source=SourceView(source.title, source.genre, source.publisher, source.author, source.date, source.presents),
        in_source=version.in_source,
    )


@event.listens_for(Session, "before_flush")
def _stamp_bank_changes(session: Session, _context: Any, _instances: Iterable[Any] | None) -> None:
    """Any flush that writes a bank row also writes a new stamp, in the same transaction."""
    touched = chain(session.new, session.deleted, (o for o in session.dirty if session.is_modified(o)))
    if any(isinstance(row, BANK_MODELS) for row in touched):
        stamp_bank_change(session)


def stamp_bank_change(session: SessionLike) -> None:
    """Write a new stamp. Flushes do this by themselves; code that writes bank rows
    with plain INSERT or UPDATE statements (sync's bulk writes) must call it."""
    stamp = uuid.uuid4().hex
    stamped = session.execute(update(BankRevision).where(BankRevision.id == 1).values(stamp=stamp))
    if stamped.rowcount == 0:  # type: ignore[attr-defined]  # the first change ever
        session.execute(insert(BankRevision).values(id=1, stamp=stamp))
