"""After a regrade, the review pages show keys from the version each answer is scored against."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..bank.test_regrade import VOTE_KEY, regrade
from ..bank.test_sync import edit, resync
from ..support import Actor
from .support import RIGHT, read_csv, register, squash, take_quiz


def test_confusion_and_answers_export_follow_a_regrade(app: Flask, admin: Actor, questions_dir: Path) -> None:
    ada, bob = register(app, "ada"), register(app, "bob")
    take_quiz(ada, RIGHT, ["", "", ""])  # vote: factual, the key when she answered
    take_quiz(bob, [("rule", "outlet", "no"), RIGHT[1], RIGHT[2]], ["", "", ""])  # vote: rule
    before = squash(admin.client.get("/instructor/quizzes/bridge/confusion").get_data(as_text=True))
    assert "keyed <strong>Factual claim</strong>, chosen <strong>Rule or legal claim</strong>: 1 answer" in before

    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))  # the key of 'vote' is corrected
    resync(app, questions_dir)
    assert regrade(app, "--by", "Mrs Lee").exit_code == 0

    after = squash(admin.client.get("/instructor/quizzes/bridge/confusion").get_data(as_text=True))
    # Both answers to 'vote' now count against the key "rule": ada's factual is the confusion.
    assert (
        "keyed <strong>Rule or legal claim</strong>, chosen <strong>Factual claim</strong>: 1 answer (50% of that key)"
        in after
    )
    assert "keyed <strong>Factual claim</strong>, chosen <strong>Rule or legal claim</strong>" not in after
    assert "5 of 6 answers match the key" in after  # bob's rule is right now; disgrace and cracks unchanged

    rows = read_csv(admin.client.get("/instructor/exports/answers.csv?quiz=bridge").get_data())
    vote = {r["student"]: r for r in rows if r["question"] == "vote"}
    assert vote["ada"]["question_version"] == "1" and vote["ada"]["scored_against_version"] == "2"
    assert vote["ada"]["claim_type_key"] == "rule" and vote["ada"]["claim_type_score"] == "0.0"
    assert vote["bob"]["claim_type_key"] == "rule" and vote["bob"]["claim_type_score"] == "1.0"

    own = squash(ada.client.get("/results/answers").get_data(as_text=True))
    assert "This answer was rescored on" in own and "Rule or legal claim" in own


def test_checkable_against_opinion_follows_a_regrade(app: Flask, admin: Actor, questions_dir: Path) -> None:
    """Passages count as keyed factual or opinion by the key their answers are scored against now."""
    ada, bob = register(app, "ada"), register(app, "bob")
    take_quiz(ada, RIGHT, ["", "", ""])
    take_quiz(bob, [("rule", "outlet", "no"), RIGHT[1], RIGHT[2]], ["", "", ""])
    checkable = "Tells checkable (factual) passages from opinions</h3> <p>Not shown yet: it needs at least 10 answers, to passages of both kinds; there are"
    pages = ("/instructor/quizzes/bridge", "/instructor/learning")  # pooled per scored version, and per attempt
    for path in pages:
        before = squash(admin.client.get(path).get_data(as_text=True))
        assert f"{checkable} 6." in before  # vote and cracks keyed factual, disgrace opinion: all six

    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    resync(app, questions_dir)
    assert regrade(app, "--by", "Mrs Lee").exit_code == 0
    for path in pages:
        after = squash(admin.client.get(path).get_data(as_text=True))
        assert f"{checkable} 4." in after, path  # vote is keyed rule now: its two answers leave the table
