"""The database schema: Alembic migrations (Flask-Migrate), and where a database stands.

Every schema change is a migration in migrations/versions. `flask db upgrade`
moves a database forward; `setup` does the same and also adopts a database
made before migrations existed. The other commands refuse to work on a
database that is behind, rather than writing into tables they do not expect.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from quizapp.config import PROJECT_ROOT
from quizapp.db import db

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
UPGRADE_COMMAND = "flask --app quizapp db upgrade"

# render_as_batch: SQLite cannot alter most things in place, so new migrations
# are written as batch operations, which copy the table on SQLite and are plain
# ALTER TABLE statements on PostgreSQL.
migrate = Migrate(compare_type=True, render_as_batch=True)


def init_app(app: Flask) -> None:
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))


class Status(enum.Enum):
    EMPTY = "empty"  # none of our tables: a new database
    UNVERSIONED = "unversioned"  # our tables, made before migrations existed
    BEHIND = "behind"
    CURRENT = "current"
    UNKNOWN = "unknown"  # a revision this code does not have: a newer release wrote it


@dataclass(frozen=True)
class SchemaState:
    status: Status
    revision: str | None
    head: str


def alembic_config() -> Config:
    config: Config = migrate.get_config()
    return config


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    try:
        head = scripts().get_current_head()
    except CommandError as error:  # two migrations claim the same parent
        raise click.ClickException(f"The migrations have several heads; merge them first ({error}).") from None
    assert head is not None, "migrations/versions holds no migration"
    return head


def base_revision() -> str:
    """The first migration: the schema `create_all` made before migrations existed."""
    [base] = scripts().get_bases()
    return base


def current_state() -> SchemaState:
    head = head_revision()
    with db.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    if revision is None:
        ours = tables & set(db.metadata.tables)
        return SchemaState(Status.UNVERSIONED if ours else Status.EMPTY, None, head)
    if revision == head:
        return SchemaState(Status.CURRENT, revision, head)
    known = {script.revision for script in scripts().walk_revisions()}
    return SchemaState(Status.BEHIND if revision in known else Status.UNKNOWN, revision, head)


def upgrade() -> str:
    """Create or move the schema forward to the newest migration; says what it did.

    A new database is built by running the migrations too (not create_all and
    a stamp): new installs and upgraded ones then take one path, and every
    install runs the same migrations a later upgrade builds on.
    """
    state = current_state()
    if state.status is Status.CURRENT:
        return f"Database schema is up to date (revision {state.head})."
    if state.status is Status.UNKNOWN:
        raise _newer_database(state)
    config = alembic_config()
    try:
        if state.status is Status.UNVERSIONED:
            # Tables made by create_all before there were migrations are
            # exactly what the first migration creates.
            command.stamp(config, base_revision())
        command.upgrade(config, "head")
    except (CommandError, RuntimeError, SQLAlchemyError) as error:  # RuntimeError: a migration refusing
        raise click.ClickException(f"Upgrading the database schema failed: {error}") from None
    if state.status is Status.EMPTY:
        return f"Created the database schema (revision {state.head})."
    start = state.revision or f"{base_revision()}, adopted from a database made before migrations"
    return f"Upgraded the database schema from revision {start} to {state.head}."


def require_current() -> None:
    """For commands that write rows: a new database gets the schema; an old one must be upgraded first."""
    state = current_state()
    if state.status is Status.CURRENT:
        return
    if state.status is Status.EMPTY:
        upgrade()
        return
    if state.status is Status.UNKNOWN:
        raise _newer_database(state)
    if state.status is Status.UNVERSIONED:
        raise click.ClickException("This database was made before schema migrations. Run: flask --app quizapp setup")
    raise click.ClickException(
        f"The database schema is at revision {state.revision}; this version of quizapp needs "
        f"{state.head}. Back up the database, then run: {UPGRADE_COMMAND}"
    )


def _newer_database(state: SchemaState) -> click.ClickException:
    return click.ClickException(
        f"The database schema is at revision {state.revision}, which this version of quizapp "
        f"does not know (its newest is {state.head}). Run the release that upgraded it."
    )
