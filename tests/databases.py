"""Which database the suite runs on, and clean, isolated databases on it.

By default every test gets its own SQLite file. With QUIZAPP_TEST_DATABASE_URL
set to a PostgreSQL URL the suite runs there instead: each run works in schemas
of its own (named after the process, so runs by several people or CI jobs on one
server never meet), which are dropped when the run ends. The schema is chosen
through libpq's `options=-csearch_path=...`, so the URL alone carries it: a
gunicorn or `flask` started by a test lands in the same schema.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from quizapp.db import db
from quizapp.schema import MIGRATIONS_DIR

TEST_DATABASE_ENV = "QUIZAPP_TEST_DATABASE_URL"


def configured_url() -> URL | None:
    raw = os.environ.get(TEST_DATABASE_ENV, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        raise RuntimeError(f"{TEST_DATABASE_ENV} must be a postgresql+psycopg:// URL, or unset for SQLite")
    return url


def as_string(url: URL) -> str:
    return url.render_as_string(hide_password=False)


class DatabaseSupply:
    """Hands out databases for one test run: SQLite files, or PostgreSQL schemas."""

    def __init__(self, server: URL | None) -> None:
        self.server = server
        self.prefix = f"quizapp_test_{os.getpid()}_{secrets.token_hex(3)}"
        self.schemas: list[str] = []
        self.shared_url: str | None = None  # the schema the `app` fixture reuses, tables emptied per test
        self._admin: Engine | None = None

    @property
    def name(self) -> str:
        return "postgresql" if self.server is not None else "sqlite"

    @property
    def admin(self) -> Engine:
        assert self.server is not None
        if self._admin is None:
            self._admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        return self._admin

    def new_database(self, tmp_path: Path, name: str = "quizapp.sqlite3") -> str:
        """The URL of a database with nothing in it yet."""
        if self.server is None:
            return f"sqlite:///{tmp_path / name}"
        schema = f"{self.prefix}_{len(self.schemas)}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        # synchronous_commit=off: a test's commits need not wait for the disk.
        settings = [self.server.query.get("options", ""), f"-csearch_path={schema}", "-csynchronous_commit=off"]
        options = " ".join(filter(None, settings))
        return as_string(self.server.update_query_dict({"options": options}))

    def app_database(self, tmp_path: Path) -> str:
        """For the `app` fixture: the current tables, empty.

        On SQLite a new file costs nothing. On PostgreSQL making tables takes far
        longer than emptying them, so one schema is made once and emptied before
        each test, with ids starting at 1 again as in a new file. (DELETE, not
        TRUNCATE: on tables this small TRUNCATE is ten times slower.)
        """
        if self.server is None:
            return self.new_database(tmp_path)
        if self.shared_url is None:
            self.shared_url = self.new_database(tmp_path)
            with _engine(self.shared_url) as engine, engine.begin() as connection:
                create_current_schema(connection)
            return self.shared_url
        with _engine(self.shared_url) as engine, engine.begin() as connection:
            # A connection left open by an earlier test would make this wait
            # for ever; fail loudly instead.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            _empty_tables(connection)
        return self.shared_url

    def close(self) -> None:
        if self.server is None:
            return
        with self.admin.connect() as connection:
            for schema in self.schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self.admin.dispose()


def _empty_tables(connection: Connection) -> None:
    tables = db.metadata.sorted_tables
    # Links that close a cycle (question.current_version_id) are cut first,
    # then rows go in reverse dependency order.
    for table in tables:
        for key in table.foreign_key_constraints:
            if key.use_alter:
                connection.execute(table.update().values({column.name: None for column in key.columns}))
    for table in reversed(tables):
        connection.execute(table.delete())
    for table in tables:
        if "id" in table.c:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), 1, false)"),
                {"table": f'"{table.name}"'},
            )


_SCRIPTS: list[ScriptDirectory] = []


def migration_scripts() -> ScriptDirectory:
    if not _SCRIPTS:
        _SCRIPTS.append(ScriptDirectory(str(MIGRATIONS_DIR)))
    return _SCRIPTS[0]


def create_current_schema(connection: Connection) -> None:
    """The tables the models describe, marked as at the newest migration.

    Faster than running every migration for each test; test_migrations.py
    checks that the migrations build exactly these tables.
    """
    db.metadata.create_all(connection)
    MigrationContext.configure(connection).stamp(migration_scripts(), "heads")


@contextmanager
def _engine(url: str) -> Iterator[Engine]:
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
