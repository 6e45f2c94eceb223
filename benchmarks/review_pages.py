"""How long do the review pages take for a large class?

    .venv/bin/python benchmarks/review_pages.py [students] [questions] [requests]

Defaults: 1,000 students x 60 answered questions, 15 timed requests per page;
the same students also took a 20-question post-test of that quiz.
Seeds a fresh database with benchmarks/seed.py (a temporary SQLite file, or the
database in QUIZAPP_DATABASE_URL), signs in through the real forms, and requests
every review page through the Flask test client (full request: routing, session,
queries, templates). Prints the wall-clock median and 95th percentile per page,
its median CPU time and the SQL statements it ran, next to a bare baseline
measured in the same run: a trivial route rendering a tiny template. SQLite runs
in this process, so CPU time is what a request costs even when other jobs share
the machine; the run exits 1 when a page's median CPU time is over 300 ms.
CSV downloads are timed too but have no budget: they grow with the data by design.
"""

from __future__ import annotations

import gc
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import seed

from quizapp import create_app
from quizapp.accounts.users import create_user
from quizapp.db import db
from quizapp.models import ADMIN, INSTRUCTOR, ClassInstructor

BUDGET_MS = 300.0
POST_TEST_QUESTIONS = 20
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def sign_in(client: FlaskClient, username: str, password: str) -> None:
    token = CSRF.search(client.get("/login").get_data(as_text=True))
    assert token
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token.group(1)})
    assert response.status_code == 302, f"could not sign in as {username}"


def measure(client: FlaskClient, path: str, requests: int, counter: list[int]) -> tuple[float, float, float, int, int]:
    """Median and 95th percentile wall-clock ms, median CPU ms, SQL statements, bytes."""
    response = client.get(path)  # warm-up: template compilation, caches
    assert response.status_code == 200, (path, response.status_code)
    response.get_data()  # read it whole: a streamed CSV runs its query while it is read
    wall, cpu = [], []
    statements = 0
    for _ in range(requests):
        counter[0] = 0
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        body = response.get_data()  # a streamed CSV is produced while it is read
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        statements = counter[0]
    p95 = statistics.quantiles(wall, n=20, method="inclusive")[18]
    return statistics.median(wall), p95, statistics.median(cpu), statements, len(body)


@dataclass
class PageTiming:
    name: str
    path: str
    median_ms: float
    p95_ms: float
    cpu_ms: float
    statements: int
    size: int

    @property
    def is_page(self) -> bool:
        """CSV downloads grow with the data by design; the tiny baseline is not a page."""
        return ".csv" not in self.path and self.path != "/_baseline"


def benchmark_app(folder_prefix: str) -> tuple[Flask, str, str]:
    """An app on an empty database (a temporary SQLite file, or QUIZAPP_DATABASE_URL) with the
    bare baseline route /_baseline; returns it, the database URL and a prefix for unique names."""
    workdir = tempfile.mkdtemp(prefix=folder_prefix)
    url = os.environ.get("QUIZAPP_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app({"SECRET_KEY": "benchmark-secret-key-long-enough", "SQLALCHEMY_DATABASE_URI": url})

    @app.route("/_baseline")
    def baseline() -> str:
        return render_template_string("<p>{{ word }}</p>", word="baseline")

    with app.app_context():
        db.create_all()
    return app, url, f"bench{int(time.time())}"


def measure_pages(
    students: int = 1000,
    questions: int = 60,
    requests: int = 15,
    log: Callable[[str], None] = print,
    only: Collection[str] = (),
) -> list[PageTiming]:
    """Seed a fresh database and time every review page (see the module's docstring),
    or only the pages named in `only` (and the baseline)."""
    app, url, prefix = benchmark_app("quizapp-bench-")
    with app.app_context():
        began = time.perf_counter()
        seeded = seed(db.engine, students=students, questions=questions, prefix=prefix)
        # A shorter post-test of that quiz, taken by the same students a month later (the learning page compares them).
        post = seed(
            db.engine,
            students=students,
            questions=POST_TEST_QUESTIONS,
            prefix=f"{prefix}post",
            start=datetime(2025, 2, 10, 8, 0),
            post_test_of=seeded,
        )
        seconds = time.perf_counter() - began
        # An admin sees every student, as every instructor did before roles; an
        # instructor sees the students of the classes they teach (here two of them).
        create_user(f"{prefix}-teacher", "teacher password", role=ADMIN)
        own = create_user(f"{prefix}-own", "teacher password", role=INSTRUCTOR)
        db.session.add_all(ClassInstructor(classroom_id=c, user_id=own.id) for c in seeded.classroom_ids[:2])
        db.session.commit()
        counter = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *args: counter.__setitem__(0, counter[0] + 1))
    log(
        f"database: {url.split('://')[0]}; seeded {students} students x {questions} questions = {seeded.answers} answers, "
        f"and a post-test of {POST_TEST_QUESTIONS} ({post.answers} answers) in {seconds:.1f} s"
    )

    teacher, own, student = app.test_client(), app.test_client(), app.test_client()
    sign_in(teacher, f"{prefix}-teacher", "teacher password")
    sign_in(own, f"{prefix}-own", "teacher password")
    sign_in(student, f"{prefix}-s00000", "benchmark password")
    quiz, question, user, classroom = (
        seeded.quiz_slug,
        seeded.question_ids[3],
        seeded.user_ids[0],
        seeded.classroom_ids[0],
    )
    pages = [
        (student, "/_baseline", "baseline: tiny template"),
        (student, "/results", "student: my results"),
        (student, "/results/answers", "student: my answers"),
        (teacher, "/instructor", "instructor home"),
        (teacher, f"/instructor?classroom={classroom}", "instructor home, one class"),
        (teacher, "/instructor/classes", "classes"),
        (teacher, f"/instructor/classes/{classroom}", "one class"),
        (teacher, f"/instructor/quizzes/{quiz}", "quiz overview"),
        (teacher, f"/instructor/quizzes/{quiz}?classroom={classroom}", "quiz overview, one class"),
        (teacher, f"/instructor/quizzes/{quiz}?start=2025-01-10&end=2025-01-20", "quiz overview, date range"),
        (teacher, f"/instructor/quizzes/{quiz}/students", "quiz: scores per student"),
        (teacher, f"/instructor/questions/{question}", "item analysis (question)"),
        (teacher, f"/instructor/questions/{question}/explanations", "explanations side by side"),
        (teacher, f"/instructor/quizzes/{quiz}/confusion", "confusion, class"),
        (teacher, f"/instructor/quizzes/{quiz}/confusion?student={user}", "confusion, one student"),
        (teacher, "/instructor/confusion", "confusion, every quiz"),
        (teacher, f"/instructor/students/{user}", "one student"),
        (teacher, "/instructor/learning", "learning, every student"),
        (teacher, f"/instructor/learning?classroom={classroom}", "learning, one class"),
        (teacher, f"/instructor/quizzes/{quiz}/items", "item statistics and reliability"),
        (teacher, f"/instructor/quizzes/{quiz}/items.csv", "CSV: item statistics (download)"),
        (teacher, f"/instructor/exports/scores.csv?quiz={quiz}", "CSV: scores (download)"),
        (teacher, f"/instructor/exports/answers.csv?quiz={quiz}", "CSV: every answer (download)"),
        (own, "/instructor", "instructor of 2 classes: home"),
        (own, f"/instructor/quizzes/{quiz}", "instructor of 2 classes: quiz overview"),
        (own, f"/instructor/questions/{question}/explanations", "instructor of 2 classes: explanations"),
        (own, f"/instructor/exports/answers.csv?quiz={quiz}", "instructor of 2 classes: CSV every answer"),
    ]
    # As a server process does after loading the app (quizapp/wsgi.py): what lives
    # as long as the process is kept out of the garbage collector's full passes.
    gc.collect()
    gc.freeze()
    timings = []
    try:
        for client, path, name in pages:
            if only and name not in only and path != "/_baseline":
                continue
            timings.append(PageTiming(name, path, *measure(client, path, requests, counter)))
    finally:
        gc.unfreeze()
    with app.app_context():
        db.engine.dispose()
    return timings


def main() -> int:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    questions = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    print(
        f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores (others' work slows every figure, the baseline too)"
    )
    timings = measure_pages(students, questions, requests)
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'SQL':>5} {'KB':>7}")
    over = [t.name for t in timings if t.is_page and t.cpu_ms > BUDGET_MS]
    for t in timings:
        mark = "  OVER BUDGET" if t.name in over else ""
        print(
            f"{t.name:40} {t.median_ms:10.1f} {t.p95_ms:8.1f} {t.cpu_ms:7.1f} {t.statements:5d} {t.size / 1024:7.0f}{mark}"
        )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"budget: {BUDGET_MS:.0f} ms median CPU time per page; {len(over)} page(s) over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
