"""Accounts and access: hashed passwords, sign-in, redirects, role checks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import User

from ..support import Actor, csrf_token


def test_register_stores_a_hashed_password(app: Flask, client: FlaskClient) -> None:
    Actor(client).register("grace", "a long password")
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="grace"))
        assert user is not None and user.role == "student"
        assert "a long password" not in user.password_hash
        assert user.password_hash.startswith("scrypt:")


def test_register_refuses_taken_username_in_any_case(app: Flask, client: FlaskClient) -> None:
    Actor(client).register("grace")
    other = Actor(app.test_client())
    token = csrf_token(other.client, "/register")
    response = other.client.post(
        "/register", data={"username": "Grace", "password": "12345678", "confirm": "12345678", "csrf_token": token}
    )
    assert "That username is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_register_checks_password_confirmation(client: FlaskClient) -> None:
    token = csrf_token(client, "/register")
    response = client.post(
        "/register", data={"username": "lin", "password": "12345678", "confirm": "87654321", "csrf_token": token}
    )
    assert "The passwords differ." in response.get_data(as_text=True)


def test_wrong_password_is_refused(student: Actor) -> None:
    student.logout()
    response = student.login("ada", "wrong password")
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert student.client.get("/").status_code == 302


def test_anonymous_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/", "/results", "/quizzes/bridge", "/instructor", "/instructor/quizzes/bridge"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path


SIGN_IN_NOTE = "Please sign in to see that page. You will be taken back to it."


def test_a_visitor_sent_to_sign_in_is_told_why(client: FlaskClient) -> None:
    target = client.get("/quizzes/bridge").headers["Location"]
    assert SIGN_IN_NOTE in client.get(target).get_data(as_text=True)
    # Opened on purpose, or with a `next` that would lead off the site: no such note.
    assert SIGN_IN_NOTE not in client.get("/login").get_data(as_text=True)
    assert SIGN_IN_NOTE not in client.get("/login?next=//evil.example/").get_data(as_text=True)


def test_sign_in_returns_to_the_page_asked_for(app: Flask, student: Actor) -> None:
    student.logout()
    response = student.login("ada", next_url="/results")
    assert response.headers["Location"] == "/results"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "results"]
)
def test_sign_in_never_redirects_off_site(student: Actor, target: str) -> None:
    student.logout()
    response = student.login("ada", next_url=target)
    assert response.headers["Location"] == "/"


def test_student_cannot_open_instructor_pages(student: Actor) -> None:
    for path in ("/instructor", "/instructor/quizzes/bridge", "/instructor/students/1", "/instructor/questions/1"):
        assert student.client.get(path).status_code == 403, path


def test_student_cannot_open_another_students_attempt(app: Flask, student: Actor) -> None:
    attempt = student.start()
    from ..taking.test_quiz_flow import RIGHT

    student.answer(attempt, *RIGHT[0])
    other = Actor(app.test_client())
    other.register("bob")
    for path in (f"/attempts/{attempt}", f"/attempts/{attempt}/summary", f"/attempts/{attempt}/answers/1"):
        assert other.client.get(path).status_code == 404, path
    token = csrf_token(other.client, "/")
    response = other.client.post(f"/attempts/{attempt}/answer", data={"csrf_token": token})
    assert response.status_code == 404


def test_logout_needs_a_post_with_token(student: Actor) -> None:
    assert student.client.get("/logout").status_code == 405
    student.client.post("/logout", data={})
    assert student.client.get("/").status_code == 200  # still signed in
    student.logout()
    assert student.client.get("/").status_code == 302


def test_session_cookie_flags(client: FlaskClient) -> None:
    Actor(client).register("cookie")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_pages_that_change_nothing_send_no_cookie(student: Actor) -> None:
    """The sign-in cookie lasts 31 days and is not renewed by every page."""
    attempt = student.start()
    cookie = student.client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert timedelta(days=30) < cookie.expires - datetime.now(timezone.utc) <= timedelta(days=31)
    response = student.client.get(f"/attempts/{attempt}")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert student.client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\r\n/evil.example",
        "///evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        " //evil.example",
        "https:evil.example",
        "http://127.0.0.1.evil.example/",
    ],
)
def test_sign_in_never_redirects_off_site_with_browser_quirks(student: Actor, target: str) -> None:
    """Browsers drop tabs and newlines and read backslashes as slashes: none of these may leave the site."""
    from urllib.parse import quote

    student.logout()
    token = csrf_token(student.client, "/login")
    response = student.client.post(
        f"/login?next={quote(target, safe='')}",
        data={"username": "ada", "password": "correct horse", "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_an_id_too_large_for_the_database_is_not_found(student: Actor) -> None:
    huge = "9" * 30
    for path in (f"/attempts/{huge}", f"/attempts/{huge}/summary", f"/attempts/1/answers/{huge}"):
        assert student.client.get(path).status_code == 404, path
