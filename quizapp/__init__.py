"""quizapp: a media-literacy quiz. `create_app()` builds the Flask app.

The package is laid out by what people do with the app, lowest room first:

    bank/files  question files read and validated (no Flask, no database)
    spine       config, db, models, schema, forms, formatting, errors, headers, integers, backup
    accounts    sign-in and sessions, roles and access rules, limits, classes, privacy
    taking      the quiz as students take it
    bank        sync, regrade, the Question bank pages and commands
    review      score pages, aggregates, charts, CSV exports
    disputes    students dispute keys; instructors settle them, regrade
    live        a class taken through a quiz together: projector, control page, students' page

A room imports only rooms below it (tests/test_layering.py checks this). This
module, cli.py and wsgi.py sit on top and wire the rooms together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from quizapp import cli, errors, formatting, headers, schema
from quizapp.accounts import account_views, admin_views, class_views, limits, member_views
from quizapp.accounts import views as accounts_views
from quizapp.bank import views as bank_views
from quizapp.config import PROJECT_ROOT, bank_limits, ensure_secret_key, from_environment, trust_proxies
from quizapp.db import db
from quizapp.disputes import limits as dispute_limits
from quizapp.disputes import queue_views, templating
from quizapp.disputes import views as disputes_views
from quizapp.forms import csrf
from quizapp.live import banner
from quizapp.live import instructor_views as live_instructor_views
from quizapp.live import views as live_views
from quizapp.review import exports, learning_views, quiz_views
from quizapp.review import views as review_views
from quizapp.taking import context_views
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
    app.config["BANK_LIMITS"] = bank_limits(app.config)

    db.init_app(app)
    schema.init_app(app)
    csrf.init_app(app)
    limits.init_app(app)
    dispute_limits.init_app(app)
    accounts_views.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    cli.init_app(app)

    app.jinja_env.filters["points"] = format_points
    formatting.init_app(app)  # first: routes use its <id:...> converter
    review_views.init_app(app)
    templating.init_app(app)
    banner.init_app(app)
    for blueprint in (
        accounts_views.bp,
        account_views.bp,
        class_views.bp,
        member_views.bp,
        admin_views.bp,
        taking_views.bp,
        context_views.bp,
        bank_views.bp,
        review_views.bp,
        quiz_views.bp,
        exports.bp,
        disputes_views.bp,
        queue_views.bp,
        learning_views.bp,
        live_views.bp,
        live_instructor_views.bp,
    ):
        app.register_blueprint(blueprint)
    return app
