"""Writing CSV files for download: formula-safe cells, streamed from a statement while they are sent.

UTF-8 with a byte-order mark, so spreadsheet programs pick the right encoding,
and every text cell that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Response
from sqlalchemy import Row, Select

from quizapp.db import db
from quizapp.models import utcnow
from quizapp.review import filters

# A cell starting with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (tab and CR too: some programs strip them, then see "=").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
FLUSH_AT = 64 * 1024


def neutralise_row(row: Sequence[object]) -> list[object]:
    """Text that would start a formula gets a leading apostrophe, which spreadsheets show as text.

    Numbers we write ourselves are left alone; every str is checked, so a
    student's reason, a username or a class name cannot run as a formula.
    """
    return ["'" + v if type(v) is str and v.startswith(FORMULA_STARTS) else v for v in row]


def timestamp(value: datetime | None) -> str:
    """ISO 8601 in UTC, e.g. 2025-03-01T14:05:09Z."""
    return value.isoformat(timespec="seconds") + "Z" if value else ""


def percent_cell(value: float | None) -> float:
    return round(float(value or 0) * 100, 1)


def figure(value: float | None) -> float | str:
    """A statistic to three decimals; blank when there is none."""
    return "" if value is None else round(value, 3)


def download_name(kind: str, scope: filters.Scope, quiz: str | None) -> str:
    """quizapp-<kind>[-<quiz>][-<class>]-<days>.csv: what the file holds, so downloads with
    other filters do not overwrite each other. Days are the filter's range, or today's date."""
    parts = ["quizapp", kind]
    if quiz:
        parts.append(quiz)
    if scope.classroom is not None:
        parts.append(_name_part(scope.classroom.name) or f"class-{scope.classroom.id}")
    if scope.start and scope.end:
        parts.append(f"{scope.start:%Y-%m-%d}-to-{scope.end:%Y-%m-%d}")
    elif scope.start:
        parts.append(f"from-{scope.start:%Y-%m-%d}")
    elif scope.end:
        parts.append(f"to-{scope.end:%Y-%m-%d}")
    else:
        parts.append(f"{utcnow():%Y-%m-%d}")
    return "-".join(parts) + ".csv"


def _name_part(name: str) -> str:
    """A class name as it may stand in a file name: letters and digits of any script, joined by '-'."""
    return re.sub(r"[\W_]+", "-", name.lower()).strip("-")[:60]


def _disposition(filename: str) -> str:
    """An attachment header with an ASCII name for old clients and the full name (RFC 6266) for the rest."""
    fallback = re.sub(r"[^A-Za-z0-9.-]+", "-", filename.encode("ascii", "replace").decode()).strip("-")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(
    filename: str,
    header: Sequence[str],
    statement: Select[*tuple[Any, ...]],
    convert: Callable[[Row[*tuple[Any, ...]]], Sequence[object]],
) -> Response:
    """Stream the rows of `statement` as CSV, each through `convert`, while the file is sent.

    The statement runs on a connection of its own, opened and closed by the
    stream: the generator needs no request context, so a download that is
    dropped half way (or never read) leaves nothing pushed or open behind.
    """
    engine = db.engine

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write(BOM)
        writer.writerow(header)
        with engine.connect() as connection:
            for row in connection.execute(statement.execution_options(yield_per=2000)):
                writer.writerow(neutralise_row(convert(row)))
                if buffer.tell() > FLUSH_AT:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    return _download(filename, generate())


def _download(filename: str, body: str | Iterator[str]) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        # An attachment, never sniffed as a page: the file holds students' text verbatim.
        headers={
            "Content-Disposition": _disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def csv_rows(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A small CSV built from rows already in memory (a few per question, not per answer)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(neutralise_row(row) for row in rows)
    return _download(filename, buffer.getvalue())
