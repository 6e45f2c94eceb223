"""Behind a reverse proxy: X-Forwarded-* headers are believed only when QUIZAPP_PROXIES says a proxy sets them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.db import db

from .support import csrf_token

FORWARDED_HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "localhost"}


@pytest.fixture
def proxied(app: Flask) -> Iterator[Flask]:
    """The same app and database, told that one proxy (nginx) stands in front of it."""
    behind = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "PROXIES": "1",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    yield behind
    with behind.app_context():
        db.engine.dispose()


def sign_in(client: FlaskClient, **headers: str) -> tuple[int, str]:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"username": "nobody", "password": "wrong password", "csrf_token": token},
        headers={**FORWARDED_HTTPS, **headers},
    )
    return response.status_code, response.get_data(as_text=True)


def test_without_a_proxy_forwarded_headers_are_ignored(client: FlaskClient) -> None:
    # Were https believed, Flask-WTF's strict check would refuse a form sent without a Referer.
    status, page = sign_in(client)
    assert status == 200 and "Wrong username or password." in page


def test_behind_a_proxy_its_https_is_believed(proxied: Flask) -> None:
    client = proxied.test_client()
    status, page = sign_in(client)
    assert status == 400 and "sent from another site" in page  # https: the Referer must name this site
    status, page = sign_in(client, Referer="https://localhost/login")
    assert status == 200 and "Wrong username or password." in page


def test_a_proxy_count_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ConfigError, match="QUIZAPP_PROXIES must be a number"):
        create_app({"TESTING": True, "SECRET_KEY": "x" * 30, "PROXIES": "nginx"})
