"""A student disputes one part of a key: from the feedback page and the answer history, once, with a reason."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from quizapp.db import db, table_of
from quizapp.disputes import filing
from quizapp.models import Dispute

from ..support import Actor, csrf_token
from .support import ARGUMENT, answer_id, dispute_path, disputes, send_dispute, student, text

WRONG = [
    ("rule", "outlet", "no"),
    ("opinion", "mayor", "no"),
    ("factual", "council", "yes"),
]  # vote's claim type is off


def test_feedback_and_answer_history_offer_a_dispute_per_part(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    for page in (f"/attempts/1/answers/{vote}", "/results/answers"):
        body = bob.client.get(page).get_data(as_text=True)
        for part in ("claim_type", "speaker", "evidence"):
            assert f'href="{dispute_path(vote, part)}"' in body, (page, part)
        assert "I think the key is wrong" in body


def test_the_dispute_page_shows_the_key_the_limit_and_only_answers_other_than_the_key(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    page = bob.client.get(dispute_path(vote, "claim_type"))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "A vote with its count and day is an event records could confirm." in body  # the key's explanation
    assert "10 to 2,000 characters." in body and 'maxlength="2000"' in body and 'minlength="10"' in body
    options = body.split("<legend>", 1)[1].split("</fieldset>", 1)[0]
    assert 'value="factual"' not in options  # the key itself is no answer to argue for
    checked = re.findall(r'<input checked id="[^"]+" name="argued_for" required type="radio" value="([^"]+)">', options)
    assert checked == ["rule"]  # what they answered is chosen to start with
    assert 'value="opinion"' in options
    evidence = bob.client.get(dispute_path(vote, "evidence")).get_data(as_text=True)
    assert 'value="yes"' in evidence and 'value="no"' not in evidence.split("<legend>", 1)[1]


def test_a_dispute_is_stored_once_and_then_shown_as_waiting(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    first = send_dispute(bob, vote, "claim_type", "rule")
    assert first.status_code == 302 and first.headers["Location"] == dispute_path(vote, "claim_type")
    again = send_dispute(bob, vote, "claim_type", "opinion", "A second try at the same key, from a second tab.")
    assert again.status_code == 302
    assert disputes(app) == [("bob", "claim_type", "rule", "open")]
    page = text(bob.client.get(dispute_path(vote, "claim_type")))
    assert "Waiting for your teacher." in page and "You have disputed this key already." in page
    assert "Send to my teacher" not in page
    assert "your dispute is waiting for your teacher" in text(bob.client.get(f"/attempts/1/answers/{vote}"))
    # Another part of the same answer is a dispute of its own.
    assert send_dispute(bob, vote, "speaker", "mayor").status_code == 302
    assert len(disputes(app)) == 2


@pytest.mark.parametrize(
    ("argued_for", "reason", "message"),
    [
        ("rule", "", "Say why you think the key is wrong."),
        ("rule", "Too short", "Write 10 to 2,000 characters (you wrote 9)."),
        ("rule", "x" * 2001, "Write 10 to 2,000 characters (you wrote 2001)."),
        ("", ARGUMENT, "Choose the answer you argue for."),
        ("factual", ARGUMENT, "Not a valid choice."),  # the key itself
        ("no-such-type", ARGUMENT, "Not a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_written(
    app: Flask, argued_for: str, reason: str, message: str
) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    response = send_dispute(bob, vote, "claim_type", argued_for, reason)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    if reason:
        assert reason in body  # nothing the student typed is lost
    assert disputes(app) == []


def test_reasons_of_exactly_10_and_2000_characters_are_taken(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    assert send_dispute(bob, vote, "claim_type", "rule", "0123456789").status_code == 302
    assert send_dispute(bob, vote, "speaker", "mayor", "y" * 2000).status_code == 302
    assert len(disputes(app)) == 2


def test_the_database_allows_one_open_dispute_per_answer_and_part(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    send_dispute(bob, vote, "claim_type", "rule")
    with app.app_context():
        row = db.session.scalars(select(Dispute)).one()
        copy = {c.name: getattr(row, c.name) for c in table_of(Dispute).columns if c.name != "id"}
    with app.app_context(), pytest.raises(IntegrityError):
        db.session.execute(insert(table_of(Dispute)).values(**copy))
    with app.app_context():
        db.session.rollback()
        # Once settled, a dispute no longer blocks another: the index covers open ones only.
        db.session.execute(insert(table_of(Dispute)).values(**{**copy, "status": "kept"}))
        db.session.commit()
    assert len(disputes(app)) == 2


def test_a_double_submit_that_passes_every_check_at_once_stores_one_dispute(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests at the same moment both find no open dispute; the unique index lets one in."""
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    path = dispute_path(vote, "claim_type")
    token = csrf_token(bob.client, path)
    both_checked = threading.Barrier(2, timeout=10)
    check = filing.why_not

    def why_not_together(*args: object) -> str | None:
        found = check(*args)  # type: ignore[arg-type]
        both_checked.wait()  # neither request stores until both have checked
        return found

    monkeypatch.setattr(filing, "why_not", why_not_together)
    statuses: list[int] = []

    def submit() -> None:
        client = bob.client.application.test_client()
        client.set_cookie("session", bob.client.get_cookie("session").value)  # type: ignore[union-attr]
        response = client.post(path, data={"csrf_token": token, "argued_for": "rule", "reason": ARGUMENT})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert disputes(app) == [("bob", "claim_type", "rule", "open")]


def test_another_students_answer_cannot_be_disputed_or_seen(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    cyra = student(app, "cyra")
    vote = answer_id(app, "bob", "vote")
    send_dispute(bob, vote, "claim_type", "rule")
    page = cyra.client.get(dispute_path(vote, "claim_type"))
    assert page.status_code == 404 and ARGUMENT not in page.get_data(as_text=True)
    token = csrf_token(cyra.client, "/")
    posted = cyra.client.post(
        dispute_path(vote, "speaker"), data={"csrf_token": token, "argued_for": "mayor", "reason": ARGUMENT}
    )
    assert posted.status_code == 404
    assert disputes(app) == [("bob", "claim_type", "rule", "open")]
    assert ARGUMENT not in cyra.client.get("/results").get_data(as_text=True)
    assert bob.client.get(dispute_path(vote, "no_such_part")).status_code == 404


LATER = """\
id: later
title: Answers at the end
source: daily-news
feedback: end
speakers:
  - id: outlet
    label: The Daily Example, in its own voice
questions:
  - id: later-vote
    passage: The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May.
    claim_type: factual
    speaker: outlet
    evidence: no
    explain:
      claim_type: SECRET-KEY-EXPLANATION
      speaker: Nobody is quoted.
      evidence: Nothing backs the report.
  - id: later-two
    passage: >
      Engineers' reports show cracks in three of the bridge's five supports, the council said.
    claim_type: factual
    speaker: outlet
    evidence: yes
    explain:
      claim_type: Checkable.
      speaker: The outlet reports it.
      evidence: The reports.
"""


def test_a_quiz_with_feedback_at_the_end_takes_disputes_only_once_finished(app: Flask, questions_dir: Path) -> None:
    (questions_dir / "quizzes" / "later.yaml").write_text(LATER, encoding="utf-8")
    assert app.test_cli_runner().invoke(args=["questions", "sync"]).exit_code == 0
    ada = Actor(app.test_client())
    ada.register("ada")
    attempt = ada.start("later")
    ada.answer(attempt, "opinion", "outlet", "no")
    first = answer_id(app, "ada", "later-vote")
    path = dispute_path(first, "claim_type")
    shown = ada.client.get(path)
    assert shown.status_code == 302 and shown.headers["Location"] == f"/attempts/{attempt}"
    assert "SECRET-KEY-EXPLANATION" not in ada.client.get("/results/answers").get_data(as_text=True)
    assert path not in ada.client.get("/results/answers").get_data(as_text=True)
    token = csrf_token(ada.client, f"/attempts/{attempt}")
    refused = ada.client.post(path, data={"csrf_token": token, "argued_for": "opinion", "reason": ARGUMENT})
    assert refused.status_code == 302 and disputes(app) == []

    ada.answer(attempt, "factual", "outlet", "yes")  # the last answer finishes the attempt
    assert "SECRET-KEY-EXPLANATION" in ada.client.get(path).get_data(as_text=True)
    assert send_dispute(ada, first, "claim_type", "opinion").status_code == 302
    assert disputes(app) == [("ada", "claim_type", "opinion", "open")]


def test_spaces_around_a_reason_do_not_count_and_a_line_break_counts_once(app: Flask) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    assert send_dispute(bob, vote, "claim_type", "rule", "      short     ").status_code == 400
    assert send_dispute(bob, vote, "claim_type", "rule", "   \r\n  ").status_code == 400
    two_lines = "a" * 999 + "\r\n" + "b" * 1000  # 2,000 characters as the browser counts them
    assert send_dispute(bob, vote, "claim_type", "rule", two_lines).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Dispute.reason)).one() == "a" * 999 + "\n" + "b" * 1000


def test_a_question_removed_from_the_quiz_takes_no_new_dispute(app: Flask, questions_dir: Path) -> None:
    bob = student(app, "bob", WRONG)
    vote = answer_id(app, "bob", "vote")
    path = questions_dir / "quizzes" / "bridge.yaml"
    text_before = path.read_text()
    start, end = text_before.index("  - id: vote"), text_before.index("  - id: disgrace")
    path.write_text(text_before[:start] + text_before[end:])
    assert app.test_cli_runner().invoke(args=["questions", "sync"]).exit_code == 0
    feedback = text(bob.client.get(f"/attempts/1/answers/{vote}"))
    assert "this question is no longer in the quiz" in feedback and "I think the key is wrong" not in feedback
    refused = send_dispute(bob, vote, "claim_type", "rule")
    assert refused.status_code == 302
    assert "no longer part of the quiz" in text(bob.client.get(dispute_path(vote, "claim_type")))
    assert disputes(app) == []
