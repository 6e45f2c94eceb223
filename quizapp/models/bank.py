"""Tables of the question bank as synced from the files. Question content is versioned."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, QueryableAttribute, mapped_column, relationship

from quizapp.db import JSONDocument, Model, utcnow


class TaxonomyChoice(Model):
    """A claim type or evidence kind, kept so old answers still show their labels."""

    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "claim_type" or "evidence_kind"
    slug: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)


class Source(Model):
    """A text passages are quoted from, as sources.yaml describes it. Every column but
    the id and slug shows on the source card (taking/context.py: card_rows): a field
    added to sources.yaml and stored here by sync shows there with no change to the card."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    genre: Mapped[str] = mapped_column(String(32))
    publisher: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    # Whose side of the dispute the text presents (sources.yaml `presents`),
    # shown beside every passage quoted from it.
    presents: Mapped[str | None] = mapped_column(String(200), default=None)


class SourceText(Model):
    """A source's text file as one sync read it, so a passage can be shown inside it.

    An edited file gives a new row; versions synced against the old text keep
    pointing at it, and with it at the offsets they were found at.
    """

    __table_args__ = (UniqueConstraint("source_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    sha256: Mapped[str] = mapped_column(String(64))  # of the body, as UTF-8
    body: Mapped[str] = mapped_column(Text)  # newlines normalised: offsets count characters of this
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Quiz(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str] = mapped_column(String(500))
    ask_reason: Mapped[str] = mapped_column(String(16), default="optional")
    feedback: Mapped[str] = mapped_column(String(16), default="immediate")
    # "ask": each answer also says how sure the student is (Answer.confidence).
    confidence: Mapped[str] = mapped_column(String(16), default="off", server_default="off")
    # The slug of the quiz this one is the post-test of; compared on the review pages.
    post_test_of: Mapped[str | None] = mapped_column(String(64), default=None)
    # Where students get the link to a passage inside its source: "always", "after" or "off".
    context: Mapped[str] = mapped_column(String(16), default="always", server_default="always")
    # [{"id": ..., "label": ...}] in file order; the labels students choose from.
    speakers: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument, default=list)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
    # SHA-256 (hex) of the quiz file as it last synced cleanly, together with the
    # taxonomy, sources and texts it was checked against (bank/fingerprint.py).
    # A cache: while the file at `path` still matches it, a sync skips parsing it.
    file_fingerprint: Mapped[str | None] = mapped_column(String(64), default=None)
    # The quiz file's `position`: the quiz list shows quizzes by it, then by title.
    position: Mapped[int | None] = mapped_column(default=None)

    questions: Mapped[list[Question]] = relationship(back_populates="quiz", order_by="Question.position")

    def speaker_label(self, speaker_id: str) -> str:
        return next((s["label"] for s in self.speakers if s["id"] == speaker_id), speaker_id)

    @classmethod
    def list_order(cls) -> tuple[ColumnElement[Any] | QueryableAttribute[Any], ...]:
        """How quiz lists are sorted: by position, then title; quizzes without a position
        after those with one. (IS NULL first, because databases disagree on where NULLs sort.)"""
        return (cls.position.is_(None), cls.position, cls.title)


class Question(Model):
    """A question's identity: (quiz, slug). Its content lives in versions."""

    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    slug: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
    current_version_id: Mapped[int | None] = mapped_column(ForeignKey("question_version.id", use_alter=True))

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)


class QuestionVersion(Model):
    """What a student answered. A new version is made whenever a key or the passage changes."""

    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    number: Mapped[int] = mapped_column(default=1)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    passage: Mapped[str] = mapped_column(Text)
    claim_type: Mapped[str] = mapped_column(String(64))
    accept: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    speaker: Mapped[str] = mapped_column(String(64))
    speaker_choices: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    evidence: Mapped[bool] = mapped_column()
    evidence_kind: Mapped[str | None] = mapped_column(String(64))
    explain_claim_type: Mapped[str] = mapped_column(Text)
    explain_speaker: Mapped[str] = mapped_column(Text)
    explain_evidence: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where the passage sits in its source: the text as synced, and [[start, end], ...]
    # per piece between cuts (character offsets into it). None: no text file to show.
    source_text_id: Mapped[int | None] = mapped_column(ForeignKey("source_text.id"), default=None)
    source_spans: Mapped[list[list[int]] | None] = mapped_column(JSONDocument, default=None)
    # {"claim_type": [[start, end], ...], ...}: the words of the passage that signal
    # each part's key, as offsets into the passage. None: no cues given.
    cues: Mapped[dict[str, list[list[int]]] | None] = mapped_column(JSONDocument, default=None)
    # A speaker (of the quiz) who quotes or summarises the keyed speaker's words.
    relayed_by: Mapped[str | None] = mapped_column(String(64), default=None)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    source: Mapped[Source] = relationship()

    @property
    def in_source(self) -> bool:
        """Can the passage be shown inside its source text?"""
        return bool(self.source_spans) and self.source_text_id is not None


class BankRevision(Model):
    """One row whose stamp changes with every change to the question bank, so that
    server processes know when what they keep of it is out of date (taking/snapshot.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
