"""What disputes cost: the instructors' queue, the count in the navigation, and the student pages that show them.

    .venv/bin/python benchmarks/disputes.py [students] [disputes] [requests]

Defaults: 1,000 students x 60 answered questions (benchmarks/seed.py), 1,200
open disputes from students who missed the claim type or speaker of ten
questions, 15 timed requests per page. One instructor teaches 4 of the 40
classes (100 students), another the other 36.
Pages are requested through the Flask test client beside a baseline measured in
the same run (a tiny template), as in review_pages.py. The instructor home page
is timed twice, with and without the open-dispute count in the navigation: the
difference is what the count adds to every page an instructor opens.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from review_pages import BUDGET_MS, PageTiming, benchmark_app, measure, sign_in
from seed import seed

from quizapp.accounts.users import create_user
from quizapp.db import db, table_of
from quizapp.disputes import queue
from quizapp.models import INSTRUCTOR, Answer, Attempt, ClassInstructor, Classroom, Dispute, User

DISPUTED_QUESTIONS = 10
TEACHERS = ("4 classes", "36 classes")
NO_COUNT = "no-count:"
REASON = "The passage says what someone must do, so it reads as a call to action to me."


def seed_disputes(students: int, count: int, prefix: str) -> tuple[str, int, str]:
    """Disputes from students whose answers missed the key; returns the quiz's slug, the most disputed
    question's id and the name of a student who disputed."""
    seeded = seed(db.engine, students=students, questions=60, prefix=prefix)
    rng = random.Random(11)
    questions = seeded.question_ids[:DISPUTED_QUESTIONS]
    rows = db.session.execute(
        select(Answer.id, Attempt.user_id, Answer.question_id, Answer.question_version_id, Answer.claim_type)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Answer.question_id.in_(questions), Answer.claim_type_score == 0)
        .order_by(Answer.id)
    ).all()
    rng.shuffle(rows)
    disputes = [
        {
            "answer_id": answer,
            "user_id": user,
            "question_id": question,
            "version_id": version,
            "part": "claim_type",
            "key": "factual",
            "argued_for": claim_type,
            "reason": REASON,
            "status": "open",
        }
        for answer, user, question, version, claim_type in rows[:count]
    ]
    db.session.execute(insert(table_of(Dispute)), disputes)
    db.session.commit()
    busiest = max(questions, key=lambda q: sum(1 for d in disputes if d["question_id"] == q))
    student = db.session.get(User, disputes[0]["user_id"])
    assert student is not None
    return seeded.quiz_slug, busiest, student.username


@dataclass
class Measured:
    timings: list[PageTiming]
    count_query_ms: dict[str, float]  # teacher -> median wall ms of the count's query alone
    seen: dict[str, int]  # teacher -> open disputes they see
    disputes: int


def measure_disputes(students: int = 1000, count: int = 1200, requests: int = 15) -> Measured:
    """Seed a fresh database and time the pages (see the module's docstring)."""
    app, _url, prefix = benchmark_app("quizapp-disputes-")
    with app.app_context():
        quiz_slug, question_id, student_name = seed_disputes(students, count, prefix)
        teachers = {name: create_user(f"{prefix}-{name}", "teacher password", role=INSTRUCTOR).id for name in TEACHERS}
        classes = db.session.scalars(select(Classroom.id).order_by(Classroom.id)).all()
        # Who teaches a class is who sees its disputes: the first 4 classes one teacher, the rest another.
        db.session.add_all(
            ClassInstructor(classroom_id=c, user_id=teachers["4 classes" if n < 4 else "36 classes"])
            for n, c in enumerate(classes)
        )
        db.session.commit()
        seen = {name: queue.open_count(teacher) for name, teacher in teachers.items()}
        disputes = db.session.scalar(select(func.count()).select_from(Dispute)) or 0
        counter = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *args: counter.__setitem__(0, counter[0] + 1))

    few, many, student = app.test_client(), app.test_client(), app.test_client()
    sign_in(few, f"{prefix}-4 classes", "teacher password")
    sign_in(many, f"{prefix}-36 classes", "teacher password")
    sign_in(student, student_name, "benchmark password")
    pages = [
        (student, "/_baseline", "baseline: tiny template"),
        (few, "/instructor", "instructor home, with the count"),
        (few, NO_COUNT + "/instructor", "instructor home, without the count"),
        (few, "/instructor/disputes", "queue, teacher of 4 classes"),
        (many, "/instructor/disputes", "queue, teacher of 36 classes"),
        (many, f"/instructor/disputes?classroom={classes[-1]}", "queue, one class"),
        (many, f"/instructor/disputes/questions/{question_id}/claim_type", "one question part"),
        (many, f"/instructor/quizzes/{quiz_slug}", "quiz overview, with the flags"),
        (student, "/results", "student: my results"),
        (student, "/results/answers", "student: my answers (60)"),
    ]
    gc.collect()
    gc.freeze()
    timings = []
    count_global = app.jinja_env.globals["open_dispute_count"]
    try:
        for client, path, name in pages:
            # Without the count: the menu's function answers None at once, as for a student.
            app.jinja_env.globals["open_dispute_count"] = (lambda: None) if path.startswith(NO_COUNT) else count_global
            timings.append(PageTiming(name, path, *measure(client, path.removeprefix(NO_COUNT), requests, counter)))
    finally:
        gc.unfreeze()
    query_ms = {}
    with app.app_context():
        for name, teacher in teachers.items():
            wall = []
            for _ in range(200):
                began = time.perf_counter()
                queue.open_count(teacher)
                wall.append((time.perf_counter() - began) * 1000)
            query_ms[name] = statistics.median(wall)
        db.engine.dispose()
    return Measured(timings, query_ms, seen, disputes)


def main() -> int:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1200
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    measured = measure_disputes(students, count, requests)
    seen = ", ".join(f"the teacher of {name} sees {n}" for name, n in measured.seen.items())
    print(f"{students} students x 60 answers, {measured.disputes} open disputes; {seen}")
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'SQL':>5} {'KB':>7}")
    over = [t.name for t in measured.timings if t.path != "/_baseline" and t.cpu_ms > BUDGET_MS]
    for t in measured.timings:
        mark = "  OVER BUDGET" if t.name in over else ""
        print(
            f"{t.name:40} {t.median_ms:10.1f} {t.p95_ms:8.1f} {t.cpu_ms:7.1f} {t.statements:5d} {t.size / 1024:7.0f}{mark}"
        )
    for name, ms in measured.count_query_ms.items():
        print(f"the count's query alone, teacher of {name}: median {ms:.2f} ms")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"budget: {BUDGET_MS:.0f} ms median CPU time per page; {len(over)} page(s) over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
