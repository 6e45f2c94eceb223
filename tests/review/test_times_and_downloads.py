"""Times that say their zone, date pickers, download names that say what they hold, one attempt numbering."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask

from quizapp.db import db
from quizapp.models import Attempt, utcnow

from ..support import Actor
from ..taking.test_quiz_flow import RIGHT
from .support import class_id, create_class, register, squash, take_quiz, user_id

TIME = re.compile(r'<time datetime="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)" data-local="time">([^<]+)</time>')


def test_times_are_time_elements_labelled_utc(app: Flask, student: Actor) -> None:
    attempt = take_quiz(student, RIGHT, ["", "", ""])
    with app.app_context():
        found = db.session.get(Attempt, attempt)
        assert found is not None
        started = found.started_at
    page = student.client.get("/results").get_data(as_text=True)
    [(stamp, shown)] = TIME.findall(page)
    assert stamp == started.isoformat(timespec="seconds") + "Z"
    assert shown == f"{started:%Y-%m-%d %H:%M} UTC"  # until the script shows it in the reader's zone
    assert '<th scope="col">Started</th>' in page and "(UTC)" not in page
    assert '<script src="/static/local-times.js" defer></script>' in page
    intro = student.client.get("/quizzes/bridge").get_data(as_text=True)
    assert TIME.search(intro)  # "Attempt 1, finished <time>"


def test_days_alone_are_labelled_utc_too(app: Flask, instructor: Actor) -> None:
    create_class(instructor, "Media 9B")
    page = instructor.client.get("/instructor/classes").get_data(as_text=True)
    today = utcnow()
    assert re.search(
        rf'<time datetime="{today:%Y-%m-%d}T[\d:]+Z" data-local="day">{today:%Y-%m-%d} \(UTC\)</time>', page
    )


def test_the_date_filters_are_date_inputs(instructor: Actor) -> None:
    page = instructor.client.get("/instructor").get_data(as_text=True)
    for name in ("start", "end"):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
        assert field is not None and 'type="date"' in field.group(0), name
    assert '<label for="start">Attempts started from</label>' in page


def test_a_bad_date_typed_where_there_is_no_picker_is_explained(instructor: Actor) -> None:
    response = instructor.client.get("/instructor?start=03/01/2025")
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in response.get_data(as_text=True)


def filename_of(response: object) -> tuple[str, str]:
    """(the plain file name, the full one) from a Content-Disposition header."""
    header = response.headers["Content-Disposition"]  # type: ignore[attr-defined]
    plain = re.search(r'filename="([^"]+)"', header)
    full = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert plain and full, header
    return plain.group(1), full.group(1)


def test_csv_names_say_which_quiz_class_and_days_they_hold(app: Flask, instructor: Actor) -> None:
    create_class(instructor, "Media Literacy 9B")
    classroom = class_id(app, "Media Literacy 9B")
    today = f"{utcnow():%Y-%m-%d}"
    cases = {
        "/instructor/exports/scores.csv": f"quizapp-scores-{today}.csv",
        "/instructor/exports/answers.csv?quiz=bridge": f"quizapp-answers-bridge-{today}.csv",
        f"/instructor/exports/scores.csv?quiz=bridge&classroom={classroom}&start=2025-03-01&end=2025-03-31": (
            "quizapp-scores-bridge-media-literacy-9b-2025-03-01-to-2025-03-31.csv"
        ),
        f"/instructor/exports/answers.csv?classroom={classroom}&start=2025-03-01": (
            "quizapp-answers-media-literacy-9b-from-2025-03-01.csv"
        ),
        "/instructor/exports/answers.csv?end=2025-03-31": "quizapp-answers-to-2025-03-31.csv",
    }
    for path, expected in cases.items():
        response = instructor.client.get(path)
        assert response.status_code == 200, path
        assert filename_of(response) == (expected, expected), path


def test_a_class_name_in_another_script_keeps_its_letters_where_the_browser_allows(
    app: Flask, instructor: Actor
) -> None:
    create_class(instructor, "Класс 9Б")
    classroom = class_id(app, "Класс 9Б")
    response = instructor.client.get(f"/instructor/exports/scores.csv?classroom={classroom}&start=2025-03-01")
    plain, full = filename_of(response)
    assert full == quote("quizapp-scores-класс-9б-from-2025-03-01.csv")
    assert plain.isascii() and plain.startswith("quizapp-scores-") and plain.endswith("from-2025-03-01.csv")


def test_the_student_page_numbers_attempts_one_way(app: Flask, admin: Actor) -> None:
    """Attempts of other students come first, so ids and numbers differ: both tables use numbers."""
    other = register(app, "bob")
    take_quiz(other, RIGHT, ["", "", ""])
    ada = register(app, "ada")
    first = take_quiz(ada, RIGHT, ["", "", ""])
    second = ada.start()
    ada.answer(second, *RIGHT[0], reason="x" * 300)
    assert (first, second) == (2, 3)
    page = squash(admin.client.get(f"/instructor/students/{user_id(app, 'ada')}").get_data(as_text=True))
    attempts = re.findall(r"<tr> <td>(\d+)</td><td>The Old Bridge</td>", page)
    answers = re.findall(r'<span class="muted">attempt #(\d+)</span>', page)
    assert attempts == ["1", "2"]
    assert answers == ["1", "1", "1", "2"]
    # A reason with no space to break at wraps in its cell rather than widening the table.
    assert f'<td class="reason-cell">{"x" * 300}</td>' in page
