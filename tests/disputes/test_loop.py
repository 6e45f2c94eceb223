"""The whole loop through the real app: a student disputes a key, the instructor accepts, the
file is written and synced, "Regrade now" rescores, and the student sees the new score."""

from __future__ import annotations

import html
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Answer, Dispute, DisputeRuling, Regrade

from .support import answer_id, form_values, join, question_id, send_dispute, student, teacher, text

BRIDGE = Path("quizzes") / "bridge.yaml"


def test_dispute_accept_write_sync_regrade_and_the_student_sees_the_new_score(app: Flask, questions_dir: Path) -> None:
    app.config["BANK_WRITABLE"] = True
    lee = teacher(app, "lee", "Period 1")
    bob = student(app, "bob", [("rule", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")])
    join(app, "bob", "Period 1")
    vote = answer_id(app, "bob", "vote")
    feedback = bob.client.get(f"/attempts/1/answers/{vote}")
    assert "I think the key is wrong" in feedback.get_data(as_text=True)

    sent = send_dispute(bob, vote, "claim_type", "rule")
    assert sent.status_code == 302
    assert "1 open dispute" in lee.client.get("/instructor").get_data(as_text=True)
    queue = lee.client.get("/instructor/disputes")
    assert queue.status_code == 200
    assert "A vote is also a rule" in html.unescape(queue.get_data(as_text=True))

    vote_question = question_id(app, "vote")
    group = f"/instructor/disputes/questions/{vote_question}/claim_type"
    assert lee.client.get(group).status_code == 200
    confirm = lee.client.get(f"{group}/accept?answer=rule&accept_as=key")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200, page
    assert "claim_type: factual" in page and "claim_type: rule" in page
    original = (questions_dir / BRIDGE).read_bytes()
    accepted = lee.client.post(f"{group}/accept", data=form_values(page, f"{group}/accept"))
    assert accepted.status_code == 302, accepted.get_data(as_text=True)
    edited = (questions_dir / BRIDGE).read_bytes()
    before, after = original.split(b"\n"), edited.split(b"\n")
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert [(before[i], after[i]) for i in changed] == [(b"    claim_type: factual", b"    claim_type: rule")]

    group_page = lee.client.get(group).get_data(as_text=True)
    assert "Regrade now" in group_page
    regraded = lee.client.post(f"{group}/regrade", data=form_values(group_page, f"{group}/regrade"))
    assert regraded.status_code == 302

    with app.app_context():
        assert db.session.get(Answer, vote).claim_type_score == 1.0
        ruling = db.session.scalars(select(DisputeRuling)).one()
        assert ruling.file_written and ruling.regrade_id is not None
        assert db.session.scalars(select(Regrade)).one().via == "disputes"
        assert db.session.scalars(select(Dispute)).one().status == "accepted"

    results = text(bob.client.get("/results"))
    assert "Your teacher accepted Rule or legal claim as the key" in results
    assert "Claim type: from 0 to 1 point." in results
    assert "This attempt: from 8 to 9 of 9 points." in results
    assert "from 0 to 1" in text(bob.client.get(f"/attempts/1/answers/{vote}"))
