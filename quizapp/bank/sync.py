"""Put a validated question bank into the database.

Sync never deletes: a question or quiz that left the files is retired (hidden
from students, kept for review), and a changed key or passage becomes a new
version so that earlier answers keep the version they answered. A quiz file
with problems leaves its quiz exactly as it was stored.

Two things keep a sync of a large bank fast:

- A quiz file unchanged since it last synced cleanly is not parsed again
  (load_for_sync passes the stored fingerprints to the loader; see
  bank/fingerprint.py). Its stored quiz stands as it is, and its questions
  count as unchanged.
- New questions and versions are written in a few bulk statements once every
  quiz has been compared (_NewRows), not as one tracked object each.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.orm import selectinload

from quizapp import models
from quizapp.bank.files import load_bank
from quizapp.bank.files import types as bank
from quizapp.bank.files.limits import LoadLimits
from quizapp.db import SessionLike, db, table_of
from quizapp.models import utcnow
from quizapp.taking import snapshot

# Fields a wording edit may change in place: answers keep their scores.
WORDING_FIELDS = (
    "explain_claim_type",
    "explain_speaker",
    "explain_evidence",
    "speaker_choices",
    "evidence_kind",
    "source_id",
    "line",
    "cues",
    "relayed_by",
)
# Where the passage sits in its source text: follows the source's text file, which
# the instructor edited (or an upgrade that began to record it), not the question.
# Kept up to date in place without counting the question as updated.
LOCATION_FIELDS = ("source_text_id", "source_spans")


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    files_with_errors: list[str] = field(default_factory=list)
    skipped_everything: bool = False  # taxonomy or sources had problems

    @property
    def changed(self) -> bool:
        return bool(self.added or self.new_versions or self.updated or self.retired)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, new versions {len(self.new_versions)}, "
            f"updated {len(self.updated)}, retired {len(self.retired)}, "
            f"unchanged {self.unchanged}, files with errors {len(self.files_with_errors)}"
        )

    def by_kind(self) -> str:
        """What changed in questions and in quizzes, counted apart (summary() counts every row:
        sources and claim types too), in the words of the Question bank page."""

        def questions(names: list[str]) -> int:
            return sum("/" in name for name in names)  # "quiz-id/question-id"

        def quizzes(names: list[str]) -> int:
            return sum(name.startswith("quiz ") for name in names)

        return (
            f"questions added {questions(self.added)}, new versions {len(self.new_versions)}, "
            f"updated {questions(self.updated)}, retired {questions(self.retired)}, unchanged {self.unchanged}; "
            f"quizzes added {quizzes(self.added)}, updated {quizzes(self.updated)}, retired {quizzes(self.retired)}; "
            f"files with errors {len(self.files_with_errors)}"
        )


def synced_files(session: SessionLike) -> dict[str, bank.SyncedFile]:
    """Path -> fingerprint and quiz id of each live quiz whose file last synced cleanly.

    A retired quiz offers none: a deleted file put back must sync again to
    bring its quiz back. A path two live quizzes claim (possible only after a
    broken file kept one) offers none either, so its file is validated.
    """
    rows = session.execute(
        db.select(models.Quiz.path, models.Quiz.file_fingerprint, models.Quiz.slug, models.Quiz.post_test_of).where(
            models.Quiz.retired_at.is_(None), models.Quiz.file_fingerprint.is_not(None)
        )
    )
    found: dict[str, bank.SyncedFile] = {}
    claimed_twice: set[str] = set()
    for path, fingerprint, slug, post_test_of in rows:
        if path in found:
            claimed_twice.add(path)
        found[path] = bank.SyncedFile(fingerprint, slug, post_test_of)
    for path in claimed_twice:
        del found[path]
    return found


def load_for_sync(session: SessionLike, questions_dir: Path, limits: LoadLimits | None = None) -> bank.Bank:
    """Load the bank for sync_bank, skipping the files that have not changed since they last synced.

    Not for `questions check` or stats: a skipped file's quiz is not in the result.
    """
    return load_bank(questions_dir, synced=synced_files(session), limits=limits)


def sync_bank(session: SessionLike, loaded: bank.Bank, *, commit: bool = True) -> SyncReport:
    """Apply `loaded` to the database and commit; returns what changed.

    With commit=False everything is rolled back: the report then says what a
    sync would change (the Question bank page shows it before "Sync now").
    """
    report = SyncReport(files_with_errors=[f.path for f in loaded.files if not f.ok])
    if not loaded.usable or loaded.taxonomy is None:
        report.skipped_everything = True
        return report
    _sync_taxonomy(session, loaded.taxonomy, report)
    sources = _sync_sources(session, loaded.sources, report)
    # Only the texts some loaded passage was found in: a text whose only quiz file is
    # broken leaves the database as it was, like that file.
    used = {q.source for quiz in loaded.quizzes for q in quiz.questions if q.source_spans}
    texts = _sync_source_texts(session, {s: t for s, t in loaded.source_texts.items() if s in used}, sources)
    places = _Places(sources, texts)
    protected = _quizzes_kept_by_broken_files(loaded)
    unchanged_ids = {f.quiz_id for f in loaded.files if f.unchanged_since_sync and f.quiz_id}
    fingerprints = {f.path: f.fingerprint for f in loaded.files}
    stored = {q.slug: q for q in session.scalars(db.select(models.Quiz))}
    questions = _stored_questions(session, [stored[q.id].id for q in loaded.quizzes if q.id in stored])
    new_rows = _NewRows()
    for quiz in loaded.quizzes:
        row = stored.get(quiz.id)
        stored_questions = questions.get(row.id, []) if row else []
        row = _sync_quiz(session, quiz, row, stored_questions, places, new_rows, report)
        _remember_fingerprint(row, fingerprints.get(quiz.path))
    report.unchanged += _live_question_count(session, [stored[slug].id for slug in unchanged_ids if slug in stored])
    loaded_ids = {q.id for q in loaded.quizzes} | unchanged_ids
    for slug, stored_quiz in stored.items():
        if slug in loaded_ids or stored_quiz.retired_at is not None:
            continue
        if slug in protected or stored_quiz.path in protected:
            continue
        stored_quiz.retired_at = utcnow()
        report.retired.append(f"quiz {slug}")
    new_rows.write(session)
    if commit:
        session.commit()
    else:
        session.rollback()
    return report


def _stored_questions(session: SessionLike, quiz_ids: list[int]) -> dict[int, list[models.Question]]:
    """Quiz id -> its questions in position order, with their current versions.

    Only for the quizzes whose files were loaded: a skipped file's questions are
    never read. A few queries in all, not one or two per question.
    """
    found: dict[int, list[models.Question]] = defaultdict(list)
    for chunk in _chunks(sorted(quiz_ids)):
        query = (
            db.select(models.Question)
            .where(models.Question.quiz_id.in_(chunk))
            .order_by(models.Question.quiz_id, models.Question.position, models.Question.id)
            .options(selectinload(models.Question.current_version))
        )
        for question in session.scalars(query):
            found[question.quiz_id].append(question)
    return found


def _live_question_count(session: SessionLike, quiz_ids: list[int]) -> int:
    """How many questions of these quizzes are live: a skipped file's questions, all unchanged."""
    total = 0
    for chunk in _chunks(sorted(quiz_ids)):
        total += (
            session.scalar(
                db.select(func.count()).where(models.Question.quiz_id.in_(chunk), models.Question.retired_at.is_(None))
            )
            or 0
        )
    return total


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    """`ids` in slices small enough for any database's limit on bound parameters."""
    return (ids[start : start + size] for start in range(0, len(ids), size))


def _remember_fingerprint(row: models.Quiz, fingerprint: str | None) -> None:
    """Store the file's fingerprint for the next sync. Not reported as a change:
    it is a cache, and a new taxonomy changes every file's fingerprint."""
    if fingerprint is not None and row.file_fingerprint != fingerprint:
        row.file_fingerprint = fingerprint


def _quizzes_kept_by_broken_files(loaded: bank.Bank) -> set[str]:
    """Slugs and paths of quizzes whose file exists but failed to load: leave them as stored."""
    kept: set[str] = set()
    for report in loaded.files:
        if report.kind is bank.FileKind.QUIZ and not report.ok:
            kept.add(report.path)
            if report.quiz_id:
                kept.add(report.quiz_id)
    return kept


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set only what differs, so an unchanged file writes nothing."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _sync_taxonomy(session: SessionLike, taxonomy: bank.Taxonomy, report: SyncReport) -> None:
    stored = {(c.kind, c.slug): c for c in session.scalars(db.select(models.TaxonomyChoice))}
    seen = set()
    for kind, choices in (("claim_type", taxonomy.claim_types), ("evidence_kind", taxonomy.evidence_kinds)):
        for position, choice in enumerate(choices):
            seen.add((kind, choice.id))
            values = {"label": choice.label, "definition": choice.definition, "position": position, "retired": False}
            row = stored.get((kind, choice.id))
            if row is None:
                session.add(models.TaxonomyChoice(kind=kind, slug=choice.id, **values))
                report.added.append(f"{kind} {choice.id}")
            elif _assign(row, values):
                report.updated.append(f"{kind} {choice.id}")
    for key, row in stored.items():
        if key not in seen and not row.retired:
            row.retired = True
            report.retired.append(f"{key[0]} {key[1]}")


def _sync_sources(
    session: SessionLike, sources: tuple[bank.Source, ...], report: SyncReport
) -> dict[str, models.Source]:
    stored = {s.slug: s for s in session.scalars(db.select(models.Source))}
    for source in sources:
        values = {
            "title": source.title,
            "genre": source.genre,
            "publisher": source.publisher,
            "author": source.author,
            "date": source.date,
            "note": source.note,
            "presents": source.presents,
        }
        row = stored.get(source.id)
        if row is None:
            row = models.Source(slug=source.id, **values)
            session.add(row)
            stored[source.id] = row
            report.added.append(f"source {source.id}")
        elif _assign(row, values):
            report.updated.append(f"source {source.id}")
    session.flush()
    return stored


def _sync_source_texts(
    session: SessionLike, texts: Mapping[str, str], sources: dict[str, models.Source]
) -> dict[str, int]:
    """Source slug -> the id of the row holding its text as read now.

    A text seen before (same source, same SHA-256) reuses its row; an edited one
    gets a new row, and the old one stays for the versions synced against it.
    """
    known = {
        (source_id, sha256): text_id
        for text_id, source_id, sha256 in session.execute(
            db.select(models.SourceText.id, models.SourceText.source_id, models.SourceText.sha256)
        )
    }
    added: dict[str, models.SourceText] = {}
    found: dict[str, int] = {}
    for slug, body in texts.items():
        source = sources[slug]
        sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
        text_id = known.get((source.id, sha256))
        if text_id is None:
            added[slug] = models.SourceText(source_id=source.id, sha256=sha256, body=body)
            session.add(added[slug])
        else:
            found[slug] = text_id
    if added:
        session.flush()
        found.update({slug: row.id for slug, row in added.items()})
    return found


@dataclass(frozen=True)
class _Places:
    """Rows a question version points at: its source, and the source's text as read now."""

    sources: dict[str, models.Source]
    texts: dict[str, int]


def _sync_quiz(
    session: SessionLike,
    quiz: bank.Quiz,
    row: models.Quiz | None,
    stored_questions: list[models.Question],
    places: _Places,
    new_rows: _NewRows,
    report: SyncReport,
) -> models.Quiz:
    values = {
        "title": quiz.title,
        "description": quiz.description,
        "path": quiz.path,
        "ask_reason": quiz.ask_reason,
        "feedback": quiz.feedback,
        "position": quiz.position,
        "confidence": quiz.confidence,
        "post_test_of": quiz.post_test_of,
        "context": quiz.context,
        "speakers": [{"id": s.id, "label": s.label} for s in quiz.speakers],
        "retired_at": None,
    }
    if row is None:
        row = models.Quiz(slug=quiz.id, **values)
        session.add(row)
        report.added.append(f"quiz {quiz.id}")
    elif _assign(row, values):
        report.updated.append(f"quiz {quiz.id}")

    stored = {q.slug: q for q in stored_questions}
    for position, question in enumerate(quiz.questions):
        name = f"{quiz.id}/{question.id}"
        content = _version_values(question, places)
        stored_question = stored.get(question.id)
        if stored_question is None:
            new_rows.add_question(row, question.id, position, content)
            report.added.append(name)
            continue
        placement_changed = _assign(stored_question, {"position": position, "retired_at": None})
        current = stored_question.current_version
        if current is None or _key_of(current) != question.key():
            number = 1 + (current.number if current else 0)
            new_rows.add_version(row, stored_question, number, content)
            report.new_versions.append(name)
            continue
        _assign(current, {k: content[k] for k in LOCATION_FIELDS})
        if _assign(current, {k: content[k] for k in WORDING_FIELDS}) or placement_changed:
            report.updated.append(name)
        else:
            report.unchanged += 1

    current_ids = {q.id for q in quiz.questions}
    for slug, stored_question in stored.items():
        if slug not in current_ids and stored_question.retired_at is None:
            stored_question.retired_at = utcnow()
            report.retired.append(f"{quiz.id}/{slug}")
    return row


def _version_values(question: bank.Question, places: _Places) -> dict[str, Any]:
    text_id = places.texts.get(question.source) if question.source_spans else None
    cues: dict[str, list[list[int]]] = {}
    for cue in question.cues:
        cues.setdefault(cue.part, []).append([cue.start, cue.end])
    return {
        "source_id": places.sources[question.source].id,
        "passage": question.passage,
        "claim_type": question.claim_type,
        "accept": list(question.accept),
        "speaker": question.speaker,
        "speaker_choices": list(question.speaker_choices),
        "evidence": question.evidence,
        "evidence_kind": question.evidence_kind,
        "explain_claim_type": question.explain.claim_type,
        "explain_speaker": question.explain.speaker,
        "explain_evidence": question.explain.evidence,
        "line": question.line,
        "source_text_id": text_id,
        "source_spans": [list(span) for span in question.source_spans] if text_id is not None else None,
        "cues": cues or None,
        "relayed_by": question.relayed_by,
    }


def _key_of(version: models.QuestionVersion) -> tuple[object, ...]:
    """The same tuple as bank.Question.key(), read from a stored version."""
    return (
        version.passage,
        version.claim_type,
        tuple(sorted(version.accept)),
        version.speaker,
        version.evidence,
    )


@dataclass
class _NewRows:
    """New questions and versions, written in a few bulk statements after every quiz was compared.

    Why not session.add() per row: the ORM then builds a tracked object per
    row and, on SQLite, inserts them one statement at a time (it needs each
    new key back, and SQLite cannot return a batch's keys in order). For a
    first sync of 10,000 questions that was most of the time. Plain
    executemany statements write the same rows, in the same order, at a
    fraction of the cost. The rows are not in the session; commit or rollback
    expires what it holds anyway.
    """

    # (quiz row, slug, position): quiz rows may still be pending, without an id.
    questions: list[tuple[models.Quiz, str, int]] = field(default_factory=list)
    # (quiz row, question slug, version number, column values)
    versions: list[tuple[models.Quiz, str, int, dict[str, Any]]] = field(default_factory=list)
    # (quiz id, question slug) -> id, for questions that exist already
    question_ids: dict[tuple[int, str], int] = field(default_factory=dict)

    def add_question(self, quiz: models.Quiz, slug: str, position: int, content: dict[str, Any]) -> None:
        self.questions.append((quiz, slug, position))
        self.versions.append((quiz, slug, 1, content))

    def add_version(self, quiz: models.Quiz, question: models.Question, number: int, content: dict[str, Any]) -> None:
        """A new current version of a stored question (its key or passage changed)."""
        self.question_ids[(quiz.id, question.slug)] = question.id
        self.versions.append((quiz, question.slug, number, content))

    def write(self, session: SessionLike) -> None:
        if not self.versions:
            return
        session.flush()  # new quizzes get their ids; other changes go first, as before
        question_table = table_of(models.Question)
        version_table = table_of(models.QuestionVersion)
        if self.questions:
            session.execute(
                insert(question_table),
                [
                    {"quiz_id": quiz.id, "slug": slug, "position": position, "retired_at": None}
                    for quiz, slug, position in self.questions
                ],
            )
            self._find_new_question_ids(session)
        ids = [self.question_ids[(quiz.id, slug)] for quiz, slug, _number, _content in self.versions]
        session.execute(
            insert(version_table),
            [
                {"question_id": question_id, "number": number, **content}
                for question_id, (_quiz, _slug, number, content) in zip(ids, self.versions, strict=True)
            ],
        )
        # Point each question at the version just written: (question, number) is unique.
        version = version_table.c
        made = (
            db.select(version.id)
            .where(version.question_id == bindparam("b_question"), version.number == bindparam("b_number"))
            .scalar_subquery()
        )
        session.execute(
            update(question_table)
            .where(question_table.c.id == bindparam("b_question"))
            .values(current_version_id=made),
            [
                {"b_question": question_id, "b_number": number}
                for question_id, (_quiz, _slug, number, _content) in zip(ids, self.versions, strict=True)
            ],
        )
        snapshot.stamp_bank_change(session)  # these statements bypass the flush that stamps by itself

    def _find_new_question_ids(self, session: SessionLike) -> None:
        """The ids of the questions just inserted, found among those without a current version.

        (quiz id, slug) is unique, so a question that was without one already
        (it gets a version through add_version) maps to its own id too.
        """
        rows = session.execute(
            db.select(models.Question.id, models.Question.quiz_id, models.Question.slug).where(
                models.Question.current_version_id.is_(None)
            )
        )
        for question_id, quiz_id, slug in rows:
            self.question_ids.setdefault((quiz_id, slug), question_id)
