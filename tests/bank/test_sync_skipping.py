"""A sync skips quiz files unchanged since they last synced cleanly, and only those.

Which files were parsed is seen by wrapping the loader's YAML parser: the real
parser still runs, the wrapper only notes the path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from quizapp.bank.files import load_bank, loader
from quizapp.bank.sync import SyncReport, load_for_sync, sync_bank
from quizapp.db import db
from quizapp.models import Quiz

from .test_sync import dump, edit

BRIDGE = "quizzes/bridge.yaml"
SECOND = "quizzes/second.yaml"
SPECIAL = {"taxonomy.yaml", "sources.yaml"}


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the loader parses from now on, in order."""
    seen: list[str] = []
    real = loader.parse_yaml

    def noting(data: bytes, path: str, sink: loader.ProblemSink, max_bytes: int) -> loader.Node | None:
        seen.append(path)
        return real(data, path, sink, max_bytes)

    monkeypatch.setattr(loader, "parse_yaml", noting)
    return seen


@pytest.fixture
def two_quizzes(app: Flask, questions_dir: Path) -> Path:
    """The test bank plus a second quiz file (bridge under another id), both synced."""
    second = questions_dir / SECOND
    shutil.copy(questions_dir / BRIDGE, second)
    second.write_text(second.read_text().replace("id: bridge\n", "id: second\n", 1))
    report = sync(app, questions_dir)
    assert report.added and not report.files_with_errors
    return questions_dir


def sync(app: Flask, questions_dir: Path, *, commit: bool = True) -> SyncReport:
    with app.app_context():
        return sync_bank(db.session, load_for_sync(db.session, questions_dir), commit=commit)


def full_sync(app: Flask, questions_dir: Path) -> SyncReport:
    with app.app_context():
        return sync_bank(db.session, load_bank(questions_dir))


def fingerprints(app: Flask) -> dict[str, str | None]:
    with app.app_context():
        return dict(db.session.execute(select(Quiz.slug, Quiz.file_fingerprint)).all())


def test_resync_of_an_unchanged_bank_parses_no_quiz_file_and_counts_every_question(
    app: Flask, questions_dir: Path, parsed: list[str]
) -> None:
    before = dump(app)
    result = app.test_cli_runner().invoke(args=["questions", "sync"])
    assert result.exit_code == 0, result.output
    assert set(parsed) == SPECIAL  # taxonomy.yaml and sources.yaml are always read: every quiz depends on them
    assert "added 0, new versions 0, updated 0, retired 0, unchanged 3," in result.output
    assert dump(app) == before


def test_a_skipping_sync_reports_what_a_full_one_does(app: Flask, two_quizzes: Path, parsed: list[str]) -> None:
    skipping = sync(app, two_quizzes)
    assert set(parsed) == SPECIAL
    full = full_sync(app, two_quizzes)
    assert BRIDGE in parsed and SECOND in parsed
    assert skipping == full
    assert skipping.unchanged == 6 and not skipping.changed


def test_a_wording_edit_is_parsed_and_applied_and_the_other_file_is_skipped(
    app: Flask, two_quizzes: Path, parsed: list[str]
) -> None:
    edit(two_quizzes, "A vote with its count and day", "A vote, with its count and its day,")
    report = sync(app, two_quizzes)
    assert [p for p in parsed if p not in SPECIAL] == [BRIDGE]
    assert report.updated == ["bridge/vote"] and report.unchanged == 5 and not report.retired
    with app.app_context():
        quizzes = db.session.scalars(select(Quiz).order_by(Quiz.slug)).all()
        assert [(q.slug, q.retired_at) for q in quizzes] == [("bridge", None), ("second", None)]
    parsed.clear()
    assert not sync(app, two_quizzes).changed  # the edit synced cleanly: now it is skipped too
    assert set(parsed) == SPECIAL


def test_any_byte_changed_in_a_file_validates_it_again(app: Flask, questions_dir: Path, parsed: list[str]) -> None:
    path = questions_dir / BRIDGE
    path.write_text(path.read_text() + "# a comment changes nothing the quiz says\n")
    report = sync(app, questions_dir)
    assert BRIDGE in parsed and not report.changed and report.unchanged == 3


@pytest.mark.parametrize(
    ("dependency", "old", "new"),
    [
        ("sources/daily-news.txt", "if they want to comment.", "if they want to comment. Correction added."),
        ("taxonomy.yaml", "Says what happened or what is", "Says what happened, or what is"),
        ("sources.yaml", "used by the tests.", "used by the tests, read on paper."),
    ],
    ids=["source text", "taxonomy", "sources"],
)
def test_an_edited_dependency_validates_every_quiz_file_again(
    app: Flask, two_quizzes: Path, parsed: list[str], dependency: str, old: str, new: str
) -> None:
    before = fingerprints(app)
    edit(two_quizzes, old, new, dependency)
    report = sync(app, two_quizzes)
    assert BRIDGE in parsed and SECOND in parsed
    assert report.unchanged == 6 and not report.files_with_errors
    assert not report.new_versions and not report.retired and not report.added
    after = fingerprints(app)
    assert after.keys() == before.keys() and all(after[slug] != before[slug] for slug in before)


def test_a_source_text_that_no_longer_holds_a_passage_is_caught(app: Flask, two_quizzes: Path) -> None:
    before = dump(app)
    edit(two_quizzes, "7 to 2", "seven to two", "sources/daily-news.txt")
    report = sync(app, two_quizzes)
    assert report.files_with_errors == [BRIDGE, SECOND]
    assert not report.changed and dump(app) == before


def test_a_broken_file_leaves_the_database_as_it_was_while_the_other_is_skipped(
    app: Flask, two_quizzes: Path, parsed: list[str]
) -> None:
    before = dump(app)
    edit(two_quizzes, "claim_type: factual\n    speaker: outlet", "claim_type: opinon\n    speaker: outlet")
    result = app.test_cli_runner().invoke(args=["questions", "sync"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "opinon" in result.output and "unchanged 3," in result.output  # the second quiz, skipped
    assert [p for p in parsed if p not in SPECIAL] == [BRIDGE]
    assert dump(app) == before  # the fingerprints too: the broken quiz keeps the one of its last clean sync
    # Putting the file back as it was synced makes it skippable again.
    edit(two_quizzes, "claim_type: opinon\n    speaker: outlet", "claim_type: factual\n    speaker: outlet")
    parsed.clear()
    assert not sync(app, two_quizzes).changed
    assert set(parsed) == SPECIAL


def test_a_removed_file_put_back_unchanged_is_synced_again(app: Flask, questions_dir: Path, parsed: list[str]) -> None:
    path = questions_dir / BRIDGE
    text = path.read_text()
    path.unlink()
    assert sync(app, questions_dir).retired == ["quiz bridge"]
    path.write_text(text)
    report = sync(app, questions_dir)
    assert BRIDGE in parsed  # a retired quiz offers no fingerprint
    assert report.updated == ["quiz bridge"]
    with app.app_context():
        assert db.session.scalar(select(Quiz.retired_at).filter_by(slug="bridge")) is None


def test_a_new_file_taking_an_unchanged_files_id_gets_the_same_problems_as_check(app: Flask, two_quizzes: Path) -> None:
    # "a-copy.yaml" sorts before "bridge.yaml", so the unchanged bridge.yaml is the second
    # file with id "bridge": it must be validated to report the duplicate with its line.
    shutil.copy(two_quizzes / BRIDGE, two_quizzes / "quizzes" / "a-copy.yaml")
    with app.app_context():
        for_sync = load_for_sync(db.session, two_quizzes)
    checked = load_bank(two_quizzes)
    assert [str(p) for p in for_sync.problems] == [str(p) for p in checked.problems]
    assert [p.path for p in checked.problems] == [BRIDGE]
    assert "already used by quizzes/a-copy.yaml" in checked.problems[0].message
    report = sync(app, two_quizzes)
    assert report.files_with_errors == [BRIDGE] and not report.retired


def test_check_still_validates_every_file(app: Flask, two_quizzes: Path, parsed: list[str]) -> None:
    result = app.test_cli_runner().invoke(args=["questions", "check"])
    assert result.exit_code == 0, result.output
    assert set(parsed) == SPECIAL | {BRIDGE, SECOND}
    assert "2 quizzes, 6 questions" in result.output


def test_quizzes_without_a_fingerprint_are_validated_and_get_one(
    app: Flask, questions_dir: Path, parsed: list[str]
) -> None:
    """As after upgrading to migration 0005: the first sync validates every file."""
    stored = fingerprints(app)
    with app.app_context():
        db.session.execute(update(Quiz).values(file_fingerprint=None))
        db.session.commit()
    report = sync(app, questions_dir)
    assert BRIDGE in parsed and not report.changed and report.unchanged == 3
    assert fingerprints(app) == stored


def test_the_preview_on_the_bank_page_writes_no_fingerprint(app: Flask, questions_dir: Path) -> None:
    with app.app_context():
        db.session.execute(update(Quiz).values(file_fingerprint=None))
        db.session.commit()
    sync(app, questions_dir, commit=False)
    assert fingerprints(app) == {"bridge": None}
