"""The question page keeps what it read of the bank, and never shows it after a change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, func, select, update

from quizapp.bank import sync
from quizapp.db import db
from quizapp.models import BankRevision, Question, QuestionVersion
from quizapp.taking import snapshot

from ..bank.test_sync import edit, resync
from ..support import Actor
from .test_quiz_flow import RIGHT

VOTE = "The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May."


def passage_shown(student: Actor, attempt: int) -> str:
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    match = re.search(r'<blockquote class="passage">(.*?)</blockquote>', page, re.S)
    assert match, page[:500]
    return match.group(1).strip()


def stamp(app: Flask) -> str | None:
    with app.app_context():
        return db.session.scalar(select(BankRevision.stamp))


def test_a_synced_edit_shows_on_the_next_page(app: Flask, student: Actor, questions_dir: Path) -> None:
    attempt = student.start()
    assert passage_shown(student, attempt) == VOTE  # now kept by this process
    before = stamp(app)
    shorter = "The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars"
    edit(questions_dir, VOTE, shorter)
    assert resync(app, questions_dir).new_versions == ["bridge/vote"]
    assert stamp(app) not in (None, before)
    assert passage_shown(student, attempt) == shorter
    # ...and the answer is stored against the new version.
    assert student.answer(attempt, *RIGHT[0]).status_code == 302
    with app.app_context():
        vote = db.session.scalars(select(Question).filter_by(slug="vote")).one()
        assert vote.current_version is not None and vote.current_version.number == 2


def test_an_unchanged_resync_keeps_the_stamp(app: Flask, questions_dir: Path) -> None:
    before = stamp(app)
    assert before is not None  # the first sync stamped the bank
    report = resync(app, questions_dir)
    assert not report.changed
    assert stamp(app) == before


def test_any_orm_change_to_the_bank_moves_the_stamp(app: Flask, student: Actor) -> None:
    """Not only sync: whatever changes a bank row through the ORM stamps it."""
    attempt = student.start()
    assert passage_shown(student, attempt) == VOTE
    before = stamp(app)
    with app.app_context():
        vote = db.session.scalars(select(Question).filter_by(slug="vote")).one()
        vote.retired_at = func.now()
        db.session.commit()
    assert stamp(app) != before
    # The retired question is gone from the page at once.
    assert "disgrace" in passage_shown(student, attempt)


def test_the_page_reads_the_bank_only_when_the_stamp_changes(app: Flask, student: Actor) -> None:
    """Another server's change arrives as a new stamp; without one the kept copy is used.

    Here the passage is changed behind the app's back (plain SQL, no stamp): the
    page keeps showing what it read. Once the stamp changes, it reads the bank again.
    """
    attempt = student.start()
    assert passage_shown(student, attempt) == VOTE
    with app.app_context():
        db.session.execute(update(QuestionVersion).values(passage=QuestionVersion.passage + " (changed)"))
        db.session.commit()
    assert passage_shown(student, attempt) == VOTE
    with app.app_context():
        db.session.execute(update(BankRevision).values(stamp="0" * 32))
        db.session.commit()
    assert passage_shown(student, attempt) == VOTE + " (changed)"


def test_the_answer_fields_kept_with_the_snapshot_follow_a_speaker_label_edit(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    """The blank answer fields are rendered once per snapshot: a synced label edit
    (an in-place wording change) brings a new snapshot, and with it new fields."""
    attempt = student.start()
    first = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert ">Mayor Ana Reyes</label>" in first
    assert student.client.get(f"/attempts/{attempt}").get_data(as_text=True) == first  # served from what was kept
    edit(questions_dir, "label: Mayor Ana Reyes", "label: Ana Reyes, the mayor")
    assert resync(app, questions_dir).changed
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert ">Ana Reyes, the mayor</label>" in page and "Mayor Ana Reyes</label>" not in page


def test_answer_fields_are_rendered_afresh_while_templates_reload(app: Flask, student: Actor) -> None:
    """Under flask run --debug an edited template shows on the next page, so nothing rendered is kept."""
    app.jinja_env.auto_reload = True
    attempt = student.start()
    student.client.get(f"/attempts/{attempt}")
    with app.app_context():
        key = (str(db.engine.url), db.session.scalar(select(Question.quiz_id).limit(1)))
    assert not snapshot._snapshots[key][1].rendered_fields
    app.jinja_env.auto_reload = False
    student.client.get(f"/attempts/{attempt}")
    assert snapshot._snapshots[key][1].rendered_fields


def test_the_question_page_makes_three_statements_however_long_the_quiz(app: Flask, student: Actor) -> None:
    attempt = student.start()
    passage_shown(student, attempt)  # the first view reads the bank
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        passage_shown(student, attempt)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # The signed-in user; the attempt with the bank's stamp; the questions answered so far.
    assert len(statements) == 3, statements
    assert not any("question_version" in s for s in statements)


def test_new_versions_written_in_bulk_stamp_the_bank(
    app: Flask, student: Actor, questions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sync writes new versions with plain statements, which no flush sees; it stamps them itself.

    The stored file fingerprint (an ORM change that would stamp the bank anyway) is
    kept out of it here, so that only the bulk write can move the stamp.
    """
    monkeypatch.setattr(sync, "_remember_fingerprint", lambda row, fingerprint: None)
    attempt = student.start()
    assert passage_shown(student, attempt) == VOTE
    before = stamp(app)
    shorter = "The city council voted 7 to 2 on Tuesday"
    edit(questions_dir, VOTE, shorter)
    assert resync(app, questions_dir).new_versions == ["bridge/vote"]
    assert stamp(app) != before
    assert passage_shown(student, attempt) == shorter
