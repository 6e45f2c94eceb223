"""Access, route by route: every route in the URL map, every kind of visitor, GET and POST.

The walk reads the URL map itself, so a route added later is checked too, and a
route added without an access rule (auth.public, login_required,
instructor_required) fails the first test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.live import control
from quizapp.models import Answer, Question, Quiz, User

from ..routes import RULES, app_routes, build_path, rule_of
from ..support import Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT

# URL arguments that name something belonging to one student: another student
# must get 403/404 for them, never the page.
OWNED_ARGUMENTS = {"attempt_id", "answer_id", "user_id"}
SECRET_REASON = "ada-private-reason-7f3a9c"


def test_every_route_declares_an_access_rule(app: Flask) -> None:
    missing = [r.rule for r in app_routes(app) if rule_of(app, r.endpoint) not in RULES]
    assert missing == [], f"routes without auth.public / login_required / instructor_required: {missing}"


def test_instructor_pages_are_guarded_by_the_instructor_rule(app: Flask) -> None:
    wrong = [
        r.rule for r in app_routes(app) if r.rule.startswith("/instructor") and rule_of(app, r.endpoint) != "instructor"
    ]
    assert wrong == []


def test_a_view_without_a_rule_is_caught(app: Flask) -> None:
    """The marker check can fail: a bare view has no rule."""

    @app.route("/unguarded")
    def unguarded() -> str:
        return "anyone"

    missing = [r.rule for r in app_routes(app) if rule_of(app, r.endpoint) not in RULES]
    assert missing == ["/unguarded"]


@dataclass
class World:
    """Ada has an attempt with one answer (and a private reason); Bob is another student."""

    owner: Actor
    other: Actor
    instructor: Actor
    anonymous: FlaskClient
    values: dict[str, object]
    answer_form: dict[str, str]


@pytest.fixture
def world(app: Flask, student: Actor, instructor: Actor) -> World:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0], reason=SECRET_REASON)
    _token, next_version = student.current_form(attempt)
    other = Actor(app.test_client())
    other.register("bob")
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id).filter_by(attempt_id=attempt))
        question_id = db.session.scalar(select(Question.id).filter_by(slug="vote"))
        ada_id = db.session.scalar(select(User.id).filter_by(username="ada"))
        teacher_id = db.session.scalar(select(User.id).filter_by(username="teacher"))
        assert ada_id is not None and teacher_id is not None
        classroom = classrooms.create_classroom("Walk class", created_by_id=teacher_id)
        classrooms.join(classroom, ada_id)
        classroom_id = classroom.id
        # A live session of Ada's class, so that the walk reaches its pages with a real id.
        quiz_id = db.session.scalar(select(Quiz.id).filter_by(slug="bridge"))
        assert quiz_id is not None
        live_id = control.start(quiz_id, classroom_id, teacher_id).id
    values = {
        "slug": "bridge",
        "attempt_id": attempt,
        "answer_id": answer_id,
        "question_id": question_id,
        "user_id": ada_id,
        "classroom_id": classroom_id,
        "live_id": live_id,
    }
    # One form for every POST route: answer fields, a name for a new class, a quiz and class to teach live.
    answer_form = {
        "version": next_version,
        "claim_type": "opinion",
        "speaker": "mayor",
        "evidence": "no",
        "reason": "posted by someone else",
        "name": "Another class",
        "quiz": str(quiz_id),
        "classroom": str(classroom_id),
    }
    return World(student, other, instructor, app.test_client(), values, answer_form)


def visit(client: FlaskClient, method: str, path: str, form: dict[str, str]) -> tuple[int, str, str]:
    """One request with the visitor's own CSRF token, so that the access rule answers, not CSRF."""
    response = client.open(path, method=method, data=form if method == "POST" else None)
    return response.status_code, response.headers.get("Location", ""), response.get_data(as_text=True)


def token_for(client: FlaskClient, signed_in: bool) -> str:
    return csrf_token(client, "/" if signed_in else "/login")


Seen = list[tuple[Rule, str, int, str, str]]


def walk(app: Flask, world: World, client: FlaskClient, sign_in_again: Callable[[], object] | None = None) -> Seen:
    """Every route, GET and POST, as one visitor; after signing out, sign in again."""
    signed_in = sign_in_again is not None
    token = token_for(client, signed_in)
    seen = []
    for rule in app_routes(app):
        path = build_path(rule, world.values)
        for method in ("GET", "POST"):
            status, location, body = visit(client, method, path, {**world.answer_form, "csrf_token": token})
            seen.append((rule, method, status, location, body))
            if rule.endpoint == "auth.logout" and method == "POST":
                # Signing out clears the session and its CSRF token: start a new one.
                assert client.get("/").status_code == 302, "signing out did not sign out"
                if sign_in_again is not None:
                    sign_in_again()
                token = token_for(client, signed_in)
    return seen


def answers_in(app: Flask, attempt_id: object) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer).filter_by(attempt_id=attempt_id)) or 0


def allowed(rule: Rule, method: str) -> bool:
    return method in (rule.methods or set())


def test_anonymous_visitor(app: Flask, world: World) -> None:
    for rule, method, status, location, body in walk(app, world, world.anonymous):
        where = f"{method} {rule.rule}"
        assert status < 500, where
        assert SECRET_REASON not in body, where
        if rule_of(app, rule.endpoint) == "public":
            continue
        if allowed(rule, method):
            assert status == 302 and location.startswith("/login?next="), (where, status, location)
        else:
            assert status == 405, (where, status)
    assert answers_in(app, world.values["attempt_id"]) == 1


def test_another_student(app: Flask, world: World) -> None:
    for rule, method, status, location, body in walk(app, world, world.other.client, lambda: world.other.login("bob")):
        where = f"{method} {rule.rule}"
        assert status < 500, where
        assert SECRET_REASON not in body, where
        assert "ada" not in re.sub(r"<[^>]*>", " ", body).split(), where  # no other student's name either
        if not allowed(rule, method):
            assert status == 405, where
        elif rule_of(app, rule.endpoint) == "instructor":
            assert status == 403, (where, status)
        elif OWNED_ARGUMENTS & set(rule.arguments):
            assert status in (403, 404), (where, status, location)
    assert answers_in(app, world.values["attempt_id"]) == 1


def test_owner_and_instructor_get_pages_not_errors(app: Flask, world: World) -> None:
    """The walk's positive side: the same requests that others are refused work for
    the people they belong to, and the private reason is really on those pages."""
    secret_shown_to = set()
    sign_in = {
        "instructor": lambda: world.instructor.login("teacher", "teacher password"),
        "owner": lambda: world.owner.login("ada"),
    }
    for who, actor in (("instructor", world.instructor), ("owner", world.owner)):
        for rule, method, status, location, body in walk(app, world, actor.client, sign_in[who]):
            where = f"{who}: {method} {rule.rule}"
            assert status < 500, where
            if not allowed(rule, method):
                assert status == 405, where
            elif rule_of(app, rule.endpoint) == "instructor" and who == "owner":
                assert status == 403, (where, status)
            elif rule_of(app, rule.endpoint) == "instructor":
                # The page, or an action done and a redirect to see its result.
                assert status in (200, 302, 303) and not location.startswith("/login"), (where, status, location)
            if SECRET_REASON in body:
                secret_shown_to.add(who)
    assert secret_shown_to == {"owner", "instructor"}


def test_every_post_route_needs_a_csrf_token(app: Flask, world: World) -> None:
    """CSRF on every form, instructor actions included: without the token nothing happens."""
    before = answers_in(app, world.values["attempt_id"])
    for actor in (world.instructor, world.owner):
        for rule in app_routes(app):
            if "POST" in (rule.methods or ()):
                path = build_path(rule, world.values)
                response = actor.client.post(path, data=world.answer_form)
                assert response.status_code == 400, (path, response.status_code)
                assert "This form had expired or was sent from another site." in response.get_data(as_text=True)
        assert actor.client.get("/").status_code == 200  # still signed in: sign-out without a token did nothing
    assert answers_in(app, world.values["attempt_id"]) == before


def test_students_get_403_on_every_instructor_page_even_for_unknown_ids(app: Flask, world: World) -> None:
    """An id that does not exist must not tell a student more than one that does."""
    token = token_for(world.other.client, signed_in=True)
    for rule in app_routes(app):
        if rule_of(app, rule.endpoint) != "instructor":
            continue
        path = build_path(rule, {"slug": "no-such-quiz", "question_id": 99999, "user_id": 99999})
        for method in sorted(rule.methods & {"GET", "POST"}):  # type: ignore[operator]
            status, _location, _body = visit(world.other.client, method, path, {"csrf_token": token})
            assert status == 403, (method, path, status)
