"""Whose side each source presents, shown where students meet the bank; and the quiz list's order."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from quizapp.db import db
from quizapp.models import Quiz, Source
from quizapp.taking.source_sides import SourceSides

from ..bank.test_sync import edit, resync
from ..support import Actor
from .test_quiz_flow import RIGHT

COUNCIL_SIDE = "the city council's side of the dispute over the bridge"
MAYOR_SIDE = "the mayor's side of the dispute over the bridge"


def give_presents(questions_dir: Path, presents: str) -> None:
    edit(
        questions_dir, "    genre: news report\n", f"    genre: news report\n    presents: {presents}\n", "sources.yaml"
    )


def add_quiz(questions_dir: Path, quiz_id: str, title: str, position: int | None, source: str = "daily-news") -> None:
    """A copy of the bridge quiz under another id and title, with a position if given."""
    text = (questions_dir / "quizzes" / "bridge.yaml").read_text()
    text = text.replace("id: bridge", f"id: {quiz_id}", 1).replace("title: The Old Bridge", f"title: {title}", 1)
    text = text.replace("source: daily-news", f"source: {source}", 1)
    if position is not None:
        text = text.replace("speakers:", f"position: {position}\nspeakers:", 1)
    (questions_dir / "quizzes" / f"{quiz_id}.yaml").write_text(text)


def quiz_titles_in_order(student: Actor) -> list[str]:
    page = student.client.get("/").get_data(as_text=True)
    return re.findall(r'<h2><a href="/quizzes/[^"]+">([^<]+)</a></h2>', page)


def test_presents_is_stored_by_sync_and_shown_beside_every_passage(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    give_presents(questions_dir, COUNCIL_SIDE)
    assert resync(app, questions_dir).updated == ["source daily-news"]
    with app.app_context():
        assert db.session.scalar(select(Source.presents)) == COUNCIL_SIDE
    shown = f"This text presents {COUNCIL_SIDE.replace(chr(39), '&#39;')}."
    assert shown in student.client.get("/quizzes/bridge").get_data(as_text=True)
    attempt = student.start()
    assert shown in student.client.get(f"/attempts/{attempt}").get_data(as_text=True)  # the question page
    response = student.answer(attempt, *RIGHT[0])
    assert shown in student.client.get(response.headers["Location"]).get_data(as_text=True)  # feedback


def test_a_source_without_presents_shows_no_side(student: Actor) -> None:
    attempt = student.start()
    assert "This text presents" not in student.client.get(f"/attempts/{attempt}").get_data(as_text=True)


def test_the_quiz_list_says_when_every_text_presents_one_side(app: Flask, student: Actor, questions_dir: Path) -> None:
    give_presents(questions_dir, COUNCIL_SIDE)
    # A second text (a copy of the first, so the copied quiz's passages are found in it).
    (questions_dir / "sources" / "mayor.txt").write_text((questions_dir / "sources" / "daily-news.txt").read_text())
    edit(
        questions_dir,
        "sources:\n",
        "sources:\n  - id: mayor\n    title: The Mayor Speaks\n    genre: speech report\n"
        f"    text: sources/mayor.txt\n    presents: {COUNCIL_SIDE}\n",
        "sources.yaml",
    )
    add_quiz(questions_dir, "mayor-quiz", "The Mayor", None, source="mayor")
    assert not resync(app, questions_dir).files_with_errors
    page = " ".join(student.client.get("/").get_data(as_text=True).split())
    assert (
        "All 2 texts these passages come from present the city council&#39;s side of the dispute over the bridge; "
        "none of them presents another side or an independent account."
    ) in page
    assert "not whether the claims are true" in page

    edit(questions_dir, f"    presents: {COUNCIL_SIDE}\n", f"    presents: {MAYOR_SIDE}\n", "sources.yaml")
    resync(app, questions_dir)
    page = " ".join(student.client.get("/").get_data(as_text=True).split())
    assert (
        "Of the 2 texts these passages come from, 1 presents the city council&#39;s side of the dispute over the "
        "bridge and 1 presents the mayor&#39;s side of the dispute over the bridge."
    ) in page
    assert "none of them presents another side" not in page


def test_the_quiz_list_says_when_it_does_not_know_a_side(app: Flask, student: Actor, questions_dir: Path) -> None:
    page = " ".join(student.client.get("/").get_data(as_text=True).split())
    assert "This bank does not say whose side the text these passages come from presents." in page


def test_the_sentence_for_each_mix_of_sides() -> None:
    assert SourceSides(3, (("A", 3),), 0).sentence() == (
        "All 3 texts these passages come from present A; none of them presents another side or an independent account."
    )
    assert SourceSides(1, (("A", 1),), 0).sentence() == "The one text these passages come from presents A."
    assert SourceSides(4, (("A", 2), ("B", 1)), 1).sentence() == (
        "Of the 4 texts these passages come from, 2 present A, 1 presents B and for 1 this bank does not say "
        "whose side it presents."
    )
    assert SourceSides(3, (("A", 1),), 2).sentence() == (
        "Of the 3 texts these passages come from, 1 presents A and for 2 this bank does not say whose side they present."
    )
    assert (
        SourceSides(2, (), 2).sentence()
        == "This bank does not say whose side the 2 texts these passages come from present."
    )
    assert SourceSides(0, (), 0).sentence() == ""


def test_quizzes_are_listed_by_position_then_title(app: Flask, student: Actor, questions_dir: Path) -> None:
    add_quiz(questions_dir, "last", "A last quiz", 9)
    add_quiz(questions_dir, "first", "Zz first quiz", 1)
    add_quiz(questions_dir, "tied", "Ab tied quiz", 9)
    add_quiz(questions_dir, "unplaced", "Aa unplaced quiz", None)
    assert not resync(app, questions_dir).files_with_errors
    with app.app_context():
        assert dict(db.session.execute(select(Quiz.slug, Quiz.position)).all()) == {
            "bridge": None,
            "last": 9,
            "first": 1,
            "tied": 9,
            "unplaced": None,
        }
    # By position; a tie by title; quizzes without a position after, by title.
    assert quiz_titles_in_order(student) == [
        "Zz first quiz",
        "A last quiz",
        "Ab tied quiz",
        "Aa unplaced quiz",
        "The Old Bridge",
    ]
    edit(questions_dir, "position: 1\n", "", "quizzes/first.yaml")  # taking the position away puts it back in line
    resync(app, questions_dir)
    assert quiz_titles_in_order(student)[-3:] == ["Aa unplaced quiz", "The Old Bridge", "Zz first quiz"]
