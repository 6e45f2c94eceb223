"""Sessions that end (F2): a cookie copied before sign-out, a password change, a reset,
"Sign out everywhere" or a deactivation signs nobody in when it is sent again."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from quizapp.db import db
from quizapp.models import SignIn, User

from ..support import Actor, csrf_token


def captured_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str) -> FlaskClient:
    """Another browser sending a copy of the cookie, as an attacker or a forgotten tab would."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/results")
    return response.status_code == 200


def sign_ins(app: Flask, username: str) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(SignIn)
                .join(User, User.id == SignIn.user_id)
                .filter_by(username=username)
            )
            or 0
        )


def test_f2_a_cookie_copied_before_sign_out_no_longer_signs_in(app: Flask, student: Actor) -> None:
    copy = captured_cookie(student.client)
    assert signed_in(replay(app, copy))  # the copy works while the session lasts
    student.logout()
    replayed = replay(app, copy)
    response = replayed.get("/results")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "session=;" in response.headers.get("Set-Cookie", "") or replayed.get_cookie("session") is None
    assert sign_ins(app, "ada") == 0


def test_sign_out_ends_only_this_browsers_session(app: Flask, student: Actor) -> None:
    phone = Actor(app.test_client())
    phone.login("ada")
    assert sign_ins(app, "ada") == 2
    student.logout()
    assert not signed_in(student.client) and signed_in(phone.client)


def test_sign_out_everywhere_ends_every_session(app: Flask, student: Actor) -> None:
    phone = Actor(app.test_client())
    phone.login("ada")
    copy = captured_cookie(student.client)
    token = csrf_token(student.client, "/account")
    response = student.client.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not signed_in(student.client) and not signed_in(phone.client) and not signed_in(replay(app, copy))
    assert sign_ins(app, "ada") == 0


def change_password(actor: Actor, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_token(actor.client, "/account")
    return actor.client.post(
        "/account/password",
        data={"csrf_token": token, "current": current, "password": new, "confirm": confirm or new},
    )


def test_a_password_change_ends_other_sessions_and_keeps_this_one(app: Flask, student: Actor) -> None:
    phone = Actor(app.test_client())
    phone.login("ada")
    copy = captured_cookie(student.client)
    response = change_password(student, "correct horse", "a brand new phrase")
    assert response.status_code == 302
    assert signed_in(student.client)  # this browser goes on
    assert not signed_in(phone.client) and not signed_in(replay(app, copy))
    assert sign_ins(app, "ada") == 1


def test_a_deactivated_account_is_signed_out_at_its_next_request(app: Flask, student: Actor) -> None:
    assert signed_in(student.client)
    with app.app_context():
        db.session.execute(update(User).filter_by(username="ada").values(active=False))
        db.session.commit()
    assert not signed_in(student.client)
    page = student.login("ada").get_data(as_text=True)
    assert "This account is deactivated" in page and not signed_in(student.client)


def test_a_sign_in_older_than_the_session_lifetime_has_ended(app: Flask, student: Actor) -> None:
    """However often its cookie was renewed, a sign-in lasts at most PERMANENT_SESSION_LIFETIME."""
    with app.app_context():
        db.session.execute(update(SignIn).values(created_at=SignIn.created_at - timedelta(days=31, seconds=1)))
        db.session.commit()
    assert not signed_in(student.client)


def test_a_cookie_naming_another_users_sign_in_signs_nobody_in(app: Flask, student: Actor) -> None:
    """The sign-in row and the user id in the cookie must belong together."""
    other = Actor(app.test_client())
    other.register("bob")
    with app.app_context():
        ada = db.session.scalar(select(User.id).filter_by(username="ada"))
        bobs = db.session.scalar(select(SignIn.id).join(User, User.id == SignIn.user_id).filter_by(username="bob"))
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"], session["sign_in"] = ada, bobs
    assert not signed_in(client)


def test_the_signed_in_user_is_read_in_the_one_statement_as_before(app: Flask, student: Actor) -> None:
    """Checking the session costs no query of its own: the question page still makes three."""
    from sqlalchemy import event

    attempt = student.start()
    student.client.get(f"/attempts/{attempt}")  # the quiz snapshot is read once; count the page after that
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert student.client.get(f"/attempts/{attempt}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 3, statements
    assert "sign_in" in statements[0] and "active" in statements[0]
