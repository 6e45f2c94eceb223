"""The one SQLAlchemy object, with a naming convention and SQLite made safe for many writers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, MetaData, Table, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Tables subclass Model. At run time it is db.Model: Base plus Flask-SQLAlchemy's
# table names and session binding, made when `db` is created, which a type checker
# cannot see; to the checker it is Base, whose Mapped[...] columns it can check.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

# What sync and regrade take: a plain session (tests, benchmarks) or Flask-SQLAlchemy's db.session.
SessionLike = Session | scoped_session[Any]


def table_of(model: type[Base]) -> Table:
    """A model's Table, for prebuilt Core statements. Declarative models always
    have one, but SQLAlchemy types `__table__` as the wider FromClause."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


# JSON text on SQLite; jsonb on PostgreSQL, whose plain json type has no
# equality, so a DISTINCT or UNION over rows holding it would fail there only.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Now in UTC, stored without a zone (as every timestamp column is)."""
    return datetime.now(UTC).replace(tzinfo=None)


# How long a SQLite writer waits for another one to finish. Writes take
# milliseconds, so reaching this means something holds the lock far too long.
BUSY_TIMEOUT_MS = 15000


def is_lock_timeout(error: BaseException) -> bool:
    """SQLite's "database is locked" (or "busy"): the write did not happen; trying again is safe."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer work at once; the busy timeout makes a
    # writer wait for the lock instead of failing with "database is locked".
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
