"""Every page the app serves, opened by the person it is for, at phone and desktop size.

The list of pages is the URL map itself: every GET route is opened in Chromium, as a
signed-out visitor, a student, an instructor or an admin as its access rule says, with
the ids of a school in full swing (the bundled question bank, a class of twelve that has
finished the starter quiz, a 2,000-character reason, a dispute, a regrade, a live
session). Each page must answer itself (no redirect, no error), fit a 375 px screen
without sideways scrolling, draw no text under 12 CSS px, and pass the audit (axe, labels,
focus). A route added later is visited too; one that answers with something other than
a page must be named in NOT_PAGES, and is checked to answer with that type.

Screenshots of every page land in artifacts/screenshots/<size>/every-page/.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select
from werkzeug.routing import Rule

from quizapp.accounts import classrooms
from quizapp.accounts.users import create_user
from quizapp.bank.files import load_bank
from quizapp.bank.regrade import PAGE, apply_regrade
from quizapp.bank.sync import sync_bank
from quizapp.db import db
from quizapp.live import control
from quizapp.models import ADMIN, INSTRUCTOR, Answer, Question, QuestionVersion, Quiz, TaxonomyChoice, User

from ..routes import app_routes, build_path, rule_of
from ..support import Actor, csrf_token
from .checks import Audit
from .conftest import DESKTOP, PHONE
from .flows import ADMIN_NAME, CLASS_NAME, INSTRUCTOR_NAME, PASSWORD, STUDENT_NAME, OpenPage, no_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUNDLED_QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
QUIZ = "starter"  # the quiz the class has finished
UNFINISHED_QUIZ = "mfa-lachin"  # the quiz the student has just started
CLASSMATES = 11  # besides the student: the item statistics show discrimination from 10 students
LONG_REASON = "https://example.org/" + "a" * 1980  # 2,000 characters and nowhere to break a line

# GET routes that answer with a file or data for scripts, not a page: the content type each answers with.
NOT_PAGES = {
    "admin.student_data": "application/json",
    "exports.answers_csv": "text/csv",
    "exports.scores_csv": "text/csv",
    "learning.items_csv": "text/csv",
    "live.student_state": "application/json",
    "live_control.projector_state": "application/json",
    "live_control.run_state": "application/json",
}
# Who opens a route, by its access rule.
VISITOR_FOR_RULE = {"public": "anonymous", "login": STUDENT_NAME, "instructor": INSTRUCTOR_NAME, "admin": ADMIN_NAME}


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    """The bank the app ships with, so the pages show real passages at their real length."""
    target = tmp_path / "questions"
    shutil.copytree(BUNDLED_QUESTIONS, target)
    return target


@dataclass
class School:
    """The ids the routes need: `values` for every route, `overrides` and `queries` for one endpoint."""

    values: dict[str, object]
    overrides: dict[str, dict[str, object]] = field(default_factory=dict)
    queries: dict[str, str] = field(default_factory=dict)  # a page that shows what its query string asks for

    def path(self, rule: Rule) -> str:
        return build_path(rule, {**self.values, **self.overrides.get(rule.endpoint, {})})

    def url(self, rule: Rule) -> str:
        query = self.queries.get(rule.endpoint)
        return self.path(rule) + (f"?{query}" if query else "")


def answer_current(app: Flask, student: Actor, attempt: int, right: bool, reason: str) -> int:
    """Answer the passage now shown: every part as keyed, or every part otherwise. Returns the answer's id."""
    _token, version_id = student.current_form(attempt)
    with app.app_context():
        version = db.session.get(QuestionVersion, int(version_id.split(".")[0]))  # "<id>.<signature>"
        assert version is not None
        claim_types = db.session.scalars(select(TaxonomyChoice.slug).filter_by(kind="claim_type")).all()
        speakers = version.speaker_choices or [s["id"] for s in version.question.quiz.speakers]
        claim_type, speaker, evidence = version.claim_type, version.speaker, version.evidence
        if not right:
            claim_type = next(c for c in claim_types if c != claim_type and c not in version.accept)
            speaker = next(s for s in speakers if s != speaker)
            evidence = not evidence
    response = student.answer(attempt, claim_type, speaker, "yes" if evidence else "no", reason=reason)
    assert response.status_code == 302, response.status_code
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id).filter_by(attempt_id=attempt).order_by(Answer.id.desc()))
    assert answer_id is not None
    return answer_id


def give_the_first_question_an_alternative(questions_dir: Path) -> None:
    """An instructor edits a key (half credit for opinion on the first passage), which makes a new version."""
    path = questions_dir / "quizzes" / f"{QUIZ}.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(
        r"(\n  - id: [^\n]+\n(?:    [^\n]*\n|      [^\n]*\n)*?    claim_type: factual\n)",
        r"\1    accept: [opinion]\n",
        text,
        count=1,
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")


@pytest.fixture
def school(app: Flask, questions_dir: Path) -> School:
    """A class of twelve, all through the app's own forms and services."""
    with app.app_context():
        teacher = create_user(INSTRUCTOR_NAME, PASSWORD, role=INSTRUCTOR).id
        create_user(ADMIN_NAME, PASSWORD, role=ADMIN)
        classroom = classrooms.create_classroom(CLASS_NAME, teacher)
        classroom_id, code = classroom.id, classrooms.format_code(classroom.join_code)
        passages = len(db.session.scalars(select(Question.id).join(Quiz).filter(Quiz.slug == QUIZ)).all())
    answers: list[int] = []
    ada_attempt = 0
    for number in range(CLASSMATES + 1):
        username = STUDENT_NAME if number == 0 else f"student{number:02}"
        student = Actor(app.test_client())
        token = csrf_token(student.client, "/register")
        student.client.post(
            "/register",
            data={
                "username": username,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "join_code": code,
                "csrf_token": token,
            },
        )
        attempt = student.start(QUIZ)
        for passage in range(passages):
            right = (number + passage) % 3 != 0
            reason = LONG_REASON if number == 0 and passage == passages - 1 else f"The words of passage {passage + 1}."
            answered = answer_current(app, student, attempt, right, reason)
            if number == 0:
                answers.append(answered)
        if number == 0:
            ada, ada_attempt = student, attempt
    disputed = ada.client.post(
        f"/answers/{answers[0]}/disputes/claim_type",
        data={"csrf_token": csrf_token(ada.client, "/"), "argued_for": "opinion", "reason": "It judges the portal."},
    )
    assert disputed.status_code == 302
    unfinished = ada.start(UNFINISHED_QUIZ)
    give_the_first_question_an_alternative(questions_dir)
    with app.app_context():
        assert not sync_bank(db.session, load_bank(questions_dir)).files_with_errors
        _plan, record = apply_regrade(QUIZ, by=INSTRUCTOR_NAME, via=PAGE)
        assert record is not None
        ids = dict(db.session.execute(select(User.username, User.id)).all())
        quiz_id = db.session.scalar(select(Quiz.id).filter_by(slug=QUIZ))
        assert quiz_id is not None
        live_id = control.start(quiz_id, classroom_id, teacher).id
        first = db.session.get(Answer, answers[0])
        assert first is not None
        question_id = first.version.question_id
    return School(
        values={
            "slug": QUIZ,
            "attempt_id": ada_attempt,
            "answer_id": answers[0],
            "question_id": question_id,
            "user_id": ids[STUDENT_NAME],
            "classroom_id": classroom_id,
            "part": "claim_type",
            "live_id": live_id,
        },
        overrides={
            "quiz.take": {"attempt_id": unfinished},  # a finished attempt's question page leads to its summary
            "disputes.dispute": {"answer_id": answers[1]},  # a part not disputed yet: the form to dispute it
            "admin.reset_password": {"user_id": ids[INSTRUCTOR_NAME]},  # the admin resets instructors' passwords
        },
        queries={"dispute_queue.accept": "answer=opinion&accept_as=key"},  # the change the teacher clicked
    )


@pytest.fixture(params=[PHONE, DESKTOP], ids=lambda size: f"{size['width']}x{size['height']}")
def visitors(request: pytest.FixtureRequest, open_page: OpenPage, school: School) -> dict[str, Page]:
    """A browser page per kind of visitor, at the size under test, each signed in as itself."""
    pages = {}
    for name in VISITOR_FOR_RULE.values():
        pages[name] = open_page(request.param)
        if name != "anonymous":
            sign_in(pages[name], name, no_check)
    return pages


def test_every_page_fits_a_phone_and_passes_the_audit(
    app: Flask, school: School, visitors: dict[str, Page], screenshots: Path
) -> None:
    size = visitors["anonymous"].viewport_size
    assert size is not None
    folder = screenshots / f"{size['width']}x{size['height']}" / "every-page"
    folder.mkdir(parents=True, exist_ok=True)
    audit = Audit(folder)
    pages_opened = []
    named: set[str] = set()
    for rule in app_routes(app):
        if "GET" not in rule.methods:
            continue
        page = visitors[VISITOR_FOR_RULE[rule_of(app, rule.endpoint)]]
        path = school.path(rule)
        if rule.endpoint in NOT_PAGES:
            response = page.request.get(path)
            assert response.status == 200, f"{path}: {response.status}"
            assert response.headers["content-type"].startswith(NOT_PAGES[rule.endpoint]), path
            continue
        response = page.goto(school.url(rule))
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        assert urlsplit(page.url).path == path, f"{path} led to {page.url}"
        # Named by endpoint; a second route to the same view is told apart by its arguments.
        name = rule.endpoint if rule.endpoint not in named else "-".join([rule.endpoint, *sorted(rule.arguments)])
        named.add(rule.endpoint)
        audit(page, name)
        pages_opened.append(path)
    # Nothing here can pass by having nothing to look at: the walk opened every kind of page.
    assert len(pages_opened) >= 35, pages_opened
    assert not audit.problems, audit.report()
    assert not audit.minor, "\n".join(audit.minor)  # axe finds nothing at all, not even a moderate finding
