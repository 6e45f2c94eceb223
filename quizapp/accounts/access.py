"""The access rules routes declare: who may open a page.

Every route states its rule (login_required, instructor_required or public).
Each rule marks the view it guards, so a test can walk the URL map and find any
route that was added without one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, url_for

View = TypeVar("View", bound=Callable[..., Any])

ACCESS_RULE_ATTR = "access_rule"


def _mark(view: View, rule: str) -> View:
    setattr(view, ACCESS_RULE_ATTR, rule)
    return view


def login_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return _mark(wrapped, "login")  # type: ignore[return-value]


def instructor_required(view: View) -> View:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not g.user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return _mark(wrapped, "instructor")  # type: ignore[return-value]


def public(view: View) -> View:
    """Marks a route that anyone may open; every route states its rule."""
    return _mark(view, "public")
