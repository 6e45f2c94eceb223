"""Access, route by route: every route in the URL map, every kind of visitor, GET and POST.

The walk reads the URL map itself, so a route added later is checked too, and a
route added without an access rule (public, login_required, instructor_required,
admin_required) fails the first test. Five identities walk it: a signed-out
visitor, the student who owns the answers (ada), another student (bob), the
instructor who teaches ada's class (teacher) and another instructor (carol, who
teaches bob's class); an admin walks it too, on the side that must see everything.
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
from quizapp.accounts.users import create_user
from quizapp.db import db
from quizapp.live import control
from quizapp.models import (
    ADMIN,
    INSTRUCTOR,
    Answer,
    ClassInstructor,
    ClassMembership,
    Classroom,
    Dispute,
    Question,
    Quiz,
    User,
)

from ..routes import RULES, app_routes, build_path, rule_of
from ..support import Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT

# URL arguments that name something belonging to one student: another student
# must get 403/404 for them, never the page.
OWNED_ARGUMENTS = {"attempt_id", "answer_id", "user_id"}
# URL arguments that name a class or a student of the first instructor: another
# instructor gets 404 for them, as for something that does not exist.
TAUGHT_ARGUMENTS = {"classroom_id", "user_id", "live_id"}
# A question part's disputes belong to the students who sent them: another instructor finds none there.
TAUGHT_PREFIXES = ("/instructor/disputes/questions/",)
# Endpoints that end the walker's session: the walk signs in again after them.
SESSION_ENDING = {"auth.logout", "account.sign_out_everywhere"}
SECRET_REASON = "ada-private-reason-7f3a9c"
CLASS_NAME = "Walk class"


def test_every_route_declares_an_access_rule(app: Flask) -> None:
    missing = [r.rule for r in app_routes(app) if rule_of(app, r.endpoint) not in RULES]
    assert missing == [], f"routes without public / login_required / instructor_required / admin_required: {missing}"


def test_instructor_pages_are_guarded_by_the_instructor_rule(app: Flask) -> None:
    wrong = [
        r.rule for r in app_routes(app) if r.rule.startswith("/instructor") and rule_of(app, r.endpoint) != "instructor"
    ]
    assert wrong == []


def test_admin_pages_are_guarded_by_the_admin_rule(app: Flask) -> None:
    admin_routes = [r for r in app_routes(app) if r.rule.startswith("/admin")]
    assert admin_routes, "no admin pages found"
    assert [r.rule for r in admin_routes if rule_of(app, r.endpoint) != "admin"] == []


def test_a_view_without_a_rule_is_caught(app: Flask) -> None:
    """The marker check can fail: a bare view has no rule."""

    @app.route("/unguarded")
    def unguarded() -> str:
        return "anyone"

    missing = [r.rule for r in app_routes(app) if rule_of(app, r.endpoint) not in RULES]
    assert missing == ["/unguarded"]


@dataclass
class World:
    """Ada, in the class `teacher` teaches, has an attempt with one answer (and a private
    reason), and disputes its claim type key; bob is another student, in the class carol
    teaches; head is an admin."""

    owner: Actor
    other: Actor
    instructor: Actor
    other_instructor: Actor
    admin: Actor
    anonymous: FlaskClient
    values: dict[str, object]
    staff_values: dict[str, object]  # for the admin's pages about instructors: the teacher's id
    answer_form: dict[str, str]


def staff(app: Flask, username: str, role: str = INSTRUCTOR) -> Actor:
    with app.app_context():
        create_user(username, f"{username} password", role=role)
    actor = Actor(app.test_client())
    actor.login(username, f"{username} password")
    return actor


@pytest.fixture
def world(app: Flask, student: Actor, instructor: Actor) -> World:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0], reason=SECRET_REASON)
    _token, next_version = student.current_form(attempt)
    other = Actor(app.test_client())
    other.register("bob")
    carol = staff(app, "carol")
    head = staff(app, "head", ADMIN)
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id).filter_by(attempt_id=attempt))
        question_id = db.session.scalar(select(Question.id).filter_by(slug="vote"))
        ids = dict(db.session.execute(select(User.username, User.id)).all())
        walk_class = classrooms.create_classroom(CLASS_NAME, created_by_id=ids["teacher"])
        classrooms.join(walk_class, ids["ada"])
        carols_class = classrooms.create_classroom("Carol's class", created_by_id=ids["carol"])
        classrooms.join(carols_class, ids["bob"])
        classroom_id = walk_class.id
        # A live session of Ada's class, so that the walk reaches its pages with a real id.
        quiz_id = db.session.scalar(select(Quiz.id).filter_by(slug="bridge"))
        assert quiz_id is not None
        live_id = control.start(quiz_id, classroom_id, ids["teacher"]).id
    disputed = student.client.post(
        f"/answers/{answer_id}/disputes/claim_type",
        data={"csrf_token": csrf_token(student.client, "/"), "argued_for": "opinion", "reason": "It judges the vote."},
    )
    assert disputed.status_code == 302
    with app.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    values = {
        "slug": "bridge",
        "attempt_id": attempt,
        "answer_id": answer_id,
        "question_id": question_id,
        "user_id": ids["ada"],
        "classroom_id": classroom_id,
        "part": "claim_type",
        "live_id": live_id,
    }
    # One form for every POST route: answer fields, a name for a new class, a dispute and rulings on it,
    # a quiz and class to teach live.
    answer_form = {
        "version": next_version,
        "claim_type": "opinion",
        "speaker": "mayor",
        "evidence": "no",
        "reason": "posted by someone else",
        "name": "Another class",
        "argued_for": "opinion",
        "disputes": str(dispute_id),
        "reply": "The count and the day make it checkable.",
        "answer": "opinion",
        "accept_as": "key",
        "fingerprint": "not-the-preview",
        "quiz": str(quiz_id),
        "classroom": str(classroom_id),
    }
    return World(
        student,
        other,
        instructor,
        carol,
        head,
        app.test_client(),
        values,
        {**values, "user_id": ids["teacher"]},
        answer_form,
    )


def visit(client: FlaskClient, method: str, path: str, form: dict[str, str]) -> tuple[int, str, str]:
    """One request with the visitor's own CSRF token, so that the access rule answers, not CSRF."""
    response = client.open(path, method=method, data=form if method == "POST" else None)
    return response.status_code, response.headers.get("Location", ""), response.get_data(as_text=True)


def token_for(client: FlaskClient, signed_in: bool) -> str:
    return csrf_token(client, "/account" if signed_in else "/login")


Seen = list[tuple[Rule, str, int, str, str]]


def walk(app: Flask, world: World, client: FlaskClient, sign_in_again: Callable[[], object] | None = None) -> Seen:
    """Every route, GET and POST, as one visitor; after signing out, sign in again."""
    signed_in = sign_in_again is not None
    token = token_for(client, signed_in)
    seen = []
    for rule in app_routes(app):
        values = world.staff_values if rule.rule.startswith("/admin/instructors/") else world.values
        path = build_path(rule, values)
        for method in ("GET", "POST"):
            status, location, body = visit(client, method, path, {**world.answer_form, "csrf_token": token})
            seen.append((rule, method, status, location, body))
            if rule.endpoint in SESSION_ENDING and method == "POST":
                # Signing out clears the session and its CSRF token: start a new one.
                assert client.get("/").status_code == 302, f"{rule.endpoint} did not sign out"
                if sign_in_again is not None:
                    sign_in_again()
                token = token_for(client, signed_in)
    return seen


def answers_in(app: Flask, attempt_id: object) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer).filter_by(attempt_id=attempt_id)) or 0


def allowed(rule: Rule, method: str) -> bool:
    return method in (rule.methods or set())


def words(body: str) -> list[str]:
    """The page's text, word by word, without its markup."""
    return re.sub(r"<[^>]*>", " ", body).split()


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
        assert "ada" not in words(body), where  # no other student's name either
        if not allowed(rule, method):
            assert status == 405, where
        elif rule_of(app, rule.endpoint) in ("instructor", "admin"):
            assert status == 403, (where, status)
        elif OWNED_ARGUMENTS & set(rule.arguments):
            assert status in (403, 404), (where, status, location)
    assert answers_in(app, world.values["attempt_id"]) == 1


def class_state(app: Flask) -> tuple[object, ...]:
    """What the first instructor's class is: its name, code, archive, members, instructors; and ada's account."""
    with app.app_context():
        classroom = db.session.scalar(select(Classroom).filter_by(name=CLASS_NAME))
        assert classroom is not None, "the class is gone or renamed"
        members = db.session.scalars(select(ClassMembership.user_id).filter_by(classroom_id=classroom.id)).all()
        teachers = db.session.scalars(select(ClassInstructor.user_id).filter_by(classroom_id=classroom.id)).all()
        ada = db.session.scalar(select(User).filter_by(username="ada"))
        assert ada is not None
        return (classroom.join_code, classroom.archived_at, sorted(members), sorted(teachers), ada.password_hash)


def test_another_instructor(app: Flask, world: World) -> None:
    """Carol teaches bob's class: she sees none of ada, her answers or her class, and changes nothing of them."""
    before = class_state(app)
    seen = walk(
        app, world, world.other_instructor.client, lambda: world.other_instructor.login("carol", "carol password")
    )
    for rule, method, status, location, body in seen:
        where = f"{method} {rule.rule}"
        assert status < 500, where
        assert SECRET_REASON not in body, where
        assert "ada" not in words(body) and CLASS_NAME not in body, where
        if not allowed(rule, method):
            assert status == 405, where
        elif rule_of(app, rule.endpoint) == "admin":
            assert status == 403, (where, status)
        elif rule_of(app, rule.endpoint) == "instructor" and (
            TAUGHT_ARGUMENTS & set(rule.arguments) or rule.rule.startswith(TAUGHT_PREFIXES)
        ):
            assert status == 404, (where, status, location)
        elif rule_of(app, rule.endpoint) == "instructor":
            assert status in (200, 302, 400) and not location.startswith("/login"), (where, status, location)
    assert class_state(app) == before
    assert answers_in(app, world.values["attempt_id"]) == 1
    # Her own class and student she does see.
    home = world.other_instructor.client.get("/instructor").get_data(as_text=True)
    assert "bob" in words(home) and "Carol&#39;s class" in home


def test_owner_instructor_and_admin_get_pages_not_errors(app: Flask, world: World) -> None:
    """The walk's positive side: the same requests that others are refused work for
    the people they belong to, and the private reason is really on those pages."""
    secret_shown_to = set()
    sign_in = {
        "instructor": lambda: world.instructor.login("teacher", "teacher password"),
        "owner": lambda: world.owner.login("ada"),
        "admin": lambda: world.admin.login("head", "head password"),
    }
    for who, actor in (("instructor", world.instructor), ("owner", world.owner), ("admin", world.admin)):
        for rule, method, status, location, body in walk(app, world, actor.client, sign_in[who]):
            where = f"{who}: {method} {rule.rule}"
            rule_name = rule_of(app, rule.endpoint)
            assert status < 500, where
            if not allowed(rule, method):
                assert status == 405, where
            elif (rule_name in ("instructor", "admin") and who == "owner") or (
                rule_name == "admin" and who == "instructor"
            ):
                assert status == 403, (where, status)
            elif rule_name in ("instructor", "admin"):
                # The page, an action done and a redirect to see its result, or a form that refuses the walk's data.
                assert status in (200, 302, 400) and not location.startswith("/login"), (where, status, location)
            if SECRET_REASON in body:
                secret_shown_to.add(who)
    assert secret_shown_to == {"owner", "instructor", "admin"}


def test_every_post_route_needs_a_csrf_token(app: Flask, world: World) -> None:
    """CSRF on every form, instructor and admin actions included: without the token nothing happens."""
    before = answers_in(app, world.values["attempt_id"]), class_state(app)
    for actor in (world.instructor, world.owner, world.admin):
        for rule in app_routes(app):
            if "POST" in (rule.methods or ()):
                path = build_path(rule, world.values)
                response = actor.client.post(path, data={**world.answer_form, "confirm": "yes"})
                assert response.status_code == 400, (path, response.status_code)
                assert "This form had expired or was sent from another site." in response.get_data(as_text=True)
        assert actor.client.get("/").status_code == 200  # still signed in: sign-out without a token did nothing
    assert (answers_in(app, world.values["attempt_id"]), class_state(app)) == before


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_unknown_ids_tell_the_refused_nothing(app: Flask, world: World, who: str) -> None:
    """An id that does not exist must not tell a student (on instructor and admin
    pages) or an instructor (on admin pages) more than one that does."""
    actor = world.other if who == "student" else world.other_instructor
    refused = {"student": ("instructor", "admin"), "instructor": ("admin",)}[who]
    token = token_for(actor.client, signed_in=True)
    for rule in app_routes(app):
        if rule_of(app, rule.endpoint) not in refused:
            continue
        path = build_path(rule, {"slug": "no-such-quiz", "question_id": 99999, "user_id": 99999, "classroom_id": 99999})
        for method in sorted(rule.methods & {"GET", "POST"}):  # type: ignore[operator]
            status, _location, _body = visit(actor.client, method, path, {"csrf_token": token})
            assert status == 403, (method, path, status)
