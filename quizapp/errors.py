"""Error pages: every error is a plain page from a template, never a traceback."""

from __future__ import annotations

from flask import Flask, Response, current_app, make_response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from quizapp.db import BUSY_TIMEOUT_MS, db, is_lock_timeout

MESSAGES = {
    400: "The request could not be understood. Go back and try again.",
    403: "This page is for instructors only.",
    404: "There is nothing at this address.",
    405: "That action is not available here.",
    413: "What you sent is too large. Shorten your explanation and try again.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. Your saved answers are safe; please try again.",
    503: (
        "The server is very busy right now and could not save this. Wait a few seconds, then "
        "press the button again: an answer is never stored twice."
    ),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _page(code: int, message: str | None = None) -> tuple[str, int]:
    text = message or MESSAGES.get(code, "Something went wrong.")
    return render_template("error.html", code=code, message=text), code


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return _page(400, "This form had expired or was sent from another site. Go back, reload the page and try again.")


# Headers an error must keep on its page: when to retry, which methods are allowed.
KEPT_HEADERS = ("Retry-After", "Allow")


def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    response = make_response(_page(code, getattr(error, "page_message", None)))
    for name, value in error.get_headers():
        if name in KEPT_HEADERS:
            response.headers[name] = value
    return response


def _unexpected_error(error: Exception) -> tuple[str, int] | Response:
    # Undo whatever the failed request wrote; what was committed before stays.
    db.session.rollback()
    if isinstance(error, OperationalError) and is_lock_timeout(error):
        current_app.logger.warning("SQLite write lock not obtained within %d ms", BUSY_TIMEOUT_MS)
        response = make_response(_page(503))
        response.headers["Retry-After"] = "5"
        return response
    current_app.logger.exception("Unhandled error", exc_info=error)
    return _page(500, MESSAGES[500])
