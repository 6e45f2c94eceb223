"""The "exports" blueprint: CSV of scores (for a gradebook) and of raw answers.

Both are UTF-8 with a byte-order mark, so spreadsheet programs pick the right
encoding, and every text cell that a spreadsheet would read as a formula is
neutralised (see neutralise_row()). Filters from the review pages apply.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, request
from sqlalchemy import ColumnElement, Row, Select, case, distinct, func, select
from sqlalchemy.orm import aliased

from quizapp.accounts import classrooms
from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, QuestionVersion, Quiz, User, utcnow
from quizapp.review import filters
from quizapp.taking.answer_keys import scored_version_id

bp = Blueprint("exports", __name__)

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


def _timestamp(value: datetime | None) -> str:
    """ISO 8601 in UTC, e.g. 2025-03-01T14:05:09Z."""
    return value.isoformat(timespec="seconds") + "Z" if value else ""


def _percent(value: float | None) -> float:
    return round(float(value or 0) * 100, 1)


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

    return Response(
        generate(),
        mimetype="text/csv",
        # An attachment, never sniffed as a page: the file holds students' text verbatim.
        headers={
            "Content-Disposition": _disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def _quiz_filter() -> tuple[list[ColumnElement[bool]], str | None]:
    """The condition for ?quiz=<id>, and that id (404 for an unknown one)."""
    slug = request.args.get("quiz")
    if not slug:
        return [], None
    quiz_id = db.first_or_404(select(Quiz.id).filter_by(slug=slug))
    return [Attempt.quiz_id == quiz_id], slug


SCORE_HEADER = (
    "student",
    "classes",
    "quiz",
    "quiz_title",
    "attempts",
    "finished_attempts",
    "answers",
    "claim_type_percent",
    "speaker_percent",
    "evidence_percent",
    "total_percent",
)


@bp.route("/instructor/exports/scores.csv")
@instructor_required
def scores_csv() -> Response:
    """One row per student per quiz: share of points per part and in total, over the answers in range."""
    scope, _form = filters.current_scope()
    quiz_condition, quiz = _quiz_filter()
    conditions = [*quiz_condition, *scope.attempts()]
    class_names = classrooms.class_names_by_user()
    query = (
        select(
            User.id,
            User.username,
            Quiz.slug,
            Quiz.title,
            func.count(distinct(Attempt.id)),
            func.count(distinct(case((Attempt.finished_at.is_not(None), Attempt.id)))),
            func.count(Answer.id),
            func.avg(Answer.claim_type_score),
            func.avg(Answer.speaker_score),
            func.avg(Answer.evidence_score),
        )
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .filter(*conditions)
        .group_by(User.id, User.username, Quiz.id, Quiz.slug, Quiz.title)
        .order_by(User.username_key, Quiz.title)
    )

    def convert(row: Row[*tuple[Any, ...]]) -> Sequence[object]:
        user_id, username, slug, title, attempts, finished, answers, ct, sp, ev = row
        total = (float(ct or 0) + float(sp or 0) + float(ev or 0)) / 3
        return (
            username,
            "; ".join(class_names.get(user_id, [])),
            slug,
            title,
            attempts,
            finished,
            answers,
            _percent(ct),
            _percent(sp),
            _percent(ev),
            _percent(total),
        )

    return csv_response(download_name("scores", scope, quiz), SCORE_HEADER, query, convert)


ANSWER_HEADER = (
    "answer_id",
    "student",
    "quiz",
    "attempt_id",
    "attempt_started_at",
    "attempt_finished_at",
    "question",
    "question_version",
    "scored_against_version",
    "question_file",
    "question_line",
    "claim_type_chosen",
    "claim_type_key",
    "claim_type_score",
    "speaker_chosen",
    "speaker_key",
    "speaker_score",
    "evidence_chosen",
    "evidence_key",
    "evidence_score",
    "reason",
    "answered_at",
)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


@bp.route("/instructor/exports/answers.csv")
@instructor_required
def answers_csv() -> Response:
    """Every answer with its reason, the version answered and the one scored against, and timestamps (UTC)."""
    scope, _form = filters.current_scope()
    quiz_condition, quiz = _quiz_filter()
    # Plain columns, not ORM objects: tens of thousands of rows stream quickly.
    key = aliased(QuestionVersion)
    query = (
        select(
            Answer.id,
            User.username,
            Quiz.slug,
            Attempt.id,
            Attempt.started_at,
            Attempt.finished_at,
            Question.slug,
            QuestionVersion.number,
            key.number,
            Quiz.path,
            QuestionVersion.line,
            Answer.claim_type,
            key.claim_type,
            Answer.claim_type_score,
            Answer.speaker,
            key.speaker,
            Answer.speaker_score,
            Answer.evidence,
            key.evidence,
            Answer.evidence_score,
            Answer.reason,
            Answer.answered_at,
        )
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Question, Question.id == Answer.question_id)
        .join(QuestionVersion, QuestionVersion.id == Answer.question_version_id)
        # The key the scores were computed from: after a regrade, a newer version's.
        .join(key, key.id == scored_version_id())
        .filter(*quiz_condition, *scope.attempts())
        .order_by(Answer.id)
    )

    def convert(row: Row[*tuple[Any, ...]]) -> Sequence[object]:
        (
            answer_id,
            username,
            quiz,
            attempt_id,
            started,
            finished,
            question,
            number,
            scored,
            path,
            line,
            claim_type,
            claim_key,
            claim_score,
            speaker,
            speaker_key,
            speaker_score,
            evidence,
            evidence_key,
            evidence_score,
            reason,
            answered,
        ) = row
        return (
            answer_id,
            username,
            quiz,
            attempt_id,
            _timestamp(started),
            _timestamp(finished),
            question,
            number,
            scored,
            path,
            line,
            claim_type,
            claim_key,
            claim_score,
            speaker,
            speaker_key,
            speaker_score,
            _yes_no(evidence),
            _yes_no(evidence_key),
            evidence_score,
            reason,
            _timestamp(answered),
        )

    return csv_response(download_name("answers", scope, quiz), ANSWER_HEADER, query, convert)
