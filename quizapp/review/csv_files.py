"""Writing CSV files for download: formula-safe cells, streamed from a statement while they are sent.

UTF-8 with a byte-order mark, so spreadsheet programs pick the right encoding,
and every text cell that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from flask import Response
from sqlalchemy import Row, Select

from quizapp.db import db
from quizapp.models import utcnow

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


def csv_response(
    name: str,
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

    return _download(name, generate())


def _download(name: str, body: str | Iterator[str]) -> Response:
    filename = f"quizapp-{name}-{utcnow():%Y-%m-%d}.csv"
    return Response(
        body,
        mimetype="text/csv",
        # An attachment, never sniffed as a page: the file holds students' text verbatim.
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def csv_rows(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A small CSV built from rows already in memory (a few per question, not per answer)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(neutralise_row(row) for row in rows)
    return _download(name, buffer.getvalue())
