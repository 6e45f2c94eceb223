"""A bank with a post-test that asks for confidence, and students who answer through the forms."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from ..databases import DatabaseSupply
from ..support import Actor
from .support import DATA, make_app

# The bridge quiz again, as the post-test of `bridge`, asking how sure each answer is.
POST_TEST = (
    (DATA / "questions" / "quizzes" / "bridge.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "id: bridge\ntitle: The Old Bridge\n",
        "id: bridge-post\ntitle: The Old Bridge, again\nconfidence: ask\npost_test_of: bridge\n",
    )
)
assert "confidence: ask" in POST_TEST


# The bridge quiz again, giving feedback only at the end of an attempt.
FEEDBACK_AT_END = (
    (DATA / "questions" / "quizzes" / "bridge.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "id: bridge\ntitle: The Old Bridge\n",
        "id: bridge-end\ntitle: The Old Bridge, marked at the end\nfeedback: end\n",
    )
)


def make_learning_app(folder: Path, databases: DatabaseSupply) -> Flask:
    """The test bank plus `bridge-post` and `bridge-end`; the review pages' app otherwise."""
    source = folder / "source-questions"
    shutil.copytree(DATA / "questions", source)
    (source / "quizzes" / "bridge-post.yaml").write_text(POST_TEST, encoding="utf-8")
    (source / "quizzes" / "bridge-end.yaml").write_text(FEEDBACK_AT_END, encoding="utf-8")
    app_folder = folder / "app"
    app_folder.mkdir()
    return make_app(app_folder, databases, source)


Answer = tuple[str, str, str]


def take(actor: Actor, quiz: str, answers: list[Answer], confidence: list[str] | None = None) -> int:
    """One whole attempt through the forms; `confidence` per answer when the quiz asks."""
    attempt = actor.start(quiz)
    for n, choice in enumerate(answers):
        response = actor.answer(attempt, *choice, confidence=confidence[n] if confidence else "")
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return attempt
