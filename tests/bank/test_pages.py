"""The instructors' Question bank page: file status, Sync now, regrade, preview."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.accounts import classrooms
from quizapp.db import db
from quizapp.models import Question, QuestionVersion, Regrade, User

from ..support import CSRF_FIELD, Actor, csrf_token
from ..taking.test_quiz_flow import RIGHT
from .test_regrade import VOTE_KEY, scores_by_student
from .test_sync import dump, edit

BANK = "/instructor/bank"
FINGERPRINT = re.compile(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"')


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def words(page_html: str) -> str:
    """What a reader sees: tags dropped, whitespace folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_html).split())


def page(actor: Actor, path: str = BANK) -> str:
    response = actor.client.get(path)
    assert response.status_code == 200, response.status_code
    return text(response)


def vote_versions(app: Flask) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(QuestionVersion.number)
                .join(Question, QuestionVersion.question_id == Question.id)
                .filter(Question.slug == "vote")
            )
        )


def test_every_route_is_for_instructors_only(app: Flask, student: Actor, questions_dir: Path) -> None:
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    before = dump(app)
    client = app.test_client()  # nobody signed in
    for path in (BANK, f"{BANK}/quizzes/bridge"):
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], path
        assert student.client.get(path).status_code == 403, path
    token = csrf_token(student.client, "/")
    for path in (f"{BANK}/sync", f"{BANK}/regrade"):
        assert client.post(path, data={"csrf_token": token}).status_code in (302, 400), path
        assert student.client.post(path, data={"csrf_token": token, "fingerprint": "0"}).status_code == 403, path
    assert dump(app) == before


def test_instructor_home_links_to_the_bank(instructor: Actor) -> None:
    assert f'href="{BANK}"' in page(instructor, "/instructor")


def test_files_are_listed_with_their_status_and_every_error(app: Flask, instructor: Actor, questions_dir: Path) -> None:
    edit(questions_dir, "claim_type: opinion", "claim_type: opinon")
    edit(questions_dir, "  - id: cracks", "  - id: cracks\n    pasage: typo")
    (questions_dir / "quizzes" / "empty.yaml").write_text("")
    before = dump(app)
    shown = page(instructor)
    assert "taxonomy.yaml" in shown and "sources.yaml" in shown
    assert "2 errors" in shown and "students still get what was loaded before" in shown
    assert re.search(
        r"quizzes/bridge\.yaml:\d+:\d+: questions\[1\]\.claim_type: unknown claim type 'opinon' - did you mean 'opinion'\?",
        shown,
    )
    assert re.search(
        r"quizzes/bridge\.yaml:\d+:\d+: questions\[2\]\.pasage: unknown key 'pasage' - did you mean 'passage'\?", shown
    )
    assert "quizzes/empty.yaml:0:0: the file is empty" in shown and "not loaded yet" in shown
    assert dump(app) == before  # looking changes nothing


def test_pending_changes_are_shown_and_the_page_writes_nothing(
    app: Flask, instructor: Actor, questions_dir: Path
) -> None:
    assert "What students get matches the files." in page(instructor)
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    before = dump(app)
    shown = page(instructor)
    assert "Sync now would make these changes: added 0, new versions 1, updated 0" in words(shown)
    assert dump(app) == before


def test_sync_now_needs_a_csrf_token_and_shows_the_summary(app: Flask, instructor: Actor, questions_dir: Path) -> None:
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    edit(questions_dir, "A vote with its count and day", "A vote, with its count and day,")
    before = dump(app)
    refused = instructor.client.post(f"{BANK}/sync")
    assert refused.status_code == 400 and dump(app) == before
    token = csrf_token(instructor.client, BANK)
    done = instructor.client.post(f"{BANK}/sync", data={"csrf_token": token})
    shown = text(done)
    assert done.status_code == 200
    assert "Synced: added 0, new versions 1, updated 0, retired 0, unchanged 2, files with errors 0." in shown
    assert "New versions: bridge/vote" in words(shown) and "keep their scores until you regrade" in shown
    assert vote_versions(app) == [1, 2]
    assert "What students get matches the files." in page(instructor)


def test_retired_quizzes_are_listed_with_their_answers(
    app: Flask, student: Actor, instructor: Actor, questions_dir: Path
) -> None:
    attempt = student.start()
    student.answer(attempt, *RIGHT[0])
    (questions_dir / "quizzes" / "bridge.yaml").unlink()
    token = csrf_token(instructor.client, BANK)
    shown = text(instructor.client.post(f"{BANK}/sync", data={"csrf_token": token}))
    assert "Retired: quiz bridge" in words(shown)
    assert "Retired quizzes" in shown and "was quizzes/bridge.yaml" in words(shown) and "1 answer kept" in shown


@pytest.fixture
def key_changed(app: Flask, student: Actor, questions_dir: Path) -> None:
    """ada answered every question right; then the vote's key became 'rule' and was synced."""
    attempt = student.start()
    for choice in RIGHT:
        student.answer(attempt, *choice)
    edit(questions_dir, VOTE_KEY, VOTE_KEY.replace("factual", "rule"))
    result = app.test_cli_runner().invoke(args=["questions", "sync"])
    assert "new versions 1" in result.output


def teach(app: Flask, instructor: str, student: str) -> None:
    """Put `student` in a class `instructor` teaches."""
    with app.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)).all())
        classrooms.join(
            classrooms.create_classroom(f"{instructor}'s class", created_by_id=ids[instructor]), ids[student]
        )


def test_regrade_preview_and_apply_from_the_page(app: Flask, key_changed: None, instructor: Actor) -> None:
    teach(app, "teacher", "ada")
    before = dump(app)
    shown = page(instructor)
    assert "1 answer to older versions would be rescored; 1 change score." in shown
    assert re.search(
        r"<td>ada</td><td>The Old Bridge <span class=\"muted\">\(bridge\)</span></td><td>9</td><td>8</td><td>9</td>",
        shown,
    )
    assert dump(app) == before
    dry = app.test_cli_runner().invoke(args=["questions", "regrade", "--dry-run"])
    assert "ada, quiz bridge: 9 -> 8 of 9 points" in dry.output  # the page and the command agree

    fingerprint = FINGERPRINT.search(shown)
    token = CSRF_FIELD.search(shown)
    assert fingerprint and token
    done = instructor.client.post(
        f"{BANK}/regrade", data={"csrf_token": token.group(1), "quiz": "", "fingerprint": fingerprint.group(1)}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{BANK}#regrade")
    shown = page(instructor)
    assert "Regrade #1 done: 1 of 1 answer(s) changed score; 1 student score(s) changed." in shown
    assert 'teacher <span class="muted">(this page)</span>' in shown and "bridge/vote" in shown
    assert "Nothing to regrade" in shown
    assert scores_by_student(app)[("ada", "vote")] == (0.0, 1.0, 1.0)
    with app.app_context():
        record = db.session.scalar(select(Regrade))
        assert record is not None and (record.by, record.via, record.answers_changed) == ("teacher", "page", 1)


def test_the_regrade_preview_names_only_the_students_of_the_viewers_classes(
    app: Flask, key_changed: None, instructor: Actor
) -> None:
    """The bank is shared; whose scores a regrade changes is shown like every review page."""
    shown = page(instructor)
    assert "<td>ada</td>" not in shown
    assert "It changes the scores of 1 student in classes you do not teach." in words(shown)
    teach(app, "teacher", "ada")
    shown = page(instructor)
    assert "<td>ada</td>" in shown and "classes you do not teach" not in shown


def test_a_stale_preview_or_missing_token_writes_nothing(
    app: Flask, key_changed: None, instructor: Actor, questions_dir: Path
) -> None:
    shown = page(instructor, f"{BANK}?quiz=bridge")
    fingerprint = FINGERPRINT.search(shown)
    assert fingerprint
    assert (
        instructor.client.post(
            f"{BANK}/regrade", data={"quiz": "bridge", "fingerprint": fingerprint.group(1)}
        ).status_code
        == 400
    )
    # The key changes again after the preview: applying the old preview must not happen.
    edit(questions_dir, VOTE_KEY.replace("factual", "rule"), VOTE_KEY.replace("factual", "prediction"))
    app.test_cli_runner().invoke(args=["questions", "sync"])
    before = dump(app)
    token = csrf_token(instructor.client, BANK)
    response = instructor.client.post(
        f"{BANK}/regrade", data={"csrf_token": token, "quiz": "bridge", "fingerprint": fingerprint.group(1)}
    )
    assert response.status_code == 302
    assert "The answers changed since this preview was shown" in page(instructor)
    assert dump(app) == before


def test_unknown_quiz_in_the_regrade_filter_is_404(instructor: Actor) -> None:
    assert instructor.client.get(f"{BANK}?quiz=nope").status_code == 404
    assert instructor.client.get(f"{BANK}/quizzes/nope").status_code == 404


def answer_fields(page_html: str, start: str, end: str) -> str:
    """The answer parts of one question, whitespace folded."""
    chunk = page_html[page_html.index("<fieldset", page_html.index(start)) :]
    chunk = chunk[: chunk.index(end)]
    return " ".join(chunk.split())


def test_preview_shows_each_question_as_students_see_it_with_key_and_explanations(
    app: Flask, student: Actor, instructor: Actor
) -> None:
    preview = page(instructor, f"{BANK}/quizzes/bridge")
    with app.app_context():
        questions = db.session.scalars(select(Question).order_by(Question.position)).all()
        ids = [q.id for q in questions]
    assert preview.count("<fieldset") == 3 * len(ids)
    assert "Passage 1 of 3" in preview and "Passage 3 of 3" in preview

    attempt = student.start()
    for position, question_id in enumerate(ids):
        seen = text(student.client.get(f"/attempts/{attempt}"))
        students = answer_fields(seen, 'class="answer-form"', '<p><button type="submit">')
        previewed = answer_fields(preview, f'id="q{question_id}-heading"', '<p><button type="button" disabled>')
        assert previewed.replace(f"q{question_id}-", "") == students
        student.answer(attempt, *RIGHT[position])

    # The key and the explanations, as written in the file.
    assert "The engineers' reports are named as the record behind the claim." in preview
    assert '"A disgrace" is a judgement no record could settle.' in preview
    assert "half credit: Factual claim" in preview and "Mayor Ana Reyes" in preview


def test_preview_leaves_out_retired_questions(app: Flask, instructor: Actor, questions_dir: Path) -> None:
    path = questions_dir / "quizzes" / "bridge.yaml"
    path.write_text(path.read_text()[: path.read_text().index("  - id: cracks")])
    token = csrf_token(instructor.client, BANK)
    instructor.client.post(f"{BANK}/sync", data={"csrf_token": token})
    preview = page(instructor, f"{BANK}/quizzes/bridge")
    assert "Passage 2 of 2" in preview and "Engineers' reports" not in preview


def test_preview_shows_the_cue_words_whose_words_and_the_passage_in_its_source(app: Flask, instructor: Actor) -> None:
    preview = page(instructor, f"{BANK}/quizzes/bridge")
    with app.app_context():
        cracks = db.session.scalars(select(Question).filter_by(slug="cracks")).one()
        question_id, version_id = cracks.id, cracks.current_version_id
    section = preview[preview.index(f'id="q{question_id}-heading"') :]
    assert "Students get the link to each passage in its source text on the question page and after answering" in words(
        preview
    )
    assert "Speaker The city council as quoted or summarised by The Daily Example, in its own voice" in words(section)
    cues = words(section[section.index("<h3>Cue words</h3>") : section.index("<h3>Explanations</h3>")])
    assert "1 Claim type (solid underline): cracks in three of the bridge's five supports" in cues
    assert "2 Speaker (double underline): the council said" in cues
    assert "3 Evidence (dotted underline): Engineers' reports" in cues
    link = f"/passages/{version_id}/source?from=preview#quoted-passage"
    assert f'href="{link}"' in section
    context = page(instructor, link.split("#")[0])
    assert f'<a href="/instructor/bank/quizzes/bridge#q{question_id}-heading">Back to the preview</a>' in context
