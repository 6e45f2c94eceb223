"""A live class session under gunicorn: a class following it and answering every passage, and the projector.

    .venv/bin/python benchmarks/live_session.py [students] [passages] [workers] [rounds]

Defaults: 200 students, 3 passages, 4 sync workers (the README's production
setting for 2 cores), 2 rounds. quizapp gets a fresh SQLite file, or a fresh schema in the
PostgreSQL database of QUIZAPP_DATABASE_URL (dropped at the end), with one class
of signed-in students and a live session of a quiz. Each student is a thread
doing what static/live.js and a person do: poll the session's state every 2 s
with If-None-Match, fetch the page again when the state says it changed, and
answer each passage once, 2-12 s after it appears. The projector polls its own
state every 2 s. The instructor shows the key once every student has answered,
leaves it up for 3 s and moves on; after the last passage, End.

The baseline, served beside it under the same gunicorn settings and driven by
the same threads on the same schedule, is the bare stack answering a fixed 304
to every poll, a page of the same size as the student's, and an answer that
inserts one row into SQLite (WAL); there the stage changes are told to the
threads directly. The two take turns, a whole class each, quizapp first (each
round of quizapp is a new session), and each row adds up the rounds.

Printed: p50 and p99 of each kind of request (measured by the client, from
sending to the last byte), the requests and the errors (any status but the
expected ones, or no answer), and the CPU time the gunicorn processes used
(utime + stime of the master and its workers from /proc, before and after).
With PostgreSQL the database server's own processes are not in that figure.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from http_load import BARE_APP, bare_template, migrated_app
from live_class import CSRF, KINDS, VERSION, Run, Target, merged, percentile, request, run_class, stage_from_json
from load_bank import build_bank

from tests.live_server import LiveServer

SECRET = "bench-" + "7c2e9a1f4b8d3e6a0f5c2b9d7e1a4f3c"

# The bare stack of http_load.py, with a state that never changes: a fixed 304.
BARE_STATE = """

@app.get("/state")
def state():
    if request.headers.get("If-None-Match") == '"fixed"':
        return "", 304, {"ETag": '"fixed"'}
    return {"stage": 1}, 200, {"ETag": '"fixed"'}
"""


# --- quizapp's database and sessions ----------------------------------------------


@contextlib.contextmanager
def scratch_database(work: Path) -> Iterator[str]:
    """A fresh SQLite file, or a fresh schema on the PostgreSQL server of QUIZAPP_DATABASE_URL."""
    configured = os.environ.get("QUIZAPP_DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        yield f"sqlite:///{work / 'quizapp.sqlite3'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(configured)
    schema = f"quizapp_live_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        options = " ".join(filter(None, [server.query.get("options", ""), f"-csearch_path={schema}"]))
        yield server.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Prepared:
    env: dict[str, str]
    quiz_id: int
    classroom_id: int
    live_id: int
    student_cookies: list[str]
    teacher_cookie: str
    teacher_token: str
    page: str


def prepare_quizapp(work: Path, database_url: str, students: int, passages: int) -> Prepared:
    """A class of `students`, signed in, and a live session of a `passages`-passage quiz at its first passage."""
    questions = build_bank(work / "questions", files=1, questions=passages)
    env = {"QUIZAPP_SECRET_KEY": SECRET, "QUIZAPP_DATABASE_URL": database_url, "QUIZAPP_QUESTIONS_DIR": str(questions)}
    from quizapp.accounts import classrooms, sessions
    from quizapp.accounts.users import SESSION_SIGN_IN, SESSION_USER
    from quizapp.db import db
    from quizapp.live import control
    from quizapp.models import INSTRUCTOR, ClassMembership, Quiz, User

    app = migrated_app(env)
    with app.app_context():
        teacher = User(username="teacher", password_hash="!", role=INSTRUCTOR)
        users = [User(username=f"student{n:03}", password_hash="!") for n in range(students)]
        db.session.add_all([teacher, *users])
        db.session.flush()
        classroom = classrooms.create_classroom("Benchmark class", created_by_id=teacher.id)  # teacher teaches it
        db.session.add_all(ClassMembership(classroom_id=classroom.id, user_id=u.id) for u in users)
        db.session.commit()
        quiz_id = db.session.scalars(db.select(Quiz.id)).one()
        live_id = control.start(quiz_id, classroom.id, teacher.id).id
        ids = [u.id for u in users]
        teacher_id, classroom_id = teacher.id, classroom.id
        # As sign-in does: a stored sign-in per person, named by the session cookie.
        sign_ins = {user_id: sessions.new_sign_in(user_id) for user_id in [*ids, teacher_id]}
        db.engine.dispose()

    def signed_in(user_id: int, path: str) -> tuple[str, str]:
        client = app.test_client()
        with client.session_transaction() as session:
            session[SESSION_USER] = user_id
            session[SESSION_SIGN_IN] = sign_ins[user_id]
            session.permanent = True  # a lasting session, as sign-in makes it
        page = client.get(path).get_data(as_text=True)  # makes the CSRF token the session keeps
        cookie = client.get_cookie("session")
        assert cookie is not None, path
        return f"session={cookie.value}", page

    cookies, page = [], ""
    for user_id in ids:
        cookie, page = signed_in(user_id, f"/live/{live_id}")
        cookies.append(cookie)
    teacher_cookie, control_page = signed_in(teacher_id, f"/instructor/live/{live_id}")
    token = CSRF.search(control_page)
    assert token and VERSION.search(page), "the live pages did not render for the seeded class"
    with app.app_context():
        db.engine.dispose()
    return Prepared(env, quiz_id, classroom_id, live_id, cookies, teacher_cookie, token.group(1), page)


# --- one run -------------------------------------------------------------------


def quizapp_steps(port: int, prepared: Prepared, live: int) -> Callable[[str, int], None]:
    """The instructor's buttons, pressed over HTTP with the stage the control page shows."""

    def press(action: str, _number: int) -> None:
        headers = {"Cookie": prepared.teacher_cookie, "Accept": "application/json"}
        stage = json.loads(request(port, "GET", f"/instructor/live/{live}/state", headers).body)["stage"]
        form = urlencode({"csrf_token": prepared.teacher_token, "stage": stage})
        reply = request(port, "POST", f"/instructor/live/{live}/{action}",
                        {**headers, "Content-Type": "application/x-www-form-urlencoded"}, form)  # fmt: skip
        assert reply.status == 302, (action, reply.status)

    return press


def quizapp_target(port: int, prepared: Prepared, live: int) -> Target:
    return Target(
        "quizapp",
        port,
        prepared.student_cookies,
        prepared.teacher_cookie,
        poll_path=f"/live/{live}/state",
        projector_path=f"/instructor/live/{live}/projector/state",
        page_path=f"/live/{live}",
        answer_path=f"/live/{live}/answer",
        stage_in=stage_from_json,
    )


def start_again(port: int, prepared: Prepared) -> int:
    """A new session for the next round, started as the instructor does (the last one has ended)."""
    form = urlencode(
        {"csrf_token": prepared.teacher_token, "quiz": prepared.quiz_id, "classroom": prepared.classroom_id}
    )
    headers = {"Cookie": prepared.teacher_cookie, "Content-Type": "application/x-www-form-urlencoded"}
    reply = request(port, "POST", "/instructor/live", headers, form)
    found = re.fullmatch(r"/instructor/live/(\d+)", reply.headers.get("location", ""))
    assert reply.status == 302 and found, (reply.status, reply.body[:300])
    return int(found.group(1))


def bare_target(port: int, students: int) -> tuple[Target, Callable[[str, int], None]]:
    target = Target(
        "bare",
        port,
        ["x=1"] * students,
        "x=1",
        poll_path="/state",
        projector_path="/state",
        page_path="/attempts/1",
        answer_path="/attempts/1/answer",
        stage_in=lambda _reply: None,
    )
    target.told_stage[0] = 1

    def tell(action: str, number: int) -> None:
        # Odd stages are open passages, as quizapp's are: 1, 2 once its key is shown, 3 the next one...
        target.told_stage[0] = {"reveal": 2 * number, "next": 2 * number + 1, "end": 2 * number + 2}[action]

    return target, tell


def measure(students: int = 200, passages: int = 3, workers: int = 4, rounds: int = 2) -> tuple[dict[str, Run], str]:
    """The class against quizapp, then against the bare stack, `rounds` times in turn (so
    whatever else the machine does falls on both): ({"quizapp": ..., "bare": ...}, database)."""
    runs: dict[str, list[Run]] = {"quizapp": [], "bare": []}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "app").mkdir()
        (work / "bare").mkdir()
        with scratch_database(work / "app") as database_url:
            prepared = prepare_quizapp(work / "app", database_url, students, passages)
            (work / "bare" / "bare_app.py").write_text(BARE_APP + BARE_STATE)
            (work / "bare" / "page.html").write_text(bare_template(prepared.page))
            bare_env = {"BARE_DATABASE_URL": f"sqlite:///{work / 'bare' / 'bare.sqlite3'}"}
            with (
                LiveServer(prepared.env, work / "app" / "gunicorn.log", workers=workers) as app_server,
                LiveServer(
                    bare_env, work / "bare" / "gunicorn.log", workers=workers, app="bare_app:app", cwd=work / "bare"
                ) as bare_server,
            ):
                for number in range(rounds):
                    live = prepared.live_id if number == 0 else start_again(app_server.port, prepared)
                    target = quizapp_target(app_server.port, prepared, live)
                    steps = quizapp_steps(app_server.port, prepared, live)
                    runs["quizapp"].append(run_class(target, passages, app_server, steps))
                    target, tell = bare_target(bare_server.port, students)
                    runs["bare"].append(run_class(target, passages, bare_server, tell))
        database = "PostgreSQL (the bare stack: SQLite)" if database_url.startswith("postgresql") else "SQLite (WAL)"
    return {name: merged(each) for name, each in runs.items()}, database


def table(runs: dict[str, Run], students: int, workers: int) -> list[str]:
    app, bare = runs["quizapp"], runs["bare"]
    lines = [
        f"| Live session, {students} students + projector, gunicorn {workers} workers | quizapp p50 / p99 ms "
        "| requests | errors | bare p50 / p99 ms | requests | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        cells = []
        for run in (app, bare):
            times = [t * 1000 for t in run.record.times[kind]]
            errors = sum(1 for e in run.record.errors if e.startswith(kind))
            cells.append(f"{percentile(times, 0.5):.0f} / {percentile(times, 0.99):.0f} | {len(times)} | {errors}")
        lines.append(f"| {kind} | {' | '.join(cells)} |")
    total = {name: sum(len(v) for v in run.record.times.values()) for name, run in runs.items()}
    lines.append(
        f"| server CPU over the run | {app.cpu_seconds:.1f} s in {app.seconds:.0f} s "
        f"({1000 * app.cpu_seconds / total['quizapp']:.2f} ms a request) | {total['quizapp']} | "
        f"{len(app.record.errors)} | {bare.cpu_seconds:.1f} s in {bare.seconds:.0f} s "
        f"({1000 * bare.cpu_seconds / total['bare']:.2f} ms a request) | {total['bare']} | {len(bare.record.errors)} |"
    )
    return lines


def main(argv: list[str]) -> int:
    students, passages, workers, rounds = (int(a) for a in (argv[1:] + ["200", "3", "4", "2"][len(argv) - 1 :])[:4])
    load_before = os.getloadavg()[0]
    runs, database = measure(students, passages, workers, rounds)
    print(
        f"Database: {database}; {rounds} rounds each; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n"
    )
    print("\n".join(table(runs, students, workers)))
    polls = runs["quizapp"].record.statuses["student poll"]
    print(f"\nquizapp student polls by status: {dict(sorted(polls.items()))}")
    for name, run in runs.items():
        if run.record.errors:
            print(f"{name} errors (first 10): {run.record.errors[:10]}")
    return 1 if any(run.record.errors for run in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
