"""quizapp: a media-literacy quiz. `create_app()` builds the Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import auth, bank_admin, cli, errors, quiz, ratelimit, review, schema
from .config import PROJECT_ROOT, ensure_secret_key, from_environment, trust_proxies
from .db import db
from .extensions import csrf


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
    ratelimit.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    app.jinja_env.filters["points"] = format_points
    review.init_app(app)  # first: it adds the <id:...> converter; then the review blueprints
    app.register_blueprint(auth.bp)
    app.register_blueprint(quiz.bp)
    app.register_blueprint(bank_admin.bp)
    return app
