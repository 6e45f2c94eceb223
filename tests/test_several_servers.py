"""Two gunicorn servers on one database, as behind a load balancer.

A student may reach either server with any request: the session is a signed
cookie and everything else is in the database, so nothing may depend on which
process answered before. On the PostgreSQL run both servers share one
PostgreSQL database; on the SQLite run, one SQLite file.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.db import db
from quizapp.models import Answer, Attempt, User

from .databases import DatabaseSupply
from .servers import Browser, Response, Server, start_gunicorn
from .taking.test_quiz_flow import RIGHT

pytestmark = pytest.mark.slow

SECRET_KEY = "one-secret-key-shared-by-every-server-0123456789"
STUDENTS = 10
THREADS = 5
VERSION_FIELD = re.compile(r'name="version" type="hidden" value="([^"]+)"')
FEEDBACK = re.compile(r"^/attempts/(\d+)/answers/(\d+)$")
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def shared(databases: DatabaseSupply, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One database and questions folder for the servers of this module (starting them is the slow part)."""
    folder = tmp_path_factory.mktemp("several-servers")
    shutil.copytree(DATA / "questions", folder / "questions")
    return databases.new_database(folder), folder


@pytest.fixture(scope="module")
def database(shared: tuple[str, Path]) -> Iterator[Flask]:
    """The database both servers use, set up as `flask setup` does; an app to look into it."""
    url, folder = shared
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": url,
            "QUESTIONS_DIR": folder / "questions",
        }
    )
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def servers(database: Flask, shared: tuple[str, Path]) -> Iterator[list[Server]]:
    url, folder = shared
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": url,
        "QUIZAPP_SECRET_KEY": SECRET_KEY,
        "QUIZAPP_QUESTIONS_DIR": str(folder / "questions"),
    }
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            started.append(start_gunicorn(env, folder / f"gunicorn-{name}.log"))
        assert started[0].port != started[1].port
        yield started
    finally:
        for server in started:
            server.stop()
    for server in started:
        log = server.log.read_text(errors="replace")
        assert "Traceback" not in log and "Unhandled error" not in log, log[-3000:]


def register(browser: Browser, server: Server, username: str) -> None:
    token = browser.get(server, "/register").csrf_token()
    response = browser.post(
        server,
        "/register",
        {"username": username, "password": "correct horse", "confirm": "correct horse", "csrf_token": token},
    )
    assert response.status == 302, response.body[:300]


def start(browser: Browser, server: Server) -> int:
    token = browser.get(server, "/quizzes/bridge").csrf_token()
    response = browser.post(server, "/quizzes/bridge/start", {"csrf_token": token})
    assert response.status == 302
    return int(response.location.rsplit("/", 1)[1])


def answer_form(page: Response, choice: tuple[str, str, str]) -> dict[str, str]:
    version = VERSION_FIELD.search(page.body)
    assert version, page.body[:300]
    claim_type, speaker, evidence = choice
    return {
        "csrf_token": page.csrf_token(),
        "version": version.group(1),
        "claim_type": claim_type,
        "speaker": speaker,
        "evidence": evidence,
    }


def test_a_student_signed_in_on_one_server_carries_on_on_the_other(database: Flask, servers: list[Server]) -> None:
    a, b = servers
    browser = Browser()
    register(browser, a, "ada")
    attempt = start(browser, a)
    page = browser.get(a, f"/attempts/{attempt}")
    first = browser.post(a, f"/attempts/{attempt}/answer", answer_form(page, RIGHT[0]))
    assert first.status == 302 and FEEDBACK.match(first.location)

    page = browser.get(b, f"/attempts/{attempt}")  # the other server knows who this is and where they are
    assert page.status == 200 and "Passage 2 of 3" in page.body
    second = browser.post(b, f"/attempts/{attempt}/answer", answer_form(page, RIGHT[1]))
    assert second.status == 302 and FEEDBACK.match(second.location)
    feedback = browser.get(a, second.location)  # and the first server shows what the second stored
    assert feedback.status == 200 and "Matches the key" in feedback.body

    with database.app_context():
        stored = db.session.execute(
            select(Answer.claim_type, Answer.speaker).join(Attempt).filter(Attempt.id == attempt).order_by(Answer.id)
        ).all()
    assert [tuple(row) for row in stored] == [RIGHT[0][:2], RIGHT[1][:2]]


def test_students_spread_over_both_servers_lose_nothing_and_store_nothing_twice(
    database: Flask, servers: list[Server]
) -> None:
    statuses: list[int] = []
    acknowledged: set[tuple[int, int]] = set()  # (attempt, answer) ids the servers said were stored
    lock = threading.Lock()

    def take_quiz(number: int) -> None:
        browser = Browser()
        turn = itertools.cycle(servers[number % 2 :] + servers[: number % 2])
        seen: list[Response] = []
        register(browser, next(turn), f"student-{number}")
        attempt = start(browser, next(turn))
        for choice in RIGHT:
            page = browser.get(next(turn), f"/attempts/{attempt}")
            seen.append(page)
            form = answer_form(page, choice)
            # A double click that the balancer sends to both servers at once.
            with ThreadPoolExecutor(2) as both:
                replies = list(both.map(lambda s: browser.post(s, f"/attempts/{attempt}/answer", form), servers))  # noqa: B023 (used up before the loop moves on)
            seen.extend(replies)
            # Both are told where the one stored answer is; once the last one
            # finished the attempt, the later request may be sent to the summary.
            shown = {reply.location for reply in replies} - {f"/attempts/{attempt}/summary"}
            assert len(shown) == 1 and all(reply.status == 302 for reply in replies), replies
            found = FEEDBACK.match(shown.pop())
            assert found and int(found.group(1)) == attempt
            with lock:
                acknowledged.add((attempt, int(found.group(2))))
            seen.append(browser.get(next(turn), found.group(0)))
        seen.append(browser.get(next(turn), f"/attempts/{attempt}/summary"))
        assert "3 of 3" in seen[-1].body
        with lock:
            statuses.extend(r.status for r in seen)

    with ThreadPoolExecutor(THREADS) as pool:
        for done in [pool.submit(take_quiz, n) for n in range(STUDENTS)]:
            done.result(timeout=300)

    assert statuses and not [s for s in statuses if s >= 500]
    with database.app_context():
        stored = {
            (attempt, answer)
            for attempt, answer in db.session.execute(
                select(Answer.attempt_id, Answer.id).join(Attempt).join(User).filter(User.username.like("student-%"))
            )
        }
        per_question = db.session.execute(
            select(Answer.attempt_id, Answer.question_id, func.count()).group_by(Answer.attempt_id, Answer.question_id)
        ).all()
        unfinished = db.session.scalar(
            select(func.count())
            .select_from(Attempt)
            .join(User)
            .filter(User.username.like("student-%"), Attempt.finished_at.is_(None))
        )
    assert stored == acknowledged
    assert len(stored) == STUDENTS * len(RIGHT)
    assert all(count == 1 for *_, count in per_question)
    assert unfinished == 0
