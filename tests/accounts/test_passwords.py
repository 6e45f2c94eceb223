"""Passwords: changing your own, a teacher's reset with a one-time password, and the commands."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.security import check_password_hash

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.models import ADMIN, INSTRUCTOR, STUDENT, Classroom, User

from ..support import Actor, csrf_token
from .test_sessions import change_password, signed_in

ONE_TIME = re.compile(r'<code class="one-time-password">([A-Z0-9-]+)</code>')


def account(app: Flask, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username=username))
        assert user is not None
        db.session.expunge(user)
        return user


def can_sign_in(app: Flask, username: str, password: str) -> bool:
    return Actor(app.test_client()).login(username, password).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong horse", "a brand new phrase", None, "This is not your current password."),
        ("correct horse", "short", None, "Use at least 8 characters."),
        ("correct horse", "a brand new phrase", "another phrase", "The passwords differ."),
        ("correct horse", "correct horse", None, "Choose a password different from the current one."),
        ("", "a brand new phrase", None, "Type your current password."),
    ],
)
def test_changing_a_password_needs_the_current_one_and_a_good_new_one(
    app: Flask, student: Actor, current: str, new: str, confirm: str | None, message: str
) -> None:
    response = change_password(student, current, new, confirm)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert can_sign_in(app, "ada", "correct horse")


def test_a_changed_password_is_the_only_one_that_works(app: Flask, student: Actor) -> None:
    assert change_password(student, "correct horse", "a brand new phrase").status_code == 302
    assert not can_sign_in(app, "ada", "correct horse")
    assert can_sign_in(app, "ada", "a brand new phrase")


def class_with(app: Flask, instructor_name: str, class_name: str, *students: str) -> int:
    with app.app_context():
        teacher = db.session.scalar(select(User.id).filter_by(username=instructor_name))
        classroom = classrooms.create_classroom(class_name, created_by_id=teacher)
        for name in students:
            member = db.session.scalar(select(User.id).filter_by(username=name))
            assert member is not None
            classrooms.join(classroom, member)
        return classroom.id


def reset_from_class_page(instructor: Actor, classroom: int, student_id: int) -> str:
    path = f"/instructor/classes/{classroom}/members/{student_id}/password"
    confirmation = instructor.client.get(path)
    assert confirmation.status_code == 200 and "Reset the password of ada?" in confirmation.get_data(as_text=True)
    response = instructor.client.post(path, data={"csrf_token": csrf_token(instructor.client, path), "confirm": "yes"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    found = ONE_TIME.search(response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:800]
    return found.group(1)


def test_a_teacher_resets_a_students_password_and_the_student_must_replace_it(
    app: Flask, student: Actor, instructor: Actor
) -> None:
    classroom = class_with(app, "teacher", "Period 1", "ada")
    ada = account(app, "ada").id
    assert f"/instructor/classes/{classroom}/members/{ada}/password" in instructor.client.get(
        f"/instructor/classes/{classroom}"
    ).get_data(as_text=True)
    one_time = reset_from_class_page(instructor, classroom, ada)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", one_time)
    assert not signed_in(student.client)  # the reset ended ada's sessions
    assert not can_sign_in(app, "ada", "correct horse")
    assert account(app, "ada").must_change_password

    # With the one-time password ada signs in, and every page leads to choosing a new one.
    arrived = student.login("ada", one_time)
    assert arrived.headers["Location"] == "/account"
    for path in ("/", "/results", "/quizzes/bridge"):
        assert student.client.get(path).headers["Location"] == "/account", path
    page = student.client.get("/account").get_data(as_text=True)
    assert "Your password was reset" in page
    assert change_password(student, one_time, "my own new phrase").status_code == 302
    assert student.client.get("/").status_code == 200
    assert not account(app, "ada").must_change_password
    assert not can_sign_in(app, "ada", one_time) and can_sign_in(app, "ada", "my own new phrase")


def test_a_teacher_cannot_reset_someone_outside_their_classes(app: Flask, student: Actor, instructor: Actor) -> None:
    other = Actor(app.test_client())
    other.register("bob")
    classroom = class_with(app, "teacher", "Period 1", "ada")
    bob = account(app, "bob").id
    with app.app_context():
        teacher = db.session.scalar(select(User.id).filter_by(username="teacher"))
        # An instructor who joined the class as a member is not the teacher's to reset either.
        db.session.add(User(username="mr-b", password_hash="x", role=INSTRUCTOR))
        db.session.commit()
        mr_b = db.session.scalar(select(User.id).filter_by(username="mr-b"))
        assert teacher and mr_b
        joined = db.session.get(Classroom, classroom)
        assert joined is not None
        classrooms.join(joined, mr_b)
    for target in (bob, mr_b):
        path = f"/instructor/classes/{classroom}/members/{target}/password"
        token = csrf_token(instructor.client, f"/instructor/classes/{classroom}")
        assert instructor.client.get(path).status_code == 404
        assert instructor.client.post(path, data={"csrf_token": token, "confirm": "yes"}).status_code == 404
    assert can_sign_in(app, "bob", "correct horse")


def test_the_reset_command_prints_a_one_time_password_and_ends_sessions(app: Flask, student: Actor) -> None:
    result = app.test_cli_runner().invoke(args=["reset-password", "ADA"])
    assert result.exit_code == 0, result.output
    assert "student 'ada' is reset and every session of the account has ended" in result.output
    one_time = result.output.split("One-time password: ")[1].split()[0]
    assert not signed_in(student.client)
    assert student.login("ada", one_time).headers["Location"] == "/account"
    missing = app.test_cli_runner().invoke(args=["reset-password", "nobody"])
    assert missing.exit_code == 1 and "There is no account 'nobody'." in missing.output


def test_create_instructor_refuses_an_existing_username_without_promote(app: Flask, student: Actor) -> None:
    before = account(app, "ada")
    result = app.test_cli_runner().invoke(args=["create-instructor", "Ada", "--generate"])
    assert result.exit_code == 1
    assert "An account 'ada' exists already (a student). Nothing changed." in result.output
    assert "--promote" in result.output and "reset-password ada" in result.output
    after = account(app, "ada")
    assert (after.role, after.password_hash) == (STUDENT, before.password_hash)


def test_create_instructor_promote_changes_the_role_and_keeps_the_password(app: Flask, student: Actor) -> None:
    result = app.test_cli_runner().invoke(args=["create-instructor", "ada", "--promote"])
    assert result.exit_code == 0, result.output
    assert "ada is now an instructor (was a student)." in result.output
    assert account(app, "ada").role == INSTRUCTOR and can_sign_in(app, "ada", "correct horse")
    again = app.test_cli_runner().invoke(args=["create-instructor", "ada", "--promote"])
    assert "ada is already an instructor; nothing changed." in again.output
    admin = app.test_cli_runner().invoke(args=["create-instructor", "ada", "--promote", "--admin"])
    assert "ada is now an admin (was an instructor)." in admin.output and account(app, "ada").role == ADMIN
    nobody = app.test_cli_runner().invoke(args=["create-instructor", "nobody", "--promote"])
    assert nobody.exit_code == 1 and "There is no account 'nobody' to promote" in nobody.output


def test_create_instructor_makes_an_admin_when_asked(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-instructor", "head", "--generate", "--admin"])
    assert result.exit_code == 0 and "Created an admin 'head'." in result.output
    password = result.output.split("Password: ")[1].strip()
    user = account(app, "head")
    assert user.role == ADMIN and check_password_hash(user.password_hash, password)


def test_setup_makes_the_first_account_an_admin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert account(app, "instructor").role == ADMIN
    again = app.test_cli_runner().invoke(args=["setup"])
    assert "reset-password USERNAME" in again.output
