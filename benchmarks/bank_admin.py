"""What the Question bank features cost, each next to a bare baseline measured in the same run.

    PYTHONPATH=. python benchmarks/bank_admin.py [students]

1. Debug auto-sync: a page request with the folder check (DEBUG on, nothing changed)
   against the same request with DEBUG off, for the bundled bank and for a bank of
   1,000 quiz files.
2. The Question bank page (load + validate every file, a rolled-back sync, the
   regrade preview) against the instructor home page, on the bundled bank.
3. Regrade: dry run and apply after a key change, with `students` (default 300)
   students who each answered every bundled question, against a plain
   SELECT of all answers.

Prints figures only; nothing here passes or fails.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from quizapp import create_app
from quizapp.accounts.users import create_user, hash_password
from quizapp.bank.files import load_bank
from quizapp.bank.regrade import apply_regrade, plan_regrade
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import INSTRUCTOR, Answer, Attempt, Question, User, username_key

sys.path.insert(0, str(Path(__file__).parent))
from load_bank import build_bank

BUNDLED = Path(__file__).resolve().parent.parent / "questions"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def make_app(tmp: Path, questions: Path) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark-secret-key-long-enough",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "QUESTIONS_DIR": questions,
        }
    )
    with app.app_context():
        db.create_all()
        sync_bank(db.session, load_bank(questions))
    return app


def signed_in_instructor(app: Flask) -> FlaskClient:
    with app.app_context():
        create_user("bench-teacher", "bench password", role=INSTRUCTOR)
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True))
    assert token
    client.post(
        "/login", data={"username": "bench-teacher", "password": "bench password", "csrf_token": token.group(1)}
    )
    return client


def debug_overhead(tmp: Path, label: str, questions: Path) -> None:
    app = make_app(tmp, questions)
    client = app.test_client()
    app.config["DEBUG"] = False
    bare = median_ms(lambda: client.get("/login"), 200)
    app.config["DEBUG"] = True
    client.get("/login")  # the first look syncs once
    watched = median_ms(lambda: client.get("/login"), 200)
    files = sum(1 for p in questions.rglob("*") if p.is_file())
    print(
        f"debug auto-sync, {label} ({files} files): GET /login {bare:.2f} ms bare, {watched:.2f} ms with the folder check "
        f"(+{watched - bare:.2f} ms per request)"
    )
    with app.app_context():
        db.engine.dispose()


def bank_page(tmp: Path) -> None:
    app = make_app(tmp, BUNDLED)
    client = signed_in_instructor(app)
    home = median_ms(lambda: client.get("/instructor"), 30)
    page = median_ms(lambda: client.get("/instructor/bank"), 30)
    preview = median_ms(lambda: client.get("/instructor/bank/quizzes/caspian-pace"), 30)
    print(
        f"pages, bundled bank: /instructor {home:.1f} ms (baseline), /instructor/bank {page:.1f} ms, "
        f"quiz preview {preview:.1f} ms"
    )
    with app.app_context():
        db.engine.dispose()


def regrade_cost(tmp: Path, students: int) -> None:
    questions = tmp / "questions"
    shutil.copytree(BUNDLED, questions)
    app = make_app(tmp, questions)
    with app.app_context():
        live = db.session.execute(select(Question.id, Question.quiz_id, Question.current_version_id)).all()
        password = hash_password("x")  # one hash: scrypt per student would dominate the set-up
        db.session.execute(
            insert(User),
            [
                {"username": f"s{n}", "username_key": username_key(f"s{n}"), "password_hash": password}
                for n in range(students)
            ],
        )
        user_ids = db.session.scalars(select(User.id)).all()
        quiz_ids = sorted({q for _, q, _ in live})
        db.session.execute(insert(Attempt), [{"user_id": u, "quiz_id": q} for u in user_ids for q in quiz_ids])
        attempt_of = {(a.user_id, a.quiz_id): a.id for a in db.session.scalars(select(Attempt))}
        rows = [
            {
                "attempt_id": attempt_of[(u, quiz)],
                "question_id": qid,
                "question_version_id": vid,
                "claim_type": ("factual", "opinion", "rule")[(u + qid) % 3],
                "speaker": "outlet",
                "evidence": (u + qid) % 2 == 0,
                "reason": "",
                "claim_type_score": 0.0,
                "speaker_score": 0.0,
                "evidence_score": 0.0,
            }
            for u in user_ids
            for qid, quiz, vid in live
        ]
        db.session.execute(insert(Answer), rows)
        db.session.commit()
    # Change every key in one file: all its stored answers now belong to an older version.
    path = questions / "quizzes" / "caspian-pace.yaml"
    text = path.read_text()
    path.write_text(
        re.sub(r"^(\s+evidence: )no$", r"\1yes", text, flags=re.M).replace(
            "evidence_kind: null", "evidence_kind: document"
        )
    )
    with app.app_context():
        report = sync_bank(db.session, load_bank(questions))
        baseline = median_ms(lambda: db.session.execute(select(Answer)).all(), 3)
        start = time.perf_counter()
        plan = plan_regrade()
        dry = 1000 * (time.perf_counter() - start)
        db.session.rollback()
        start = time.perf_counter()
        applied, record = apply_regrade(None, by="bench", via="command")
        apply_ms = 1000 * (time.perf_counter() - start)
        assert record is not None and len(applied.answers) == len(plan.answers)
        print(
            f"regrade, {students} students x {len(live)} questions = {len(rows)} answers, "
            f"{len(report.new_versions)} new versions: SELECT of every answer {baseline:.0f} ms (baseline), "
            f"dry run {dry:.0f} ms, apply {apply_ms:.0f} ms "
            f"({len(plan.answers)} answers rescored, {len(plan.changed_answers)} changed, {len(plan.students)} student scores)"
        )
        db.engine.dispose()


def main(argv: list[str]) -> int:
    students = int(argv[1]) if len(argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a").mkdir()
        debug_overhead(root / "a", "bundled bank", BUNDLED)
        (root / "b").mkdir()
        debug_overhead(root / "b", "1,000 quiz files", build_bank(root / "big", files=1000, questions=2))
        (root / "c").mkdir()
        bank_page(root / "c")
        (root / "d").mkdir()
        regrade_cost(root / "d", students)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
