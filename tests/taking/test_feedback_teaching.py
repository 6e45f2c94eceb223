"""Feedback and the summary as teaching: cue words per part, whose words, where a passage
stands, the passages to look at again, and the last score on the quiz list."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from quizapp.db import db

from ..bank.test_sync import edit, resync
from ..support import Actor
from .test_quiz_flow import RIGHT


def text_of(fragment: str) -> str:
    """What a sighted reader sees: tags and screen-reader-only text dropped, spaces folded."""
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def cue_marks(page: str) -> list[tuple[str, str, str]]:
    """(part class, marked words, its number tag) for each cue marked in the passage."""
    passage = re.search(r'<blockquote class="passage">(.*?)</blockquote>', page, re.S)
    assert passage, page[:800]
    found = re.findall(
        r'<mark class="cue (cue-[a-z-]+)[^"]*">(.*?)</mark><sup class="cue-tag" aria-hidden="true">(\d)</sup>',
        passage.group(1),
    )
    return [(part, html.unescape(words), number) for part, words, number in found]


def legend(page: str) -> list[str]:
    box = re.search(r'<div class="cue-legend">(.*?)</div>', page, re.S)
    assert box, page[:800]
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.S)]


def feedback_after(student: Actor, attempt: int, choice: tuple[str, str, str]) -> str:
    return student.client.get(student.answer(attempt, *choice).headers["Location"]).get_data(as_text=True)


def test_feedback_marks_the_cue_words_part_by_part_with_a_legend(student: Actor) -> None:
    attempt = student.start()
    feedback_after(student, attempt, RIGHT[0])
    feedback_after(student, attempt, RIGHT[1])
    page = feedback_after(student, attempt, RIGHT[2])
    # Engineers' reports show cracks in three of the bridge's five supports, the council said.
    assert cue_marks(page) == [
        ("cue-evidence", "Engineers' reports", "3"),
        ("cue-claim-type", "cracks in three of the bridge's five supports", "1"),
        ("cue-speaker", "the council said", "2"),
    ]
    assert legend(page) == [
        "1 Claim type (solid underline): cracks in three of the bridge's five supports",
        "2 Speaker (double underline): the council said",
        "3 Evidence (dotted underline): Engineers' reports",
    ]
    # A screen reader hears where each cue starts and ends, and for which part.
    assert "[Evidence cue:] </span><mark" in page and "[end of evidence cue]" in page


def test_a_passage_in_the_writers_own_voice_says_no_words_credit_it_to_anyone_else(student: Actor) -> None:
    # vote is the outlet's own report: its file gives a claim type cue and no speaker cue.
    page = feedback_after(student, student.start(), RIGHT[0])
    assert legend(page) == [
        "1 Claim type (solid underline): voted 7 to 2 on Tuesday",
        "2 Speaker - no words are marked: nothing in the passage credits it to anyone but the writer of the text.",
    ]


def test_a_question_without_cues_shows_its_passage_plainly(app: Flask, student: Actor, questions_dir: Path) -> None:
    edit(questions_dir, "    cues:\n      claim_type: [voted 7 to 2 on Tuesday]\n", "")
    assert "bridge/vote" in resync(app, questions_dir).updated  # (the others: their lines moved)
    attempt = student.start()
    page = feedback_after(student, attempt, RIGHT[0])
    passage = "The city council voted 7 to 2 on Tuesday to close the Old Bridge to cars from May."
    assert f'<blockquote class="passage">{passage}</blockquote>' in page
    assert "cue-legend" not in page


def test_cues_are_not_on_the_question_page(student: Actor) -> None:
    attempt = student.start()
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert "cue" not in page


def test_feedback_shows_whose_words_a_relayed_passage_carries(student: Actor) -> None:
    attempt = student.start()
    feedback_after(student, attempt, RIGHT[0])
    plain = feedback_after(student, attempt, RIGHT[1])
    relayed = feedback_after(student, attempt, RIGHT[2])
    assert "as quoted or summarised by" not in plain
    speaker_row = re.search(r'<th scope="row">Speaker</th>(.*?)</tr>', relayed, re.S)
    assert speaker_row is not None
    key = re.search(r'<td data-label="Key">(.*?)</td>', speaker_row.group(1), re.S)
    assert key is not None
    assert text_of(key.group(1)) == "The city council as quoted or summarised by The Daily Example, in its own voice"


def test_feedback_says_which_passage_it_is(student: Actor) -> None:
    attempt = student.start()
    assert "Passage 1 of 3" in feedback_after(student, attempt, RIGHT[0])
    page = feedback_after(student, attempt, RIGHT[1])
    assert '<p class="muted">The Old Bridge · Passage 2 of 3</p>' in page
    assert "<title>Feedback: passage 2 of 3 - quizapp</title>" in page


def test_the_summary_opens_with_the_scores_and_only_the_passages_to_look_at_again(student: Actor) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])  # all three parts match the key
    student.answer(attempt, "factual", "mayor", "no")  # half credit on the claim type
    student.answer(attempt, "factual", "outlet", "no")  # wrong speaker and evidence
    page = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert page.index("Your score per part") < page.index("Passages to look at again (2)") < page.index("<details")
    review = re.search(r'<ol class="to-review"[^>]*>(.*?)</ol>', page, re.S)
    assert review is not None
    items = re.findall(r'<li>\s*<a href="([^"]+)">(Passage \d)</a>(.*?)</ul>', review.group(1), re.S)
    feedback = [f"/attempts/{attempt}/answers/{n}" for n in (2, 3)]
    assert [(link, name) for link, name, _ in items] == [(feedback[0], "Passage 2"), (feedback[1], "Passage 3")]
    assert text_of(items[0][2]).endswith("Claim type: ½ Half credit")
    assert text_of(items[1][2]).endswith("Speaker: ✗ Does not match the key Evidence: ✗ Does not match the key")
    for link in feedback:
        assert "How you did" in student.client.get(link).get_data(as_text=True)
    # Every passage is one click away, folded: a <details>, which needs no script.
    every = re.search(r'<details class="every-passage">\s*<summary><h2>(.*?)</h2></summary>(.*)</details>', page, re.S)
    assert every is not None
    assert every.group(1) == "Every passage, with the key and the explanations (3)"
    assert every.group(2).count('<section class="card"') == 3


def test_a_summary_with_nothing_to_look_at_again_says_so(student: Actor) -> None:
    attempt = student.start()
    for choice in RIGHT:
        student.answer(attempt, *choice)
    page = student.client.get(f"/attempts/{attempt}/summary").get_data(as_text=True)
    assert "Passages to look at again (0)" in page and "Every part of every passage matched the key." in page
    assert '<ol class="to-review"' not in page


def test_the_quiz_list_shows_the_last_finished_score(student: Actor) -> None:
    assert "Last score" not in student.client.get("/").get_data(as_text=True)
    first = student.start()
    for choice in RIGHT:
        student.answer(first, *choice)
    page = student.client.get("/").get_data(as_text=True)
    assert "Last score: 9 of 9 points (100%)." in page and f'href="/attempts/{first}/summary"' in page
    second = student.start()
    student.answer(second, "opinion", "outlet", "no")
    student.answer(second, *RIGHT[1])
    assert "Last score: 9 of 9 points (100%)." in student.client.get("/").get_data(as_text=True)  # still in progress
    student.answer(second, *RIGHT[2])
    page = student.client.get("/").get_data(as_text=True)
    assert "Last score: 8 of 9 points (89%)." in page and f'href="/attempts/{second}/summary"' in page
    assert "Finished 2 times." in page


def test_the_claim_types_definitions_fold_away_and_still_describe_each_choice(student: Actor) -> None:
    attempt = student.start()
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    details = re.search(r'<details class="definitions">(.*?)</details>', page, re.S)
    assert details is not None and "<summary>What each kind of claim means</summary>" in details.group(1)
    radio = re.search(r'<input aria-describedby="([\w-]+)" id="claim_type-1"', page)
    assert radio is not None
    definition = re.search(rf'<dd id="{radio.group(1)}">(.*?)</dd>', details.group(1))
    assert definition is not None and definition.group(1).startswith("Says that one thing caused")
    assert "open" not in details.group(0).split(">", 1)[0]  # folded until the student opens it


def test_the_reason_box_states_its_limit(student: Actor) -> None:
    attempt = student.start()
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert '<span class="help" id="reason-limit">Up to 2,000 characters.</span>' in page
    assert re.search(r'<textarea aria-describedby="reason-limit" id="reason" maxlength="2000" name="reason"', page)
    assert "(optional)" in page


def test_a_required_reason_is_marked_before_submitting(app: Flask, student: Actor, questions_dir: Path) -> None:
    edit(questions_dir, "source: daily-news\n", "source: daily-news\nask_reason: required\n")
    resync(app, questions_dir)
    intro = student.client.get("/quizzes/bridge").get_data(as_text=True)
    assert "this quiz asks you to explain your answer in your own words" in intro
    attempt = student.start()
    page = student.client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert '<span class="required">(required)</span></label>' in page and "(optional)" not in page
    assert re.search(r"<textarea [^>]*required", page)
    assert "this quiz asks for a reason with every answer" in page


def count_statements(app: Flask, request: object) -> list[str]:
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        request()  # type: ignore[operator]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements


def test_an_answer_makes_as_many_statements_as_before(app: Flask, student: Actor) -> None:
    """The signed-in user, the attempt with the bank's stamp, the INSERT and the answered ids
    (PostgreSQL also locks the attempt first); the cue words and links cost the answer nothing."""
    attempt = student.start()
    token, version = student.current_form(attempt)
    data = {"csrf_token": token, "version": version, "claim_type": "factual", "speaker": "outlet", "evidence": "no"}
    statements = count_statements(app, lambda: student.client.post(f"/attempts/{attempt}/answer", data=data))
    with app.app_context():
        locks = 0 if db.engine.dialect.name == "sqlite" else 1
    assert len([s for s in statements if not s.startswith(("BEGIN", "COMMIT"))]) == 4 + locks, statements
