"""Answer submission and the quiz page under gunicorn, against a bare Flask app, in one run.

    .venv/bin/python benchmarks/http_load.py [seconds] [connections] [workers]

Needs wrk (Debian: apt-get install -y wrk). Defaults: 64 connections, 4 sync
workers (the README's production setting for 2 cores), and each measurement in
3 rounds of 5 s, alternating between quizapp and the baseline.

quizapp gets a fresh SQLite database with one 60-question quiz and 256 students,
each with an open attempt; wrk sends every request as a different student
(session cookie and CSRF token taken from a real page), and every answer POST
answers a question that student has not answered yet, so each one stores a row.
The baseline, served beside it under the same gunicorn settings and loaded by
the same wrk, is the bare stack: Flask + Flask-SQLAlchemy + SQLite (WAL) with an
endpoint that inserts one row from the same form body, and a page rendering a
template of the same size as quizapp's question page.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_bank import build_bank

from tests.live_server import LiveServer

if TYPE_CHECKING:
    from flask import Flask

SECRET = "bench-" + "5e1f0c2b9a7d3e8f4a6b1c0d2e3f4a5b"
STUDENTS = 256
QUESTIONS = 60
ANSWER_BODY = "claim_type=factual&speaker=outlet&evidence=yes&reason=The+minister+is+quoted."

# wrk runs this in each of its threads. Thread n of N sends the n-th, (n+N)-th, ...
# item of the plan, so no two requests answer the same question for the same student.
WRK_SCRIPT = r"""
local plan = dofile(os.getenv("PLAN"))
local counter, step, mode = 0, 1, os.getenv("MODE")
local redirects, stored_elsewhere = 0, 0
local threads = {}

function setup(thread)
  thread:set("first", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- OFFSET skips the plan items earlier runs sent, so no answer is sent twice.
  counter = first + tonumber(os.getenv("OFFSET"))
  step = tonumber(os.getenv("THREADS"))
end

function request()
  local s = plan.students[counter % #plan.students + 1]
  local versions = s.versions or plan.versions  -- quizapp signs each version per attempt
  local q = math.floor(counter / #plan.students) % #versions + 1
  counter = counter + step
  local headers = {["Cookie"] = s.cookie}
  if mode == "answer" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrf_token=" .. s.token .. "&version=" .. versions[q] .. "&" .. plan.body
    return wrk.format("POST", plan.answer_path:gsub("ATTEMPT", s.attempt), headers, body)
  end
  return wrk.format("GET", plan.page_path:gsub("ATTEMPT", s.attempt), headers)
end

function response(status, headers, body)
  if status == 302 then
    redirects = redirects + 1
    if not string.find(headers["Location"] or "", plan.expected_redirect, 1, true) then
      stored_elsewhere = stored_elsewhere + 1
    end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass
class Measurement:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    note: str = ""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def worker_rss_mib(server: LiveServer) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master)."""
    assert server.process is not None
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def run_wrk(url: str, plan: Path, mode: str, seconds: int, connections: int, offset: int = 0) -> dict[str, float]:
    threads = 2
    script = plan.with_name("wrk.lua")
    script.write_text(WRK_SCRIPT)
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        env={**os.environ, "PLAN": str(plan), "MODE": mode, "THREADS": str(threads), "OFFSET": str(offset)},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def lua_plan(
    path: Path,
    students: list[dict[str, Any]],
    versions: list[int],
    answer_path: str,
    page_path: str,
    expected_redirect: str,
) -> Path:
    def text(value: str) -> str:
        return json.dumps(value)  # a JSON string is a valid Lua string here (ASCII, no escapes but \")

    def row(s: dict[str, Any]) -> str:
        shown = f", versions={{{', '.join(map(text, s['versions']))}}}" if "versions" in s else ""
        return f"{{cookie={text(s['cookie'])}, token={text(s['token'])}, attempt={text(s['attempt'])}{shown}}}"

    rows = ",\n".join(row(s) for s in students)
    path.write_text(
        f"return {{students={{{rows}}}, versions={{{', '.join(map(str, versions))}}},\n"
        f"answer_path={text(answer_path)}, page_path={text(page_path)}, body={text(ANSWER_BODY)},\n"
        f"expected_redirect={text(expected_redirect)}}}\n"
    )
    return path


# --- quizapp ---------------------------------------------------------------


def migrated_app(env: dict[str, str]) -> Flask:
    """The app as gunicorn makes it from `env`, its database migrated and its questions synced."""
    from quizapp import create_app

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
    return app


def prepare_quizapp(work: Path) -> tuple[dict[str, str], Path, str, list[int]]:
    """A database with one quiz and STUDENTS students mid-attempt: (env, plan, page html, version ids)."""
    questions = build_bank(work / "questions", files=1, questions=QUESTIONS)
    env = {
        "QUIZAPP_SECRET_KEY": SECRET,
        "QUIZAPP_DATABASE_URL": f"sqlite:///{work / 'quizapp.sqlite3'}",
        "QUIZAPP_QUESTIONS_DIR": str(questions),
    }
    from quizapp.accounts import sessions
    from quizapp.db import db
    from quizapp.models import Attempt, Question, Quiz, User
    from quizapp.taking import shown_version

    app = migrated_app(env)
    students: list[dict[str, Any]] = []
    with app.app_context():
        quiz = db.session.scalars(db.select(Quiz)).one()
        versions = [
            q.current_version_id
            for q in db.session.scalars(db.select(Question).filter_by(quiz_id=quiz.id).order_by(Question.position))
        ]
        users = [User(username=f"student{n:03}", password_hash="!", role="student") for n in range(STUDENTS)]
        db.session.add_all(users)
        db.session.flush()
        attempts = [Attempt(user_id=u.id, quiz_id=quiz.id) for u in users]
        db.session.add_all(attempts)
        db.session.commit()
        # As sign-in does: a stored sign-in per student, named by the session cookie; and
        # the version fields as each student's question pages sign them.
        pairs = [(u.id, a.id, sessions.new_sign_in(u.id)) for u, a in zip(users, attempts, strict=False)]
        shown = {a: [shown_version.form_value(a, v) for v in versions] for _u, a, _s in pairs}
        db.engine.dispose()
    page = ""
    for user_id, attempt_id, sign_in in pairs:
        client = app.test_client()
        with client.session_transaction() as session:
            session["user_id"] = user_id
            session["sign_in"] = sign_in
            session.permanent = True  # a lasting session, as sign-in makes it
        page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        cookie = client.get_cookie("session")
        assert token and cookie, "the question page did not render for a seeded student"
        students.append(
            {
                "cookie": f"session={cookie.value}",
                "token": token.group(1),
                "attempt": str(attempt_id),
                "versions": shown[attempt_id],
            }
        )
    plan = lua_plan(
        work / "plan.lua",
        students,
        versions,
        "/attempts/ATTEMPT/answer",
        "/attempts/ATTEMPT",
        expected_redirect="/answers/",
    )
    return env, plan, page, versions


def count_quizapp_answers(work: Path) -> int:
    import sqlite3

    with sqlite3.connect(work / "quizapp.sqlite3") as connection:
        return connection.execute("SELECT count(*) FROM answer").fetchone()[0]


# --- the bare stack -----------------------------------------------------------

BARE_APP = """
import os
from flask import Flask, redirect, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

app = Flask(__name__, template_folder=".")
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BARE_DATABASE_URL"]
db = SQLAlchemy(app)


@event.listens_for(Engine, "connect")
def wal(connection, _record):
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=15000")


class Row(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.Integer)
    claim_type = db.Column(db.String(40))
    speaker = db.Column(db.String(40))
    evidence = db.Column(db.Boolean)
    reason = db.Column(db.Text)


@app.post("/attempts/<int:attempt_id>/answer")
def answer(attempt_id):
    form = request.form
    db.session.add(Row(version=int(form["version"]), claim_type=form["claim_type"], speaker=form["speaker"],
                       evidence=form["evidence"] == "yes", reason=form["reason"]))
    db.session.commit()
    return redirect(f"/attempts/{attempt_id}/answers/1")


@app.get("/attempts/<int:attempt_id>")
def page(attempt_id):
    return render_template("page.html", attempt_id=attempt_id, choices=CHOICES)


@app.get("/login")
def ready():
    return "ready"


CHOICES = ["factual", "cause-effect", "prediction", "rule", "opinion", "call-to-action", "not-a-claim"]
with app.app_context():
    db.create_all()
"""


def bare_template(page: str) -> str:
    """quizapp's question page as a Jinja template of the same size, with some variables and a loop."""
    body = "{% raw %}" + page + "{% endraw %}"
    return body + "{% for c in choices %}<!-- {{ c }} {{ attempt_id }} -->{% endfor %}"


def prepare_bare(work: Path, page: str, students: list[int], versions: list[int]) -> tuple[dict[str, str], Path]:
    (work / "bare_app.py").write_text(BARE_APP)
    (work / "page.html").write_text(bare_template(page))
    plan = lua_plan(
        work / "plan.lua",
        [{"cookie": "x=1", "token": "t", "attempt": str(n)} for n in students],
        versions,
        "/attempts/ATTEMPT/answer",
        "/attempts/ATTEMPT",
        expected_redirect="/answers/",
    )
    return {"BARE_DATABASE_URL": f"sqlite:///{work / 'bare.sqlite3'}"}, plan


def measure(
    seconds: int = 10, connections: int = 64, workers: int = 4, rounds: int = 3
) -> tuple[list[Measurement], dict[str, list[float]]]:
    """Quiz page and answer submission for quizapp and the bare stack: (rows, worker RSS in MiB).

    Both servers run side by side and are loaded in turn, quizapp then bare,
    `rounds` times with `seconds` each; each row adds up its rounds. Alternating
    spreads whatever else the machine does over both.
    """
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "app").mkdir()
        (work / "bare").mkdir()
        env, plan, page, versions = prepare_quizapp(work / "app")
        bare_env, bare_plan = prepare_bare(work / "bare", page, list(range(STUDENTS)), versions)
        totals: dict[str, list[dict[str, float]]] = {}
        sent = {"app": 0, "bare": 0}
        with (
            LiveServer(env, work / "app" / "gunicorn.log", workers=workers) as app_server,
            LiveServer(
                bare_env, work / "bare" / "gunicorn.log", workers=workers, app="bare_app:app", cwd=work / "bare"
            ) as bare_server,
        ):
            for mode in ("page", "answer"):
                for _ in range(rounds):
                    for name, server, server_plan in (("app", app_server, plan), ("bare", bare_server, bare_plan)):
                        result = run_wrk(server.url, server_plan, mode, seconds, connections, sent[name])
                        if mode == "answer":
                            sent[name] += int(result["requests"]) + 4 * connections  # and those still in flight
                        totals.setdefault(f"{name} {mode}", []).append(result)
            memory = {"quizapp": worker_rss_mib(app_server), "bare": worker_rss_mib(bare_server)}
        stored = count_quizapp_answers(work / "app")
    rows = []
    for key, results in totals.items():
        name, mode = key.split()
        label = f"{'quizapp' if name == 'app' else 'bare'} {'quiz page' if mode == 'page' else 'answer submission'}"
        note = ""
        if key == "app answer":
            note = f"{stored} rows stored"
        elif key == "app page":
            note = f"{len(page.encode()) / 1024:.1f} KB page"
        rows.append(
            Measurement(
                label,
                sum(int(r["requests"]) for r in results),
                sum(r["seconds"] for r in results),
                statistics.median(r["p50_ms"] for r in results),
                max(r["p99_ms"] for r in results),
                sum(int(r["status_errors"] + r["socket_errors"]) for r in results),
                note,
            )
        )
    return rows, memory


def main(argv: list[str]) -> int:
    seconds, connections, workers = (int(a) for a in (argv[1:] + ["5", "64", "4"][len(argv) - 1 :])[:3])
    rows, memory = measure(seconds, connections, workers)
    for row in rows:
        print(
            f"{row.name:28s} {row.per_second:7.0f} req/s  p50 {row.p50_ms:6.1f} ms  p99 {row.p99_ms:7.1f} ms  "
            f"errors {row.errors}  {row.note}"
        )
    for name, sizes in memory.items():
        print(f"{name} worker RSS: " + ", ".join(f"{s:.0f} MiB" for s in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
