"""Failed sign-ins are limited per username and address, per address, and (slower) per
username; new accounts per address; each with a clear 429 page. With Redis every
worker and server counts together."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from quizapp import create_app
from quizapp.accounts.users import create_user
from quizapp.config import ConfigError
from quizapp.db import db
from quizapp.models import User

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
    app.config.update(
        SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS="3 per minute",
        SIGNIN_LIMIT_PER_USERNAME="6 per hour",
        SIGNIN_LIMIT_PER_ADDRESS="5 per minute",
        REGISTER_LIMIT_PER_ADDRESS="3 per hour",
    )
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
    assert "Wait 1 minute, then try again." in page or "minutes, then try again." in page
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert "Traceback" not in page


def test_failures_for_one_username_from_one_address_are_limited(limited_app: Flask) -> None:
    guesser = client_from(limited_app, "10.0.0.1")
    for attempt in ("a", "b", "c"):
        assert "Wrong username or password." in sign_in(guesser, "ada", attempt).get_data(as_text=True)
    assert_refused(sign_in(guesser, "ada", "d"))
    assert_refused(sign_in(guesser, "ADA", "correct horse"))  # spelt another way, the same username
    # Another account from the same address is not affected, nor this one from elsewhere.
    assert sign_in(guesser, "bob", "correct horse").status_code == 302
    assert sign_in(client_from(limited_app, "10.0.0.2"), "ada", "correct horse").status_code == 302


def test_f7_guessing_from_elsewhere_cannot_lock_the_owner_out(limited_app: Flask) -> None:
    """Wrong guesses from many addresses reach the slower per-username limit, which
    holds back new addresses but not one the account signed in from before."""
    home = client_from(limited_app, "10.0.0.2")
    assert sign_in(home, "ada", "correct horse").status_code == 302  # ada's usual place
    for n in range(6):  # spread thin: no address reaches its own limits
        assert sign_in(client_from(limited_app, f"10.9.0.{n}"), "ada", "guess").status_code == 200
    assert_refused(sign_in(client_from(limited_app, "10.9.0.99"), "ada", "guess"))  # a new place waits
    assert_refused(sign_in(client_from(limited_app, "10.9.0.98"), "ada", "correct horse"))  # even with the password
    assert sign_in(client_from(limited_app, "10.0.0.2"), "ada", "correct horse").status_code == 302  # ada does not
    assert sign_in(client_from(limited_app, "10.9.0.97"), "bob", "correct horse").status_code == 302


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


def register(client: FlaskClient, username: str) -> TestResponse:
    token = csrf_token(client, "/register")
    data = {"username": username, "password": "a long password", "confirm": "a long password", "csrf_token": token}
    return client.post("/register", data=data)


def accounts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_f3_new_accounts_are_limited_per_address(limited_app: Flask) -> None:
    before = accounts(limited_app)
    for n in range(3):
        assert register(client_from(limited_app, "10.0.0.6"), f"new{n}").status_code == 302
    refused = register(client_from(limited_app, "10.0.0.6"), "one-too-many")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Too many accounts were made from this network lately." in page and "ask your teacher" in page
    assert accounts(limited_app) == before + 3  # the refused one was not made
    assert register(client_from(limited_app, "10.0.0.7"), "elsewhere").status_code == 302
    # A form that fails (a taken name) makes no account and does not count.
    taken = register(client_from(limited_app, "10.0.0.8"), "ada")
    assert taken.status_code == 400 and "That username is taken" in taken.get_data(as_text=True)
    for n in range(3):
        assert register(client_from(limited_app, "10.0.0.8"), f"later{n}").status_code == 302


def test_f3_the_registration_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_REGISTER_LIMIT_PER_ADDRESS", "lots")
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert "QUIZAPP_REGISTER_LIMIT_PER_ADDRESS='lots' is not a rate limit" in refused.value.message


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


REDIS_ENV = "QUIZAPP_TEST_REDIS_URL"
DEFAULT_REDIS = "redis://127.0.0.1:6379"


def redis_url() -> str:
    """The Redis server of the shared-count tests: QUIZAPP_TEST_REDIS_URL (CI sets it, and then
    a server that does not answer fails these tests), else one on 127.0.0.1:6379 if it answers."""
    named = os.environ.get(REDIS_ENV, "").strip()
    url = named or DEFAULT_REDIS
    where = urlsplit(url)
    try:
        socket.create_connection((where.hostname or "127.0.0.1", where.port or 6379), timeout=2).close()
    except OSError as error:
        reason = f"no Redis server answers at {url} ({error.strerror or error})"
        if named:
            pytest.fail(f"{reason}, which {REDIS_ENV} names", pytrace=False)
        pytest.skip(f"{reason}: start one (Debian: apt-get install redis-server) or set {REDIS_ENV}")
    return url


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on one database and one Redis: two gunicorn workers, or two servers."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": "k" * 32,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "RATELIMIT_STORAGE_URL": redis_url(),
        "SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS": "2 per minute",
        "SIGNIN_LIMIT_PER_USERNAME": "4 per hour",
        "REGISTER_LIMIT_PER_ADDRESS": "2 per hour",
    }
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        db.create_all()
    yield first, second
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def fresh(prefix: str) -> str:
    """A name no earlier run used: counts kept in Redis outlive the test."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def fresh_address() -> str:
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250}"


def test_f7_with_redis_every_worker_counts_the_same_failures(two_workers: tuple[Flask, Flask]) -> None:
    first, second = two_workers
    username, address = fresh("redis"), fresh_address()
    assert sign_in(client_from(first, address), username, "a").status_code == 200
    assert sign_in(client_from(second, address), username, "b").status_code == 200
    assert sign_in(client_from(first, address), username, "c").status_code == 429
    assert sign_in(client_from(second, address), username, "d").status_code == 429


def test_f7_with_redis_every_worker_knows_where_the_owner_signs_in(two_workers: tuple[Flask, Flask]) -> None:
    first, second = two_workers
    username, home = fresh("owner"), fresh_address()
    with first.app_context():
        create_user(username, "correct horse")
    assert sign_in(client_from(first, home), username, "correct horse").status_code == 302
    for _ in range(4):  # spread over addresses and workers: the per-username limit is reached
        assert sign_in(client_from(second, fresh_address()), username, "guess").status_code == 200
    assert sign_in(client_from(first, fresh_address()), username, "correct horse").status_code == 429
    assert sign_in(client_from(second, home), username, "correct horse").status_code == 302


def test_f3_with_redis_every_worker_counts_the_same_new_accounts(two_workers: tuple[Flask, Flask]) -> None:
    first, second = two_workers
    address = fresh_address()
    assert register(client_from(first, address), fresh("reg")).status_code == 302
    assert register(client_from(second, address), fresh("reg")).status_code == 302
    assert register(client_from(first, address), fresh("reg")).status_code == 429


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
