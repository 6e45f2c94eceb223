"""The notice at the top of the quiz list when a class of the student's is live: "join"."""

from __future__ import annotations

from flask import Flask, render_template
from markupsafe import Markup

from quizapp.live import state
from quizapp.taking import notices


def init_app(app: Flask) -> None:
    notices.register(app, live_notice)


def live_notice(user_id: int) -> Markup | None:
    running = state.running_for_student(user_id)
    if not running:
        return None
    return Markup(render_template("live/_banner.html", running=running))
