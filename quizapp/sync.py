"""Put a validated question bank into the database.

Sync never deletes: a question or quiz that left the files is retired (hidden
from students, kept for review), and a changed key or passage becomes a new
version so that earlier answers keep the version they answered. A quiz file
with problems leaves its quiz exactly as it was stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, selectinload

from . import models
from .bank import types as bank
from .db import db
from .models import utcnow

# Fields a wording edit may change in place: answers keep their scores.
WORDING_FIELDS = (
    "explain_claim_type",
    "explain_speaker",
    "explain_evidence",
    "speaker_choices",
    "evidence_kind",
    "source_id",
    "line",
)


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


def sync_bank(session: Session, loaded: bank.Bank, *, commit: bool = True) -> SyncReport:
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
    protected = _quizzes_kept_by_broken_files(loaded)
    # Questions and their current versions in two queries, not two per question.
    eager = selectinload(models.Quiz.questions).selectinload(models.Question.current_version)
    stored = {q.slug: q for q in session.scalars(db.select(models.Quiz).options(eager))}
    for quiz in loaded.quizzes:
        _sync_quiz(session, quiz, stored.get(quiz.id), sources, report)
    loaded_ids = {q.id for q in loaded.quizzes}
    for slug, stored_quiz in stored.items():
        if slug in loaded_ids or stored_quiz.retired_at is not None:
            continue
        if slug in protected or stored_quiz.path in protected:
            continue
        stored_quiz.retired_at = utcnow()
        report.retired.append(f"quiz {slug}")
    if commit:
        session.commit()
    else:
        session.rollback()
    return report


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


def _sync_taxonomy(session: Session, taxonomy: bank.Taxonomy, report: SyncReport) -> None:
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
    session: Session, sources: tuple[bank.Source, ...], report: SyncReport
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


def _sync_quiz(
    session: Session,
    quiz: bank.Quiz,
    row: models.Quiz | None,
    sources: dict[str, models.Source],
    report: SyncReport,
) -> None:
    values = {
        "title": quiz.title,
        "description": quiz.description,
        "path": quiz.path,
        "ask_reason": quiz.ask_reason,
        "feedback": quiz.feedback,
        "speakers": [{"id": s.id, "label": s.label} for s in quiz.speakers],
        "retired_at": None,
    }
    if row is None:
        row = models.Quiz(slug=quiz.id, **values)
        session.add(row)
        session.flush()
        report.added.append(f"quiz {quiz.id}")
    elif _assign(row, values):
        report.updated.append(f"quiz {quiz.id}")

    stored = {q.slug: q for q in row.questions}
    for position, question in enumerate(quiz.questions):
        name = f"{quiz.id}/{question.id}"
        content = _version_values(question, sources)
        stored_question = stored.get(question.id)
        if stored_question is None:
            stored_question = models.Question(quiz=row, slug=question.id, position=position)
            session.add(stored_question)
            _add_version(session, stored_question, 1, content)
            report.added.append(name)
            continue
        placement_changed = _assign(stored_question, {"position": position, "retired_at": None})
        current = stored_question.current_version
        if current is None or _key_of(current) != question.key():
            number = 1 + (current.number if current else 0)
            _add_version(session, stored_question, number, content)
            report.new_versions.append(name)
        elif _assign(current, {k: content[k] for k in WORDING_FIELDS}) or placement_changed:
            report.updated.append(name)
        else:
            report.unchanged += 1

    current_ids = {q.id for q in quiz.questions}
    for slug, stored_question in stored.items():
        if slug not in current_ids and stored_question.retired_at is None:
            stored_question.retired_at = utcnow()
            report.retired.append(f"{quiz.id}/{slug}")


def _version_values(question: bank.Question, sources: dict[str, models.Source]) -> dict[str, Any]:
    return {
        "source_id": sources[question.source].id,
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


def _add_version(
    session: Session, question: models.Question, number: int, content: dict[str, Any]
) -> None:
    version = models.QuestionVersion(question=question, number=number, **content)
    session.add(version)
    session.flush()
    question.current_version = version
