"""Load and crash: a class answering at once under gunicorn, and the server killed mid-way.

Slow tests (real gunicorn on 127.0.0.1, a fresh SQLite file; on the PostgreSQL
run, also the load on two gunicorns sharing one PostgreSQL database). They print
their figures; run with `-s` (or `-rP`) to see them.
"""

from __future__ import annotations

import resource
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from quizapp import create_app
from quizapp.bank.files import load_bank
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.models import Answer, Attempt, Question, Quiz, User
from quizapp.taking import shown_version

from .databases import DatabaseSupply
from .live_server import LiveServer
from .simulated_students import QUIZ_SLUG, Crowd, Key, Student, expected_total, planned_answer, write_load_bank

pytestmark = pytest.mark.slow

STUDENTS = 50
QUESTIONS = 20
WORKERS = 4
SECRET_KEY = "load-test-secret-key-6b1f0c9e2d4a8735"


@dataclass
class Site:
    """A fresh database loaded with the load-test bank, and the environment to serve it."""

    database_url: str
    env: dict[str, str]
    keys: list[Key]
    versions: dict[int, str]  # question version id -> question slug

    def app_settings(self) -> dict[str, object]:
        return {"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": self.database_url}


def prepare_site(tmp_path: Path, database_url: str | None = None, questions: int = QUESTIONS) -> Site:
    bank = tmp_path / "questions"
    keys = write_load_bank(bank, questions)
    url = database_url or f"sqlite:///{tmp_path / 'quizapp.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url, "QUESTIONS_DIR": bank})
    with app.app_context():
        db.create_all()
        loaded = load_bank(bank)
        assert loaded.problems == [], [str(p) for p in loaded.problems]
        sync_bank(db.session, loaded)
        versions = {
            version: slug
            for slug, version in db.session.execute(
                select(Question.slug, Question.current_version_id).join(Quiz).filter(Quiz.slug == QUIZ_SLUG)
            )
        }
        db.engine.dispose()
    assert len(versions) == questions
    env = {
        "QUIZAPP_DATABASE_URL": url,
        "QUIZAPP_SECRET_KEY": SECRET_KEY,
        "QUIZAPP_QUESTIONS_DIR": str(bank),
        "QUIZAPP_RATELIMIT_STORAGE_URL": "memory://",
    }
    return Site(url, env, keys, versions)


@dataclass(frozen=True)
class Row:
    username: str
    attempt_id: int
    slug: str
    answer_id: int
    choices: tuple[str, str, bool]
    scores: tuple[float, float, float]
    finished: bool


def stored_rows(site: Site) -> list[Row]:
    app = create_app(site.app_settings())
    with app.app_context():
        rows = db.session.execute(
            select(
                User.username,
                Attempt.id,
                Question.slug,
                Answer.id,
                Answer.claim_type,
                Answer.speaker,
                Answer.evidence,
                Answer.claim_type_score,
                Answer.speaker_score,
                Answer.evidence_score,
                Attempt.finished_at,
            )
            .join(Attempt, Answer.attempt_id == Attempt.id)
            .join(User, Attempt.user_id == User.id)
            .join(Question, Answer.question_id == Question.id)
        ).all()
        db.engine.dispose()
    return [Row(r[0], r[1], r[2], r[3], (r[4], r[5], r[6]), (r[7], r[8], r[9]), r[10] is not None) for r in rows]


def by_student(rows: list[Row]) -> dict[str, dict[str, Row]]:
    """username -> question slug -> stored answer; fails on a second answer to one question."""
    found: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in rows:
        assert row.slug not in found[row.username], f"{row.username} has two answers to {row.slug}"
        found[row.username][row.slug] = row
    return found


def assert_acknowledged_are_stored(students: list[Student], stored: dict[str, dict[str, Row]]) -> int:
    """Every answer the server acknowledged is in the database, as that very row."""
    count = 0
    for student in students:
        for slug, answer_id in student.record.acknowledged.items():
            row = stored[student.record.username].get(slug)
            assert row is not None and row.answer_id == answer_id, f"{student.record.username} lost {slug}"
            count += 1
    return count


def assert_complete_and_scored(site: Site, students: list[Student], stored: dict[str, dict[str, Row]]) -> None:
    """Every student answered every question once, as planned, scored as planned, and saw that total."""
    for student in students:
        rows = stored[student.record.username]
        assert len(rows) == QUESTIONS, (student.record.username, len(rows))
        assert len({row.attempt_id for row in rows.values()}) == 1  # one attempt, resumed, never a second
        for index, key in enumerate(site.keys):
            plan = planned_answer(student.number, index, key)
            row = rows[key.slug]
            assert row.choices == (plan.claim_type, plan.speaker, plan.evidence), (student.record.username, key.slug)
            assert row.scores == plan.scores, (student.record.username, key.slug, row.scores, plan.scores)
            assert row.finished
        assert student.record.summary_total == (expected_total(student.number, site.keys), 3 * QUESTIONS)


def status_counts(students: list[Student]) -> Counter[int]:
    total: Counter[int] = Counter()
    for student in students:
        total.update(student.record.statuses)
    return total


def cpu_seconds() -> tuple[float, float]:
    """(this process, finished child processes): gunicorn's master and the workers it reaped."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class LoadFigures:
    requests: int
    acknowledged: int
    double_clicks: int
    took: float
    statuses: dict[int, int]

    def __str__(self) -> str:
        return (
            f"{self.requests} requests in {self.took:.1f} s ({self.requests / self.took:.0f}/s), "
            f"{self.acknowledged} answers acknowledged and stored ({self.acknowledged / self.took:.0f}/s), "
            f"{self.double_clicks} double clicks stored once; statuses {self.statuses}"
        )


def class_answers_at_once(site: Site, servers: list[LiveServer], urls_for: Callable[[int], list[str]]) -> LoadFigures:
    """STUDENTS take the quiz at once, student n sending its requests in turn to urls_for(n);
    then nothing failed, every acknowledged answer is stored once and every score is right."""
    students = [Student(n, urls_for(n), site.keys, site.versions, double_click_every=10) for n in range(STUDENTS)]
    crowd = Crowd(students)
    began = time.monotonic()
    crowd.start()
    records = crowd.wait(deadline=240)
    took = time.monotonic() - began
    crowd.close()
    logs = "\n".join(server.log_tail(200) for server in servers)

    assert [(r.username, r.errors) for r in records if r.errors] == []
    statuses = status_counts(students)
    assert not [code for code in statuses if code >= 500], (statuses, logs)
    for trouble in ("Traceback", "database is locked", "write lock not obtained"):
        assert trouble not in logs, logs

    rows = stored_rows(site)
    stored = by_student(rows)
    acknowledged = assert_acknowledged_are_stored(students, stored)
    assert len(rows) == acknowledged == STUDENTS * QUESTIONS  # nothing stored that was not acknowledged
    assert_complete_and_scored(site, students, stored)
    double_clicks = sum(1 for s in students for i in range(QUESTIONS) if (s.number + i) % 10 == 0)
    return LoadFigures(
        sum(r.requests for r in records), acknowledged, double_clicks, took, dict(sorted(statuses.items()))
    )


def test_fifty_students_answer_twenty_questions_at_once(tmp_path: Path) -> None:
    site = prepare_site(tmp_path)
    cpu_before = cpu_seconds()
    with LiveServer(site.env, tmp_path / "gunicorn.log", workers=WORKERS) as server:
        figures = class_answers_at_once(site, [server], lambda n: [server.url])
    client_cpu, server_cpu = (after - before for after, before in zip(cpu_seconds(), cpu_before, strict=False))
    print(
        f"\nload: {STUDENTS} students x {QUESTIONS} questions on gunicorn ({WORKERS} workers, SQLite): {figures}; "
        f"CPU: server {server_cpu:.1f} s (gunicorn, boot included), students {client_cpu:.1f} s"
    )


@pytest.mark.postgresql_only("two servers share one PostgreSQL database")
def test_the_same_load_on_two_servers_sharing_one_postgresql(tmp_path: Path, databases: DatabaseSupply) -> None:
    """As behind a load balancer: every other student sends each request to the other
    server in turn (a double click reaches both at once); the rest stay on one, half on each."""
    site = prepare_site(tmp_path, database_url=databases.new_database(tmp_path))
    workers = WORKERS // 2  # the same four workers in all, on a two-core machine
    with (
        LiveServer(site.env, tmp_path / "gunicorn-a.log", workers=workers) as a,
        LiveServer(site.env, tmp_path / "gunicorn-b.log", workers=workers) as b,
    ):
        assert a.port != b.port
        figures = class_answers_at_once(
            site, [a, b], lambda n: [a.url, b.url] if n % 2 == 0 else [(a, b)[n // 2 % 2].url]
        )
    print(
        f"\nload on two servers: {STUDENTS} students x {QUESTIONS} questions on two gunicorns "
        f"({workers} workers each, one PostgreSQL database): {figures}"
    )


def test_killing_the_server_mid_load_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    site = prepare_site(tmp_path)
    stop = threading.Event()
    server = LiveServer(site.env, tmp_path / "gunicorn.log", workers=WORKERS)
    # Feedback pages are left unread here: this test is about what is stored, and is quicker without them.
    students = [
        Student(
            n, [server.url], site.keys, site.versions, double_click_every=10, timeout=30, stop=stop, read_feedback=False
        )
        for n in range(STUDENTS)
    ]
    crowd = Crowd(students)
    try:
        server.start()
        began = time.monotonic()
        crowd.start()
        target = STUDENTS * QUESTIONS * 2 // 5
        while crowd.acknowledged() < target:
            assert any(t.is_alive() for t in crowd.threads), "the load ended before the crash"
            assert time.monotonic() - began < 180, "the load never got under way"
            time.sleep(0.05)

        server.kill()  # SIGKILL to the master and every worker, mid-request
        killed_at = time.monotonic() - began
        # On a busy machine every student thread may be between requests at the kill;
        # let the class run into the dead server (for at most 2 s) before it disconnects.
        hit_the_crash = time.monotonic() + 2
        while time.monotonic() < hit_the_crash and not any(s.record.errors for s in students):
            time.sleep(0.01)
        stop.set()  # every student stops after the request under way: the class is disconnected
        acknowledged_at_crash = {s.record.username: dict(s.record.acknowledged) for s in students}
        at_crash = by_student(stored_rows(site))
        lost = [
            (user, slug)
            for user, answers in acknowledged_at_crash.items()
            for slug in answers
            if slug not in at_crash[user]
        ]
        assert lost == [], "acknowledged answers missing right after the crash"

        server.start()  # the same address; requests queued meanwhile are served now
        crowd.wait(deadline=120)
        interrupted = [s.record.username for s in students if any("Stopped" not in e for e in s.record.errors)]
        before_resume = by_student(stored_rows(site))

        stop.clear()
        crowd.start("resume")
        crowd.wait(deadline=240)
        took = time.monotonic() - began
        crowd.close()
    finally:
        server.close()

    assert [(s.record.username, s.record.errors_after_restart) for s in students if s.record.errors_after_restart] == []
    assert interrupted, "the kill interrupted no request: the test did not test a crash"
    statuses = status_counts(students)
    assert not [code for code in statuses if code >= 500], statuses

    # Every student came back exactly where the database says they were.
    order = [key.slug for key in site.keys]
    for student in students:
        done = before_resume.get(student.record.username, {})
        assert set(done) == set(order[: len(done)])  # answered in order, no gaps
        expected_next = order[len(done)] if len(done) < QUESTIONS else ""
        assert student.record.first_question_shown == expected_next, (student.record.username, len(done))

    rows = stored_rows(site)
    stored = by_student(rows)
    acknowledged = assert_acknowledged_are_stored(students, stored)
    assert_complete_and_scored(site, students, stored)
    unacknowledged = len(rows) - acknowledged  # stored, but the answer to the browser died with the server
    assert unacknowledged <= len(interrupted)
    print(
        f"\ncrash: {STUDENTS} students x {QUESTIONS} questions, SIGKILL at {killed_at:.1f} s with "
        f"{sum(len(a) for a in acknowledged_at_crash.values())} answers acknowledged, all of them stored; "
        f"{len(interrupted)} requests cut off; after restart all {STUDENTS} resumed at their next unanswered "
        f"question and finished: {len(rows)} answers stored ({unacknowledged} stored but never acknowledged), "
        f"none twice; {sum(s.record.requests for s in students)} requests in {took:.1f} s"
    )


def post_at_once(
    base_url: str, cookies: requests.cookies.RequestsCookieJar, posts: list[tuple[str, dict[str, str]]]
) -> list[str]:
    """Each (path, form) from its own connection, all released at the same moment; "status location" each."""
    barrier = threading.Barrier(len(posts))
    results: list[str] = []

    def post(path: str, data: dict[str, str]) -> None:
        with requests.Session() as session:
            session.cookies.update(cookies)
            barrier.wait(timeout=30)
            response = session.post(base_url + path, data=data, allow_redirects=False, timeout=60)
            results.append(f"{response.status_code} {response.headers.get('Location')}")

    threads = [threading.Thread(target=post, args=item) for item in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def answer_form(student: int, index: int, key: Key, version: str, token: str) -> dict[str, str]:
    plan = planned_answer(student, index, key)
    return {
        "csrf_token": token,
        "version": version,
        "claim_type": plan.claim_type,
        "speaker": plan.speaker,
        "evidence": "yes" if plan.evidence else "no",
    }


def test_many_tabs_on_one_attempt_at_once(tmp_path: Path) -> None:
    """Eight identical POSTs at the same moment (a frantic double click), and a student
    posting all twenty passages at once from twenty tabs."""
    site = prepare_site(tmp_path)
    slug_to_version = {slug: version for version, slug in site.versions.items()}
    secret = site.env["QUIZAPP_SECRET_KEY"]
    with LiveServer(site.env, tmp_path / "gunicorn.log", workers=WORKERS) as server:
        clicker, tabs = (Student(n, [server.url], site.keys, site.versions) for n in (0, 1))
        clicker.register()
        attempt = clicker.start()
        current = clicker.current_question(attempt)
        assert current is not None
        slug, version, token = current
        clicks = post_at_once(
            server.url,
            clicker.session.cookies,
            [(f"/attempts/{attempt}/answer", answer_form(0, 0, site.keys[0], version, token))] * 8,
        )

        tabs.register()
        tabs_attempt = tabs.start()
        current = tabs.current_question(tabs_attempt)
        assert current is not None
        token = current[2]
        everything = post_at_once(
            server.url,
            tabs.session.cookies,
            [
                # Every passage signed for this attempt, as if each tab had been shown one.
                (
                    f"/attempts/{tabs_attempt}/answer",
                    answer_form(
                        1, i, key, shown_version.form_value(tabs_attempt, slug_to_version[key.slug], secret), token
                    ),
                )
                for i, key in enumerate(site.keys)
            ],
        )
        # What the student sees next: the end of the quiz, with the right total.
        assert tabs.current_question(tabs_attempt) is None
        summary = tabs.request("GET", f"/attempts/{tabs_attempt}/summary").text
        clicker.close()
        tabs.close()

    rows = stored_rows(site)
    [clicked] = [row for row in rows if row.username == clicker.record.username]
    assert clicked.slug == slug
    assert clicks == [f"302 /attempts/{attempt}/answers/{clicked.answer_id}"] * 8

    stored = by_student(rows)[tabs.record.username]
    assert sorted(stored) == sorted(key.slug for key in site.keys)
    assert all(row.finished for row in stored.values())
    assert sorted(everything) == sorted(
        f"302 /attempts/{tabs_attempt}/answers/{row.answer_id}" for row in stored.values()
    )
    for index, key in enumerate(site.keys):
        assert stored[key.slug].scores == planned_answer(1, index, key).scores
    assert f"{expected_total(1, site.keys):g} of {3 * QUESTIONS}" in summary
