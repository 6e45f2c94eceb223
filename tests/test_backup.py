"""`flask --app quizapp backup PATH`: a consistent copy, refusals that say why, and a restore that works."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask

from quizapp import create_app
from quizapp.db import db
from quizapp.models import Answer

from .live_server import LiveServer
from .simulated_students import Crowd, Student
from .support import Actor
from .taking.test_quiz_flow import RIGHT


def database_file(app: Flask) -> Path:
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not url.startswith("sqlite:///"):
        pytest.skip("the backup command copies SQLite databases")
    return Path(url.removeprefix("sqlite:///"))


def restore(backup: Path, database: Path) -> None:
    """The README's restore steps: the app is stopped; move the live database and its
    -wal/-shm files aside, copy the backup in its place."""
    for suffix in ("", "-wal", "-shm"):
        live = Path(f"{database}{suffix}")
        if live.exists():
            live.rename(Path(f"{database}.before-restore{suffix}"))
    shutil.copyfile(backup, database)


def test_backup_restore_and_read_the_answers(app: Flask, student: Actor, tmp_path: Path) -> None:
    database = database_file(app)
    attempt = student.start()
    student.answer(attempt, *RIGHT[0], reason="kept in the backup")
    backup = tmp_path / "backup.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert f"to {backup} (1 user, 1 attempt, 1 answer); integrity check ok." in result.output
    # An answer given after the backup, which the restore will not have.
    student.answer(attempt, *RIGHT[1], reason="given after the backup")
    assert not Path(f"{backup}-wal").exists()  # one self-contained file

    with app.app_context():
        db.engine.dispose()  # "stop the app"
    restore(backup, database)
    restored = create_app(
        {"TESTING": True, "SECRET_KEY": app.config["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    reader = Actor(restored.test_client())
    reader.login("ada")
    resumed = reader.client.get(f"/attempts/{attempt}")  # at passage 2: the backup has passage 1's answer
    assert "Passage 2 of 3" in resumed.get_data(as_text=True)
    with restored.app_context():
        [kept] = db.session.scalars(db.select(Answer)).all()
    feedback = reader.client.get(f"/attempts/{attempt}/answers/{kept.id}").get_data(as_text=True)
    assert "kept in the backup" in feedback
    assert "given after the backup" not in reader.client.get("/results").get_data(as_text=True)
    with restored.app_context():
        db.engine.dispose()


def test_backup_into_a_folder_names_the_file_by_date(app: Flask, tmp_path: Path) -> None:
    database_file(app)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [made] = list(tmp_path.glob("quizapp-*.sqlite3"))
    assert sqlite3.connect(made).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_never_overwrites_without_force(app: Flask, tmp_path: Path) -> None:
    database_file(app)
    backup = tmp_path / "backup.sqlite3"
    backup.write_text("an older backup")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["backup", str(backup)])
    assert refused.exit_code == 1 and "exists; choose a new name, or add --force" in refused.output
    assert backup.read_text() == "an older backup"
    assert runner.invoke(args=["backup", "--force", str(backup)]).exit_code == 0
    assert backup.read_bytes().startswith(b"SQLite format 3")


def test_backup_refuses_to_overwrite_the_database_itself(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["backup", "--force", str(database_file(app))])
    assert result.exit_code == 1 and "would overwrite the database itself" in result.output


def test_backup_refuses_a_missing_folder(app: Flask, tmp_path: Path) -> None:
    database_file(app)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "no" / "such" / "b.sqlite3")])
    assert result.exit_code == 1 and "does not exist" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql+psycopg://quiz@127.0.0.1/quizapp",
            "this app uses postgresql. For PostgreSQL use its own tool: pg_dump",
        ),
        ("sqlite://", "The database is in memory"),
        ("sqlite:////nonexistent/folder/db.sqlite3", "There is no database at /nonexistent/folder/db.sqlite3"),
    ],
)
def test_backup_refuses_what_it_cannot_copy(app: Flask, tmp_path: Path, url: str, message: str) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = url  # what the command reads; the engine is not used
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 1 and message in result.output, result.output
    assert not (tmp_path / "b.sqlite3").exists()


@pytest.mark.slow
def test_backup_while_students_answer(tmp_path: Path) -> None:
    """The real command, in its own process, while gunicorn serves ten students answering."""
    from .test_load import prepare_site, stored_rows

    site = prepare_site(tmp_path)
    database = Path(site.database_url.removeprefix("sqlite:///"))
    with LiveServer(site.env, tmp_path / "gunicorn.log", workers=2) as server:
        students = [Student(n, [server.url], site.keys, site.versions) for n in range(10)]
        crowd = Crowd(students)
        crowd.start()
        began = time.monotonic()
        while crowd.acknowledged() < 20:
            assert time.monotonic() - began < 120, "the students never got going"
            time.sleep(0.05)
        acknowledged_before = {
            (s.record.username, slug, answer_id)
            for s in students
            for slug, answer_id in list(s.record.acknowledged.items())
        }
        backup = tmp_path / "during-load.sqlite3"
        command = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "quizapp", "backup", str(backup)],
            env={**os.environ, **site.env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        records = crowd.wait(deadline=180)
        crowd.close()
    assert command.returncode == 0, command.stderr
    assert "integrity check ok" in command.stdout
    assert [r.errors for r in records if r.errors] == []

    final = {(row.username, row.slug): row for row in stored_rows(site)}
    restore(backup, database)
    restored_rows = stored_rows(site)
    in_backup = {(row.username, row.slug, row.answer_id) for row in restored_rows}
    assert acknowledged_before <= in_backup  # everything acknowledged before the backup began
    assert 20 <= len(restored_rows) < len(final)  # a snapshot taken mid-load
    for row in restored_rows:  # each copied answer exactly as stored
        stored = final[(row.username, row.slug)]
        assert (row.answer_id, row.choices, row.scores) == (stored.answer_id, stored.choices, stored.scores)
    copy = sqlite3.connect(database)
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
