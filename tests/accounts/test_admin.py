"""Admins: managing instructors on a page, and a student's stored data (download, delete)."""

from __future__ import annotations

import json
import re

from flask import Flask
from sqlalchemy import func, select

from quizapp.accounts import classrooms
from quizapp.accounts.users import create_user
from quizapp.db import db
from quizapp.models import ADMIN, INSTRUCTOR, Answer, Attempt, ClassMembership, SignIn, User

from ..support import Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT
from .test_passwords import ONE_TIME, account, can_sign_in
from .test_sessions import signed_in


def post(actor: Actor, path: str, **data: str):  # type: ignore[no-untyped-def]
    return actor.client.post(path, data={"csrf_token": csrf_token(actor.client, "/account"), **data})


def user_id(app: Flask, username: str) -> int:
    return account(app, username).id


def test_only_admins_open_the_admin_pages(app: Flask, admin: Actor, instructor: Actor, student: Actor) -> None:
    assert admin.client.get("/admin/instructors").status_code == 200
    for actor in (instructor, student):
        response = actor.client.get("/admin/instructors")
        assert response.status_code == 403 and "for administrators only" in response.get_data(as_text=True)
    assert 'href="/admin/instructors"' in admin.client.get("/").get_data(as_text=True)
    assert 'href="/admin/instructors"' not in instructor.client.get("/").get_data(as_text=True)


def test_an_admin_adds_an_instructor_who_chooses_a_password_at_first_sign_in(app: Flask, admin: Actor) -> None:
    response = post(admin, "/admin/instructors", username="mrs-lee", role=INSTRUCTOR)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    found = ONE_TIME.search(response.get_data(as_text=True))
    assert found
    lee = Actor(app.test_client())
    assert lee.login("mrs-lee", found.group(1)).headers["Location"] == "/account"
    assert account(app, "mrs-lee").role == INSTRUCTOR and account(app, "mrs-lee").must_change_password
    taken = post(admin, "/admin/instructors", username="MRS-LEE", role=INSTRUCTOR)
    assert taken.status_code == 400 and "That username is taken" in taken.get_data(as_text=True)
    bad = post(admin, "/admin/instructors", username="x", role="emperor")
    assert bad.status_code == 400


def test_an_admin_promotes_demotes_deactivates_and_reactivates(app: Flask, admin: Actor, student: Actor) -> None:
    promoted = post(admin, "/admin/instructors/promote", account="ADA")
    page = admin.client.get(promoted.headers["Location"]).get_data(as_text=True)
    assert "ada is now an instructor (was a student)." in page and account(app, "ada").role == INSTRUCTOR
    ada = user_id(app, "ada")
    post(admin, f"/admin/instructors/{ada}/role", role=ADMIN)
    assert account(app, "ada").role == ADMIN
    post(admin, f"/admin/instructors/{ada}/role", role=INSTRUCTOR)
    assert account(app, "ada").role == INSTRUCTOR

    assert signed_in(student.client)
    post(admin, f"/admin/instructors/{ada}/deactivate")
    assert not account(app, "ada").active
    assert not signed_in(student.client)  # signed out at the next request
    assert not can_sign_in(app, "ada", "correct horse")
    post(admin, f"/admin/instructors/{ada}/reactivate")
    assert account(app, "ada").active and can_sign_in(app, "ada", "correct horse")


def test_the_last_admin_cannot_demote_or_deactivate_themselves(app: Flask, admin: Actor) -> None:
    head = user_id(app, "head")
    demoted = post(admin, f"/admin/instructors/{head}/role", role=INSTRUCTOR)
    assert "head is the only active admin" in admin.client.get(demoted.headers["Location"]).get_data(as_text=True)
    deactivated = post(admin, f"/admin/instructors/{head}/deactivate")
    assert "You cannot deactivate your own account." in admin.client.get(deactivated.headers["Location"]).get_data(
        as_text=True
    )
    assert account(app, "head").role == ADMIN and account(app, "head").active


def test_an_admin_resets_an_instructors_password(app: Flask, admin: Actor, instructor: Actor) -> None:
    path = f"/admin/instructors/{user_id(app, 'teacher')}/password"
    assert "Reset the password of teacher?" in admin.client.get(path).get_data(as_text=True)
    found = ONE_TIME.search(post(admin, path, confirm="yes").get_data(as_text=True))
    assert found and not signed_in(instructor.client)
    assert not can_sign_in(app, "teacher", "teacher password")
    assert Actor(app.test_client()).login("teacher", found.group(1)).headers["Location"] == "/account"


def test_staff_pages_of_a_student_are_not_found(app: Flask, admin: Actor, student: Actor) -> None:
    ada = user_id(app, "ada")
    for action in ("deactivate", "reactivate", "role", "password"):
        assert post(admin, f"/admin/instructors/{ada}/{action}", role=ADMIN, confirm="yes").status_code == 404
    assert account(app, "ada").role == "student" and account(app, "ada").active


def ada_in_a_class_with_answers(app: Flask, student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0], reason="ada's own words")
    student.answer(attempt, *RIGHT[1])
    with app.app_context():
        classrooms.join(classrooms.create_classroom("Period 1"), user_id(app, "ada"))


def test_an_admin_downloads_everything_stored_about_a_student(app: Flask, admin: Actor, student: Actor) -> None:
    ada_in_a_class_with_answers(app, student)
    ada = user_id(app, "ada")
    response = admin.client.get(f"/admin/students/{ada}/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert document["account"]["username"] == "ada" and "scrypt:" not in response.get_data(as_text=True)  # no hash
    assert [c["name"] for c in document["classes"]] == ["Period 1"]
    [attempt] = document["attempts"]
    assert [a["reason"] for a in attempt["answers"]] == ["ada's own words", ""]
    assert attempt["answers"][0]["scores"] == {"claim_type": 1.0, "speaker": 1.0, "evidence": 1.0}
    assert len(document["sign_ins"]) == 1
    student_page = admin.client.get(f"/instructor/students/{ada}").get_data(as_text=True)
    assert f"/admin/students/{ada}/data.json" in student_page and f"/admin/students/{ada}/delete" in student_page


def test_an_instructor_cannot_download_or_delete_a_student(app: Flask, instructor: Actor, student: Actor) -> None:
    ada = user_id(app, "ada")
    assert instructor.client.get(f"/admin/students/{ada}/data.json").status_code == 403
    assert post(instructor, f"/admin/students/{ada}/delete", confirm="yes").status_code == 403
    assert account(app, "ada").active


def counts(app: Flask, user: int) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(table).filter(column == user)) or 0
            for table, column in (
                (Attempt, Attempt.user_id),
                (ClassMembership, ClassMembership.user_id),
                (SignIn, SignIn.user_id),
                (User, User.id),
            )
        )


def test_an_admin_deletes_a_student_with_all_their_answers_after_a_confirmation(
    app: Flask, admin: Actor, student: Actor
) -> None:
    ada_in_a_class_with_answers(app, student)
    bob = Actor(app.test_client())
    bob.register("bob")
    bob.answer(bob.start(), *RIGHT[0])
    ada = user_id(app, "ada")
    path = f"/admin/students/{ada}/delete"
    confirmation = admin.client.get(path).get_data(as_text=True)
    assert re.search(r"<strong>1</strong> attempt and\s+<strong>2</strong> answers", confirmation)
    assert post(admin, path).status_code == 200 and counts(app, ada) == (1, 1, 1, 1)  # not confirmed: nothing
    done = post(admin, path, confirm="yes")
    assert done.status_code == 302
    assert "ada is deleted, with 1 attempt(s) and 2 answer(s)." in admin.client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    assert counts(app, ada) == (0, 0, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1  # bob's
    assert not signed_in(student.client)
    assert admin.client.get(f"/instructor/students/{ada}").status_code == 404


def test_staff_cannot_be_deleted_as_students(app: Flask, admin: Actor) -> None:
    with app.app_context():
        create_user("mrs-lee", "lee password", role=INSTRUCTOR)
    lee = user_id(app, "mrs-lee")
    assert admin.client.get(f"/admin/students/{lee}/delete").status_code == 404
    assert admin.client.get(f"/admin/students/{lee}/data.json").status_code == 404
