"""Loading question files into the database: versions, wording edits, retiring, broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, QuestionVersion, Quiz, User

from ..support import Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT


def resync(app: Flask, questions_dir: Path):  # type: ignore[no-untyped-def]
    with app.app_context():
        return sync_bank(db.session, load_bank(questions_dir))


def edit(questions_dir: Path, old: str, new: str, file: str = "quizzes/bridge.yaml") -> None:
    path = questions_dir / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def dump(app: Flask) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, as plain values in primary-key order."""
    with app.app_context():
        return {
            table.name: [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables
        }


def test_second_sync_changes_nothing(app: Flask, questions_dir: Path) -> None:
    before = dump(app)
    report = resync(app, questions_dir)
    assert not report.changed and report.unchanged == 3
    assert dump(app) == before


def test_wording_edit_updates_in_place(app: Flask, questions_dir: Path) -> None:
    edit(questions_dir, "A vote with its count and day", "A vote, with its count and its day,")
    report = resync(app, questions_dir)
    assert report.updated == ["bridge/vote"] and not report.new_versions
    with app.app_context():
        versions = db.session.scalars(
            select(QuestionVersion)
            .join(Question, QuestionVersion.question_id == Question.id)
            .filter(Question.slug == "vote")
        ).all()
        assert len(versions) == 1 and versions[0].explain_claim_type.startswith("A vote, with its count")


def test_key_change_makes_a_new_version_and_keeps_old_scores(app: Flask, student: Actor, questions_dir: Path) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    edit(questions_dir, "claim_type: factual\n    speaker: outlet", "claim_type: rule\n    speaker: outlet")
    report = resync(app, questions_dir)
    assert report.new_versions == ["bridge/vote"]
    with app.app_context():
        question = db.session.scalar(select(Question).filter_by(slug="vote"))
        assert question is not None and question.current_version is not None
        assert question.current_version.number == 2 and question.current_version.claim_type == "rule"
        [answer] = db.session.scalars(select(Answer)).all()
        assert answer.version.number == 1 and answer.claim_type_score == 1.0


def test_removed_question_and_file_are_retired_with_answers_kept(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    (questions_dir / "quizzes" / "bridge.yaml").unlink()
    report = resync(app, questions_dir)
    assert report.retired == ["quiz bridge"]
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).filter_by(slug="bridge"))
        assert quiz is not None and quiz.retired_at is not None
        assert len(db.session.scalars(select(Answer)).all()) == 1
    assert "The Old Bridge" not in student.client.get("/").get_data(as_text=True)
    assert student.client.get("/quizzes/bridge").status_code == 404


BREAKAGES = {
    "quiz file: two validation errors": (
        "quizzes/bridge.yaml",
        [
            ("claim_type: factual\n    speaker: outlet", "claim_type: opinon\n    speaker: outlet"),
            ("  - id: cracks", "  - id: cracks\n    pasage: typo"),
        ],
    ),
    "quiz file: YAML syntax error": ("quizzes/bridge.yaml", [("title: The Old Bridge", "title: [The Old Bridge")]),
    "quiz file: a key changed together with an error": (
        "quizzes/bridge.yaml",
        [
            ("claim_type: factual\n    speaker: outlet", "claim_type: rule\n    speaker: outlet"),
            ("evidence: yes", "evidence: perhaps"),
        ],
    ),
    "source text no longer holds a passage": ("sources/daily-news.txt", [("7 to 2", "seven to two")]),
    "taxonomy.yaml broken": ("taxonomy.yaml", [("claim_types:", "claim_typos:")]),
    "sources.yaml broken": ("sources.yaml", [("genre: news report", "genre: gossip")]),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_broken_file_leaves_the_database_exactly_as_it_was(
    app: Flask, student: Actor, questions_dir: Path, breakage: str
) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0], reason="kept")
    before = dump(app)
    path, edits = BREAKAGES[breakage]
    for old, new in edits:
        edit(questions_dir, old, new, path)
    result = app.test_cli_runner().invoke(args=["questions", "sync"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert dump(app) == before


def test_renaming_a_file_without_changing_its_id_changes_nothing(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    before = dump(app)
    (questions_dir / "quizzes" / "term-2").mkdir()
    (questions_dir / "quizzes" / "bridge.yaml").rename(questions_dir / "quizzes" / "term-2" / "old-bridge.yml")
    report = resync(app, questions_dir)
    assert report.updated == ["quiz bridge"] and not report.retired and not report.new_versions and not report.added
    # The stored path is the only value that moves; every id, version and answer stays.
    path_column = [c.name for c in Quiz.__table__.columns].index("path")
    expected = dict(before)
    expected["quiz"] = [
        (*row[:path_column], "quizzes/term-2/old-bridge.yml", *row[path_column + 1 :]) for row in before["quiz"]
    ]
    after = dump(app)
    # A changed row of the bank gets the bank a new revision stamp (server processes re-read it).
    assert after["bank_revision"] != before["bank_revision"]
    expected["bank_revision"] = after["bank_revision"]
    assert after == expected
    # The student carries on in the same attempt with the next question.
    assert student.answer(attempt, *RIGHT[1]).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id)).filter_by(attempt_id=attempt)) == 2


def test_deleting_a_file_mid_term_keeps_every_answer_visible_in_review(
    app: Flask, student: Actor, admin: Actor, questions_dir: Path
) -> None:
    finished = student.start()
    for choice, reason in zip(RIGHT, ["reason one of ada", "reason two of ada", "reason three of ada"], strict=False):
        student.answer(finished, *choice, reason=reason)
    bob = Actor(app.test_client())
    bob.register("bob")
    open_attempt = bob.start()
    bob.answer(open_attempt, "opinion", "mayor", "yes", reason="bob was unsure")
    before = dump(app)

    (questions_dir / "quizzes" / "bridge.yaml").unlink()
    report = resync(app, questions_dir)
    assert report.retired == ["quiz bridge"]
    after = dump(app)
    for table in ("answer", "attempt", "question", "question_version", "user"):
        assert after[table] == before[table], table

    home = admin.client.get("/instructor").get_data(as_text=True)
    assert "Retired (file removed)" in home
    quiz_page = admin.client.get("/instructor/quizzes/bridge").get_data(as_text=True)
    assert "This quiz is retired" in quiz_page
    students_page = admin.client.get("/instructor/quizzes/bridge/students").get_data(as_text=True)
    assert "ada" in students_page and "bob" in students_page
    with app.app_context():
        question_ids = db.session.scalars(select(Question.id).order_by(Question.position)).all()
        user_ids = dict(db.session.execute(select(User.username, User.id)).all())
    reasons_on_question_pages = "".join(
        admin.client.get(f"/instructor/questions/{qid}/explanations").get_data(as_text=True) for qid in question_ids
    )
    for reason in ("reason one of ada", "reason two of ada", "reason three of ada", "bob was unsure"):
        assert reason in reasons_on_question_pages, reason
    ada_page = admin.client.get(f"/instructor/students/{user_ids['ada']}").get_data(as_text=True)
    assert all(r in ada_page for r in ("reason one of ada", "reason two of ada", "reason three of ada"))
    bob_page = admin.client.get(f"/instructor/students/{user_ids['bob']}").get_data(as_text=True)
    assert "bob was unsure" in bob_page

    # Students keep their own results but cannot go on answering a retired quiz.
    summary = student.client.get(f"/attempts/{finished}/summary").get_data(as_text=True)
    assert "reason two of ada" in summary and "withdrawn" in summary
    assert bob.client.get(f"/attempts/{open_attempt}").headers["Location"].endswith(f"/attempts/{open_attempt}/summary")
    bob_summary = bob.client.get(f"/attempts/{open_attempt}/summary").get_data(as_text=True)
    assert "bob was unsure" in bob_summary
    token = csrf_token(bob.client, "/results")
    response = bob.client.post(
        f"/attempts/{open_attempt}/answer",
        data={"csrf_token": token, "version": "2", "claim_type": "opinion", "speaker": "mayor", "evidence": "no"},
    )
    assert response.status_code == 302
    assert dump(app)["answer"] == before["answer"]


def test_retiring_the_questions_left_finishes_an_open_attempt(app: Flask, student: Actor, questions_dir: Path) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    student.answer(attempt, *RIGHT[1])
    path = questions_dir / "quizzes" / "bridge.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - id: cracks")])
    assert resync(app, questions_dir).retired == ["bridge/cracks"]
    response = student.client.get(f"/attempts/{attempt}")
    assert response.headers["Location"].endswith(f"/attempts/{attempt}/summary")
    assert student.client.get(f"/attempts/{attempt}/summary").status_code == 200
    with app.app_context():
        stored = db.session.get(Attempt, attempt)
        assert stored is not None and stored.finished_at is not None
