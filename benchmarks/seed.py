"""Fill a database quickly with students who answered a quiz, for benchmarks and scale tests.

    from seed import seed            # benchmarks/ on sys.path, or load this file by path
    seeded = seed(engine, students=1000, questions=60)

Bulk inserts (executemany) into whatever database `engine` points at (SQLite or
PostgreSQL), in one transaction. The tables must exist (db.create_all()). Each
call adds its own quiz, students, classes (25 students each) and one finished
attempt per student, named after `prefix`, so it can run on a database that
already holds data. Answers follow a simple ability/difficulty model, so scores
spread out, one claim-type confusion dominates (predictions read as opinions),
every answer says how sure the student was (stronger students more often "sure"),
and question 4 (index 3) behaves like a mis-keyed question: the strongest
students pick the same wrong choice. With `post_test_of` (an earlier call's
result) the quiz is that one's post-test, taken by the same students.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, bindparam, insert, select, update
from werkzeug.security import generate_password_hash

from quizapp.accounts.classrooms import new_code
from quizapp.models import (
    STUDENT,
    Answer,
    Attempt,
    ClassMembership,
    Classroom,
    Question,
    QuestionVersion,
    Quiz,
    Source,
    TaxonomyChoice,
    User,
    username_key,
)
from quizapp.taking.grading import score_answer

CLAIM_TYPES = ("factual", "cause-effect", "prediction", "rule", "opinion", "call-to-action", "not-a-claim")
SPEAKERS = ("outlet", "minister", "critics")
CLASS_SIZE = 25
MISKEYED = 3  # index of the question whose key the strong students disagree with
REASONS = (
    "",
    "",
    "It says what will happen, so it is a prediction.",
    "The word 'unacceptable' is a judgement.",
    "No one is quoted; the paper says it itself.",
    "It names the report, so there is evidence.",
    "Il cite un rapport officiel.",
    '=HYPERLINK("http://example.invalid") just checking',
    "Because of the quotation marks.",
    "The minister 'said', so it is the minister's claim.",
)
BATCH = 5000


@dataclass(frozen=True)
class Seeded:
    quiz_id: int
    quiz_slug: str
    question_ids: list[int]
    user_ids: list[int]
    classroom_ids: list[int]
    answers: int


def _ensure_taxonomy(conn) -> list[str]:  # type: ignore[no-untyped-def]
    table = TaxonomyChoice.__table__
    have = list(
        conn.execute(
            select(table.c.slug)
            .where(table.c.kind == "claim_type", table.c.retired.is_(False))
            .order_by(table.c.position)
        ).scalars()
    )
    if have:
        return have
    conn.execute(
        insert(table),
        [
            {
                "kind": "claim_type",
                "slug": slug,
                "label": slug.replace("-", " ").capitalize(),
                "definition": slug,
                "position": i,
                "retired": False,
            }
            for i, slug in enumerate(CLAIM_TYPES)
        ],
    )
    return list(CLAIM_TYPES)


def _batched(conn, table, rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[start : start + BATCH])


def seed(
    engine: Engine,
    *,
    students: int,
    questions: int,
    prefix: str = "bench",
    rng_seed: int = 5,
    start: datetime = datetime(2025, 1, 6, 8, 0),
    post_test_of: Seeded | None = None,
) -> Seeded:
    rng = random.Random(rng_seed)
    with engine.begin() as conn:
        claim_types = _ensure_taxonomy(conn)
        source_id = conn.execute(
            insert(Source.__table__)
            .values(slug=f"{prefix}-source", title=f"Benchmark source {prefix}", genre="news-report")
            .returning(Source.__table__.c.id)
        ).scalar_one()
        quiz_id = conn.execute(
            insert(Quiz.__table__)
            .values(
                slug=f"{prefix}-quiz",
                title=f"Benchmark quiz {prefix}",
                path=f"quizzes/{prefix}.yaml",
                ask_reason="optional",
                feedback="immediate",
                confidence="ask",
                post_test_of=post_test_of.quiz_slug if post_test_of else None,
                speakers=[{"id": s, "label": s.capitalize()} for s in SPEAKERS],
            )
            .returning(Quiz.__table__.c.id)
        ).scalar_one()

        conn.execute(
            insert(Question.__table__),
            [{"quiz_id": quiz_id, "slug": f"q{n + 1}", "position": n} for n in range(questions)],
        )
        question_ids = list(
            conn.execute(
                select(Question.__table__.c.id)
                .where(Question.__table__.c.quiz_id == quiz_id)
                .order_by(Question.__table__.c.position)
            ).scalars()
        )
        keys = [
            {
                "claim_type": claim_types[n % len(claim_types)],
                "accept": [claim_types[(n + 1) % len(claim_types)]] if n % 5 == 0 else [],
                "speaker": SPEAKERS[n % len(SPEAKERS)],
                "evidence": n % 2 == 0,
            }
            for n in range(questions)
        ]
        conn.execute(
            insert(QuestionVersion.__table__),
            [
                {
                    "question_id": qid,
                    "number": 1,
                    "source_id": source_id,
                    "passage": f"Passage {n + 1} of the benchmark quiz.",
                    "speaker_choices": list(SPEAKERS),
                    "evidence_kind": None,
                    "line": 10 + 14 * n,
                    "explain_claim_type": "Why the claim type.",
                    "explain_speaker": "Why the speaker.",
                    "explain_evidence": "Why the evidence.",
                    "created_at": start,
                    **keys[n],
                }
                for n, qid in enumerate(question_ids)
            ],
        )
        versions = dict(
            conn.execute(
                select(QuestionVersion.__table__.c.question_id, QuestionVersion.__table__.c.id).where(
                    QuestionVersion.__table__.c.question_id.in_(question_ids)
                )
            ).all()
        )
        questions_table = Question.__table__
        conn.execute(
            update(questions_table)
            .where(questions_table.c.id == bindparam("qid"))
            .values(current_version_id=bindparam("vid")),
            [{"qid": qid, "vid": versions[qid]} for qid in question_ids],
        )

        if post_test_of is not None:
            # The same students take this quiz after the other one: a post-test (pass a later `start`).
            user_ids, classroom_ids = post_test_of.user_ids, post_test_of.classroom_ids
        else:
            password_hash = generate_password_hash("benchmark password")  # one hash: scrypt is slow by design
            names = [f"{prefix}-s{i:05d}" for i in range(students)]
            _batched(
                conn,
                User.__table__,
                [
                    {
                        "username": name,
                        "username_key": username_key(name),
                        "password_hash": password_hash,
                        "role": STUDENT,
                        "created_at": start,
                    }
                    for name in names
                ],
            )
            users = dict(
                conn.execute(
                    select(User.__table__.c.username, User.__table__.c.id).where(User.__table__.c.username.in_(names))
                ).all()
            )
            user_ids = [users[name] for name in names]

            class_count = -(-students // CLASS_SIZE)
            class_names = [f"{prefix} class {c + 1}" for c in range(class_count)]
            if class_names:
                conn.execute(
                    insert(Classroom.__table__),
                    [{"name": name, "join_code": new_code(), "created_at": start} for name in class_names],
                )
            classes = dict(
                conn.execute(
                    select(Classroom.__table__.c.name, Classroom.__table__.c.id).where(
                        Classroom.__table__.c.name.in_(class_names)
                    )
                ).all()
            )
            classroom_ids = [classes[name] for name in class_names]
            _batched(
                conn,
                ClassMembership.__table__,
                [
                    {"classroom_id": classroom_ids[i // CLASS_SIZE], "user_id": uid, "joined_at": start}
                    for i, uid in enumerate(user_ids)
                ],
            )

        began = {uid: start + timedelta(days=i % 30, minutes=i % 600) for i, uid in enumerate(user_ids)}
        _batched(
            conn,
            Attempt.__table__,
            [
                {
                    "user_id": uid,
                    "quiz_id": quiz_id,
                    "started_at": began[uid],
                    "finished_at": began[uid] + timedelta(seconds=40 * questions),
                }
                for uid in user_ids
            ],
        )
        attempts = dict(
            conn.execute(
                select(Attempt.__table__.c.user_id, Attempt.__table__.c.id).where(
                    Attempt.__table__.c.quiz_id == quiz_id
                )
            ).all()
        )

        difficulty = [rng.gauss(-0.6, 0.9) for _ in range(questions)]
        rows: list[dict[str, object]] = []
        for uid in user_ids:
            ability = rng.gauss(0, 1)
            for n, qid in enumerate(question_ids):
                rows.append(
                    _answer(
                        rng,
                        ability,
                        difficulty[n],
                        n,
                        keys[n],
                        claim_types,
                        attempts[uid],
                        qid,
                        versions[qid],
                        began[uid],
                    )
                )
        _batched(conn, Answer.__table__, rows)
    return Seeded(quiz_id, f"{prefix}-quiz", question_ids, user_ids, classroom_ids, len(rows))


def _answer(rng, ability, difficulty, n, key, claim_types, attempt_id, question_id, version_id, began):  # type: ignore[no-untyped-def]
    def knows(offset: float) -> bool:
        return rng.random() < 1 / (1 + math.exp(-(ability - difficulty - offset)))

    claim_type = key["claim_type"]
    if n == MISKEYED:
        # The strongest readers agree on another answer than the file's key.
        claim_type = (
            claim_types[(n + 2) % len(claim_types)]
            if knows(0)
            else claim_type
            if rng.random() < 0.6
            else rng.choice(claim_types)
        )
    elif not knows(0):
        confusable = "opinion" if claim_type == "prediction" and "opinion" in claim_types else None
        claim_type = (
            confusable
            if confusable and rng.random() < 0.7
            else rng.choice([c for c in claim_types if c != key["claim_type"]])
        )
    # Stated confidence grows with ability, with noise: stronger students tend to say "sure".
    confidence = 90 if knows(0.3) else 75 if rng.random() < 0.5 else 50
    speaker = key["speaker"] if knows(-0.4) else rng.choice([s for s in SPEAKERS if s != key["speaker"]])
    evidence = key["evidence"] if knows(-0.2) else not key["evidence"]
    scores = score_answer(
        claim_type=claim_type,
        speaker=speaker,
        evidence=evidence,
        key_claim_type=key["claim_type"],
        accepted=key["accept"],
        key_speaker=key["speaker"],
        key_evidence=key["evidence"],
    )
    return {
        "attempt_id": attempt_id,
        "question_id": question_id,
        "question_version_id": version_id,
        "claim_type": claim_type,
        "speaker": speaker,
        "evidence": evidence,
        "reason": rng.choice(REASONS),
        "claim_type_score": scores.claim_type,
        "speaker_score": scores.speaker,
        "evidence_score": scores.evidence,
        "confidence": confidence,
        "answered_at": began + timedelta(seconds=40 * n + 30),
    }
