"""F4, F5, F6: what people type or send is refused plainly, never with a 500.

F4: every integer from a form, a URL or the environment is ASCII digits, bounded.
F5: a NUL or another control character in any form field is a clear 400, before
    any query (PostgreSQL cannot store a NUL in text; SQLite would store it).
F6: a `next=` holding a control character is ignored at sign-in.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.db import db
from quizapp.integers import MAX_ID, parse_int
from quizapp.models import Answer, Classroom, User

from .support import Actor, csrf_token

# --- F4: strict integers --------------------------------------------------------------


@given(st.integers(min_value=0, max_value=MAX_ID))
def test_f4_ascii_digits_within_bounds_parse(value: int) -> None:
    assert parse_int(str(value)) == value


@pytest.mark.parametrize(
    "text",
    ["", " 5", "5 ", "+5", "-5", "5_000", "²", "١٢", "１２", "5.0", "0x10", "\x005", str(MAX_ID + 1), "9" * 40, None],
)
def test_f4_anything_else_is_refused(text: str | None) -> None:
    assert parse_int(text) is None


@given(st.text(max_size=25))
def test_f4_never_raises_and_accepts_only_ascii_digits(text: str) -> None:
    value = parse_int(text)
    assert value is None or (text.isascii() and text.isdigit() and 0 <= value <= MAX_ID)


def test_f4_bounds_are_kept() -> None:
    assert parse_int("10", maximum=9) is None and parse_int("3", minimum=4) is None and parse_int("007") == 7


@pytest.mark.parametrize("value", ["²", "١", "１", "-1", "1e3", "ten"])
def test_f4_a_number_of_proxies_that_is_not_ascii_digits_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("QUIZAPP_PROXIES", value)
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert f"QUIZAPP_PROXIES must be a number of proxies from 0 to 10, not {value!r}" == refused.value.message


def test_f4_ids_in_urls_and_query_strings_are_ascii_digits(app: Flask, admin: Actor, student: Actor) -> None:
    attempt = student.start()
    assert student.client.get(f"/attempts/{attempt}").status_code == 200
    for digits in ("١", "１", "²"):
        assert student.client.get(f"/attempts/{quote(digits)}").status_code == 404
        assert admin.client.get(f"/instructor/students/{quote(digits)}").status_code == 404
        assert admin.client.get(f"/instructor/confusion?student={quote(digits)}").status_code == 404
        assert admin.client.get(f"/instructor?classroom={quote(digits)}").status_code == 400


# --- F5: control characters in form fields ---------------------------------------------


NUL_MESSAGE = "This field contains a NUL byte, which cannot be stored."


def assert_refused_clearly(response, message: str = NUL_MESSAGE) -> None:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    assert response.status_code == 400, (response.status_code, page[:300])
    assert message in page and "Traceback" not in page


def test_f5_signing_in_and_registering_with_a_nul_are_refused_before_any_query(app: Flask) -> None:
    visitor = app.test_client()
    for path, data in (
        ("/login", {"username": "instructor\x00", "password": "whatever12"}),
        ("/login", {"username": "ada", "password": "pass\x00word"}),
        ("/register", {"username": "ada\x00", "password": "long enough", "confirm": "long enough"}),
        ("/register", {"username": "ada", "password": "long enough", "confirm": "long enough", "join_code": "AB\x00"}),
    ):
        assert_refused_clearly(visitor.post(path, data={**data, "csrf_token": csrf_token(visitor, path)}))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_f5_a_nul_in_a_students_forms_is_refused(app: Flask, student: Actor) -> None:
    joined = student.client.post(
        "/classes/join", data={"code": "BCDF\x00GHJK", "csrf_token": csrf_token(student.client, "/classes/join")}
    )
    assert_refused_clearly(joined)
    changed = student.client.post(
        "/account/password",
        data={
            "current": "correct horse\x00",
            "password": "another phrase",
            "confirm": "another phrase",
            "csrf_token": csrf_token(student.client, "/account"),
        },
    )
    assert_refused_clearly(changed)


def test_f5_a_nul_in_a_reason_is_refused_and_the_passage_shown_again(app: Flask, student: Actor) -> None:
    attempt = student.start()
    response = student.answer(attempt, "factual", "outlet", "no", reason="nul\x00inside")
    assert_refused_clearly(response)
    assert "The city council voted 7 to 2" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_f5_tabs_and_line_breaks_in_a_reason_are_kept(app: Flask, student: Actor) -> None:
    attempt = student.start()
    assert student.answer(attempt, "factual", "outlet", "no", reason="first\tline\r\nsecond").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Answer.reason)) == "first\tline\r\nsecond"


@pytest.mark.parametrize(
    ("character", "message"),
    [
        ("\x00", NUL_MESSAGE),
        ("\x1b", "This field contains the control character U+001B, which cannot be stored."),
        ("\x85", "This field contains the control character U+0085, which cannot be stored."),
        ("\t", "This field contains a tab, which cannot be stored."),
        ("\u202e", "This field contains the control character U+202E, which cannot be stored."),
    ],
)
def test_f5_control_characters_in_an_instructors_forms_are_refused(
    app: Flask, instructor: Actor, character: str, message: str
) -> None:
    token = csrf_token(instructor.client, "/instructor/classes")
    made = instructor.client.post("/instructor/classes", data={"name": f"Period{character}1", "csrf_token": token})
    assert_refused_clearly(made, message)
    assert (
        instructor.client.post("/instructor/classes", data={"name": "Period 1", "csrf_token": token}).status_code == 302
    )
    with app.app_context():
        classroom = db.session.scalar(select(Classroom.id))
    for action, data in (("rename", {"name": f"x{character}"}), ("instructors", {"username": f"x{character}"})):
        response = instructor.client.post(
            f"/instructor/classes/{classroom}/{action}", data={**data, "csrf_token": token}
        )
        assert_refused_clearly(response, message)
    with app.app_context():
        assert db.session.scalars(select(Classroom.name)).all() == ["Period 1"]


def test_f5_a_nul_in_the_admin_forms_is_refused(admin: Actor) -> None:
    token = csrf_token(admin.client, "/admin/instructors")
    for path, field in (("/admin/instructors", "username"), ("/admin/instructors/promote", "account")):
        assert_refused_clearly(admin.client.post(path, data={field: "mr\x00k", "csrf_token": token}))


def test_f5_a_nul_in_a_filter_or_a_quiz_id_in_the_address_is_refused(admin: Actor) -> None:
    assert_refused_clearly(admin.client.get("/instructor/quizzes/bridge?start=2025-01-01%00"))
    assert_refused_clearly(admin.client.get("/instructor?end=%00"))
    for path in (
        "/instructor/quizzes/bridge%00",
        "/quizzes/bridge%00",
        "/instructor/bank/quizzes/bridge%00",
        "/instructor/exports/scores.csv?quiz=bridge%00",
    ):
        assert admin.client.get(path).status_code == 404, path


# --- F6: next= with control characters ---------------------------------------------------


@pytest.mark.parametrize(
    "target", ["/x\r\nSet-Cookie: evil=1", "/results\x00", "/results\t", "/results\x7f", "/\x1b[31mresults"]
)
def test_f6_a_next_holding_a_control_character_is_ignored(student: Actor, target: str) -> None:
    student.logout()
    token = csrf_token(student.client, "/login")
    response = student.client.post(
        f"/login?next={quote(target, safe='')}",
        data={"username": "ada", "password": "correct horse", "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "evil" not in response.headers.get("Set-Cookie", "")
    assert student.client.get("/results").status_code == 200
