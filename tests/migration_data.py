"""Rows written straight into the tables of the first migration, as that release stored them.

The models describe the newest schema, so they cannot write a database that
is still at the first revision: these helpers use the tables as reflected from
the database itself. Question content comes from the test bank, stored as sync
stores it, so a sync after upgrading finds nothing to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, MetaData, Table, select
from werkzeug.security import generate_password_hash

from quizapp.bank.files.types import Bank

PASSWORD = "a password from long ago"
STUDENTS = ("ada", "Grace.H", "lin_2")
# (claim type, speaker, evidence) per question of the bridge quiz, one row per finished attempt
CHOICES = [
    [("factual", "outlet", False), ("opinion", "mayor", False), ("factual", "council", True)],
    [("opinion", "outlet", True), ("factual", "mayor", False), ("rule", "outlet", True)],
    [("factual", "mayor", False), ("opinion", "outlet", False), ("factual", "council", False)],
]
REASONS = ["No one is quoted, so the paper says it", "«disgrace» is a judgement — no data", ""]
START = datetime(2024, 3, 4, 9, 30, 15, 123456)


@dataclass(frozen=True)
class Filled:
    answers: int
    open_attempt_user: str  # this student left a quiz half done


def fill_first_revision(connection: Connection, bank: Bank) -> Filled:
    tables = MetaData()
    tables.reflect(connection)
    t = tables.tables
    assert bank.taxonomy is not None
    for kind, choices in (("claim_type", bank.taxonomy.claim_types), ("evidence_kind", bank.taxonomy.evidence_kinds)):
        for position, choice in enumerate(choices):
            _insert(
                connection,
                t["taxonomy_choice"],
                kind=kind,
                slug=choice.id,
                label=choice.label,
                definition=choice.definition,
                position=position,
                retired=False,
            )
    source_ids = {
        s.id: _insert(
            connection,
            t["source"],
            slug=s.id,
            title=s.title,
            genre=s.genre,
            publisher=s.publisher,
            author=s.author,
            date=s.date,
            note=s.note,
        )
        for s in bank.sources
    }
    [quiz] = bank.quizzes
    quiz_id = _insert(
        connection,
        t["quiz"],
        slug=quiz.id,
        title=quiz.title,
        description=quiz.description,
        path=quiz.path,
        ask_reason=quiz.ask_reason,
        feedback=quiz.feedback,
        speakers=[{"id": s.id, "label": s.label} for s in quiz.speakers],
        retired_at=None,
    )
    versions: list[tuple[int, int, Any]] = []  # (question id, version id, bank question)
    for position, q in enumerate(quiz.questions):
        question_id = _insert(
            connection,
            t["question"],
            quiz_id=quiz_id,
            slug=q.id,
            position=position,
            retired_at=None,
            current_version_id=None,
        )
        version_id = _insert(
            connection,
            t["question_version"],
            question_id=question_id,
            number=1,
            source_id=source_ids[q.source],
            passage=q.passage,
            claim_type=q.claim_type,
            accept=list(q.accept),
            speaker=q.speaker,
            speaker_choices=list(q.speaker_choices),
            evidence=q.evidence,
            evidence_kind=q.evidence_kind,
            explain_claim_type=q.explain.claim_type,
            explain_speaker=q.explain.speaker,
            explain_evidence=q.explain.evidence,
            line=q.line,
            created_at=START,
        )
        connection.execute(t["question"].update().filter_by(id=question_id).values(current_version_id=version_id))
        versions.append((question_id, version_id, q))

    answers = 0
    moment = START
    for number, username in enumerate(STUDENTS):
        user_id = _insert(
            connection,
            t["user"],
            username=username,
            password_hash=generate_password_hash(PASSWORD),
            role="student",
            created_at=START,
        )
        done = CHOICES[number] if number < 2 else CHOICES[number][:1]  # the third leaves after one answer
        moment += timedelta(minutes=7)
        attempt_id = _insert(
            connection, t["attempt"], user_id=user_id, quiz_id=quiz_id, started_at=moment, finished_at=None
        )
        for (question_id, version_id, q), (claim_type, speaker, evidence), reason in zip(
            versions, done, REASONS, strict=False
        ):
            moment += timedelta(seconds=41, microseconds=1)
            _insert(
                connection,
                t["answer"],
                attempt_id=attempt_id,
                question_id=question_id,
                question_version_id=version_id,
                claim_type=claim_type,
                speaker=speaker,
                evidence=evidence,
                reason=reason,
                answered_at=moment,
                # scored as that release scored them, by its rule: key 1, accepted alternate 0.5
                claim_type_score=1.0 if claim_type == q.claim_type else 0.5 if claim_type in q.accept else 0.0,
                speaker_score=1.0 if speaker == q.speaker else 0.0,
                evidence_score=1.0 if evidence == q.evidence else 0.0,
            )
            answers += 1
        if len(done) == len(versions):
            connection.execute(t["attempt"].update().filter_by(id=attempt_id).values(finished_at=moment))
    return Filled(answers=answers, open_attempt_user=STUDENTS[2])


def answers_as_stored(connection: Connection) -> list[tuple[object, ...]]:
    """Every answer with what identifies it, read from whatever tables the database has now."""
    tables = MetaData()
    tables.reflect(connection, only=["answer", "attempt", "user", "question", "question_version", "quiz"])
    t = tables.tables
    a, at, u, q, v, z = (t[n] for n in ("answer", "attempt", "user", "question", "question_version", "quiz"))
    rows = connection.execute(
        select(
            u.c.username,
            z.c.slug,
            q.c.slug,
            v.c.number,
            a.c.claim_type,
            a.c.speaker,
            a.c.evidence,
            a.c.reason,
            a.c.claim_type_score,
            a.c.speaker_score,
            a.c.evidence_score,
            a.c.answered_at,
            at.c.finished_at,
        )
        .join(at, a.c.attempt_id == at.c.id)
        .join(u, at.c.user_id == u.c.id)
        .join(q, a.c.question_id == q.c.id)
        .join(v, a.c.question_version_id == v.c.id)
        .join(z, at.c.quiz_id == z.c.id)
        .order_by(a.c.answered_at)
    )
    return [tuple(row) for row in rows]


def _insert(connection: Connection, table: Table, **values: Any) -> int:
    return int(connection.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())
