"""quizapp: a media-literacy quiz. `create_app()` builds the Flask app.

The package is laid out by what people do with the app, lowest room first:

    bank/files  question files read and validated (no Flask, no database)
    spine       config, db, models, schema, forms, formatting, errors, backup
    accounts    sign-in, access rules, limits, classes
    taking      the quiz as students take it
    bank        sync, regrade, the Question bank pages and commands
    review      score pages, aggregates, charts, CSV exports
    live        a class taken through a quiz together: projector, control page, students' page

A room imports only rooms below it (tests/test_layering.py checks this). This
module, cli.py and wsgi.py sit on top and wire the rooms together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from quizapp import cli, errors, formatting, schema
from quizapp.accounts import class_views, limits
from quizapp.accounts import views as accounts_views
from quizapp.bank import views as bank_views
from quizapp.config import PROJECT_ROOT, ensure_secret_key, from_environment, trust_proxies
from quizapp.db import db
from quizapp.extensions import csrf
from quizapp.live import banner
from quizapp.live import instructor_views as live_instructor_views
from quizapp.live import views as live_views
from quizapp.review import exports, quiz_views
from quizapp.review import views as review_views
from quizapp.taking import views as taking_views


def format_points(value: float) -> str:
    """2.0 -> '2', 2.5 -> '2.5': scores come in halves."""
    return f"{value:g}"


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.from_mapping(from_environment(app.instance_path))
    if overrides:
        app.config.from_mapping(overrides)
    ensure_secret_key(app.config, app.instance_path)
    trust_proxies(app)

    db.init_app(app)
    schema.init_app(app)
    csrf.init_app(app)
    limits.init_app(app)
    accounts_views.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    app.jinja_env.filters["points"] = format_points
    formatting.init_app(app)  # first: routes use its <id:...> converter
    review_views.init_app(app)
    banner.init_app(app)
    for blueprint in (
        accounts_views.bp,
        class_views.bp,
        taking_views.bp,
        bank_views.bp,
        review_views.bp,
        quiz_views.bp,
        exports.bp,
        live_views.bp,
        live_instructor_views.bp,
    ):
        app.register_blueprint(blueprint)
    return app
