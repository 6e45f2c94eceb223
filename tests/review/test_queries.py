"""The number of SQL statements a review page runs does not grow with the class.

The same pages are requested on a class of 2 and of 20 students (seeded with
benchmarks/seed.py, which the page benchmark uses too) and the statements are
counted with SQLAlchemy's before_cursor_execute event, by an admin (who sees
everyone) and by an instructor (who sees the students of the class they teach:
one more condition in the same statements, not more statements). Timing is
measured by benchmarks/review_pages.py, not here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from flask import Flask
from sqlalchemy import event, select

from quizapp.db import db
from quizapp.models import ADMIN, ClassInstructor, User

from ..databases import DatabaseSupply
from ..support import Actor
from .support import make_app, sign_in_instructor


def load_seed() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "seed.py"
    spec = importlib.util.spec_from_file_location("review_seed", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def pages(seeded: object) -> list[str]:
    quiz, question = seeded.quiz_slug, seeded.question_ids[3]  # type: ignore[attr-defined]
    student, classroom = seeded.user_ids[0], seeded.classroom_ids[0]  # type: ignore[attr-defined]
    return [
        "/instructor",
        f"/instructor?classroom={classroom}",
        "/instructor/classes",
        f"/instructor/classes/{classroom}",
        f"/instructor/quizzes/{quiz}",
        f"/instructor/quizzes/{quiz}?start=2025-01-01&end=2025-12-31",
        f"/instructor/quizzes/{quiz}/students",
        f"/instructor/quizzes/{quiz}/confusion",
        f"/instructor/quizzes/{quiz}/confusion?student={student}",
        "/instructor/confusion",
        f"/instructor/questions/{question}",
        f"/instructor/questions/{question}/explanations",
        f"/instructor/students/{student}",
        f"/instructor/exports/scores.csv?quiz={quiz}",
        f"/instructor/exports/answers.csv?quiz={quiz}",
        "/instructor/learning",
        f"/instructor/learning?classroom={classroom}",
        f"/instructor/quizzes/{quiz}/items",
        f"/instructor/quizzes/{quiz}/items.csv",
    ]


def count_statements(app: Flask, client: Actor, path: str) -> int:
    count = 0

    def tally(*_args: object) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", tally)
    try:
        response = client.client.get(path)
        response.get_data()  # a streamed export runs its query while it is read
    finally:
        event.remove(engine, "before_cursor_execute", tally)
    assert response.status_code == 200, (path, response.status_code)
    return count


def counts_for(tmp_path: Path, databases: DatabaseSupply, students: int) -> dict[str, int]:
    tmp_path.mkdir()
    app = make_app(tmp_path, databases)
    with app.app_context():
        seed = load_seed().seed
        seeded = seed(db.engine, students=students, questions=8, prefix="s")
        seed(db.engine, students=students, questions=4, prefix="p", post_test_of=seeded)  # for the pre/post tables
    admin = sign_in_instructor(app, "head", role=ADMIN)
    instructor = sign_in_instructor(app)
    with app.app_context():
        teacher = db.session.scalar(select(User.id).filter_by(username="teacher"))
        db.session.add(ClassInstructor(classroom_id=seeded.classroom_ids[0], user_id=teacher))
        db.session.commit()
    found = {f"admin {path}": count_statements(app, admin, path) for path in pages(seeded)}
    for path in pages(seeded):
        found[f"instructor {path}"] = count_statements(app, instructor, path)
    student = Actor(app.test_client())
    student.login("s-s00000", "benchmark password")
    for path in ("/results", "/results/answers"):
        found[path] = count_statements(app, student, path)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return found


def test_statements_per_page_do_not_grow_with_the_class(tmp_path: Path, databases: DatabaseSupply) -> None:
    small = counts_for(tmp_path / "two", databases, 2)
    large = counts_for(tmp_path / "twenty", databases, 20)
    assert small == large
    # and each page stays a handful of statements (the most: one student, with history, learning figures and disputes)
    assert max(small.values()) <= 16, small
