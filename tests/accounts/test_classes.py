"""Classes: made on a page or from the command line, joined at registration or later."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select

from quizapp.accounts.classrooms import CODE_ALPHABET
from quizapp.db import db
from quizapp.models import ClassMembership, Classroom, User

from ..support import Actor, csrf_token

CODE = re.compile(rf"\b([{CODE_ALPHABET}]{{4}})-([{CODE_ALPHABET}]{{4}})\b")


def create_class(instructor: Actor, name: str):  # type: ignore[no-untyped-def]
    token = csrf_token(instructor.client, "/instructor/classes")
    return instructor.client.post(
        "/instructor/classes", data={"name": name, "csrf_token": token}, follow_redirects=True
    )


def code_on(page: str) -> str:
    match = CODE.search(page)
    assert match, page[:800]
    return f"{match.group(1)}-{match.group(2)}"


def register(client_actor: Actor, username: str, join_code: str = "") -> str:
    token = csrf_token(client_actor.client, "/register")
    response = client_actor.client.post(
        "/register",
        data={
            "username": username,
            "password": "correct horse",
            "confirm": "correct horse",
            "join_code": join_code,
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def members(app: Flask, name: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(User.username)
                .join(ClassMembership, ClassMembership.user_id == User.id)
                .join(Classroom, Classroom.id == ClassMembership.classroom_id)
                .filter(Classroom.name == name)
                .order_by(User.username)
            )
        )


def test_instructor_creates_a_class_and_gets_a_readable_code(app: Flask, instructor: Actor) -> None:
    page = create_class(instructor, "  Period   3 ").get_data(as_text=True)
    code = code_on(page)
    assert "Class &#39;Period 3&#39; created" in page
    with app.app_context():
        stored = db.session.scalar(select(Classroom).filter_by(name="Period 3"))
        assert stored is not None and stored.join_code == code.replace("-", "")
    listing = instructor.client.get("/instructor/classes").get_data(as_text=True)
    assert "Period 3" in listing and code in listing


def test_codes_are_unique_and_use_only_unambiguous_characters(app: Flask, instructor: Actor) -> None:
    for n in range(12):
        create_class(instructor, f"Group {n}")
    with app.app_context():
        codes = list(db.session.scalars(select(Classroom.join_code)))
    assert len(codes) == 12 and len(set(codes)) == 12
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set(CODE_ALPHABET) & set("01OIL")


def test_a_taken_or_empty_name_is_refused_with_a_message(app: Flask, instructor: Actor) -> None:
    create_class(instructor, "History A")
    again = create_class(instructor, "history a")
    assert again.status_code == 400 and "exists already" in again.get_data(as_text=True)
    empty = create_class(instructor, "   ")
    assert empty.status_code == 400 and "Give the class a name." in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Classroom)) == 1


def test_creating_a_class_needs_the_csrf_token(app: Flask, instructor: Actor) -> None:
    response = instructor.client.post("/instructor/classes", data={"name": "No token"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0


def test_student_joins_at_registration_with_a_code_typed_loosely(app: Flask, instructor: Actor) -> None:
    code = code_on(create_class(instructor, "Period 1").get_data(as_text=True))
    typed = " " + code.lower().replace("-", " ") + " "
    page = register(Actor(app.test_client()), "ada", typed)
    assert "You joined Period 1." in page
    assert members(app, "Period 1") == ["ada"]


def test_a_wrong_code_at_registration_creates_no_account(app: Flask, instructor: Actor) -> None:
    create_class(instructor, "Period 1")
    page = register(Actor(app.test_client()), "ada", "ZZZZ-ZZZZ")
    assert "No class has this code" in page
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(username="ada")) is None


def test_registration_without_a_code_still_works(app: Flask) -> None:
    page = register(Actor(app.test_client()), "ada")
    assert "Welcome!" in page and "You joined" not in page


def test_student_joins_later_and_once(app: Flask, instructor: Actor, student: Actor) -> None:
    code = code_on(create_class(instructor, "Period 2").get_data(as_text=True))
    wrong = student.client.post(
        "/classes/join", data={"code": "BCDF-GHJK", "csrf_token": csrf_token(student.client, "/classes/join")}
    )
    assert wrong.status_code == 400 and "No class has this code" in wrong.get_data(as_text=True)
    joined = student.client.post(
        "/classes/join",
        data={"code": code, "csrf_token": csrf_token(student.client, "/classes/join")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "You joined Period 2." in joined and "You are in: Period 2." in joined
    again = student.client.post(
        "/classes/join",
        data={"code": code, "csrf_token": csrf_token(student.client, "/classes/join")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "You are already in Period 2." in again
    assert members(app, "Period 2") == ["ada"]
    assert "Period 2" in student.client.get("/results").get_data(as_text=True)


def test_instructor_removes_a_student_from_a_class(app: Flask, instructor: Actor) -> None:
    code = code_on(create_class(instructor, "Period 4").get_data(as_text=True))
    register(Actor(app.test_client()), "ada", code)
    with app.app_context():
        class_id = db.session.scalar(select(Classroom.id).filter_by(name="Period 4"))
        ada_id = db.session.scalar(select(User.id).filter_by(username="ada"))
    detail = instructor.client.get(f"/instructor/classes/{class_id}").get_data(as_text=True)
    assert "ada" in detail and code in detail
    remove = f"/instructor/classes/{class_id}/members/{ada_id}/remove"
    assert f'href="{remove}"' in detail  # a link to a confirmation page, not a button that acts at once
    confirmation = instructor.client.get(remove).get_data(as_text=True)
    assert "Remove ada from Period 4?" in confirmation and "every answer they gave are kept" in confirmation
    token = csrf_token(instructor.client, remove)
    unconfirmed = instructor.client.post(remove, data={"csrf_token": token})
    assert unconfirmed.status_code == 200 and members(app, "Period 4") == ["ada"]
    instructor.client.post(remove, data={"csrf_token": token, "confirm": "yes"})
    assert members(app, "Period 4") == []


def test_create_class_command_prints_the_code(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-class", "Evening group"])
    assert result.exit_code == 0, result.output
    code = code_on(result.output)
    with app.app_context():
        assert db.session.scalar(select(Classroom.join_code).filter_by(name="Evening group")) == code.replace("-", "")
    again = runner.invoke(args=["create-class", "evening GROUP"])
    assert again.exit_code == 1 and "exists already" in again.output and "Traceback" not in again.output
    empty = runner.invoke(args=["create-class", "  "])
    assert empty.exit_code == 1 and "Give the class a name." in empty.output
