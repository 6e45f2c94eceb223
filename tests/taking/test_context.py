"""A passage inside its source text: the page, its marks and paragraphs, and who may open it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.db import db
from quizapp.models import Question, QuestionVersion, SourceText

from ..bank.test_sync import edit, resync
from ..support import Actor
from .test_quiz_flow import RIGHT

EXPLANATIONS = (
    "A vote with its count and day is an event records could confirm.",
    '"A disgrace" is a judgement no record could settle.',
    "The engineers' reports are named as the record behind the claim.",
)

# A longer text for the paragraphs around a passage: 14 paragraphs, the passage in the
# 8th and running on into the 9th.
LONG_TEXT = "\n\n".join(
    [f"Paragraph {n} says something about the river, item {n}." for n in range(1, 8)]
    + [
        "The ferry will stop in June, the harbour office said on Monday.",
        "Boats will be sold at auction.",
    ]
    + [f"Paragraph {n} says something else about the river, item {n}." for n in range(10, 15)]
)
LONG_QUIZ = """\
id: river
title: The river ferry
source: river-news
speakers:
  - id: outlet
    label: The River News, in its own voice
  - id: office
    label: The harbour office
questions:
  - id: ferry
    passage: The ferry will stop in June, the harbour office said ... Boats will be sold at auction.
    claim_type: prediction
    speaker: office
    evidence: no
    explain:
      claim_type: It says what will happen.
      speaker: The office is named as saying it.
      evidence: Nothing backs it.
"""
LONG_SOURCE = """
  - id: river-news
    title: Ferry to stop
    publisher: The River News
    genre: news report
    text: sources/river-news.txt
"""


def version_of(app: Flask, slug: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Question.current_version_id).filter_by(slug=slug))
        assert found is not None
        return found


def context_path(app: Flask, slug: str) -> str:
    return f"/passages/{version_of(app, slug)}/source"


def marks(page: str) -> list[str]:
    """The text inside each <mark>, without what only screen readers hear."""
    found = re.findall(r"<mark[^>]*>(.*?)</mark>", page, re.S)
    return [html.unescape(re.sub(r'<span class="visually-hidden">.*?</span>', "", m)).strip() for m in found]


def paragraphs(page: str) -> list[str]:
    article = re.search(r'<article class="source-text"[^>]*>(.*?)</article>', page, re.S)
    assert article, page[:1000]
    found = re.findall(r"<p[^>]*>(.*?)</p>", article.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in found]


def set_quiz_option(app: Flask, questions_dir: Path, line: str) -> None:
    """Add a top-level line (context: ..., feedback: ...) to the bridge quiz and sync it."""
    edit(questions_dir, "source: daily-news\n", f"source: daily-news\n{line}\n")
    report = resync(app, questions_dir)
    assert not report.files_with_errors, report


@pytest.fixture
def river(app: Flask, questions_dir: Path) -> str:
    """A quiz on a 14-paragraph text; returns the path of its passage's page."""
    (questions_dir / "sources" / "river-news.txt").write_text(LONG_TEXT + "\n", encoding="utf-8")
    with (questions_dir / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(LONG_SOURCE)
    (questions_dir / "quizzes" / "river.yaml").write_text(LONG_QUIZ, encoding="utf-8")
    assert not resync(app, questions_dir).files_with_errors
    return context_path(app, "ferry")


def test_the_question_page_links_to_the_passage_in_its_source(app: Flask, student: Actor) -> None:
    attempt = student.start()
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    link = f'href="{context_path(app, "vote")}?attempt={attempt}#quoted-passage" data-opens-in-place'
    assert link in page and ">Read it in the source</a>" in page
    assert '<script src="/static/passage-context.js" defer></script>' in page


def test_the_page_marks_each_piece_of_a_cut_passage_and_opens_at_the_first(app: Flask, student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    page = student.client.get(f"{context_path(app, 'disgrace')}?attempt={attempt}").get_data(as_text=True)
    # The passage quotes '"The bridge is a disgrace ... to every family in this town," said Mayor Ana Reyes.'
    assert marks(page) == ['"The bridge is a disgrace', 'to every family in this town," said Mayor Ana Reyes.']
    assert (
        '<mark id="quoted-passage" tabindex="-1"><span class="visually-hidden">[Start of the quoted passage, part 1 of 2]'
        in page
    )
    assert "[End of part 1 of 2]</span></mark> and a danger <mark>" in page  # what the cut left out, unmarked
    assert "[End of part 2 of 2]</span></mark>" in page
    assert "each of its 2 parts is highlighted" in page
    # The source card, and the way back to the question.
    card = re.search(r'<section class="source-card".*?</section>', page, re.S)
    assert card is not None
    for label, value in (
        ("Publisher", "The Daily Example"),
        ("Genre", "news report"),
        ("Date", "2024-03-01"),
        ("About this source", "A made-up local news report used by the tests."),
    ):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in card.group(0)
    assert "<cite>Council Votes to Close the Old Bridge</cite>" in card.group(0)
    assert f'<a href="/attempts/{attempt}">Back to the question</a>' in page


def test_a_passage_in_one_piece_is_one_mark(app: Flask, student: Actor) -> None:
    page = student.client.get(context_path(app, "vote")).get_data(as_text=True)
    assert marks(page) == ["The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May."]
    assert "[Start of the quoted passage] " in page and " [End of the quoted passage]" in page
    # The second of six paragraphs: the three after it are shown, not the last.
    assert paragraphs(page)[0] == "Council Votes to Close the Old Bridge"
    assert paragraphs(page)[-1] == "[Paragraph 6 not shown]" and "Shown: paragraphs 1 to 5 of 6." in page
    whole = student.client.get(context_path(app, "vote") + "?whole=1").get_data(as_text=True)
    assert "This is the whole text." in whole and "Show the whole text" not in whole
    assert paragraphs(whole)[-1].startswith("Residents must write")


def test_a_long_text_shows_the_paragraphs_around_the_passage(app: Flask, student: Actor, river: str) -> None:
    page = student.client.get(river).get_data(as_text=True)
    shown = paragraphs(page)
    assert shown[0] == "[Paragraphs 1 to 4 not shown]" and shown[-1] == "[Paragraphs 13 to 14 not shown]"
    assert shown[1].startswith("Paragraph 5 says") and shown[-2].startswith("Paragraph 12 says")
    assert "Shown: paragraphs 5 to 12 of 14." in page
    # Two pieces; the cut left out nothing but the paragraph break, and each piece is in its own paragraph.
    assert marks(page) == ["The ferry will stop in June, the harbour office said", "Boats will be sold at auction."]
    whole = re.search(r'<a href="([^"]+)">Show the whole text</a>', page)
    assert whole is not None and whole.group(1) == f"{river}?whole=1#quoted-passage"
    everything = paragraphs(student.client.get(whole.group(1).replace("&amp;", "&")).get_data(as_text=True))
    assert len(everything) == 14 and everything[0].startswith("Paragraph 1 says")


def test_a_piece_that_runs_over_a_paragraph_break_is_marked_in_both(
    app: Flask, student: Actor, river: str, questions_dir: Path
) -> None:
    quiz = questions_dir / "quizzes" / "river.yaml"
    quiz.write_text(quiz.read_text().replace("said ... Boats", "said on Monday. Boats"))
    assert not resync(app, questions_dir).files_with_errors
    page = student.client.get(context_path(app, "ferry")).get_data(as_text=True)
    assert marks(page) == [
        "The ferry will stop in June, the harbour office said on Monday.",
        "Boats will be sold at auction.",
    ]
    assert page.count("[Start of the quoted passage]") == 1 and page.count("[End of the quoted passage]") == 1
    assert page.index("[Start of the quoted passage]") < page.index("Boats will") < page.index("[End of the quoted")


def test_the_page_shows_the_source_and_never_the_key(app: Flask, student: Actor, instructor: Actor) -> None:
    for actor in (student, instructor):
        for slug in ("vote", "disgrace", "cracks"):
            page = actor.client.get(context_path(app, slug)).get_data(as_text=True)
            assert "quoted-passage" in page
            for secret in (*EXPLANATIONS, "Opinion or judgement", "Factual claim", "half credit", "cue", "relayed"):
                assert secret not in page, (slug, secret)


def test_the_feedback_page_links_back_to_itself(app: Flask, student: Actor) -> None:
    attempt = student.start()
    feedback = student.answer(attempt, *RIGHT[0]).headers["Location"]
    answer_id = int(feedback.rsplit("/", 1)[1])
    page = student.client.get(feedback).get_data(as_text=True)
    link = f"{context_path(app, 'vote')}?attempt={attempt}&amp;answer={answer_id}#quoted-passage"
    assert f'href="{link}"' in page
    context = student.client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f'<a href="{feedback}">Back to your feedback</a>' in context


def test_only_the_links_own_arguments_are_carried_to_the_whole_text(app: Flask, student: Actor) -> None:
    """url_for reads _external and _scheme: taken from a visitor, they would make a link elsewhere."""
    path = context_path(app, "vote") + "?attempt=7&_external=1&_scheme=javascript&next=//evil.example"
    page = student.client.get(path).get_data(as_text=True)
    assert "javascript" not in page and "evil.example" not in page
    assert '<a href="/attempts/7">Back to the question</a>' in page


@pytest.mark.parametrize("args", ["attempt=0", "attempt=-3", "attempt=abc", "answer=5"])
def test_a_back_link_needs_a_real_attempt_number(app: Flask, student: Actor, args: str) -> None:
    page = student.client.get(f"{context_path(app, 'vote')}?{args}").get_data(as_text=True)
    assert "quoted-passage" in page and "Back to" not in page


def test_context_after_links_only_from_feedback_and_opens_only_after_answering(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    set_quiz_option(app, questions_dir, "context: after")
    attempt = student.start()
    question = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert "Read it in the source" not in question
    assert student.client.get(context_path(app, "vote")).status_code == 404  # not before answering
    feedback = student.client.get(student.answer(attempt, *RIGHT[0]).headers["Location"]).get_data(as_text=True)
    assert "Read it in the source" in feedback
    assert student.client.get(context_path(app, "vote")).status_code == 200
    assert student.client.get(context_path(app, "disgrace")).status_code == 404  # the next one: not yet


def test_with_feedback_at_the_end_the_page_opens_after_the_attempt(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    """Linked from the summary only; before the end a student could not even see whether they were right."""
    set_quiz_option(app, questions_dir, "context: after\nfeedback: end")
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    assert student.client.get(context_path(app, "vote")).status_code == 404
    student.answer(attempt, *RIGHT[1])
    student.answer(attempt, *RIGHT[2])
    assert student.client.get(context_path(app, "vote")).status_code == 200
    summary = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert summary.count("Read it in the source") == 3


def test_with_feedback_at_the_end_and_context_always_the_question_page_links_it(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    """The page shows no key, so it is fine while a quiz keeps its feedback for the end."""
    set_quiz_option(app, questions_dir, "feedback: end")
    attempt = student.start()
    assert "Read it in the source" in student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert student.client.get(context_path(app, "vote")).status_code == 200


def test_context_off_shows_no_link_and_no_page_to_students(
    app: Flask, student: Actor, instructor: Actor, questions_dir: Path
) -> None:
    set_quiz_option(app, questions_dir, "context: off")
    attempt = student.start()
    pages = [student.client.get(f"/attempts/{attempt}").get_data(as_text=True)]
    pages.append(student.client.get(student.answer(attempt, *RIGHT[0]).headers["Location"]).get_data(as_text=True))
    student.answer(attempt, *RIGHT[1])
    student.answer(attempt, *RIGHT[2])
    pages.append(student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True))
    assert not any("Read it in the source" in page for page in pages)
    assert student.client.get(context_path(app, "vote")).status_code == 404
    # Instructors still check their passages in context from the preview.
    preview = instructor.client.get("/instructor/bank/quizzes/bridge").get_data(as_text=True)
    assert "nowhere: the file sets <code>context: off</code>" in preview
    assert instructor.client.get(context_path(app, "vote")).status_code == 200


def test_an_older_version_keeps_its_own_text_and_places(app: Flask, student: Actor, questions_dir: Path) -> None:
    """The source text is edited and the passage with it: the answer to the old version still
    opens the old passage in the old text, and the new version opens in the new one."""
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    old = context_path(app, "vote")
    edit(questions_dir, "7 to 2", "seven to two", "sources/daily-news.txt")
    edit(questions_dir, "voted 7 to 2 on Tuesday to close", "voted seven to two on Tuesday to close")
    edit(questions_dir, "claim_type: [voted 7 to 2 on Tuesday]", "claim_type: [voted seven to two on Tuesday]")
    assert resync(app, questions_dir).new_versions == ["bridge/vote"]
    assert marks(student.client.get(old).get_data(as_text=True))[0].startswith("The city council voted 7 to 2")
    new = context_path(app, "vote")
    assert new != old
    assert marks(student.client.get(new).get_data(as_text=True))[0].startswith("The city council voted seven to two")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SourceText)) == 2


def test_an_edited_text_moves_the_places_without_updating_the_questions(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    """Two paragraphs added above every passage: the places move with them, the questions stay as they are."""
    path = questions_dir / "sources" / "daily-news.txt"
    path.write_text("By our reporter\n\nTuesday evening\n\n" + path.read_text())
    report = resync(app, questions_dir)
    assert not report.changed and report.unchanged == 3
    page = student.client.get(context_path(app, "vote")).get_data(as_text=True)
    assert marks(page) == ["The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May."]
    assert paragraphs(page)[:2] == ["By our reporter", "Tuesday evening"]
    assert not resync(app, questions_dir).changed  # and a sync with nothing new stores nothing new
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SourceText)) == 2


def test_a_passage_from_a_source_without_a_text_has_no_link_and_no_page(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    edit(questions_dir, "    text: sources/daily-news.txt\n", "", "sources.yaml")
    assert not resync(app, questions_dir).files_with_errors
    attempt = student.start()
    assert "Read it in the source" not in student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert student.client.get(context_path(app, "vote")).status_code == 404
    with app.app_context():
        version = db.session.get(QuestionVersion, version_of(app, "vote"))
        assert version is not None and version.source_spans is None and not version.in_source


def test_a_withdrawn_quiz_still_opens_for_those_who_answered_it(
    app: Flask, student: Actor, questions_dir: Path
) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    path = context_path(app, "vote")
    (questions_dir / "quizzes" / "bridge.yaml").unlink()
    assert resync(app, questions_dir).retired
    assert student.client.get(path).status_code == 200
    other = Actor(app.test_client())
    other.register("bob")
    assert other.client.get(path).status_code == 404


@pytest.mark.parametrize("version", ["999999", "0"])
def test_a_passage_that_does_not_exist_is_404(student: Actor, version: str) -> None:
    assert student.client.get(f"/passages/{version}/source").status_code == 404


def test_the_card_shows_every_source_field_with_a_value(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Labelled fields first; a field without a label (as a new one would be) under its own name."""
    from quizapp.models import Source
    from quizapp.taking import context

    with app.app_context():
        source = db.session.scalars(select(Source)).one()
        assert context.card_rows(source) == [  # the test source has no author
            ("Publisher", "The Daily Example"),
            ("Genre", "news report"),
            ("Date", "2024-03-01"),
            ("About this source", "A made-up local news report used by the tests."),
        ]
        monkeypatch.setattr(context, "CARD_LABELS", {"genre": "Genre"})
        assert context.card_rows(source) == [
            ("Genre", "news report"),
            ("Publisher", "The Daily Example"),
            ("Date", "2024-03-01"),
            ("Note", "A made-up local news report used by the tests."),
        ]
