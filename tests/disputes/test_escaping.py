"""A student's argument and an instructor's reply are shown as text on every page, never run."""

from __future__ import annotations

from flask import Flask
from markupsafe import escape

from ..routes import app_routes, build_path
from ..test_escaping import assert_inert
from .support import answer_id, dispute_path, form_values, join, question_id, send_dispute, student, teacher

ARGUMENT = '<script>alert("argument")</script> It is a <img src=x onerror=alert(1)> rule.'
REPLY = '<iframe src="//evil.example"></iframe> The count makes it checkable.'


def test_arguments_and_replies_are_escaped_everywhere(app: Flask) -> None:
    lee = teacher(app, "lee", "Period 1")
    bob = student(app, "bob", [("rule", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")])
    join(app, "bob", "Period 1")
    vote = answer_id(app, "bob", "vote")
    assert send_dispute(bob, vote, "claim_type", "rule", ARGUMENT).status_code == 302
    group = f"/instructor/disputes/questions/{question_id(app, 'vote')}/claim_type"
    form = form_values(lee.client.get(group).get_data(as_text=True), f"{group}/keep")
    assert lee.client.post(f"{group}/keep", data={**form, "reply": REPLY}).status_code == 302

    shown = {
        (bob, dispute_path(vote, "claim_type")): [ARGUMENT, REPLY],
        (bob, "/results"): [ARGUMENT, REPLY],
        (lee, "/instructor/disputes?status=kept"): [ARGUMENT],
        (lee, group): [ARGUMENT, REPLY],
    }
    for (actor, path), payloads in shown.items():
        page = actor.client.get(path).get_data(as_text=True)
        assert_inert(page, path)
        for payload in payloads:
            assert str(escape(payload)) in page, (path, payload)
    values = {"slug": "bridge", "attempt_id": 1, "answer_id": vote, "question_id": question_id(app, "vote")}
    for actor in (bob, lee):
        for rule in app_routes(app):
            if "GET" in (rule.methods or ()):
                path = build_path(rule, values)
                assert_inert(actor.client.get(path).get_data(as_text=True), path)
