"""Notices above the quiz list that rooms built on taking provide, such as a class session to join.

taking cannot import those rooms; each registers a function here when the app is
made, and the quiz list shows whatever they return for the signed-in student.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from markupsafe import Markup

NoticeSource = Callable[[int], Markup | None]  # user id -> a notice, or None
_KEY = "quizapp.quiz_list_notices"


def register(app: Flask, source: NoticeSource) -> None:
    app.extensions.setdefault(_KEY, []).append(source)


def for_user(user_id: int) -> list[Markup]:
    sources: list[NoticeSource] = current_app.extensions.get(_KEY, [])
    return [notice for source in sources if (notice := source(user_id)) is not None]
