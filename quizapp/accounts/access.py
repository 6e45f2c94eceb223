"""The access rules routes declare: who may open a page.

Every route states its rule: `public`, `login_required` (any signed-in account),
`instructor_required` (instructors and admins) or `admin_required`. Each rule
marks the view it guards, so a test can walk the URL map and find any route that
was added without one.

A rule decides who may open a kind of page; which rows an instructor may see on
it (the students of the classes they teach) is `visibility.py`'s job.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, url_for
from werkzeug.exceptions import Forbidden

View = TypeVar("View", bound=Callable[..., Any])

ACCESS_RULE_ATTR = "access_rule"
PUBLIC, LOGIN, INSTRUCTOR, ADMIN = "public", "login", "instructor", "admin"
RULES = (PUBLIC, LOGIN, INSTRUCTOR, ADMIN)


class AdminsOnly(Forbidden):
    page_message = "This page is for administrators only."


def _mark(view: View, rule: str) -> View:
    setattr(view, ACCESS_RULE_ATTR, rule)
    return view


def _guard(view: View, rule: str, allowed: Callable[[Any], bool], refuse: Callable[[], Any]) -> View:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not allowed(g.user):
            refuse()
        return view(*args, **kwargs)

    return _mark(wrapped, rule)  # type: ignore[return-value]  # functools.wraps keeps the signature at run time


def _forbidden() -> None:
    abort(403)


def _admins_only() -> None:
    raise AdminsOnly()


def login_required(view: View) -> View:
    """Any signed-in account."""
    return _guard(view, LOGIN, lambda user: True, _forbidden)


def instructor_required(view: View) -> View:
    """Instructors and admins; an instructor then sees only the classes they teach."""
    return _guard(view, INSTRUCTOR, lambda user: user.is_instructor, _forbidden)


def admin_required(view: View) -> View:
    """Admins only: managing instructors, and a student's data as a whole (privacy)."""
    return _guard(view, ADMIN, lambda user: user.is_admin, _admins_only)


def public(view: View) -> View:
    """Marks a route that anyone may open; every route states its rule."""
    return _mark(view, PUBLIC)
