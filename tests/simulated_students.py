"""Simulated students for load and crash tests: a question bank to load, and students
who register, take a quiz over HTTP (CSRF tokens read from the pages) and keep a
record of every answer the server acknowledged.

What each student answers is fixed in advance (`planned_answer`), so the test
knows every score without asking the app's grading code.
"""

from __future__ import annotations

import itertools
import re
import shutil
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from .support import CSRF_FIELD

DATA = Path(__file__).parent / "data" / "questions"
QUIZ_SLUG = "load"
CLAIM_TYPES = ["factual", "cause-effect", "prediction", "rule", "opinion", "call-to-action", "not-a-claim"]
SPEAKERS = ["outlet", "mayor", "council"]
PASSWORD = "load test password"
VERSION_FIELD = re.compile(r'name="version" type="hidden" value="([^"]+)"')
SUMMARY_TOTAL = re.compile(r"All parts</th><td>([\d.]+) of (\d+)</td>")
FEEDBACK_PATH = re.compile(r"^/attempts/(\d+)/answers/(\d+)$")


@dataclass(frozen=True)
class Key:
    slug: str
    claim_type: str
    accept: tuple[str, ...]
    speaker: str
    evidence: bool


def question_keys(count: int) -> list[Key]:
    keys = []
    for j in range(count):
        claim = CLAIM_TYPES[j % len(CLAIM_TYPES)]
        accept = (CLAIM_TYPES[(j + 1) % len(CLAIM_TYPES)],) if j % 5 == 0 else ()
        keys.append(Key(f"q{j:02d}", claim, accept, SPEAKERS[j % len(SPEAKERS)], j % 2 == 0))
    return keys


def write_load_bank(target: Path, questions: int = 20) -> list[Key]:
    """The test bank's taxonomy, one source and a quiz of `questions` passages."""
    target.mkdir(parents=True)
    shutil.copy(DATA / "taxonomy.yaml", target / "taxonomy.yaml")
    (target / "sources").mkdir()
    (target / "quizzes").mkdir()
    keys = question_keys(questions)
    sentences = [
        f"Passage number {j} of the load test says something checkable about item {j}." for j in range(questions)
    ]
    (target / "sources" / "load-news.txt").write_text("Load Test News\n\n" + "\n\n".join(sentences) + "\n")
    (target / "sources.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "id": "load-news",
                        "title": "Load Test News",
                        "publisher": "The Daily Example",
                        "genre": "news report",
                        "date": "2024-03-01",
                        "text": "sources/load-news.txt",
                    }
                ]
            },
            sort_keys=False,
        )
    )
    quiz = {
        "id": QUIZ_SLUG,
        "title": "Load test",
        "source": "load-news",
        "speakers": [{"id": s, "label": f"Speaker {s}"} for s in SPEAKERS],
        "questions": [
            {
                "id": key.slug,
                "passage": sentences[j],
                "claim_type": key.claim_type,
                **({"accept": list(key.accept)} if key.accept else {}),
                "speaker": key.speaker,
                "evidence": key.evidence,
                "explain": {
                    "claim_type": "Why the claim type.",
                    "speaker": "Why the speaker.",
                    "evidence": "Why the evidence.",
                },
            }
            for j, key in enumerate(keys)
        ],
    }
    (target / "quizzes" / f"{QUIZ_SLUG}.yaml").write_text(yaml.safe_dump(quiz, sort_keys=False))
    return keys


@dataclass(frozen=True)
class Planned:
    claim_type: str
    speaker: str
    evidence: bool
    scores: tuple[float, float, float]  # what the app must give: claim type, speaker, evidence


def planned_answer(student: int, question: int, key: Key) -> Planned:
    """Right, half right or wrong by a fixed pattern, different for each student."""
    pattern = (student * 7 + question * 3) % 6
    if pattern == 0 and key.accept:
        claim, claim_score = key.accept[0], 0.5
    elif pattern in (0, 1):
        claim = next(c for c in CLAIM_TYPES if c != key.claim_type and c not in key.accept)
        claim_score = 0.0
    else:
        claim, claim_score = key.claim_type, 1.0
    speaker_right = (student + question) % 4 != 0
    speaker = key.speaker if speaker_right else next(s for s in SPEAKERS if s != key.speaker)
    evidence_right = (student * question) % 5 != 1
    evidence = key.evidence if evidence_right else not key.evidence
    return Planned(claim, speaker, evidence, (claim_score, float(speaker_right), float(evidence_right)))


@dataclass
class Record:
    """What one student saw: every status code, and every answer the server acknowledged."""

    username: str
    attempt_id: int | None = None
    acknowledged: dict[str, int] = field(default_factory=dict)  # question slug -> answer id
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # connection failures and surprises
    errors_after_restart: list[str] = field(default_factory=list)
    summary_total: tuple[float, int] | None = None
    requests: int = 0
    finished: bool = False
    first_question_shown: str | None = None  # after each start (or resume): the slug, or "" when none was left


class ServerError(Exception):
    """A 5xx answer."""


class Stopped(Exception):
    """The test told the students to stop (e.g. the server was killed)."""


class Student:
    def __init__(
        self,
        number: int,
        base_urls: list[str],
        keys: list[Key],
        version_to_slug: dict[int, str],
        double_click_every: int = 0,
        timeout: float = 60,
        stop: threading.Event | None = None,
        read_feedback: bool = True,
    ) -> None:
        self.number = number
        self.base_urls = base_urls
        self.keys = {k.slug: (i, k) for i, k in enumerate(keys)}
        self.version_to_slug = version_to_slug
        self.double_click_every = double_click_every
        self.timeout = timeout
        self.stop = stop or threading.Event()
        self.read_feedback = read_feedback
        self.session = requests.Session()
        self.record = Record(username=f"student-{number:03d}")
        self._lock = threading.Lock()
        self._turns = itertools.count(number)  # thread-safe: next() on a count holds the GIL

    # -- HTTP --------------------------------------------------------------
    def url(self, path: str) -> str:
        # Several servers (e.g. two gunicorns on one database, as behind a balancer):
        # each request goes to the next one, so consecutive requests reach different processes.
        return self.base_urls[next(self._turns) % len(self.base_urls)] + path

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, session: requests.Session | None = None
    ) -> requests.Response:
        response = (session or self.session).request(
            method, self.url(path), data=data, allow_redirects=False, timeout=self.timeout
        )
        with self._lock:
            self.record.requests += 1
            self.record.statuses[response.status_code] += 1
        if response.status_code >= 500:
            raise ServerError(f"{method} {path}: {response.status_code}")
        return response

    def token(self, page: str, path: str) -> str:
        match = CSRF_FIELD.search(page)
        if not match:
            raise AssertionError(f"no CSRF token on {path}")
        return match.group(1)

    def expect(self, response: requests.Response, status: int, what: str) -> None:
        if response.status_code != status:
            raise AssertionError(f"{what}: {response.status_code} {response.headers.get('Location', '')}")

    # -- what a student does --------------------------------------------------
    def register(self) -> None:
        page = self.request("GET", "/register").text
        response = self.request(
            "POST",
            "/register",
            {
                "username": self.record.username,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "csrf_token": self.token(page, "/register"),
            },
        )
        self.expect(response, 302, "register")

    def sign_in(self) -> bool:
        """Sign in afresh, as after closing the browser; False when the account does not exist."""
        self.session.close()
        self.session = requests.Session()
        page = self.request("GET", "/login").text
        response = self.request(
            "POST",
            "/login",
            {
                "username": self.record.username,
                "password": PASSWORD,
                "csrf_token": self.token(page, "/login"),
            },
        )
        if response.status_code == 200 and "Wrong username or password." in response.text:
            return False
        self.expect(response, 302, "sign in")
        return True

    def start(self) -> int:
        page = self.request("GET", f"/quizzes/{QUIZ_SLUG}").text
        response = self.request("POST", f"/quizzes/{QUIZ_SLUG}/start", {"csrf_token": self.token(page, "intro")})
        self.expect(response, 302, "start")
        attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
        if self.record.attempt_id not in (None, attempt_id):
            raise AssertionError(f"resumed attempt {attempt_id}, expected {self.record.attempt_id}")
        self.record.attempt_id = attempt_id
        return attempt_id

    def current_question(self, attempt_id: int) -> tuple[str, str, str] | None:
        """(question slug, version, token) of the passage shown now, or None when finished."""
        response = self.request("GET", f"/attempts/{attempt_id}")
        if response.status_code == 302:
            return None
        self.expect(response, 200, "question page")
        version = VERSION_FIELD.search(response.text)
        if not version:
            raise AssertionError("no version on the question page")
        version_id = int(version.group(1).partition(".")[0])  # the id, signed for this attempt
        return self.version_to_slug[version_id], version.group(1), self.token(response.text, "question")

    def answer(self, attempt_id: int, slug: str, version: str, token: str) -> None:
        index, key = self.keys[slug]
        plan = planned_answer(self.number, index, key)
        data = {
            "csrf_token": token,
            "version": version,
            "claim_type": plan.claim_type,
            "speaker": plan.speaker,
            "evidence": "yes" if plan.evidence else "no",
            "reason": f"{self.record.username} on {slug}",
        }
        path = f"/attempts/{attempt_id}/answer"
        if self.double_click_every and (self.number + index) % self.double_click_every == 0:
            responses = self.double_click(path, data)
        else:
            responses = [self.request("POST", path, data)]
        locations = {r.headers.get("Location", "") for r in responses}
        for response in responses:
            self.expect(response, 302, f"answer {slug}")
        matches = [FEEDBACK_PATH.match(loc) for loc in locations]
        if len(locations) != 1 or not matches[0]:
            raise AssertionError(f"answer {slug}: acknowledged as {sorted(locations)}")
        answer_id = int(matches[0].group(2))
        with self._lock:
            self.record.acknowledged[slug] = answer_id
        if self.read_feedback:
            feedback = self.request("GET", matches[0].group(0))
            self.expect(feedback, 200, f"feedback {slug}")

    def double_click(self, path: str, data: dict[str, str]) -> list[requests.Response]:
        """The same form sent twice at once, as by a double click: two connections, one session."""
        with requests.Session() as twin, ThreadPoolExecutor(max_workers=2) as pool:
            twin.cookies.update(self.session.cookies)
            futures = [pool.submit(self.request, "POST", path, data, s) for s in (self.session, twin)]
            return [f.result() for f in futures]

    def take_quiz(self, max_steps: int = 200) -> None:
        """Answer until the attempt ends, resuming wherever the server says we are."""
        attempt_id = self.start()
        for step in range(max_steps):
            if self.stop.is_set():
                raise Stopped("told to stop")
            current = self.current_question(attempt_id)
            if step == 0:
                self.record.first_question_shown = current[0] if current else ""
            if current is None:
                break
            self.answer(attempt_id, *current)
        else:
            raise AssertionError("the quiz never ended")
        response = self.request("GET", f"/attempts/{attempt_id}/summary")
        self.expect(response, 200, "summary")
        total = SUMMARY_TOTAL.search(response.text)
        if not total:
            raise AssertionError("no total on the summary page")
        self.record.summary_total = (float(total.group(1)), int(total.group(2)))
        self.record.finished = True

    def run(self) -> None:
        """Register and take the quiz. Failures are written down, not raised, so that
        every student's record comes back."""
        try:
            self.register()
            self.take_quiz()
        except (requests.RequestException, ServerError, AssertionError, Stopped) as problem:
            self.record.errors.append(f"{type(problem).__name__}: {problem}")

    def resume(self) -> None:
        """Come back after an outage and finish: every other student with the same browser
        session, the rest signing in again (registering if that never reached the database)."""
        try:
            if (self.number % 2 or self.record.attempt_id is None) and not self.sign_in():
                self.register()
            self.take_quiz()
        except (requests.RequestException, ServerError, AssertionError) as problem:
            self.record.errors_after_restart.append(f"{type(problem).__name__}: {problem}")

    def close(self) -> None:
        self.session.close()


class Crowd:
    """Students each in their own thread, all at once."""

    def __init__(self, students: list[Student]) -> None:
        self.students = students
        self.threads: list[threading.Thread] = []

    def start(self, action: str = "run") -> None:
        self.threads = [threading.Thread(target=getattr(s, action), daemon=True) for s in self.students]
        for thread in self.threads:
            thread.start()

    def acknowledged(self) -> int:
        return sum(len(s.record.acknowledged) for s in self.students)

    def wait(self, deadline: float = 300) -> list[Record]:
        """Wait for every thread, at most `deadline` seconds in all."""
        end = time.monotonic() + deadline
        for thread in self.threads:
            thread.join(timeout=max(0.0, end - time.monotonic()))
        stuck = [s.record.username for s, t in zip(self.students, self.threads, strict=False) if t.is_alive()]
        assert not stuck, f"students still working after {deadline:.0f} s: {stuck}"
        return [s.record for s in self.students]

    def close(self) -> None:
        for student in self.students:
            student.close()


def expected_total(student: int, keys: list[Key]) -> float:
    return sum(sum(planned_answer(student, j, key).scores) for j, key in enumerate(keys))
