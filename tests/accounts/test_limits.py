"""Failed sign-ins are limited per username and per network address; a clear 429 page."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp import create_app
from quizapp.accounts.users import create_user
from quizapp.config import ConfigError
from quizapp.db import db

from ..support import csrf_token


def sign_in(client: FlaskClient, username: str, password: str) -> TestResponse:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def client_from(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture
def limited_app(app: Flask) -> Flask:
    app.config.update(SIGNIN_LIMIT_PER_USERNAME="3 per minute", SIGNIN_LIMIT_PER_ADDRESS="5 per minute")
    from quizapp.accounts import limits

    limits.init_app(app)  # read the smaller limits
    with app.app_context():
        create_user("ada", "correct horse")
        create_user("bob", "correct horse")
    return app


def assert_refused(response: TestResponse) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts for this username or from this network." in page
    assert "Wait 1 minute, then try again." in page
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Traceback" not in page


def test_failures_for_one_username_are_limited(limited_app: Flask) -> None:
    guesser = client_from(limited_app, "10.0.0.1")
    for attempt in ("a", "b", "c"):
        assert "Wrong username or password." in sign_in(guesser, "ada", attempt).get_data(as_text=True)
    assert_refused(sign_in(guesser, "ada", "d"))
    # Even the right password, from anywhere, waits: the limit is on the username.
    assert_refused(sign_in(client_from(limited_app, "10.0.0.2"), "ADA", "correct horse"))
    # Another account from the same address is not affected.
    assert sign_in(guesser, "bob", "correct horse").status_code == 302


def test_failures_from_one_address_are_limited(limited_app: Flask) -> None:
    guesser = client_from(limited_app, "10.0.0.3")
    for name in ("u1", "u2", "u3", "u4", "u5"):
        assert sign_in(guesser, name, "guess").status_code == 200
    assert_refused(sign_in(guesser, "bob", "correct horse"))
    # A student elsewhere still signs in.
    assert sign_in(client_from(limited_app, "10.0.0.4"), "bob", "correct horse").status_code == 302


def test_successful_sign_ins_do_not_count(limited_app: Flask) -> None:
    """A class behind one school address signs in at once without being slowed down."""
    school = "10.0.0.5"
    for _ in range(8):
        assert sign_in(client_from(limited_app, school), "ada", "correct horse").status_code == 302


def failed_sign_ins_through_a_proxy(app: Flask, forwarded_for: list[str]) -> list[int]:
    """Failed sign-ins as they arrive through a proxy at 127.0.0.1; the status of each."""
    proxy = client_from(app, "127.0.0.1")
    statuses = []
    for n, student in enumerate(forwarded_for):
        token = csrf_token(proxy, "/login")
        response = proxy.post(
            "/login",
            data={"username": f"x{n}", "password": "p", "csrf_token": token},
            headers={"X-Forwarded-For": student},
        )
        statuses.append(response.status_code)
    return statuses


def proxied_app(app: Flask, monkeypatch: pytest.MonkeyPatch, proxies: str) -> Flask:
    monkeypatch.setenv("QUIZAPP_PROXIES", proxies)
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k" * 32,
            "SIGNIN_LIMIT_PER_ADDRESS": "2 per minute",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )


def test_behind_a_declared_proxy_each_student_address_counts(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    statuses = failed_sign_ins_through_a_proxy(
        proxied_app(app, monkeypatch, "1"), ["10.1.0.1", "10.1.0.1", "10.1.0.1", "10.1.0.2"]
    )
    assert statuses == [200, 200, 429, 200]  # another student behind the same proxy is not held up


def test_without_a_declared_proxy_forwarded_addresses_are_ignored(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Otherwise anyone could dodge the limit by sending a new X-Forwarded-For each time."""
    statuses = failed_sign_ins_through_a_proxy(proxied_app(app, monkeypatch, "0"), ["10.1.0.1", "10.1.0.2", "10.1.0.3"])
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("url", ["nosuch://x", "bogus"])
def test_unknown_storage_is_refused_clearly(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("QUIZAPP_RATELIMIT_STORAGE_URL", url)
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert "QUIZAPP_RATELIMIT_STORAGE_URL" in refused.value.message and "redis://" in refused.value.message


def test_a_limit_that_does_not_parse_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_SIGNIN_LIMIT_PER_USERNAME", "ten a minute")
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert "QUIZAPP_SIGNIN_LIMIT_PER_USERNAME='ten a minute' is not a rate limit" in refused.value.message


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_running(), reason="no Redis server on 127.0.0.1:6379")
def test_redis_storage_is_shared_between_servers(tmp_path: Path) -> None:
    """Two apps stand for two gunicorn workers or two servers: with redis:// they count together."""
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    settings = {
        "TESTING": True,
        "SECRET_KEY": "k" * 32,
        "SQLALCHEMY_DATABASE_URI": database,
        "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379",
        "SIGNIN_LIMIT_PER_USERNAME": "2 per minute",
    }
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        db.create_all()
    username = f"redis-{uuid.uuid4().hex[:12]}"  # fresh keys: counts in Redis outlive the test
    address = f"10.2.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    assert sign_in(client_from(first, address), username, "a").status_code == 200
    assert sign_in(client_from(second, address), username, "b").status_code == 200
    assert sign_in(client_from(first, address), username, "c").status_code == 429
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def test_storage_outage_lets_people_sign_in(limited_app: Flask, tmp_path: Path) -> None:
    """With the shared storage down, sign-in works (unlimited) rather than failing for everyone."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": "k" * 32,
        "SQLALCHEMY_DATABASE_URI": limited_app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:1",
    }  # nothing listens on port 1
    app = create_app(settings)
    response = sign_in(app.test_client(), "ada", "correct horse")
    assert response.status_code == 302
    wrong = sign_in(app.test_client(), "ada", "wrong")
    assert "Wrong username or password." in wrong.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
