"""Who may open the review pages, and what a bad filter in the address gives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from quizapp.db import db
from quizapp.models import Attempt, ClassMembership, Classroom

from ..databases import DatabaseSupply
from ..support import Actor, csrf_token
from .support import (
    RIGHT,
    class_id,
    create_class,
    make_app,
    question_ids,
    register,
    sign_in_instructor,
    take_quiz,
    user_id,
)


def build_school(folder: Path, databases: DatabaseSupply) -> tuple[Flask, Actor, Actor]:
    """An instructor, a class, and a student in it who took the quiz."""
    app = make_app(folder, databases)
    instructor = sign_in_instructor(app)
    code = create_class(instructor, "Period 1")
    student = register(app, "ada", code)
    take_quiz(student, RIGHT, ["one", "two", "three"])
    return app, instructor, student


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory, databases: DatabaseSupply) -> Iterator[tuple[Flask, Actor, Actor]]:
    """Shared by the tests that only read (refused requests change nothing; one test checks that)."""
    built = build_school(tmp_path_factory.mktemp("school"), databases)
    yield built
    with built[0].app_context():
        db.session.remove()
        db.engine.dispose()


def instructor_paths(app: Flask) -> list[tuple[str, str]]:
    """(method, path) of every instructor route, with real ids filled in."""
    ids = question_ids(app)
    classroom, ada = class_id(app, "Period 1"), user_id(app, "ada")
    teacher = user_id(app, "teacher")
    return [
        ("GET", "/instructor"),
        ("GET", "/instructor/classes"),
        ("POST", "/instructor/classes"),
        ("GET", f"/instructor/classes/{classroom}"),
        ("POST", f"/instructor/classes/{classroom}/rename"),
        ("POST", f"/instructor/classes/{classroom}/archive"),
        ("POST", f"/instructor/classes/{classroom}/unarchive"),
        ("POST", f"/instructor/classes/{classroom}/code"),
        ("GET", f"/instructor/classes/{classroom}/delete"),
        ("POST", f"/instructor/classes/{classroom}/delete"),
        ("POST", f"/instructor/classes/{classroom}/instructors"),
        ("POST", f"/instructor/classes/{classroom}/instructors/{teacher}/remove"),
        ("GET", f"/instructor/classes/{classroom}/members/{ada}/remove"),
        ("POST", f"/instructor/classes/{classroom}/members/{ada}/remove"),
        ("GET", f"/instructor/classes/{classroom}/members/{ada}/password"),
        ("POST", f"/instructor/classes/{classroom}/members/{ada}/password"),
        ("GET", "/instructor/quizzes/bridge"),
        ("GET", "/instructor/quizzes/bridge/students"),
        ("GET", "/instructor/quizzes/bridge/confusion"),
        ("GET", "/instructor/confusion"),
        ("GET", f"/instructor/questions/{ids['vote']}"),
        ("GET", f"/instructor/questions/{ids['vote']}/explanations"),
        ("GET", f"/instructor/students/{ada}"),
        ("GET", "/instructor/exports/scores.csv"),
        ("GET", "/instructor/exports/answers.csv"),
        ("GET", "/instructor/learning"),
        ("GET", "/instructor/quizzes/bridge/items"),
        ("GET", "/instructor/quizzes/bridge/items.csv"),
    ]


def test_the_list_covers_every_instructor_route_of_the_review_pages(school: tuple[Flask, Actor, Actor]) -> None:
    app = school[0]
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(path, method=method)[0] for method, path in instructor_paths(app)}
    review_blueprints = {"review", "quiz_review", "classes", "members", "exports", "learning"}
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/instructor") and rule.endpoint.split(".")[0] in review_blueprints
    }
    assert routes == covered


def test_a_student_is_refused_every_instructor_page_and_export(school: tuple[Flask, Actor, Actor]) -> None:
    app, _instructor, student = school
    token = csrf_token(student.client, "/classes/join")  # a valid token: only the role is wrong
    for method, path in instructor_paths(app):
        data = {"csrf_token": token, "name": "Hijack", "username": "ada", "confirm": "yes"}
        response = student.client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "for instructors only" in response.get_data(as_text=True)
    with app.app_context():
        [classroom] = db.session.scalars(select(Classroom)).all()
        assert classroom.name == "Period 1" and classroom.archived_at is None
        assert db.session.scalar(select(func.count()).select_from(ClassMembership)) == 1


def test_signed_out_visitors_are_sent_to_sign_in(school: tuple[Flask, Actor, Actor]) -> None:
    app = school[0]
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/login")
    for method, path in [
        *instructor_paths(app),
        ("GET", "/results"),
        ("GET", "/results/answers"),
        ("GET", "/classes/join"),
    ]:
        response = anonymous.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, path)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2025-02-30", "Enter a date as YYYY-MM-DD, for example 2025-03-01."),
        ("end=yesterday", "Enter a date as YYYY-MM-DD, for example 2025-03-01."),
        ("start=2025-03-02&end=2025-03-01", "The end date is before the start date."),
        ("classroom=999", "There is no such class; choose one from the list."),
        ("classroom=abc", "There is no such class; choose one from the list."),
    ],
)
def test_a_bad_filter_gets_a_clear_message_on_every_page(
    school: tuple[Flask, Actor, Actor], query: str, message: str
) -> None:
    app, instructor, _student = school
    for method, path in instructor_paths(app):
        if method != "GET" or "classes" in path:
            continue  # the class pages take no filter
        joiner = "&" if "?" in path else "?"
        response = instructor.client.get(f"{path}{joiner}{query}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (path, response.status_code)
        assert message in page and "Check the filter" in page, path


def test_extreme_dates_are_accepted(school: tuple[Flask, Actor, Actor]) -> None:
    _app, instructor, _student = school
    for query in ("start=0001-01-01", "end=9999-12-31", "start=2000-01-01&end=2000-01-01"):
        assert instructor.client.get(f"/instructor/quizzes/bridge?{query}").status_code == 200, query


def test_dates_pick_attempts_by_the_day_they_started(tmp_path: Path, databases: DatabaseSupply) -> None:
    app, instructor, _student = build_school(tmp_path, databases)
    bob = register(app, "bob", create_class(instructor, "Period 2"))
    take_quiz(bob, RIGHT, ["", "", ""])
    with app.app_context():  # bob took it in January 2024
        db.session.execute(
            update(Attempt)
            .filter(Attempt.user_id == user_id(app, "bob"))
            .values(started_at=datetime(2024, 1, 15, 23, 59))
        )
        db.session.commit()
    january = instructor.client.get("/instructor/quizzes/bridge?start=2024-01-01&end=2024-01-15").get_data(as_text=True)
    assert "<strong>1</strong> started" in january
    students = instructor.client.get("/instructor/quizzes/bridge/students?start=2024-01-01&end=2024-01-15").get_data(
        as_text=True
    )
    assert ">bob<" in students and ">ada<" not in students
    before = instructor.client.get("/instructor/quizzes/bridge?end=2024-01-14").get_data(as_text=True)
    assert "<strong>0</strong> started" in before
    rows = instructor.client.get("/instructor/exports/scores.csv?start=2024-01-15&end=2024-01-15").get_data(
        as_text=True
    )
    assert "bob" in rows and "ada" not in rows


def test_ids_too_large_for_the_database_are_not_found(school: tuple[Flask, Actor, Actor]) -> None:
    _app, instructor, _student = school
    huge = "9" * 25
    for path in (
        f"/instructor/students/{huge}",
        f"/instructor/questions/{huge}",
        f"/instructor/questions/{huge}/explanations",
        f"/instructor/classes/{huge}",
        f"/instructor/confusion?student={huge}",
    ):
        assert instructor.client.get(path).status_code == 404, path
