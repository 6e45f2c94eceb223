"""Settling the disputes of one question part: keep the key with a reply, or accept an answer
(the change shown, written only when the file is unchanged and the result validates), then regrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Answer, Dispute, DisputeRuling, Regrade

from ..support import Actor
from .support import (
    answer_id,
    form_values,
    join,
    question_id,
    rulings_count,
    send_dispute,
    student,
    teacher,
    text,
    words,
)

BRIDGE = Path("quizzes") / "bridge.yaml"
WRONG_VOTE = [("rule", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]


@pytest.fixture
def disputed(app: Flask) -> dict[str, Actor]:
    """lee teaches Period 1; bob and cyra answered vote "rule" (the key is factual) and dispute it."""
    people = {"lee": teacher(app, "lee", "Period 1")}
    for name in ("bob", "cyra"):
        people[name] = student(app, name, WRONG_VOTE)
        join(app, name, "Period 1")
        response = send_dispute(
            people[name], answer_id(app, name, "vote"), "claim_type", "rule", f"{name}: closing a bridge is a rule."
        )
        assert response.status_code == 302
    return people


def group_path(app: Flask, question: str = "vote", part: str = "claim_type") -> str:
    return f"/instructor/disputes/questions/{question_id(app, question)}/{part}"


def accept_page(lee: Actor, group: str, answer: str = "rule", accept_as: str = "key") -> str:
    page = lee.client.get(f"{group}/accept?answer={answer}&accept_as={accept_as}")
    assert page.status_code == 200, page.get_data(as_text=True)
    return page.get_data(as_text=True)


def vote_scores(app: Flask) -> dict[str, float]:
    with app.app_context():
        return {
            name: db.session.get(Answer, answer_id(app, name, "vote")).claim_type_score  # type: ignore[union-attr]
            for name in ("bob", "cyra")
        }


def test_keep_the_key_with_a_reply_every_disputing_student_sees(app: Flask, disputed: dict[str, Actor]) -> None:
    lee, group = disputed["lee"], group_path(app)
    page = lee.client.get(group).get_data(as_text=True)
    form = form_values(page, f"{group}/keep")
    refused = lee.client.post(f"{group}/keep", data=form)  # no reply
    assert refused.status_code == 400 and "Write a reply" in refused.get_data(as_text=True)
    reply = "The passage reports a vote; whether it is a rule is not what it claims."
    kept = lee.client.post(f"{group}/keep", data={**form, "reply": reply})
    assert kept.status_code == 302
    with app.app_context():
        assert {d.status for d in db.session.scalars(select(Dispute))} == {"kept"}
    for name in ("bob", "cyra"):
        results = text(disputed[name].client.get("/results"))
        assert "Your teacher kept the key (Factual claim)" in results and reply in results
        vote = answer_id(app, name, "vote")
        assert reply in text(disputed[name].client.get(f"/answers/{vote}/disputes/claim_type"))
    assert "open dispute" not in lee.client.get("/instructor").get_data(as_text=True)
    assert vote_scores(app) == {"bob": 0.0, "cyra": 0.0}


def test_a_dispute_sent_after_the_page_was_shown_stays_open(app: Flask, disputed: dict[str, Actor]) -> None:
    lee, group = disputed["lee"], group_path(app)
    form = form_values(lee.client.get(group).get_data(as_text=True), f"{group}/keep")
    dan = student(app, "dan", WRONG_VOTE)
    join(app, "dan", "Period 1")
    send_dispute(dan, answer_id(app, "dan", "vote"), "claim_type", "opinion", "dan: it is a judgement.")
    lee.client.post(f"{group}/keep", data={**form, "reply": "Records would show the vote."})
    with app.app_context():
        statuses = dict(db.session.execute(select(Dispute.reason, Dispute.status)).all())
    assert statuses["dan: it is a judgement."] == "open"
    assert {s for r, s in statuses.items() if r != "dan: it is a judgement."} == {"kept"}


def test_accepting_without_a_writable_bank_waits_for_the_file_change_then_regrades(
    app: Flask, disputed: dict[str, Actor], questions_dir: Path
) -> None:
    lee, group = disputed["lee"], group_path(app)
    original = (questions_dir / BRIDGE).read_bytes()
    page = accept_page(lee, group)
    assert "make this change in the file and sync" in words(page)
    assert lee.client.post(f"{group}/accept", data=form_values(page, f"{group}/accept")).status_code == 302
    assert (questions_dir / BRIDGE).read_bytes() == original  # the app wrote nothing
    waiting = text(lee.client.get(group))
    assert "Waiting for the file change" in waiting and "claim_type: rule" in waiting
    assert "Your score changes when the quiz has the new key" in text(disputed["bob"].client.get("/results"))

    # The instructor makes the change shown, and syncs.
    edited = original.replace(
        b"    claim_type: factual\n    speaker: outlet", b"    claim_type: rule\n    speaker: outlet"
    )
    (questions_dir / BRIDGE).write_bytes(edited)
    assert app.test_cli_runner().invoke(args=["questions", "sync"]).exit_code == 0
    ready = lee.client.get(group).get_data(as_text=True)
    assert "The quiz has the new key" in ready
    assert vote_scores(app) == {"bob": 0.0, "cyra": 0.0}  # nothing rescored until the regrade
    assert lee.client.post(f"{group}/regrade", data=form_values(ready, f"{group}/regrade")).status_code == 302
    assert vote_scores(app) == {"bob": 1.0, "cyra": 1.0}
    assert "Done: the answers are scored against the new key" in text(lee.client.get(group))
    results = text(disputed["cyra"].client.get("/results"))
    assert "Claim type: from 0 to 1 point. This attempt: from 8 to 9 of 9 points." in results


def test_accepting_for_half_credit_adds_to_accept_and_regrades(
    app: Flask, disputed: dict[str, Actor], questions_dir: Path
) -> None:
    app.config["BANK_WRITABLE"] = True
    lee, group = disputed["lee"], group_path(app)
    page = accept_page(lee, group, accept_as="alternate")
    assert lee.client.post(f"{group}/accept", data=form_values(page, f"{group}/accept")).status_code == 302
    assert b"    claim_type: factual\n    accept: [rule]\n    speaker: outlet" in (questions_dir / BRIDGE).read_bytes()
    ready = lee.client.get(group).get_data(as_text=True)
    lee.client.post(f"{group}/regrade", data=form_values(ready, f"{group}/regrade"))
    assert vote_scores(app) == {"bob": 0.5, "cyra": 0.5}
    assert "Claim type: from 0 to 0.5 points." in text(disputed["bob"].client.get("/results"))


def test_a_file_edited_after_the_change_was_shown_is_detected_and_nothing_is_written(
    app: Flask, disputed: dict[str, Actor], questions_dir: Path
) -> None:
    app.config["BANK_WRITABLE"] = True
    lee, group = disputed["lee"], group_path(app)
    page = accept_page(lee, group)
    # Someone edits the file meanwhile (a comment, in another question).
    edited = (
        (questions_dir / BRIDGE).read_bytes().replace(b"  - id: cracks\n", b"  # checked by hand\n  - id: cracks\n")
    )
    (questions_dir / BRIDGE).write_bytes(edited)
    response = lee.client.post(f"{group}/accept", data=form_values(page, f"{group}/accept"))
    assert response.status_code == 302 and "/accept?" in response.headers["Location"]
    assert (questions_dir / BRIDGE).read_bytes() == edited
    assert rulings_count(app) == 0
    with app.app_context():
        assert {d.status for d in db.session.scalars(select(Dispute))} == {"open"}
    again = lee.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "changed since the change was shown to you" in again
    # Shown again from the file as it is now, it can be accepted; the new comment stays.
    assert lee.client.post(f"{group}/accept", data=form_values(again, f"{group}/accept")).status_code == 302
    assert b"# checked by hand" in (questions_dir / BRIDGE).read_bytes()
    assert b"    claim_type: rule\n" in (questions_dir / BRIDGE).read_bytes()


def test_an_edited_file_that_would_not_validate_is_not_written(
    app: Flask, disputed: dict[str, Actor], questions_dir: Path
) -> None:
    app.config["BANK_WRITABLE"] = True
    lee, group = disputed["lee"], group_path(app)
    page = accept_page(lee, group)
    # The source text changes under the bank: the passage of vote is no longer in it.
    source = questions_dir / "sources" / "daily-news.txt"
    source.write_text(source.read_text().replace("voted 7 to 2", "voted 6 to 3"))
    original = (questions_dir / BRIDGE).read_bytes()
    response = lee.client.post(f"{group}/accept", data=form_values(page, f"{group}/accept"))
    assert response.status_code == 302
    assert (questions_dir / BRIDGE).read_bytes() == original
    assert rulings_count(app) == 0
    shown = text(lee.client.get(response.headers["Location"]))
    assert "Nothing was written: the edited file would not load" in shown and "passage not found" in shown
    assert not [p for p in (questions_dir / "quizzes").iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_stale_regrade_preview_writes_nothing(app: Flask, disputed: dict[str, Actor], questions_dir: Path) -> None:
    app.config["BANK_WRITABLE"] = True
    lee, group = disputed["lee"], group_path(app)
    page = accept_page(lee, group)
    lee.client.post(f"{group}/accept", data=form_values(page, f"{group}/accept"))
    ready = lee.client.get(group).get_data(as_text=True)
    # A key edit by hand and a sync make another version: the preview no longer holds.
    path = questions_dir / BRIDGE
    path.write_bytes(path.read_bytes().replace(b"    claim_type: rule\n", b"    claim_type: opinion\n"))
    app.test_cli_runner().invoke(args=["questions", "sync"])
    response = lee.client.post(f"{group}/regrade", data=form_values(ready, f"{group}/regrade"))
    assert response.status_code == 302
    assert "nothing was written" in text(lee.client.get(group))
    with app.app_context():
        assert db.session.scalars(select(Regrade)).all() == []
        assert db.session.scalars(select(DisputeRuling)).one().regrade_id is None
    assert vote_scores(app) == {"bob": 0.0, "cyra": 0.0}


def test_nothing_to_settle_twice(app: Flask, disputed: dict[str, Actor]) -> None:
    lee, group = disputed["lee"], group_path(app)
    form = form_values(lee.client.get(group).get_data(as_text=True), f"{group}/keep")
    lee.client.post(f"{group}/keep", data={**form, "reply": "First answer."})
    second = lee.client.post(f"{group}/keep", data={**form, "reply": "Second answer."})
    assert second.status_code == 302
    assert "settled meanwhile" in text(lee.client.get(group))
    assert rulings_count(app) == 1
