"""Schema migrations: upgrading keeps every answer, and the migrations build what the models describe.

Each test walks whatever migrations exist, so a migration added later is
exercised here without touching this file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, select, text

from quizapp import create_app, schema
from quizapp.bank.files import load_bank
from quizapp.db import db
from quizapp.models import Answer, Attempt, BankRevision, QuestionVersion
from quizapp.review.scores import attempt_scores
from quizapp.taking.grading import score_answer

from .databases import migration_scripts
from .migration_data import PASSWORD, answers_as_stored, fill_first_revision
from .support import Actor
from .taking.test_quiz_flow import RIGHT

REVISIONS = [script.revision for script in reversed(list(migration_scripts().walk_revisions()))]
FIRST, HEAD = REVISIONS[0], REVISIONS[-1]


@pytest.fixture
def bare_app(empty_database: str, questions_dir: Path) -> Iterator[Flask]:
    """The app on a database with no tables: each test decides how far to migrate it."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-test-secret-key-that-is-long-enough",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "QUESTIONS_DIR": questions_dir,
        }
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def migrate_to(app: Flask, revision: str) -> None:
    with app.app_context():
        command.upgrade(schema.alembic_config(), revision)


def revision_of(app: Flask) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def fill_at_first_revision(app: Flask, questions_dir: Path) -> list[tuple[object, ...]]:
    migrate_to(app, FIRST)
    with app.app_context(), db.engine.begin() as connection:
        fill_first_revision(connection, load_bank(questions_dir))
    with app.app_context(), db.engine.connect() as connection:
        return answers_as_stored(connection)


def test_the_migrations_form_one_line() -> None:
    heads = migration_scripts().get_heads()
    assert len(heads) == 1, f"several heads {heads}: run flask --app quizapp db merge heads"
    assert len(migration_scripts().get_bases()) == 1


def test_upgrading_from_the_first_migration_keeps_every_answer_and_its_score(
    bare_app: Flask, questions_dir: Path
) -> None:
    before = fill_at_first_revision(bare_app, questions_dir)
    assert len(before) == 7
    for revision in REVISIONS[1:]:  # one step at a time, so each migration runs on its own
        migrate_to(bare_app, revision)
        assert revision_of(bare_app) == revision

    with bare_app.app_context():
        with db.engine.connect() as connection:
            assert answers_as_stored(connection) == before
        answers = db.session.scalars(select(Answer).order_by(Answer.answered_at)).all()
        for answer in answers:  # the stored scores are what the scoring rules give today
            version = answer.version
            rescored = score_answer(
                claim_type=answer.claim_type,
                speaker=answer.speaker,
                evidence=answer.evidence,
                key_claim_type=version.claim_type,
                accepted=version.accept,
                key_speaker=version.speaker,
                key_evidence=version.evidence,
            )
            assert (answer.claim_type_score, answer.speaker_score, answer.evidence_score) == (
                rescored.claim_type,
                rescored.speaker,
                rescored.evidence,
            )
        # The review pages' averages, computed in SQL, match the answers as first stored.
        attempts = {a.id: a.user.username for a in db.session.scalars(select(Attempt))}
        means = {attempts[k]: (v.claim_type, v.speaker, v.evidence) for k, v in attempt_scores(attempts).items()}
    expected = {}
    for username in {row[0] for row in before}:
        scores = [row[8:11] for row in before if row[0] == username]
        expected[username] = tuple(sum(part) / len(scores) for part in zip(*scores, strict=False))
    assert set(means) == set(expected)
    for username, parts in expected.items():
        assert means[username] == pytest.approx(parts), username

    # The upgraded database is what the app and its commands expect.
    with bare_app.app_context():
        upgraded_stamp = db.session.scalar(select(BankRevision.stamp))
    assert upgraded_stamp is not None  # server processes may keep what they read of the bank at once
    sync = bare_app.test_cli_runner().invoke(args=["questions", "sync"])
    assert sync.exit_code == 0, sync.output
    # Nothing new, no new version: the three questions are updated in place with the cue
    # words and relayed_by of their file, which the first revision had no columns for.
    assert "added 0, new versions 0, updated 3, retired 0, unchanged 0" in sync.output
    again = bare_app.test_cli_runner().invoke(args=["questions", "sync"])
    assert "added 0, new versions 0, updated 0, retired 0, unchanged 3" in again.output
    with bare_app.app_context():  # ...and each passage's place in its source, which a page shows
        versions = db.session.scalars(select(QuestionVersion)).all()
        assert len(versions) == 3 and all(v.in_source for v in versions)
    student = Actor(bare_app.test_client())
    assert student.login("LIN_2", PASSWORD).status_code == 302  # the name in another case: the same person
    attempt = student.start()  # the attempt left half done before the upgrade
    for choice in RIGHT[1:]:
        assert student.answer(attempt, *choice).status_code == 302
    summary = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert "3 of 3" in summary


def test_the_migrations_build_the_tables_the_models_describe(bare_app: Flask) -> None:
    migrate_to(bare_app, "head")
    with bare_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models and migrations differ: run flask --app quizapp db migrate"


def test_setup_creates_the_schema_through_migrations(bare_app: Flask) -> None:
    runner = bare_app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert f"Created the database schema (revision {HEAD})." in first.output
    assert revision_of(bare_app) == HEAD
    again = runner.invoke(args=["setup"])
    assert again.exit_code == 0 and f"Database schema is up to date (revision {HEAD})." in again.output
    made = runner.invoke(args=["create-instructor", "mr-k", "--generate"])
    assert made.exit_code == 0, made.output
    synced = runner.invoke(args=["questions", "sync"])
    assert synced.exit_code == 0 and "unchanged 3" in synced.output


def test_sync_on_a_new_database_makes_the_schema_first(bare_app: Flask) -> None:
    result = bare_app.test_cli_runner().invoke(args=["questions", "sync"])
    assert result.exit_code == 0, result.output
    assert "added" in result.output and revision_of(bare_app) == HEAD


def test_setup_adopts_a_database_made_before_migrations(bare_app: Flask, questions_dir: Path) -> None:
    before = fill_at_first_revision(bare_app, questions_dir)
    with bare_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))  # as create_all left it
    result = bare_app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert f"Upgraded the database schema from revision {FIRST}, adopted" in result.output
    assert revision_of(bare_app) == HEAD
    with bare_app.app_context(), db.engine.connect() as connection:
        assert answers_as_stored(connection) == before


@pytest.mark.skipif(len(REVISIONS) < 2, reason="needs a migration after the first")
@pytest.mark.parametrize("args", [["questions", "sync"], ["create-instructor", "mr-k", "--generate"]])
def test_commands_refuse_a_database_that_is_behind(bare_app: Flask, questions_dir: Path, args: list[str]) -> None:
    before = fill_at_first_revision(bare_app, questions_dir)
    result = bare_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert f"The database schema is at revision {FIRST}" in result.output
    assert "flask --app quizapp db upgrade" in result.output and "Traceback" not in result.output
    upgrade = bare_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    again = bare_app.test_cli_runner().invoke(args=args)
    assert again.exit_code == 0, again.output
    with bare_app.app_context(), db.engine.connect() as connection:
        assert answers_as_stored(connection) == before


def test_commands_refuse_a_database_from_a_newer_release(bare_app: Flask) -> None:
    migrate_to(bare_app, "head")
    with bare_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    for args in (["setup"], ["questions", "sync"]):
        result = bare_app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1
        assert "at revision f00dcafe, which this version of quizapp does not know" in result.output


def test_a_failing_migration_is_reported_plainly_and_changes_nothing(bare_app: Flask, questions_dir: Path) -> None:
    """0002 makes usernames unique without regard to case: two old accounts 'Ada' and 'ada' stop it."""
    before = fill_at_first_revision(bare_app, questions_dir)
    with bare_app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO "user" (username, password_hash, role, created_at) '
                "VALUES ('ADA', 'x', 'student', '2024-01-01 00:00:00')"
            )
        )
    result = bare_app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 1
    assert "Some usernames differ only in case: ada." in result.output
    assert "Traceback" not in result.output
    assert revision_of(bare_app) == FIRST
    with bare_app.app_context(), db.engine.connect() as connection:
        assert answers_as_stored(connection) == before


@pytest.mark.slow
def test_flask_db_upgrade_and_setup_from_a_shell(empty_database: str, tmp_path: Path, questions_dir: Path) -> None:
    """The real commands, run from another folder: the migrations are found wherever flask starts."""
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": empty_database,
        "QUIZAPP_SECRET_KEY": "a-shell-secret-key-that-is-long-enough",
        "QUIZAPP_QUESTIONS_DIR": str(questions_dir),
    }

    def flask(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "flask", "--app", "quizapp", *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    upgrade = flask("db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"-> {HEAD}" in upgrade.stderr  # alembic says each step it runs
    setup = flask("setup")
    assert setup.returncode == 0, setup.stderr
    assert f"Database schema is up to date (revision {HEAD})." in setup.stdout
    assert "Question bank: 1 quiz with 3 questions students can take." in setup.stdout


REBUILD_USER_TABLE = """
from alembic import op

revision = "rebuild"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", recreate="always"):
        pass
    {then}


def downgrade():
    pass
"""


def with_extra_migration(tmp_path: Path, then: str = "") -> str:
    """A copy of migrations/ with one more migration that rebuilds the user table, as SQLite does to alter it."""
    folder = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_rebuild.py").write_text(REBUILD_USER_TABLE.format(head=HEAD, then=then))
    return str(folder)


@pytest.mark.sqlite_only("PostgreSQL alters tables in place; SQLite copies them, which foreign keys get in the way of")
def test_a_later_migration_may_rebuild_a_table_that_other_rows_point_at(
    bare_app: Flask, questions_dir: Path, tmp_path: Path
) -> None:
    before = fill_at_first_revision(bare_app, questions_dir)
    migrate_to(bare_app, "head")
    folder = with_extra_migration(tmp_path)
    with bare_app.app_context():
        command.upgrade(schema.migrate.get_config(directory=folder), "head")
        with db.engine.connect() as connection:
            assert answers_as_stored(connection) == before
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # enforced again


@pytest.mark.sqlite_only("the check runs where enforcement is switched off while migrating: SQLite")
def test_a_migration_that_leaves_broken_references_is_undone(
    bare_app: Flask, questions_dir: Path, tmp_path: Path
) -> None:
    before = fill_at_first_revision(bare_app, questions_dir)
    migrate_to(bare_app, "head")
    folder = with_extra_migration(tmp_path, then="op.execute(\"DELETE FROM user WHERE username = 'ada'\")")
    with bare_app.app_context(), pytest.raises(RuntimeError, match="rows pointing at nothing"):
        command.upgrade(schema.migrate.get_config(directory=folder), "head")
    assert revision_of(bare_app) == HEAD
    with bare_app.app_context(), db.engine.connect() as connection:
        assert answers_as_stored(connection) == before
        assert not [name for name in inspect(connection).get_table_names() if name.startswith("_alembic")]


def test_the_roles_migration_keeps_who_sees_what(bare_app: Flask, questions_dir: Path) -> None:
    """Upgrading to roles: the first instructor becomes an admin, each class's creator its
    first instructor, and every account stays active with its password."""
    before_roles = migration_scripts().get_revision("0011").down_revision
    assert isinstance(before_roles, str)
    fill_at_first_revision(bare_app, questions_dir)
    migrate_to(bare_app, before_roles)
    with bare_app.app_context(), db.engine.begin() as connection:
        for name in ("first-teacher", "second-teacher"):
            connection.execute(
                text(
                    'INSERT INTO "user" (username, username_key, password_hash, role, created_at) '
                    "VALUES (:name, :name, 'x', 'instructor', '2024-01-01 00:00:00')"
                ),
                {"name": name},
            )
        second = connection.execute(text("SELECT id FROM \"user\" WHERE username = 'second-teacher'")).scalar()
        connection.execute(
            text(
                "INSERT INTO classroom (name, join_code, created_by_id, created_at) VALUES "
                "('Made on the page', 'BCDFGHJK', :second, '2024-02-01 00:00:00'), "
                "('Made by create-class', 'BCDFGHJM', NULL, '2024-02-01 00:00:00')"
            ),
            {"second": second},
        )
    migrate_to(bare_app, "head")
    with bare_app.app_context(), db.engine.connect() as connection:
        roles = dict(connection.execute(text('SELECT username, role FROM "user"')).all())
        assert roles["first-teacher"] == "admin" and roles["second-teacher"] == "instructor"
        assert {r for name, r in roles.items() if name not in ("first-teacher", "second-teacher")} == {"student"}
        teachers = connection.execute(
            text(
                "SELECT c.name, u.username FROM class_instructor ci JOIN classroom c ON c.id = ci.classroom_id "
                'JOIN "user" u ON u.id = ci.user_id'
            )
        ).all()
        assert [tuple(row) for row in teachers] == [("Made on the page", "second-teacher")]
        assert (
            connection.execute(text('SELECT count(*) FROM "user" WHERE NOT active OR must_change_password')).scalar()
            == 0
        )
    student = Actor(bare_app.test_client())
    assert student.login("ada", PASSWORD).status_code == 302  # a student of the old release signs in as before
