"""Alembic's environment for quizapp: runs migrations on the app's own engine (Flask-Migrate)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import event

config = context.config

# From the command line, show what each step does; inside a program or a test
# that has set up logging already, leave its configuration alone.
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_engine():
    return target_db.engine


config.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%"))


def run_migrations_offline():
    """Print the SQL instead of running it (`flask db upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=target_db.metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    # `flask db migrate` with no model changes writes no empty migration.
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    with get_engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _prepare_sqlite(connection, conf_args)
        try:
            context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                _restore_sqlite(connection)


def _prepare_sqlite(connection, conf_args):
    """All migrations in one transaction that can be undone, and no foreign key checks until the end.

    A batch operation rebuilds a table on SQLite: copy, drop the old one,
    rename. With foreign keys enforced, dropping a table that other rows point
    at fails, so enforcement is off while migrating (it can only be switched
    outside a transaction) and every reference is checked before committing.
    Python's sqlite3 opens transactions only before INSERT/UPDATE/DELETE, so
    CREATE and DROP would commit as they go; here it is told to stay out of the
    way and BEGIN is sent explicitly, so a failed upgrade leaves nothing behind.
    """
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    connection.connection.driver_connection.isolation_level = None
    event.listen(connection, "begin", _begin)
    conf_args["transactional_ddl"] = True


def _begin(connection):
    connection.exec_driver_sql("BEGIN")


def _restore_sqlite(connection):
    if connection.in_transaction():
        connection.rollback()
    event.remove(connection, "begin", _begin)
    connection.connection.driver_connection.isolation_level = ""  # sqlite3's default
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
