"""Driving live sessions through the app's own pages and forms, as the instructor and students do."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.models import Quiz, User

from ..support import CSRF_FIELD, Actor, csrf_token

STAGE = re.compile(r'data-live-stage="(\d+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
LIVE_PATH = re.compile(r"^/instructor/live/(\d+)$")


def user_id(app: Flask, username: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).filter_by(username=username))
        assert found is not None, username
        return found


def make_class(app: Flask, teacher: str = "teacher", members: tuple[str, ...] = (), name: str = "Year 9") -> int:
    """A class the teacher created (so teaches), with these students in it."""
    with app.app_context():
        classroom = classrooms.create_classroom(name, created_by_id=user_id(app, teacher))
        for member in members:
            classrooms.join(classroom, user_id(app, member))
        return classroom.id


def quiz_id(app: Flask, slug: str = "bridge") -> int:
    with app.app_context():
        found = db.session.scalar(select(Quiz.id).filter_by(slug=slug))
        assert found is not None
        return found


def start(instructor: Actor, quiz: int, classroom: int) -> TestResponse:
    token = csrf_token(instructor.client, "/instructor/live")
    return instructor.client.post("/instructor/live", data={"csrf_token": token, "quiz": quiz, "classroom": classroom})


def start_session(app: Flask, instructor: Actor, classroom: int) -> int:
    response = start(instructor, quiz_id(app), classroom)
    found = LIVE_PATH.match(response.headers.get("Location", ""))
    assert response.status_code == 302 and found, (response.status_code, response.get_data(as_text=True)[:500])
    return int(found.group(1))


@dataclass
class ControlPage:
    body: str

    @property
    def stage(self) -> str:
        found = STAGE.search(self.body)
        assert found, self.body[:500]
        return found.group(1)

    @property
    def token(self) -> str:
        found = CSRF_FIELD.search(self.body)
        assert found
        return found.group(1)


def control_page(instructor: Actor, live_id: int) -> ControlPage:
    response = instructor.client.get(f"/instructor/live/{live_id}")
    assert response.status_code == 200, response.status_code
    return ControlPage(response.get_data(as_text=True))


def step(
    instructor: Actor, live_id: int, action: str, reasons: list[int] | None = None, stage: str | None = None
) -> TestResponse:
    """Press Reveal (`reveal`, with the reasons ticked), `next` or `end` on the control page."""
    page = control_page(instructor, live_id)
    form: dict[str, object] = {"csrf_token": page.token, "stage": stage or page.stage}
    if reasons is not None:
        form.update(reasons=[str(r) for r in reasons], reasons_listed="1")
    return instructor.client.post(f"/instructor/live/{live_id}/{action}", data=form)


def student_page(student: Actor, live_id: int) -> str:
    response = student.client.get(f"/live/{live_id}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def answer(
    student: Actor,
    live_id: int,
    choice: tuple[str, str, str],
    reason: str = "",
    version: str | None = None,
) -> TestResponse:
    """Answer the passage the student's page shows now (or the given version, to try another)."""
    page = student_page(student, live_id)
    token = CSRF_FIELD.search(page)
    shown = VERSION.search(page)
    assert token, page[:500]
    claim_type, speaker, evidence = choice
    return student.client.post(
        f"/live/{live_id}/answer",
        data={
            "csrf_token": token.group(1),
            "version": version or (shown.group(1) if shown else ""),
            "claim_type": claim_type,
            "speaker": speaker,
            "evidence": evidence,
            "reason": reason,
        },
    )
