"""A class following a live session, simulated: a thread per student, the projector, and the timings.

Each student does what static/live.js and a person do: poll the state every 2 s
with If-None-Match, fetch the page again when the state says the class moved on,
and answer each passage once, 2-12 s after it appears. The projector polls its
state every 2 s. `run_class` takes the class through every passage with the
instructor's steps and returns every request's time and the server's CPU time.
Used by live_session.py, against quizapp and against the bare stack.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tests.live_server import LiveServer

POLL_EVERY_S = 2.0
READING_S = (2.0, 12.0)  # how long a student takes to answer a passage once it shows
KEY_UP_S = 3.0  # how long the key stays up before Next
WAIT_FOR_ALL_S = 60.0  # the instructor shows the key when all have answered, or after this long
TIMEOUT_S = 30.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
ANSWER = {"claim_type": "factual", "speaker": "outlet", "evidence": "yes", "reason": "The figure could be checked."}
KINDS = ("student poll", "projector poll", "page after a change", "answer submission")


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
