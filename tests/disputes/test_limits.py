"""Disputes sent are limited per student (QUIZAPP_DISPUTE_LIMIT_PER_STUDENT); what was typed is kept."""

from __future__ import annotations

import pytest
from flask import Flask

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.disputes import limits

from .support import answer_id, disputes, send_dispute, student

WRONG = [("rule", "outlet", "no"), ("opinion", "mayor", "no"), ("factual", "council", "yes")]


@pytest.fixture
def limited(app: Flask) -> Flask:
    app.config["DISPUTE_LIMIT_PER_STUDENT"] = "2 per hour"
    limits.init_app(app)  # read the smaller limit
    return app


def test_a_student_over_the_limit_waits_and_keeps_what_they_wrote(limited: Flask) -> None:
    bob = student(limited, "bob", WRONG)
    vote, cracks = answer_id(limited, "bob", "vote"), answer_id(limited, "bob", "cracks")
    assert send_dispute(bob, vote, "claim_type", "rule").status_code == 302
    assert send_dispute(bob, vote, "speaker", "mayor").status_code == 302
    third = send_dispute(bob, cracks, "evidence", "no", "The reports are named, not quoted: no evidence.")
    page = third.get_data(as_text=True)
    assert third.status_code == 429
    assert 0 < int(third.headers["Retry-After"]) <= 3600
    assert "You have sent many disputes in a short time. Wait 60 minutes" in page
    assert "The reports are named, not quoted: no evidence." in page  # still in the form
    assert len(disputes(limited)) == 2
    # Another student is not held up.
    cyra = student(limited, "cyra", WRONG)
    assert send_dispute(cyra, answer_id(limited, "cyra", "vote"), "claim_type", "rule").status_code == 302


def test_forms_sent_back_with_a_mistake_do_not_count(limited: Flask) -> None:
    bob = student(limited, "bob", WRONG)
    vote = answer_id(limited, "bob", "vote")
    for _ in range(3):
        assert send_dispute(bob, vote, "claim_type", "rule", "short").status_code == 400
    assert send_dispute(bob, vote, "claim_type", "rule").status_code == 302
    assert send_dispute(bob, vote, "speaker", "mayor").status_code == 302


def test_a_limit_that_does_not_parse_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_DISPUTE_LIMIT_PER_STUDENT", "lots")
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert "QUIZAPP_DISPUTE_LIMIT_PER_STUDENT='lots' is not a rate limit" in refused.value.message


def test_the_default_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZAPP_DISPUTE_LIMIT_PER_STUDENT", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 32})
    assert app.config["DISPUTE_LIMIT_PER_STUDENT"] == "10 per hour; 30 per day"
    assert [str(item) for item in app.extensions[limits.EXTENSION].per_student] == [
        "10 per 1 hour",
        "30 per 1 day",
    ]


def test_storage_outage_lets_students_send(app: Flask) -> None:
    app.config["RATELIMIT_STORAGE_URL"] = "redis://127.0.0.1:1"  # nothing listens on port 1
    limits.init_app(app)
    bob = student(app, "bob", WRONG)
    assert send_dispute(bob, answer_id(app, "bob", "vote"), "claim_type", "rule").status_code == 302
    assert len(disputes(app)) == 1
