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
import http.client
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from http_load import BARE_APP, bare_template
from load_bank import build_bank

from tests.live_server import LiveServer

SECRET = "bench-" + "7c2e9a1f4b8d3e6a0f5c2b9d7e1a4f3c"
POLL_EVERY_S = 2.0
READING_S = (2.0, 12.0)  # how long a student takes to answer a passage once it shows
KEY_UP_S = 3.0  # how long the key stays up before Next
WAIT_FOR_ALL_S = 60.0  # the instructor shows the key when all have answered, or after this long
TIMEOUT_S = 30.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
ANSWER = {"claim_type": "factual", "speaker": "outlet", "evidence": "yes", "reason": "The figure could be checked."}
KINDS = ("student poll", "projector poll", "page after a change", "answer submission")

# The bare stack of http_load.py, with a state that never changes: a fixed 304.
BARE_STATE = """

@app.get("/state")
def state():
    if request.headers.get("If-None-Match") == '"fixed"':
        return "", 304, {"ETag": '"fixed"'}
    return {"stage": 1}, 200, {"ETag": '"fixed"'}
"""


# --- measuring -----------------------------------------------------------------


@dataclass
class Record:
    """Every request's time by kind, and every error, from all threads."""

    times: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    errors: list[str] = field(default_factory=list)
    answered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int, expected: tuple[int, ...]) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status] = self.statuses[kind].get(status, 0) + 1
            if status not in expected:
                self.errors.append(f"{kind}: HTTP {status}")

    def fail(self, kind: str, problem: str) -> None:
        with self.lock:
            self.errors.append(f"{kind}: {problem}")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: str


def request(port: int, method: str, path: str, headers: dict[str, str], body: str | None = None) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
    finally:
        connection.close()


def timed(record: Record, kind: str, expected: tuple[int, ...], port: int, method: str, path: str,
          headers: dict[str, str], body: str | None = None) -> Reply | None:  # fmt: skip
    started = time.perf_counter()
    try:
        reply = request(port, method, path, headers, body)
    except (OSError, http.client.HTTPException) as error:
        record.fail(kind, f"{type(error).__name__}: {error}")
        return None
    record.add(kind, time.perf_counter() - started, reply.status, expected)
    return reply


def server_cpu_seconds(server: LiveServer) -> float:
    """utime + stime of the gunicorn master and its workers, from /proc."""
    assert server.process is not None
    master = server.process.pid
    pids = [str(master), *Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


# --- what is loaded: quizapp or the bare stack -----------------------------------


@dataclass
class Target:
    """Where each kind of request goes, and how a thread learns of a change."""

    name: str
    port: int
    student_cookies: list[str]
    projector_cookie: str
    poll_path: str
    projector_path: str
    page_path: str
    answer_path: str
    # The stage a poll's reply says (None: unchanged, or the bare stack's fixed 304).
    stage_in: Callable[[Reply], int | None]
    # Told by the instructor's thread to the bare stack's students (quizapp's learn it by polling).
    told_stage: list[int] = field(default_factory=lambda: [0])


class Student(threading.Thread):
    def __init__(self, target: Target, number: int, record: Record, stop: threading.Event) -> None:
        super().__init__(daemon=True, name=f"student-{number}")
        self.target, self.record, self.stop = target, record, stop
        self.cookie = target.student_cookies[number]
        self.random = random.Random(number)
        self.etag = ""
        self.stage = -1
        self.form: dict[str, str] | None = None  # the open passage's form, not yet answered
        self.answer_at = float("inf")

    def run(self) -> None:
        next_poll = time.monotonic() + self.random.uniform(0, POLL_EVERY_S)  # a class does not poll in step
        while not self.stop.is_set():
            wait = min(next_poll, self.answer_at) - time.monotonic()
            if wait > 0 and self.stop.wait(wait):
                return
            if time.monotonic() >= self.answer_at:
                self.answer()
            if time.monotonic() >= next_poll:
                next_poll += POLL_EVERY_S
                self.poll()

    def poll(self) -> None:
        target = self.target
        headers = {"Cookie": self.cookie, "Accept": "application/json"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        reply = timed(self.record, "student poll", (200, 304), target.port, "GET", target.poll_path, headers)
        if reply is None:
            return
        self.etag = reply.headers.get("etag", self.etag)
        stage = target.stage_in(reply) if target.name == "quizapp" else target.told_stage[0]
        if stage is not None and stage != self.stage:
            self.stage = stage
            self.fetch_page()

    def fetch_page(self) -> None:
        target = self.target
        reply = timed(self.record, "page after a change", (200,), target.port, "GET", target.page_path,
                      {"Cookie": self.cookie})  # fmt: skip
        if reply is None:
            return
        version, token = VERSION.search(reply.body), CSRF.search(reply.body)
        open_passage = bool(version) if target.name == "quizapp" else self.stage % 2 == 1
        if open_passage and version and token:
            self.form = {"csrf_token": token.group(1), "version": version.group(1), **ANSWER}
            self.answer_at = time.monotonic() + self.random.uniform(*READING_S)

    def answer(self) -> None:
        target, form = self.target, self.form
        self.answer_at = float("inf")
        self.form = None
        if form is None:
            return
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        reply = timed(self.record, "answer submission", (302,), target.port, "POST", target.answer_path, headers,
                      urlencode(form))  # fmt: skip
        if reply is not None and reply.status == 302:
            with self.record.lock:
                self.record.answered += 1


class Projector(threading.Thread):
    def __init__(self, target: Target, record: Record, stop: threading.Event) -> None:
        super().__init__(daemon=True, name="projector")
        self.target, self.record, self.stop = target, record, stop

    def run(self) -> None:
        etag = ""
        while not self.stop.wait(POLL_EVERY_S):
            headers = {"Cookie": self.target.projector_cookie, "Accept": "application/json"}
            if etag:
                headers["If-None-Match"] = etag
            reply = timed(self.record, "projector poll", (200, 304), self.target.port, "GET",
                          self.target.projector_path, headers)  # fmt: skip
            if reply is not None:
                etag = reply.headers.get("etag", etag)


def stage_from_json(reply: Reply) -> int | None:
    return int(json.loads(reply.body)["stage"]) if reply.status == 200 else None


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
    from quizapp import create_app
    from quizapp.db import db
    from quizapp.live import control
    from quizapp.models import INSTRUCTOR, ClassMembership, Classroom, Quiz, User

    saved = dict(os.environ)
    os.environ.update(env)  # the app reads its settings from the environment, as under gunicorn
    try:
        app = create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    runner = app.test_cli_runner()
    for command in (["db", "upgrade"], ["questions", "sync"]):
        outcome = runner.invoke(args=command)
        assert outcome.exit_code == 0, outcome.output
    with app.app_context():
        teacher = User(username="teacher", password_hash="!", role=INSTRUCTOR)
        users = [User(username=f"student{n:03}", password_hash="!") for n in range(students)]
        db.session.add_all([teacher, *users])
        db.session.flush()
        classroom = Classroom(name="Benchmark class", join_code="BCDFGHJK", created_by_id=teacher.id)
        db.session.add(classroom)
        db.session.flush()
        db.session.add_all(ClassMembership(classroom_id=classroom.id, user_id=u.id) for u in users)
        db.session.commit()
        quiz_id = db.session.scalars(db.select(Quiz.id)).one()
        live_id = control.start(quiz_id, classroom.id, teacher.id).id
        ids = [u.id for u in users]
        teacher_id, classroom_id = teacher.id, classroom.id
        db.engine.dispose()

    def signed_in(user_id: int, path: str) -> tuple[str, str]:
        client = app.test_client()
        with client.session_transaction() as session:
            session["user_id"] = user_id
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


@dataclass
class Run:
    record: Record
    seconds: float
    cpu_seconds: float


def warm_up(target: Target) -> None:
    """Each worker reads the quiz and compiles its templates before the class arrives, as a
    server that has been up for a while has (sync workers take turns, so several of each)."""
    student = {"Cookie": target.student_cookies[0]}
    for _ in range(4 * 4):
        request(target.port, "GET", target.page_path, student)
        request(target.port, "GET", target.poll_path, student)
        request(target.port, "GET", target.projector_path, {"Cookie": target.projector_cookie})


def run_class(target: Target, passages: int, server: LiveServer, step: Callable[[str, int], None]) -> Run:
    """Students and the projector follow the session while the instructor takes it through every passage."""
    warm_up(target)
    record, stop = Record(), threading.Event()
    threads: list[threading.Thread] = [Student(target, n, record, stop) for n in range(len(target.student_cookies))]
    threads.append(Projector(target, record, stop))
    cpu_before, started = server_cpu_seconds(server), time.monotonic()
    for thread in threads:
        thread.start()
    for number in range(1, passages + 1):
        deadline = time.monotonic() + WAIT_FOR_ALL_S
        while record.answered < number * len(target.student_cookies) and time.monotonic() < deadline:
            time.sleep(0.2)
        step("reveal", number)
        time.sleep(KEY_UP_S)
        step("next" if number < passages else "end", number)
    time.sleep(POLL_EVERY_S * 1.5)  # everyone sees the end
    stop.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT_S)
    return Run(record, time.monotonic() - started, server_cpu_seconds(server) - cpu_before)


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


def merged(runs: list[Run]) -> Run:
    record = Record()
    for run in runs:
        for kind in KINDS:
            record.times[kind] += run.record.times[kind]
            for status, count in run.record.statuses[kind].items():
                record.statuses[kind][status] = record.statuses[kind].get(status, 0) + count
        record.errors += run.record.errors
        record.answered += run.record.answered
    return Run(record, sum(r.seconds for r in runs), sum(r.cpu_seconds for r in runs))


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
