"""The "exports" blueprint: CSV of scores (for a gradebook) and of raw answers.

Both are UTF-8 with a byte-order mark, so spreadsheet programs pick the right
encoding, and every text cell that a spreadsheet would read as a formula is
neutralised (see neutralise_row()). Filters from the review pages apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Response, abort, request
from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import aliased

from quizapp.accounts import classrooms
from quizapp.accounts.access import instructor_required
from quizapp.db import db
from quizapp.formatting import SlugConverter
from quizapp.models import Answer, Attempt, Question, QuestionVersion, Quiz, User
from quizapp.review import filters
from quizapp.review.csv_files import csv_response, download_name, figure, percent_cell, timestamp
from quizapp.review.discernment import Judgements, judgement_columns, with_scored_key
from quizapp.taking.answer_keys import scored_version_id

bp = Blueprint("exports", __name__)

QUIZ_ID = re.compile(SlugConverter.regex)


def _quiz_filter() -> tuple[list[ColumnElement[bool]], str | None]:
    """The condition for ?quiz=<id>, and that id (404 for an unknown one)."""
    slug = request.args.get("quiz")
    if not slug:
        return [], None
    if not QUIZ_ID.fullmatch(slug):  # before any query: a NUL byte would fail on PostgreSQL
        abort(404)
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
    # Signal detection (review/sdt.py): d′ and c are blank below 10 answers or
    # without passages of both kinds; the counts are always given.
    "evidence_hits",
    "evidence_false_alarms",
    "evidence_d_prime",
    "evidence_bias_c",
    "checkable_d_prime",
    "checkable_bias_c",
    # Over the answers that said how sure the student was (blank when none did).
    "mean_confidence",
    "brier",
)


@bp.route("/instructor/exports/scores.csv")
@instructor_required
def scores_csv() -> Response:
    """One row per student per quiz: share of points per part and in total, over the answers in range."""
    scope, _form = filters.current_scope()
    quiz_condition, quiz = _quiz_filter()
    conditions = [*quiz_condition, *scope.attempts()]
    class_names = classrooms.class_names_by_user(taught_by=scope.teacher_id)
    # Sums per attempt first, read from the attempt table in id order (each attempt's answers
    # then come from the covering index in order: no sort over the answers), then per student
    # and quiz over those few rows.
    judged = judgement_columns()
    per_attempt = (
        with_scored_key(
            select(
                Attempt.id.label("attempt_id"),
                Attempt.user_id,
                Attempt.quiz_id,
                Attempt.finished_at,
                func.sum(Answer.claim_type_score).label("ct"),
                func.sum(Answer.speaker_score).label("sp"),
                func.sum(Answer.evidence_score).label("ev"),
                *(column.label(f"j{n}") for n, column in enumerate(judged)),
            )
            .select_from(Attempt)
            .join(Answer, Answer.attempt_id == Attempt.id)
        )
        .filter(*conditions)
        .group_by(Attempt.id, Attempt.user_id, Attempt.quiz_id, Attempt.finished_at)
        .subquery("per_attempt")
    )
    answers = per_attempt.c.j0  # judgement_columns() starts with the count of answers
    query = (
        select(
            User.id,
            User.username,
            Quiz.slug,
            Quiz.title,
            func.count(),
            func.count(per_attempt.c.finished_at),
            func.sum(answers),
            func.sum(per_attempt.c.ct) / func.sum(answers),
            func.sum(per_attempt.c.sp) / func.sum(answers),
            func.sum(per_attempt.c.ev) / func.sum(answers),
            *(func.sum(per_attempt.c[f"j{n}"]) for n in range(len(judged))),
        )
        .select_from(per_attempt)
        .join(User, User.id == per_attempt.c.user_id)
        .join(Quiz, Quiz.id == per_attempt.c.quiz_id)
        .group_by(User.id, User.username, Quiz.id, Quiz.slug, Quiz.title)
        .order_by(User.username_key, Quiz.title)
    )

    def convert(row: Row[*tuple[Any, ...]]) -> Sequence[object]:
        user_id, username, slug, title, attempts, finished, answers, ct, sp, ev, *sums = row
        total = (float(ct or 0) + float(sp or 0) + float(ev or 0)) / 3
        judged = Judgements.from_row(sums)
        return (
            username,
            "; ".join(class_names.get(user_id, [])),
            slug,
            title,
            attempts,
            finished,
            answers,
            percent_cell(ct),
            percent_cell(sp),
            percent_cell(ev),
            percent_cell(total),
            judged.evidence.hits,
            judged.evidence.false_alarms,
            figure(judged.evidence.shown_d_prime()),
            figure(judged.evidence.shown_criterion()),
            figure(judged.checkable.shown_d_prime()),
            figure(judged.checkable.shown_criterion()),
            figure(judged.mean_confidence),
            figure(judged.brier),
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
            timestamp(started),
            timestamp(finished),
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
            timestamp(answered),
        )

    return csv_response(download_name("answers", scope, quiz), ANSWER_HEADER, query, convert)
