"""Who sees whom: an instructor's review pages, exports and filters count only the
students of the classes they teach; an admin's count everyone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from quizapp.db import db
from quizapp.models import ADMIN

from ..databases import DatabaseSupply
from ..support import Actor, csrf_token
from .support import (
    RIGHT,
    WEAK,
    class_id,
    create_class,
    make_app,
    question_ids,
    read_csv,
    register,
    sign_in_instructor,
    squash,
    take_quiz,
    user_id,
)


@dataclass
class School:
    """lee teaches Period 1 (ada, and both, who is in both classes); carol teaches
    Period 2 (bob, and both); nobody teaches cyd, who is in no class."""

    app: Flask
    lee: Actor
    carol: Actor
    head: Actor


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory, databases: DatabaseSupply) -> Iterator[School]:
    app = make_app(tmp_path_factory.mktemp("visibility"), databases)
    lee, carol = sign_in_instructor(app, "lee"), sign_in_instructor(app, "carol")
    head = sign_in_instructor(app, "head", role=ADMIN)
    period1, period2 = create_class(lee, "Period 1"), create_class(carol, "Period 2")
    for name, code, answers in (("ada", period1, RIGHT), ("bob", period2, WEAK), ("cyd", "", WEAK)):
        take_quiz(register(app, name, code), answers, [f"{name}'s reason", "", ""])
    both = register(app, "both", period1)
    both.client.post("/classes/join", data={"code": period2, "csrf_token": csrf_token(both.client, "/classes/join")})
    take_quiz(both, WEAK, ["both's reason", "", ""])
    yield School(app, lee, carol, head)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def text(actor: Actor, path: str) -> str:
    response = actor.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return squash(response.get_data(as_text=True))


def seen(page: str) -> set[str]:
    return {name for name in ("ada", "bob", "cyd", "both") if f">{name}<" in page or f"{name}'s reason" in page}


def test_each_instructor_sees_the_students_of_their_classes_and_an_admin_sees_all(school: School) -> None:
    vote = question_ids(school.app)["vote"]
    for actor, expected in (
        (school.lee, {"ada", "both"}),
        (school.carol, {"bob", "both"}),
        (school.head, {"ada", "bob", "cyd", "both"}),
    ):
        for path in (
            "/instructor",
            "/instructor/quizzes/bridge/students",
            f"/instructor/questions/{vote}/explanations",
        ):
            assert seen(text(actor, path)) == expected, (path, expected)


def test_counts_and_charts_count_only_the_students_seen(school: School) -> None:
    lee = text(school.lee, "/instructor/quizzes/bridge")
    head = text(school.head, "/instructor/quizzes/bridge")
    assert "<strong>2</strong> started" in lee and "<strong>4</strong> started" in head
    # ada got all three claim types right, both one (WEAK's 'vote'): 4 of lee's 6 answers.
    assert "4 of 6 answers match the key" in text(school.lee, "/instructor/quizzes/bridge/confusion")
    assert "6 of 12 answers match the key" in text(school.head, "/instructor/quizzes/bridge/confusion")


def test_exports_hold_only_the_students_seen_and_only_their_classes(school: School) -> None:
    scores = read_csv(school.lee.client.get("/instructor/exports/scores.csv").get_data())
    assert {row["student"]: row["classes"] for row in scores} == {"ada": "Period 1", "both": "Period 1"}
    answers = read_csv(school.carol.client.get("/instructor/exports/answers.csv").get_data())
    assert {row["student"] for row in answers} == {"bob", "both"} and len(answers) == 6
    everything = read_csv(school.head.client.get("/instructor/exports/scores.csv").get_data())
    assert {row["student"]: row["classes"] for row in everything}["both"] == "Period 1; Period 2"


def test_another_instructors_class_and_students_are_not_found(school: School) -> None:
    app = school.app
    period2, bob, ada = class_id(app, "Period 2"), user_id(app, "bob"), user_id(app, "ada")
    refused = school.lee.client.get(f"/instructor/quizzes/bridge?classroom={period2}")
    assert refused.status_code == 400 and "There is no such class" in refused.get_data(as_text=True)
    for path in (
        f"/instructor/students/{bob}",
        f"/instructor/confusion?student={bob}",
        f"/instructor/quizzes/bridge/confusion?student={bob}",
        f"/instructor/classes/{period2}",
    ):
        assert school.lee.client.get(path).status_code == 404, path
    assert school.lee.client.get(f"/instructor/students/{ada}").status_code == 200
    filters = text(school.lee, "/instructor")
    assert "Period 1" in filters and "Period 2" not in filters


def test_a_student_in_two_classes_shows_only_the_viewers_classes(school: School) -> None:
    both = user_id(school.app, "both")
    assert "Classes you teach: Period 1." in text(school.lee, f"/instructor/students/{both}")
    assert "Classes you teach: Period 2." in text(school.carol, f"/instructor/students/{both}")
    assert "Classes: Period 1, Period 2." in text(school.head, f"/instructor/students/{both}")


def test_nobody_in_a_class_is_seen_by_admins_only(school: School, tmp_path: Path) -> None:
    cyd = user_id(school.app, "cyd")
    assert school.lee.client.get(f"/instructor/students/{cyd}").status_code == 404
    assert school.head.client.get(f"/instructor/students/{cyd}").status_code == 200
