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

from flask import Blueprint, Response, abort, request
from sqlalchemy import ColumnElement, Row, Select, case, distinct, func, select
from sqlalchemy.orm import aliased

from quizapp.accounts import classrooms
from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.formatting import SlugConverter
from quizapp.models import Answer, Attempt, Question, QuestionVersion, Quiz, User, utcnow
from quizapp.review import filters
from quizapp.taking.answer_keys import scored_version_id

bp = Blueprint("exports", __name__)

# A cell starting with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (tab and CR too: some programs strip them, then see "=").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
FLUSH_AT = 64 * 1024
QUIZ_ID = re.compile(SlugConverter.regex)


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

    filename = f"quizapp-{name}-{utcnow():%Y-%m-%d}.csv"
    return Response(
        generate(),
        mimetype="text/csv",
        # An attachment, never sniffed as a page: the file holds students' text verbatim.
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def _quiz_filter() -> list[ColumnElement[bool]]:
    slug = request.args.get("quiz")
    if not slug:
        return []
    if not QUIZ_ID.fullmatch(slug):  # before any query: a NUL byte would fail on PostgreSQL
        abort(404)
    quiz_id = db.first_or_404(select(Quiz.id).filter_by(slug=slug))
    return [Attempt.quiz_id == quiz_id]


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
    conditions = [*_quiz_filter(), *scope.attempts()]
    class_names = classrooms.class_names_by_user(taught_by=scope.teacher_id)
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

    return csv_response("scores", SCORE_HEADER, query, convert)


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
        .filter(*_quiz_filter(), *scope.attempts())
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

    return csv_response("answers", ANSWER_HEADER, query, convert)
