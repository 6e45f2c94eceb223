"""What other rooms' pages show of disputes, as template globals.

The feedback page (taking), the student's answers and results and the score
pages (review) show disputes, but those rooms sit below this one and cannot
import it. Their templates include `templates/disputes/_*.html`, which call the
functions registered here. Each reads only what its page needs, and only when
the page shows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError

from quizapp import formatting
from quizapp.disputes import outcomes, parts, queue

NAV_COUNT = "open_disputes"


def open_dispute_count() -> int | None:
    """Open disputes beside "Instructor" in the navigation; only instructors' pages ask,
    once per request. None when it cannot be read: the navigation is no reason for an error page."""
    user = getattr(g, "user", None)
    if user is None or not user.is_instructor:
        return None
    if NAV_COUNT not in g:
        try:
            g.open_disputes = queue.open_count(user.id)
        except SQLAlchemyError:  # e.g. an error page shown after the database failed
            current_app.logger.warning("Open disputes could not be counted for the navigation", exc_info=True)
            g.open_disputes = None
    count: int | None = g.open_disputes
    return count


def answer_disputes(answer_ids: Iterable[int]) -> dict[int, outcomes.AnswerView]:
    """The signed-in student's disputes of these answers (templates pass the ids of the page's answers)."""
    return outcomes.of_answers(answer_ids)


def my_disputes() -> list[outcomes.Outcome]:
    return outcomes.of_student(g.user.id)


def dispute_flags(quiz_id: int, question_id: int | None = None) -> dict[int, list[tuple[str, int]]]:
    """Questions of a quiz with a part that many of the instructor's students dispute."""
    return queue.contested(g.user.id, quiz_id, question_id)


def init_app(app: Flask) -> None:
    for function in (open_dispute_count, answer_disputes, my_disputes, dispute_flags):
        app.add_template_global(function)
    app.jinja_env.globals.update(part_names=parts.NAMES, part_words=parts.IN_A_SENTENCE)
    app.add_template_global(parts.label, "part_choice_label")
    app.add_template_global(formatting.labels, "choice_labels")
