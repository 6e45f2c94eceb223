"""Changing a class: rename, archive, a new code, co-teachers, delete; answers are never deleted with it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from quizapp.accounts.users import create_user
from quizapp.db import db
from quizapp.models import INSTRUCTOR, Answer, ClassInstructor, ClassMembership, Classroom, User

from ..support import Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT
from .test_classes import code_on, create_class, members, register


def make_class(app: Flask, instructor: Actor, name: str, *students: str) -> tuple[int, str]:
    """A class made on the page, joined by new students who each answer one passage; (id, code)."""
    code = code_on(create_class(instructor, name).get_data(as_text=True))
    for username in students:
        actor = Actor(app.test_client())
        register(actor, username, code)
        actor.answer(actor.start(), *RIGHT[0])
    with app.app_context():
        classroom = db.session.scalar(select(Classroom.id).filter_by(name=name))
        assert classroom is not None
        return classroom, code


def post(actor: Actor, path: str, **data: str):  # type: ignore[no-untyped-def]
    return actor.client.post(path, data={"csrf_token": csrf_token(actor.client, "/account"), **data})


def test_rename_a_class(app: Flask, instructor: Actor) -> None:
    classroom, _code = make_class(app, instructor, "Period 1")
    make_class(app, instructor, "Period 2")
    taken = post(instructor, f"/instructor/classes/{classroom}/rename", name="period 2")
    assert taken.status_code == 400 and "exists already" in taken.get_data(as_text=True)
    done = post(instructor, f"/instructor/classes/{classroom}/rename", name="  History   9B ")
    assert done.status_code == 302
    page = instructor.client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Class History 9B" in page and "Class &#39;Period 1&#39; is now called &#39;History 9B&#39;." in page


def test_an_archived_class_takes_no_new_students_until_it_is_active_again(app: Flask, instructor: Actor) -> None:
    classroom, code = make_class(app, instructor, "Period 1", "ada")
    assert post(instructor, f"/instructor/classes/{classroom}/archive").status_code == 302
    page = instructor.client.get(f"/instructor/classes/{classroom}").get_data(as_text=True)
    assert "This class is archived" in page and code not in page
    refused = register(Actor(app.test_client()), "bob", code)
    assert "Period 1 is archived and takes no new students. Ask your teacher." in refused
    late = Actor(app.test_client())
    late.register("cyd")
    joined = post(late, "/classes/join", code=code)
    assert joined.status_code == 400 and "archived" in joined.get_data(as_text=True)
    assert members(app, "Period 1") == ["ada"]  # those already in stay
    listing = instructor.client.get("/instructor?classroom=" + str(classroom))
    assert listing.status_code == 200 and "ada" in listing.get_data(as_text=True)  # and are still reviewed
    assert post(instructor, f"/instructor/classes/{classroom}/unarchive").status_code == 302
    assert post(late, "/classes/join", code=code).status_code == 302
    assert members(app, "Period 1") == ["ada", "cyd"]


def test_a_new_join_code_replaces_the_old_one(app: Flask, instructor: Actor) -> None:
    classroom, old = make_class(app, instructor, "Period 1", "ada")
    response = post(instructor, f"/instructor/classes/{classroom}/code")
    new = code_on(instructor.client.get(response.headers["Location"]).get_data(as_text=True))
    assert new != old
    assert "No class has this code" in register(Actor(app.test_client()), "bob", old)
    assert "You joined Period 1." in register(Actor(app.test_client()), "cyd", new)
    assert members(app, "Period 1") == ["ada", "cyd"]


def answers(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer)) or 0


def test_deleting_a_class_says_what_it_affects_and_keeps_every_answer(app: Flask, instructor: Actor) -> None:
    classroom, _code = make_class(app, instructor, "Period 1", "ada", "bob")
    path = f"/instructor/classes/{classroom}/delete"
    assert f'href="{path}"' in instructor.client.get(f"/instructor/classes/{classroom}").get_data(as_text=True)
    confirmation = instructor.client.get(path).get_data(as_text=True)
    assert "<strong>2</strong> students will no longer be in this class" in confirmation
    assert "Their <strong>2</strong> answers are kept" in confirmation
    unconfirmed = post(instructor, path)  # the same request without the confirmation page's button
    assert unconfirmed.status_code == 200 and members(app, "Period 1") == ["ada", "bob"]
    done = post(instructor, path, confirm="yes")
    assert done.status_code == 302 and done.headers["Location"] == "/instructor/classes"
    with app.app_context():
        assert db.session.get(Classroom, classroom) is None
        assert db.session.scalar(select(func.count()).select_from(ClassMembership)) == 0
        assert db.session.scalar(select(func.count()).select_from(ClassInstructor)) == 0
        assert db.session.scalar(select(func.count()).select_from(User).filter_by(username="ada")) == 1
    assert answers(app) == 2
    assert instructor.client.get(f"/instructor/classes/{classroom}").status_code == 404


def test_a_co_teacher_sees_the_class_and_its_students(app: Flask, instructor: Actor) -> None:
    classroom, _code = make_class(app, instructor, "Period 1", "ada")
    with app.app_context():
        create_user("mrs-lee", "lee password", role=INSTRUCTOR)
    lee = Actor(app.test_client())
    lee.login("mrs-lee", "lee password")
    assert lee.client.get(f"/instructor/classes/{classroom}").status_code == 404
    assert "ada" not in lee.client.get("/instructor/quizzes/bridge/students").get_data(as_text=True)

    student = post(instructor, f"/instructor/classes/{classroom}/instructors", username="ada")
    assert student.status_code == 400 and "No active instructor is called &#39;ada&#39;" in student.get_data(
        as_text=True
    )
    added = post(instructor, f"/instructor/classes/{classroom}/instructors", username="MRS-LEE")
    assert added.status_code == 302
    assert lee.client.get(f"/instructor/classes/{classroom}").status_code == 200
    assert ">ada<" in lee.client.get("/instructor/quizzes/bridge/students").get_data(as_text=True)

    with app.app_context():
        teacher = db.session.scalar(select(User.id).filter_by(username="teacher"))
        lee_id = db.session.scalar(select(User.id).filter_by(username="mrs-lee"))
    post(instructor, f"/instructor/classes/{classroom}/instructors/{lee_id}/remove")
    assert lee.client.get(f"/instructor/classes/{classroom}").status_code == 404
    last = post(instructor, f"/instructor/classes/{classroom}/instructors/{teacher}/remove")
    page = instructor.client.get(last.headers["Location"]).get_data(as_text=True)
    assert "A class needs at least one instructor" in page
    assert instructor.client.get(f"/instructor/classes/{classroom}").status_code == 200


def test_another_instructors_class_cannot_be_changed(app: Flask, instructor: Actor) -> None:
    classroom, code = make_class(app, instructor, "Period 1", "ada")
    with app.app_context():
        create_user("carol", "carol password", role=INSTRUCTOR)
    carol = Actor(app.test_client())
    carol.login("carol", "carol password")
    for action, data in (
        ("rename", {"name": "Mine now"}),
        ("archive", {}),
        ("code", {}),
        ("delete", {"confirm": "yes"}),
        ("instructors", {"username": "carol"}),
    ):
        assert post(carol, f"/instructor/classes/{classroom}/{action}", **data).status_code == 404, action
    page = instructor.client.get(f"/instructor/classes/{classroom}").get_data(as_text=True)
    assert "Class Period 1" in page and code in page and "carol" not in page
