"""`flask --app quizapp backup PATH`: a consistent copy of the SQLite database, taken while the app serves.

SQLite's online backup API copies the database as of one moment. In WAL mode
the copy only holds a read snapshot, so students keep answering meanwhile.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

PG_DUMP_HINT = (
    "For PostgreSQL use its own tool: pg_dump --format=custom --file=quizapp.dump DBNAME "
    "(restore with pg_restore --clean --dbname=DBNAME quizapp.dump)."
)


def sqlite_file(database_url: str) -> Path:
    """The database file behind a SQLite URL; a clear refusal for anything else."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            f"backup copies SQLite databases only, and this app uses {url.get_backend_name()}. {PG_DUMP_HINT}"
        )
    if not url.database or url.database == ":memory:":
        raise click.ClickException("The database is in memory; there is no file to back up.")
    path = Path(url.database)
    if not path.is_file():
        raise click.ClickException(f"There is no database at {path}; run `flask --app quizapp setup` first.")
    return path


def target_file(path: Path, source: Path, force: bool) -> Path:
    if path.is_dir():
        path = path / f"quizapp-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    if not path.parent.is_dir():
        raise click.ClickException(f"The folder {path.parent} does not exist.")
    if path.exists() and path.resolve() == source.resolve():
        raise click.ClickException("The backup would overwrite the database itself; choose another path.")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose a new name, or add --force to replace it.")
    return path


def copy_database(source: Path, target: Path) -> dict[str, int]:
    """Copy `source` to `target` whole and checked; returns row counts of the copy."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        live = sqlite3.connect(source, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            live.backup(copy)  # in one step: one consistent snapshot
            # A single self-contained file, whatever mode the live database is in.
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise click.ClickException(
                    f"The copy failed SQLite's integrity check ({verdict}); nothing was written."
                )
            tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            counts = {
                table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in ("user", "attempt", "answer")
                if table in tables
            }
        finally:
            copy.close()
            live.close()
        os.replace(partial, target)  # the backup appears whole or not at all
    except sqlite3.Error as error:
        raise click.ClickException(f"The backup failed: {error}. Nothing was written to {target}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return counts


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the SQLite database to PATH (a file, or a folder to put a dated file in).

    Safe while the app is serving. See the README for how to restore.
    """
    source = sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"])
    target = target_file(path, source, force)
    counts = copy_database(source, target)
    summary = ", ".join(f"{count} {table}{'s' if count != 1 else ''}" for table, count in counts.items())
    click.echo(f"Backed up {source} to {target} ({summary}); integrity check ok.")
